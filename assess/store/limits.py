"""Counters of attempts (failed logins, join codes tried, participants added), by key, shared by every worker."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from assess.core.limits import Counter
from assess.store.connection import Database, transaction


def _stamp(moment: datetime) -> str:
    return moment.isoformat(timespec="microseconds")  # one width, so stored times compare as text


def get_counters(db: Database, keys: Iterable[str]) -> dict[str, Counter]:
    """Return key -> counter for the keys that have one (a rule asks for two or three at a time)."""
    found = {}
    for key in keys:
        for r in db.query("SELECT key, count, first_at, last_at FROM rate_counters WHERE key = ?", [key]):
            found[key] = Counter(
                r["key"], r["count"], datetime.fromisoformat(r["first_at"]), datetime.fromisoformat(r["last_at"])
            )
    return found


def put_counter(db: Database, counter: Counter) -> None:
    """Store the counter (replacing the key's old one)."""
    with transaction(db):
        db.execute(
            "INSERT INTO rate_counters (key, count, first_at, last_at) VALUES (?, ?, ?, ?) ON CONFLICT (key) "
            "DO UPDATE SET count = excluded.count, first_at = excluded.first_at, last_at = excluded.last_at",
            [counter.key, counter.count, _stamp(counter.first_at), _stamp(counter.last_at)],
        )


def take_back(db: Database, key: str) -> None:
    """Count one event less under the key (an attempt counted in advance that turned out well)."""
    with transaction(db):
        db.execute("UPDATE rate_counters SET count = max(0, count - 1) WHERE key = ?", [key])


def delete_counters(db: Database, keys: Iterable[str]) -> None:
    """Forget the keys' counts."""
    with transaction(db):
        for key in keys:
            db.execute("DELETE FROM rate_counters WHERE key = ?", [key])


def forget_counters_before(db: Database, when: datetime) -> None:
    """Drop every counter last touched before `when` (no rule looks back that far)."""
    with transaction(db):
        db.execute("DELETE FROM rate_counters WHERE last_at < ?", [_stamp(when)])

"""Caps on how much happens in a window of time, checked and counted in one write-locked step."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

from assess.core.limits import Counter, Rule, Window, counted_once_more
from assess.store import limits
from assess.store.connection import Database, transaction


def count_in_windows(db: Database, rules: Mapping[str, Window], now: datetime) -> tuple[str, timedelta] | None:
    """Return the first key whose window is full and how long until it is not; when none is, count
    one event under every key and return None. Check and count are one transaction, so parallel
    requests are counted one by one."""
    with transaction(db):
        counters = limits.get_counters(db, rules)
        for key, rule in rules.items():
            wait = rule.wait(counters.get(key), now)
            if wait > timedelta(0):
                return key, wait
        count_once_more(db, rules, counters, now)
    return None


def count_once_more(db: Database, rules: Mapping[str, Rule], counters: Mapping[str, Counter], now: datetime) -> None:
    """Count one more event under every key of `rules` (`counters`: those stored, read in the caller's
    transaction)."""
    for key, rule in rules.items():
        limits.put_counter(db, counted_once_more(rule, key, counters.get(key), now))

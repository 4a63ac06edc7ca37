"""Caps on how much happens in a window of time, checked and counted in one write-locked step."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

from assess.core.limits import Counter, Window
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
        for key, rule in rules.items():
            counter = counters.get(key)
            counted = rule.current(counter, now)
            first = counter.first_at if counter is not None and counted else now
            limits.put_counter(db, Counter(key, counted + 1, first, now))
    return None

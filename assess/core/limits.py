"""How often someone may try again: growing delays for failures, and caps on how much happens in a window.

Plain rules over counters (how many, since when, last when); `assess.store.limits` keeps the
counters in the database, so every worker process counts the same attempts, and the services
check and count an attempt in one write-locked step, so a burst of parallel attempts cannot all
read the same count.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol


@dataclass(frozen=True)
class Counter:
    """A stored count of events under one key: how many, the time of the first and of the last."""

    key: str
    count: int
    first_at: datetime
    last_at: datetime


class Rule(Protocol):
    """A throttle or a window: how many events still count at a time."""

    def current(self, counter: Counter | None, now: datetime) -> int: ...


def counted_once_more(rule: Rule, key: str, counter: Counter | None, now: datetime) -> Counter:
    """Return the counter after one more event at `now`: the events that still count plus one, from
    the first of them (a counter whose events no longer count starts again at `now`)."""
    still = rule.current(counter, now)
    first = counter.first_at if counter is not None and still else now
    return Counter(key, still + 1, first, now)


@dataclass(frozen=True)
class Throttle:
    """Growing delays after failures: `free` failures cost nothing, then each waits `first_delay`,
    doubling up to `max_delay`; a counter untouched for `forget_after` starts again from zero.

    It slows an attacker down and never locks anyone out for longer than `max_delay`.
    """

    free: int
    first_delay: timedelta
    max_delay: timedelta
    forget_after: timedelta

    def current(self, counter: Counter | None, now: datetime) -> int:
        """Return the failures that still count at `now`."""
        if counter is None or now - counter.last_at > self.forget_after:
            return 0
        return counter.count

    def wait(self, counter: Counter | None, now: datetime) -> timedelta:
        """Return how long the next attempt must wait (zero when it may go ahead)."""
        failures = self.current(counter, now)
        if counter is None or failures < self.free:
            return timedelta(0)
        doublings = min(failures - self.free, 20)  # 2**20 x 30 s is far past max_delay already
        delay = min(self.first_delay * 2**doublings, self.max_delay)
        return max(timedelta(0), counter.last_at + delay - now)


@dataclass(frozen=True)
class Window:
    """At most `limit` events per `length` of time, counted from the first event of the window."""

    limit: int
    length: timedelta

    def current(self, counter: Counter | None, now: datetime) -> int:
        """Return the events counted in the window that is open at `now`."""
        if counter is None or now - counter.first_at >= self.length:
            return 0
        return counter.count

    def wait(self, counter: Counter | None, now: datetime) -> timedelta:
        """Return how long until one more event is allowed (zero when it is allowed now)."""
        if counter is None or self.current(counter, now) < self.limit:
            return timedelta(0)
        return counter.first_at + self.length - now


def wait_words(wait: timedelta) -> str:
    """Return a wait in words for a refusal: "30 seconds", "4 minutes"."""
    seconds = max(1, round(wait.total_seconds()))
    if seconds < 90:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = round(seconds / 60)
    return f"{minutes} minutes"

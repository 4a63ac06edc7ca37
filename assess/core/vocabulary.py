"""The words and numbers every page, document, workbook and command uses for the same things.

Defined once here and handed to Jinja as filters and globals (`web`), to JavaScript through data
attributes, and called directly by the documents, workbooks and the CLI, so an answer level, a
percentage or a status reads the same wherever it appears.
"""

from __future__ import annotations

import datetime as dt

NOT_APPLICABLE = "na"
UNKNOWN = "unknown"

LEVELS: dict[int, str] = {
    0: "Not in place",
    1: "Initial (ad hoc)",
    2: "Partly in place",
    3: "Largely in place",
    4: "Fully in place and reviewed",
}
"""The one implementation scale every scored question uses."""

DONT_KNOW = "Don't know"
NOT_APPLICABLE_LABEL = "Not applicable"
NOT_ANSWERED = "Not answered"
SPECIAL_LABELS: dict[str, str] = {UNKNOWN: DONT_KNOW, NOT_APPLICABLE: NOT_APPLICABLE_LABEL}
SHORT_LABELS: dict[str, str] = {NOT_APPLICABLE: "N/A", UNKNOWN: DONT_KNOW}
"""Where space is short (workbook cells, the workshop's bars)."""

MATURITY: dict[int, str] = {
    1: "Initial",
    2: "Developing",
    3: "Defined",
    4: "Managed",
    5: "Optimizing",
}
"""Maturity 1-5 follows from the score: 1 below 20 %, then one step per 20 points."""

PAGE_NOT_STARTED, PAGE_IN_PROGRESS, PAGE_DONE = "Not started", "In progress", "Done"
"""How far an answering page (or a clause group) is answered."""

ACTION_OPEN, ACTION_IN_PROGRESS, ACTION_DONE = "open", "in progress", "done"
ACTION_STATUSES = (ACTION_OPEN, ACTION_IN_PROGRESS, ACTION_DONE)
"""An action's status, in the order work moves through them."""

DASH = "\u2013"
NBSP = "\u00a0"


def level_label(value: int | str | None, *, numbered: bool = True) -> str:
    """Return an answer value as people read it: ``3 Largely in place``, ``Don't know``,
    ``Not applicable`` or ``Not answered`` (`numbered=False` leaves out the digit)."""
    if value is None:
        return NOT_ANSWERED
    if isinstance(value, str):
        return SPECIAL_LABELS.get(value, value)
    return f"{value} {LEVELS[value]}" if numbered else LEVELS[value]


def short_label(value: int | str | None) -> str:
    """Return an answer value in a few characters: ``3``, ``Don't know``, ``N/A`` or a dash."""
    if value is None:
        return DASH
    if isinstance(value, str):
        return SHORT_LABELS.get(value, value)
    return str(value)


def percent(value: float | None, decimals: int = 1, *, space: str = " ") -> str:
    """Return a percentage such as ``44.8 %`` (a dash for None); `space` goes before the sign."""
    if value is None:
        return DASH
    return f"{value:.{decimals}f}{space}%"


def share(ratio: float | None, *, space: str = " ") -> str:
    """Return a ratio 0..1 as a whole percentage, such as ``93 %`` (a dash for None)."""
    return DASH if ratio is None else f"{100 * ratio:.0f}{space}%"


def maturity_label(maturity: int | None) -> str:
    """Return ``3 Defined`` for a maturity level, or a dash when there is no score."""
    return DASH if maturity is None else f"{maturity} {MATURITY[maturity]}"


TIME_ZONE = "UTC"
"""Every saved time is stored and shown in UTC, labelled so: one zone for everyone in a room or a team."""


def when(stamp: str | None) -> str:
    """Return a stored time (ISO 8601, UTC) as pages show it: ``2026-11-26 14:05 UTC`` (a dash for none)."""
    if not stamp:
        return DASH
    try:
        moment = dt.datetime.fromisoformat(stamp)
    except ValueError:
        return stamp
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC)
    return f"{moment:%Y-%m-%d %H:%M} {TIME_ZONE}"


def clock(stamp: str | None) -> str:
    """Return the time of day of a stored time (UTC): ``14:05 UTC``, as a save status shows it."""
    text = when(stamp)
    return text[11:] if len(text) > 11 else text


def long_date(day: dt.date) -> str:
    """Return a date as the documents print it, e.g. ``25 November 2026``."""
    return f"{day.day} {day:%B %Y}"


def join_words(words: list[str] | tuple[str, ...]) -> str:
    """Return words joined as in a sentence: ``a``, ``a and b``, ``a, b and c``."""
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]

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
MATURITY_STEP = 20
"""Points of score per maturity step (`scoring.maturity_of` reads it)."""

PRIORITY_HIGH_FROM, PRIORITY_MEDIUM_FROM = 12, 6
"""A gap's priority number from which it is High, and from which Medium (`scoring.priority_band`)."""

ESSENTIAL = "Essential"
"""How a key practice is named to people: one without which customers are harmed or the process fails."""
ESSENTIAL_MEANING = "customers are harmed or the process cannot work without it"
TO_FIND_OUT = "To find out"
"""A question answered "don't know" or not answered yet: never a gap, something to ask someone."""

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


# --- the one story of the scales ---------------------------------------------------------------
#
# Four scales meet in every result: the answer level of a practice (0-4), the assessment's target
# (a level 1-4), the score (0-100 %) and maturity (1-5). The target is a level, so it is compared
# with levels; a score is compared with the target's score (`target_score`); maturity is never
# compared with the target level. Every page, document and workbook tells it with these functions.


def target_score(target: int) -> float:
    """Return the score every practice answered exactly at `target` gives: 75.0 for level 3."""
    return 100 * target / max(LEVELS)


def target_maturity(target: int) -> int:
    """Return the maturity of a score at the target: 4 for level 3 (75 %)."""
    return min(max(MATURITY), 1 + int(target_score(target) // MATURITY_STEP))


def target_text(target: int) -> str:
    """Return the target as a sentence part: ``level 3 Largely in place for every practice (a score of 75 %)``."""
    return f"level {level_label(target)} for every practice (a score of {percent(target_score(target), 0)})"


def score_against_target(score: float | None, target: int, *, space: str = " ") -> str:
    """Return a score next to the target in the same unit: ``48.0 % against a target of 75 %``."""
    if score is None:
        return f"no score yet (target {percent(target_score(target), 0, space=space)})"
    return f"{percent(score, space=space)} against a target of {percent(target_score(target), 0, space=space)}"


def maturity_bands() -> str:
    """Return how maturity follows from the score: ``1 below 20 %, 2 from 20 %, ..., 5 from 80 %``."""
    steps = [f"1 below {MATURITY_STEP} %"]
    steps += [f"{m} from {(m - 1) * MATURITY_STEP} %" for m in sorted(MATURITY) if m > 1]
    return join_words(steps)


def priority_bands() -> str:
    """Return the priority bands: ``High 12 or more, Medium 6 to 11, Low below 6``."""
    return (
        f"High {PRIORITY_HIGH_FROM} or more, Medium {PRIORITY_MEDIUM_FROM} to {PRIORITY_HIGH_FROM - 1}, "
        f"Low below {PRIORITY_MEDIUM_FROM}"
    )


def scale_key(target: int | None) -> tuple[tuple[str, str], ...]:
    """Return the key to the scales as (term, what it means) pairs, for an assessment's target
    (None where several assessments with different targets are shown together).

    The same words go under the results page, into the gap report and onto the workbook's Key
    sheet, so a scale is explained once and read the same everywhere.
    """
    levels = ", ".join(level_label(level) for level in LEVELS)
    if target is None:
        goal = (
            "The level each practice should reach, set for each assessment: level 3 is a score of "
            f"{percent(target_score(3), 0)}, level 4 of {percent(target_score(4), 0)}."
        )
        compare = "the target's score"
        at_target = "maturity 4 for a target of level 3"
    else:
        goal = f"The level each practice should reach: {target_text(target)}."
        compare = f"the target's {percent(target_score(target), 0)}"
        at_target = f"maturity {target_maturity(target)}"
    key = (
        ("Answer levels", f"How far each practice is in place: {levels}."),
        ("Target", f"{goal} A practice answered below it is a gap."),
        (
            "Score",
            "How much good practice is in place, from 0 to 100 %: each answered practice counts its level out of "
            f"{max(LEVELS)}, weighted 1 to 3 by importance. Compare it with {compare}. Not applicable and "
            f"unanswered questions are left out; {DONT_KNOW} counts as level 0.",
        ),
        (
            "Maturity",
            f"1 to {max(MATURITY)}, read from the score: {maturity_bands()}. A score at the target is {at_target}.",
        ),
        (
            "Priority",
            "A gap's weight (1 to 3) times the levels it is below target, doubled for an essential "
            f"practice ({ESSENTIAL_MEANING}); {priority_bands()}.",
        ),
        (
            "Answered",
            f"The share of the questions that apply with an answer ({DONT_KNOW} and not applicable included), "
            "so an unfinished assessment is not mistaken for a weak one.",
        ),
        (
            TO_FIND_OUT,
            f"Questions answered {DONT_KNOW} or not answered yet. They are not gaps: someone has to find out.",
        ),
    )
    # a percentage never breaks from its sign, and the special answer reads as a quoted answer
    return tuple(
        (term, text.replace(" %", NBSP + "%").replace(f" {DONT_KNOW} ", f" \u201c{DONT_KNOW}\u201d "))
        for term, text in key
    )

"""Workshop arithmetic: how a room's ratings of one question spread, and which to discuss first."""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta

from assess.core.answers import NOT_APPLICABLE, UNKNOWN, Answer, Value, is_level
from assess.core.limits import Window
from assess.core.questionnaire import Question
from assess.core.vocabulary import DASH

DISAGREEMENT_SPREAD = 2
"""Ratings two or more levels apart mean the room disagrees: discuss that question first."""

JOIN_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread on a projector
JOIN_CODE_LENGTH = 8

DEFAULT_MAX_PARTICIPANTS = 200
"""A workshop's participant cap unless the facilitator sets another when opening it."""
MAX_PARTICIPANTS_LIMIT = 1000
"""The largest cap a facilitator may set."""
WRONG_CODES_PER_ADDRESS = Window(30, timedelta(minutes=10))
"""Join codes that match no open workshop, tried from one network address (a room mistypes a few;
guessing one of 32**8 codes at this pace takes longer than any workshop lasts)."""
JOINS_PER_ADDRESS = Window(60, timedelta(minutes=10))
"""New participants from one network address (a room of 50 behind one router joins at once)."""
JOINS_PER_WORKSHOP = Window(120, timedelta(minutes=5))
"""New participants of one workshop, from anywhere: a script cannot fill the room with fake raters."""


@dataclass(frozen=True)
class Spread:
    """How the room rated one question.

    `middle` holds the two middle levels of the sorted level ratings (the same level twice for an
    odd count); when they differ the room is split and there is no single median to suggest.
    """

    count: int
    distribution: dict[str, int]
    middle: tuple[int, int] | None
    spread: int | None

    @property
    def disagreement(self) -> bool:
        return self.spread is not None and self.spread >= DISAGREEMENT_SPREAD

    @property
    def split(self) -> bool:
        """Return whether the two middle ratings differ (an even number of ratings, no single median)."""
        return self.middle is not None and self.middle[0] != self.middle[1]

    @property
    def median(self) -> int | None:
        """Return the median level, or None when nobody gave a level or the room is split."""
        return None if self.middle is None or self.split else self.middle[0]

    @property
    def median_label(self) -> str:
        """Return the median as shown to the room: ``3``, ``1 or 3 (split)``, or a dash."""
        if self.middle is None:
            return DASH
        return f"{self.middle[0]} or {self.middle[1]} (split)" if self.split else str(self.middle[0])


def spread_of(values: Iterable[int | str]) -> Spread:
    """Return count, distribution (levels 0-4, na, unknown), middle levels and spread of the ratings given."""
    values = list(values)
    distribution = {str(level): 0 for level in range(5)} | {NOT_APPLICABLE: 0, UNKNOWN: 0}
    for value in values:
        distribution[str(value)] += 1
    levels = sorted(v for v in values if isinstance(v, int) and is_level(v))
    middle = (levels[(len(levels) - 1) // 2], levels[len(levels) // 2]) if levels else None
    return Spread(
        count=len(values),
        distribution=distribution,
        middle=middle,
        spread=(levels[-1] - levels[0]) if levels else None,
    )


@dataclass(frozen=True)
class QuestionRoom:
    question: Question
    spread: Spread
    consensus: int | str | None


def discussion_order(rooms: Sequence[QuestionRoom]) -> list[QuestionRoom]:
    """Return questions to discuss first first: open disagreements, then open ones with ratings, then the rest.

    Within each group questionnaire order is kept.
    """

    def rank(room: QuestionRoom) -> int:
        if room.consensus is not None:
            return 3
        if room.spread.disagreement:
            return 0
        return 1 if room.spread.count else 2

    return sorted(rooms, key=rank)


def new_join_code() -> str:
    """Return a short join code that reads well on a projector."""
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def normalize_join_code(text: str) -> str:
    """Return a typed join code in canonical form (upper case, no spaces or dashes)."""
    return "".join(ch for ch in text.upper() if ch.isalnum())


ANONYMOUS = "a participant"
"""How a comment is attributed when the facilitator hides names."""


def consensus_block(day: str, facilitator: str, note: str, comments: Sequence[tuple[str, str]]) -> str:
    """Return the dated, attributed block a consensus adds to an answer's note ("" when there is nothing to add).

    `comments` are (name, comment) pairs; the name is ANONYMOUS when names are hidden.
    """
    attributed = [f"- {name}: {comment.strip()}" for name, comment in comments if comment.strip()]
    if not note.strip() and not attributed:
        return ""
    lines = [f"Workshop of {day}, agreed answer recorded by {facilitator or 'the facilitator'}."]
    if note.strip():
        lines.append(f"Facilitator's note: {note.strip()}")
    if attributed:
        lines.append("Comments from the room:")
        lines.extend(attributed)
    return "\n".join(lines)


def agreed_answer(existing: Answer | None, value: Value, reason: str, block: str) -> Answer:
    """Return the assessment's answer after a consensus: the agreed value, the existing note with the
    workshop's block added (once: recording the same block again adds nothing), the existing evidence,
    and for not applicable the facilitator's own reason (else none)."""
    note = existing.note if existing is not None else ""
    if block and block not in note:
        note = f"{note.rstrip()}\n\n{block}" if note.strip() else block
    evidence = existing.evidence if existing is not None else ""
    return Answer(value, note, evidence, reason.strip() if value == NOT_APPLICABLE else "")


def consensus_problems(value: Value | None, reason: str, allow_na: bool) -> dict[str, str]:
    """Return field -> problem, in words for the facilitator, for an agreed answer ("value", "reason")."""
    if value is None:
        return {"value": "Choose the agreed level."}
    if value == NOT_APPLICABLE and not allow_na:
        return {"value": "Not applicable is not allowed for this question."}
    if value == NOT_APPLICABLE and not reason.strip():
        return {"reason": "Say why this does not apply: the reason goes into the assessment."}
    return {}

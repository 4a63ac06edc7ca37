"""Workshop arithmetic: how a room's ratings of one question spread, and which to discuss first."""

from __future__ import annotations

import secrets
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta

from assess.core.answers import NOT_APPLICABLE, UNKNOWN, is_level
from assess.core.limits import Window
from assess.core.questionnaire import Question

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
    """How the room rated one question."""

    count: int
    distribution: dict[str, int]
    median: int | None
    spread: int | None

    @property
    def disagreement(self) -> bool:
        return self.spread is not None and self.spread >= DISAGREEMENT_SPREAD


def spread_of(values: Iterable[int | str]) -> Spread:
    """Return count, distribution (levels 0-4, na, unknown), lower median and spread of the levels given."""
    values = list(values)
    distribution = {str(level): 0 for level in range(5)} | {NOT_APPLICABLE: 0, UNKNOWN: 0}
    for value in values:
        distribution[str(value)] += 1
    levels = sorted(v for v in values if isinstance(v, int) and is_level(v))
    return Spread(
        count=len(values),
        distribution=distribution,
        median=int(statistics.median_low(levels)) if levels else None,
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


def consensus_note(note: str, comments: Sequence[tuple[str, str]]) -> str:
    """Return the answer note recorded with a consensus: the facilitator's note, then each comment attributed."""
    lines = [note.strip()] if note.strip() else []
    attributed = [f"- {name}: {comment.strip()}" for name, comment in comments if comment.strip()]
    if attributed:
        lines.append("Workshop comments:\n" + "\n".join(attributed))
    return "\n\n".join(lines)

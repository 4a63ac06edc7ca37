"""Plain data for an organization's answers: the shapes the exchange format, the database and
scoring share."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

NOT_APPLICABLE = "na"
UNKNOWN = "unknown"
DEFAULT_TARGET = 3
MAX_TEXT = 5_000
"""The longest note, evidence, reason or profile text, the same in forms, exchange files and workbooks."""
MAX_OWNER = 200
"""The longest owner of an action, the same in forms and exchange files."""
ACTION_STATUSES = ("open", "in progress", "done")
"""An action's status, in the order work moves through them."""
DONE = "done"


@dataclass(frozen=True)
class Answer:
    """One answer: a level 0-4, ``"na"`` (with a reason) or ``"unknown"``, with a note and evidence."""

    value: int | str
    note: str = ""
    evidence: str = ""
    reason: str = ""

    def to_json(self) -> dict[str, Any]:
        """Return the answer as its exchange-format object (empty texts left out)."""
        out: dict[str, Any] = {"value": self.value}
        for name in ("note", "evidence", "reason"):
            if getattr(self, name):
                out[name] = getattr(self, name)
        return out


@dataclass(frozen=True)
class Rating:
    """One workshop participant's rating of one question; `participant` indexes the record's participants."""

    participant: int
    question: str
    value: int | str | None
    comment: str = ""


@dataclass(frozen=True)
class Agreement:
    """The answer a workshop agreed on for one question."""

    question: str
    value: int | str
    note: str = ""


@dataclass(frozen=True)
class WorkshopRecord:
    """Who rated what in one workshop, and what the room agreed."""

    opened_at: str
    closed_at: str | None = None
    clauses: tuple[str, ...] = ()
    participants: tuple[str, ...] = ()
    ratings: tuple[Rating, ...] = ()
    consensus: tuple[Agreement, ...] = ()


@dataclass(frozen=True)
class Assessment:
    questionnaire: str
    title: str
    target: int = DEFAULT_TARGET
    answers: Mapping[str, Answer] = field(default_factory=dict)
    workshops: tuple[WorkshopRecord, ...] = ()


@dataclass(frozen=True)
class Action:
    """One step of the organization's action plan, made from a gap of one question.

    `due` is a date YYYY-MM-DD or "" when not set; `status` one of ACTION_STATUSES; `priority` the
    gap's priority when the action was made; `assessment` the index in `Organization.assessments`
    of the round the gap came from, or None. Closing an action never changes an answer: the next
    round's answer does.
    """

    questionnaire: str
    question: str
    clause: str
    what: str
    priority: int = 0
    owner: str = ""
    due: str = ""
    status: str = "open"
    assessment: int | None = None


@dataclass(frozen=True)
class Organization:
    name: str
    profile: Mapping[str, Any] = field(default_factory=dict)
    assessments: tuple[Assessment, ...] = ()
    actions: tuple[Action, ...] = ()


def is_level(value: object) -> bool:
    """Return whether a value is an implementation level 0-4 (booleans are not levels)."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 4


def parse_value(raw: object) -> int | str | None:
    """Return an answer value from form or JSON input ("3", 3, "na", "unknown"), None if blank.

    Raises ValueError for anything else.
    """
    if raw is None or raw == "":
        return None
    if is_level(raw):
        return raw  # type: ignore[return-value]
    if isinstance(raw, str) and raw in ("0", "1", "2", "3", "4"):
        return int(raw)
    if raw in (NOT_APPLICABLE, UNKNOWN):
        return raw  # type: ignore[return-value]
    raise ValueError(raw)


def answer_problems(value: object, reason: str, allow_na: bool) -> dict[str, str]:
    """Return field -> problem for an answer that breaks the rules ("value", "reason"); {} if fine."""
    if not (is_level(value) or value in (NOT_APPLICABLE, UNKNOWN)):
        return {"value": 'must be 0..4, "na" or "unknown"'}
    if value == NOT_APPLICABLE:
        if not allow_na:
            return {"value": '"na" is not allowed for this question'}
        if not reason.strip():
            return {"reason": 'is required when the value is "na"'}
    return {}

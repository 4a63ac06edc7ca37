"""The one answer type and the plain data of an organization: what forms, the store, the exchange
format, workbooks, scoring and documents all pass around.

An answer's value is a level 0-4, ``"na"`` (not applicable, with a reason) or ``"unknown"`` (don't
know); `parse_value` reads it from any input, `storage_text`/`from_storage` are its one text form
in the database, and `assess.core.vocabulary` says how it reads.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from assess.core.checks import MAX_NAME, MAX_TEXT
from assess.core.vocabulary import ACTION_DONE, ACTION_STATUSES, NOT_APPLICABLE, UNKNOWN

__all__ = ["ACTION_DONE", "ACTION_STATUSES", "MAX_NAME", "MAX_TEXT", "NOT_APPLICABLE", "UNKNOWN"]

Value = int | str
"""A level 0-4, "na" or "unknown"."""

DEFAULT_TARGET = 3


@dataclass(frozen=True)
class Answer:
    """One answer: a level 0-4, ``"na"`` (with a reason) or ``"unknown"``, with a note and evidence.

    `value` is None while only a note or evidence has been typed (such an answer is stored but
    neither scored nor exported).
    """

    value: Value | None
    note: str = ""
    evidence: str = ""
    reason: str = ""

    def plain(self) -> Answer:
        """Return just the answer's four parts (without what a subclass adds, such as who stored it)."""
        return Answer(self.value, self.note, self.evidence, self.reason)

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
    """One round of one questionnaire: its title, target level, answers and workshop records."""

    questionnaire: str
    title: str
    target: int = DEFAULT_TARGET
    answers: Mapping[str, Answer] = field(default_factory=dict)
    workshops: tuple[WorkshopRecord, ...] = ()

    @property
    def values(self) -> dict[str, Value]:
        """Return question id -> value of the answers that have one: what scoring reads."""
        return values_of(self.answers)


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


def storage_text(value: Value | None) -> str | None:
    """Return the value as the database stores it ("0".."4", "na", "unknown"), None for no value."""
    return None if value is None else str(value)


def from_storage(text: str | None) -> Value | None:
    """Return the value the database text stands for (the inverse of `storage_text`)."""
    if text is None:
        return None
    return int(text) if text.isdigit() else text


def values_of(answers: Mapping[str, Answer]) -> dict[str, Value]:
    """Return question id -> value of the answers that have one: what scoring and show_if read."""
    return {qid: a.value for qid, a in answers.items() if a.value is not None}


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

"""The action plan: actions made from gaps, the order they are worked in, and which are overdue.

Plain functions over anything with an action's `priority`, `due` and `status` (the core `Action`
and the database's rows alike), so the web page and the gap report list them the same way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Protocol, TypeVar

from assess.core.answers import Action
from assess.core.scoring import Gap
from assess.core.vocabulary import ACTION_DONE


class Planned(Protocol):
    @property
    def priority(self) -> int: ...

    @property
    def due(self) -> str: ...

    @property
    def status(self) -> str: ...


P = TypeVar("P", bound=Planned)

MAX_PRIORITY = 1000
"""The highest priority an action may carry: a gap's is at most weight 3 x 4 levels x 2 for a key
practice (24); the bound keeps an imported number within what is stored and shown."""


def plan_order(actions: Iterable[P]) -> list[P]:
    """Return the actions highest priority first, then by due date (undated last), ties in the order given."""
    return sorted(actions, key=lambda a: (-a.priority, a.due == "", a.due))


def is_overdue(action: Planned, today: dt.date) -> bool:
    """Return whether the action has a due date before `today` and is not done."""
    return bool(action.due) and action.status != ACTION_DONE and action.due < today.isoformat()


def check_due(text: str) -> str:
    """Return a due date as YYYY-MM-DD ("" for none); raises ValueError for anything else."""
    text = text.strip()
    if text and dt.date.fromisoformat(text).isoformat() != text:
        raise ValueError(text)  # fromisoformat also takes 20261201 and week dates
    return text


def action_from_gap(gap: Gap, questionnaire: str, what: str = "", assessment: int | None = None) -> Action:
    """Return a new open action for a gap: its question, clause and priority, doing `what`
    (the gap's recommendation when blank)."""
    return Action(
        questionnaire=questionnaire,
        question=gap.question,
        clause=gap.clause,
        what=what.strip() or gap.recommendation,
        priority=gap.priority,
        assessment=assessment,
    )

"""The action plan: actions made from gaps, the order they are worked in, and which are overdue.

Plain functions over anything with an action's `priority`, `due` and `status` (the core `Action`
and the database's rows alike), so the web page and the gap report list them the same way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol, TypeVar

from assess.core.answers import Action
from assess.core.checks import MAX_NAME, MAX_TEXT, text_problem
from assess.core.revisions import value_token
from assess.core.scoring import Gap
from assess.core.vocabulary import ACTION_DONE, ACTION_STATUSES


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


@dataclass(frozen=True)
class ActionEdit:
    """What someone typed for one action of the plan table; `seen` is the version of the action
    they started from (`store.actions.ActionRow.version`), so a newer change is never overwritten."""

    id: int
    what: str
    owner: str
    due: str
    status: str
    seen: str = ""
    shown: str = ""
    """The `row_token` of the values the table showed for the action ("" when not known)."""

    @property
    def untouched(self) -> bool:
        """Whether the editor sent the action as the table showed it (so a newer change stands)."""
        return bool(self.shown) and self.shown == row_token(self.what, self.owner, self.due, self.status)


def row_token(what: str, owner: str, due: str, status: str) -> str:
    """Return the fingerprint of an action's editable values as the plan table shows them."""
    return value_token([what, owner, due, status])


def owner_due_problems(owner: str, due: str) -> dict[str, str]:
    """Return field -> what is wrong with an owner and a due date ({} when both are fine)."""
    problems = {}
    if len(owner) > MAX_NAME:
        problems["owner"] = f"At most {MAX_NAME} characters (this has {len(owner)})."
    elif problem := text_problem(owner, single_line=True):  # the one text check every way in shares
        problems["owner"] = f"The owner {problem}."
    try:
        check_due(due)
    except ValueError:
        problems["due"] = "Write the date as YYYY-MM-DD, for example 2027-03-31."
    return problems


def status_problem(status: str) -> str | None:
    """Return what is wrong with a status, or None when it is one of ACTION_STATUSES."""
    if status in ACTION_STATUSES:
        return None
    return "Choose " + ", ".join(ACTION_STATUSES[:-1]) + f" or {ACTION_STATUSES[-1]}."


def edit_problems(what: str, owner: str, due: str, status: str) -> dict[str, str]:
    """Return field -> what is wrong with an action's fields ({} when all are fine)."""
    problems = {}
    if not what.strip():
        problems["what"] = "Say what is to be done."
    elif len(what) > MAX_TEXT:
        problems["what"] = f"At most {MAX_TEXT} characters (this has {len(what)})."
    elif problem := text_problem(what):
        problems["what"] = f"The action {problem}."
    problems.update(owner_due_problems(owner, due))
    problem = status_problem(status)
    if problem:
        problems["status"] = problem
    return problems

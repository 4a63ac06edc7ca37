"""The action plan's use cases: making gaps actions (one or many at once) and saving the plan table."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from assess.core.actions import ActionEdit, action_from_gap
from assess.core.findings import first_things_first
from assess.core.questionnaire import QuestionBank
from assess.core.scoring import Gap
from assess.services.results import findings_of
from assess.store import actions
from assess.store.actions import ActionRow, EditConflict
from assess.store.answers import AssessmentRow
from assess.store.connection import Database, transaction


@dataclass(frozen=True)
class GapAction:
    """The action a gap is in: `created` when this call made it, else it was in the plan already.
    `action_id` is None when the question is not a gap of the assessment."""

    action_id: int | None
    created: bool


def add_gap_action(
    db: Database, bank: QuestionBank, assessment: AssessmentRow, question_id: str, what: str, author: str
) -> GapAction:
    """Make one gap of an assessment an action (its clause and priority come from the gap itself);
    a "don't know" is not a gap, so it never becomes an action."""
    questionnaire = bank.questionnaire(assessment.questionnaire)
    with transaction(db):  # checked and created under one lock: two clicks at once make one action
        existing = actions.open_actions_by_question(db, assessment.org_id, questionnaire.id).get(question_id)
        if existing is not None:
            return GapAction(existing.id, created=False)
        gap = next((g for g in findings_of(db, bank, assessment).gaps if g.question == question_id), None)
        if gap is None:
            return GapAction(None, created=False)
        action = action_from_gap(gap, questionnaire.id, what)
        return GapAction(actions.create_action(db, assessment.org_id, assessment.id, action, author), created=True)


@dataclass(frozen=True)
class GapChoice:
    """A gap on the "add gaps to the action plan" page, with the open action it already has, if any."""

    gap: Gap
    planned: ActionRow | None


def gaps_to_plan(db: Database, bank: QuestionBank, assessment: AssessmentRow) -> list[GapChoice]:
    """Return the assessment's gaps in the order to act on them (essential practices furthest
    below target first), each with its open action when it has one."""
    planned = actions.open_actions_by_question(db, assessment.org_id, assessment.questionnaire)
    gaps = findings_of(db, bank, assessment).gaps
    return [GapChoice(g, planned.get(g.question)) for g in first_things_first(gaps, assessment.target)]


@dataclass(frozen=True)
class AddedGaps:
    """What "add gaps to the action plan" did: the new actions' ids, and the chosen questions it
    left alone because they were planned meanwhile or are no longer gaps."""

    created: tuple[int, ...]
    already_planned: tuple[str, ...]
    not_gaps: tuple[str, ...]


def add_gap_actions(
    db: Database,
    bank: QuestionBank,
    assessment: AssessmentRow,
    question_ids: Sequence[str],
    *,
    owner: str,
    due: str,
    author: str,
) -> AddedGaps:
    """Make the chosen gaps actions in one transaction, each doing its recommendation, all with
    the same owner and due date (either may be ""); gaps already planned are not added twice."""
    chosen = list(dict.fromkeys(question_ids))
    with transaction(db):
        choices = {c.gap.question: c for c in gaps_to_plan(db, bank, assessment)}
        new = [choices[q] for q in chosen if q in choices and choices[q].planned is None]
        created = actions.create_actions(
            db,
            assessment.org_id,
            assessment.id,
            [replace(action_from_gap(c.gap, assessment.questionnaire), owner=owner, due=due) for c in new],
            author,
        )
    return AddedGaps(
        created=tuple(created),
        already_planned=tuple(q for q in chosen if q in choices and choices[q].planned is not None),
        not_gaps=tuple(q for q in chosen if q not in choices),
    )


def save_plan_table(db: Database, org_id: int, edits: Sequence[ActionEdit]) -> tuple[int, list[EditConflict]]:
    """Save the edited rows of the action plan table together; return (rows changed, conflicts),
    saving nothing when someone else changed or deleted one of the rows meanwhile."""
    return actions.save_action_edits(db, org_id, edits)

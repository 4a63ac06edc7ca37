"""The action plan's use cases: making a gap an action."""

from __future__ import annotations

from dataclasses import dataclass

from assess.core.actions import action_from_gap
from assess.core.questionnaire import QuestionBank
from assess.services.results import results_of
from assess.store import actions
from assess.store.answers import AssessmentRow
from assess.store.connection import Database


@dataclass(frozen=True)
class GapAction:
    """The action a gap is in: `created` when this call made it, else it was in the plan already.
    `action_id` is None when the question is not a gap of the assessment."""

    action_id: int | None
    created: bool


def add_gap_action(
    db: Database, bank: QuestionBank, assessment: AssessmentRow, question_id: str, what: str, author: str
) -> GapAction:
    """Make one gap of an assessment an action (its clause and priority come from the gap itself)."""
    questionnaire = bank.questionnaire(assessment.questionnaire)
    existing = actions.open_actions_by_question(db, assessment.org_id, questionnaire.id).get(question_id)
    if existing is not None:
        return GapAction(existing.id, created=False)
    gap = next((g for g in results_of(db, bank, assessment).gaps if g.question == question_id), None)
    if gap is None:
        return GapAction(None, created=False)
    action = action_from_gap(gap, questionnaire.id, what)
    return GapAction(actions.create_action(db, assessment.org_id, assessment.id, action, author), created=True)

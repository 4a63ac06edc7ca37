"""The results of a stored assessment: the one place a stored assessment is scored."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from assess.core.answers import values_of
from assess.core.questionnaire import Questionnaire
from assess.core.scoring import AssessmentResult, score_assessment
from assess.core.vocabulary import ACTION_DONE
from assess.store import actions, answers
from assess.store.answers import AssessmentRow
from assess.store.connection import Database


def results_of(db: Database, questionnaire: Questionnaire, row: AssessmentRow) -> AssessmentResult:
    """Return the scores, coverage and gaps of a stored assessment as its answers stand now."""
    return score_assessment(questionnaire, values_of(answers.get_answers(db, row.id)), row.target)


@dataclass(frozen=True)
class StandardSummary:
    """One standard on an organization's overview: its latest round (None when never assessed), that
    round's results, how many rounds there are, and the open actions of the standard."""

    questionnaire: Questionnaire
    latest: AssessmentRow | None
    result: AssessmentResult | None
    rounds: int
    open_actions: int


def standards_overview(db: Database, questionnaires: Iterable[Questionnaire], org_id: int) -> list[StandardSummary]:
    """Return, for every installed standard, the organization's latest round of it and its results."""
    rows = answers.list_assessments(db, org_id)
    open_actions: dict[str, int] = {}
    for action in actions.list_actions(db, org_id):
        if action.status != ACTION_DONE:
            open_actions[action.questionnaire] = open_actions.get(action.questionnaire, 0) + 1
    summaries = []
    for questionnaire in questionnaires:
        rounds = [r for r in rows if r.questionnaire == questionnaire.id]
        latest = rounds[-1] if rounds else None
        summaries.append(
            StandardSummary(
                questionnaire=questionnaire,
                latest=latest,
                result=results_of(db, questionnaire, latest) if latest is not None else None,
                rounds=len(rounds),
                open_actions=open_actions.get(questionnaire.id, 0),
            )
        )
    return summaries

"""The results of a stored assessment: the one place a stored assessment is scored."""

from __future__ import annotations

from assess.core.answers import values_of
from assess.core.questionnaire import Questionnaire
from assess.core.scoring import AssessmentResult, score_assessment
from assess.store import answers
from assess.store.answers import AssessmentRow
from assess.store.connection import Database


def results_of(db: Database, questionnaire: Questionnaire, row: AssessmentRow) -> AssessmentResult:
    """Return the scores, coverage and gaps of a stored assessment as its answers stand now."""
    return score_assessment(questionnaire, values_of(answers.get_answers(db, row.id)), row.target)

"""What a stored assessment found: its scores, its real gaps and what is still to find out."""

from __future__ import annotations

from dataclasses import dataclass

from assess.core.answers import values_of
from assess.core.findings import OpenQuestion, real_gaps, to_find_out
from assess.core.questionnaire import Questionnaire
from assess.core.scoring import AssessmentResult, Gap, score_assessment
from assess.store import answers
from assess.store.answers import AssessmentRow
from assess.store.connection import Database


@dataclass(frozen=True)
class Findings:
    """A stored assessment's result, its gaps answered below target (highest priority first) and
    its questions answered "don't know" or not at all (questionnaire order)."""

    result: AssessmentResult
    gaps: tuple[Gap, ...]
    to_find_out: tuple[OpenQuestion, ...]


def findings_of(db: Database, questionnaire: Questionnaire, row: AssessmentRow) -> Findings:
    """Return the findings of a stored assessment as its answers stand now."""
    values = values_of(answers.get_answers(db, row.id))
    result = score_assessment(questionnaire, values, row.target)
    return Findings(result=result, gaps=real_gaps(result), to_find_out=to_find_out(questionnaire, values, result))

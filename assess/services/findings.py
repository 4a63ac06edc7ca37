"""What a stored assessment found: its scores, its real gaps and what is still to find out."""

from __future__ import annotations

from dataclasses import dataclass

from assess.core.findings import OpenQuestion, real_gaps, to_find_out
from assess.core.questionnaire import QuestionBank
from assess.core.scoring import AssessmentResult, Gap, score_assessment
from assess.services.results import answer_values
from assess.store.answers import AssessmentRow
from assess.store.connection import Database


@dataclass(frozen=True)
class Findings:
    """A stored assessment's result, its gaps answered below target (highest priority first) and
    its questions answered "don't know" or not at all (questionnaire order)."""

    result: AssessmentResult
    gaps: tuple[Gap, ...]
    to_find_out: tuple[OpenQuestion, ...]


def findings_of(db: Database, bank: QuestionBank, row: AssessmentRow) -> Findings:
    """Return the findings of a stored assessment as its answers stand now (shared answers included)."""
    questionnaire = bank.questionnaire(row.questionnaire)
    values = answer_values(db, bank, row)
    result = score_assessment(questionnaire, values, row.target)
    return Findings(result=result, gaps=real_gaps(result), to_find_out=to_find_out(questionnaire, values, result))

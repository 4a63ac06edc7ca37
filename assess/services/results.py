"""The results of a stored assessment: the one place a stored assessment is scored.

Its values are its own answers, plus the answers it takes from twin questions of other banks
(`same_as`) in the organization's latest assessment of that other questionnaire.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from assess.core.answers import Answer, Assessment, Value
from assess.core.findings import real_gaps, to_find_out
from assess.core.questionnaire import QuestionBank, Questionnaire
from assess.core.scoring import AssessmentResult, score_assessment
from assess.core.shared import SharedAnswer, shared_answers, twins
from assess.core.vocabulary import ACTION_DONE
from assess.store import actions, answers
from assess.store.answers import AssessmentRow
from assess.store.connection import Database


def shared_for(
    db: Database, bank: QuestionBank, row: AssessmentRow, own: Mapping[str, Answer] | None = None
) -> dict[str, SharedAnswer]:
    """Return the answers the assessment takes from its twins (question id -> where from).

    Only the latest round of a questionnaire takes them, from the latest round of the other: an
    earlier round keeps the answers it had.
    """
    questionnaire = bank.questionnaire(row.questionnaire)
    linked = twins(bank)
    wanted = {t.questionnaire for q in questionnaire.questions for t in linked.get(q.id, ())}
    if not wanted:
        return {}
    latest: dict[str, AssessmentRow] = {}
    for other in answers.list_assessments(db, row.org_id):
        latest[other.questionnaire] = other
    if latest[row.questionnaire].id != row.id:
        return {}
    latest = {q: r for q, r in latest.items() if q in wanted}
    others = {
        q: Assessment(r.questionnaire, r.title, r.target, answers.get_answers(db, r.id)) for q, r in latest.items()
    }
    mine = Assessment(
        row.questionnaire, row.title, row.target, own if own is not None else answers.get_answers(db, row.id)
    )
    return shared_answers(bank, mine, others)


def answer_values(
    db: Database, bank: QuestionBank, row: AssessmentRow, own: Mapping[str, Answer] | None = None
) -> dict[str, Value]:
    """Return question id -> value of the assessment's answers, its own and those shared from twins."""
    own = own if own is not None else answers.get_answers(db, row.id)
    values = {qid: a.value for qid, a in own.items() if a.value is not None}
    for qid, shared in shared_for(db, bank, row, own).items():
        if shared.answer.value is not None:
            values[qid] = shared.answer.value
    return values


def results_of(db: Database, bank: QuestionBank, row: AssessmentRow) -> AssessmentResult:
    """Return the scores, coverage and gaps of a stored assessment as its answers stand now."""
    return score_assessment(bank.questionnaire(row.questionnaire), answer_values(db, bank, row), row.target)


@dataclass(frozen=True)
class StandardSummary:
    """One standard on an organization's overview: its latest round (None when never assessed), that
    round's results, how many rounds there are, and the open actions of the standard."""

    questionnaire: Questionnaire
    latest: AssessmentRow | None
    result: AssessmentResult | None
    rounds: int
    open_actions: int
    gaps: int = 0
    """Practices answered below target (a don't know is not one: it is counted in `to_find_out`)."""
    to_find_out: int = 0


def standards_overview(db: Database, bank: QuestionBank, org_id: int) -> list[StandardSummary]:
    """Return, for every installed standard (by number), the organization's latest round of it and its results."""
    rows = answers.list_assessments(db, org_id)
    open_actions: dict[str, int] = {}
    for action in actions.list_actions(db, org_id):
        if action.status != ACTION_DONE:
            open_actions[action.questionnaire] = open_actions.get(action.questionnaire, 0) + 1
    summaries = []
    for questionnaire in sorted(bank.questionnaires.values(), key=lambda q: (q.standard, q.edition)):
        rounds = [r for r in rows if r.questionnaire == questionnaire.id]
        latest = rounds[-1] if rounds else None
        result, gaps, still_open = None, 0, 0
        if latest is not None:
            values = answer_values(db, bank, latest)
            result = score_assessment(questionnaire, values, latest.target)
            gaps, still_open = len(real_gaps(result)), len(to_find_out(questionnaire, values, result))
        summaries.append(
            StandardSummary(
                questionnaire=questionnaire,
                latest=latest,
                result=result,
                rounds=len(rounds),
                open_actions=open_actions.get(questionnaire.id, 0),
                gaps=gaps,
                to_find_out=still_open,
            )
        )
    return summaries

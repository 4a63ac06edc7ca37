"""The results of a stored assessment: the one place a stored assessment is scored.

Its values are its own answers, plus the answers it takes from twin questions of other banks
(`same_as`) in the organization's latest assessment of that other questionnaire.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from assess.core.answers import Answer, Assessment, Value
from assess.core.findings import OpenQuestion, real_gaps, to_find_out
from assess.core.questionnaire import QuestionBank, Questionnaire
from assess.core.scoring import AssessmentResult, Gap, score_assessment
from assess.core.shared import SharedAnswer, shared_answers, twins
from assess.core.vocabulary import ACTION_DONE
from assess.store import actions, answers
from assess.store.answers import AssessmentRow
from assess.store.connection import Database

Rows = Sequence[AssessmentRow] | None
"""The organization's assessments, oldest first, when the caller has read them already (else None)."""


def shared_for(
    db: Database,
    bank: QuestionBank,
    row: AssessmentRow,
    own: Mapping[str, Answer] | None = None,
    rows: Rows = None,
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
    for other in rows if rows is not None else answers.list_assessments(db, row.org_id):
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
    db: Database,
    bank: QuestionBank,
    row: AssessmentRow,
    own: Mapping[str, Answer] | None = None,
    rows: Rows = None,
    shared: Mapping[str, SharedAnswer] | None = None,
) -> dict[str, Value]:
    """Return question id -> value of the assessment's answers, its own and those shared from twins
    (`shared`: what `shared_for` gave for these answers, when the caller has it already)."""
    own = own if own is not None else answers.get_answers(db, row.id)
    values = {qid: a.value for qid, a in own.items() if a.value is not None}
    if shared is None:
        shared = shared_for(db, bank, row, own, rows)
    for qid, shared_answer in shared.items():
        if shared_answer.answer.value is not None:
            values[qid] = shared_answer.answer.value
    return values


def results_of(db: Database, bank: QuestionBank, row: AssessmentRow, rows: Rows = None) -> AssessmentResult:
    """Return the scores, coverage and gaps of a stored assessment as its answers stand now."""
    return score_assessment(bank.questionnaire(row.questionnaire), answer_values(db, bank, row, rows=rows), row.target)


@dataclass(frozen=True)
class Findings:
    """A stored assessment's result, its gaps answered below target (highest priority first) and
    its questions answered "don't know" or not at all (questionnaire order)."""

    result: AssessmentResult
    gaps: tuple[Gap, ...]
    to_find_out: tuple[OpenQuestion, ...]


def findings_of(db: Database, bank: QuestionBank, row: AssessmentRow, rows: Rows = None) -> Findings:
    """Return the findings of a stored assessment as its answers stand now (shared answers included)."""
    questionnaire = bank.questionnaire(row.questionnaire)
    values = answer_values(db, bank, row, rows=rows)
    result = score_assessment(questionnaire, values, row.target)
    return Findings(result=result, gaps=real_gaps(result), to_find_out=to_find_out(questionnaire, values, result))


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


def standards_overview(db: Database, bank: QuestionBank, org_id: int, rows: Rows = None) -> list[StandardSummary]:
    """Return, for every installed standard (by number), the organization's latest round of it and its results."""
    rows = rows if rows is not None else answers.list_assessments(db, org_id)
    open_actions: dict[str, int] = {}
    for action in actions.list_actions(db, org_id):
        if action.status != ACTION_DONE:
            open_actions[action.questionnaire] = open_actions.get(action.questionnaire, 0) + 1
    summaries = []
    for questionnaire in sorted(bank.questionnaires.values(), key=lambda q: (q.standard, q.edition)):
        rounds = [r for r in rows if r.questionnaire == questionnaire.id]
        latest = rounds[-1] if rounds else None
        found = findings_of(db, bank, latest, rows) if latest is not None else None
        summaries.append(
            StandardSummary(
                questionnaire=questionnaire,
                latest=latest,
                result=found.result if found else None,
                rounds=len(rounds),
                open_actions=open_actions.get(questionnaire.id, 0),
                gaps=len(found.gaps) if found else 0,
                to_find_out=len(found.to_find_out) if found else 0,
            )
        )
    return summaries

"""Practices asked in two banks (`same_as`): the organization answers once, and the answer counts in both.

A question's own answer always wins. A question left unanswered in the latest assessment of its
questionnaire takes the answer its twin has in the organization's latest assessment of the other
questionnaire, and the pages say where that answer comes from.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from assess.core.answers import Answer, Assessment, Organization
from assess.core.questionnaire import QuestionBank


@dataclass(frozen=True)
class Twin:
    """The same practice in another bank: its questionnaire and question."""

    questionnaire: str
    question: str


@dataclass(frozen=True)
class SharedAnswer:
    """An answer one assessment takes from its twin question in another assessment of the organization."""

    answer: Answer
    questionnaire: str
    question: str
    assessment: str


def twins(bank: QuestionBank) -> dict[str, tuple[Twin, ...]]:
    """Return question id -> the same practice in the other banks (both directions of every `same_as`)."""
    owner = {q.id: questionnaire.id for questionnaire in bank.questionnaires.values() for q in questionnaire.questions}
    groups: dict[str, set[str]] = {}
    for questionnaire in bank.questionnaires.values():
        for question in questionnaire.questions:
            if question.same_as is not None and question.same_as in owner:
                group = groups.setdefault(question.same_as, {question.same_as})
                group.add(question.id)
    linked: dict[str, tuple[Twin, ...]] = {}
    for group in groups.values():
        for qid in group:
            linked[qid] = tuple(Twin(owner[o], o) for o in sorted(group) if o != qid and owner[o] != owner[qid])
    return linked


def latest_of(assessments: Iterable[Assessment]) -> dict[str, Assessment]:
    """Return questionnaire id -> the last of the given assessments of it."""
    found: dict[str, Assessment] = {}
    for assessment in assessments:
        found[assessment.questionnaire] = assessment
    return found


def shared_answers(
    bank: QuestionBank, assessment: Assessment, others: Mapping[str, Assessment]
) -> dict[str, SharedAnswer]:
    """Return the answers `assessment` takes from its twins: question id -> where from, for each of its
    questions without an answer of its own whose twin is answered in `others` (questionnaire -> assessment)."""
    linked = twins(bank)
    taken: dict[str, SharedAnswer] = {}
    questionnaire = bank.questionnaires.get(assessment.questionnaire)
    if questionnaire is None:
        return taken
    for question in questionnaire.questions:
        own = assessment.answers.get(question.id)
        if own is not None and own.value is not None:
            continue
        for twin in linked.get(question.id, ()):
            source = others.get(twin.questionnaire)
            if source is None:
                continue
            answer = source.answers.get(twin.question)
            if answer is not None and answer.value is not None:
                taken[question.id] = SharedAnswer(answer.plain(), twin.questionnaire, twin.question, source.title)
                break
    return taken


def with_shared_answers(bank: QuestionBank, org: Organization) -> Organization:
    """Return the organization with the latest assessment of each questionnaire having its unanswered
    twins filled in from the latest assessment of the other (for scoring and documents; never for
    export). Earlier rounds keep the answers they had."""
    latest = latest_of(org.assessments)
    filled = []
    for assessment in org.assessments:
        if latest[assessment.questionnaire] is not assessment:
            filled.append(assessment)
            continue
        shared = shared_answers(bank, assessment, latest)
        if shared:
            assessment = replace(assessment, answers={**assessment.answers, **{q: s.answer for q, s in shared.items()}})
        filled.append(assessment)
    return replace(org, assessments=tuple(filled))

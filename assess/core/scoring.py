"""Scores, maturity, coverage and gaps of one assessment, exactly as DESIGN.md specifies.

Over the visible questions (their `show_if` holds, or they have none):
- a level v in 0..4 adds ``weight * v / 4`` to the numerator and ``weight`` to the denominator;
  ``unknown`` counts as v = 0; ``na`` and unanswered questions count in neither;
- a clause's score is numerator / denominator over its questions and every clause below it, as a
  percentage rounded to one decimal, ``None`` when the denominator is 0;
- maturity = ``min(5, 1 + floor(score / 20))``, ``None`` with the score;
- coverage = answered (level, unknown or na) / visible questions;
- a gap is a visible question answered ``unknown`` or below the target; its priority is
  ``weight * (target - v) * (2 if key else 1)``; highest first, ties in questionnaire order.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from assess.core.answers import DEFAULT_TARGET, NOT_APPLICABLE, UNKNOWN, is_level
from assess.core.conditions import AnswerValue
from assess.core.questionnaire import Clause, Question, Questionnaire
from assess.core.vocabulary import MATURITY_STEP, PRIORITY_HIGH_FROM, PRIORITY_MEDIUM_FROM

CURRENT = "current"
PREVIOUS = "previous"
HIGH, MEDIUM, LOW = "High", "Medium", "Low"


@dataclass(frozen=True)
class ClauseScore:
    ref: str
    title: str
    depth: int
    score: float | None
    maturity: int | None
    coverage: float | None
    answered: int
    visible: int
    previous_ref: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "ref": self.ref,
            "title": self.title,
            "previous_ref": self.previous_ref,
            "score": self.score,
            "maturity": self.maturity,
            "coverage": self.coverage,
        }


@dataclass(frozen=True)
class Gap:
    question: str
    clause: str
    value: int | str
    priority: int
    recommendation: str
    text: str
    key: bool
    weight: int
    previous_clause: str | None = None

    def to_json(self, edition: str = CURRENT) -> dict[str, Any]:
        clause = self.previous_clause if edition == PREVIOUS else self.clause
        return {
            "question": self.question,
            "clause": clause,
            "value": self.value,
            "priority": self.priority,
            "recommendation": self.recommendation,
        }


@dataclass(frozen=True)
class AssessmentResult:
    questionnaire: str
    target: int
    score: float | None
    maturity: int | None
    coverage: float | None
    answered: int
    visible: int
    clauses: tuple[ClauseScore, ...]
    gaps: tuple[Gap, ...]
    visible_questions: frozenset[str]
    previous_clauses: tuple[ClauseScore, ...] = ()

    def clause(self, ref: str) -> ClauseScore:
        """Return the score of the clause with this ref; raises KeyError."""
        for c in self.clauses:
            if c.ref == ref:
                return c
        raise KeyError(ref)

    def to_json(self, edition: str = CURRENT) -> dict[str, Any]:
        """Return the result in the `assess score --json` shape."""
        clauses = self.previous_clauses if edition == PREVIOUS else self.clauses
        return {
            "questionnaire": self.questionnaire,
            "score": self.score,
            "maturity": self.maturity,
            "coverage": self.coverage,
            "clauses": [c.to_json() for c in clauses],
            "gaps": [g.to_json(edition) for g in self.gaps],
        }


def maturity_of(score: float | None) -> int | None:
    """Return the maturity level 1-5 for a percentage score, or None for no score."""
    if score is None:
        return None
    return min(5, 1 + math.floor(score / MATURITY_STEP))


def priority_band(priority: int) -> str:
    """Return High (12 or more), Medium (6-11) or Low (below 6) for a gap's priority number."""
    return HIGH if priority >= PRIORITY_HIGH_FROM else MEDIUM if priority >= PRIORITY_MEDIUM_FROM else LOW


def visible_questions(questionnaire: Questionnaire, values: Mapping[str, AnswerValue]) -> frozenset[str]:
    """Return the ids of the questions whose `show_if` holds (or that have none).

    Conditions only name earlier questions, so one pass in document order settles them; the
    answer to a hidden question is invisible to later conditions too.
    """
    seen: dict[str, AnswerValue] = {}
    visible = set()
    for question in questionnaire.questions:
        if question.show_if is None or question.show_if.holds(seen):
            visible.add(question.id)
            if question.id in values:
                seen[question.id] = values[question.id]
    return frozenset(visible)


def _level_for_scoring(value: AnswerValue) -> int | None:
    if value == UNKNOWN:
        return 0
    if is_level(value):
        assert isinstance(value, int)
        return value
    return None


def _aggregate(
    questions: Iterable[Question],
    values: Mapping[str, AnswerValue],
    visible: frozenset[str],
) -> tuple[float | None, float | None, int, int]:
    numerator = 0.0
    denominator = 0
    answered = 0
    shown = 0
    for question in questions:
        if question.id not in visible:
            continue
        shown += 1
        value = values.get(question.id)
        if value is None:
            continue
        answered += 1
        level = _level_for_scoring(value)
        if level is not None:
            numerator += question.weight * level / 4
            denominator += question.weight
    score = round(100 * numerator / denominator, 1) if denominator else None
    coverage = answered / shown if shown else None
    return score, coverage, answered, shown


def _scored(
    questions: Iterable[Question],
    values: Mapping[str, AnswerValue],
    visible: frozenset[str],
    *,
    ref: str,
    title: str,
    depth: int,
    previous_ref: str | None,
) -> ClauseScore:
    score, coverage, answered, shown = _aggregate(questions, values, visible)
    return ClauseScore(
        ref=ref,
        title=title,
        depth=depth,
        score=score,
        maturity=maturity_of(score),
        coverage=coverage,
        answered=answered,
        visible=shown,
        previous_ref=previous_ref,
    )


def _walk_with_depth(clauses: Iterable[Clause], depth: int = 0) -> Iterable[tuple[Clause, int]]:
    for clause in clauses:
        yield clause, depth
        yield from _walk_with_depth(clause.clauses, depth + 1)


def _ref_key(ref: str) -> tuple[int, ...]:
    return tuple(int(part) for part in ref.split("."))


def previous_clause_of(questionnaire: Questionnaire) -> dict[str, str | None]:
    """Return question id -> the previous edition's clause number of its nearest mapped clause."""
    mapping: dict[str, str | None] = {}

    def visit(clause: Clause, inherited: str | None) -> None:
        own = clause.previous_ref or inherited
        for question in clause.questions:
            mapping[question.id] = own
        for child in clause.clauses:
            visit(child, own)

    for top in questionnaire.clauses:
        visit(top, None)
    return mapping


def _previous_edition_scores(
    questionnaire: Questionnaire,
    values: Mapping[str, AnswerValue],
    visible: frozenset[str],
) -> tuple[ClauseScore, ...]:
    """Scores keyed by the previous edition's clause numbers.

    A previous clause P covers the questions of every current clause whose previous_ref is P,
    with the clauses below them; each question counts once per P.
    """
    groups: dict[str, dict[str, Question]] = {}
    titles: dict[str, str] = {}
    for clause in questionnaire.all_clauses():
        if clause.previous_ref is None:
            continue
        group = groups.setdefault(clause.previous_ref, {})
        for question in clause.all_questions():
            group.setdefault(question.id, question)
        titles.setdefault(clause.previous_ref, clause.title)
    scores = []
    for ref in sorted(groups, key=_ref_key):
        scores.append(
            _scored(
                groups[ref].values(),
                values,
                visible,
                ref=ref,
                title=titles[ref],
                depth=ref.count("."),
                previous_ref=ref,
            )
        )
    return tuple(scores)


def gaps_by_priority(
    questionnaire: Questionnaire,
    values: Mapping[str, AnswerValue],
    visible: frozenset[str],
    target: int = DEFAULT_TARGET,
) -> tuple[Gap, ...]:
    """Return the gaps, highest priority first, ties in questionnaire order."""
    previous = previous_clause_of(questionnaire)
    gaps = []
    for question in questionnaire.questions:
        if question.id not in visible:
            continue
        value = values.get(question.id)
        if value is None or value == NOT_APPLICABLE:
            continue
        level = _level_for_scoring(value)
        if level is None or (value != UNKNOWN and level >= target):
            continue
        priority = question.weight * (target - level) * (2 if question.key else 1)
        gaps.append(
            Gap(
                question=question.id,
                clause=question.clause_ref,
                value=value,
                priority=priority,
                recommendation=question.recommendation,
                text=question.text,
                key=question.key,
                weight=question.weight,
                previous_clause=previous.get(question.id),
            )
        )
    # sorted() is stable, so equal priorities keep questionnaire order
    return tuple(sorted(gaps, key=lambda g: -g.priority))


def score_assessment(
    questionnaire: Questionnaire,
    values: Mapping[str, AnswerValue],
    target: int = DEFAULT_TARGET,
) -> AssessmentResult:
    """Return the scores of the standard and every clause, coverage and gaps of one assessment.

    `values` maps question ids to answer values (0-4, "na", "unknown"; see `Assessment.values` and
    `values_of`); values of questions the questionnaire does not have are ignored.
    """
    visible = visible_questions(questionnaire, values)
    score, coverage, answered, shown = _aggregate(questionnaire.questions, values, visible)
    clauses = tuple(
        _scored(
            clause.all_questions(),
            values,
            visible,
            ref=clause.ref,
            title=clause.title,
            depth=depth,
            previous_ref=clause.previous_ref,
        )
        for clause, depth in _walk_with_depth(questionnaire.clauses)
    )
    return AssessmentResult(
        questionnaire=questionnaire.id,
        target=target,
        score=score,
        maturity=maturity_of(score),
        coverage=coverage,
        answered=answered,
        visible=shown,
        clauses=clauses,
        gaps=gaps_by_priority(questionnaire, values, visible, target),
        visible_questions=visible,
        previous_clauses=_previous_edition_scores(questionnaire, values, visible),
    )

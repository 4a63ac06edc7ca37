"""What an assessment found, as people act on it: gaps apart from what is still to find out.

`score_assessment` keeps the contract of DESIGN.md (a "don't know" is a gap of level 0, which
`assess score --json` prints). Reports and pages tell a different, truer story from the same
result: a gap is a practice *answered* below the target; a "don't know" or an unanswered question
is something to find out, listed with who might know, and never ranked among the priorities.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from assess.core.answers import UNKNOWN, is_level
from assess.core.conditions import AnswerValue
from assess.core.questionnaire import Questionnaire
from assess.core.scoring import AssessmentResult, Gap


def is_real_gap(gap: Gap) -> bool:
    """Return whether the gap is a practice answered with a level below target (not a "don't know")."""
    return is_level(gap.value)


def real_gaps(result: AssessmentResult) -> tuple[Gap, ...]:
    """Return the result's gaps answered with a level, in the result's order (highest priority first)."""
    return tuple(g for g in result.gaps if is_real_gap(g))


def shortfall(gap: Gap, target: int) -> int:
    """Return how many levels a real gap is below the target."""
    assert isinstance(gap.value, int)
    return target - gap.value


def first_things_first(gaps: Iterable[Gap], target: int) -> list[Gap]:
    """Return real gaps in the order to act on them: essential practices first, then those
    furthest below target, then by priority number; ties keep the order given."""
    return sorted((g for g in gaps if is_real_gap(g)), key=lambda g: (not g.key, -shortfall(g, target), -g.priority))


# Who is likely to know the answer to a question, by the clause it sits in (the longest listed
# prefix wins). Roles are named as most organizations have them; each table starts at "" so every
# clause has someone.
COMPLAINTS_MANAGER = "Complaints manager"
TOP_MANAGEMENT = "Top management"
QUALITY_MANAGER = "Quality manager"
FRONT_LINE = "Customer-service team leader"
OPERATIONS = "Operations manager"
DATA_PROTECTION = "Data protection officer"
LEGAL = "Legal or compliance adviser"
TRAINING = "HR or training lead"
FINANCE = "Finance manager"
CODE_OWNER = "Code of conduct owner"
DISPUTE_OWNER = "Dispute-resolution lead"
AUDITOR = "Internal auditor"

WHO_MIGHT_KNOW: Mapping[str, Mapping[str, str]] = {
    "ISO 10001": {
        "": CODE_OWNER,
        "4.2": TOP_MANAGEMENT,
        "4.3": OPERATIONS,
        "4.5": FRONT_LINE,
        "4.7": LEGAL,
        "4.8": LEGAL,
        "4.10": DATA_PROTECTION,
        "4.12": TRAINING,
        "5": TOP_MANAGEMENT,
        "5.3": COMPLAINTS_MANAGER,
        "6.8": FINANCE,
        "7": FRONT_LINE,
        "8": QUALITY_MANAGER,
        "8.4": TOP_MANAGEMENT,
    },
    "ISO 10002": {
        "": COMPLAINTS_MANAGER,
        "4.3": OPERATIONS,
        "4.5": FRONT_LINE,
        "4.8": FINANCE,
        "4.10": DATA_PROTECTION,
        "4.14": TRAINING,
        "5": TOP_MANAGEMENT,
        "5.4": COMPLAINTS_MANAGER,
        "6.4": FINANCE,
        "7": FRONT_LINE,
        "7.5": COMPLAINTS_MANAGER,
        "7.6": COMPLAINTS_MANAGER,
        "8": QUALITY_MANAGER,
        "8.5": AUDITOR,
        "8.6": TOP_MANAGEMENT,
    },
    "ISO 10003": {
        "": DISPUTE_OWNER,
        "4.6": LEGAL,
        "4.7": FINANCE,
        "4.9": LEGAL,
        "4.12": DATA_PROTECTION,
        "5": TOP_MANAGEMENT,
        "6.4": FINANCE,
        "7.2": FRONT_LINE,
        "8": QUALITY_MANAGER,
        "8.4": TOP_MANAGEMENT,
    },
}
DEFAULT_ROLE = QUALITY_MANAGER


def who_might_know(standard: str, clause: str) -> str:
    """Return the role most likely to know how a practice of this clause is done."""
    table = WHO_MIGHT_KNOW.get(standard)
    if table is None:
        return DEFAULT_ROLE
    parts = clause.split(".")
    for length in range(len(parts), 0, -1):
        role = table.get(".".join(parts[:length]))
        if role is not None:
            return role
    return table[""]


@dataclass(frozen=True)
class OpenQuestion:
    """A visible question answered "don't know" (`value` ``"unknown"``) or not answered (None)."""

    question: str
    clause: str
    text: str
    value: str | None
    key: bool
    role: str


def to_find_out(
    questionnaire: Questionnaire, values: Mapping[str, AnswerValue], result: AssessmentResult
) -> tuple[OpenQuestion, ...]:
    """Return the visible questions answered "don't know" or not at all, in questionnaire order,
    each with who might know."""
    found = []
    for question in questionnaire.questions:
        if question.id not in result.visible_questions:
            continue
        value = values.get(question.id)
        if value is not None and value != UNKNOWN:
            continue
        found.append(
            OpenQuestion(
                question=question.id,
                clause=question.clause_ref,
                text=question.text,
                value=None if value is None else UNKNOWN,
                key=question.key,
                role=who_might_know(questionnaire.standard, question.clause_ref),
            )
        )
    return tuple(found)

"""Progress between assessment rounds of one questionnaire: clause by clause, gap by gap, over time.

Each round is scored on its own with its own target (`score_assessment`), then the results are set
side by side:
- a clause's change is the after score minus the before score, ``None`` when either is ``None``;
- a gap is a practice answered with a level below target (`findings.real_gaps`): a "don't know"
  is something to find out, never a gap, so it is neither closed, new nor remaining;
- a gap is closed when the question is a gap in the earlier round and not in the later one, because
  it is now answered at or above the later round's target, is not applicable, or is hidden by its
  `show_if`; a gap whose question is not answered yet, or answered "don't know", in the later round
  is *unanswered*, never closed, so an unfinished round does not look like progress;
- a gap is new when it is a gap in the later round only, and remaining when it is one in both.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from assess.core.answers import NOT_APPLICABLE, UNKNOWN, Assessment
from assess.core.conditions import AnswerValue
from assess.core.findings import real_gaps
from assess.core.questionnaire import Questionnaire
from assess.core.scoring import AssessmentResult, Gap, score_assessment

UP, DOWN, SAME = "up", "down", "same"
CLOSED_AT_TARGET = "at target"
CLOSED_NOT_APPLICABLE = "not applicable"
CLOSED_HIDDEN = "hidden"


class ComparisonError(ValueError):
    """Rounds that cannot be compared: they are not assessments of the questionnaire given."""


@dataclass(frozen=True)
class ClauseChange:
    """One clause (any level) in both rounds."""

    ref: str
    title: str
    depth: int
    score_before: float | None
    score_after: float | None
    maturity_before: int | None
    maturity_after: int | None
    change: float | None


@dataclass(frozen=True)
class ClosedGap:
    """A gap of the earlier round that is no longer one; `how` is one of the CLOSED_* constants."""

    gap: Gap
    value_after: AnswerValue
    how: str


@dataclass(frozen=True)
class RemainingGap:
    """A question that is a gap in both rounds, with its value and priority in each."""

    question: str
    clause: str
    text: str
    recommendation: str
    key: bool
    value_before: int | str
    value_after: int | str
    priority_before: int
    priority_after: int

    @property
    def priority_change(self) -> int:
        """Return the after priority minus the before priority (negative is better)."""
        return self.priority_after - self.priority_before


@dataclass(frozen=True)
class RoundComparison:
    questionnaire: str
    title_before: str
    title_after: str
    target_before: int
    target_after: int
    score_before: float | None
    score_after: float | None
    maturity_before: int | None
    maturity_after: int | None
    change: float | None
    clauses: tuple[ClauseChange, ...]
    gaps_closed: tuple[ClosedGap, ...]
    gaps_new: tuple[Gap, ...]
    gaps_remaining: tuple[RemainingGap, ...]
    gaps_unanswered: tuple[Gap, ...]


@dataclass(frozen=True)
class ClauseTrend:
    """Scores of one top-level clause in round order; `ref` is None for the whole standard."""

    ref: str | None
    title: str
    scores: tuple[float | None, ...]


def score_change(before: float | None, after: float | None) -> float | None:
    """Return after minus before, rounded to one decimal like the scores, or None if either is None."""
    if before is None or after is None:
        return None
    return round(after - before, 1)


def direction(change: float | None) -> str | None:
    """Return UP, DOWN or SAME for a score change, or None when there is no change to tell."""
    if change is None:
        return None
    return UP if change > 0 else DOWN if change < 0 else SAME


def change_text(change: float | None) -> str:
    """Return a score change in words that need no colour, e.g. ``+12.5 points, up``, ``no change``,
    or an en dash when either round has no score."""
    way = direction(change)
    if way is None:
        return "\u2013"
    if way == SAME:
        return "no change"
    return f"{change:+.1f} points, {way}".replace("-", "\u2212")


def _score_round(questionnaire: Questionnaire, assessment: Assessment) -> AssessmentResult:
    if assessment.questionnaire != questionnaire.id:
        raise ComparisonError(
            f"assessment {assessment.title!r} is of {assessment.questionnaire}, not {questionnaire.id}"
        )
    return score_assessment(questionnaire, assessment.values, assessment.target)


def _how_closed(value: AnswerValue, visible: bool) -> str | None:
    """Return how a former gap was closed, given its later value and visibility, or None if it is not."""
    if not visible:
        return CLOSED_HIDDEN
    if value == NOT_APPLICABLE:
        return CLOSED_NOT_APPLICABLE
    if value is None or value == UNKNOWN:
        return None  # not answered, or "don't know": to find out again, not closed
    return CLOSED_AT_TARGET


def compare_rounds(questionnaire: Questionnaire, before: Assessment, after: Assessment) -> RoundComparison:
    """Return the clause scores and gaps of two rounds side by side; raises ComparisonError when
    either assessment is not of `questionnaire`."""
    first = _score_round(questionnaire, before)
    second = _score_round(questionnaire, after)
    # a "don't know" is something to find out, never a gap: it is neither closed, new nor remaining
    first_gaps, second_gaps = real_gaps(first), real_gaps(second)
    gaps_after = {g.question: g for g in second_gaps}
    gaps_before = {g.question: g for g in first_gaps}
    closed: list[ClosedGap] = []
    unanswered: list[Gap] = []
    remaining: list[RemainingGap] = []
    for gap in first_gaps:
        if gap.question in gaps_after:
            continue
        value = after.answers[gap.question].value if gap.question in after.answers else None
        how = _how_closed(value, gap.question in second.visible_questions)
        if how is None:
            unanswered.append(gap)
        else:
            closed.append(ClosedGap(gap=gap, value_after=value, how=how))
    for gap in second_gaps:
        earlier = gaps_before.get(gap.question)
        if earlier is not None:
            remaining.append(
                RemainingGap(
                    question=gap.question,
                    clause=gap.clause,
                    text=gap.text,
                    recommendation=gap.recommendation,
                    key=gap.key,
                    value_before=earlier.value,
                    value_after=gap.value,
                    priority_before=earlier.priority,
                    priority_after=gap.priority,
                )
            )
    clauses = tuple(
        ClauseChange(
            ref=a.ref,
            title=a.title,
            depth=a.depth,
            score_before=a.score,
            score_after=b.score,
            maturity_before=a.maturity,
            maturity_after=b.maturity,
            change=score_change(a.score, b.score),
        )
        for a, b in zip(first.clauses, second.clauses, strict=True)
    )
    return RoundComparison(
        questionnaire=questionnaire.id,
        title_before=before.title,
        title_after=after.title,
        target_before=before.target,
        target_after=after.target,
        score_before=first.score,
        score_after=second.score,
        maturity_before=first.maturity,
        maturity_after=second.maturity,
        change=score_change(first.score, second.score),
        clauses=clauses,
        gaps_closed=tuple(closed),
        gaps_new=tuple(g for g in second_gaps if g.question not in gaps_before),
        gaps_remaining=tuple(remaining),
        gaps_unanswered=tuple(unanswered),
    )


def clause_trend(questionnaire: Questionnaire, rounds: Sequence[Assessment]) -> tuple[ClauseTrend, ...]:
    """Return the standard's scores (first, ref None) and each top-level clause's, in round order;
    raises ComparisonError when a round is not of `questionnaire`."""
    results = [_score_round(questionnaire, r) for r in rounds]
    standard = ClauseTrend(ref=None, title=questionnaire.label, scores=tuple(r.score for r in results))
    return (standard,) + tuple(
        ClauseTrend(ref=clause.ref, title=clause.title, scores=tuple(r.clause(clause.ref).score for r in results))
        for clause in questionnaire.clauses
    )

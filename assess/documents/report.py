"""The gap report's figures, computed here so its template only loops and prints.

Every text is escaped Markdown, like every other value a template sees.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from assess.core.actions import is_overdue, plan_order
from assess.core.answers import Action
from assess.core.compare import CLOSED_HIDDEN, ClosedGap, RoundComparison, change_text, compare_rounds
from assess.core.questionnaire import QuestionBank, Questionnaire
from assess.core.scoring import Gap, priority_band
from assess.core.vocabulary import LEVELS, NBSP, level_label, share
from assess.core.vocabulary import percent as vocabulary_percent
from assess.documents.facts import long_date
from assess.documents.practices import PracticeBook, earlier_assessment
from assess.documents.text import escape_markdown


def percent(value: float | None) -> str:
    """Return a score as printed, e.g. ``61.5 %``, or an en dash for no score."""
    return vocabulary_percent(value, space=NBSP)


def assessed_as(value: int | str) -> str:
    """Return an answer as printed, e.g. ``1/4 Initial (ad hoc)``, ``don't know`` or ``not applicable``."""
    if isinstance(value, str):
        return level_label(value).lower()
    return f"{value}/4 {LEVELS[value]}"


@dataclass(frozen=True)
class ClauseRow:
    ref: str
    title: str
    depth: int
    score: str
    maturity: str
    coverage: str


@dataclass(frozen=True)
class GapRow:
    rank: int
    priority: int
    band: str
    clause: str
    question: str
    finding: str
    assessed: str
    recommendation: str
    key: bool


@dataclass(frozen=True)
class ProgressClauseRow:
    """One top-level clause's score in the earlier and the latest round."""

    ref: str
    title: str
    before: str
    after: str
    change: str


@dataclass(frozen=True)
class ProgressGapRow:
    clause: str
    finding: str
    before: str
    after: str
    band: str


@dataclass(frozen=True)
class ProgressReport:
    """What changed since the round before the latest one (`since` is that round's title)."""

    since: str
    score_before: str
    score_after: str
    change: str
    clauses: tuple[ProgressClauseRow, ...]
    closed: tuple[ProgressGapRow, ...]
    new: tuple[ProgressGapRow, ...]
    remaining: int
    unanswered: int


@dataclass(frozen=True)
class StandardReport:
    """One questionnaire's latest assessment, ready to print (`assessed` is False when none)."""

    id: str
    label: str
    standard: str
    title: str
    assessed: bool
    assessment: str
    target: int
    target_percent: str
    score: str
    maturity: str
    coverage: str
    answered: int
    visible: int
    clauses: tuple[ClauseRow, ...]
    gaps: tuple[GapRow, ...]
    key_gaps: int
    chart: str
    progress: ProgressReport | None = None


@dataclass(frozen=True)
class ActionRow:
    """One row of the action plan: from a gap (owner, due and status blank) or an agreed action."""

    number: int
    action: str
    standard: str
    clause: str
    priority: str
    question: str
    owner: str = ""
    due: str = ""
    status: str = ""
    overdue: bool = False


def _gap_row(rank: int, gap: Gap) -> GapRow:
    return GapRow(
        rank=rank,
        priority=gap.priority,
        band=priority_band(gap.priority),
        clause=escape_markdown(gap.clause),
        question=escape_markdown(gap.question),
        finding=escape_markdown(gap.text),
        assessed=escape_markdown(assessed_as(gap.value)),
        recommendation=escape_markdown(gap.recommendation),
        key=gap.key,
    )


def _closed_now(closed: ClosedGap) -> str:
    if closed.how == CLOSED_HIDDEN or closed.value_after is None:
        return "no longer asked"
    return assessed_as(closed.value_after)


def progress_report(comparison: RoundComparison) -> ProgressReport:
    """Return the printable changes between two rounds: top-level clauses, gaps closed and new."""
    return ProgressReport(
        since=escape_markdown(comparison.title_before),
        score_before=percent(comparison.score_before),
        score_after=percent(comparison.score_after),
        change=escape_markdown(change_text(comparison.change)),
        clauses=tuple(
            ProgressClauseRow(
                ref=escape_markdown(c.ref),
                title=escape_markdown(c.title),
                before=percent(c.score_before),
                after=percent(c.score_after),
                change=escape_markdown(change_text(c.change)),
            )
            for c in comparison.clauses
            if c.depth == 0
        ),
        closed=tuple(
            ProgressGapRow(
                clause=escape_markdown(c.gap.clause),
                finding=escape_markdown(c.gap.text),
                before=escape_markdown(assessed_as(c.gap.value)),
                after=escape_markdown(_closed_now(c)),
                band=priority_band(c.gap.priority),
            )
            for c in comparison.gaps_closed
        ),
        new=tuple(
            ProgressGapRow(
                clause=escape_markdown(g.clause),
                finding=escape_markdown(g.text),
                before="",
                after=escape_markdown(assessed_as(g.value)),
                band=priority_band(g.priority),
            )
            for g in comparison.gaps_new
        ),
        remaining=len(comparison.gaps_remaining),
        unanswered=len(comparison.gaps_unanswered),
    )


def standard_report(book: PracticeBook, questionnaire: Questionnaire, max_depth: int = 1) -> StandardReport:
    """Return the printable results of the questionnaire's latest assessment (clauses to `max_depth`)."""
    found = book.result(questionnaire.id)
    label = escape_markdown(questionnaire.label)
    standard = escape_markdown(questionnaire.standard)
    title = escape_markdown(questionnaire.title)
    chart = f"chart:{questionnaire.id}"
    if found is None:
        return StandardReport(
            id=questionnaire.id,
            label=label,
            standard=standard,
            title=title,
            assessed=False,
            assessment="",
            target=0,
            target_percent="",
            score=percent(None),
            maturity="\u2013",
            coverage="\u2013",
            answered=0,
            visible=len(questionnaire.questions),
            clauses=(),
            gaps=(),
            key_gaps=0,
            chart=chart,
        )
    assessment, result = found
    earlier = earlier_assessment(book.org, questionnaire.id)
    progress = None if earlier is None else progress_report(compare_rounds(questionnaire, earlier, assessment))
    clauses = tuple(
        ClauseRow(
            ref=escape_markdown(c.ref),
            title=escape_markdown(c.title),
            depth=c.depth,
            score=percent(c.score),
            maturity=str(c.maturity or "\u2013"),
            coverage=share(c.coverage, space=NBSP),
        )
        for c in result.clauses
        if c.depth <= max_depth
    )
    return StandardReport(
        id=questionnaire.id,
        label=label,
        standard=standard,
        title=title,
        assessed=True,
        assessment=escape_markdown(assessment.title),
        target=assessment.target,
        target_percent=f"{assessment.target * 25}\u00a0%",
        score=percent(result.score),
        maturity=str(result.maturity or "\u2013"),
        coverage=share(result.coverage, space=NBSP),
        answered=result.answered,
        visible=result.visible,
        clauses=clauses,
        gaps=tuple(_gap_row(i, g) for i, g in enumerate(result.gaps, start=1)),
        key_gaps=sum(1 for g in result.gaps if g.key),
        chart=chart,
        progress=progress,
    )


def action_plan(reports: list[StandardReport]) -> list[ActionRow]:
    """Return one action per gap of every standard, highest priority first (ties in report order)."""
    rows = [(gap, report) for report in reports for gap in report.gaps]
    rows.sort(key=lambda pair: -pair[0].priority)
    return [
        ActionRow(
            number=i,
            action=gap.recommendation,
            standard=report.standard,
            clause=gap.clause,
            priority=gap.band,
            question=gap.question,
        )
        for i, (gap, report) in enumerate(rows, start=1)
    ]


def agreed_actions(bank: QuestionBank, actions: Sequence[Action], today: dt.date) -> list[ActionRow]:
    """Return the organization's own actions, highest priority first then by due date, with owner,
    due date, status and whether each is overdue on `today`."""
    rows = []
    for number, action in enumerate(plan_order(actions), start=1):
        questionnaire = bank.questionnaires.get(action.questionnaire)
        rows.append(
            ActionRow(
                number=number,
                action=escape_markdown(action.what),
                standard=escape_markdown(questionnaire.standard if questionnaire else action.questionnaire),
                clause=escape_markdown(action.clause),
                priority=priority_band(action.priority),
                question=escape_markdown(action.question),
                owner=escape_markdown(action.owner),
                due=escape_markdown(long_date(dt.date.fromisoformat(action.due))) if action.due else "",
                status=escape_markdown(action.status),
                overdue=is_overdue(action, today),
            )
        )
    return rows


def gaps_without_action(reports: Sequence[StandardReport], actions: Sequence[Action]) -> int:
    """Return how many gaps of the reports' latest rounds have no action at all."""
    planned = {escape_markdown(a.question) for a in actions}  # a GapRow holds its id escaped
    return sum(1 for report in reports for gap in report.gaps if gap.question not in planned)

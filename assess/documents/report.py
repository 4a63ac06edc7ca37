"""The gap report's figures, computed here so its template only loops and prints.

Every text is escaped Markdown, like every other value a template sees.
"""

from __future__ import annotations

from dataclasses import dataclass

from assess.answers import UNKNOWN
from assess.documents.practices import PracticeBook
from assess.documents.text import escape_markdown
from assess.questionnaire import LEVELS, Questionnaire
from assess.scoring import Gap

HIGH, MEDIUM, LOW = "High", "Medium", "Low"


def priority_band(priority: int) -> str:
    """Return High (12 or more), Medium (6-11) or Low (below 6) for a gap's priority number."""
    return HIGH if priority >= 12 else MEDIUM if priority >= 6 else LOW


def percent(value: float | None) -> str:
    """Return a score as printed, e.g. ``61.5 %``, or an en dash for no score."""
    return "\u2013" if value is None else f"{value:.1f}\u00a0%"


def assessed_as(value: int | str) -> str:
    """Return an answer as printed, e.g. ``1/4 Initial (ad hoc)`` or ``don't know``."""
    if value == UNKNOWN:
        return "don't know"
    assert isinstance(value, int)
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


@dataclass(frozen=True)
class ActionRow:
    number: int
    action: str
    standard: str
    clause: str
    priority: str
    question: str


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
    clauses = tuple(
        ClauseRow(
            ref=escape_markdown(c.ref),
            title=escape_markdown(c.title),
            depth=c.depth,
            score=percent(c.score),
            maturity=str(c.maturity or "\u2013"),
            coverage="\u2013" if c.coverage is None else f"{100 * c.coverage:.0f}\u00a0%",
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
        coverage="\u2013" if result.coverage is None else f"{100 * result.coverage:.0f}\u00a0%",
        answered=result.answered,
        visible=result.visible,
        clauses=clauses,
        gaps=tuple(_gap_row(i, g) for i, g in enumerate(result.gaps, start=1)),
        key_gaps=sum(1 for g in result.gaps if g.key),
        chart=chart,
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

"""The gap report as a board paper: its figures and sentences, computed here so the template only
loops and prints.

What it holds, in the report's order: where the organization stands on each standard in one line,
the priorities across all standards (essential practices furthest below target first) with who is
doing what by when, per standard its top gaps by clause with their recommendations, the questions
still to find out (never ranked as gaps), and every gap in one compact table. Every text is
escaped Markdown, like every other value a template sees.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from assess.core.actions import is_overdue, plan_order
from assess.core.answers import Action, Assessment, values_of
from assess.core.compare import RoundComparison, change_text, compare_rounds
from assess.core.findings import first_things_first, is_real_gap, real_gaps, shortfall, to_find_out
from assess.core.questionnaire import Question, Questionnaire
from assess.core.scoring import AssessmentResult, Gap, priority_band
from assess.core.vocabulary import (
    ACTION_DONE,
    ACTION_IN_PROGRESS,
    DASH,
    DONT_KNOW,
    ESSENTIAL,
    ESSENTIAL_MEANING,
    MATURITY,
    NBSP,
    NOT_ANSWERED,
    level_label,
    long_date,
    maturity_label,
    scale_key,
    score_against_target,
    share,
    target_score,
    target_text,
)
from assess.core.vocabulary import percent as vocabulary_percent
from assess.documents.practices import PracticeBook, actions_by_gap, earlier_assessment
from assess.documents.text import escape_markdown as md

PRIORITIES = 7
"""How many priorities page one lists at most (five to ten fit one page with the standing table)."""
FEWEST_PRIORITIES = 5
TOP_GAPS = 4
"""How many gaps each standard's section shows with their recommendations."""
NOT_PLANNED = "Not planned yet"

SUBJECTS = {"ISO 10001": "Codes of conduct", "ISO 10002": "Complaints handling", "ISO 10003": "Dispute resolution"}
"""What each standard is about, in two words a board member knows (the title is the standard's own)."""


def percent(value: float | None) -> str:
    """Return a score as printed, e.g. ``61.5 %``, or an en dash for no score."""
    return vocabulary_percent(value, space=NBSP)


def found_text(value: int | str, target: int) -> str:
    """Return an answer against the target: ``1 Initial (ad hoc), target 3``."""
    return f"{level_label(value)}, target {target}"


def _short_date(iso: str) -> str:
    day = dt.date.fromisoformat(iso)
    return f"{day.day} {day:%b} {day.year}"


def _first_sentence(text: str) -> str:
    return re.split(r"(?<=[.!?])\s", text.strip(), maxsplit=1)[0]


# --- the action plan, as it meets the gaps -----------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """The action the plan has for one gap: who, by when, how far (plain text, escaped where printed)."""

    what: str
    owner: str
    due: str
    status: str
    overdue: bool

    def who_and_when(self) -> str:
        """Return e.g. ``Dana Lee, by 31 March 2027 (in progress)`` or ``no owner yet, no date yet``."""
        owner = self.owner or "no owner yet"
        due = f"by {self.due}" if self.due else "no date yet"
        notes = [n for n in ("overdue" if self.overdue else "", self.status if self.status != "open" else "") if n]
        return f"{owner}, {due}" + (f" ({', '.join(notes)})" if notes else "")


class Plan:
    """The organization's actions, found by the gap they are for (`practices.actions_by_gap`: the
    latest not-done one wins; a gap whose only actions are done shows the last of them)."""

    def __init__(self, actions: Sequence[Action], today: dt.date):
        self.today = today
        self.actions = tuple(actions)
        self._by_gap = actions_by_gap(actions)

    def action_for(self, questionnaire: str, question: str) -> Action | None:
        """Return the action for a gap, or None when it has none."""
        return self._by_gap.get((questionnaire, question))

    def step(self, questionnaire: str, question: str) -> Step | None:
        """Return the printable action for a gap, or None when it is not planned."""
        action = self.action_for(questionnaire, question)
        if action is None:
            return None
        return Step(
            what=action.what,
            owner=action.owner,
            due=long_date(dt.date.fromisoformat(action.due)) if action.due else "",
            status=action.status,
            overdue=is_overdue(action, self.today),
        )

    def summary(self, gaps: int, planned: int) -> str:
        """Return the plan in a sentence or two: how many actions, done, overdue, and gaps without one
        (with no gap and no action there is nothing to plan)."""
        ordered = plan_order(self.actions)
        done = sum(1 for a in ordered if a.status == ACTION_DONE)
        going = sum(1 for a in ordered if a.status == ACTION_IN_PROGRESS)
        late = sum(1 for a in ordered if is_overdue(a, self.today))
        unplanned = gaps - planned
        if not ordered:
            if gaps == 0:
                return "There is no gap to plan an action for."
            if gaps == 1:
                return "There is no action plan yet: the one gap has no owner or date."
            return f"There is no action plan yet: none of the {gaps} gaps has an owner or a date."
        parts = [f"{len(ordered)} {'action' if len(ordered) == 1 else 'actions'}: {done} done, {going} in progress"]
        if late:
            parts.append(f"{late} overdue")
        text = ", ".join(parts) + "."
        if unplanned and gaps == 1:
            text += " The one gap has no action yet."
        elif unplanned:
            text += f" {unplanned} of the {gaps} gaps {'has' if unplanned == 1 else 'have'} no action yet."
        return text


# --- what the report prints ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Standing:
    """Where the organization stands on one standard, for the summary's table."""

    label: str
    subject: str
    assessed: bool
    assessment: str = ""
    score: str = DASH
    maturity: str = DASH
    answered: str = DASH
    gaps: str = DASH
    to_find_out: str = DASH
    since: str = ""


@dataclass(frozen=True)
class Priority:
    """One of page one's priorities: an essential practice far below target, and who does what."""

    number: int
    where: str
    practice: str
    found: str
    why: str
    plan: str
    essential: bool


@dataclass(frozen=True)
class TopGap:
    """A gap shown with its recommendation in its standard's section (the only place it is printed)."""

    clause: str
    practice: str
    found: str
    priority: str
    recommendation: str
    essential: bool
    plan: str


@dataclass(frozen=True)
class OpenRow:
    """A question still to find out: don't know or not answered, with who might know."""

    standard: str
    clause: str
    practice: str
    answer: str
    role: str
    essential: bool


@dataclass(frozen=True)
class GapLine:
    """One row of the appendix: every gap, compactly."""

    standard: str
    subject: str
    clause: str
    practice: str
    level: str
    priority: str
    essential: bool
    owner: str
    due: str
    shown: bool

    @property
    def owner_due(self) -> str:
        """Return the action's owner and due date in one cell, or a dash when it has neither."""
        return ", ".join(part for part in (self.owner, self.due) if part != DASH) or DASH


@dataclass(frozen=True)
class Progress:
    """What changed since the round before the latest (real gaps only: a don't know is neither)."""

    since: str
    score_before: str
    score_after: str
    change: str
    closed: int
    new: int
    clauses: tuple[tuple[str, str, str, str, str], ...]

    @property
    def line(self) -> str:
        """Return the change in one line: ``since Baseline 2025: 41.0 % to 48.0 % (+7.0 points, up); ...``."""
        closed = f"{self.closed} {'gap' if self.closed == 1 else 'gaps'} closed"
        return (
            f"since {self.since}: {self.score_before} to {self.score_after} ({self.change}); {closed}, {self.new} new"
        )


@dataclass(frozen=True)
class StandardSection:
    """One questionnaire's latest assessment, ready to print (`assessed` is False when none)."""

    id: str
    label: str
    standard: str
    subject: str
    title: str
    assessed: bool
    assessment: str = ""
    target: int = 0
    target_percent: str = ""
    target_text: str = ""
    standing: str = ""
    chart: str = ""
    top_gaps: tuple[TopGap, ...] = ()
    planned: bool = False
    more_gaps: int = 0
    at_target: str = ""
    open_rows: tuple[OpenRow, ...] = ()
    progress: Progress | None = None


@dataclass(frozen=True)
class GapReport:
    """Everything the gap report prints."""

    standings: tuple[Standing, ...]
    priorities: tuple[Priority, ...]
    priorities_rule: str
    sections: tuple[StandardSection, ...]
    appendix: tuple[GapLine, ...]
    owners: tuple[str, ...]
    """The owners the appendix names by the part before their comma, in full (its key)."""
    open_rows: tuple[OpenRow, ...]
    gap_count: int
    essential_count: int
    dont_know: int
    unanswered: int
    plan: str
    targets: str
    key: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class _Round:
    questionnaire: Questionnaire
    assessment: Assessment
    result: AssessmentResult
    gaps: tuple[Gap, ...]


def _question(questionnaire: Questionnaire, gap: Gap) -> Question:
    return questionnaire.question(gap.question)


def _why(question: Question, gap: Gap, target: int) -> str:
    """Return why a priority matters: what the practice looks like now, in the bank's own level text."""
    assert isinstance(gap.value, int)
    now = question.levels[gap.value] if question.levels else _first_sentence(question.help)
    return md(f"Now {found_text(gap.value, target)}: {now}")


def _plan_text(plan: Plan, questionnaire: str, gap: Gap) -> str:
    step = plan.step(questionnaire, gap.question)
    return NOT_PLANNED if step is None else step.who_and_when()


def _progress(comparison: RoundComparison) -> Progress:
    return Progress(
        since=md(comparison.title_before),
        score_before=percent(comparison.score_before),
        score_after=percent(comparison.score_after),
        change=md(change_text(comparison.change)),
        closed=sum(1 for c in comparison.gaps_closed if is_real_gap(c.gap)),
        new=sum(1 for g in comparison.gaps_new if is_real_gap(g)),
        clauses=tuple(
            (md(c.ref), md(c.title), percent(c.score_before), percent(c.score_after), md(change_text(c.change)))
            for c in comparison.clauses
            if c.depth == 0
        ),
    )


def _at_target(round_: _Round) -> str:
    """Return the assessable clauses scoring at or above the target score, in one line."""
    goal = target_score(round_.assessment.target)
    met = [
        f"{clause.ref} {clause.title} ({round(score.score)}{NBSP}%)"
        for clause in round_.questionnaire.all_clauses()
        if clause.questions and (score := round_.result.clause(clause.ref)).score is not None and score.score >= goal
    ]
    return md("; ".join(met))


def _open_rows(round_: _Round) -> tuple[OpenRow, ...]:
    values = values_of(round_.assessment.answers)
    return tuple(
        OpenRow(
            standard=md(round_.questionnaire.standard.removeprefix("ISO ")),
            clause=md(q.clause),
            practice=md(q.text),
            answer=md(DONT_KNOW if q.value else NOT_ANSWERED),
            role=md(q.role),
            essential=q.key,
        )
        for q in to_find_out(round_.questionnaire, values, round_.result)
    )


def _by_role(rows: Iterable[OpenRow]) -> tuple[OpenRow, ...]:
    """Return the questions to find out grouped by who might know, the busiest person first,
    each group in standard and questionnaire order."""
    rows = list(rows)
    counts = Counter(row.role for row in rows)
    return tuple(sorted(rows, key=lambda row: (-counts[row.role], row.role)))


def _section(book: PracticeBook, questionnaire: Questionnaire, round_: _Round | None, plan: Plan) -> StandardSection:
    common: dict[str, Any] = {
        "id": questionnaire.id,
        "label": md(questionnaire.label),
        "standard": md(questionnaire.standard),
        "subject": md(SUBJECTS.get(questionnaire.standard, questionnaire.title)),
        "title": md(questionnaire.title),
    }
    if round_ is None:
        return StandardSection(**common, assessed=False)
    assessment, result = round_.assessment, round_.result
    target = assessment.target
    ranked = first_things_first(round_.gaps, target)
    chosen = {g.question for g in ranked[:TOP_GAPS]}
    order = {q.id: i for i, q in enumerate(questionnaire.questions)}
    shown = sorted((g for g in round_.gaps if g.question in chosen), key=lambda g: order[g.question])
    top = tuple(
        TopGap(
            clause=md(g.clause),
            practice=md(g.text),
            found=md(found_text(g.value, target)),
            priority=f"{priority_band(g.priority)} {g.priority}",
            recommendation=md(g.recommendation),
            essential=g.key,
            plan=md(_plan_text(plan, questionnaire.id, g)),
        )
        for g in shown
    )
    earlier = earlier_assessment(book.org, questionnaire.id)
    open_rows = _open_rows(round_)
    essential = sum(1 for g in round_.gaps if g.key)
    standing = (
        f"{score_against_target(result.score, target, space=NBSP)}, maturity {maturity_label(result.maturity)} "
        f"of {max(MATURITY)}; {result.answered} of the {result.visible} questions that apply answered "
        f"({share(result.coverage, space=NBSP)}); {len(round_.gaps)} practices below target, {essential} of them "
        f"essential; {len(open_rows)} still to find out."
    )
    return StandardSection(
        **common,
        assessed=True,
        assessment=md(assessment.title),
        target=target,
        target_percent=percent(target_score(target)).replace(".0", ""),
        target_text=md(target_text(target)),
        standing=md(standing),
        chart=f"chart:{questionnaire.id}",
        top_gaps=top,
        planned=any(g.plan != NOT_PLANNED for g in top),
        more_gaps=len(round_.gaps) - len(top),
        at_target=_at_target(round_),
        open_rows=open_rows,
        progress=None if earlier is None else _progress(compare_rounds(questionnaire, earlier, assessment)),
    )


def _standing(section: StandardSection, round_: _Round | None) -> Standing:
    if round_ is None:
        return Standing(label=section.label, subject=section.subject, assessed=False)
    result = round_.result
    essential = sum(1 for g in round_.gaps if g.key)
    return Standing(
        label=section.label,
        subject=section.subject,
        assessed=True,
        assessment=section.assessment,
        score=md(score_against_target(result.score, round_.assessment.target, space=NBSP)),
        maturity=md(maturity_label(result.maturity)),
        answered=f"{share(result.coverage, space=NBSP)} ({result.answered} of {result.visible})",
        gaps=f"{len(round_.gaps)} ({essential} essential)",
        to_find_out=str(len(section.open_rows)),
        since="" if section.progress is None else section.progress.line,  # made of escaped parts
    )


def _priorities(rounds: Iterable[_Round], plan: Plan) -> tuple[Priority, ...]:
    """Return page one's priorities over all standards: essential practices furthest below target
    first (`first_things_first` across the standards), at most PRIORITIES."""
    pool = [(r, g) for r in rounds for g in r.gaps]
    pool.sort(key=lambda pair: (not pair[1].key, -shortfall(pair[1], pair[0].assessment.target), -pair[1].priority))
    chosen = [pair for pair in pool if pair[1].key][:PRIORITIES]
    if len(chosen) < FEWEST_PRIORITIES:
        chosen = pool[: max(FEWEST_PRIORITIES, len(chosen))]
    return tuple(
        Priority(
            number=number,
            where=md(f"{r.questionnaire.standard} clause {g.clause}"),
            practice=md(g.text),
            found=md(found_text(g.value, r.assessment.target)),
            why=_why(_question(r.questionnaire, g), g, r.assessment.target),
            plan=md(_plan_text(plan, r.questionnaire.id, g)),
            essential=g.key,
        )
        for number, (r, g) in enumerate(chosen, start=1)
    )


def _priorities_rule(priorities: Sequence[Priority]) -> str:
    """Return the sentence saying how page one's priorities were chosen, true to what it lists."""
    if all(p.essential for p in priorities):
        return (
            f"The {ESSENTIAL.lower()} practices furthest below target, across the standards; without each of them "
            f"{ESSENTIAL_MEANING.removesuffix(' without it')}"
        )
    return (
        f"{ESSENTIAL} practices ({ESSENTIAL_MEANING}) furthest below target first, then the other gaps furthest "
        "below target"
    )


def short_owners(owners: Iterable[str]) -> dict[str, str]:
    """Return how the appendix names each owner: "Sarah Bell" for "Sarah Bell, Customer Standards
    Manager" when no other owner's text starts with the same words before its comma, else in full."""
    distinct = list(dict.fromkeys(o for o in owners if o))
    heads = [o.split(",", 1)[0].strip() for o in distinct]
    return {
        owner: head if head and head != owner and heads.count(head) == 1 else owner
        for owner, head in zip(distinct, heads, strict=True)
    }


def _appendix(
    rounds: Sequence[_Round], sections: dict[str, StandardSection], plan: Plan
) -> tuple[tuple[GapLine, ...], tuple[str, ...]]:
    """Return the appendix's rows, and the owners they name short, in full."""
    actions = {
        (r.questionnaire.id, g.question): plan.action_for(r.questionnaire.id, g.question)
        for r in rounds
        for g in r.gaps
    }
    names = short_owners(a.owner for a in actions.values() if a is not None)
    lines = []
    for r in rounds:
        shown = {g.practice for g in sections[r.questionnaire.id].top_gaps}
        order = {q.id: i for i, q in enumerate(r.questionnaire.questions)}
        for g in sorted(r.gaps, key=lambda g: order[g.question]):
            action = actions[r.questionnaire.id, g.question]
            lines.append(
                GapLine(
                    standard=md(r.questionnaire.label),
                    subject=md(SUBJECTS.get(r.questionnaire.standard, r.questionnaire.title)),
                    clause=md(g.clause),
                    practice=md(g.text),
                    level=f"{g.value} / {r.assessment.target}",
                    priority=f"{priority_band(g.priority)} {g.priority}",
                    essential=g.key,
                    owner=md(names[action.owner]) if action and action.owner else DASH,
                    due=md(_short_date(action.due)) if action and action.due else DASH,
                    shown=md(g.text) in shown,
                )
            )
    return tuple(lines), tuple(md(owner) for owner, name in names.items() if name != owner)


def gap_report(
    book: PracticeBook, questionnaire_ids: Sequence[str], actions: Sequence[Action], today: dt.date
) -> GapReport:
    """Return everything the gap report prints, for the latest round of each questionnaire named."""
    plan = Plan([a for a in actions if a.questionnaire in questionnaire_ids], today)
    rounds: dict[str, _Round | None] = {}
    for qid in questionnaire_ids:
        questionnaire = book.bank.questionnaire(qid)
        found = book.result(qid)
        rounds[qid] = None if found is None else _Round(questionnaire, found[0], found[1], real_gaps(found[1]))
    sections = {qid: _section(book, book.bank.questionnaire(qid), round_, plan) for qid, round_ in rounds.items()}
    assessed = [r for r in rounds.values() if r is not None]
    gaps = [(r.questionnaire.id, g) for r in assessed for g in r.gaps]
    planned = sum(1 for qid, g in gaps if plan.action_for(qid, g.question) is not None)
    targets = sorted({r.assessment.target for r in assessed})
    priorities = _priorities(assessed, plan)
    appendix, owners = _appendix(assessed, sections, plan)
    return GapReport(
        standings=tuple(_standing(sections[qid], rounds[qid]) for qid in questionnaire_ids),
        priorities=priorities,
        priorities_rule=md(_priorities_rule(priorities)),
        sections=tuple(sections[qid] for qid in questionnaire_ids),
        appendix=appendix,
        owners=owners,
        open_rows=_by_role(row for section in sections.values() for row in section.open_rows),
        gap_count=len(gaps),
        essential_count=sum(1 for _, g in gaps if g.key),
        dont_know=sum(1 for s in sections.values() for o in s.open_rows if o.answer == md(DONT_KNOW)),
        unanswered=sum(1 for s in sections.values() for o in s.open_rows if o.answer == md(NOT_ANSWERED)),
        plan=md(plan.summary(len(gaps), planned)),
        targets=md(target_text(targets[0])) if len(targets) == 1 else "",
        key=tuple((md(term), md(text)) for term, text in scale_key(targets[0] if len(targets) == 1 else None)),
    )

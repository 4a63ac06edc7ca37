"""How a questionnaire is split into answering pages, and how far each page is answered."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from assess.core.conditions import AnswerValue
from assess.core.questionnaire import Clause, Fact, Profile, Question, Questionnaire
from assess.core.slug import slugify
from assess.core.vocabulary import PAGE_DONE, PAGE_IN_PROGRESS, PAGE_NOT_STARTED

MAX_QUESTIONS_PER_PAGE = 14


@dataclass(frozen=True)
class Page:
    """One answering page: consecutive sub-clauses of one top-level clause."""

    key: str
    top: Clause
    clauses: tuple[Clause, ...]
    part: int = 1
    parts: int = 1

    @cached_property
    def questions(self) -> tuple[Question, ...]:
        return tuple(q for c in self.clauses for q in c.all_questions())

    @property
    def title(self) -> str:
        if self.parts == 1:
            return f"{self.top.ref} {self.top.title}"
        return f"{self.top.ref} {self.top.title} ({self.span})"

    @property
    def span(self) -> str:
        """Return the clause refs the page covers, e.g. ``7.1–7.4`` or ``7.9``."""
        first, last = self.clauses[0].ref, self.clauses[-1].ref
        return first if first == last else f"{first}–{last}"


@dataclass(frozen=True)
class Progress:
    answered: int
    visible: int

    @property
    def status(self) -> str:
        if self.visible and self.answered >= self.visible:
            return PAGE_DONE
        return PAGE_IN_PROGRESS if self.answered else PAGE_NOT_STARTED

    @property
    def percent(self) -> int:
        return round(100 * self.answered / self.visible) if self.visible else 0


def _split(top: Clause, limit: int) -> list[tuple[Clause, ...]]:
    """Split a top-level clause's sub-clauses into parts of balanced size, each at most about `limit`."""
    if top.questions or not top.clauses:
        return [(top,)]
    sizes = [sum(1 for _ in clause.all_questions()) for clause in top.clauses]
    parts = max(1, math.ceil(sum(sizes) / limit))
    share = math.ceil(sum(sizes) / parts)
    groups: list[list[Clause]] = [[]]
    count = 0
    for clause, size in zip(top.clauses, sizes, strict=True):
        overshoot = count + size - share
        if groups[-1] and overshoot > 0 and overshoot > share - count and len(groups) < parts:
            groups.append([])
            count = 0
        groups[-1].append(clause)
        count += size
    return [tuple(g) for g in groups]


_PAGES: dict[tuple[int, int], tuple[Questionnaire, tuple[Page, ...], dict[str, Page]]] = {}


def answer_pages(questionnaire: Questionnaire, limit: int = MAX_QUESTIONS_PER_PAGE) -> tuple[Page, ...]:
    """Return the answering pages in order: each top-level clause, split at sub-clause boundaries
    into parts of about `limit` questions.

    Computed once per (loaded) questionnaire: every save asks which page its question is on.
    """
    return _pagination(questionnaire, limit)[1]


def _pagination(questionnaire: Questionnaire, limit: int) -> tuple[Questionnaire, tuple[Page, ...], dict[str, Page]]:
    cached = _PAGES.get((id(questionnaire), limit))
    if cached is None or cached[0] is not questionnaire:
        pages = _paginate(questionnaire, limit)
        cached = (questionnaire, pages, {q.id: page for page in pages for q in page.questions})
        _PAGES[(id(questionnaire), limit)] = cached
    return cached


def _paginate(questionnaire: Questionnaire, limit: int) -> tuple[Page, ...]:
    pages = []
    for top in questionnaire.clauses:
        groups = _split(top, limit)
        for part, group in enumerate(groups, start=1):
            pages.append(Page(key=group[0].ref, top=top, clauses=group, part=part, parts=len(groups)))
    return tuple(pages)


def page_of(questionnaire: Questionnaire, question_id: str, limit: int = MAX_QUESTIONS_PER_PAGE) -> Page | None:
    """Return the answering page that asks this question, or None."""
    return _pagination(questionnaire, limit)[2].get(question_id)


def progress(questions: tuple[Question, ...], values: Mapping[str, AnswerValue], visible: frozenset[str]) -> Progress:
    """Return how many of the visible questions have an answer (a level, don't know or N/A)."""
    shown = [q for q in questions if q.id in visible]
    return Progress(answered=sum(1 for q in shown if values.get(q.id) is not None), visible=len(shown))


@dataclass(frozen=True)
class ProfileSection:
    """One section of the organization profile as a task: its facts and how far they are filled in."""

    key: str
    title: str
    facts: tuple[Fact, ...]
    filled: int
    needed_missing: int
    """Facts some document needs that are still empty (each shows as a placeholder there)."""

    @property
    def status(self) -> str:
        if not self.filled:
            return PAGE_NOT_STARTED
        return PAGE_IN_PROGRESS if self.needed_missing else PAGE_DONE


def _filled(value: Any) -> bool:
    return value not in (None, "", [])


def profile_sections(profile: Profile, values: Mapping[str, Any]) -> tuple[ProfileSection, ...]:
    """Return the profile's sections in file order, each with its facts and how far they are filled in.

    A section is done when every fact a document needs is filled in (optional facts may stay empty).
    """
    sections = []
    for title in profile.sections:
        facts = tuple(f for f in profile.facts if f.section == title)
        sections.append(
            ProfileSection(
                key=slugify(title, fallback="section"),
                title=title,
                facts=facts,
                filled=sum(1 for f in facts if _filled(values.get(f.id))),
                needed_missing=sum(1 for f in facts if f.required_for and not _filled(values.get(f.id))),
            )
        )
    return tuple(sections)


REVIEW_FILTERS = ("unanswered", "unknown", "na")
"""What check-your-answers can be narrowed to: questions not answered, don't know, not applicable."""


@dataclass(frozen=True)
class ReviewRow:
    """One visible question on check-your-answers: its page, its stored answer and which kind that is."""

    question: Question
    page: Page
    answer: Any
    kind: str
    """"unanswered", "unknown", "na" or "level"."""


@dataclass(frozen=True)
class ReviewGroup:
    """The visible questions of one top-level clause, with how many of each kind it holds."""

    clause: Clause
    rows: tuple[ReviewRow, ...]

    def count(self, kind: str) -> int:
        return sum(1 for r in self.rows if r.kind == kind)


def _kind(answer: Any) -> str:
    value = None if answer is None else answer.value
    if value is None:
        return "unanswered"
    return value if value in ("unknown", "na") else "level"


def review_groups(
    questionnaire: Questionnaire, stored: Mapping[str, Any], visible: frozenset[str]
) -> tuple[ReviewGroup, ...]:
    """Return check-your-answers' groups: each top-level clause with its visible questions in order."""
    groups = []
    for top in questionnaire.clauses:
        rows = []
        for question in top.all_questions():
            if question.id not in visible:
                continue
            page = page_of(questionnaire, question.id)
            assert page is not None
            answer = stored.get(question.id)
            rows.append(ReviewRow(question, page, answer, _kind(answer)))
        if rows:
            groups.append(ReviewGroup(top, tuple(rows)))
    return tuple(groups)

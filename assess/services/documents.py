"""The documents of a stored organization: what each still needs, where it comes from, and the files."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from assess.core.answers import Organization
from assess.core.facts import FactProblem, check_fact_value
from assess.core.questionnaire import QuestionBank
from assess.core.shared import with_shared_answers
from assess.core.vocabulary import long_date
from assess.documents import (
    DocumentInfo,
    Readiness,
    list_documents,
    readiness_all,
    render_docx,
    render_html,
    render_pack,
)
from assess.services.organizations import load_organization
from assess.store import answers
from assess.store.connection import Database


class NoSuchOrganization(LookupError):
    """The organization is not in the store."""


@dataclass(frozen=True)
class Source:
    """The assessment a document draws on for one standard: its title, its id in the store, and
    when it last changed (an ISO timestamp: each save of its answers moves it)."""

    label: str
    title: str
    assessment_id: int
    answered_at: str

    @property
    def answered_text(self) -> str:
        """Return when the answers last changed as people read it ("1 December 2026, 09:12 UTC"), or ""."""
        try:
            moment = dt.datetime.fromisoformat(self.answered_at.replace("Z", "+00:00"))
        except ValueError:
            return ""
        return f"{long_date(moment.date())}, {moment:%H:%M} UTC"


@dataclass(frozen=True)
class DocumentStatus:
    """One document as the documents page lists it."""

    info: DocumentInfo
    readiness: Readiness
    sources: tuple[Source, ...]


def organization_data(db: Database, org_id: int, bank: QuestionBank) -> Organization:
    """Return the organization as the documents read it; raises NoSuchOrganization.

    A stored profile value its fact no longer accepts (outside the `min`/`max` profile.yaml now
    gives it, not finite, of another type, a choice no longer offered, a fact since removed) is left
    out, so the document shows that fact's placeholder and the readiness list names it as missing:
    a readiness problem, never a failed page. The latest round of each standard takes the answers of
    its twin questions from the other standards' latest rounds (answered once, counted in both).
    """
    data = load_organization(db, org_id)
    if data is None:
        raise NoSuchOrganization(org_id)
    return with_shared_answers(bank, replace(data, profile=usable_profile(bank, data.profile)))


def usable_profile(bank: QuestionBank, profile: Mapping[str, Any]) -> dict[str, Any]:
    """Return the stored profile values that their facts, as profile.yaml defines them now, accept."""
    facts = {f.id: f for f in bank.profile.facts}
    usable = {}
    for fact_id, value in profile.items():
        fact = facts.get(fact_id)
        if fact is None:
            continue
        try:
            usable[fact_id] = check_fact_value(fact, value)
        except (FactProblem, TypeError, ValueError, OverflowError):
            continue
    return usable


def _sources(rows: list[answers.AssessmentRow], bank: QuestionBank, info: DocumentInfo) -> tuple[Source, ...]:
    latest = {row.questionnaire: row for row in rows}  # oldest first: the last one wins
    return tuple(
        Source(bank.questionnaire(q).label, latest[q].title, latest[q].id, latest[q].updated_at)
        for q in info.questionnaires
        if q in latest and q in bank.questionnaires
    )


def documents_readiness(db: Database, bank: QuestionBank, org_id: int, templates_dir: Path) -> list[DocumentStatus]:
    """Return every document with what it still needs and the assessments it draws on, worked out
    from each template's evaluation alone (no document is written to list them)."""
    data = organization_data(db, org_id, bank)
    infos = list_documents(templates_dir)
    found = readiness_all(bank, data, [info.id for info in infos], templates_dir)
    rows = answers.list_assessments(db, org_id)
    return [DocumentStatus(info, found[info.id], _sources(rows, bank, info)) for info in infos]


def document_html(
    db: Database, bank: QuestionBank, org_id: int, document: str, templates_dir: Path, citations: bool
) -> str:
    """Return one document as an HTML fragment for the preview."""
    return render_html(
        bank, organization_data(db, org_id, bank), document, citations=citations, templates_dir=templates_dir
    )


def document_docx(
    db: Database,
    bank: QuestionBank,
    org_id: int,
    document: str,
    templates_dir: Path,
    citations: bool,
    today: dt.date,
    page_numbers: bool = False,
) -> bytes:
    """Return one document as .docx bytes (`page_numbers`: LibreOffice fills in the contents)."""
    data = organization_data(db, org_id, bank)
    return render_docx(
        bank, data, document, citations=citations, page_numbers=page_numbers, today=today, templates_dir=templates_dir
    )


def document_pack(
    db: Database,
    bank: QuestionBank,
    org_id: int,
    templates_dir: Path,
    citations: bool,
    today: dt.date,
    page_numbers: bool = False,
) -> bytes:
    """Return every document of the organization in one zip."""
    data = organization_data(db, org_id, bank)
    return render_pack(
        bank, data, citations=citations, page_numbers=page_numbers, today=today, templates_dir=templates_dir
    )

"""The documents of a stored organization: what each still needs, and the files themselves."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from assess.core.answers import Organization
from assess.core.questionnaire import QuestionBank
from assess.documents import DocumentInfo, Readiness, list_documents, readiness, render_docx, render_html, render_pack
from assess.services.organizations import load_organization
from assess.store.connection import Database


class NoSuchOrganization(LookupError):
    """The organization is not in the store."""


def organization_data(db: Database, org_id: int) -> Organization:
    """Return the organization as the documents read it; raises NoSuchOrganization."""
    data = load_organization(db, org_id)
    if data is None:
        raise NoSuchOrganization(org_id)
    return data


def documents_readiness(
    db: Database, bank: QuestionBank, org_id: int, templates_dir: Path
) -> list[tuple[DocumentInfo, Readiness]]:
    """Return every document with what it still needs (missing facts, practices not in place)."""
    data = organization_data(db, org_id)
    return [
        (info, readiness(bank, data, info.id, templates_dir=templates_dir)) for info in list_documents(templates_dir)
    ]


def document_html(
    db: Database, bank: QuestionBank, org_id: int, document: str, templates_dir: Path, citations: bool
) -> str:
    """Return one document as an HTML fragment for the preview."""
    return render_html(bank, organization_data(db, org_id), document, citations=citations, templates_dir=templates_dir)


def document_docx(
    db: Database, bank: QuestionBank, org_id: int, document: str, templates_dir: Path, citations: bool, today: dt.date
) -> bytes:
    """Return one document as .docx bytes."""
    data = organization_data(db, org_id)
    return render_docx(bank, data, document, citations=citations, today=today, templates_dir=templates_dir)


def document_pack(
    db: Database, bank: QuestionBank, org_id: int, templates_dir: Path, citations: bool, today: dt.date
) -> bytes:
    """Return every document of the organization in one zip."""
    data = organization_data(db, org_id)
    return render_pack(bank, data, citations=citations, today=today, templates_dir=templates_dir)

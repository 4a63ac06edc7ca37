"""The documents of a stored organization: what each still needs, and the files themselves."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from assess.core.answers import Organization
from assess.core.facts import FactProblem, check_fact_value
from assess.core.questionnaire import QuestionBank
from assess.documents import DocumentInfo, Readiness, list_documents, readiness, render_docx, render_html, render_pack
from assess.services.organizations import load_organization
from assess.store.connection import Database


class NoSuchOrganization(LookupError):
    """The organization is not in the store."""


def organization_data(db: Database, org_id: int, bank: QuestionBank | None = None) -> Organization:
    """Return the organization as the documents read it; raises NoSuchOrganization.

    With `bank`, a stored profile value its fact no longer accepts (outside the `min`/`max` profile.yaml
    now gives it, not finite, of another type, a choice no longer offered, a fact since removed) is
    left out, so the document shows that fact's placeholder and the readiness list names it as
    missing: a readiness problem, never a failed page.
    """
    data = load_organization(db, org_id)
    if data is None:
        raise NoSuchOrganization(org_id)
    return data if bank is None else replace(data, profile=usable_profile(bank, data.profile))


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


def documents_readiness(
    db: Database, bank: QuestionBank, org_id: int, templates_dir: Path
) -> list[tuple[DocumentInfo, Readiness]]:
    """Return every document with what it still needs (missing facts, practices not in place)."""
    data = organization_data(db, org_id, bank)
    return [
        (info, readiness(bank, data, info.id, templates_dir=templates_dir)) for info in list_documents(templates_dir)
    ]


def document_html(
    db: Database, bank: QuestionBank, org_id: int, document: str, templates_dir: Path, citations: bool
) -> str:
    """Return one document as an HTML fragment for the preview."""
    data = organization_data(db, org_id, bank)
    return render_html(bank, data, document, citations=citations, templates_dir=templates_dir)


def document_docx(
    db: Database, bank: QuestionBank, org_id: int, document: str, templates_dir: Path, citations: bool, today: dt.date
) -> bytes:
    """Return one document as .docx bytes."""
    data = organization_data(db, org_id, bank)
    return render_docx(bank, data, document, citations=citations, today=today, templates_dir=templates_dir)


def document_pack(
    db: Database, bank: QuestionBank, org_id: int, templates_dir: Path, citations: bool, today: dt.date
) -> bytes:
    """Return every document of the organization in one zip."""
    data = organization_data(db, org_id, bank)
    return render_pack(bank, data, citations=citations, today=today, templates_dir=templates_dir)

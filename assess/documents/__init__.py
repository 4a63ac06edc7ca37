"""The organization's documents: template -> Markdown -> one element tree -> HTML preview and .docx.

Everything outside this package (the services, the CLI) calls only what this module exports.
Which assessment feeds a document:
the last one in ``org.assessments`` for the document's questionnaire; without one, the document is
still written from the profile and every practice it relies on is flagged "not assessed". The gap
report covers the latest assessment of every questionnaire its front matter names, with the
progress since the round before it when there is one, and takes its action plan from
``org.actions`` when the organization has actions for those questionnaires.

How templates are written (front matter, helpers, ``practice=`` and ``cite=``): see `source.py`.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assess.core.answers import Organization
from assess.core.questionnaire import DOCUMENT_IDS, Fact, QuestionBank
from assess.core.vocabulary import LEVELS
from assess.documents.errors import DocumentError
from assess.documents.facts import FactReader, long_date
from assess.documents.meta import CoverLine, DocumentMeta, ImageSource
from assess.documents.practices import PracticeBook, PracticeStatus
from assess.documents.preview import write_html
from assess.documents.report import gap_report
from assess.documents.source import (
    DocumentInfo,
    TemplateFile,
    add_months,
    default_templates_dir,
    read_template,
    render_markdown,
)
from assess.documents.text import LINE_BREAK, clean_text, escape_markdown, join_words, placeholder
from assess.documents.tree import TemplateProblem, build_tree, practices_in
from assess.documents.word import write_docx

__all__ = [
    "DOCUMENT_IDS",
    "DocumentError",
    "DocumentInfo",
    "PracticeStatus",
    "Readiness",
    "document_filename",
    "list_documents",
    "readiness",
    "render_docx",
    "render_html",
    "render_pack",
]

REFERENCE_DOCX = "reference.docx"
DEFAULT_VERSION = "0.1"


@dataclass(frozen=True)
class Readiness:
    """What to fix before publishing a document.

    `missing_facts`: the profile facts the document shows as placeholders, in profile order;
    `below_target`: the practices it commits to that the assessment did not find in place (below
    target, don't know, not applicable, unanswered, not asked or not assessed), in document order.
    """

    document: str
    missing_facts: tuple[Fact, ...]
    below_target: tuple[PracticeStatus, ...]

    @property
    def ready(self) -> bool:
        """Return whether nothing is missing or flagged."""
        return not self.missing_facts and not self.below_target


@dataclass(frozen=True)
class _Prepared:
    template: TemplateFile
    meta: DocumentMeta
    tree: ET.Element
    practices: dict[str, PracticeStatus]
    missing_facts: tuple[Fact, ...]
    book: PracticeBook


def list_documents(templates_dir: Path | str | None = None) -> tuple[DocumentInfo, ...]:
    """Return every document the tool writes, in DOCUMENT_IDS order; raises DocumentError for a bad template."""
    return tuple(read_template(doc, templates_dir).info for doc in DOCUMENT_IDS)


def _citer(bank: QuestionBank, template: TemplateFile) -> Callable[[str], str]:
    own = template.info.questionnaires[0]

    def cite(value: str) -> str:
        groups: dict[str, list[str]] = {}
        for token in value.split():
            questionnaire_id, _, ref = token.rpartition(":")
            questionnaire = bank.questionnaires.get(questionnaire_id or own)
            if questionnaire is None:
                raise TemplateProblem(f"cite: unknown questionnaire {questionnaire_id!r}", token)
            try:
                questionnaire.clause(ref)
            except KeyError:
                raise TemplateProblem(f"cite: {questionnaire.label} has no clause {ref!r}", token) from None
            groups.setdefault(questionnaire.label, []).append(ref)
        return "; ".join(f"{label}, {join_words(refs)}" for label, refs in groups.items())

    return cite


def _context(
    bank: QuestionBank, org: Organization, template: TemplateFile, facts: FactReader, book: PracticeBook, today: dt.date
) -> dict[str, Any]:
    own = bank.questionnaire(template.info.questionnaires[0])
    latest = book.result(own.id)

    def review_date() -> str:
        months = facts.plain("review.cycle_months")
        if months is None:
            return placeholder(bank.profile.fact("review.cycle_months").placeholder_text)
        return escape_markdown(long_date(add_months(today, int(float(months)))))

    return {
        "org": escape_markdown(org.name),
        "title": escape_markdown(template.info.title),
        "standard": escape_markdown(own.label),
        "assessment": escape_markdown(latest[0].title) if latest else "",
        "today": escape_markdown(long_date(today)),
        "fact": facts.text,
        "has": facts.has,
        "fact_is": facts.is_,
        "items": facts.items,
        "link": facts.link,
        "review_date": review_date,
        "report": lambda: gap_report(book, template.info.questionnaires, org.actions, today),
        "levels": [(level, escape_markdown(label)) for level, label in LEVELS.items()],
        "version": escape_markdown(facts.plain("documents.version", record=False) or DEFAULT_VERSION),
        "writing_space": lambda lines=1: LINE_BREAK.join(["\u00a0"] * max(1, min(int(lines), 20))),
    }


def _meta(
    org: Organization, template: TemplateFile, facts: FactReader, book: PracticeBook, today: dt.date, flags: bool
) -> DocumentMeta:
    bank = book.bank
    legal = facts.plain("org.legal_name")
    owner = [(facts.plain(f), bank.profile.fact(f).placeholder_text) for f in template.owner]
    version = facts.plain("documents.version", record=False) or DEFAULT_VERSION
    effective = facts.plain("documents.effective_date", record=False)
    labels = [bank.questionnaire(q).label for q in template.info.questionnaires]
    assessed = [
        f"{found[0].title} ({bank.questionnaire(q).label})"
        for q in template.info.questionnaires
        if (found := book.result(q)) is not None
    ]
    name = clean_text(org.name).strip() or (legal or "")
    details = [
        CoverLine("Organization", legal or bank.profile.fact("org.legal_name").placeholder_text, legal is None),
        CoverLine("Version", version),
        CoverLine("Date", long_date(today)),
        CoverLine("Owner", ", ".join(value or missing for value, missing in owner), any(v is None for v, _ in owner)),
        CoverLine("Status", "Draft"),
    ]
    if effective:
        details.insert(3, CoverLine("Effective from", effective))
    source = (
        f"Based on the self-assessment {join_words(assessed)}."
        if assessed
        else f"No self-assessment against {join_words(labels)} yet: every practice is flagged for review."
    )
    notes = [f"This is a draft for review. {source}"]
    if flags:
        notes.append("Comments in the margin mark practices the assessment did not find fully in place.")
    if facts.missing:
        notes.append("Highlighted text in brackets marks facts still to be filled in.")
    return DocumentMeta(
        id=template.info.id,
        title=template.info.title,
        organization=name,
        subject=template.subject or f"{template.info.title} ({join_words(labels)})",
        keywords=(*template.keywords, *labels),
        version=version,
        day=today,
        category="Policy" if template.info.id != "gap-report" else "Report",
        comments=clean_text(f"Draft prepared with assess. {source}"),
        details=tuple(CoverLine(clean_text(c.label), clean_text(c.value), c.missing) for c in details),
        notes=(clean_text(" ".join(notes)),),
    )


def _prepare(
    bank: QuestionBank,
    org: Organization,
    document: str,
    citations: bool,
    today: dt.date | None,
    templates_dir: Path | str | None,
) -> _Prepared:
    template = read_template(document, templates_dir)
    for questionnaire_id in template.info.questionnaires:
        if questionnaire_id not in bank.questionnaires:
            raise template.error(f"front matter names unknown questionnaire {questionnaire_id!r}", questionnaire_id)
    day = today or dt.date.today()
    facts = FactReader(bank.profile, org.profile)
    book = PracticeBook(bank, org)
    markdown_text = render_markdown(template, _context(bank, org, template, facts, book, day))
    try:
        tree = build_tree(markdown_text, _citer(bank, template), citations)
    except TemplateProblem as exc:
        raise template.error(str(exc), exc.needle) from None
    practices: dict[str, PracticeStatus] = {}
    for _, ids in practices_in(tree):
        for question_id in ids:
            if question_id not in practices:
                try:
                    practices[question_id] = book.status(question_id)
                except KeyError:
                    raise template.error(
                        f"practice {question_id!r} is not a question of any questionnaire", question_id
                    ) from None
    meta = _meta(org, template, facts, book, day, any(p.flagged for p in practices.values()))
    return _Prepared(template, meta, tree, practices, facts.missing_facts(), book)


def _images(prepared: _Prepared) -> ImageSource:
    def image(source: str, fmt: str) -> bytes:
        from assess.documents.charts import clause_chart

        kind, _, questionnaire_id = source.partition(":")
        found = prepared.book.result(questionnaire_id) if kind == "chart" else None
        if found is None:
            raise prepared.template.error(f"image {source!r}: not a chart of an assessed questionnaire", source)
        return clause_chart(prepared.book.bank.questionnaire(questionnaire_id), found[1], fmt)

    return image


def readiness(
    bank: QuestionBank, org: Organization, document: str, templates_dir: Path | str | None = None
) -> Readiness:
    """Return the facts a document is missing and the practices it flags; raises DocumentError."""
    prepared = _prepare(bank, org, document, True, None, templates_dir)
    return Readiness(
        document=document,
        missing_facts=prepared.missing_facts,
        below_target=tuple(p for p in prepared.practices.values() if p.flagged),
    )


def render_html(
    bank: QuestionBank,
    org: Organization,
    document: str,
    *,
    citations: bool = True,
    today: dt.date | None = None,
    templates_dir: Path | str | None = None,
) -> str:
    """Return the document as a sanitized HTML fragment for a preview page; raises DocumentError."""
    prepared = _prepare(bank, org, document, citations, today, templates_dir)
    return write_html(prepared.meta, prepared.tree, prepared.practices, _images(prepared))


def _reference_docx(templates_dir: Path | str | None) -> Path:
    own = Path(templates_dir or default_templates_dir()) / REFERENCE_DOCX
    return own if own.is_file() else default_templates_dir() / REFERENCE_DOCX


def render_docx(
    bank: QuestionBank,
    org: Organization,
    document: str,
    *,
    citations: bool = True,
    today: dt.date | None = None,
    templates_dir: Path | str | None = None,
) -> bytes:
    """Return the document as .docx bytes (identical XML for identical input and `today`);
    raises DocumentError."""
    prepared = _prepare(bank, org, document, citations, today, templates_dir)
    return write_docx(
        _reference_docx(templates_dir), prepared.meta, prepared.tree, prepared.practices, _images(prepared)
    )


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    return "-".join(words)[:60].strip("-") or "organization"


def document_filename(document: str, org_name: str, day: dt.date) -> str:
    """Return a safe file name such as ``complaints-procedure_acme-water_2026-11-25.docx``
    (ASCII letters, digits, '-', '_' and '.'; no slashes, quotes or line breaks)."""
    return f"{_slug(document)}_{_slug(org_name)}_{day.isoformat()}.docx"


def render_pack(
    bank: QuestionBank,
    org: Organization,
    documents: Iterable[str] | None = None,
    *,
    citations: bool = True,
    today: dt.date | None = None,
    templates_dir: Path | str | None = None,
) -> bytes:
    """Return a zip of the documents' .docx files (all documents by default), named by
    `document_filename`, with fixed timestamps; raises DocumentError."""
    day = today or dt.date.today()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as pack:
        for document in documents or DOCUMENT_IDS:
            data = render_docx(bank, org, document, citations=citations, today=day, templates_dir=templates_dir)
            info = zipfile.ZipInfo(document_filename(document, org.name, day), (day.year, day.month, day.day, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            pack.writestr(info, data)
    return buffer.getvalue()

"""The organization's documents: template -> Markdown -> one element tree -> HTML preview and .docx.

Everything outside this package (the services, the CLI) calls only what this module exports.
Which assessment feeds a document: the last one in ``org.assessments`` for the document's
questionnaire; without one, the document is still written from the profile, every statement of
practice becomes a commitment (or is left out), and readiness says the standard is not assessed.
The gap report covers the latest assessment of every questionnaire its front matter names, with the
progress since the round before it when there is one, and takes its action plan from
``org.actions`` when the organization has actions for those questionnaires.

How templates are written (front matter, helpers, statements, ``cite=``): see `source.py` and
`statements.py`; the truth and consistency rules themselves are in `assess.core.truth`.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from assess.core.answers import Organization
from assess.core.facts import fact_text
from assess.core.questionnaire import DOCUMENT_IDS, Fact, QuestionBank
from assess.core.truth import Contradiction, contradictions
from assess.documents.errors import DocumentError
from assess.documents.meta import ImageSource
from assess.documents.pages import available as pages_available
from assess.documents.pages import heading_pages
from assess.documents.practices import PracticeBook, PracticeStatus
from assess.documents.prepare import Evaluated, Prepared, evaluate, prepare, review_comments
from assess.documents.preview import block_texts, write_html, write_passages
from assess.documents.source import DocumentInfo, default_templates_dir, read_template
from assess.documents.statements import Statement
from assess.documents.text import clean_text
from assess.documents.tree import heading_text
from assess.documents.word import write_docx

__all__ = [
    "DOCUMENT_IDS",
    "DocumentError",
    "DocumentInfo",
    "PracticeStatus",
    "Readiness",
    "Statement",
    "can_number_pages",
    "document_filename",
    "facts_used",
    "list_documents",
    "readiness",
    "readiness_all",
    "render_docx",
    "render_html",
    "render_documents",
    "render_pack",
    "render_passages",
]

REFERENCE_DOCX = "reference.docx"


@dataclass(frozen=True)
class Readiness:
    """What to fix before publishing a document, worked out from the template's evaluation alone
    (no Markdown parsed, no HTML or Word written).

    `missing_facts`: the profile facts shown as placeholders, in profile order; `defaulted`: the
    facts shown with their default; `below_target`: the practices its statements rest on that the
    latest assessment did not find in place (below target, don't know, not applicable, unanswered
    or not asked), only from standards that were assessed; `not_assessed`: the labels of its
    standards never assessed; `rewritten` and `left_out`: the statements the truth rules changed;
    `unplanned`: practices below target without an action with an owner and a due date;
    `contradictions`: pairs of claims the profile and answers both make, which the document leaves
    unsaid; `sources`: (standard, assessment title) of each assessment it draws on.
    """

    document: str
    missing_facts: tuple[Fact, ...]
    below_target: tuple[PracticeStatus, ...]
    defaulted: tuple[Fact, ...] = ()
    not_assessed: tuple[str, ...] = ()
    rewritten: tuple[Statement, ...] = ()
    left_out: tuple[Statement, ...] = ()
    unplanned: tuple[PracticeStatus, ...] = ()
    contradictions: tuple[Contradiction, ...] = ()
    sources: tuple[tuple[str, str], ...] = ()

    @property
    def required_missing(self) -> tuple[Fact, ...]:
        """Return the missing facts the document requires (`assess generate --strict` fails on them)."""
        return tuple(f for f in self.missing_facts if self.document in f.required_for)

    @property
    def ready(self) -> bool:
        """Return whether nothing is missing, not in place, unassessed or contradictory."""
        return not (self.missing_facts or self.below_target or self.not_assessed or self.contradictions)


def list_documents(templates_dir: Path | str | None = None) -> tuple[DocumentInfo, ...]:
    """Return every document the tool writes, in DOCUMENT_IDS order; raises DocumentError for a bad template."""
    return tuple(read_template(doc, templates_dir).info for doc in DOCUMENT_IDS)


def _readiness(evaluated: Evaluated) -> Readiness:
    book, template = evaluated.book, evaluated.template
    practices = evaluated.practices()
    used = set(evaluated.facts.read) | set(practices)
    relevant = [
        c
        for c in contradictions(evaluated.facts.effective(), book.in_place)
        if used & {name for side in (c.pair.a, c.pair.b) for group in side.when for name in _names(group)}
    ]
    sources = []
    not_assessed = []
    for questionnaire_id in template.info.questionnaires:
        questionnaire = book.bank.questionnaire(questionnaire_id)
        found = book.result(questionnaire_id)
        if found is None:
            not_assessed.append(questionnaire.label)
        else:
            sources.append((questionnaire.label, found[0].title))
    return Readiness(
        document=template.info.id,
        missing_facts=evaluated.facts.missing_facts(),
        below_target=tuple(p for p in practices.values() if p.flagged and p.assessed),
        defaulted=evaluated.facts.defaulted_facts(),
        not_assessed=tuple(not_assessed),
        rewritten=evaluated.statements.rewritten(),
        left_out=evaluated.statements.left_out(),
        unplanned=tuple(evaluated.statements.unplanned.values()),
        contradictions=tuple(relevant),
        sources=tuple(sources),
    )


def _names(group: Iterable[object]) -> set[str]:
    names = set()
    for condition in group:
        for attribute in ("fact", "practice", "number"):
            name = getattr(condition, attribute, None)
            if isinstance(name, str):
                names.add(name)
    return names


def readiness(
    bank: QuestionBank,
    org: Organization,
    document: str,
    templates_dir: Path | str | None = None,
    today: dt.date | None = None,
) -> Readiness:
    """Return what a document still needs, from its template's evaluation alone; raises DocumentError."""
    return _readiness(evaluate(bank, org, document, today, templates_dir))


def readiness_all(
    bank: QuestionBank,
    org: Organization,
    documents: Iterable[str] | None = None,
    templates_dir: Path | str | None = None,
    today: dt.date | None = None,
) -> dict[str, Readiness]:
    """Return what each document still needs (all of them by default), scoring the organization's
    assessments once for all; raises DocumentError."""
    book = PracticeBook(bank, org)
    return {d: _readiness(evaluate(bank, org, d, today, templates_dir, book)) for d in documents or DOCUMENT_IDS}


def _images(prepared: Prepared) -> ImageSource:
    book = prepared.evaluated.book

    def image(source: str, fmt: str) -> bytes:
        from assess.documents.charts import clause_chart, clause_chart_png

        kind, _, questionnaire_id = source.partition(":")
        found = book.result(questionnaire_id) if kind == "chart" else None
        if found is None:
            raise prepared.evaluated.template.error(
                f"image {source!r}: not a chart of an assessed questionnaire", source
            )
        questionnaire = book.bank.questionnaire(questionnaire_id)
        return clause_chart_png(questionnaire, found[1]) if fmt == "png" else clause_chart(questionnaire, found[1], fmt)

    return image


def render_html(
    bank: QuestionBank,
    org: Organization,
    document: str,
    *,
    citations: bool = True,
    notes: bool = False,
    today: dt.date | None = None,
    templates_dir: Path | str | None = None,
) -> str:
    """Return the document as a sanitized HTML fragment for a preview page; raises DocumentError."""
    prepared = prepare(bank, org, document, citations, today, templates_dir)
    return write_html(prepared.meta, prepared.tree, review_comments(prepared.evaluated, notes), _images(prepared))


def facts_used(
    bank: QuestionBank, org: Organization, document: str, templates_dir: Path | str | None = None
) -> tuple[Fact, ...]:
    """Return the profile facts a document shows or decides by, for this organization as it stands
    (a choice can bring more facts in), and those it requires, in profile order; raises DocumentError."""
    evaluated = evaluate(bank, org, document, None, templates_dir)
    used = set(evaluated.facts.read)
    return tuple(f for f in bank.profile.facts if f.id in used or document in f.required_for)


SENTINEL_TYPES = frozenset({"text", "longtext", "number", "email", "url"})
"""Fact types whose value a document prints as it is (a choice shapes the wording instead)."""


def _sentinel(fact: Fact, n: int) -> object:
    word = f"Qzx{n}wq"
    if fact.type == "number":
        return 987_650 + n
    if fact.type == "email":
        return f"{word}@example.org"
    if fact.type == "url":
        return f"https://{word}.example.org"
    return word


def render_passages(
    bank: QuestionBank,
    org: Organization,
    document: str,
    fact_ids: Iterable[str],
    *,
    templates_dir: Path | str | None = None,
    today: dt.date | None = None,
) -> str:
    """Return the passages of a document in which these facts appear, with their text (or their default,
    or their placeholder while missing), as a sanitized HTML fragment; "" when none shows them.

    A missing fact is found by its placeholder in the document as it is. For a fact with a value,
    the document is drawn once more with a unique word standing for the value, so the passages are
    found wherever the value is printed (a number like "2" is everywhere), then shown with the real
    value put back. Raises DocumentError.
    """
    real = prepare(bank, org, document, True, today, templates_dir)
    stand_in = dict(org.profile)
    sentinels: dict[str, str] = {}
    placeholders: dict[str, str] = {}
    for n, fact_id in enumerate(fact_ids):
        fact = bank.profile.fact(fact_id)
        value = org.profile.get(fact_id, fact.default)
        if value in (None, "", []):
            # missing with no default: the document shows its placeholder, found as it is
            placeholders[clean_text(fact.placeholder_text)] = clean_text(fact.placeholder_text)
        elif fact.type in SENTINEL_TYPES:
            sentinel = _sentinel(fact, n)
            stand_in[fact_id] = sentinel
            sentinels[fact_text(fact, sentinel)] = " ".join(clean_text(fact_text(fact, value)).split())
    written = block_texts(real.tree)
    parts = []
    if placeholders:
        parts.append(write_passages(real.meta, real.tree, placeholders, written, _images(real)))
    if sentinels:
        # the stand-in differs in its profile only: the assessments are scored once, for both drawings
        drawn = prepare(bank, replace(org, profile=stand_in), document, True, today, templates_dir, real.evaluated.book)
        parts.append(write_passages(drawn.meta, drawn.tree, sentinels, written, _images(drawn)))
    return "".join(parts)


def _reference_docx(templates_dir: Path | str | None) -> Path:
    own = Path(templates_dir or default_templates_dir()) / REFERENCE_DOCX
    return own if own.is_file() else default_templates_dir() / REFERENCE_DOCX


def render_docx(
    bank: QuestionBank,
    org: Organization,
    document: str,
    *,
    citations: bool = True,
    notes: bool = False,
    page_numbers: bool = False,
    today: dt.date | None = None,
    templates_dir: Path | str | None = None,
) -> bytes:
    """Return the document as .docx bytes (identical XML for identical input and `today`); the
    assessment's own notes go into the comments only with `notes`; `page_numbers` has a headless
    LibreOffice fill in the contents' page numbers (`pages.py`). Raises DocumentError."""
    prepared = prepare(bank, org, document, citations, today, templates_dir)
    data = _write(prepared, notes, templates_dir)
    if page_numbers and has_contents(prepared):
        found = heading_pages([(data, contents_of(prepared))])[0]
        data = _write(prepared, notes, templates_dir, found)
    return data


def has_contents(prepared: Prepared) -> bool:
    """Return whether the document has a contents page (a policy does; a paper, the gap report, not)."""
    return prepared.meta.layout == "policy"


def contents_of(prepared: Prepared) -> list[str]:
    """Return the headings the contents list, as they read there ("2.4 How to make a complaint")."""
    return [heading_text(el) for el in prepared.tree if el.tag in ("h1", "h2")]


def _write(
    prepared: Prepared, notes: bool, templates_dir: Path | str | None, pages: list[int | None] | None = None
) -> bytes:
    return write_docx(
        _reference_docx(templates_dir),
        prepared.meta,
        prepared.tree,
        review_comments(prepared.evaluated, notes),
        _images(prepared),
        pages,
    )


def render_documents(
    bank: QuestionBank,
    org: Organization,
    documents: Iterable[str] | None = None,
    *,
    citations: bool = True,
    notes: bool = False,
    page_numbers: bool = False,
    today: dt.date | None = None,
    templates_dir: Path | str | None = None,
) -> dict[str, bytes]:
    """Return each document's .docx bytes by id (all documents by default, in DOCUMENT_IDS order);
    with `page_numbers`, one LibreOffice run fills in every contents. Raises DocumentError."""
    day = today or dt.date.today()
    chosen = list(documents or DOCUMENT_IDS)
    book = PracticeBook(bank, org)
    prepared = [prepare(bank, org, document, citations, day, templates_dir, book) for document in chosen]
    written = [_write(p, notes, templates_dir) for p in prepared]
    numbered = [i for i, p in enumerate(prepared) if has_contents(p)]
    if page_numbers and numbered:
        found = heading_pages([(written[i], contents_of(prepared[i])) for i in numbered])
        for i, pages in zip(numbered, found, strict=True):
            written[i] = _write(prepared[i], notes, templates_dir, pages)
    return dict(zip(chosen, written, strict=True))


def can_number_pages() -> bool:
    """Return whether `page_numbers=True` can work here (LibreOffice and pdftotext are installed)."""
    return pages_available()


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
    notes: bool = False,
    page_numbers: bool = False,
    today: dt.date | None = None,
    templates_dir: Path | str | None = None,
) -> bytes:
    """Return a zip of the documents' .docx files (all documents by default), named by
    `document_filename`, with fixed timestamps; `page_numbers` as for `render_docx`, in one
    LibreOffice run for the whole pack. Raises DocumentError."""
    day = today or dt.date.today()
    written = render_documents(
        bank,
        org,
        documents,
        citations=citations,
        notes=notes,
        page_numbers=page_numbers,
        today=day,
        templates_dir=templates_dir,
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as pack:
        for document, data in written.items():
            info = zipfile.ZipInfo(document_filename(document, org.name, day), (day.year, day.month, day.day, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            pack.writestr(info, data)
    return buffer.getvalue()

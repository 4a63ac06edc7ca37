"""One document made ready to write: its template evaluated against an organization, and what that showed.

`evaluate` runs the template's Jinja once, with the helpers every template may call, and returns
the Markdown with what the run recorded (facts missing or defaulted, statements written, rewritten
or left out); readiness needs nothing more. `prepare` also parses the Markdown into the element tree
both writers read, and fills in the cover's metadata.
"""

from __future__ import annotations

import datetime as dt
import functools
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assess.core.answers import Organization
from assess.core.questionnaire import QuestionBank
from assess.core.truth import COMMIT, LEFT_OUT, unproven_fact
from assess.core.vocabulary import LEVELS, join_words, long_date
from assess.documents.facts import FactReader
from assess.documents.meta import CoverLine, DocumentMeta
from assess.documents.practices import BELOW_TARGET, PracticeBook, PracticeStatus
from assess.documents.report import gap_report
from assess.documents.source import TemplateFile, add_months, read_template, render_markdown
from assess.documents.statements import StatementBook
from assess.documents.text import (
    INSTEAD,
    LINE_BREAK,
    clean_text,
    close_gaps,
    document_property,
    escape_markdown,
    placeholder,
    reference,
)
from assess.documents.tree import TemplateProblem, build_tree
from assess.documents.wording import Wording, sector_words, unresolved

DEFAULT_VERSION = "0.1"
ON_APPROVAL = "On approval"


@dataclass(frozen=True)
class Evaluated:
    """A template's Markdown for one organization, with the facts and statements it used."""

    template: TemplateFile
    markdown: str
    facts: FactReader
    statements: StatementBook
    book: PracticeBook
    day: dt.date

    @property
    def document(self) -> str:
        return self.template.info.id

    def practices(self) -> dict[str, PracticeStatus]:
        """Return every practice the document's statements rest on, in document order."""
        found: dict[str, PracticeStatus] = {}
        for statement in self.statements.statements:
            for question in statement.practices:
                found.setdefault(question, self.book.status(question))
        return found


@dataclass(frozen=True)
class Prepared:
    """A document ready for a writer: the evaluation, its element tree and its cover metadata."""

    evaluated: Evaluated
    tree: ET.Element
    meta: DocumentMeta


def _doc_key(document: str) -> str:
    return document.replace("-", "_")


class DocumentFacts:
    """The per-document facts (version, effective date, review cycle), each falling back to the
    organization-wide fact and then to its default."""

    def __init__(self, facts: FactReader, document: str):
        self.facts = facts
        self.key = _doc_key(document)

    def _own(self, name: str) -> str | None:
        fact_id = f"documents.{self.key}.{name}"
        return self.facts.plain(fact_id, record=False) if self.facts.knows(fact_id) else None

    def version(self) -> str:
        return self._own("version") or self.facts.plain("documents.version") or DEFAULT_VERSION

    def effective(self) -> str | None:
        """Return the date from which the document applies, as YYYY-MM-DD, or None (on approval)."""
        fact_id = f"documents.{self.key}.effective_date"
        own = self.facts.value(fact_id, record=False) if self.facts.knows(fact_id) else None
        return own or self.facts.value("documents.effective_date", record=False)

    def review_months(self) -> str | None:
        return self._own("review_months") or self.facts.plain("review.cycle_months")

    def unproven(self) -> str:
        fact_id = unproven_fact(self.key)
        return (self.facts.plain(fact_id) or COMMIT) if self.facts.knows(fact_id) else COMMIT


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


def _plural(count: Any, unit: str) -> str:
    return unit if str(count) == "1" else f"{unit}s"


def _context(
    bank: QuestionBank,
    org: Organization,
    template: TemplateFile,
    facts: FactReader,
    book: PracticeBook,
    statements: StatementBook,
    own: DocumentFacts,
    today: dt.date,
) -> dict[str, Any]:
    questionnaire = bank.questionnaire(template.info.questionnaires[0])
    latest = book.result(questionnaire.id)

    def review_date() -> str:
        months = own.review_months()
        if months is None:
            return placeholder(bank.profile.fact("review.cycle_months").placeholder_text)
        return escape_markdown(long_date(add_months(today, int(float(months)))))

    @functools.cache
    def report() -> Any:
        # Worked out once per rendering, however often the template asks.
        return gap_report(book, template.info.questionnaires, org.actions, today)

    def count(fact_id: str, unit: str) -> str:
        """Return a number fact with its unit ("2 working days", "1 month"), or its placeholder."""
        value = facts.value(fact_id)
        if value is None:
            return facts.text(fact_id)
        return f"{facts.text(fact_id)} {_plural(facts.plain(fact_id), unit)}"

    def months_text() -> str:
        months = own.review_months()
        if months is None:
            return placeholder(bank.profile.fact("review.cycle_months").placeholder_text)
        return f"{escape_markdown(months)} {_plural(months, 'month')}"

    legal = facts.plain("org.legal_name")
    trading = facts.plain("org.trading_name", record=False)
    shown_name = trading or legal or clean_text(org.name)
    wording = Wording(facts, statements)

    effective = own.effective()

    return {
        "org": escape_markdown(org.name),
        "name": escape_markdown(shown_name),
        "legal_name": facts.text("org.legal_name"),
        "trading_as": bool(trading and legal and trading != legal),
        "title": escape_markdown(template.info.title),
        "standard": escape_markdown(questionnaire.label),
        "assessment": escape_markdown(latest[0].title) if latest else "",
        "today": escape_markdown(long_date(today)),
        "fact": facts.text,
        "has": facts.has,
        "given": facts.given,
        "value": facts.raw,
        "fact_is": facts.is_,
        "items": facts.items,
        "link": facts.link,
        "count": count,
        "words": sector_words(facts.value("org.sector", record=False)),
        "statement": statements.statement,
        "commitment": statements.commitment,
        "instead": INSTEAD,
        "says": statements.says,
        "ref": reference,
        "docprop": document_property,
        "binding_effect": wording.binding_effect,
        "participation": wording.participation,
        "phone_cost": wording.phone_cost,
        "funding_text": wording.funding,
        "channels_text": wording.channels,
        "review_handler": wording.review_handler,
        "review_time": wording.review_time,
        "review_step": wording.review_step,
        "unresolved": unresolved,
        "review_date": review_date,
        "review_months": months_text,
        "effective": escape_markdown(long_date(dt.date.fromisoformat(effective))) if effective else ON_APPROVAL,
        "report": report,
        "levels": [(level, escape_markdown(label)) for level, label in LEVELS.items()],
        "version": document_property("Version"),
        "writing_space": lambda lines=1: LINE_BREAK.join(["\u00a0"] * max(1, min(int(lines), 20))),
    }


def evaluate(
    bank: QuestionBank,
    org: Organization,
    document: str,
    today: dt.date | None = None,
    templates_dir: Path | str | None = None,
    book: PracticeBook | None = None,
) -> Evaluated:
    """Return the template of `document` evaluated for the organization (`book`: the organization's
    scored assessments, shared by the documents of one pack). Raises DocumentError."""
    template = read_template(document, templates_dir)
    for questionnaire_id in template.info.questionnaires:
        if questionnaire_id not in bank.questionnaires:
            raise template.error(f"front matter names unknown questionnaire {questionnaire_id!r}", questionnaire_id)
    day = today or dt.date.today()
    facts = FactReader(bank.profile, org.profile)
    book = book or PracticeBook(bank, org)
    own = DocumentFacts(facts, document)
    statements = StatementBook(book, facts, own.unproven(), day)
    context = _context(bank, org, template, facts, book, statements, own, day)
    markdown_text = close_gaps(render_markdown(template, context))
    own.version()  # the cover shows them: read here, so readiness sees what the cover will need
    for fact_id in template.owner:
        facts.plain(fact_id)
    return Evaluated(template, markdown_text, facts, statements, book, day)


def _cover_notes(evaluated: Evaluated, assessed: list[str]) -> list[str]:
    statements = evaluated.statements
    unassessed = [
        evaluated.book.bank.questionnaire(q).label
        for q in evaluated.template.info.questionnaires
        if evaluated.book.result(q) is None
    ]
    notes = ["This is a draft for review."]
    if assessed:
        notes.append(f"It is based on the self-assessment {join_words(assessed)}.")
    if unassessed:
        notes.append(
            f"There is no self-assessment against {join_words(unassessed)} yet, so every practice it "
            "describes is written as a commitment to confirm."
            if not statements.omit
            else f"There is no self-assessment against {join_words(unassessed)} yet, so the practices "
            "it would describe are left out."
        )
    rewritten = statements.rewritten()
    if rewritten and assessed:
        notes.append(
            "Practices the assessment did not find in place are written as commitments, each with the "
            "date and owner of its action in the action plan."
            if all(s.due and s.owner for s in rewritten)
            else "Practices the assessment did not find in place are written as commitments, with the "
            "date and owner of their action where the action plan has one."
        )
    if statements.left_out() and statements.omit and assessed:
        notes.append("Practices the assessment did not find in place are left out.")
    if any(not p.in_place and p.assessed for p in evaluated.practices().values()):
        notes.append("Comments in the margin say what is not in place and where in the standard.")
    if evaluated.facts.missing:
        notes.append("Highlighted text in brackets marks facts still to be filled in.")
    return notes


def prepare(
    bank: QuestionBank,
    org: Organization,
    document: str,
    citations: bool,
    today: dt.date | None,
    templates_dir: Path | str | None,
    book: PracticeBook | None = None,
) -> Prepared:
    """Return the document evaluated, parsed into its tree, with its cover; raises DocumentError."""
    evaluated = evaluate(bank, org, document, today, templates_dir, book)
    template = evaluated.template
    try:
        tree = build_tree(evaluated.markdown, _citer(bank, template), citations)
    except TemplateProblem as exc:
        raise template.error(str(exc), exc.needle) from None
    return Prepared(evaluated, tree, _meta(org, evaluated))


def _meta(org: Organization, evaluated: Evaluated) -> DocumentMeta:
    template, facts, book, day = evaluated.template, evaluated.facts, evaluated.book, evaluated.day
    bank = book.bank
    own = DocumentFacts(facts, template.info.id)
    legal = facts.plain("org.legal_name")
    owner = [(facts.plain(f), bank.profile.fact(f).placeholder_text) for f in template.owner]
    version = own.version()
    effective = own.effective()
    labels = [bank.questionnaire(q).label for q in template.info.questionnaires]
    assessed = [
        f"\u201c{found[0].title}\u201d ({bank.questionnaire(q).label})"
        for q in template.info.questionnaires
        if (found := book.result(q)) is not None
    ]
    name = clean_text(org.name).strip() or (legal or "")
    details = [
        CoverLine("Organization", legal or bank.profile.fact("org.legal_name").placeholder_text, legal is None),
        CoverLine("Version", version, field="Version"),
        CoverLine("Date", long_date(day)),
        CoverLine("Owner", ", ".join(value or missing for value, missing in owner), any(v is None for v, _ in owner)),
        CoverLine("Status", "Draft", field="Status"),
    ]
    if effective:
        details.insert(3, CoverLine("Effective from", long_date(dt.date.fromisoformat(effective))))
    source = f"Based on the self-assessment {join_words(assessed)}." if assessed else ""
    notes = _cover_notes(evaluated, assessed)
    return DocumentMeta(
        id=template.info.id,
        title=template.info.title,
        organization=name,
        subject=template.subject or f"{template.info.title} ({join_words(labels)})",
        keywords=(*template.keywords, *labels),
        version=version,
        day=day,
        category="Policy" if template.info.id != "gap-report" else "Report",
        comments=clean_text(f"Draft prepared with assess. {source}".strip()),
        details=tuple(CoverLine(clean_text(c.label), clean_text(c.value), c.missing, c.field) for c in details),
        notes=(clean_text(" ".join(notes)),),
        layout=template.layout,
    )


def review_comments(evaluated: Evaluated, notes: bool = False) -> dict[int, tuple[str, ...]]:
    """Return, by statement number, the comments to put on it: one per practice not in place, on
    the first statement written about it (none for a standard never assessed); the assessment's
    notes only when `notes`."""
    seen: set[str] = set()
    comments: dict[int, tuple[str, ...]] = {}
    for statement in evaluated.statements.statements:
        if statement.written == LEFT_OUT:
            continue
        texts = []
        for question in statement.unproven:
            status = evaluated.book.status(question)
            if question in seen or not status.assessed:
                continue
            seen.add(question)
            if statement.due and statement.owner:
                when = long_date(dt.date.fromisoformat(statement.due))
                outcome = f"Written as a commitment, due {when}."
            elif status.status == BELOW_TARGET:
                outcome = "Written as a commitment; add an action with an owner and a due date."
            else:
                outcome = "Written as a commitment until the assessment confirms it."
            texts.append(status.comment(outcome, notes))
        if texts:
            comments[statement.number] = tuple(texts)
    return comments

"""The parts of a Word document around its body: cover, contents, header, footer and file properties.

Each function writes through a `word.WordWriter`, so the styles and fields are the body's own.
Version and status are document properties (docProps/custom.xml, and the core properties), shown
on the cover and in the footer through DOCPROPERTY fields: changing the property in Word changes
every place at once.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from typing import Any, Protocol

from docx.shared import Pt
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from assess.documents import ooxml
from assess.documents.meta import DocumentMeta
from assess.documents.ooxml import RunFormat
from assess.documents.tree import heading_text


class WordWriter(Protocol):
    """What these parts need of the body's writer (`word.WordWriter`)."""

    doc: Any
    meta: DocumentMeta
    text_width: int
    pages: list[int | None]
    when: dt.datetime
    after_table: bool
    break_before: bool

    def style_id(self, name: str) -> str: ...
    def set_style(self, paragraph: Paragraph, style: str) -> None: ...
    def paragraph(self, style: str = "Normal") -> Paragraph: ...
    def run(self, paragraph: Paragraph, text: str, fmt: RunFormat, sink: Any = None) -> Run: ...
    def field(self, paragraph: Paragraph, instruction: str, shown: str, fmt: RunFormat | None = None) -> None: ...
    def bookmark(self, heading_id: str, numbered: bool) -> tuple[str, str]: ...


TOC_NOTE = (
    "To refresh the page numbers in Word, right-click the contents and choose Update Field "
    "(or press F9); in LibreOffice, choose Tools > Update > Update All."
)


def cover(writer: WordWriter) -> None:
    """Write the cover page: title, organization, details table, and a note on the draft (for a
    paper, a title block at the top of page one instead)."""
    fmt = RunFormat()
    meta = writer.meta
    if meta.layout == "paper":
        title_block(writer)
        return
    writer.run(writer.paragraph("Title"), meta.title, fmt)
    writer.run(writer.paragraph("Subtitle"), meta.organization, fmt)
    table = writer.doc.add_table(rows=len(meta.details), cols=2)
    table._tbl.tblPr.get_or_add_tblStyle().val = writer.style_id("Assess Table")
    ooxml.set_table_look(table, first_row=False)
    for line, row in zip(meta.details, table.rows, strict=True):
        label, value = (cell.paragraphs[0] for cell in row.cells)
        writer.set_style(label, "Table Heading")
        writer.set_style(value, "Table Text")
        writer.run(label, line.label, fmt)
        if line.field:
            writer.field(value, f"DOCPROPERTY {line.field} \\* MERGEFORMAT", line.value)
        else:
            shown = RunFormat(style="Placeholder") if line.missing else fmt
            writer.run(value, line.value, shown)
    ooxml.keep_rows_whole(table)
    ooxml.set_column_widths(table, [writer.text_width * 3 // 10, writer.text_width * 7 // 10])
    writer.after_table = True  # the note below keeps its distance from the table
    for note in meta.notes:
        writer.run(writer.paragraph("Note"), note, fmt)
    writer.break_before = True


PAPER_TITLE = 20  # pt: a paper's title, smaller than a cover's, so its summary starts on page one


def title_block(writer: WordWriter) -> None:
    """Write a paper's title block: title, organization, the cover's details on one line ("Version
    1.0 · 1 December 2026 · ..."), and the note on the draft; the text follows on the same page."""
    fmt = RunFormat()
    meta = writer.meta
    title = writer.paragraph("Title")
    title.paragraph_format.space_before = 0
    writer.run(title, meta.title, fmt).font.size = Pt(PAPER_TITLE)
    subtitle = writer.paragraph("Subtitle")
    subtitle.paragraph_format.space_after = Pt(6)
    writer.run(subtitle, meta.organization, fmt)
    details = writer.paragraph("Note")
    for index, line in enumerate(meta.details):
        writer.run(details, (" \u00b7 " if index else "") + f"{line.label}: ", RunFormat(bold=True))
        if line.field:
            writer.field(details, f"DOCPROPERTY {line.field} \\* MERGEFORMAT", line.value)
        else:
            writer.run(details, line.value, RunFormat(style="Placeholder") if line.missing else fmt)
    for note in meta.notes:
        writer.run(writer.paragraph("Note"), note, fmt)


def contents(writer: WordWriter, tree: ET.Element) -> None:
    """Write the contents page: a TOC field pre-filled with the numbered headings, each a link to its
    heading with a PAGEREF field (its page when known; Word updates the field on opening)."""
    fmt = RunFormat()
    writer.run(writer.paragraph("TOC Heading"), "Contents", fmt)
    writer.run(writer.paragraph("Note"), TOC_NOTE, fmt)
    headings = [el for el in tree if el.tag in ("h1", "h2")]
    for index, heading in enumerate(headings, start=1):
        if not heading.get("id"):
            heading.set("id", f"heading-{index}")
        writer.bookmark(heading.get("id", ""), bool(heading.get("number")))
    paragraphs = [writer.paragraph("toc 1" if el.tag == "h1" else "toc 2") for el in headings]
    if not paragraphs:
        paragraph = writer.paragraph("toc 1")
        ooxml.field_begin(paragraph, r'TOC \o "1-2" \h \z \u', dirty=True)
        writer.run(paragraph, "Update this field to build the table of contents.", fmt)
        ooxml.field_end(paragraph)
        writer.break_before = True
        return
    ooxml.field_begin(paragraphs[0], r'TOC \o "1-2" \h \z \u', dirty=True)
    for index, (paragraph, heading) in enumerate(zip(paragraphs, headings, strict=True)):
        anchor, _ = writer.bookmark(heading.get("id", ""), bool(heading.get("number")))
        link = ooxml.add_internal_link(paragraph, anchor)
        writer.run(paragraph, heading_text(heading), fmt, link)
        writer.run(paragraph, "\t", fmt, link)
        page = writer.pages[index] if index < len(writer.pages) else None
        ooxml.field_begin(paragraph, f"PAGEREF {anchor} \\h", into=link)
        writer.run(paragraph, "" if page is None else str(page), fmt, link)
        ooxml.field_end(paragraph, into=link)
    ooxml.field_end(paragraphs[-1])
    writer.break_before = True


def header_footer(writer: WordWriter) -> None:
    """Write the header (organization, title) and footer (status, version, Page N of M); the cover
    page has neither."""
    fmt = RunFormat()
    meta = writer.meta
    section = writer.doc.sections[-1]
    section.different_first_page_header_footer = meta.layout == "policy"
    for part in (section.first_page_header, section.first_page_footer):
        part.is_linked_to_previous = False
        writer.set_style(part.paragraphs[0], "Normal")
    header = section.header.paragraphs[0]
    writer.set_style(header, "Header")
    writer.run(header, f"{meta.organization}\t{meta.title}", fmt)
    footer = section.footer.paragraphs[0]
    writer.set_style(footer, "Footer")
    writer.field(footer, "DOCPROPERTY Status \\* MERGEFORMAT", meta.status)
    writer.run(footer, ", version ", fmt)
    writer.field(footer, "DOCPROPERTY Version \\* MERGEFORMAT", meta.version)
    writer.run(footer, "\tPage ", fmt)
    ooxml.add_field(footer, "PAGE", "1")
    writer.run(footer, " of ", fmt)
    ooxml.add_field(footer, "NUMPAGES", "1")


def properties(writer: WordWriter) -> None:
    """Set the core and custom properties, dated the document's date so two builds are identical."""
    meta = writer.meta
    props = writer.doc.core_properties
    props.title = meta.title
    props.subject = meta.subject
    props.author = meta.organization
    props.last_modified_by = meta.organization
    props.keywords = "; ".join(meta.keywords)
    props.version = meta.version
    props.content_status = meta.status
    props.category = meta.category
    props.comments = meta.comments
    props.revision = 1
    props.created = props.modified = writer.when
    ooxml.set_custom_properties(writer.doc, {"Version": meta.version, "Status": meta.status})

"""The Word writer: the checked element tree and the document's metadata in, .docx bytes out.

Written on top of reference.docx (its body cleared, its section kept), so every style comes from
there; the writer only names styles (STYLES lists them all). One function per element type, in
the BLOCK_WRITERS and INLINE_WRITERS tables.
"""

from __future__ import annotations

import datetime as dt
import io
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Emu
from docx.table import _Cell
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from assess.documents import ooxml
from assess.documents.errors import DocumentError
from assess.documents.meta import DocumentMeta, ImageSource
from assess.documents.practices import PracticeStatus
from assess.documents.tree import INLINES, text_of

HEADING_STYLES = {
    "h1": "Heading 1",
    "h2": "Heading 2",
    "h3": "Heading 3",
    "h4": "Heading 3",
    "h5": "Heading 3",
    "h6": "Heading 3",
}
CLASS_STYLES = {"clause-ref": "Clause Reference", "caption": "Caption", "note": "Note"}
LIST_STYLES = {
    "ul": ("List Bullet", "List Bullet 2", "List Bullet 3"),
    "ol": ("List Number", "List Number 2", "List Number 3"),
}
STYLES = (
    "Normal",
    "Title",
    "Subtitle",
    "TOC Heading",
    "toc 1",
    "toc 2",
    "Header",
    "Footer",
    "Quote",
    "Table Text",
    "Table Heading",
    "Assess Table",
    "Hyperlink",
    "Placeholder",
    "Code",
    "annotation text",
    "annotation reference",
    *HEADING_STYLES.values(),
    *CLASS_STYLES.values(),
    *LIST_STYLES["ul"],
    *LIST_STYLES["ol"],
)
"""Every style name the writer (or python-docx's comments) uses; reference.docx must hold them all."""

COMMENT_AUTHOR = "assess"
TOC_NOTE = (
    "To refresh the page numbers in Word, right-click the contents and choose Update Field "
    "(or press F9); in LibreOffice, choose Tools > Update > Update All."
)
IMAGE_WIDTH = 0.92  # share of the text width


@dataclass(frozen=True)
class _Format:
    style: str | None = None
    bold: bool = False
    italic: bool = False


class WordWriter:
    """Writes one document; `write` may be called once."""

    def __init__(
        self,
        reference: Path,
        meta: DocumentMeta,
        practices: Mapping[str, PracticeStatus],
        images: ImageSource,
    ):
        self.doc = Document(str(reference))
        self.meta = meta
        self.practices = practices
        self.images = images
        self.style_ids = {style.name: style.style_id for style in self.doc.styles}
        section = self.doc.sections[-1]
        self.text_width = int((section.page_width or 0) - (section.left_margin or 0) - (section.right_margin or 0))
        self._number_num_id = ooxml.style_num_id(self.doc, self.style_id("List Number"))
        self._break_before = False
        self._last_paragraph: Paragraph | None = None
        self._when = dt.datetime.combine(meta.day, dt.time(9, 0))

    # --- styles and paragraphs ------------------------------------------------------------

    def style_id(self, name: str) -> str:
        """Return the id of a style in reference.docx; raises DocumentError if it is missing."""
        try:
            return self.style_ids[name]
        except KeyError:
            raise DocumentError(f"reference.docx has no style named {name!r}") from None

    def set_style(self, paragraph: Paragraph, style: str) -> None:
        """Give a paragraph a style by id: python-docx's lookup by name rescans every style on each call."""
        ooxml.set_paragraph_style(paragraph._p, self.style_id(style))

    def paragraph(self, style: str = "Normal") -> Paragraph:
        """Return a new body paragraph in a style (with a pending page break before it)."""
        paragraph = self.doc.add_paragraph()
        self.set_style(paragraph, style)
        self._last_paragraph = paragraph
        if self._break_before:
            paragraph.paragraph_format.page_break_before = True
            self._break_before = False
        return paragraph

    def run(self, paragraph: Paragraph, text: str, fmt: _Format, sink: ET.Element | None = None) -> Run:
        """Return a new run of `text` at the end of the paragraph (or inside `sink`, e.g. a hyperlink)."""
        run = Run(paragraph._p.add_r(), paragraph)
        if "\n" in text or "\t" in text:
            run.text = text  # python-docx turns them into w:br and w:tab
        elif text:
            run._r.add_t(text)
        if fmt.style:
            run._r.style = self.style_id(fmt.style)
        if fmt.bold:
            run.bold = True
        if fmt.italic:
            run.italic = True
        if sink is not None:
            sink.append(run._r)
        return run

    # --- inline content ---------------------------------------------------------------------

    def inline(self, paragraph: Paragraph, element: ET.Element, fmt: _Format, sink: ET.Element | None = None) -> None:
        """Write an element's text and inline children into the paragraph (block children are skipped)."""
        if element.text:
            self.run(paragraph, element.text, fmt, sink)
        for child in element:
            if child.tag not in INLINES:
                continue
            INLINE_WRITERS[child.tag](self, paragraph, child, fmt, sink)
            if child.tail:
                self.run(paragraph, child.tail, fmt, sink)

    def _strong(self, paragraph: Paragraph, element: ET.Element, fmt: _Format, sink: ET.Element | None) -> None:
        self.inline(paragraph, element, replace(fmt, bold=True), sink)

    def _em(self, paragraph: Paragraph, element: ET.Element, fmt: _Format, sink: ET.Element | None) -> None:
        self.inline(paragraph, element, replace(fmt, italic=True), sink)

    def _code(self, paragraph: Paragraph, element: ET.Element, fmt: _Format, sink: ET.Element | None) -> None:
        self.inline(paragraph, element, replace(fmt, style="Code"), sink)

    def _placeholder(self, paragraph: Paragraph, element: ET.Element, fmt: _Format, sink: ET.Element | None) -> None:
        self.inline(paragraph, element, replace(fmt, style="Placeholder"), sink)

    def _link(self, paragraph: Paragraph, element: ET.Element, fmt: _Format, sink: ET.Element | None) -> None:
        href = element.get("href", "")
        if sink is not None or not href.startswith(("http://", "https://", "mailto:")):
            self.inline(paragraph, element, fmt, sink)
            return
        self.inline(paragraph, element, replace(fmt, style="Hyperlink"), ooxml.add_hyperlink(paragraph, href))

    def _line_break(self, paragraph: Paragraph, element: ET.Element, fmt: _Format, sink: ET.Element | None) -> None:
        self.run(paragraph, "", fmt, sink).add_break()

    def _image(self, paragraph: Paragraph, element: ET.Element, fmt: _Format, sink: ET.Element | None) -> None:
        data = self.images(element.get("src", ""), "png")
        self.run(paragraph, "", fmt, sink).add_picture(io.BytesIO(data), width=Emu(int(self.text_width * IMAGE_WIDTH)))

    # --- blocks -------------------------------------------------------------------------------

    def block(self, element: ET.Element) -> None:
        """Write one top-level element, then flag it if it relies on practices not in place."""
        try:
            writer = BLOCK_WRITERS[element.tag]
        except KeyError:
            raise DocumentError(f"cannot write <{element.tag}> to Word") from None
        paragraphs = writer(self, element)
        self.flag(element, paragraphs)

    def _heading(self, element: ET.Element) -> list[Paragraph]:
        paragraph = self.paragraph(HEADING_STYLES[element.tag])
        self.inline(paragraph, element, _Format())
        return [paragraph]

    def _paragraph(self, element: ET.Element) -> list[Paragraph]:
        classes = element.get("class", "").split()
        style = next((CLASS_STYLES[c] for c in classes if c in CLASS_STYLES), "Normal")
        paragraph = self.paragraph(style)
        if len(element) == 1 and element[0].tag == "img" and not (element.text or "").strip():
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            paragraph.paragraph_format.keep_with_next = True
        self.inline(paragraph, element, _Format())
        return [paragraph]

    def _quote(self, element: ET.Element) -> list[Paragraph]:
        written = []
        for child in element if len(element) else [element]:
            paragraph = self.paragraph("Quote")
            self.inline(paragraph, child, _Format())
            self.flag(child, [paragraph])
            written.append(paragraph)
        return written

    def _page_break(self, element: ET.Element) -> list[Paragraph]:
        self._break_before = True
        return []

    def _list(self, element: ET.Element, level: int = 0) -> list[Paragraph]:
        ordered = element.tag == "ol"
        style = LIST_STYLES[element.tag][min(level, 2)]
        num_id = ooxml.new_numbering(self.doc, self._number_num_id) if ordered else None
        written = []
        for item in element:
            paragraph = self.paragraph(style)
            if num_id is not None:
                ooxml.set_numbering(paragraph, num_id, min(level, 2))
            self.inline(paragraph, item, _Format())
            for index, para in enumerate(child for child in item if child.tag == "p"):
                if index or (item.text or "").strip():
                    self.run(paragraph, "", _Format()).add_break()
                self.inline(paragraph, para, _Format())
            self.flag(item, [paragraph])
            written.append(paragraph)
            for nested in (child for child in item if child.tag in LIST_STYLES):
                written.extend(self._list(nested, level + 1))
        return written

    def _table(self, element: ET.Element) -> list[Paragraph]:
        head = [tr for section in element if section.tag == "thead" for tr in section]
        rows = head + [tr for section in element if section.tag == "tbody" for tr in section]
        columns = max((len(tr) for tr in rows), default=0)
        if not columns:
            return []
        if self._break_before:
            self.paragraph()
        elif self._last_paragraph is not None:
            self._last_paragraph.paragraph_format.keep_with_next = True  # the sentence introducing the table
        table = self.doc.add_table(rows=len(rows), cols=columns)
        table._tbl.tblPr.get_or_add_tblStyle().val = self.style_id("Assess Table")
        ooxml.set_table_look(table, first_row=bool(head))
        written = []
        for tr, row in zip(rows, table._tbl.tr_lst, strict=True):
            for cell_element, tc in zip(tr, row.tc_lst, strict=False):
                paragraph = Paragraph(tc.p_lst[0], _Cell(tc, table))
                self.set_style(paragraph, "Table Heading" if cell_element.tag == "th" else "Table Text")
                align = cell_element.get("style", "")
                if "right" in align:
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                elif "center" in align:
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
                self.inline(paragraph, cell_element, _Format())
                self.flag(cell_element, [paragraph])
                written.append(paragraph)
        ooxml.repeat_as_header(table, len(head))
        for paragraph in written[: columns * (len(head) + 2)]:
            paragraph.paragraph_format.keep_with_next = True  # no header row alone at a page's foot
        ooxml.set_column_widths(table, column_widths(rows, columns, self.text_width))
        self.paragraph("Table Text")  # keeps the next table or heading off this table
        self._last_paragraph = None
        return written

    # --- comments ---------------------------------------------------------------------------------

    def flag(self, element: ET.Element, paragraphs: list[Paragraph]) -> None:
        """Comment the paragraphs' text with each practice of the element that is not in place."""
        ids = element.get("practice", "").split()
        messages = [self.practices[qid].message for qid in ids if self.practices[qid].flagged]
        runs = [Run(r, p) for p in paragraphs for r in p._p.xpath(".//w:r")] if messages else []
        if not runs:
            return
        comment = self.doc.add_comment(runs, "\n\n".join(messages), author=COMMENT_AUTHOR, initials="A")
        comment._comment_elm.set(qn("w:date"), self._when.strftime("%Y-%m-%dT%H:%M:%SZ"))

    # --- the parts around the body ------------------------------------------------------------

    def cover(self) -> None:
        """Write the cover page: title, organization, details table, and a note on the draft."""
        self.run(self.paragraph("Title"), self.meta.title, _Format())
        self.run(self.paragraph("Subtitle"), self.meta.organization, _Format())
        table = self.doc.add_table(rows=len(self.meta.details), cols=2)
        table._tbl.tblPr.get_or_add_tblStyle().val = self.style_id("Assess Table")
        ooxml.set_table_look(table, first_row=False)
        for line, row in zip(self.meta.details, table.rows, strict=True):
            label, value = (cell.paragraphs[0] for cell in row.cells)
            self.set_style(label, "Table Heading")
            self.set_style(value, "Table Text")
            self.run(label, line.label, _Format())
            self.run(value, line.value, _Format(style="Placeholder" if line.missing else None))
        ooxml.set_column_widths(table, [self.text_width * 3 // 10, self.text_width * 7 // 10])
        self.paragraph()
        for note in self.meta.notes:
            self.run(self.paragraph("Note"), note, _Format())
        self._break_before = True

    def contents(self, tree: ET.Element) -> None:
        """Write the contents page: a TOC field pre-filled with the headings (Word updates it on open)."""
        self.run(self.paragraph("TOC Heading"), "Contents", _Format())
        self.run(self.paragraph("Note"), TOC_NOTE, _Format())
        entries = [(el.tag, text_of(el)) for el in tree if el.tag in ("h1", "h2")]
        paragraphs = [self.paragraph("toc 1" if tag == "h1" else "toc 2") for tag, _ in entries]
        if not paragraphs:
            paragraphs = [self.paragraph("toc 1")]
            entries = [("h1", "Update this field to build the table of contents.")]
        ooxml.field_begin(paragraphs[0], r'TOC \o "1-2" \h \z \u', dirty=True)
        for paragraph, (_, text) in zip(paragraphs, entries, strict=True):
            self.run(paragraph, text, _Format())
        ooxml.field_end(paragraphs[-1])
        self._break_before = True

    def header_footer(self) -> None:
        """Write the header (organization, title) and footer (status, version, Page N of M);
        the cover page has neither."""
        section = self.doc.sections[-1]
        section.different_first_page_header_footer = True
        for part in (section.first_page_header, section.first_page_footer):
            part.is_linked_to_previous = False
            self.set_style(part.paragraphs[0], "Normal")
        header = section.header.paragraphs[0]
        self.set_style(header, "Header")
        self.run(header, f"{self.meta.organization}\t{self.meta.title}", _Format())
        footer = section.footer.paragraphs[0]
        self.set_style(footer, "Footer")
        self.run(footer, f"{self.meta.status}, version {self.meta.version}\tPage ", _Format())
        ooxml.add_field(footer, "PAGE", "1")
        self.run(footer, " of ", _Format())
        ooxml.add_field(footer, "NUMPAGES", "1")

    def properties(self) -> None:
        """Set the core properties, dated the document's date so two builds are identical."""
        props = self.doc.core_properties
        props.title = self.meta.title
        props.subject = self.meta.subject
        props.author = self.meta.organization
        props.last_modified_by = self.meta.organization
        props.keywords = "; ".join(self.meta.keywords)
        props.version = self.meta.version
        props.content_status = self.meta.status
        props.category = self.meta.category
        props.comments = self.meta.comments
        props.revision = 1
        props.created = props.modified = self._when

    def write(self, tree: ET.Element) -> bytes:
        """Return the whole document as .docx bytes."""
        body = self.doc.element.body
        for child in list(body):
            if child.tag != qn("w:sectPr"):
                body.remove(child)
        self.cover()
        self.contents(tree)
        for element in tree:
            self.block(element)
        self.header_footer()
        self.properties()
        ooxml.set_update_fields_on_open(self.doc)
        buffer = io.BytesIO()
        self.doc.save(buffer)
        return _with_fixed_times(buffer.getvalue(), self._when)


CHARACTER = 63_500  # EMU (5 pt): a generous average character width at 9 pt, bold included
CELL_PADDING = 108_000 + CHARACTER  # the table style's cell margins (2 x 85 twips) and some air
BLANK_COLUMN = 8  # characters of room kept for a column left blank to fill in (asking for 4 times that)


def column_widths(rows: list[ET.Element], columns: int, total: int) -> list[int]:
    """Return column widths (EMU) summing to `total`, as a browser's automatic table layout would:
    each column gets at least its longest word, and the rest of the width goes to the columns
    whose text would otherwise wrap, in proportion to how much they need. A column left blank
    below its header is there to be written in, and asks for room accordingly."""
    least, most = [], []
    for index in range(columns):
        texts = [text_of(tr[index]).strip() for tr in rows if index < len(tr)]
        longest_word = max((len(w) for t in texts for w in t.split()), default=1)
        longest = max((len(t) for t in texts), default=1)
        if len(texts) > 1 and not any(texts[1:]):
            longest_word, longest = max(longest_word, BLANK_COLUMN), max(longest, 4 * BLANK_COLUMN)
        least.append(longest_word * CHARACTER + CELL_PADDING)
        most.append(max(longest * CHARACTER + CELL_PADDING, least[-1]))
    if sum(most) <= total:
        widths = [w * total / sum(most) for w in most]
    elif sum(least) >= total:
        widths = [w * total / sum(least) for w in least]
    else:
        spare = (total - sum(least)) / (sum(most) - sum(least))
        widths = [lo + (hi - lo) * spare for lo, hi in zip(least, most, strict=True)]
    result = [int(w) for w in widths]
    result[-1] += total - sum(result)
    return result


def _with_fixed_times(data: bytes, when: dt.datetime) -> bytes:
    """Return the zip with every entry dated `when`, so equal documents are equal byte for byte."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, when.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, source.read(info.filename))
    return buffer.getvalue()


INLINE_WRITERS: dict[str, Callable[[WordWriter, Paragraph, ET.Element, _Format, ET.Element | None], None]] = {
    "strong": WordWriter._strong,
    "em": WordWriter._em,
    "code": WordWriter._code,
    "span": WordWriter._placeholder,
    "a": WordWriter._link,
    "br": WordWriter._line_break,
    "img": WordWriter._image,
}

BLOCK_WRITERS: dict[str, Callable[[WordWriter, ET.Element], list[Paragraph]]] = {
    **{tag: WordWriter._heading for tag in HEADING_STYLES},
    "p": WordWriter._paragraph,
    "blockquote": WordWriter._quote,
    "hr": WordWriter._page_break,
    "ul": WordWriter._list,
    "ol": WordWriter._list,
    "table": WordWriter._table,
}


def write_docx(
    reference: Path,
    meta: DocumentMeta,
    tree: ET.Element,
    practices: Mapping[str, PracticeStatus],
    images: ImageSource,
) -> bytes:
    """Return the .docx bytes of a document; raises DocumentError for a missing style or element."""
    return WordWriter(reference, meta, practices, images).write(tree)

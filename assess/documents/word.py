"""The Word writer: the checked element tree and the document's metadata in, .docx bytes out.

Written on top of reference.docx (its body cleared, its section kept), so every style comes from
there; the writer only names styles (STYLES lists them all). One function per element type, in
the BLOCK_WRITERS and INLINE_WRITERS tables. What makes the file Word-native rather than typed:
headings numbered by the Heading styles' own list, cross-references as REF fields to bookmarks,
captions with SEQ fields, version and status as document properties shown through DOCPROPERTY
fields, rows that do not split and header rows that repeat, alt text on every picture, no empty
spacer paragraphs, and Word's current layout mode (not Compatibility Mode). The cover, contents,
header and footer are in `frame.py`.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu, Pt
from docx.table import _Cell
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from assess.documents import frame, ooxml
from assess.documents.errors import DocumentError
from assess.documents.meta import DocumentMeta, ImageSource
from assess.documents.ooxml import RunFormat
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
    "Table Text Compact",
    "Table Heading Compact",
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
IMAGE_WIDTH = 0.92  # share of the text width
AFTER_TABLE = Pt(8)  # space above the paragraph that follows a table (instead of an empty paragraph)
_CAPTION = re.compile(r"^(Figure|Table) (\d+)([.:]?)")
BOOKMARK_BASE = 100_000


class WordWriter:
    """Writes one document; `write` may be called once.

    `comments` maps a statement's number to the comments to anchor on the block holding it;
    `pages` gives, in order, the page of each heading of the contents (None: not known).
    """

    def __init__(
        self,
        reference: Path,
        meta: DocumentMeta,
        comments: Mapping[int, Sequence[str]],
        images: ImageSource,
        pages: Sequence[int | None] | None = None,
    ):
        self.doc = Document(str(reference))
        self.meta = meta
        self.comments = comments
        self.images = images
        self.pages = list(pages or [])
        self.style_ids = {style.name: style.style_id for style in self.doc.styles}
        section = self.doc.sections[-1]
        self.text_width = int((section.page_width or 0) - (section.left_margin or 0) - (section.right_margin or 0))
        self._number_num_id = ooxml.style_num_id(self.doc, self.style_id("List Number"))
        self.numbered_headings = _has_numbering(self.doc, self.style_id("Heading 1"))
        self.break_before = False
        self.after_table = False
        self._last_paragraph: Paragraph | None = None
        self._bookmarks: dict[str, tuple[str, bool]] = {}
        self._next_bookmark = 0
        self.when = dt.datetime.combine(meta.day, dt.time(9, 0))

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
        """Return a new body paragraph in a style (with a pending page break, or room after a table)."""
        paragraph = self.doc.add_paragraph()
        self.set_style(paragraph, style)
        self._last_paragraph = paragraph
        if self.break_before:
            paragraph.paragraph_format.page_break_before = True
            self.break_before = False
        elif self.after_table:
            paragraph.paragraph_format.space_before = AFTER_TABLE
        self.after_table = False
        return paragraph

    def run(self, paragraph: Paragraph, text: str, fmt: RunFormat, sink: ET.Element | None = None) -> Run:
        """Return a new run of `text` at the end of the paragraph (or inside `sink`, e.g. a hyperlink).

        Runs, their properties and their text are made directly: they always come last in their
        paragraph, and python-docx's own adders search the schema order for every element.
        """
        r = OxmlElement("w:r")
        (sink if sink is not None else paragraph._p).append(r)
        run = Run(r, paragraph)  # type: ignore[arg-type]
        if fmt.style or fmt.bold or fmt.italic:
            r_pr = OxmlElement("w:rPr")
            if fmt.style:
                style = OxmlElement("w:rStyle")
                style.set(qn("w:val"), self.style_id(fmt.style))
                r_pr.append(style)
            for on, tag in ((fmt.bold, "w:b"), (fmt.italic, "w:i")):
                if on:
                    r_pr.append(OxmlElement(tag))
            r.append(r_pr)
        if "\n" in text or "\t" in text:
            run.text = text  # python-docx turns them into w:br and w:tab
        elif text:
            t = OxmlElement("w:t")
            t.text = text
            if text != text.strip():
                t.set(qn("xml:space"), "preserve")
            r.append(t)
        return run

    def field(self, paragraph: Paragraph, instruction: str, shown: str, fmt: RunFormat | None = None) -> None:
        """Append a field whose cached result is `shown`, formatted like the text around it."""
        ooxml.field_begin(paragraph, instruction)
        self.run(paragraph, shown, fmt or RunFormat())
        ooxml.field_end(paragraph)

    def bookmark(self, heading_id: str, numbered: bool) -> tuple[str, str]:
        """Return the (contents, reference) bookmark names for a heading, made on first use."""
        if heading_id not in self._bookmarks:
            self._next_bookmark += 1
            self._bookmarks[heading_id] = (f"{BOOKMARK_BASE + self._next_bookmark}", numbered)
        number = self._bookmarks[heading_id][0]
        return f"_Toc{number}", f"_Ref{number}"

    # --- inline content ---------------------------------------------------------------------

    def inline(self, paragraph: Paragraph, element: ET.Element, fmt: RunFormat, sink: ET.Element | None = None) -> None:
        """Write an element's text and inline children into the paragraph (block children are skipped)."""
        if element.text:
            self.run(paragraph, element.text, fmt, sink)
        for child in element:
            if child.tag not in INLINES:
                continue
            INLINE_WRITERS[child.tag](self, paragraph, child, fmt, sink)
            if child.tail:
                self.run(paragraph, child.tail, fmt, sink)

    def _strong(self, paragraph: Paragraph, element: ET.Element, fmt: RunFormat, sink: ET.Element | None) -> None:
        self.inline(paragraph, element, replace(fmt, bold=True), sink)

    def _em(self, paragraph: Paragraph, element: ET.Element, fmt: RunFormat, sink: ET.Element | None) -> None:
        self.inline(paragraph, element, replace(fmt, italic=True), sink)

    def _code(self, paragraph: Paragraph, element: ET.Element, fmt: RunFormat, sink: ET.Element | None) -> None:
        self.inline(paragraph, element, replace(fmt, style="Code"), sink)

    def _span(self, paragraph: Paragraph, element: ET.Element, fmt: RunFormat, sink: ET.Element | None) -> None:
        if "docprop" in element.get("class", "").split():
            name = element.get("title", "")
            value = {"Version": self.meta.version, "Status": self.meta.status}[name]
            self.field(paragraph, f"DOCPROPERTY {name} \\* MERGEFORMAT", value, fmt)
            return
        placeholder = "placeholder" in element.get("class", "").split()
        self.inline(paragraph, element, replace(fmt, style="Placeholder") if placeholder else fmt, sink)

    def _link(self, paragraph: Paragraph, element: ET.Element, fmt: RunFormat, sink: ET.Element | None) -> None:
        href = element.get("href", "")
        if "ref" in element.get("class", "").split():
            _, reference = self.bookmark(href[1:], bool(element.get("number")))
            switches = "\\r \\h" if element.get("number") else "\\h"
            self.field(paragraph, f"REF {reference} {switches}", text_of(element), fmt)
            return
        if sink is not None or not href.startswith(("http://", "https://", "mailto:")):
            self.inline(paragraph, element, fmt, sink)
            return
        self.inline(paragraph, element, replace(fmt, style="Hyperlink"), ooxml.add_hyperlink(paragraph, href))

    def _line_break(self, paragraph: Paragraph, element: ET.Element, fmt: RunFormat, sink: ET.Element | None) -> None:
        self.run(paragraph, "", fmt, sink).add_break()

    def _image(self, paragraph: Paragraph, element: ET.Element, fmt: RunFormat, sink: ET.Element | None) -> None:
        data = self.images(element.get("src", ""), "png")
        shape = self.run(paragraph, "", fmt, sink).add_picture(
            io.BytesIO(data), width=Emu(int(self.text_width * IMAGE_WIDTH))
        )
        ooxml.set_alt_text(shape._inline, element.get("alt", "") or "Chart", element.get("title", ""))

    # --- blocks -------------------------------------------------------------------------------

    def block(self, element: ET.Element) -> None:
        """Write one top-level element, then comment it if its statements rest on practices not in place."""
        try:
            writer = BLOCK_WRITERS[element.tag]
        except KeyError:
            raise DocumentError(f"cannot write <{element.tag}> to Word") from None
        paragraphs = writer(self, element)
        self.flag(element, paragraphs)

    def _heading(self, element: ET.Element) -> list[Paragraph]:
        paragraph = self.paragraph(HEADING_STYLES[element.tag])
        number = element.get("number")
        if element.tag in ("h1", "h2"):
            if number and not self.numbered_headings:
                self.run(paragraph, f"{number}\u2002", RunFormat())
            elif not number and self.numbered_headings:
                ooxml.switch_off_numbering(paragraph)
        self.inline(paragraph, element, RunFormat())
        if element.tag in ("h1", "h2"):
            heading_id = element.get("id") or f"heading-{self._next_bookmark + 1}"
            element.set("id", heading_id)
            contents, reference = self.bookmark(heading_id, bool(number))
            index = int(contents[4:])
            ooxml.add_bookmark(paragraph, reference, 2 * index + 1)
            ooxml.add_bookmark(paragraph, contents, 2 * index)
        return [paragraph]

    def _paragraph(self, element: ET.Element) -> list[Paragraph]:
        classes = element.get("class", "").split()
        style = next((CLASS_STYLES[c] for c in classes if c in CLASS_STYLES), "Normal")
        paragraph = self.paragraph(style)
        if len(element) == 1 and element[0].tag == "img" and not (element.text or "").strip():
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            paragraph.paragraph_format.keep_with_next = True
        found = _CAPTION.match(element.text or "") if "caption" in classes else None
        if found:
            label, number, rest = found.groups()
            self.run(paragraph, f"{label} ", RunFormat())
            self.field(paragraph, f"SEQ {label} \\* ARABIC", number)
            element.text = rest + (element.text or "")[found.end() :]
        self.inline(paragraph, element, RunFormat())
        return [paragraph]

    def _quote(self, element: ET.Element) -> list[Paragraph]:
        written = []
        for child in element if len(element) else [element]:
            paragraph = self.paragraph("Quote")
            self.inline(paragraph, child, RunFormat())
            self.flag(child, [paragraph])
            written.append(paragraph)
        return written

    def _page_break(self, element: ET.Element) -> list[Paragraph]:
        self.break_before = True
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
            self.inline(paragraph, item, RunFormat())
            for index, para in enumerate(child for child in item if child.tag == "p"):
                if index or (item.text or "").strip():
                    self.run(paragraph, "", RunFormat()).add_break()
                self.inline(paragraph, para, RunFormat())
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
        if self.break_before or self.after_table:
            # A page break needs a paragraph to sit on, and two tables in a row would merge in Word.
            self.paragraph("Table Text")
        elif self._last_paragraph is not None:
            self._last_paragraph.paragraph_format.keep_with_next = True  # the sentence introducing the table
        compact = len(rows) - len(head) > COMPACT_ROWS
        text_style, heading_style = ("Table Text Compact", "Table Heading Compact") if compact else TABLE_STYLES
        table = self.doc.add_table(rows=len(rows), cols=columns)
        table._tbl.tblPr.get_or_add_tblStyle().val = self.style_id("Assess Table")
        ooxml.set_table_look(table, first_row=bool(head))
        written = []
        for tr, row in zip(rows, table._tbl.tr_lst, strict=True):
            for cell_element, tc in zip(tr, row.tc_lst, strict=False):
                paragraph = Paragraph(tc.p_lst[0], _Cell(tc, table))
                self.set_style(paragraph, heading_style if cell_element.tag == "th" else text_style)
                align = cell_element.get("style", "")
                if "right" in align:
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                elif "center" in align:
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
                self.inline(paragraph, cell_element, RunFormat())
                self.flag(cell_element, [paragraph])
                written.append(paragraph)
        ooxml.repeat_as_header(table, len(head))
        ooxml.keep_rows_whole(table)
        for paragraph in written[: columns * (len(head) + 2)]:
            paragraph.paragraph_format.keep_with_next = True  # no header row alone at a page's foot
        ooxml.set_column_widths(table, column_widths(rows, columns, self.text_width, compact))
        self.after_table = True
        self._last_paragraph = None
        return written

    # --- comments ---------------------------------------------------------------------------------

    def flag(self, element: ET.Element, paragraphs: list[Paragraph]) -> None:
        """Anchor on the paragraphs' text one comment per practice not in place that the
        element's statements are the first to rest on."""
        numbers = [int(n) for n in element.get("statements", "").split()]
        texts = [text for n in numbers for text in self.comments.get(n, ())]
        runs = [Run(r, p) for p in paragraphs for r in p._p.xpath(".//w:r")] if texts else []
        if not runs:
            return
        for text in texts:
            comment = self.doc.add_comment(runs, text, author=COMMENT_AUTHOR, initials="A")
            comment._comment_elm.set(qn("w:date"), self.when.strftime("%Y-%m-%dT%H:%M:%SZ"))

    # --- the whole document -------------------------------------------------------------------

    def write(self, tree: ET.Element) -> bytes:
        """Return the whole document as .docx bytes."""
        body = self.doc.element.body
        for child in list(body):
            if child.tag != qn("w:sectPr"):
                body.remove(child)
        frame.cover(self)
        if self.meta.layout == "policy":
            frame.contents(self, tree)
        for element in tree:
            self.block(element)
        frame.header_footer(self)
        frame.properties(self)
        if not any(page is not None for page in self.pages):
            ooxml.set_update_fields_on_open(self.doc)  # Word fills in the contents' page numbers
        ooxml.set_compatibility_mode(self.doc)
        return ooxml.save_dated(self.doc, self.when.timetuple()[:6])  # type: ignore[arg-type]


def _has_numbering(document: object, style_id: str) -> bool:
    try:
        ooxml.style_num_id(document, style_id)  # type: ignore[arg-type]
    except KeyError:
        return False
    return True


COMPACT_ROWS = 40
"""A table with more body rows than this (the gap report's appendix of every gap) is set in 8 pt, so
a long reference list takes fewer pages; shorter tables keep the 9 pt of the text around them."""
TABLE_STYLES = ("Table Text", "Table Heading")
CHARACTER = 63_500  # EMU (5 pt): a generous average character width at 9 pt, bold included
CELL_PADDING = 108_000 + CHARACTER  # the table style's cell margins (2 x 85 twips) and some air
BLANK_COLUMN = 8  # characters of room kept for a column left blank to fill in (asking for 4 times that)


def column_widths(rows: list[ET.Element], columns: int, total: int, compact: bool = False) -> list[int]:
    """Return column widths (EMU) summing to `total`, as a browser's automatic table layout would:
    each column gets at least its longest word, and the rest of the width goes to the columns
    whose text would otherwise wrap, in proportion to how much they need. A column left blank
    below its header is there to be written in, and asks for room accordingly; `compact`: the text
    is in 8 pt, not 9."""
    character = CHARACTER * 8 // 9 if compact else CHARACTER
    least, most = [], []
    for index in range(columns):
        texts = [text_of(tr[index]).strip() for tr in rows if index < len(tr)]
        longest_word = max((len(w) for t in texts for w in t.split()), default=1)
        longest = max((len(t) for t in texts), default=1)
        if len(texts) > 1 and not any(texts[1:]):
            longest_word, longest = max(longest_word, BLANK_COLUMN), max(longest, 4 * BLANK_COLUMN)
        least.append(longest_word * character + CELL_PADDING)
        most.append(max(longest * character + CELL_PADDING, least[-1]))
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


INLINE_WRITERS: dict[str, Callable[[WordWriter, Paragraph, ET.Element, RunFormat, ET.Element | None], None]] = {
    "strong": WordWriter._strong,
    "em": WordWriter._em,
    "code": WordWriter._code,
    "span": WordWriter._span,
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
    comments: Mapping[int, Sequence[str]],
    images: ImageSource,
    pages: Sequence[int | None] | None = None,
) -> bytes:
    """Return the .docx bytes of a document; `pages` fills the contents' page numbers when known
    (the tree is not changed). Raises DocumentError for a missing style or element."""
    return WordWriter(reference, meta, comments, images, pages).write(copy.deepcopy(tree))

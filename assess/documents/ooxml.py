"""What python-docx 1.2 cannot do, written as WordprocessingML directly.

Each helper follows a workaround verified to open in Word and render in LibreOffice
(shared/reference/docgen-and-ux.md, section 1).
"""

from __future__ import annotations

from collections.abc import Sequence

from docx.document import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.text.paragraph import CT_P
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Emu
from docx.table import Table
from docx.text.paragraph import Paragraph
from docx.text.run import Run

# CT_Settings children that come after w:updateFields, in schema order.
_AFTER_UPDATE_FIELDS = (
    "hdrShapeDefaults",
    "footnotePr",
    "endnotePr",
    "compat",
    "docVars",
    "rsids",
    "mathPr",
    "attachedSchema",
    "themeFontLang",
    "clrSchemeMapping",
    "doNotIncludeSubdocsInStats",
    "doNotAutoCompressPictures",
    "forceUpgrade",
    "captions",
    "readModeInkLockDown",
    "smartTagType",
    "schemaLibrary",
    "shapeDefaults",
    "doNotEmbedSmartTags",
    "decimalSymbol",
    "listSeparator",
)


def _fld_char(kind: str, dirty: bool = False) -> BaseOxmlElement:
    element = OxmlElement("w:fldChar")
    element.set(qn("w:fldCharType"), kind)
    if dirty:
        element.set(qn("w:dirty"), "true")
    return element


def field_begin(paragraph: Paragraph, instruction: str, dirty: bool = False) -> None:
    """Append the start of a complex field (begin, instruction, separate) to a paragraph."""
    paragraph.add_run()._r.append(_fld_char("begin", dirty))
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    paragraph.add_run()._r.append(instr)
    paragraph.add_run()._r.append(_fld_char("separate"))


def field_end(paragraph: Paragraph) -> None:
    """Append the end of a complex field to a paragraph."""
    paragraph.add_run()._r.append(_fld_char("end"))


def add_field(paragraph: Paragraph, instruction: str, shown: str, dirty: bool = False) -> Run:
    """Append a whole field (e.g. ``PAGE``) whose cached result is `shown`; return the result run."""
    field_begin(paragraph, instruction, dirty)
    result = paragraph.add_run(shown)
    field_end(paragraph)
    return result


def set_update_fields_on_open(document: Document) -> None:
    """Ask Word to update fields (the TOC) when the document opens: w:updateFields in schema order."""
    settings = document.settings.element
    if settings.find(qn("w:updateFields")) is not None:
        return
    element = OxmlElement("w:updateFields")
    element.set(qn("w:val"), "true")
    later = {qn(f"w:{name}") for name in _AFTER_UPDATE_FIELDS}
    for child in settings:
        if child.tag in later:
            child.addprevious(element)
            return
    settings.append(element)


def repeat_as_header(table: Table, rows: int) -> None:
    """Mark the first `rows` rows as header rows repeated on each page (bare w:tblHeader, as Word writes)."""
    for row in table.rows[:rows]:
        tr_pr = row._tr.get_or_add_trPr()
        tr_pr.append(OxmlElement("w:tblHeader"))
        tr_pr.append(OxmlElement("w:cantSplit"))


def set_column_widths(table: Table, widths: Sequence[int]) -> None:
    """Set column widths (EMU) on both w:gridCol (read by LibreOffice) and every w:tcW (read by Word)."""
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=False):
        column.width = width
    twips = [str(Emu(width).twips) for width in widths]
    for tr in table._tbl.tr_lst:
        for tc, value in zip(tr.tc_lst, twips, strict=False):
            tc_w = tc.get_or_add_tcPr().get_or_add_tcW()
            tc_w.set(qn("w:type"), "dxa")
            tc_w.set(qn("w:w"), value)


def set_paragraph_style(p: CT_P, style_id: str) -> None:
    """Set a paragraph's style id, quickly for a paragraph that has no properties yet."""
    if p.pPr is not None:
        p.style = style_id
        return
    p_pr = OxmlElement("w:pPr")
    p_style = OxmlElement("w:pStyle")
    p_style.set(qn("w:val"), style_id)
    p_pr.append(p_style)
    p.insert(0, p_pr)


def set_table_look(table: Table, first_row: bool) -> None:
    """Turn the table style's header-row formatting on or off for this table."""
    look = table._tbl.tblPr.find(qn("w:tblLook"))
    if look is None:
        look = OxmlElement("w:tblLook")
        table._tbl.tblPr.append(look)
    look.set(qn("w:val"), "04A0" if first_row else "0600")
    for name, on in (
        ("firstRow", first_row),
        ("lastRow", False),
        ("firstColumn", False),
        ("lastColumn", False),
        ("noHBand", not first_row),
        ("noVBand", True),
    ):
        look.set(qn(f"w:{name}"), "1" if on else "0")


def add_hyperlink(paragraph: Paragraph, url: str) -> BaseOxmlElement:
    """Append an external w:hyperlink to the paragraph and return it (runs go inside it)."""
    rel_id = paragraph.part.relate_to(url, RT.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rel_id)
    link.set(qn("w:history"), "1")
    paragraph._p.append(link)
    return link


def new_numbering(document: Document, style_num_id: int, levels: int = 3) -> int:
    """Return the id of a new w:num that restarts the style's list at 1 on every level."""
    numbering = document.part.numbering_part.element
    abstract_id = numbering.num_having_numId(style_num_id).abstractNumId.val
    num = numbering.add_num(abstract_id)
    for level in range(levels):
        num.add_lvlOverride(ilvl=level).add_startOverride(1)
    return int(num.numId)


def set_numbering(paragraph: Paragraph, num_id: int, level: int) -> None:
    """Put the paragraph in list `num_id` at `level` (explicit numPr, as docx readers expect)."""
    num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = level
    num_pr.get_or_add_numId().val = num_id


def style_num_id(document: Document, style_id: str) -> int:
    """Return the numId a list paragraph style points at; raises KeyError if it has none."""
    style = document.styles.element.get_by_id(style_id)
    num_id = None if style is None else style.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:numId')}")
    if num_id is None:
        raise KeyError(style_id)
    return int(num_id.get(qn("w:val")))

"""What python-docx 1.2 cannot do, written as WordprocessingML directly.

Each helper follows a workaround verified to open in Word and render in LibreOffice
(shared/reference/docgen-and-ux.md, section 1).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

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


@dataclass(frozen=True)
class RunFormat:
    """How a run of text is formatted: a character style, bold, italic."""

    style: str | None = None
    bold: bool = False
    italic: bool = False


def _new_run(paragraph: Paragraph, into: BaseOxmlElement | None) -> BaseOxmlElement:
    run = paragraph.add_run()._r
    if into is not None:
        into.append(run)
    return run


def field_begin(
    paragraph: Paragraph, instruction: str, dirty: bool = False, into: BaseOxmlElement | None = None
) -> None:
    """Append the start of a complex field (begin, instruction, separate) to a paragraph (or to
    `into`, an element inside it such as a hyperlink)."""
    _new_run(paragraph, into).append(_fld_char("begin", dirty))
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    _new_run(paragraph, into).append(instr)
    _new_run(paragraph, into).append(_fld_char("separate"))


def field_end(paragraph: Paragraph, into: BaseOxmlElement | None = None) -> None:
    """Append the end of a complex field to a paragraph (or to `into`)."""
    _new_run(paragraph, into).append(_fld_char("end"))


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


def add_internal_link(paragraph: Paragraph, anchor: str) -> BaseOxmlElement:
    """Append a w:hyperlink to a bookmark of the document and return it (runs go inside it)."""
    link = OxmlElement("w:hyperlink")
    link.set(qn("w:anchor"), anchor)
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


COMPATIBILITY_MODE = "15"
_WORD_URI = "http://schemas.microsoft.com/office/word"


def set_compatibility_mode(document: Document, mode: str = COMPATIBILITY_MODE) -> None:
    """Make Word open the file in its current layout mode (15), not Compatibility Mode."""
    settings = document.settings.element
    compat = settings.find(qn("w:compat"))
    if compat is None:
        compat = OxmlElement("w:compat")
        later = {qn(f"w:{name}") for name in _AFTER_UPDATE_FIELDS[4:]}
        for child in settings:
            if child.tag in later:
                child.addprevious(compat)
                break
        else:
            settings.append(compat)
    for setting in compat.findall(qn("w:compatSetting")):
        if setting.get(qn("w:name")) == "compatibilityMode":
            setting.set(qn("w:val"), mode)
            return
    setting = OxmlElement("w:compatSetting")
    setting.set(qn("w:name"), "compatibilityMode")
    setting.set(qn("w:uri"), _WORD_URI)
    setting.set(qn("w:val"), mode)
    compat.append(setting)


def keep_rows_whole(table: Table) -> None:
    """Stop every row of the table from splitting across a page break (w:cantSplit)."""
    for row in table.rows:
        tr_pr = row._tr.get_or_add_trPr()
        if tr_pr.find(qn("w:cantSplit")) is None:
            tr_pr.append(OxmlElement("w:cantSplit"))


def add_bookmark(paragraph: Paragraph, name: str, bookmark_id: int) -> None:
    """Put a bookmark around the paragraph's content (after its properties, before its runs)."""
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), str(bookmark_id))
    start.set(qn("w:name"), name)
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), str(bookmark_id))
    p_pr = paragraph._p.pPr
    if p_pr is not None:
        p_pr.addnext(start)
    else:
        paragraph._p.insert(0, start)
    paragraph._p.append(end)


def switch_off_numbering(paragraph: Paragraph) -> None:
    """Keep a paragraph out of the numbering its style carries (numId 0: an unnumbered heading)."""
    num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = 0
    num_pr.get_or_add_numId().val = 0


CUSTOM_PROPERTIES_TYPE = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
_CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
_VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
_PROPERTY_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"


def set_custom_properties(document: Document, properties: Mapping[str, str]) -> None:
    """Write docProps/custom.xml with text properties (shown in the body through DOCPROPERTY fields)."""
    from xml.sax.saxutils import escape

    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    rows = "".join(
        f'<property fmtid="{_PROPERTY_FMTID}" pid="{pid}" name="{escape(name, {chr(34): "&quot;"})}">'
        f"<vt:lpwstr>{escape(value)}</vt:lpwstr></property>"
        for pid, (name, value) in enumerate(properties.items(), start=2)
    )
    blob = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<Properties xmlns="{_CUSTOM_NS}" xmlns:vt="{_VT_NS}">{rows}</Properties>'
    ).encode()
    package = document.part.package
    for rel in package.rels.values():
        if rel.reltype == RT.CUSTOM_PROPERTIES:
            rel.target_part._blob = blob  # noqa: SLF001 - python-docx has no API for this part
            return
    part = Part(PackURI("/docProps/custom.xml"), CUSTOM_PROPERTIES_TYPE, blob, package)
    package.relate_to(part, RT.CUSTOM_PROPERTIES)


def set_alt_text(inline: BaseOxmlElement, description: str, title: str = "") -> None:
    """Give an inline picture or chart its alternative text (wp:docPr descr and title)."""
    doc_pr = inline.find(qn("wp:docPr"))
    if doc_pr is not None:
        doc_pr.set("descr", description)
        if title:
            doc_pr.set("title", title)


def save_dated(document: Document, when: tuple[int, int, int, int, int, int]) -> bytes:
    """Return the document's package as .docx bytes with every zip entry dated `when`, so equal
    documents are equal byte for byte (python-docx's own save stamps the current time)."""
    import io
    import zipfile

    from docx.opc.pkgwriter import PackageWriter

    class DatedZip:
        def __init__(self, stream: io.BytesIO):
            self.zip = zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED)

        def write(self, pack_uri: object, blob: bytes) -> None:
            entry = zipfile.ZipInfo(pack_uri.membername, when)  # type: ignore[attr-defined]
            entry.compress_type = zipfile.ZIP_DEFLATED
            self.zip.writestr(entry, blob)

    package = document.part.package
    for part in package.parts:
        part.before_marshal()
    buffer = io.BytesIO()
    writer = DatedZip(buffer)
    # PackageWriter.write with our writer instead of its own (python-docx 1.2 keeps these three steps).
    PackageWriter._write_content_types_stream(writer, package.parts)  # noqa: SLF001
    PackageWriter._write_pkg_rels(writer, package.rels)  # noqa: SLF001
    PackageWriter._write_parts(writer, package.parts)  # type: ignore[arg-type]  # noqa: SLF001
    writer.zip.close()
    return buffer.getvalue()

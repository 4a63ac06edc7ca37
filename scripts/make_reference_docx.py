"""Write doc_templates/reference.docx: the page setup, styles and list numbering of every document.

Run `python scripts/make_reference_docx.py` after changing a style here; the document writer only
refers to styles by name, so consultants may also restyle the generated file in Word and save it
over doc_templates/reference.docx (keeping the style names).

The styles are written out in full rather than adjusted from python-docx's default template, which
carries a hundred table styles, theme fonts and a US Letter page.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docx.shared import Mm

OUT = Path(__file__).resolve().parent.parent / "doc_templates" / "reference.docx"

STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
FONT = "Liberation Sans"  # metric-compatible with Arial, which Word substitutes (fontTable altName)
INK = "262626"
ACCENT = "1F3864"  # dark blue: reads as near-black when printed in grayscale
MUTED = "595959"
RULE = "A6A6A6"
HEADER_FILL = "D9E2F3"
TEXT_WIDTH = 9070  # twips: A4 width 11906 minus two margins of 1418 (2.5 cm)


_DEFAULT = ' w:default="1"'


def _style(
    kind: str,
    style_id: str,
    name: str,
    *,
    based_on: str | None = None,
    next_style: str | None = None,
    link: str | None = None,
    ppr: str = "",
    rpr: str = "",
    extra: str = "",
    priority: int = 99,
    quick: bool = False,
    default: bool = False,
) -> str:
    parts = [
        f'<w:style w:type="{kind}" w:styleId="{style_id}"{_DEFAULT if default else ""}>',
        f'<w:name w:val="{name}"/>',
    ]
    if based_on:
        parts.append(f'<w:basedOn w:val="{based_on}"/>')
    if next_style:
        parts.append(f'<w:next w:val="{next_style}"/>')
    if link:
        parts.append(f'<w:link w:val="{link}"/>')
    parts.append(f'<w:uiPriority w:val="{priority}"/>')
    if quick:
        parts.append("<w:qFormat/>")
    if ppr:
        parts.append(f"<w:pPr>{ppr}</w:pPr>")
    if rpr:
        parts.append(f"<w:rPr>{rpr}</w:rPr>")
    parts.append(extra)
    parts.append("</w:style>")
    return "".join(parts)


def _size(points: float) -> str:
    half = round(points * 2)
    return f'<w:sz w:val="{half}"/><w:szCs w:val="{half}"/>'


def _color(hex_rgb: str) -> str:
    return f'<w:color w:val="{hex_rgb}"/>'


HEADING_NUM_ID = 3
"""The list that numbers Heading 1 (1, 2, ...) and Heading 2 (1.1, 1.2, ...): abstractNum 2."""


def _heading(level: int, points: float, before: int, after: int, color: str, border: bool) -> str:
    bdr = f'<w:pBdr><w:bottom w:val="single" w:sz="6" w:space="4" w:color="{color}"/></w:pBdr>' if border else ""
    numbered = level <= 2
    num_pr = f'<w:numPr><w:ilvl w:val="{level - 1}"/><w:numId w:val="{HEADING_NUM_ID}"/></w:numPr>' if numbered else ""
    return _style(
        "paragraph",
        f"Heading{level}",
        f"heading {level}",
        based_on="Normal",
        next_style="Normal",
        priority=9,
        quick=True,
        ppr=(
            f"<w:keepNext/><w:keepLines/>{num_pr}{bdr}"
            f'<w:spacing w:before="{before}" w:after="{after}" w:line="240" w:lineRule="auto"/>'
            f'<w:outlineLvl w:val="{level - 1}"/>'
        ),
        rpr=f"<w:b/><w:bCs/>{_color(color)}{_size(points)}",
    )


def _toc(level: int) -> str:
    indent = (level - 1) * 284
    bold = "<w:b/><w:bCs/>" if level == 1 else ""
    before = 80 if level == 1 else 0
    return _style(
        "paragraph",
        f"TOC{level}",
        f"toc {level}",
        based_on="Normal",
        next_style="Normal",
        priority=39,
        ppr=(
            f'<w:tabs><w:tab w:val="right" w:leader="dot" w:pos="{TEXT_WIDTH}"/></w:tabs>'
            f'<w:spacing w:before="{before}" w:after="0" w:line="240" w:lineRule="auto"/>'
            f'<w:ind w:left="{indent}"/>'
        ),
        rpr=bold,
    )


def _list_style(style_id: str, name: str, num_id: int, level: int) -> str:
    ilvl = f'<w:ilvl w:val="{level}"/>' if level else ""
    return _style(
        "paragraph",
        style_id,
        name,
        based_on="Normal",
        ppr=(f'<w:numPr>{ilvl}<w:numId w:val="{num_id}"/></w:numPr><w:spacing w:after="60"/>'),
    )


def styles_xml() -> str:
    """Return the styles part: document defaults and every style the writer and Word need."""
    rfonts = f'<w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" w:eastAsia="{FONT}" w:cs="{FONT}"/>'
    tbl_borders = (
        "<w:tblBorders>"
        f'<w:top w:val="single" w:sz="8" w:space="0" w:color="{ACCENT}"/>'
        f'<w:bottom w:val="single" w:sz="8" w:space="0" w:color="{ACCENT}"/>'
        f'<w:insideH w:val="single" w:sz="4" w:space="0" w:color="{RULE}"/>'
        "</w:tblBorders>"
    )
    cell_margins = (
        "<w:tblCellMar>"
        '<w:top w:w="57" w:type="dxa"/><w:left w:w="85" w:type="dxa"/>'
        '<w:bottom w:w="57" w:type="dxa"/><w:right w:w="85" w:type="dxa"/>'
        "</w:tblCellMar>"
    )
    styles = [
        _style(
            "paragraph",
            "Normal",
            "Normal",
            quick=True,
            priority=0,
            default=True,
            ppr='<w:spacing w:after="120" w:line="276" w:lineRule="auto"/>',
        ),
        _style("character", "DefaultParagraphFont", "Default Paragraph Font", priority=1, default=True),
        _style(
            "table",
            "TableNormal",
            "Normal Table",
            priority=99,
            default=True,
            extra=(
                '<w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar>'
                '<w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/>'
                '<w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/>'
                "</w:tblCellMar></w:tblPr>"
            ),
        ),
        _style("numbering", "NoList", "No List", priority=99, default=True),
        _style(
            "paragraph",
            "Title",
            "Title",
            based_on="Normal",
            next_style="Subtitle",
            priority=10,
            quick=True,
            ppr='<w:spacing w:before="2400" w:after="240" w:line="240" w:lineRule="auto"/>',
            rpr=f"<w:b/><w:bCs/>{_color(ACCENT)}{_size(28)}",
        ),
        _style(
            "paragraph",
            "Subtitle",
            "Subtitle",
            based_on="Normal",
            next_style="Normal",
            priority=11,
            quick=True,
            ppr=(
                f'<w:pBdr><w:bottom w:val="single" w:sz="12" w:space="12" w:color="{ACCENT}"/></w:pBdr>'
                '<w:spacing w:after="720"/>'
            ),
            rpr=f"{_color(MUTED)}{_size(15)}",
        ),
        _heading(1, 16, 360, 120, ACCENT, True),
        _heading(2, 13, 280, 80, ACCENT, False),
        _heading(3, 11, 200, 60, "404040", False),
        _list_style("ListBullet", "List Bullet", 1, 0),
        _list_style("ListBullet2", "List Bullet 2", 1, 1),
        _list_style("ListBullet3", "List Bullet 3", 1, 2),
        _list_style("ListNumber", "List Number", 2, 0),
        _list_style("ListNumber2", "List Number 2", 2, 1),
        _list_style("ListNumber3", "List Number 3", 2, 2),
        _style(
            "paragraph",
            "TOCHeading",
            "TOC Heading",
            based_on="Normal",
            next_style="Normal",
            priority=39,
            ppr='<w:keepNext/><w:spacing w:before="0" w:after="120"/>',
            rpr=f"<w:b/><w:bCs/>{_color(ACCENT)}{_size(16)}",
        ),
        _toc(1),
        _toc(2),
        _toc(3),
        _style(
            "paragraph",
            "Header",
            "header",
            based_on="Normal",
            priority=99,
            ppr=(
                f'<w:pBdr><w:bottom w:val="single" w:sz="4" w:space="4" w:color="{RULE}"/></w:pBdr>'
                f'<w:tabs><w:tab w:val="right" w:pos="{TEXT_WIDTH}"/></w:tabs>'
                '<w:spacing w:after="0" w:line="240" w:lineRule="auto"/>'
            ),
            rpr=f"{_color(MUTED)}{_size(8.5)}",
        ),
        _style(
            "paragraph",
            "Footer",
            "footer",
            based_on="Normal",
            priority=99,
            ppr=(
                f'<w:tabs><w:tab w:val="right" w:pos="{TEXT_WIDTH}"/></w:tabs>'
                '<w:spacing w:after="0" w:line="240" w:lineRule="auto"/>'
            ),
            rpr=f"{_color(MUTED)}{_size(8.5)}",
        ),
        _style(
            "paragraph",
            "Caption",
            "caption",
            based_on="Normal",
            next_style="Normal",
            priority=35,
            quick=True,
            ppr='<w:spacing w:before="60" w:after="240"/>',
            rpr=f"<w:i/><w:iCs/>{_color('404040')}{_size(9)}",
        ),
        _style(
            "paragraph",
            "ClauseReference",
            "Clause Reference",
            based_on="Normal",
            next_style="Normal",
            quick=True,
            ppr='<w:keepNext/><w:spacing w:before="0" w:after="80"/>',
            rpr=f"{_color(MUTED)}{_size(8.5)}",
        ),
        _style(
            "paragraph",
            "Note",
            "Note",
            based_on="Normal",
            next_style="Normal",
            quick=True,
            ppr='<w:spacing w:after="120"/>',
            rpr=f"<w:i/><w:iCs/>{_color(MUTED)}{_size(9)}",
        ),
        _style(
            "paragraph",
            "Quote",
            "Quote",
            based_on="Normal",
            next_style="Normal",
            priority=29,
            quick=True,
            ppr=(
                f'<w:pBdr><w:left w:val="single" w:sz="18" w:space="8" w:color="{ACCENT}"/></w:pBdr>'
                '<w:spacing w:before="120" w:after="120"/><w:ind w:left="284" w:right="284"/>'
            ),
            rpr=f"<w:i/><w:iCs/>{_color('404040')}",
        ),
        _style(
            "paragraph",
            "TableText",
            "Table Text",
            based_on="Normal",
            quick=True,
            ppr='<w:spacing w:before="0" w:after="0" w:line="252" w:lineRule="auto"/>',
            rpr=_size(9),
        ),
        _style(
            "paragraph",
            "TableHeading",
            "Table Heading",
            based_on="TableText",
            quick=True,
            ppr="<w:keepNext/>",
            rpr=f"<w:b/><w:bCs/>{_color(ACCENT)}",
        ),
        _style(
            "paragraph",
            "TableTextCompact",
            "Table Text Compact",
            based_on="TableText",
            ppr='<w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>',
            rpr=_size(8),
        ),
        _style(
            "paragraph",
            "TableHeadingCompact",
            "Table Heading Compact",
            based_on="TableTextCompact",
            ppr="<w:keepNext/>",
            rpr=f"<w:b/><w:bCs/>{_color(ACCENT)}",
        ),
        _style(
            "paragraph",
            "CommentText",
            "annotation text",
            based_on="Normal",
            link="CommentTextChar",
            ppr='<w:spacing w:after="0" w:line="240" w:lineRule="auto"/>',
            rpr=_size(9),
        ),
        _style("character", "CommentTextChar", "Comment Text Char", link="CommentText", rpr=_size(9)),
        _style("character", "CommentReference", "annotation reference", rpr=_size(8)),
        _style("character", "Hyperlink", "Hyperlink", rpr=f'{_color("0563C1")}<w:u w:val="single"/>'),
        _style("character", "Strong", "Strong", priority=22, quick=True, rpr="<w:b/><w:bCs/>"),
        _style("character", "Emphasis", "Emphasis", priority=20, quick=True, rpr="<w:i/><w:iCs/>"),
        _style(
            "character",
            "Placeholder",
            "Placeholder",
            quick=True,
            rpr='<w:highlight w:val="yellow"/><w:shd w:val="clear" w:color="auto" w:fill="FFFF00"/>',
        ),
        _style(
            "character",
            "Code",
            "Code",
            rpr='<w:rFonts w:ascii="Liberation Mono" w:hAnsi="Liberation Mono" w:cs="Liberation Mono"/>' + _size(9),
        ),
        _style(
            "table",
            "AssessTable",
            "Assess Table",
            based_on="TableNormal",
            priority=59,
            ppr='<w:spacing w:before="0" w:after="0"/>',
            extra=(
                f"<w:tblPr>{tbl_borders}{cell_margins}</w:tblPr>"
                '<w:tblStylePr w:type="firstRow">'
                "<w:rPr><w:b/><w:bCs/></w:rPr>"
                "<w:tblPr/>"
                f'<w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="{HEADER_FILL}"/></w:tcPr>'
                "</w:tblStylePr>"
            ),
        ),
    ]
    return (
        f'<w:styles xmlns:w="{W_NS}">'
        "<w:docDefaults>"
        f"<w:rPrDefault><w:rPr>{rfonts}{_color(INK)}{_size(10.5)}"
        '<w:lang w:val="en-GB" w:eastAsia="en-GB" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>'
        '<w:pPrDefault><w:pPr><w:spacing w:after="120" w:line="276" w:lineRule="auto"/></w:pPr>'
        "</w:pPrDefault>"
        "</w:docDefaults>" + "".join(styles) + "</w:styles>"
    )


def _level(ilvl: int, fmt: str, text: str, style_id: str, font: str | None = None) -> str:
    indent = 357 * (ilvl + 1)
    rpr = f'<w:rPr><w:rFonts w:ascii="{font}" w:hAnsi="{font}"/></w:rPr>' if font else ""
    return (
        f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
        f'<w:pStyle w:val="{style_id}"/><w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
        f'<w:pPr><w:ind w:left="{indent}" w:hanging="357"/></w:pPr>{rpr}</w:lvl>'
    )


def _heading_level(ilvl: int, text: str, style_id: str, indent: int) -> str:
    return (
        f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
        f'<w:pStyle w:val="{style_id}"/><w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
        f'<w:pPr><w:ind w:left="{indent}" w:hanging="{indent}"/></w:pPr></w:lvl>'
    )


def numbering_xml() -> str:
    """Return the numbering part: abstractNum 0 bullets (numId 1), abstractNum 1 numbers (numId 2),
    abstractNum 2 the heading numbers 1 and 1.1 (numId 3, tied to Heading 1 and Heading 2).

    The writer restarts each numbered list with a new w:num pointing at abstractNum 1.
    """
    headings = _heading_level(0, "%1", "Heading1", 567) + _heading_level(1, "%1.%2", "Heading2", 709)
    bullets = "".join(
        _level(i, "bullet", char, sid, FONT)
        for i, (char, sid) in enumerate(
            [("\u2022", "ListBullet"), ("\u2013", "ListBullet2"), ("\u25e6", "ListBullet3")]
        )
    )
    numbers = "".join(
        _level(i, fmt, text, sid)
        for i, (fmt, text, sid) in enumerate(
            [
                ("decimal", "%1.", "ListNumber"),
                ("lowerLetter", "%2)", "ListNumber2"),
                ("lowerRoman", "%3.", "ListNumber3"),
            ]
        )
    )
    return (
        f'<w:numbering xmlns:w="{W_NS}">'
        '<w:abstractNum w:abstractNumId="0"><w:nsid w:val="5A3C0001"/>'
        '<w:multiLevelType w:val="hybridMultilevel"/><w:tmpl w:val="5A3C1001"/>'
        f"{bullets}</w:abstractNum>"
        '<w:abstractNum w:abstractNumId="1"><w:nsid w:val="5A3C0002"/>'
        '<w:multiLevelType w:val="hybridMultilevel"/><w:tmpl w:val="5A3C1002"/>'
        f"{numbers}</w:abstractNum>"
        '<w:abstractNum w:abstractNumId="2"><w:nsid w:val="5A3C0003"/>'
        '<w:multiLevelType w:val="multilevel"/><w:tmpl w:val="5A3C1003"/>'
        f"{headings}</w:abstractNum>"
        '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'
        '<w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>'
        f'<w:num w:numId="{HEADING_NUM_ID}"><w:abstractNumId w:val="2"/></w:num>'
        "</w:numbering>"
    )


def font_table_xml() -> bytes:
    """Return the font table: Liberation fonts, with Arial/Courier New as Word's substitutes."""
    fonts = [
        (FONT, "Arial", "020B0604020202020204", "swiss", "variable"),
        ("Liberation Mono", "Courier New", "02070309020205020404", "modern", "fixed"),
        ("Symbol", None, "05050102010706020507", "roman", "variable"),
    ]
    body = "".join(
        f'<w:font w:name="{name}">'
        + (f'<w:altName w:val="{alt}"/>' if alt else "")
        + f'<w:panose1 w:val="{panose}"/><w:charset w:val="00"/><w:family w:val="{family}"/>'
        f'<w:pitch w:val="{pitch}"/></w:font>'
        for name, alt, panose, family, pitch in fonts
    )
    xml = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:fonts xmlns:w="{W_NS}">{body}</w:fonts>'
    return xml.encode("utf-8")


APP_XML = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
    b"<Template>reference.docx</Template><Application>assess</Application>"
    b"<DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop><LinksUpToDate>false</LinksUpToDate>"
    b"<SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged></Properties>"
)

SAMPLE = [
    ("Title", "Document title"),
    ("Subtitle", "Organization name"),
    ("TOC Heading", "Contents"),
    ("Note", "A note, such as how to update the table of contents."),
    ("Heading 1", "Heading 1 (numbered by its style)"),
    ("Clause Reference", "ISO 10002:2018, 7.4"),
    ("Normal", "Body text in the Normal style. Placeholders and comments are shown below."),
    ("Heading 2", "Heading 2 (numbered by its style)"),
    ("List Bullet", "List Bullet"),
    ("List Bullet 2", "List Bullet 2"),
    ("List Number", "List Number"),
    ("List Number 2", "List Number 2"),
    ("Heading 3", "Heading 3"),
    ("Quote", "Quote: a statement signed by top management."),
    ("Caption", "Figure 1: Caption"),
]


def build(path: Path = OUT) -> Path:
    """Write the reference document to `path` and return the path."""
    doc = Document()
    doc.part._styles_part._element = parse_xml(styles_xml())  # noqa: SLF001 - no public setter
    doc.part.numbering_part._element = parse_xml(numbering_xml())  # noqa: SLF001
    for rel_id, rel in list(doc.part.rels.items()):
        if rel.reltype == RT.FONT_TABLE:
            rel.target_part._blob = font_table_xml()  # noqa: SLF001
        if rel.reltype in (STYLES_WITH_EFFECTS, RT.CUSTOM_XML):
            doc.part.drop_rel(rel_id)
    package_rels = doc.part.package.rels
    for rel_id, rel in list(package_rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            del package_rels[rel_id]
        elif rel.reltype == RT.EXTENDED_PROPERTIES:
            rel.target_part._blob = APP_XML  # noqa: SLF001

    settings = doc.settings.element
    for setting in settings.iter(f"{{{W_NS}}}compatSetting"):
        if setting.get(f"{{{W_NS}}}name") == "compatibilityMode":
            setting.set(f"{{{W_NS}}}val", "15")  # Word's own layout, not Compatibility Mode
    for lang in settings.iter(f"{{{W_NS}}}themeFontLang"):
        lang.set(f"{{{W_NS}}}val", "en-GB")

    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(25)
    section.top_margin = section.bottom_margin = Mm(25)
    section.header_distance = section.footer_distance = Mm(12.5)

    props = doc.core_properties
    props.title = props.subject = props.keywords = props.comments = props.category = ""
    props.author = props.last_modified_by = ""
    props.revision = 1
    props.created = props.modified = dt.datetime(2026, 1, 1)

    for style, text in SAMPLE:
        doc.add_paragraph(text, style=style)
    para = doc.add_paragraph("A fact the profile lacks is shown as ", style="Normal")
    para.add_run("[complaints manager's name]", style="Placeholder")
    para.add_run(", and a link looks ")
    para.add_run("like this", style="Hyperlink")
    para.add_run(".")
    table = doc.add_table(rows=3, cols=3, style="Assess Table")
    for r, row in enumerate(table.rows):
        for c, cell in enumerate(row.cells):
            cell.paragraphs[0].text = f"Column {c + 1}" if r == 0 else f"Cell {r}.{c + 1}"
            cell.paragraphs[0].style = doc.styles["Table Heading" if r == 0 else "Table Text"]
    doc.save(str(path))
    return path


if __name__ == "__main__":
    written = build(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT)
    print(f"wrote {written}")

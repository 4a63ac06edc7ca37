"""The Word files are Word-native: numbered headings from the styles, cross-references and captions
as fields, version and status as properties, alt text, rows that keep together, no spacer paragraphs;
and the chart and the page numbers of the contents are made the way the documents need them."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

import pytest
from docx import Document

from assess.core.scoring import score_assessment
from assess.documents import DOCUMENT_IDS, render_docx
from assess.documents.charts import clause_chart_png
from assess.documents.pages import find_pages
from assess.formats.example import example_organization

DAY = dt.date(2026, 11, 25)
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def built(bank):
    org = example_organization(bank, actions=True)
    return {document: render_docx(bank, org, document, today=DAY) for document in DOCUMENT_IDS}


def part(data: bytes, name: str) -> str:
    return zipfile.ZipFile(io.BytesIO(data)).read(name).decode("utf-8")


def test_headings_are_numbered_by_a_list_tied_to_the_heading_styles(built):
    styles = part(built["complaints-procedure"], "word/styles.xml")
    numbering = part(built["complaints-procedure"], "word/numbering.xml")
    heading1 = re.search(r'<w:style [^>]*w:styleId="Heading1".*?</w:style>', styles, re.S).group(0)
    num_id = re.search(r'<w:numId w:val="(\d+)"/>', heading1).group(1)
    abstract = re.search(rf'<w:num w:numId="{num_id}"><w:abstractNumId w:val="(\d+)"/>', numbering).group(1)
    levels = re.search(rf'<w:abstractNum w:abstractNumId="{abstract}".*?</w:abstractNum>', numbering, re.S).group(0)
    assert '<w:pStyle w:val="Heading1"/>' in levels and '<w:lvlText w:val="%1.%2"/>' in levels
    body = part(built["complaints-procedure"], "word/document.xml")
    assert "\u2002" not in "".join(re.findall(r'<w:pStyle w:val="Heading[12]"/>.*?</w:p>', body))  # no typed numbers
    headings = re.findall(r'<w:p><w:pPr><w:pStyle w:val="Heading1"/>(?:(?!</w:p>).)*</w:p>', body, re.S)
    appendix = next(h for h in headings if "Appendix A: Complaint form" in h)
    assert '<w:numId w:val="0"/>' in appendix  # an unnumbered heading switches the style's numbering off


def test_cross_references_are_ref_fields_to_bookmarks_on_the_headings(built):
    body = part(built["complaints-procedure"], "word/document.xml")
    refs = set(re.findall(r"REF (_Ref\d+) \\r \\h", body))
    bookmarks = set(re.findall(r'<w:bookmarkStart w:id="\d+" w:name="(_Ref\d+)"/>', body))
    assert refs and refs <= bookmarks
    assert re.search(r"PAGEREF _Toc\d+ \\h", body)
    assert set(re.findall(r'w:anchor="(_Toc\d+)"', body)) <= set(re.findall(r'w:name="(_Toc\d+)"', body))


def test_captions_are_seq_fields_and_every_picture_has_alt_text(built):
    body = part(built["gap-report"], "word/document.xml")
    assert len(re.findall(r"SEQ Figure \\\* ARABIC", body)) == 3
    descriptions = re.findall(r'<wp:docPr [^>]*descr="([^"]*)"', body)
    assert len(descriptions) == 3 and all(d.startswith("Scores of the main clauses") for d in descriptions)


@pytest.mark.parametrize("document", DOCUMENT_IDS)
def test_version_and_status_are_properties_shown_through_fields(built, document):
    data = built[document]
    custom = part(data, "docProps/custom.xml")
    assert re.search(r'name="Version"><vt:lpwstr>1\.0</vt:lpwstr>', custom)
    body = part(data, "word/document.xml")
    assert body.count(" DOCPROPERTY Version ") >= 1 and body.count(" DOCPROPERTY Status ") >= 1
    assert "[Content_Types].xml" in zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert "custom-properties+xml" in part(data, "[Content_Types].xml")


@pytest.mark.parametrize("document", DOCUMENT_IDS)
def test_there_are_no_empty_spacer_paragraphs(built, document):
    doc = Document(io.BytesIO(built[document]))
    body = doc.element.body
    empty = [
        p
        for p in body.iterchildren(f"{W}p")
        if not "".join(p.itertext()).strip() and not p.findall(f".//{W}drawing") and p.find(f".//{W}sectPr") is None
    ]
    assert empty == []


def test_the_chart_for_word_is_a_deterministic_png_at_160_dpi(bank):
    org = example_organization(bank)
    assessment = org.assessments[1]
    questionnaire = bank.questionnaire(assessment.questionnaire)
    result = score_assessment(questionnaire, assessment.values, assessment.target)
    png = clause_chart_png(questionnaire, result)
    assert png.startswith(b"\x89PNG") and png == clause_chart_png(questionnaire, result)
    from PIL import Image

    image = Image.open(io.BytesIO(png))
    assert image.size == (1056, 480) and round(image.info["dpi"][0]) == 160


def test_pages_of_headings_are_found_in_order_after_the_contents():
    pages = [
        "cover",
        "Contents\n1 Purpose and scope ........\n2 Our policy ........",
        "Header\n1     Purpose and scope\ntext\n1.1   A very long heading that wraps onto a second\n      line here",
        "2     Our policy\n",
        "3 Nowhere to be found? no",
    ]
    headings = [
        "1 Purpose and scope",
        "1.1 A very long heading that wraps onto a second line here",
        "2 Our policy",
        "9 Missing",
    ]
    assert find_pages(pages, headings) == [3, 3, 4, None]


def test_a_reference_to_a_section_left_out_says_so_and_an_unknown_one_fails():
    from assess.documents.tree import PRUNED_REFERENCE, TemplateProblem, build_tree, text_of

    root = build_tree(
        "# Kept {: #kept }\n\nSee \x14gone\x15 and \x14kept\x15.\n\n# Gone {: #gone }\n", lambda v: "", True
    )
    assert text_of(root[1]) == f"See {PRUNED_REFERENCE} and 1."
    with pytest.raises(TemplateProblem, match="no heading has this id"):
        build_tree("# A\n\nSee \x14nowhere\x15.\n", lambda v: "", True)


def test_the_forms_keep_their_blank_rows_to_write_in(built):
    doc = Document(io.BytesIO(built["complaints-procedure"]))
    log = next(
        t for t in doc.tables if [c.text for c in t.rows[0].cells][:2] == ["Date", "Action, contact or decision"]
    )
    assert len(log.rows) == 9  # a header and eight rows to fill in

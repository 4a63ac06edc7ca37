"""The documents: templates render for any organization, and the Word files they become are complete,
safe and identical from one build to the next (every .docx is reopened and checked)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner
from docx import Document
from hypothesis import given, settings
from hypothesis import strategies as st

from assess.core.answers import Answer, Assessment, Organization
from assess.core.scoring import score_assessment
from assess.documents import (
    DOCUMENT_IDS,
    DocumentError,
    document_filename,
    list_documents,
    readiness,
    render_docx,
    render_html,
    render_pack,
)
from assess.documents.charts import clause_chart
from assess.documents.practices import BELOW_TARGET
from assess.documents.prepare import evaluate
from assess.documents.source import default_templates_dir
from assess.documents.text import clean_text, escape_markdown
from assess.documents.tree import parse_markdown, text_of
from assess.documents.word import STYLES
from assess.formats.example import example_organization
from assess.formats.exchange import dump_exchange

DAY = dt.date(2026, 11, 25)
PROFILES = ("full", "partial", "empty")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
FIRST_HEADING = {
    "code-of-conduct": "About this code",
    "complaints-procedure": "Purpose and scope",
    "dispute-resolution-policy": "Purpose and scope",
    "gap-report": "Summary",
}
CITATION = re.compile(r"ISO 1000[123]:2018, \d")
NASTY = "R&D <team> \"q\" 'a' \U0001f600 *b* _c_ [d](e) # {: .x } |p| ==\n===\n- f\n1. g {{ 7*7 }} &amp;\x00\x0b end"


def xml_part(data: bytes, name: str) -> str:
    return zipfile.ZipFile(io.BytesIO(data)).read(name).decode("utf-8")


def all_text(document) -> str:
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


@pytest.fixture(scope="module")
def orgs(bank):
    return {profile: example_organization(bank, profile=profile, actions=True) for profile in PROFILES}


@pytest.fixture(scope="module")
def built(bank, orgs):
    """Every document for every example profile, built once: {(document, profile): bytes}."""
    return {
        (doc, profile): render_docx(bank, orgs[profile], doc, today=DAY) for doc in DOCUMENT_IDS for profile in PROFILES
    }


# --- the catalogue --------------------------------------------------------------------------------


def test_list_documents_names_every_document_with_its_questionnaires(bank):
    infos = list_documents()
    assert [i.id for i in infos] == list(DOCUMENT_IDS)
    by_id = {i.id: i for i in infos}
    assert by_id["complaints-procedure"].questionnaires == ("iso10002-2018",)
    assert by_id["gap-report"].questionnaires == ("iso10001-2018", "iso10002-2018", "iso10003-2018")
    for info in infos:
        assert info.title
        assert all(q in bank.questionnaires for q in info.questionnaires)


def test_unknown_document_is_a_document_error(bank, orgs):
    with pytest.raises(DocumentError, match="unknown document 'minutes'"):
        render_docx(bank, orgs["full"], "minutes")


@pytest.mark.parametrize("document", DOCUMENT_IDS)
def test_every_fact_a_document_requires_is_read_by_its_template(bank, orgs, document):
    read = evaluate(bank, orgs["full"], document).facts.read
    required = {f.id for f in bank.profile.facts_required_for(document)}
    assert required - read == set()


@pytest.mark.parametrize("document", DOCUMENT_IDS)
def test_with_an_empty_profile_every_required_fact_without_a_default_is_missing(bank, orgs, document):
    missing = {f.id for f in readiness(bank, orgs["empty"], document).missing_facts}
    defaulted = {f.id for f in readiness(bank, orgs["empty"], document).defaulted}
    shown = evaluate(bank, orgs["empty"], document).facts.shown
    required = {f.id for f in bank.profile.facts_required_for(document) if f.default is None} & shown
    assert required <= missing
    assert {f.id for f in bank.profile.facts if f.default is not None} & shown <= defaulted | {"documents.version"}


@pytest.mark.parametrize("document", DOCUMENT_IDS)
def test_front_matter_lists_every_clause_the_template_cites(bank, orgs, document):
    info = next(i for i in list_documents() if i.id == document)
    html = BeautifulSoup(render_html(bank, orgs["full"], document), "html.parser")
    own = bank.questionnaire(info.questionnaires[0]).label
    cited = set()
    for p in html.select("p.clause-ref"):
        for part in p.get_text().split("; "):
            label, _, refs = part.partition(", ")
            if label == own:
                cited.update(re.findall(r"\d+(?:\.\d+)*", refs))
    declared = set(info.clauses)
    uncovered = {ref for ref in cited if not any(ref == d or ref.startswith(d + ".") for d in declared)}
    assert uncovered == set()


# --- every document, every profile ----------------------------------------------------------------


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("document", DOCUMENT_IDS)
def test_document_reopens_with_structure_fields_and_properties(bank, orgs, built, document, profile):
    data = built[document, profile]
    doc = Document(io.BytesIO(data))
    headings = [p for p in doc.paragraphs if p.style.name.startswith("Heading ")]
    assert headings[0].text == FIRST_HEADING[document]  # the number comes from the style's list
    assert headings[0].style.name == "Heading 1"
    assert {p.style.name for p in headings} >= {"Heading 1"}
    assert doc.paragraphs[0].style.name == "Title"
    assert doc.paragraphs[0].text == next(i.title for i in list_documents() if i.id == document)

    body = xml_part(data, "word/document.xml")
    paper = document == "gap-report"  # a title block and the text, no contents page
    assert bool(re.search(r'<w:fldChar [^>]*w:fldCharType="begin"[^>]*w:dirty="true"', body)) is not paper
    assert ('TOC \\o "1-2" \\h \\z \\u' in body) is not paper
    footer = xml_part(data, "word/footer1.xml") + xml_part(data, "word/footer2.xml")
    assert " PAGE " in footer and " NUMPAGES " in footer
    settings_xml = xml_part(data, "word/settings.xml")
    assert settings_xml.index("<w:updateFields") < settings_xml.index("<w:compat>")
    assert re.search(r'<w:compatSetting w:name="compatibilityMode" [^>]*w:val="15"/>', settings_xml)

    section = doc.sections[0]
    assert section.different_first_page_header_footer is not paper
    assert section.first_page_header.paragraphs[0].text == ""
    assert section.header.paragraphs[0].text == f"Northwind Water\t{doc.core_properties.title}"
    assert section.footer.paragraphs[0].text.startswith("Draft, version ")
    assert footer.count(" DOCPROPERTY Status ") == 1 and footer.count(" DOCPROPERTY Version ") == 1
    assert (section.page_width, section.page_height) == (7560310, 10692130)  # A4

    props = doc.core_properties
    assert props.author == "Northwind Water"
    assert props.title == doc.paragraphs[0].text
    assert props.subject and props.keywords and props.version
    assert "python-docx" not in (props.comments or "")
    assert props.created == dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC)
    assert props.content_status == "Draft"
    custom = xml_part(data, "docProps/custom.xml")
    assert 'name="Version"><vt:lpwstr>' in custom and 'name="Status"><vt:lpwstr>Draft<' in custom


@pytest.mark.parametrize("document", DOCUMENT_IDS)
def test_every_style_used_exists_in_reference_docx(built, document):
    data = built[document, "full"]
    styles = xml_part(data, "word/styles.xml")
    defined = set(re.findall(r'w:styleId="([^"]+)"', styles))
    used = set(re.findall(r'<w:(?:pStyle|rStyle|tblStyle) w:val="([^"]+)"', xml_part(data, "word/document.xml")))
    assert used <= defined


def test_every_style_the_writer_names_is_in_reference_docx():
    reference = Document(str(default_templates_dir() / "reference.docx"))
    names = {style.name for style in reference.styles}
    assert set(STYLES) - names == set()
    ids = {style.style_id for style in reference.styles}
    assert {"CommentReference", "CommentText", "Hyperlink", "Placeholder", "ClauseReference", "TOC1", "TOC3"} <= ids
    placeholder = reference.styles["Placeholder"].element.xml
    assert 'w:highlight w:val="yellow"' in placeholder


def test_reference_docx_is_what_the_script_makes(tmp_path):
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_reference_docx", "scripts/make_reference_docx.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    fresh = module.build(tmp_path / "reference.docx").read_bytes()
    shipped = (default_templates_dir() / "reference.docx").read_bytes()
    for part in ("word/styles.xml", "word/numbering.xml", "word/document.xml", "docProps/core.xml"):
        assert xml_part(fresh, part) == xml_part(shipped, part), part


# --- practices: comments ---------------------------------------------------------------------------


def comment_texts(data: bytes) -> list[str]:
    return [c.text for c in Document(io.BytesIO(data)).comments]


@pytest.mark.parametrize("document", ["code-of-conduct", "complaints-procedure", "dispute-resolution-policy"])
def test_practices_below_target_get_one_short_comment_each_naming_the_level_and_clause(bank, orgs, built, document):
    texts = comment_texts(built[document, "full"])
    flagged = readiness(bank, orgs["full"], document).below_target
    below = [p for p in flagged if p.status == BELOW_TARGET]
    assert below, "the example organization has practices below target"
    sample = below[0]
    expected = (
        f"Not in place yet: {sample.label}, {sample.clause} ({sample.question}), level {sample.value} against target 3"
    )
    assert any(t.startswith(expected) for t in texts)
    for practice in flagged:
        assert sum(f"({practice.question})" in t for t in texts) <= 1, practice.question
    assert all(len(t) < 300 for t in texts)
    assert all(c.author == "assess" for c in Document(io.BytesIO(built[document, "full"])).comments)


def test_comments_carry_the_assessments_notes_only_when_asked(bank, orgs, built):
    without = "\n".join(comment_texts(built["complaints-procedure", "full"]))
    with_notes = "\n".join(
        comment_texts(render_docx(bank, orgs["full"], "complaints-procedure", notes=True, today=DAY))
    )
    assert "Assessment note:" not in without and "Reason given:" not in without
    assert "Assessment note:" in with_notes


def test_comment_is_anchored_on_the_sentence_it_flags(bank, orgs, built):
    data = built["complaints-procedure", "full"]
    body = xml_part(data, "word/document.xml")
    comment = next(iter(Document(io.BytesIO(data)).comments))
    anchored = re.search(
        rf'<w:commentRangeStart w:id="{comment.comment_id}"/>(.*?)<w:commentRangeEnd w:id="{comment.comment_id}"/>',
        body,
        re.S,
    )
    assert anchored and "".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", anchored.group(1)))


def test_practices_in_place_get_no_comment_and_every_fact_stays_a_fact(bank):
    in_place = {
        qid: {q.id: Answer(4) for q in bank.questionnaire(qid).questions}
        for qid in ("iso10001-2018", "iso10002-2018", "iso10003-2018")
    }
    org = Organization(
        "Acme",
        assessments=(
            Assessment("iso10002-2018", "Baseline", answers={q: Answer(0) for q in in_place["iso10002-2018"]}),
            *(Assessment(qid, "Follow-up", answers=answers) for qid, answers in in_place.items()),
        ),
    )
    data = render_docx(bank, org, "complaints-procedure", today=DAY)
    assert len(Document(io.BytesIO(data)).comments) == 0  # the latest assessment counts
    ready = readiness(bank, org, "complaints-procedure")
    assert ready.below_target == () and ready.rewritten == () and ready.left_out == ()
    assert "This will be in place" not in all_text(Document(io.BytesIO(data)))


def test_without_an_assessment_nothing_is_written_as_done_and_nothing_counts_as_a_gap(bank):
    org = Organization("Acme")
    result = readiness(bank, org, "dispute-resolution-policy")
    assert result.not_assessed == ("ISO 10003:2018",)
    assert result.below_target == ()  # a standard never assessed has no gaps, it is not assessed
    assert result.rewritten and not any(
        s.written == "fact" for s in evaluate(bank, org, "dispute-resolution-policy").statements.statements
    )
    data = render_docx(bank, org, "dispute-resolution-policy", today=DAY)
    doc = Document(io.BytesIO(data))
    assert list(doc.comments) == []
    text = all_text(doc)
    assert "This will be in place" not in text  # no action plan to date the commitments by
    assert "There is no self-assessment against ISO 10003:2018 yet" in text


def test_readiness_lists_question_clause_and_value(bank, orgs):
    result = readiness(bank, orgs["full"], "complaints-procedure")
    org_answers = orgs["full"].assessments[1].answers
    for practice in result.below_target:
        assert practice.questionnaire == "iso10002-2018"
        owner = next(q for q in bank.questionnaires.values() if q.has_question(practice.question))
        assert owner.question(practice.question).clause_ref == practice.clause
        if practice.questionnaire == "iso10002-2018":
            answer = org_answers.get(practice.question)
            assert practice.value == (answer.value if answer else None)
    assert len({p.question for p in result.below_target}) == len(result.below_target)


# --- facts: placeholders -----------------------------------------------------------------------------


def test_missing_fact_is_a_highlighted_placeholder_listed_by_readiness(bank, orgs, built):
    fact = bank.profile.fact("people.complaints_manager_name")
    assert "people.complaints_manager_name" not in orgs["partial"].profile
    doc = Document(io.BytesIO(built["complaints-procedure", "partial"]))
    runs = [r for p in doc.paragraphs for r in p.runs if r.text == fact.placeholder_text]
    assert runs and all(r.style.name == "Placeholder" for r in runs)
    listed = readiness(bank, orgs["partial"], "complaints-procedure").missing_facts
    assert fact in listed
    profile_order = [f.id for f in bank.profile.facts]
    assert [f.id for f in listed] == sorted((f.id for f in listed), key=profile_order.index)


def test_full_profile_leaves_no_placeholder(bank, orgs, built):
    for document in DOCUMENT_IDS:
        assert readiness(bank, orgs["full"], document).missing_facts == ()
        assert 'w:val="Placeholder"' not in xml_part(built[document, "full"], "word/document.xml")


def test_facts_come_out_in_the_document(built):
    text = all_text(Document(io.BytesIO(built["complaints-procedure", "full"])))
    for expected in ("Daniel O'Connor", "0800 123 4567", "within 2 working days", "Consumer Council for Water"):
        assert expected in text


# --- user text -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("document", DOCUMENT_IDS)
def test_awkward_user_text_comes_out_literally(bank, orgs, document):
    base = orgs["full"]
    org = dataclasses.replace(
        base, name=NASTY, profile={**base.profile, "org.legal_name": NASTY, "complaints.remedies": [NASTY]}
    )
    data = render_docx(bank, org, document, today=DAY)
    doc = Document(io.BytesIO(data))
    expected = clean_text(NASTY)
    assert expected in all_text(doc)
    assert doc.core_properties.author == expected
    assert "wzxhzdk" not in xml_part(data, "word/document.xml")
    html = render_html(bank, org, document, today=DAY)
    assert "wzxhzdk" not in html
    cover = BeautifulSoup(html, "html.parser").select_one(".document-organization")
    assert cover.get_text() == expected


@pytest.mark.parametrize("document", DOCUMENT_IDS)
def test_preview_has_no_script_even_from_the_organization_name(bank, orgs, document):
    org = dataclasses.replace(orgs["full"], name="<script>alert(1)</script>")
    soup = BeautifulSoup(render_html(bank, org, document), "html.parser")
    assert soup.find("script") is None
    assert not any(attr.startswith("on") for tag in soup.find_all(True) for attr in tag.attrs)
    assert soup.select_one(".document-organization").get_text() == "<script>alert(1)</script>"
    assert all(a["href"].startswith(("http", "mailto:", "#")) for a in soup.find_all("a"))


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.text(max_size=200), st.text(alphabet="*_`[]()#+-.!|>{}:=&<;\\ \n\tab1", max_size=60)))
def test_escaped_text_parses_back_to_itself(text):
    root = parse_markdown(f"Before {escape_markdown(text)} after.\n")
    lines = clean_text(text).replace("\t", " ").strip().split("\n")
    assert [el.tag for el in root] == ["p"]
    assert {el.tag for el in root.iter()} <= {"div", "p", "br"}
    assert text_of(root) == f"Before {''.join(line.strip() for line in lines)} after."


# --- Word structure --------------------------------------------------------------------------------


def test_numbered_lists_restart(built):
    body = xml_part(built["complaints-procedure", "full"], "word/document.xml")
    numbering = xml_part(built["complaints-procedure", "full"], "word/numbering.xml")
    list_number = re.findall(
        r'<w:pStyle w:val="ListNumber"/><w:numPr><w:ilvl w:val="0"/><w:numId w:val="(\d+)"/>', body
    )
    lists = list(dict.fromkeys(list_number))
    assert len(lists) >= 2
    for num_id in lists:
        num = re.search(rf'<w:num w:numId="{num_id}">(.*?)</w:num>', numbering, re.S)
        assert num and re.search(r'<w:lvlOverride w:ilvl="0">\s*<w:startOverride w:val="1"/>', num.group(1))


@pytest.mark.parametrize("document", DOCUMENT_IDS)
def test_tables_repeat_their_header_row_have_widths_and_rows_that_do_not_split(built, document):
    doc = Document(io.BytesIO(built[document, "full"]))
    tables = doc.tables[1:]  # the first is the cover's details
    assert tables
    for table in doc.tables:
        assert all(r._tr.find(f"{W}trPr/{W}cantSplit") is not None for r in table.rows)
    for table in tables:
        first = table.rows[0]._tr
        assert first.find(f"{W}trPr/{W}tblHeader") is not None
        assert first.find(f"{W}trPr/{W}tblHeader").get(f"{W}val") is None
        assert all(r._tr.find(f"{W}trPr/{W}tblHeader") is None for r in table.rows[1:])
        grid = [int(c.get(f"{W}w")) for c in table._tbl.tblGrid.findall(f"{W}gridCol")]
        assert sum(grid) == pytest.approx(9071, abs=3)
        assert [c.width.twips for c in table.rows[1].cells] == pytest.approx(grid, abs=1)


def test_links_are_real_hyperlinks(built):
    data = built["complaints-procedure", "full"]
    rels = xml_part(data, "word/_rels/document.xml.rels")
    assert 'Target="mailto:complaints@northwind-water.example"' in rels
    assert 'TargetMode="External"' in rels
    assert "<w:hyperlink " in xml_part(data, "word/document.xml")


@pytest.mark.parametrize("document", DOCUMENT_IDS)
def test_generating_twice_gives_identical_xml(bank, orgs, built, document):
    again = render_docx(bank, orgs["full"], document, today=DAY)
    first, second = (zipfile.ZipFile(io.BytesIO(d)) for d in (built[document, "full"], again))
    assert first.namelist() == second.namelist()
    assert [n for n in first.namelist() if first.read(n) != second.read(n)] == []
    assert again == built[document, "full"]  # entries are dated the document's date, so bytes match too


@pytest.mark.parametrize("document", DOCUMENT_IDS)
def test_citations_can_be_switched_off(bank, orgs, built, document):
    on = all_text(Document(io.BytesIO(built[document, "full"])))
    off_data = render_docx(bank, orgs["full"], document, citations=False, today=DAY)
    off = all_text(Document(io.BytesIO(off_data)))
    if document != "gap-report":
        assert CITATION.search(on)
    assert not CITATION.search(off)
    preview = BeautifulSoup(render_html(bank, orgs["full"], document, citations=False), "html.parser")
    for note in preview.select(".review-note"):
        note.decompose()  # a review note says where the practice sits in the standard, citations or not
    assert not CITATION.search(preview.get_text())


# --- the HTML preview ----------------------------------------------------------------------------------


def test_preview_marks_flagged_practices_and_placeholders(bank, orgs):
    soup = BeautifulSoup(render_html(bank, orgs["partial"], "complaints-procedure"), "html.parser")
    assert soup.select_one("div.document > header.document-cover")
    assert soup.select("section.document-body h1")
    notes = soup.select(".needs-review .review-note")
    assert notes and notes[0].get_text().startswith(("Not in place yet:", "Not confirmed:"))
    marks = [m.get_text() for m in soup.select("mark.placeholder")]
    assert "[complaints manager's name]" in marks


def test_gap_report_preview_inlines_the_chart_as_svg(bank, orgs):
    soup = BeautifulSoup(render_html(bank, orgs["full"], "gap-report"), "html.parser")
    images = soup.find_all("img")
    assert len(images) == 3
    assert all(img["src"].startswith("data:image/svg+xml;base64,") for img in images)


# --- template errors -----------------------------------------------------------------------------------


def write_templates(tmp_path: Path, document: str, body: str, questionnaire: str = "iso10002-2018") -> Path:
    front = f"---\ntitle: Test\nquestionnaires: [{questionnaire}]\n---\n"
    (tmp_path / f"{document}.md.j2").write_text(front + body)
    return tmp_path


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("# A\n\nText {{ fact('org.nope') }}\n", r"^complaints-procedure\.md\.j2, line 7: unknown fact 'org\.nope'"),
        ("# A\n\n{% if %}\n", r"^complaints-procedure\.md\.j2, line 7: "),
        ("# A\n\n{{ nothing }}\n", r"line 7: .*'nothing' is undefined"),
        (
            '# A\n\n{% call commitment("10002-9.9-z") %}Text{% endcall %}\n',
            r"line 7: practice '10002-9\.9-z' is not a question",
        ),
        (
            '# A\n\n{% call commitment("10002-4.3-b") %}Text{% endcall %}\n',
            r"line 7: practice '10002-4\.3-b' is not a question",
        ),
        ('# A\n\n{% call statement("10002-7.4-a") %}Text{% endcall %}\n', r"line 7: .*needs its commitment form"),
        ('# A\n\n{% call commitment("10002-7.4-a") %}A{{ instead }}B{% endcall %}\n', r"line 7: .*one form only"),
        (
            '# A\n\n{% call statement("10002-7.4-a", claim="x.y") %}A{{ instead }}B{% endcall %}\n',
            r"line 7: unknown claim 'x\.y'",
        ),
        ('# A\n\n{% call commitment("10002-7.4-a") %}A\n\nB{% endcall %}\n', r"line 7: .*one paragraph"),
        ('# A\n\nSee {{ ref("nowhere") }}.\n', r"ref\('nowhere'\): no heading has this id"),
        ('# A\n\nText\n{: practice="10002-7.4-a" }\n', r"line 8: practice= is not used any more"),
        ('# A {: cite="9.9" }\n', r"line 5: cite: ISO 10002:2018 has no clause '9\.9'"),
        ("# A\n\nText\n\n{: .note }\n", r"line 9: an attribute list"),
        ("# A\n\nText <b>bold</b>\n", r"line 7: raw HTML is not allowed"),
        ('# A\n\nText\n{: praktice="x" }\n', r"line 8: unknown attribute 'praktice'"),
        ("# A\n\n{{ value('org.legal_name') }}\n", r"line 7: value\('org\.legal_name'\): only number"),
        ("# A\n\n{{ ''.__class__ }}\n", r"line 7: .*unsafe"),
    ],
)
def test_template_problems_name_the_file_and_line(bank, orgs, tmp_path, body, message):
    folder = write_templates(tmp_path, "complaints-procedure", body)
    with pytest.raises(DocumentError, match=message):
        render_docx(bank, orgs["full"], "complaints-procedure", templates_dir=folder)


def test_templates_dir_may_be_a_string_and_falls_back_to_the_shipped_reference(bank, orgs, tmp_path):
    folder = write_templates(tmp_path, "code-of-conduct", "# Only heading\n\nSome text.\n")
    data = render_docx(bank, orgs["full"], "code-of-conduct", templates_dir=str(folder), today=DAY)
    doc = Document(io.BytesIO(data))
    assert [p.text for p in doc.paragraphs if p.style.name == "Heading 1"] == ["Only heading"]


# --- files, pack and CLI -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Acme Water", "complaints-procedure_acme-water_2026-11-25.docx"),
        ('Ünïcödé "q"\r\nX: 1/../..\\evil', "complaints-procedure_unicode-q-x-1-evil_2026-11-25.docx"),
        ("<script>", "complaints-procedure_script_2026-11-25.docx"),
        ("", "complaints-procedure_organization_2026-11-25.docx"),
    ],
)
def test_document_filename_is_a_safe_slug(name, expected):
    assert document_filename("complaints-procedure", name, DAY) == expected


def test_pack_holds_every_document_under_its_file_name(bank, orgs):
    pack = zipfile.ZipFile(io.BytesIO(render_pack(bank, orgs["full"], today=DAY)))
    assert pack.namelist() == [document_filename(d, "Northwind Water", DAY) for d in DOCUMENT_IDS]
    for name in pack.namelist():
        assert Document(io.BytesIO(pack.read(name))).core_properties.author == "Northwind Water"
    assert render_pack(bank, orgs["full"], today=DAY) == render_pack(bank, orgs["full"], today=DAY)


def test_cli_generate_writes_the_documents(bank, orgs, tmp_path):
    from assess.cli import main

    source = tmp_path / "org.json"
    source.write_text(dump_exchange(orgs["full"]), encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["generate", str(source), "--out", str(out), "--doc", "gap-report", "--doc", "code-of-conduct"]
    )
    assert result.exit_code == 0, result.output
    written = sorted(out.iterdir())
    assert [p.name.split("_")[0] for p in written] == ["code-of-conduct", "gap-report"]
    assert set(result.stdout.split()) == {str(p) for p in written}
    assert "code-of-conduct: 0 missing facts, 0 contradictions" in result.stderr
    assert Document(str(written[0])).paragraphs[0].text == "Customer code of conduct"


def test_cli_generate_without_citations(orgs, tmp_path):
    from assess.cli import main

    source = tmp_path / "org.json"
    source.write_text(dump_exchange(orgs["full"]), encoding="utf-8")
    result = CliRunner().invoke(
        main, ["generate", str(source), "--out", str(tmp_path), "--doc", "complaints-procedure", "--no-citations"]
    )
    assert result.exit_code == 0, result.output
    assert not CITATION.search(all_text(Document(result.stdout.strip())))


def test_cli_generate_reports_a_bad_file_on_stderr(tmp_path):
    from assess.cli import main

    source = tmp_path / "bad.json"
    source.write_text("{not json", encoding="utf-8")
    result = CliRunner().invoke(main, ["generate", str(source), "--out", str(tmp_path)])
    assert result.exit_code != 0
    assert "not valid JSON" in result.output
    assert not list(tmp_path.glob("*.docx"))


# --- the chart -------------------------------------------------------------------------------------------


def test_chart_is_deterministic_svg_and_png(bank, orgs):
    assessment = orgs["full"].assessments[1]
    questionnaire = bank.questionnaire(assessment.questionnaire)
    result = score_assessment(questionnaire, assessment.values, assessment.target)
    svg = clause_chart(questionnaire, result, "svg")
    assert svg == clause_chart(questionnaire, result, "svg")
    assert svg.startswith(b"<?xml") and b"<svg" in svg
    assert b"<dc:date>" not in svg
    assert clause_chart(questionnaire, result, "png").startswith(b"\x89PNG")
    with pytest.raises(ValueError, match="format"):
        clause_chart(questionnaire, result, "gif")

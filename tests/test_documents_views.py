"""The documents page and `assess generate`: what each document still needs, where it comes from,
and the files, for the web and the command line alike."""

from __future__ import annotations

import dataclasses
import io
import sys

from click.testing import CliRunner
from docx import Document

from assess.cli import main
from assess.core.answers import Answer
from assess.formats.example import FULL_PROFILE, example_organization
from assess.formats.exchange import dump_exchange
from tests.conftest import soup


def import_org(client, org):
    response = client.post(
        "/orgs/import",
        data={"file": (io.BytesIO(dump_exchange(org).encode()), "org.json")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, soup(response).text
    return int(response.headers["Location"].split("/")[-1])


def card(page, document):
    return page.select_one(f"#doc-{document}")


def test_the_page_says_which_assessment_feeds_each_document_and_when_it_changed(client, bank):
    org_id = import_org(client, example_organization(bank, actions=True))
    page = soup(client.get(f"/orgs/{org_id}/documents"))
    sources = card(page, "complaints-procedure").select_one(".sources")
    link = sources.select_one("a")
    assert link.text == "Baseline 2026" and link["href"].endswith("/results")
    assert "(ISO 10002:2018), last changed " in sources.text and "UTC" in sources.text
    gap = card(page, "gap-report").select_one(".sources").text
    assert gap.count("Written from") == 3


def test_a_standard_never_assessed_is_said_as_such_and_has_no_gaps(client, bank):
    org = example_organization(bank, actions=True)
    org = dataclasses.replace(org, assessments=org.assessments[1:], actions=())  # no ISO 10001 assessment
    org_id = import_org(client, org)
    page = soup(client.get(f"/orgs/{org_id}/documents"))
    code = card(page, "code-of-conduct")
    assert "No ISO 10001:2018 assessment yet" in code.select_one(".not-assessed").text
    assert code.select_one(".below-target") is None  # never assessed: not counted as practices below target
    assert card(page, "complaints-procedure").select_one(".below-target") is not None


def test_a_contradiction_in_the_profile_is_shown_before_download(client, bank):
    org = example_organization(bank, actions=True)
    profile = {**FULL_PROFILE, "edr.funding": "From public funds, with no payment from us"}
    org_id = import_org(client, dataclasses.replace(org, profile=profile))
    page = soup(client.get(f"/orgs/{org_id}/documents"))
    alert = card(page, "dispute-resolution-policy").select_one(".contradictions")
    assert alert is not None and "the provider receives no money from the organization" in alert.text
    data = client.get(f"/orgs/{org_id}/documents/dispute-resolution-policy.docx").data
    text = "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)
    assert "receives no money from us" not in text  # neither side is written
    assert "how the provider is funded: the profile and the answers disagree" in text


def test_the_page_lists_rewritten_and_left_out_statements_and_facts_with_defaults(client, bank):
    org_id = import_org(client, example_organization(bank, actions=True))
    page = soup(client.get(f"/orgs/{org_id}/documents"))
    procedure = card(page, "complaints-procedure")
    summary = procedure.select_one("details.statements summary").text
    assert "written as commitments" in summary
    assert any("Commitment, due " in li.text for li in procedure.select("details.statements li"))
    assert "shown with" in procedure.select_one("details.defaults summary").text


def test_the_documents_page_writes_no_document(client, bank, monkeypatch):
    org_id = import_org(client, example_organization(bank, actions=True))

    def refuse(*args, **kwargs):
        raise AssertionError("the documents page must not build a document")

    monkeypatch.setattr(sys.modules["assess.documents.prepare"], "build_tree", refuse)
    assert client.get(f"/orgs/{org_id}/documents").status_code == 200


# --- assess generate -----------------------------------------------------------------------------


def write(tmp_path, org):
    path = tmp_path / "org.json"
    path.write_text(dump_exchange(org), encoding="utf-8")
    return path


def test_generate_prints_what_each_document_needs_on_stderr(bank, tmp_path):
    source = write(tmp_path, example_organization(bank, profile="partial", actions=True))
    result = CliRunner().invoke(
        main, ["generate", str(source), "--out", str(tmp_path / "out"), "--doc", "complaints-procedure"]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().endswith(".docx")
    err = result.stderr
    assert err.startswith("complaints-procedure: ")
    assert "  missing fact (required): Name of the complaints manager [people.complaints_manager_name]" in err
    assert "  commitment (due " in err and "  default used: " in err


def test_generate_strict_writes_nothing_when_a_required_fact_is_missing(bank, tmp_path):
    source = write(tmp_path, example_organization(bank, profile="empty"))
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["generate", str(source), "--out", str(out), "--strict"])
    assert result.exit_code == 1
    assert "--strict: not written" in result.stderr
    assert not out.exists() or not list(out.iterdir())
    full = write(tmp_path, example_organization(bank, actions=True))
    assert CliRunner().invoke(main, ["generate", str(full), "--out", str(out), "--strict", "--quiet"]).exit_code == 0
    assert len(list(out.iterdir())) == 4


def test_generate_strict_refuses_a_contradiction(bank, tmp_path):
    org = example_organization(bank, actions=True)
    answers = {**org.assessments[2].answers, "10003-7.2-c": Answer(4)}  # the answers say there is an early route
    org = dataclasses.replace(
        org, assessments=(*org.assessments[:2], dataclasses.replace(org.assessments[2], answers=answers))
    )
    result = CliRunner().invoke(main, ["generate", str(write(tmp_path, org)), "--out", str(tmp_path), "--strict"])
    assert result.exit_code == 1
    assert "contradiction: The profile and the answers say both" in result.stderr


def test_generate_update_fields_needs_libreoffice(bank, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # no soffice here
    source = write(tmp_path, example_organization(bank, actions=True))
    result = CliRunner().invoke(main, ["generate", str(source), "--out", str(tmp_path / "out"), "--update-fields"])
    assert result.exit_code == 1
    assert "--update-fields needs LibreOffice" in result.stderr
    assert not (tmp_path / "out").exists()


def test_generate_notes_puts_the_assessments_notes_into_the_comments(bank, tmp_path):
    source = write(tmp_path, example_organization(bank, actions=True))
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["generate", str(source), "--out", str(out), "--doc", "complaints-procedure", "--notes", "--quiet"]
    )
    assert result.exit_code == 0 and result.stderr == ""
    comments = [c.text for c in Document(result.stdout.strip()).comments]
    assert any("Assessment note: " in c for c in comments)


def test_the_example_command_gives_its_action_plan(bank):
    result = CliRunner().invoke(main, ["example"])
    assert '"owner": "Sarah Bell, Customer Standards Manager"' in result.stdout
    assert '"actions"' not in CliRunner().invoke(main, ["example", "--no-actions"]).stdout

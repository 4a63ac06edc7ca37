"""The interview per document: a new organization, nothing else, reaches a policy with no placeholders."""

import io
import re

import pytest
from docx import Document

from assess.core.answers import Organization
from assess.services.interview import topics
from assess.store import organizations as org_store
from assess.web.database import get_db
from tests.conftest import add_user, log_in, soup

DOCUMENTS = ("complaints-procedure", "code-of-conduct", "dispute-resolution-policy")


def sample(fact):
    """What a person would type: the fact's default or example, else something of its type."""
    if fact.default is not None:
        return fact.default
    if fact.example:
        return float(fact.example) if fact.type == "number" else fact.example
    return {
        "number": 5,
        "choice": fact.choices[0] if fact.choices else "",
        "multichoice": list(fact.choices[:2]),
        "date": "2027-01-01",
        "email": "someone@example.org",
        "url": "https://www.example.org",
        "list": [{f.id: f"{f.text} one" for f in fact.fields}],
    }.get(fact.type, f"Our {fact.text.lower()}")


def form_data(facts):
    data = {}
    for fact in facts:
        name = fact.id.replace(".", "__")
        value = sample(fact)
        if fact.type == "list":
            for i, row in enumerate(value):
                for key, text in row.items() if isinstance(row, dict) else [(fact.fields[0].id, row)]:
                    data[f"{name}-{i}-{key}"] = text
        elif fact.type == "multichoice":
            data[name] = list(value)
        elif fact.type == "choice" and value == "":
            continue
        else:
            data[name] = str(int(value)) if fact.type == "number" and float(value).is_integer() else str(value)
    return data


def docx_text(data):
    doc = Document(io.BytesIO(data))
    texts = [p.text for p in doc.paragraphs]
    texts += [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
    return "\n".join(texts)


@pytest.mark.parametrize("document", DOCUMENTS)
def test_a_new_organization_answers_the_interview_and_gets_a_document_with_no_placeholder(
    client, site, app, bank, document
):
    org_id = site.org("Brook Lane Dental")
    start = client.get(f"/orgs/{org_id}/documents/{document}/prepare")
    assert start.status_code == 302 and start.headers["Location"].endswith("/prepare/1")
    number, pages = 1, 0
    while True:
        page = soup(client.get(f"/orgs/{org_id}/documents/{document}/prepare/{number}"))
        total = int(re.search(r"topic \d+ of (\d+)", page.text).group(1))
        assert page.select_one("progress.interview-progress")["max"] == str(total)
        with app.app_context():
            org = Organization("Brook Lane Dental", profile=org_store.get_profile(get_db(), org_id))
            facts = topics(bank, org, document, asked=[t.title for t in topics(bank, Organization("x"), document)])
        topic = facts[number - 1]
        assert page.h1.text == topic.title
        response = client.post(
            f"/orgs/{org_id}/documents/{document}/prepare/{number}", data={**form_data(topic.facts), "go": "next"}
        )
        assert response.status_code == 302, soup(response).select_one(".error-summary")
        pages += 1
        if response.headers["Location"].endswith("/prepare/check"):
            break
        number = int(response.headers["Location"].rsplit("/", 1)[1])  # the next topic, or this one with more
    assert pages >= total
    check = soup(client.get(f"/orgs/{org_id}/documents/{document}/prepare/check"))
    assert check.find(id="nothing-missing"), check.find(id="still-missing")
    download = client.get(check.find(id="download")["href"])
    assert download.status_code == 200
    text = docx_text(download.data)
    assert not re.search(r"\[[a-z][^\]]{3,}\]", text), re.findall(r"\[[a-z][^\]]{3,}\]", text)[:5]


def test_back_keeps_what_was_typed_and_known_topics_are_skipped(client, site, app, bank):
    org_id = site.org("Brook Lane Dental")
    client.get(f"/orgs/{org_id}/documents/complaints-procedure/prepare")
    first = topics(bank, Organization("x"), "complaints-procedure")[0]
    data = form_data(first.facts)
    assert (
        client.post(f"/orgs/{org_id}/documents/complaints-procedure/prepare/1", data={**data, "go": "next"}).status_code
        == 302
    )
    back = soup(client.get(f"/orgs/{org_id}/documents/complaints-procedure/prepare/1"))
    assert back.find("input", attrs={"name": "org__legal_name"})["value"] == data["org__legal_name"]
    # a second interview, for another document, does not ask again what the first one answered:
    # those answers are folded away, still there to change
    client.get(f"/orgs/{org_id}/documents/dispute-resolution-policy/prepare")
    page = soup(client.get(f"/orgs/{org_id}/documents/dispute-resolution-policy/prepare/1"))
    assert page.h1.text == "Organization"
    folded = page.find(id="given-before")
    assert folded.find("input", attrs={"name": "org__legal_name"})["value"] == data["org__legal_name"]
    open_questions = [i["name"] for i in page.select("form.interview > .field input") if i.get("name")]
    assert "org__legal_name" not in open_questions


def test_a_bad_answer_is_shown_next_to_its_field_and_nothing_of_the_page_is_saved(client, site, app, bank):
    org_id = site.org("Brook Lane Dental")
    client.get(f"/orgs/{org_id}/documents/complaints-procedure/prepare")
    first = topics(bank, Organization("x"), "complaints-procedure")[0]
    data = {**form_data(first.facts), "org__website": "not a web address"}
    response = client.post(f"/orgs/{org_id}/documents/complaints-procedure/prepare/1", data={**data, "go": "next"})
    assert response.status_code == 400
    assert soup(response).select_one(".error-summary a[href='#org__website']")
    with app.app_context():
        assert org_store.get_profile(get_db(), org_id) == {}


def test_the_preview_shows_the_passage_the_answers_produce(client, site, app, bank):
    org_id = site.org("Brook Lane Dental")
    client.get(f"/orgs/{org_id}/documents/complaints-procedure/prepare")
    found = topics(bank, Organization("x"), "complaints-procedure")
    number = next(t.number for t in found if any(f.id == "complaints.ack_days" for f in t.facts))
    facts = found[number - 1].facts
    response = client.post(
        f"/orgs/{org_id}/documents/complaints-procedure/prepare/{number}",
        data={**form_data(facts), "complaints__ack_days": "4", "go": "preview"},
    )
    assert response.status_code == 302
    preview = soup(client.get(response.headers["Location"])).find(id="preview")
    assert "acknowledge" in preview.text.lower() and "4 working days" in preview.text


def test_viewers_cannot_run_the_interview_and_the_gap_report_has_none(app, client, site):
    org_id = site.org("Brook Lane Dental")
    add_user(app, "viewer@example.com")
    path = soup(client.post(f"/orgs/{org_id}/people", data={"email": "viewer@example.com", "role": "viewer"}))
    viewer = log_in(app.test_client(), "viewer@example.com")
    viewer.post(path.select_one("#invite code").text.split("localhost", 1)[1])
    assert viewer.get(f"/orgs/{org_id}").status_code == 200  # a viewer of it, and still no interview
    assert viewer.get(f"/orgs/{org_id}/documents/complaints-procedure/prepare").status_code in (403, 404)
    post = viewer.post(f"/orgs/{org_id}/documents/complaints-procedure/prepare/1", data={"org__legal_name": "X"})
    assert post.status_code in (403, 404)
    with app.app_context():
        assert org_store.get_profile(get_db(), org_id) == {}
    assert client.get(f"/orgs/{org_id}/documents/gap-report/prepare").status_code == 404
    assert client.get(f"/orgs/{org_id}/documents/complaints-procedure/prepare/99").status_code in (302, 404)


def test_the_live_preview_follows_what_is_typed_and_saves_nothing(client, site, app, bank):
    org_id = site.org("Brook Lane Dental")
    client.get(f"/orgs/{org_id}/documents/complaints-procedure/prepare")
    found = topics(bank, Organization("x"), "complaints-procedure")
    number = next(t.number for t in found if any(f.id == "complaints.ack_days" for f in t.facts))
    facts = found[number - 1].facts
    url = f"/orgs/{org_id}/documents/complaints-procedure/prepare/{number}/preview"
    typed = client.post(url, data={**form_data(facts), "complaints__ack_days": "6"})
    assert typed.status_code == 200
    assert "6 working days" in soup_of(typed.json["html"]).text and typed.json["waiting"] == []
    wrong = client.post(url, data={**form_data(facts), "complaints__ack_days": "ten"})
    assert "6 working days" not in soup_of(wrong.json["html"]).text
    assert [f.text for f in facts if f.id == "complaints.ack_days"] == wrong.json["waiting"]
    with app.app_context():
        assert org_store.get_profile(get_db(), org_id) == {}  # nothing typed was saved by the preview
    assert client.post(f"/orgs/{org_id}/documents/complaints-procedure/prepare/99/preview", data={}).status_code == 404


def soup_of(html):
    from bs4 import BeautifulSoup

    return BeautifulSoup(html, "html.parser")


def walk(bank, document):
    """Answer a document's interview for a new organization with `sample` answers, leaving the
    optional details empty; return (pages, questions shown, of them with a suggestion, organization)."""
    from dataclasses import replace

    from assess.core.facts import check_fact_value
    from assess.services.interview import optional_for

    org = Organization("Brook Lane Dental")
    asked, pages, shown, suggested = set(), 0, 0, 0
    found = topics(bank, org, document)
    while topic := next((t for t in found if any(f.id not in asked for f in t.facts)), None):
        pages += 1
        profile = dict(org.profile)
        for fact in (f for f in topic.facts if f.id not in asked):
            asked.add(fact.id)
            if not optional_for(fact, document):
                shown += 1
                suggested += fact.default is not None
                profile[fact.id] = check_fact_value(fact, sample(fact))
        org = replace(org, profile=profile)
        found = topics(bank, org, document, asked=[t.title for t in found])
    return pages, shown, suggested, org


def test_the_readme_gives_the_pages_and_questions_each_interview_takes(bank):
    from pathlib import Path

    readme = " ".join(Path("README.md").read_text().split())
    names = {
        "complaints-procedure": "the complaints procedure",
        "code-of-conduct": "the code of conduct",
        "dispute-resolution-policy": "the dispute-resolution policy",
    }
    for document, name in names.items():
        pages, shown, suggested, _ = walk(bank, document)
        said = f"{name} takes {pages} pages and {shown} questions ({suggested}"
        assert said in readme, f"README should say: {said}"


@pytest.mark.parametrize("document", DOCUMENTS)
def test_leaving_every_optional_detail_empty_still_leaves_no_placeholder(bank, document):
    from assess.documents import readiness

    *_, org = walk(bank, document)
    assert [f.id for f in readiness(bank, org, document).missing_facts] == []

"""Every page and every form path of the web app: valid, invalid, missing and foreign ids."""

import io
import json
import re
from datetime import date

import pytest
from bs4 import BeautifulSoup

from assess.core.scoring import score_assessment
from assess.formats.example import example_organization
from assess.formats.exchange import dump_exchange
from assess.store import answers as answer_store
from assess.store import organizations as org_store
from assess.web.database import get_db
from assess.web.navigation import answer_pages
from tests.conftest import Site, soup


def test_index_redirects_to_organizations(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/orgs")


def test_empty_organization_list_says_how_to_start(client):
    page = soup(client.get("/orgs"))
    assert "No organizations yet" in page.select_one("p.empty").text


def test_create_organization_and_see_it_listed(client, site):
    org_id = site.org("Acme Water")
    page = soup(client.get("/orgs"))
    links = [(a.text, a["href"]) for a in page.select("table.data a")]
    assert links == [("Acme Water", f"/orgs/{org_id}")]
    assert soup(client.get(f"/orgs/{org_id}")).h1.text == "Acme Water"


@pytest.mark.parametrize("data", [{}, {"name": ""}, {"name": "   "}, {"name": "x" * 201}])
def test_create_organization_rejects_bad_names_next_to_the_field(client, data):
    response = client.post("/orgs/new", data=data)
    assert response.status_code == 400
    assert soup(response).select_one(".has-error .error").text.strip()
    assert client.get("/orgs").get_data(as_text=True).count("/orgs/1") == 0


def test_rename_and_delete_organization(client, site):
    org_id = site.org("Old name")
    assert client.post(f"/orgs/{org_id}/edit", data={"name": "New name"}).status_code == 302
    assert soup(client.get(f"/orgs/{org_id}")).h1.text == "New name"
    confirm = soup(client.get(f"/orgs/{org_id}/delete"))
    assert confirm.h1.text == "Delete New name?"
    assert client.post(f"/orgs/{org_id}/delete").status_code == 302
    assert client.get(f"/orgs/{org_id}").status_code == 404


ORG_ROUTES = [
    "/orgs/{o}",
    "/orgs/{o}/edit",
    "/orgs/{o}/delete",
    "/orgs/{o}/profile",
    "/orgs/{o}/export.json",
    "/orgs/{o}/assessments/new",
    "/orgs/{o}/assessments/{a}",
    "/orgs/{o}/assessments/{a}/pages/4.2",
    "/orgs/{o}/assessments/{a}/check",
    "/orgs/{o}/assessments/{a}/results",
    "/orgs/{o}/assessments/{a}/chart.svg",
    "/orgs/{o}/assessments/{a}/edit",
    "/orgs/{o}/assessments/{a}/duplicate",
    "/orgs/{o}/assessments/{a}/delete",
    "/orgs/{o}/documents",
    "/orgs/{o}/documents/complaints-procedure",
    "/orgs/{o}/documents/complaints-procedure.docx",
    "/orgs/{o}/documents/all.zip",
]


@pytest.mark.parametrize("route", ORG_ROUTES)
def test_every_organization_route_works_and_unknown_ids_give_404(client, site, route):
    org_id = site.org()
    assessment_id = site.assessment(org_id)
    assert client.get(route.format(o=org_id, a=assessment_id)).status_code == 200
    assert client.get(route.format(o=org_id + 100, a=assessment_id)).status_code == 404
    if "{a}" in route:
        assert client.get(route.format(o=org_id, a=assessment_id + 100)).status_code == 404


@pytest.mark.parametrize("route", [r for r in ORG_ROUTES if "{a}" in r])
def test_assessment_of_another_organization_is_404(client, site, route):
    mine = site.org("Mine")
    other = site.org("Other")
    foreign = site.assessment(other)
    response = client.get(route.format(o=mine, a=foreign))
    assert response.status_code == 404
    assert "Other" not in response.get_data(as_text=True)


def test_posts_to_foreign_assessment_change_nothing(client, app, site):
    mine, other = site.org("Mine"), site.org("Other")
    foreign = site.assessment(other)
    q = "10002-4.2-a"
    assert client.post(f"/orgs/{mine}/assessments/{foreign}/answers/{q}", data={f"value:{q}": "4"}).status_code == 404
    assert client.post(f"/orgs/{mine}/assessments/{foreign}/delete").status_code == 404
    with app.app_context():
        assert answer_store.get_answers(get_db(), foreign) == {}
        assert answer_store.get_assessment(get_db(), other, foreign) is not None


def test_not_found_page_is_styled_and_leaks_nothing(client):
    response = client.get("/orgs/999")
    assert response.status_code == 404
    page = soup(response)
    assert page.h1.text == "Page not found"
    assert "Traceback" not in page.text


def test_server_error_page_hides_the_trace(app, client, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(org_store, "list_organizations", broken)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = client.get("/orgs")
    assert response.status_code == 500
    text = response.get_data(as_text=True)
    assert "Something went wrong" in text
    assert "secret internals" not in text and "Traceback" not in text and ".py" not in text
    reference = re.search(r"reference: ([0-9a-f]{8})", text).group(1)
    assert any(reference in r.getMessage() and r.exc_info for r in caplog.records)


# --- profile ---


def test_profile_saves_every_fact_type_and_shows_it_again(client, app, site):
    org_id = site.org()
    data = {
        "org__legal_name": "Acme Water Ltd",
        "org__address": "1 Main St\nTown",
        "org__sector": "Housing",
        "complaints__channels": ["Phone", "Email"],
        "complaints__ack_days": "2",
        "complaints__email": "complaints@acme.example",
        "org__website": "https://acme.example",
        "documents__effective_date": "2026-12-01",
        "code__promises-0-promise": "We call back within a day",
        "code__promises-0-indicator": "Share of call-backs in time",
        "code__promises-0-target": "95 %",
        "code__promises-1-promise": "",
    }
    response = client.post(f"/orgs/{org_id}/profile", data=data)
    assert response.status_code == 302, soup(response).select(".error")
    with app.app_context():
        profile = org_store.get_profile(get_db(), org_id)
    assert profile == {
        "org.legal_name": "Acme Water Ltd",
        "org.address": "1 Main St\nTown",
        "org.sector": "Housing",
        "complaints.channels": ["Phone", "Email"],
        "complaints.ack_days": 2,
        "complaints.email": "complaints@acme.example",
        "org.website": "https://acme.example",
        "documents.effective_date": "2026-12-01",
        "code.promises": [
            {
                "promise": "We call back within a day",
                "indicator": "Share of call-backs in time",
                "target": "95 %",
            }
        ],
    }
    sections = soup(client.get(f"/orgs/{org_id}/profile")).select("#profile-sections h2 a")
    page = BeautifulSoup("".join(client.get(a["href"]).get_data(as_text=True) for a in sections), "html.parser")
    assert page.select_one("#org__legal_name")["value"] == "Acme Water Ltd"
    assert {i["value"] for i in page.select("input[name=complaints__channels][checked]")} == {
        "Phone",
        "Email",
    }
    assert page.select_one("[name=code__promises-0-promise]")["value"] == "We call back within a day"


@pytest.mark.parametrize(
    "field,value,message",
    [
        ("complaints__email", "not-an-email", "Must be an email address"),
        ("org__website", "javascript:alert(1)", "Must be a web address"),
        ("complaints__ack_days", "-3", "Must be a number from 0 to 60"),
        ("complaints__ack_days", "two", "Not a valid float value"),
        ("org__sector", "Piracy", "Must be one of"),
        ("complaints__channels", "Pigeon", "Must be a list of choices"),
        ("documents__effective_date", "1 Dec", "Not a valid date value"),
    ],
)
def test_profile_rejects_bad_values_and_saves_nothing(client, app, site, field, value, message):
    org_id = site.org()
    response = client.post(f"/orgs/{org_id}/profile", data={"org__legal_name": "Kept?", field: value})
    assert response.status_code == 400
    page = soup(response)
    assert message in page.select_one(".has-error .error").text
    assert page.select_one("#org__legal_name")["value"] == "Kept?"  # what was typed is still on the page
    with app.app_context():
        assert org_store.get_profile(get_db(), org_id) == {}


def test_profile_is_a_task_list_of_its_sections_and_a_section_saves_only_its_facts(client, app, site, bank):
    org_id = site.org()
    with app.app_context():
        org_store.set_profile(get_db(), org_id, {"complaints.email": "c@acme.example"})
    page = soup(client.get(f"/orgs/{org_id}/profile"))
    titles = [a.text for a in page.select("#profile-sections h2 a")]
    assert titles == list(bank.profile.sections)
    first = bank.profile.sections[0]
    facts = [f for f in bank.profile.facts if f.section == first]
    assert page.select_one("#profile-sections .tag").text == "Not started"
    link = page.select_one("#profile-sections h2 a")["href"]
    section = soup(client.get(link))
    assert {i["name"] for i in section.select("form [name]") if i["name"] != "csrf_token" and i["name"] != "go"} >= {
        f.id.replace(".", "__") for f in facts if f.type != "list"
    }
    assert section.select_one("#complaints__email") is None  # another section's fact
    response = client.post(link, data={"org__legal_name": "Acme Water Ltd", "go": "next"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(
        soup(client.get(f"/orgs/{org_id}/profile")).select("#profile-sections h2 a")[1]["href"]
    )
    with app.app_context():
        assert org_store.get_profile(get_db(), org_id) == {
            "complaints.email": "c@acme.example",
            "org.legal_name": "Acme Water Ltd",
        }
    assert soup(client.get(f"/orgs/{org_id}/profile")).select_one("#profile-sections .tag").text != "Not started"
    assert client.get(f"/orgs/{org_id}/profile/no-such-section").status_code == 404


def test_profile_errors_all_show_at_once_in_a_linked_summary(client, site):
    org_id = site.org()
    response = client.post(
        f"/orgs/{org_id}/profile",
        data={"complaints__email": "not-an-email", "complaints__ack_days": "two", "org__website": "javascript:x"},
    )
    assert response.status_code == 400
    summary = soup(response).select_one(".error-summary")
    assert summary.has_attr("autofocus") and summary["tabindex"] == "-1"
    links = {a["href"] for a in summary.select("a")}
    assert links == {"#complaints__email", "#complaints__ack_days", "#org__website"}


# --- assessments ---


def test_start_assessment_validates_input(client, site):
    org_id = site.org()
    bad = client.post(f"/orgs/{org_id}/assessments/new", data={"questionnaire": "iso9001", "title": "x", "target": "3"})
    assert bad.status_code == 400
    assert "Not a valid choice" in soup(bad).select_one(".has-error .error").text
    missing = client.post(f"/orgs/{org_id}/assessments/new", data={"questionnaire": "iso10002-2018", "target": "3"})
    assert missing.status_code == 400
    bad_target = client.post(
        f"/orgs/{org_id}/assessments/new",
        data={"questionnaire": "iso10002-2018", "title": "x", "target": "9"},
    )
    assert bad_target.status_code == 400


def test_hub_lists_every_top_level_clause_with_status(client, site, bank):
    org_id = site.org()
    aid = site.assessment(org_id)
    page = soup(client.get(f"/orgs/{org_id}/assessments/{aid}"))
    headings = [h.text.split(None, 1)[0] for h in page.select("li.task h2")]
    assert headings == [c.ref for c in bank.questionnaire("iso10002-2018").clauses]
    assert {t.text for t in page.select("li.task .task-head .tag")} == {"Not started"}


def post_page(client, org_id, aid, key, answers, go="next"):
    data = {"go": go}
    for qid, parts in answers.items():
        for part, value in parts.items():
            data[f"{part}:{qid}"] = value
    return client.post(f"/orgs/{org_id}/assessments/{aid}/pages/{key}", data=data)


def test_page_submit_saves_answers_and_moves_on(client, app, site, bank):
    org_id = site.org()
    aid = site.assessment(org_id)
    pages = answer_pages(bank.questionnaire("iso10002-2018"))
    first = pages[0]
    answers = {q.id: {"value": "3", "note": f"note {q.id}"} for q in first.questions}
    response = post_page(client, org_id, aid, first.key, answers)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/pages/{pages[1].key}")
    with app.app_context():
        stored = answer_store.get_answers(get_db(), aid)
    assert {k: (v.value, v.note) for k, v in stored.items()} == {q.id: (3, f"note {q.id}") for q in first.questions}
    again = soup(client.get(f"/orgs/{org_id}/assessments/{aid}/pages/{first.key}"))
    checked = {i["name"].split(":", 1)[1]: i["value"] for i in again.select("input[type=radio][checked]")}
    assert checked == {q.id: "3" for q in first.questions}


def test_previous_goes_back_and_keeps_answers(client, site, bank):
    org_id = site.org()
    aid = site.assessment(org_id)
    pages = answer_pages(bank.questionnaire("iso10002-2018"))
    second = pages[1]
    q = second.questions[0]
    response = post_page(client, org_id, aid, second.key, {q.id: {"value": "2"}}, go="previous")
    assert response.headers["Location"].endswith(f"/pages/{pages[0].key}")
    page = soup(client.get(f"/orgs/{org_id}/assessments/{aid}/pages/{second.key}"))
    assert page.select_one(f"input[name='value:{q.id}'][checked]")["value"] == "2"


def test_not_applicable_without_reason_is_refused_and_nothing_saved(client, app, site, bank):
    org_id = site.org()
    aid = site.assessment(org_id)
    page = answer_pages(bank.questionnaire("iso10002-2018"))[0]
    na_question = next(q for q in page.questions if q.allow_na)
    other = next(q for q in page.questions if q.id != na_question.id)
    response = post_page(client, org_id, aid, page.key, {na_question.id: {"value": "na"}, other.id: {"value": "4"}})
    assert response.status_code == 400
    html = soup(response)
    assert "Say why this does not apply" in html.find(id=f"q-{na_question.id}").select_one(".error").text
    assert html.select_one(f"input[name='value:{other.id}'][checked]")["value"] == "4"  # typed input kept on the page
    with app.app_context():
        assert answer_store.get_answers(get_db(), aid) == {}


def test_not_applicable_refused_where_not_allowed(client, site, bank):
    org_id = site.org()
    aid = site.assessment(org_id)
    questionnaire = bank.questionnaire("iso10002-2018")
    strict = next(q for q in questionnaire.questions if not q.allow_na)
    url = f"/orgs/{org_id}/assessments/{aid}/answers/{strict.id}"
    response = client.post(url, data={f"value:{strict.id}": "na", f"reason:{strict.id}": "x"})
    assert response.status_code == 400
    assert "Not a valid choice" in json.dumps(response.get_json())


def test_autosave_saves_one_answer_and_reports_visibility(client, app, site, bank):
    org_id = site.org()
    aid = site.assessment(org_id)
    questionnaire = bank.questionnaire("iso10002-2018")
    follow_up = next(q for q in questionnaire.questions if q.show_if is not None)
    gate = follow_up.show_if.questions[0]
    url = f"/orgs/{org_id}/assessments/{aid}/answers/{gate}"
    response = client.post(url, data={f"value:{gate}": "0"})
    assert response.status_code == 200
    assert follow_up.id not in response.get_json()["visible"]
    response = client.post(url, data={f"value:{gate}": "4", f"note:{gate}": "done"})
    body = response.get_json()
    assert body["saved"] is True and body["saved_at"]
    assert follow_up.id in body["visible"]
    with app.app_context():
        stored = answer_store.get_answers(get_db(), aid)[gate]
        history = answer_store.answer_history(get_db(), aid, gate)
    assert (stored.value, stored.note) == (4, "done")
    assert [h.value for h in history] == [0, 4]


def test_hidden_question_is_rendered_hidden(client, site, bank):
    org_id = site.org()
    aid = site.assessment(org_id)
    questionnaire = bank.questionnaire("iso10002-2018")
    follow_up = next(q for q in questionnaire.questions if q.show_if is not None)
    page = next(p for p in answer_pages(questionnaire) if follow_up in p.questions)
    html = soup(client.get(f"/orgs/{org_id}/assessments/{aid}/pages/{page.key}"))
    assert html.find(id=f"q-{follow_up.id}").has_attr("hidden")


def test_importing_the_same_file_twice_makes_no_identically_named_twin(client, app, bank):
    raw = client.get("/orgs/example.json").get_data()
    name = json.loads(raw)["organization"]["name"]
    for _ in range(3):
        response = client.post(
            "/orgs/import", data={"file": (io.BytesIO(raw), "example.json")}, content_type="multipart/form-data"
        )
        assert response.status_code == 302
    with app.app_context():
        names = [o.name for o in org_store.list_organizations(get_db())]
    day = date.today().isoformat()
    assert sorted(names) == sorted([name, f"{name} (imported {day})", f"{name} (imported {day} 2)"])
    flashed = soup(client.get("/orgs")).select(".flash")[-1].text
    assert f"as “{name} (imported {day} 2)”, since {name} exists already" in flashed


def test_an_empty_organization_list_offers_the_example_not_a_shell_command(client):
    page = soup(client.get("/orgs"))
    assert "assess example" not in page.text
    assert page.find("a", string="download an example organization")["href"] == "/orgs/example.json"


def test_note_alone_is_kept_and_does_not_erase_the_level(client, app, site):
    org_id = site.org()
    aid = site.assessment(org_id)
    q = "10002-4.2-a"
    url = f"/orgs/{org_id}/assessments/{aid}/answers/{q}"
    assert client.post(url, data={f"note:{q}": "typed before choosing"}).status_code == 200
    with app.app_context():
        assert answer_store.get_answers(get_db(), aid)[q].value is None
    client.post(url, data={f"value:{q}": "2", f"note:{q}": "typed before choosing"})
    client.post(url, data={f"note:{q}": "changed note"})
    with app.app_context():
        stored = answer_store.get_answers(get_db(), aid)[q]
    assert (stored.value, stored.note) == (2, "changed note")


@pytest.mark.parametrize(
    "data,status",
    [
        ({"value:10002-4.2-a": "7"}, 400),
        ({"value:10002-4.2-a": "na"}, 400),
        ({"note:10002-4.2-a": "x" * 5001}, 400),
        ({}, 200),
    ],
)
def test_autosave_bad_input_is_4xx_and_changes_nothing(client, app, site, data, status):
    org_id = site.org()
    aid = site.assessment(org_id)
    response = client.post(f"/orgs/{org_id}/assessments/{aid}/answers/10002-4.2-a", data=data)
    assert response.status_code == status
    with app.app_context():
        assert answer_store.get_answers(get_db(), aid) == {}


def test_autosave_unknown_question_is_404(client, site):
    org_id = site.org()
    aid = site.assessment(org_id)
    assert client.post(f"/orgs/{org_id}/assessments/{aid}/answers/10001-4.2-a", data={}).status_code == 404


def test_unknown_page_is_404(client, site):
    org_id = site.org()
    aid = site.assessment(org_id)
    assert client.get(f"/orgs/{org_id}/assessments/{aid}/pages/99").status_code == 404


def import_example(client, bank, profile="full"):
    org = example_organization(bank, profile=profile)
    response = client.post(
        "/orgs/import",
        data={"file": (io.BytesIO(dump_exchange(org).encode()), "example.json")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, soup(response).text
    return int(response.headers["Location"].split("/")[-1]), org


def test_check_answers_groups_by_clause_and_filters_with_counts(client, site, bank):
    org_id, org = import_example(client, bank)
    with client.application.app_context():
        aid = answer_store.list_assessments(get_db(), org_id)[1].id  # iso10002
    url = f"/orgs/{org_id}/assessments/{aid}/check"
    page = soup(client.get(url))
    answers = org.assessments[1].answers
    questionnaire = bank.questionnaire("iso10002-2018")
    result = score_assessment(questionnaire, org.assessments[1].values)
    shown = [q for q in questionnaire.questions if q.id in result.visible_questions]
    missing = [q.id for q in shown if q.id not in answers]
    unknown = [q.id for q in shown if q.id in answers and answers[q.id].value == "unknown"]
    na = [q.id for q in shown if q.id in answers and answers[q.id].value == "na"]
    assert [d["id"] for d in page.select("details.check-group")] == [
        f"group-{c.ref}"
        for c in questionnaire.clauses
        if any(q.id in result.visible_questions for q in c.all_questions())
    ]
    assert not any(d.has_attr("open") for d in page.select("details.check-group"))  # short: collapsed
    rows = page.select("dl.summary .row")
    assert len(rows) == result.visible
    assert all(row.select_one(".change a")["href"].endswith(row["id"].replace("check-", "#q-")) for row in rows)
    filters = [a.text for a in page.select("nav.filters a, nav.filters strong")]
    assert filters == [
        f"All questions ({len(shown)})",
        f"Not answered ({len(missing)})",
        f"Don't know ({len(unknown)})",
        f"Not applicable ({len(na)})",
    ]
    for kind, expected in (("unanswered", missing), ("unknown", unknown), ("na", na)):
        narrowed = soup(client.get(f"{url}?show={kind}"))
        assert [r["id"].removeprefix("check-") for r in narrowed.select("dl.summary .row")] == expected
        assert all(d.has_attr("open") for d in narrowed.select("details.check-group"))
    assert unknown, "the example should hold a don't know to flag"
    flagged = soup(client.get(f"{url}?show=unknown")).select_one(f"[id='check-{unknown[0]}'] .tag.unknown-flag")
    assert flagged.text == "Don't know"


def test_results_show_the_same_numbers_as_the_scoring_engine(client, bank):
    org_id, org = import_example(client, bank)
    with client.application.app_context():
        aid = answer_store.list_assessments(get_db(), org_id)[1].id
    questionnaire = bank.questionnaire("iso10002-2018")
    result = score_assessment(questionnaire, org.assessments[1].values)
    page = soup(client.get(f"/orgs/{org_id}/assessments/{aid}/results"))
    assert page.select_one("#score").text.strip() == f"{result.score:.1f} %"
    assert page.select_one("#maturity").text.strip().startswith(str(result.maturity))
    assert int(page.select_one("#gap-count").text) == len([g for g in result.gaps if g.value != "unknown"])
    rows = page.select("#clause-table tbody tr")
    assert [r.td.select_one(".ref").text for r in rows] == [c.ref for c in result.clauses]
    assert [r.select("td")[1].text for r in rows] == [
        f"{c.score:.1f} %" if c.score is not None else "–" for c in result.clauses
    ]
    priorities = [int(r.td["data-priority"]) for r in page.select("#gap-table tbody tr")]
    assert priorities == [g.priority for g in result.gaps if g.value != "unknown"]  # a don't know is to find out
    previous = soup(client.get(f"/orgs/{org_id}/assessments/{aid}/results?edition=previous"))
    assert [r.td.select_one(".ref").text for r in previous.select("#clause-table tbody tr")] == [
        c.ref for c in result.previous_clauses
    ]


def test_chart_is_svg(client, bank):
    org_id, _ = import_example(client, bank)
    with client.application.app_context():
        aid = answer_store.list_assessments(get_db(), org_id)[0].id
    response = client.get(f"/orgs/{org_id}/assessments/{aid}/chart.svg")
    assert response.content_type.startswith("image/svg+xml")
    assert response.get_data(as_text=True).lstrip().startswith(("<?xml", "<svg"))


def test_overview_shows_assessments_side_by_side(client, bank):
    org_id, org = import_example(client, bank)
    page = soup(client.get(f"/orgs/{org_id}"))
    rows = page.select("#assessments tbody tr")
    assert [r.td.contents[0].strip() for r in rows] == ["ISO 10001:2018", "ISO 10002:2018", "ISO 10003:2018"]


def test_overview_counts_gaps_as_the_report_does_and_gives_each_documents_readiness(client, app, bank):
    """A don't know is to find out, never a gap: the overview's figures match the results and the report."""
    from assess.core.findings import real_gaps, to_find_out
    from assess.core.scoring import score_assessment
    from assess.core.shared import with_shared_answers

    org_id, org = import_example(client, bank)
    page = soup(client.get(f"/orgs/{org_id}"))
    for assessment in with_shared_answers(bank, org).assessments:
        questionnaire = bank.questionnaire(assessment.questionnaire)
        result = score_assessment(questionnaire, assessment.values, assessment.target)
        card = page.select_one(f"#standard-{questionnaire.id}")
        open_questions = to_find_out(questionnaire, assessment.values, result)
        assert any(o.value == "unknown" for o in open_questions)  # the example has don't knows to leave out
        assert card.select_one('[data-field="gaps"]').text == str(len(real_gaps(result)))
        assert card.select_one('[data-field="to-find-out"]').text == str(len(open_questions))
        readiness = " ".join(card.select_one('[data-field="document"]').text.split())
        assert readiness.startswith("Its document, the ")
        assert readiness.endswith(("ready to download.", "missing from the profile.", "to settle."))


def test_duplicate_copies_every_answer(client, app, bank):
    org_id, _ = import_example(client, bank)
    with app.app_context():
        source = answer_store.list_assessments(get_db(), org_id)[1]
    response = client.post(f"/orgs/{org_id}/assessments/{source.id}/duplicate", data={"title": "Follow-up 2027"})
    assert response.status_code == 302
    new_id = int(response.headers["Location"].split("/")[-1])
    with app.app_context():
        old = answer_store.get_answers(get_db(), source.id)
        new = answer_store.get_answers(get_db(), new_id)
        assert answer_store.get_assessment(get_db(), org_id, new_id).title == "Follow-up 2027"
    assert {k: (v.value, v.note, v.evidence, v.reason) for k, v in new.items()} == {
        k: (v.value, v.note, v.evidence, v.reason) for k, v in old.items()
    }
    assert client.post(f"/orgs/{org_id}/assessments/{source.id}/duplicate", data={"title": ""}).status_code == 400


def test_edit_and_delete_assessment(client, app, site):
    org_id = site.org()
    aid = site.assessment(org_id)
    assert (
        client.post(f"/orgs/{org_id}/assessments/{aid}/edit", data={"title": "Renamed", "target": "4"}).status_code
        == 302
    )
    with app.app_context():
        row = answer_store.get_assessment(get_db(), org_id, aid)
    assert (row.title, row.target) == ("Renamed", 4)
    assert client.post(f"/orgs/{org_id}/assessments/{aid}/edit", data={"title": "x", "target": "0"}).status_code == 400
    assert client.post(f"/orgs/{org_id}/assessments/{aid}/delete").status_code == 302
    assert client.get(f"/orgs/{org_id}/assessments/{aid}").status_code == 404


# --- export and import ---


def test_export_import_round_trip(client, app, bank):
    org_id, org = import_example(client, bank)
    response = client.get(f"/orgs/{org_id}/export.json")
    assert response.content_type == "application/json"
    assert 'filename="assess_northwind-water_' in response.headers["Content-Disposition"]
    assert json.loads(response.get_data()) == json.loads(dump_exchange(org))


def test_import_with_problems_is_refused_whole_with_paths(client, app):
    data = {
        "format": "assess/1",
        "organization": {"name": "Half"},
        "assessments": [{"questionnaire": "iso10002-2018", "title": "t", "answers": {"10002-4.2-a": {"value": 9}}}],
    }
    response = client.post(
        "/orgs/import",
        data={"file": (io.BytesIO(json.dumps(data).encode()), "bad.json")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    problems = [li.text for li in soup(response).select(".error-summary li")]
    assert problems == ['assessments[0].answers["10002-4.2-a"].value: must be 0..4, "na" or "unknown", got 9']
    with app.app_context():
        assert org_store.list_organizations(get_db()) == []


@pytest.mark.parametrize("content", [b"\xff\xfe\x00garbage", b"[]", b'{"format": 1}', b""])
def test_import_of_garbage_is_400(client, content):
    response = client.post(
        "/orgs/import", data={"file": (io.BytesIO(content), "x.json")}, content_type="multipart/form-data"
    )
    assert response.status_code == 400


def test_import_without_file_is_400(client):
    response = client.post("/orgs/import", data={}, content_type="multipart/form-data")
    assert response.status_code == 400
    assert "Choose an exchange file" in soup(response).select_one(".error").text


def test_oversized_upload_is_413(client):
    body = b'--x\r\nContent-Disposition: form-data; name="file"; filename="big.json"\r\n\r\n'
    body += b" " * (3 * 1024 * 1024) + b"\r\n--x--\r\n"
    response = client.post("/orgs/import", data=body, content_type="multipart/form-data; boundary=x")
    assert response.status_code == 413
    assert soup(response).h1.text == "File too large"


# --- CSRF ---


def test_post_without_csrf_token_is_rejected_and_the_input_kept(csrf_client, csrf_app):
    response = csrf_client.post("/orgs/new", data={"name": "Sneaky"})
    assert response.status_code == 400
    page = soup(response)
    assert "nothing was saved" in page.select_one(".error-summary").text
    assert page.select_one("#name")["value"] == "Sneaky"  # what was typed is still there
    fresh = page.select_one("input[name=csrf_token]")["value"]
    with csrf_app.app_context():
        assert org_store.list_organizations(get_db()) == []
    assert csrf_client.post("/orgs/new", data={"name": "Sneaky", "csrf_token": fresh}).status_code == 302


def test_answer_page_with_expired_token_keeps_answers(csrf_client, csrf_app, bank):
    org_id = Site(csrf_client).org_csrf()
    aid = Site(csrf_client).assessment_csrf(org_id)
    page = answer_pages(bank.questionnaire("iso10002-2018"))[0]
    q = page.questions[0]
    response = csrf_client.post(
        f"/orgs/{org_id}/assessments/{aid}/pages/{page.key}",
        data={f"value:{q.id}": "3", f"note:{q.id}": "typed an hour ago", "csrf_token": "expired"},
    )
    assert response.status_code == 400
    html = soup(response)
    assert html.select_one(f"input[name='value:{q.id}'][checked]")["value"] == "3"
    assert html.find(id=f"note:{q.id}").text.lstrip("\r\n") == "typed an hour ago"
    with csrf_app.app_context():
        assert answer_store.get_answers(get_db(), aid) == {}


def test_autosave_with_expired_token_answers_json_for_a_retry(csrf_client):
    org_id = Site(csrf_client).org_csrf()
    aid = Site(csrf_client).assessment_csrf(org_id)
    response = csrf_client.post(
        f"/orgs/{org_id}/assessments/{aid}/answers/10002-4.2-a",
        data={"value:10002-4.2-a": "3"},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 400
    assert response.get_json()["csrf"] is True
    token = csrf_client.get("/csrf-token").get_json()["csrf_token"]
    retry = csrf_client.post(
        f"/orgs/{org_id}/assessments/{aid}/answers/10002-4.2-a",
        data={"value:10002-4.2-a": "3", "csrf_token": token},
        headers={"Accept": "application/json"},
    )
    assert retry.status_code == 200


def test_a_form_field_without_a_usable_name_is_refused_with_400(client, site):
    org_id = site.org()
    body = (
        b'--b\r\nContent-Disposition: form-data; name="org__legal_name"\r\n\r\nNameless Ltd\r\n'
        b'--b\r\nContent-Disposition: form-data; name="\n"\r\n\r\n\r\n--b--\r\n'
    )
    response = client.post(f"/orgs/{org_id}/profile", data=body, content_type="multipart/form-data; boundary=b")
    assert response.status_code == 400
    assert "without a name" in soup(response).text
    assert "Nameless Ltd" not in soup(client.get(f"/orgs/{org_id}/profile")).text

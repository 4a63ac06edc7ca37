"""Workshop mode through the web app: join, rate, aggregate, consensus, close, isolation, exchange."""

import json

import pytest

from assess.formats.exchange import dump_exchange, parse_exchange
from assess.services import organizations as org_service
from assess.store import answers as answer_store
from assess.store import people
from assess.store import workshops as workshop_store
from assess.web.database import get_db
from tests.conftest import Site, add_user, log_in, soup


@pytest.fixture
def workshop(app, client):
    site = Site(client)
    org_id = site.org("Workshop Org")
    aid = site.assessment(org_id)
    response = client.post(f"/orgs/{org_id}/assessments/{aid}/workshops/new", data={"clauses": ["4.2", "4.3"]})
    assert response.status_code == 302
    wid = int(response.headers["Location"].split("/")[-1])
    with app.app_context():
        code = workshop_store.get_workshop(get_db(), org_id, wid).code
    return {"org": org_id, "assessment": aid, "id": wid, "code": code}


def join(app, code, name):
    participant = app.test_client()
    response = participant.post(f"/w/{code}", data={"name": name})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/w/{code}/rate")
    return participant


def rate(participant, code, qid, value, comment=""):
    response = participant.post(f"/w/{code}/rate/{qid}", data={f"value:{qid}": str(value), f"note:{qid}": comment})
    assert response.status_code == 200, response.get_data(as_text=True)


def test_join_by_code_page_and_rating_page_show_only_chosen_clauses(app, workshop, bank):
    anonymous = app.test_client()
    found = anonymous.post("/join", data={"code": workshop["code"].lower()})
    assert found.headers["Location"].endswith(f"/w/{workshop['code']}")
    participant = join(app, workshop["code"], "Ann")
    page = soup(participant.get(f"/w/{workshop['code']}/rate"))
    rated = [f["data-question"] for f in page.select("fieldset.question")]
    expected = [q.id for q in bank.questionnaire("iso10002-2018").questions if q.clause_ref in ("4.2", "4.3")]
    assert rated == expected


def test_ratings_never_touch_the_assessment_and_aggregate_for_the_facilitator(app, client, workshop):
    code = workshop["code"]
    for name, value in (("Ann", 1), ("Bob", 3), ("Cy", 4)):
        rate(join(app, code, name), code, "10002-4.2-a", value, comment=f"{name} says so")
    with app.app_context():
        assert answer_store.get_answers(get_db(), workshop["assessment"]) == {}
    state = client.get(f"/orgs/{workshop['org']}/workshops/{workshop['id']}/state.json").get_json()
    room = next(q for q in state["questions"] if q["id"] == "10002-4.2-a")
    assert (room["count"], room["median"], room["spread"], room["disagreement"]) == (3, 3, 3, True)
    assert room["distribution"]["1"] == 1 and room["distribution"]["4"] == 1
    assert state["participants"] == 3
    assert [c["name"] for c in room["comments"]] == ["", "", ""]  # names hidden by default
    page = soup(client.get(f"/orgs/{workshop['org']}/workshops/{workshop['id']}"))
    assert page.select("section.room")[0]["id"] == "room-10002-4.2-a"  # disagreement first
    assert page.select_one("#room-10002-4\\.2-a select option[selected]")["value"] == "3"  # pre-filled median


def test_consensus_writes_exactly_the_chosen_answer_with_attributed_comments(app, client, workshop):
    code = workshop["code"]
    rate(join(app, code, "Ann"), code, "10002-4.2-a", 1, "only by email")
    rate(join(app, code, "Bob"), code, "10002-4.2-a", 3)
    client.post(f"/orgs/{workshop['org']}/workshops/{workshop['id']}/show-names")
    response = client.post(
        f"/orgs/{workshop['org']}/workshops/{workshop['id']}/consensus/10002-4.2-a",
        data={"10002-4.2-a-value": "2", "10002-4.2-a-note": "Agreed after discussion"},
    )
    assert response.status_code == 302
    with app.app_context():
        answers = answer_store.get_answers(get_db(), workshop["assessment"])
    assert list(answers) == ["10002-4.2-a"]
    assert answers["10002-4.2-a"].value == 2
    assert answers["10002-4.2-a"].note == "Agreed after discussion\n\nWorkshop comments:\n- Ann: only by email"


def test_consensus_not_applicable_needs_a_reason(client, workshop):
    response = client.post(
        f"/orgs/{workshop['org']}/workshops/{workshop['id']}/consensus/10002-4.3-a",
        data={"10002-4.3-a-value": "na", "10002-4.3-a-note": ""},
    )
    assert response.status_code == 400


def test_consensus_for_a_question_outside_the_workshop_is_404(client, workshop):
    response = client.post(
        f"/orgs/{workshop['org']}/workshops/{workshop['id']}/consensus/10002-7.4-a",
        data={"10002-7.4-a-value": "2"},
    )
    assert response.status_code == 404


def test_participant_token_reaches_nothing_outside_its_workshop(app, client, workshop):
    participant = join(app, workshop["code"], "Ann")
    org, aid, wid = workshop["org"], workshop["assessment"], workshop["id"]
    for path in (
        "/orgs",
        f"/orgs/{org}",
        f"/orgs/{org}/assessments/{aid}",
        f"/orgs/{org}/workshops/{wid}",
        f"/orgs/{org}/workshops/{wid}/state.json",
        f"/orgs/{org}/documents",
        f"/orgs/{org}/export.json",
    ):
        response = participant.get(path)
        assert response.status_code in (302, 401, 404), path
        assert "Workshop Org" not in response.get_data(as_text=True)
    other = Site(client).assessment(org, "iso10001-2018")
    second = client.post(f"/orgs/{org}/assessments/{other}/workshops/new", data={})
    with app.app_context():
        other_code = workshop_store.get_workshop(get_db(), org, int(second.headers["Location"].split("/")[-1])).code
    assert participant.get(f"/w/{other_code}/rate").status_code == 404
    assert participant.post(f"/w/{other_code}/rate/10001-4.2-a", data={"value:10001-4.2-a": "3"}).status_code == 404


def test_closing_ends_participant_sessions_and_keeps_the_record(app, client, workshop):
    code = workshop["code"]
    participant = join(app, code, "Ann")
    rate(participant, code, "10002-4.2-a", 2)
    assert client.post(f"/orgs/{workshop['org']}/workshops/{workshop['id']}/close").status_code == 302
    assert participant.get(f"/w/{code}/rate").status_code == 404
    assert participant.post(f"/w/{code}/rate/10002-4.2-a", data={"value:10002-4.2-a": "4"}).status_code == 404
    assert app.test_client().post(f"/w/{code}", data={"name": "Late"}).status_code == 404
    record = soup(client.get(f"/orgs/{workshop['org']}/workshops/{workshop['id']}"))
    assert "closed" in record.select_one(".warning").text


def test_member_joins_as_themselves(app, client, workshop):
    add_user(app, "member@example.com")
    with app.app_context():
        user = people.get_user_by_email(get_db(), "member@example.com")
        people.set_membership(get_db(), user.id, workshop["org"], "member")
    member = log_in(app.test_client(), "member@example.com")
    response = member.post(f"/w/{workshop['code']}", data={"as_self": "1"})
    assert response.status_code == 302
    with app.app_context():
        joined = workshop_store.participants_of(get_db(), workshop["id"])
    assert [(p.display_name, p.user_id) for p in joined] == [("member@example.com", user.id)]


def test_members_cannot_facilitate(app, workshop):
    add_user(app, "member@example.com")
    with app.app_context():
        user = people.get_user_by_email(get_db(), "member@example.com")
        people.set_membership(get_db(), user.id, workshop["org"], "member")
    member = log_in(app.test_client(), "member@example.com")
    assert member.get(f"/orgs/{workshop['org']}/workshops/{workshop['id']}").status_code == 404


def test_join_without_name_is_refused(app, workshop):
    response = app.test_client().post(f"/w/{workshop['code']}", data={"name": "  "})
    assert response.status_code == 400
    assert "Type the name" in soup(response).select_one(".error").text


def test_qr_code_is_an_svg_of_the_join_link(client, workshop):
    response = client.get(f"/orgs/{workshop['org']}/workshops/{workshop['id']}/qr.svg")
    assert response.content_type == "image/svg+xml"
    assert "<svg" in response.get_data(as_text=True)


def test_workshop_record_round_trips_through_the_exchange_format(app, client, workshop, bank):
    code = workshop["code"]
    rate(join(app, code, "Ann"), code, "10002-4.2-a", 1, "hmm")
    rate(join(app, code, "Bob"), code, "10002-4.2-a", "unknown")
    client.post(
        f"/orgs/{workshop['org']}/workshops/{workshop['id']}/consensus/10002-4.2-a",
        data={"10002-4.2-a-value": "1", "10002-4.2-a-note": "ok"},
    )
    client.post(f"/orgs/{workshop['org']}/workshops/{workshop['id']}/close")
    exported = client.get(f"/orgs/{workshop['org']}/export.json").get_data(as_text=True)
    record = json.loads(exported)["assessments"][0]["workshops"][0]
    assert record["participants"] == ["Ann", "Bob"]
    assert record["ratings"] == [
        {"participant": 0, "question": "10002-4.2-a", "value": 1, "comment": "hmm"},
        {"participant": 1, "question": "10002-4.2-a", "value": "unknown", "comment": ""},
    ]
    assert record["consensus"] == [{"question": "10002-4.2-a", "value": 1, "note": "ok"}]
    org = parse_exchange(exported, bank)
    with app.app_context():
        new_id = org_service.import_organization(get_db(), org)
        again = org_service.load_organization(get_db(), new_id)
    assert dump_exchange(again) == dump_exchange(org)


def test_older_files_without_workshops_still_import(bank):
    data = {
        "format": "assess/1",
        "organization": {"name": "x"},
        "assessments": [{"questionnaire": "iso10002-2018", "title": "t", "answers": {}}],
    }
    assert parse_exchange(json.dumps(data), bank).assessments[0].workshops == ()


@pytest.mark.parametrize(
    "change,path",
    [
        (lambda w: w["ratings"][0].update(participant=5), "assessments[0].workshops[0].ratings[0].participant"),
        (lambda w: w["ratings"][0].update(value=9), "assessments[0].workshops[0].ratings[0].value"),
        (lambda w: w["ratings"][0].update(question="nope"), "assessments[0].workshops[0].ratings[0].question"),
        (lambda w: w["consensus"].append(dict(w["consensus"][0])), "assessments[0].workshops[0].consensus[1]"),
        (lambda w: w.update(participants="Ann"), "assessments[0].workshops[0].participants"),
        (lambda w: w.pop("opened_at"), "assessments[0].workshops[0].opened_at"),
    ],
)
def test_bad_workshop_records_are_rejected_with_their_path(bank, change, path):
    from assess.formats.exchange import ExchangeError

    record = {
        "opened_at": "2026-11-26T10:00:00+00:00",
        "participants": ["Ann"],
        "ratings": [{"participant": 0, "question": "10002-4.2-a", "value": 2}],
        "consensus": [{"question": "10002-4.2-a", "value": 2}],
    }
    change(record)
    data = {
        "format": "assess/1",
        "organization": {"name": "x"},
        "assessments": [{"questionnaire": "iso10002-2018", "title": "t", "workshops": [record]}],
    }
    with pytest.raises(ExchangeError) as info:
        parse_exchange(json.dumps(data), bank)
    assert any(p.startswith(path) for p in info.value.problems), info.value.problems


def test_admin_sees_workshop_link_on_hub(client, workshop):
    page = soup(client.get(f"/orgs/{workshop['org']}/assessments/{workshop['assessment']}"))
    assert page.find("a", string="Run a workshop")

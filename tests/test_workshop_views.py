"""Workshop mode through the web app: join, rate, aggregate, consensus, close, isolation, exchange."""

import json

import pytest

from assess.core.answers import Answer
from assess.formats.exchange import dump_exchange, parse_exchange
from assess.services import organizations as org_service
from assess.store import answers as answer_store
from assess.store import people
from assess.store import workshops as workshop_store
from assess.web.database import get_db
from tests.conftest import ADMIN, Site, add_user, log_in, soup


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


def test_join_by_code_page_and_rating_pages_show_only_chosen_clauses_one_at_a_time(app, workshop, bank):
    anonymous = app.test_client()
    found = anonymous.post("/join", data={"code": workshop["code"].lower()})
    assert found.headers["Location"].endswith(f"/w/{workshop['code']}")
    participant = join(app, workshop["code"], "Ann")
    expected = [q.id for q in bank.questionnaire("iso10002-2018").questions if q.clause_ref in ("4.2", "4.3")]
    code = workshop["code"]
    start = participant.get(f"/w/{code}/rate")
    assert start.headers["Location"].endswith(f"/w/{code}/q/{expected[0]}")
    seen = []
    path = start.headers["Location"]
    for number, qid in enumerate(expected, start=1):
        page = soup(participant.get(path))
        assert [f["data-question"] for f in page.select("fieldset.question")] == [qid]
        assert page.select_one("#rate-position").text == f"Question {number} of {len(expected)}"
        seen.append(qid)
        response = participant.post(path, data={"value": "3", "comment": "", "go": "next"})
        assert response.status_code == 302
        path = response.headers["Location"]
    assert seen == expected
    assert path.endswith(f"/w/{code}/done")
    done = soup(participant.get(path))
    assert "you have rated every question" in done.select_one("h1").text
    assert participant.get(f"/w/{code}/rate").headers["Location"].endswith("/done")
    with app.app_context():
        ratings = workshop_store.ratings_of(get_db(), workshop["id"])
    assert [(r.question_id, r.value) for r in ratings] == sorted((qid, 3) for qid in expected)


def test_rating_page_shows_the_anchored_levels_of_a_key_question(app, client, workshop, bank):
    key = next(q for q in bank.questionnaire("iso10002-2018").questions if q.levels)
    clause = ".".join(key.clause_ref.split(".")[:2])
    response = client.post(
        f"/orgs/{workshop['org']}/assessments/{workshop['assessment']}/workshops/new", data={"clauses": [clause]}
    )
    with app.app_context():
        code = workshop_store.get_workshop(
            get_db(), workshop["org"], int(response.headers["Location"].split("/")[-1])
        ).code
    participant = join(app, code, "Ann")
    page = soup(participant.get(f"/w/{code}/q/{key.id}"))
    texts = [t.text for t in page.select(".rate-option .level-text")]
    assert texts == list(key.levels)
    presented = soup(client.get(response.headers["Location"] + f"/present/{key.id}"))
    assert [t.text for t in presented.select(".present-levels .level-text")] == list(key.levels)


def test_back_keeps_the_rating_and_a_comment_alone_never_erases_it(app, workshop):
    code = workshop["code"]
    participant = join(app, code, "Ann")
    participant.post(f"/w/{code}/q/10002-4.2-a", data={"value": "2", "go": "next"})
    back = participant.post(f"/w/{code}/q/10002-4.2-b", data={"value": "", "comment": "", "go": "back"})
    assert back.headers["Location"].endswith("/q/10002-4.2-a")
    participant.post(f"/w/{code}/q/10002-4.2-a", data={"comment": "web form only", "go": "next"})
    with app.app_context():
        mine = {r.question_id: (r.value, r.comment) for r in workshop_store.ratings_of(get_db(), workshop["id"])}
    assert mine == {"10002-4.2-a": (2, "web form only")}


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


def test_a_split_room_shows_both_middle_values_and_suggests_no_level(app, client, workshop):
    code = workshop["code"]
    rate(join(app, code, "Ann"), code, "10002-4.2-a", 1)
    rate(join(app, code, "Bob"), code, "10002-4.2-a", 3)
    state = client.get(f"/orgs/{workshop['org']}/workshops/{workshop['id']}/state.json").get_json()
    room = next(q for q in state["questions"] if q["id"] == "10002-4.2-a")
    assert (room["median"], room["middle"], room["split"], room["median_label"]) == (
        None,
        [1, 3],
        True,
        "1 or 3 (split)",
    )
    page = soup(client.get(f"/orgs/{workshop['org']}/workshops/{workshop['id']}"))
    section = page.select_one("#room-10002-4\\.2-a")
    assert section.select_one('[data-field="median"]').text == "1 or 3 (split)"
    assert section.select_one('[data-field="split"]').get("hidden") is None
    assert section.select_one("select option[selected]")["value"] == ""  # nothing chosen for the facilitator


def test_before_any_rating_nothing_is_suggested_and_recording_needs_a_choice(app, client, workshop):
    page = soup(client.get(f"/orgs/{workshop['org']}/workshops/{workshop['id']}"))
    assert page.select_one("#room-10002-4\\.2-a select option[selected]")["value"] == ""
    response = client.post(
        f"/orgs/{workshop['org']}/workshops/{workshop['id']}/consensus/10002-4.2-a",
        data={"10002-4.2-a-value": "", "10002-4.2-a-note": ""},
    )
    assert response.status_code == 400
    assert "Choose the agreed level." in soup(response).select_one("#room-10002-4\\.2-a .error").text
    with app.app_context():
        assert answer_store.get_answers(get_db(), workshop["assessment"]) == {}


def test_consensus_keeps_note_and_evidence_and_adds_a_dated_attributed_block(app, client, workshop):
    code = workshop["code"]
    with app.app_context():
        answer_store.save_answers(
            get_db(), workshop["assessment"], {"10002-4.2-a": Answer(1, "Typed at the desk", "Board minutes")}, "x"
        )
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
    answer = answers["10002-4.2-a"]
    assert (answer.value, answer.evidence, answer.reason) == (2, "Board minutes", "")
    day = answer.updated_at[:10]
    assert answer.note == (
        f"Typed at the desk\n\nWorkshop of {day}, agreed answer recorded by {ADMIN[0]}.\n"
        "Facilitator's note: Agreed after discussion\nComments from the room:\n- Ann: only by email"
    )


def test_hidden_names_record_comments_anonymously(app, client, workshop):
    code = workshop["code"]
    rate(join(app, code, "Ann"), code, "10002-4.2-a", 4, "fully reviewed each year")
    client.post(
        f"/orgs/{workshop['org']}/workshops/{workshop['id']}/consensus/10002-4.2-a", data={"10002-4.2-a-value": "4"}
    )
    with app.app_context():
        note = answer_store.get_answers(get_db(), workshop["assessment"])["10002-4.2-a"].note
    assert "Ann" not in note and "- a participant: fully reviewed each year" in note


def test_consensus_not_applicable_needs_the_facilitators_reason_shown_next_to_the_question(app, client, workshop):
    code = workshop["code"]
    rate(join(app, code, "Ann"), code, "10002-4.3-a", "na", "we never do that")
    url = f"/orgs/{workshop['org']}/workshops/{workshop['id']}/consensus/10002-4.3-a"
    response = client.post(url, data={"10002-4.3-a-value": "na", "10002-4.3-a-note": "", "10002-4.3-a-reason": ""})
    assert response.status_code == 400
    page = soup(response)
    assert page.select_one("h1").text.startswith("Workshop")  # the facilitator's view, not a bare error page
    error = page.select_one("#room-10002-4\\.3-a .error")
    assert "Say why this does not apply" in error.text
    assert page.select_one(".error-summary a")["href"] == "#10002-4.3-a-reason"
    assert page.select_one("#room-10002-4\\.3-a select option[selected]")["value"] == "na"  # what was chosen stays
    response = client.post(url, data={"10002-4.3-a-value": "na", "10002-4.3-a-reason": "No branches to visit"})
    assert response.status_code == 302
    with app.app_context():
        answer = answer_store.get_answers(get_db(), workshop["assessment"])["10002-4.3-a"]
    assert (answer.value, answer.reason) == ("na", "No branches to visit")
    assert "we never do that" in answer.note and "we never do that" not in answer.reason


def test_removed_participants_stop_counting_and_their_phone_is_told(app, client, workshop):
    code = workshop["code"]
    ann, bob = join(app, code, "Ann"), join(app, code, "Bob")
    rate(ann, code, "10002-4.2-a", 4)
    rate(bob, code, "10002-4.2-a", 0)
    with app.app_context():
        bob_id = next(p.id for p in workshop_store.participants_of(get_db(), workshop["id"]) if p.display_name == "Bob")
    base = f"/orgs/{workshop['org']}/workshops/{workshop['id']}"
    state = client.get(f"{base}/state.json").get_json()
    assert [p["rated"] for p in state["progress"]] == [1, 1]
    assert client.post(f"{base}/participants/{bob_id}/remove").status_code == 302
    state = client.get(f"{base}/state.json").get_json()
    room = next(q for q in state["questions"] if q["id"] == "10002-4.2-a")
    assert (state["participants"], room["count"], room["median"]) == (1, 1, 4)
    gone = bob.get(f"/w/{code}/q/10002-4.2-b")
    assert gone.status_code == 410
    assert "no longer in this workshop" in soup(gone).select_one("h1").text
    assert bob.post(f"/w/{code}/rate/10002-4.2-a", data={"value:10002-4.2-a": "0"}).status_code == 410
    assert client.post(f"{base}/participants/{bob_id}/remove").status_code == 404


def test_facilitator_sees_how_far_each_participant_has_got(app, client, workshop):
    code = workshop["code"]
    ann = join(app, code, "Ann")
    join(app, code, "Bob")
    rate(ann, code, "10002-4.2-a", 2)
    rate(ann, code, "10002-4.2-b", 3)
    client.post(f"/orgs/{workshop['org']}/workshops/{workshop['id']}/show-names")
    page = soup(client.get(f"/orgs/{workshop['org']}/workshops/{workshop['id']}"))
    rows = {
        li.select_one(".name").text: li.select_one('[data-field="rated"]').text
        for li in page.select("#participants li")
    }
    assert rows == {"Ann": "2", "Bob": "0"}


def test_presentation_mode_steps_through_the_questions(app, client, workshop, bank):
    expected = [q.id for q in bank.questionnaire("iso10002-2018").questions if q.clause_ref in ("4.2", "4.3")]
    base = f"/orgs/{workshop['org']}/workshops/{workshop['id']}"
    facilitator = soup(client.get(base))
    path = facilitator.select_one("#present-link")["href"]
    seen = []
    while path:
        page = soup(client.get(path))
        seen.append(page.select_one("section.room")["data-question"])
        assert f"question {len(seen)} of {len(expected)}" in page.select_one(".eyebrow").text
        following = page.select_one("a[rel=next]")
        path = following["href"] if following else None
    assert seen == expected
    assert client.get(f"{base}/present/10002-7.4-a").status_code == 404


def test_join_links_use_the_public_url_and_a_loopback_link_warns(tmp_path):
    from tests.conftest import make_app

    for public, warned in (("", True), ("http://192.168.1.20:5000/", False)):
        app = make_app(tmp_path / str(warned), PUBLIC_URL=public)
        add_user(app, *ADMIN, admin=True)
        client = log_in(app.test_client(), *ADMIN)
        site = Site(client)
        org = site.org()
        aid = site.assessment(org)
        location = client.post(f"/orgs/{org}/assessments/{aid}/workshops/new", data={}).headers["Location"]
        page = soup(client.get(location))
        join_url = page.select_one(".join-url strong").text
        assert (page.select_one("#loopback-warning") is not None) == warned
        if public:
            assert join_url.startswith("http://192.168.1.20:5000/w/")
        else:
            assert join_url.startswith("http://localhost/w/")


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
    ended = participant.get(f"/w/{code}/rate")
    assert ended.status_code == 410
    assert soup(ended).select_one("h1").text == "The workshop has ended"
    assert "Your 1 rating is with the facilitator" in soup(ended).select_one(".lead").text
    assert soup(ended).find("a", string="Join another workshop")
    assert participant.post(f"/w/{code}/rate/10002-4.2-a", data={"value:10002-4.2-a": "4"}).status_code == 410
    assert app.test_client().get(f"/w/{code}/rate").status_code == 404  # a browser that never joined learns nothing
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


def test_a_rating_outside_the_scale_is_refused_in_our_words_and_nothing_is_saved(app, workshop):
    code = workshop["code"]
    participant = join(app, code, "Ann")
    response = participant.post(f"/w/{code}/q/10002-4.2-a", data={"value": "7", "go": "next"})
    assert response.status_code == 400
    assert soup(response).select_one(".error-summary a").text == "Choose one of the ratings shown."
    with app.app_context():
        assert workshop_store.ratings_of(get_db(), workshop["id"]) == []


def test_a_consensus_over_a_level_changed_since_the_page_loaded_is_refused_next_to_the_question(app, client, workshop):
    url = f"/orgs/{workshop['org']}/workshops/{workshop['id']}/consensus/10002-4.2-a"
    page = soup(client.get(f"/orgs/{workshop['org']}/workshops/{workshop['id']}"))
    shown = page.find("input", attrs={"name": "10002-4.2-a-revision"})["value"]
    assert shown == "0"
    with app.app_context():  # a colleague answers at the desk while the room discusses
        answer_store.save_answers(get_db(), workshop["assessment"], {"10002-4.2-a": Answer(1, "desk")}, "colleague")
    refused = client.post(url, data={"10002-4.2-a-value": "3", "10002-4.2-a-revision": shown})
    assert refused.status_code == 409
    error = soup(refused).select_one("#room-10002-4\\.2-a .error").text
    assert "colleague changed this answer to 1 Initial (ad hoc)" in error and "nothing was recorded" in error
    with app.app_context():
        assert answer_store.get_answers(get_db(), workshop["assessment"])["10002-4.2-a"].value == 1
    again = soup(refused).find("input", attrs={"name": "10002-4.2-a-revision"})["value"]
    assert client.post(url, data={"10002-4.2-a-value": "3", "10002-4.2-a-revision": again}).status_code == 302
    with app.app_context():
        answer = answer_store.get_answers(get_db(), workshop["assessment"])["10002-4.2-a"]
    assert (answer.value, answer.note) == (3, "desk")  # the note typed at the desk is kept


def test_a_note_typed_meanwhile_is_kept_when_the_consensus_is_recorded(app, client, workshop):
    url = f"/orgs/{workshop['org']}/workshops/{workshop['id']}/consensus/10002-4.2-a"
    with app.app_context():
        answer_store.save_answers(get_db(), workshop["assessment"], {"10002-4.2-a": Answer(2)}, "x")
        answer_store.save_answers(get_db(), workshop["assessment"], {"10002-4.2-a": Answer(2, "typed meanwhile")}, "y")
    assert client.post(url, data={"10002-4.2-a-value": "3", "10002-4.2-a-revision": "1"}).status_code == 302
    with app.app_context():
        answer = answer_store.get_answers(get_db(), workshop["assessment"])["10002-4.2-a"]
    assert (answer.value, answer.note) == (3, "typed meanwhile")


def test_a_consensus_with_an_absurd_revision_is_no_server_error(app, client, workshop):
    """A posted revision that no page ever drew (20 digits, a superscript digit) counts as none."""
    url = f"/orgs/{workshop['org']}/workshops/{workshop['id']}/consensus/10002-4.2-a"
    for shown in ("9" * 20, "\u00b2"):
        response = client.post(url, data={"10002-4.2-a-value": "3", "10002-4.2-a-revision": shown})
        assert response.status_code in (302, 409), (shown, response.status_code)

"""Workshops cannot be flooded: a participant cap, new participants limited per workshop and per
network address, and join codes that match nothing limited per address."""

from assess.core import accounts
from assess.core.workshop import JOINS_PER_ADDRESS, JOINS_PER_WORKSHOP, WRONG_CODES_PER_ADDRESS
from assess.store import workshops as workshop_store
from assess.web.database import get_db
from tests.conftest import Site, soup


def open_workshop(app, client, **form):
    site = Site(client)
    org_id = site.org("Workshop Org")
    aid = site.assessment(org_id)
    response = client.post(f"/orgs/{org_id}/assessments/{aid}/workshops/new", data={"clauses": ["4.2"], **form})
    assert response.status_code == 302, response.get_data(as_text=True)
    wid = int(response.headers["Location"].split("/")[-1])
    with app.app_context():
        return workshop_store.get_workshop(get_db(), org_id, wid)


def join(app, code, name, address="10.1.1.1"):
    return app.test_client().post(f"/w/{code}", data={"name": name}, environ_base={"REMOTE_ADDR": address})


def participants(app, workshop):
    with app.app_context():
        return workshop_store.count_participants(get_db(), workshop.id)


def test_the_default_cap_is_200_and_a_full_workshop_refuses_clearly(app, client):
    assert open_workshop(app, client).max_participants == 200
    workshop = open_workshop(app, client, max_participants="3")
    assert workshop.max_participants == 3
    for i in range(3):
        assert join(app, workshop.code, f"P{i}", f"10.0.0.{i}").status_code == 302
    full = join(app, workshop.code, "One too many", "10.0.0.9")
    assert full.status_code == 409
    assert "This workshop is full: it takes at most 3 participants. Ask the facilitator." in soup(full).text
    assert participants(app, workshop) == 3


def test_the_cap_is_checked_when_the_workshop_is_opened(app, client):
    site = Site(client)
    org_id = site.org()
    aid = site.assessment(org_id)
    for bad in ("0", "1001", "many"):
        response = client.post(f"/orgs/{org_id}/assessments/{aid}/workshops/new", data={"max_participants": bad})
        assert response.status_code == 400, bad
    with app.app_context():
        assert workshop_store.workshops_of(get_db(), aid) == []


def test_a_script_on_one_address_adds_no_more_than_the_limit(app, client, monkeypatch):
    """The issue's script added 150 fake participants in 2.3 s."""
    frozen = accounts.utcnow()  # the wait told is then exactly the whole window, however slow the run
    monkeypatch.setattr(accounts, "utcnow", lambda: frozen)
    workshop = open_workshop(app, client)
    statuses = [join(app, workshop.code, f"Fake {i}", "203.0.113.5").status_code for i in range(150)]
    assert statuses.count(302) == JOINS_PER_ADDRESS.limit
    refused = join(app, workshop.code, "Fake again", "203.0.113.5")
    assert refused.status_code == 429
    said = soup(refused).text
    assert "Many people joined this network in the last minutes: wait 10 minutes and try again." in said
    assert participants(app, workshop) == JOINS_PER_ADDRESS.limit
    assert join(app, workshop.code, "Real person", "198.51.100.20").status_code == 302


def test_a_workshop_takes_only_so_many_new_people_in_a_few_minutes_from_anywhere(app, client):
    workshop = open_workshop(app, client)
    for i in range(JOINS_PER_WORKSHOP.limit):
        assert join(app, workshop.code, f"P{i}", f"10.2.{i // 200}.{i % 200}").status_code == 302
    refused = join(app, workshop.code, "Late", "10.9.9.9")
    assert refused.status_code == 429
    assert "Many people joined this workshop in the last minutes" in soup(refused).text


def test_guessing_join_codes_is_slowed_down(app, client):
    workshop = open_workshop(app, client)
    guesser = app.test_client()
    address = {"REMOTE_ADDR": "203.0.113.77"}
    for i in range(WRONG_CODES_PER_ADDRESS.limit):
        wrong = f"WRONG{i:03d}"
        if i % 2:
            assert guesser.post("/join", data={"code": wrong}, environ_base=address).status_code == 400
        else:
            assert guesser.get(f"/w/{wrong}", environ_base=address).status_code == 404
    for attempt in (
        guesser.post("/join", data={"code": "ANYTHING"}, environ_base=address),
        guesser.get(f"/w/{workshop.code}", environ_base=address),  # even the right one, until the wait is over
    ):
        assert attempt.status_code == 429
        assert "Too many join codes that match no workshop were tried from this network" in soup(attempt).text
    other = app.test_client().post("/join", data={"code": workshop.code}, environ_base={"REMOTE_ADDR": "10.3.3.3"})
    assert other.status_code == 302


def test_right_codes_are_not_counted(app, client):
    workshop = open_workshop(app, client)
    room = {"REMOTE_ADDR": "10.4.4.4"}
    for _ in range(WRONG_CODES_PER_ADDRESS.limit + 5):
        assert app.test_client().post("/join", data={"code": workshop.code}, environ_base=room).status_code == 302

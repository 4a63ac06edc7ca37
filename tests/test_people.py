"""Adding people: everyone new gets an invitation they accept, the form never tells whether an email has
an account, and an organization keeps at least one consultant."""

from assess.store import people
from assess.web.database import get_db
from tests.conftest import PASSWORD, Site, add_user, log_in, soup


def invite(client, org_id, email, role="member"):
    return client.post(f"/orgs/{org_id}/people", data={"email": email, "role": role})


def page_text(response):
    page = soup(response)
    for code in page.select("code"):
        code.decompose()  # the link itself differs every time
    for item in page.select("#members, ul"):
        item.decompose()
    return " ".join(page.text.split())


def role_of(app, email, org_id):
    with app.app_context():
        user = people.get_user_by_email(get_db(), email)
        return None if user is None else people.role_in(get_db(), user.id, org_id)


def invitation_path(response):
    return soup(response).select_one("#invite code").text.split("localhost", 1)[1]


def test_the_form_answers_the_same_whether_or_not_the_email_has_an_account(app, client):
    org_id, other_org = Site(client).org("Acme"), Site(client).org("Acme")  # twins: each page starts alike
    add_user(app, "has-account@example.com")
    client.get("/orgs")  # shows (and so clears) the "created" messages
    known = invite(client, org_id, "has-account@example.com")
    unknown = invite(client, other_org, "no-account@example.com")
    assert known.status_code == unknown.status_code == 200
    assert page_text(known).replace("has-account", "X") == page_text(unknown).replace("no-account", "X")
    assert role_of(app, "has-account@example.com", org_id) is None  # not added without consent


def test_an_existing_account_joins_only_when_it_accepts(app, client):
    org_id = Site(client).org("Acme")
    add_user(app, "dana@example.com")
    path = invitation_path(invite(client, org_id, "Dana@Example.com", "viewer"))
    dana = log_in(app.test_client(), "dana@example.com")
    assert dana.get(f"/orgs/{org_id}").status_code == 404
    page = dana.get(path)
    assert "Accept and join Acme" in page.get_data(as_text=True)
    assert dana.post(path).headers["Location"].endswith(f"/orgs/{org_id}")
    assert role_of(app, "dana@example.com", org_id) == "viewer"
    assert dana.get(path).status_code == 404  # used up


def test_an_invitation_shows_how_to_accept_with_an_account_or_a_new_one(app, client):
    org_id = Site(client).org("Acme")
    path = invitation_path(invite(client, org_id, "sam@example.com"))
    anonymous = app.test_client().get(path)
    assert "Log in to accept the invitation" in soup(anonymous).text
    login_link = soup(anonymous).find("a", string="Log in to accept the invitation")["href"]
    add_user(app, "sam@example.com")
    sam = app.test_client()
    response = sam.post(login_link, data={"email": "sam@example.com", "password": PASSWORD})
    assert response.headers["Location"] == path  # back to the invitation after logging in
    assert sam.post(path).status_code == 302
    assert role_of(app, "sam@example.com", org_id) == "member"


def test_another_account_cannot_accept_it(app, client):
    org_id = Site(client).org("Acme")
    path = invitation_path(invite(client, org_id, "meant@example.com"))
    add_user(app, "other@example.com")
    other = log_in(app.test_client(), "other@example.com")
    assert "this invitation is for meant@example.com" in soup(other.get(path)).text
    other.post(path)
    assert role_of(app, "other@example.com", org_id) is None
    assert app.test_client().get(path).status_code == 200  # still there for its owner


def test_a_member_gets_a_new_role_at_once(app, client):
    org_id = Site(client).org("Acme")
    add_user(app, "m@example.com")
    with app.app_context():
        people.set_membership(get_db(), people.get_user_by_email(get_db(), "m@example.com").id, org_id, "member")
    assert invite(client, org_id, "m@example.com", "viewer").status_code == 302
    assert role_of(app, "m@example.com", org_id) == "viewer"


def test_the_last_consultant_cannot_demote_or_remove_themselves(app):
    add_user(app, "c@example.com", creator=True)
    consultant = log_in(app.test_client(), "c@example.com")
    org_id = Site(consultant).org("Acme")
    demote = invite(consultant, org_id, "c@example.com", "viewer")
    assert demote.status_code == 400
    assert "An organization keeps at least one consultant" in soup(demote).text
    assert role_of(app, "c@example.com", org_id) == "consultant"
    with app.app_context():
        me = people.get_user_by_email(get_db(), "c@example.com").id
    admin = log_in(app.test_client(), "admin@example.com", "correct horse battery staple")
    removed = admin.post(f"/orgs/{org_id}/people/{me}/remove")
    assert removed.status_code == 409
    assert role_of(app, "c@example.com", org_id) == "consultant"
    add_user(app, "c2@example.com")
    with app.app_context():
        people.set_membership(get_db(), people.get_user_by_email(get_db(), "c2@example.com").id, org_id, "consultant")
    assert invite(consultant, org_id, "c@example.com", "viewer").status_code == 302  # now someone else is one
    assert role_of(app, "c@example.com", org_id) == "viewer"

"""Two people on one profile: a page saves only what its sender changed; where both changed a fact,
nothing is written until the sender settles it (`services.organizations.save_profile_facts`)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from assess.core.revisions import CONFLICT, KEEP, WRITE, fact_merge, value_token
from assess.store import organizations as org_store
from assess.store import people
from assess.web.database import get_db
from tests.conftest import add_user, log_in, soup

COLLEAGUE = "colleague@example.com"


def browser_post(page):
    """Return what a browser would post from the page's main form, as a dict of lists."""
    form = page.select_one("main form[method=post]")
    data: dict[str, list[str]] = {}
    for element in form.select("input[name], textarea[name], select[name]"):
        name = element["name"]
        if element.name == "textarea":
            data.setdefault(name, []).append(element.text)
        elif element.name == "select":
            chosen = element.select_one("option[selected]")
            data.setdefault(name, []).append(chosen["value"] if chosen else "")
        elif element.get("type") in ("checkbox", "radio"):
            if element.has_attr("checked"):
                data.setdefault(name, []).append(element.get("value", "on"))
        elif element.get("type") not in ("submit", "button"):
            data.setdefault(name, []).append(element.get("value", ""))
    return data


def two_people(app, client, site):
    """Return an organization, its first profile section's address, and a colleague's browser."""
    org_id = site.org()
    user_id = add_user(app, COLLEAGUE)
    with app.app_context():
        people.set_membership(get_db(), user_id, org_id, "member")
    colleague = log_in(app.test_client(), COLLEAGUE)
    link = soup(client.get(f"/orgs/{org_id}/profile")).select_one("#profile-sections h2 a")["href"]
    return org_id, link, colleague


def profile(app, org_id):
    with app.app_context():
        return org_store.get_profile(get_db(), org_id)


def test_a_stale_page_keeps_what_a_colleague_saved_meanwhile(app, client, site):
    org_id, link, colleague = two_people(app, client, site)
    mine = browser_post(soup(client.get(link)))  # I open the page ...
    theirs = browser_post(soup(colleague.get(link)))
    theirs["org__legal_name"] = ["Acme Water Services Ltd"]
    assert colleague.post(link, data=theirs).status_code == 302  # ... a colleague saves the legal name
    mine["org__trading_name"] = ["Acme"]  # ... and I save the trading name from my older page
    assert client.post(link, data=mine).status_code == 302
    saved = profile(app, org_id)
    assert saved["org.legal_name"] == "Acme Water Services Ltd"  # not overwritten with my empty field
    assert saved["org.trading_name"] == "Acme"
    with app.app_context():
        changes = org_store.profile_changes(get_db(), org_id)
    assert changes["org.legal_name"][0] == COLLEAGUE and changes["org.trading_name"][0] == "admin@example.com"


def test_both_changing_one_fact_is_a_conflict_shown_beside_it_and_nothing_is_written(app, client, site):
    org_id, link, colleague = two_people(app, client, site)
    mine = browser_post(soup(client.get(link)))
    theirs = browser_post(soup(colleague.get(link)))
    theirs["org__legal_name"] = ["Acme Water Services Ltd"]
    assert colleague.post(link, data=theirs).status_code == 302
    mine["org__legal_name"] = ["Acme Water plc"]
    mine["org__trading_name"] = ["Acme"]
    response = client.post(link, data=mine)
    assert response.status_code == 409
    page = soup(response)
    message = page.select_one("#org__legal_name").find_parent(class_="field").get_text(" ", strip=True)
    assert COLLEAGUE in message and "it now says \u201cAcme Water Services Ltd\u201d" in message
    assert "Your answer is kept here" in message
    assert page.select_one("#org__legal_name")["value"] == "Acme Water plc"  # mine, not lost
    assert page.select_one("#org__trading_name")["value"] == "Acme"
    assert profile(app, org_id) == {"org.legal_name": "Acme Water Services Ltd"}  # nothing of my page written
    # saving again, having seen theirs, settles it with mine
    assert client.post(link, data=browser_post(page)).status_code == 302
    assert profile(app, org_id) == {"org.legal_name": "Acme Water plc", "org.trading_name": "Acme"}


def test_after_a_conflict_a_fact_only_the_colleague_changed_shows_theirs_and_stays_theirs(app, client, site):
    org_id, link, colleague = two_people(app, client, site)
    mine = browser_post(soup(client.get(link)))
    theirs = browser_post(soup(colleague.get(link)))
    theirs["org__legal_name"] = ["Acme Water Services Ltd"]
    theirs["org__trading_name"] = ["Acme Water"]
    assert colleague.post(link, data=theirs).status_code == 302
    mine["org__legal_name"] = ["Acme Water plc"]  # a conflict; the trading name I leave alone
    page = soup(client.post(link, data=mine))
    assert page.select_one("#org__trading_name")["value"] == "Acme Water"
    assert client.post(link, data=browser_post(page)).status_code == 302
    assert profile(app, org_id) == {"org.legal_name": "Acme Water plc", "org.trading_name": "Acme Water"}


def test_the_interview_saves_against_what_it_showed_too(app, client, site):
    org_id, _, colleague = two_people(app, client, site)
    start = client.get(f"/orgs/{org_id}/documents/complaints-procedure/prepare")
    topic = start.headers["Location"]
    mine = browser_post(soup(client.get(topic)))
    theirs = browser_post(soup(colleague.get(topic)))
    theirs["org__legal_name"] = ["Acme Water Services Ltd"]
    theirs["go"] = ["next"]
    assert colleague.post(topic, data=theirs).status_code == 302
    mine["org__legal_name"] = ["Acme Water plc"]
    mine["go"] = ["next"]
    response = client.post(topic, data=mine)
    assert response.status_code == 409
    assert profile(app, org_id)["org.legal_name"] == "Acme Water Services Ltd"
    assert client.post(topic, data=browser_post(soup(response)) | {"go": ["next"]}).status_code == 302
    assert profile(app, org_id)["org.legal_name"] == "Acme Water plc"


VALUES = st.one_of(st.none(), st.text(max_size=5), st.integers(0, 3), st.lists(st.sampled_from("abc"), max_size=2))


@given(base=VALUES, mine=VALUES, now=VALUES)
def test_a_fact_merge_never_drops_a_change_it_was_not_shown(base, mine, now):
    how = fact_merge(value_token(base), mine, now)
    same = value_token
    if same(now) == same(base):
        assert how == WRITE  # nobody else changed it: the sender's answer stands
    elif same(mine) == same(base) or same(mine) == same(now):
        assert how == KEEP  # only the colleague changed it (or both to the same): theirs stays
    else:
        assert how == CONFLICT  # both changed it: neither is dropped, the sender decides
    assert fact_merge(None, mine, now) == WRITE  # a post without tokens is written as before

"""The action plan in one step: gaps previewed essential-first and added together with one owner and
due date; the plan edited in one table, all rows or none, never over someone else's newer change."""

from __future__ import annotations

from assess.core.answers import Action
from assess.core.findings import who_might_know
from assess.store import actions as action_store
from assess.web.database import get_db
from tests.conftest import Site, actions_of, add_user, answer, log_in, soup

QUESTIONNAIRE = "iso10002-2018"


def questions(bank):
    questionnaire = bank.questionnaire(QUESTIONNAIRE)
    essential = [q for q in questionnaire.questions if q.key and not q.show_if][:2]
    plain = [q for q in questionnaire.questions if not q.key and not q.show_if][:2]
    return essential, plain


def make_site(client, bank):
    """An assessment with two essential gaps (one at 0, one at 2), two ordinary gaps and a don't know."""
    site = Site(client)
    org_id = site.org()
    aid = site.assessment(org_id)
    (e1, e2), (p1, p2) = questions(bank)
    for question, value in ((e1, 2), (e2, 0), (p1, 1), (p2, "unknown")):
        answer(client, org_id, aid, question.id, value)
    return org_id, aid, (e1, e2, p1, p2)


def test_preview_lists_gaps_essential_furthest_below_target_first_and_ticks_essential_ones(client, bank):
    org_id, aid, (e1, e2, p1, p2) = make_site(client, bank)
    page = soup(client.get(f"/orgs/{org_id}/assessments/{aid}/gaps/plan"))
    rows = page.select("#gap-preview tbody tr")
    assert [r["id"] for r in rows] == [f"choice-{e2.id}", f"choice-{e1.id}", f"choice-{p1.id}"]  # no don't know
    ticked = [i["value"] for i in page.select("input[name=gap][checked]")]
    assert ticked == [e2.id, e1.id]
    everything = soup(client.get(f"/orgs/{org_id}/assessments/{aid}/gaps/plan?select=all"))
    assert len(everything.select("input[name=gap][checked]")) == 3
    assert not soup(client.get(f"/orgs/{org_id}/assessments/{aid}/gaps/plan?select=none")).select("input[checked]")
    assert client.get(f"/orgs/{org_id}/assessments/{aid}/gaps/plan?select=some").status_code == 400
    results = soup(client.get(f"/orgs/{org_id}/assessments/{aid}/results"))
    assert results.select_one("#add-gaps-link")["href"] == f"/orgs/{org_id}/assessments/{aid}/gaps/plan"
    assert results.find(id=f"find-out-{p2.id}").select_one(".role").text == who_might_know("ISO 10002", p2.clause_ref)
    assert p2.text not in results.select_one("#gap-table").text  # a don't know is to find out, not a gap
    assert results.select_one("#gap-count").text == "3"


def test_adding_gaps_makes_each_an_action_with_the_same_owner_and_due_date_once(app, client, bank):
    org_id, aid, (e1, e2, p1, p2) = make_site(client, bank)
    url = f"/orgs/{org_id}/assessments/{aid}/gaps/plan"
    response = client.post(url, data={"gap": [e1.id, e2.id], "owner": "Dana Lee", "due": "2027-03-31"})
    assert response.status_code == 302 and response.headers["Location"] == f"/orgs/{org_id}/actions"
    made = actions_of(app, org_id)
    assert sorted((a.question_id, a.owner, a.due, a.status, a.what) for a in made) == sorted(
        (q.id, "Dana Lee", "2027-03-31", "open", q.recommendation) for q in (e1, e2)
    )
    again = client.post(url, data={"gap": [e1.id, p1.id, p2.id]})  # e1 planned, p2 a don't know
    assert again.status_code == 302
    made = actions_of(app, org_id)
    assert sorted(a.question_id for a in made) == sorted([e1.id, e2.id, p1.id])
    page = soup(client.get(url))
    assert page.select_one("#all-planned") and not page.select("input[name=gap]")


def test_bad_owner_or_due_date_or_no_gap_adds_nothing_and_says_why(app, client, bank):
    org_id, aid, (e1, *_rest) = make_site(client, bank)
    url = f"/orgs/{org_id}/assessments/{aid}/gaps/plan"
    for data, field in (
        ({"gap": [e1.id], "due": "31/03/2027"}, "#all-due-error"),
        ({"gap": [e1.id], "owner": "o" * 201}, "#all-owner-error"),
        ({"owner": "Dana"}, "#gap-list .error"),
    ):
        response = client.post(url, data=data)
        assert response.status_code == 400
        page = soup(response)
        assert page.select_one(field)
        assert page.select_one("#add-gaps-problems")
    assert actions_of(app, org_id) == []


def plan_rows(page):
    return {
        int(tr["id"].split("-")[1]): {
            "what": tr.select_one("textarea").text,
            "owner": tr.select_one("input[name^=owner-]")["value"],
            "due": tr.select_one("input[name^=due-]")["value"],
            "status": tr.select_one("select option[selected]")["value"],
            "seen": tr.select_one("input[name^=seen-]")["value"],
        }
        for tr in page.select("#action-table tbody tr")
    }


def table_form(rows, picked=(), **bulk):
    data = {"row": [str(i) for i in rows], "pick": [str(i) for i in picked]}
    for action_id, fields in rows.items():
        for field, value in fields.items():
            data[f"{field}-{action_id}"] = value
    data.update({f"all-{k}": v for k, v in bulk.items()})
    return data


def planned_site(app, client, bank):
    org_id, aid, (e1, e2, p1, _) = make_site(client, bank)
    client.post(f"/orgs/{org_id}/assessments/{aid}/gaps/plan", data={"gap": [e1.id, e2.id, p1.id]})
    return org_id, {a.question_id: a.id for a in actions_of(app, org_id)}


def test_the_table_saves_every_row_and_the_bar_sets_owner_and_date_for_the_ticked_ones(app, client, bank):
    org_id, ids = planned_site(app, client, bank)
    rows = plan_rows(soup(client.get(f"/orgs/{org_id}/actions")))
    first, second, third = sorted(rows)
    rows[first]["what"] = "Publish the stages"
    rows[third]["status"] = "in progress"
    response = client.post(
        f"/orgs/{org_id}/actions/table", data=table_form(rows, picked=(first, second), owner="Sam", due="2027-01-15")
    )
    assert response.status_code == 302
    saved = {a.id: a for a in actions_of(app, org_id)}
    assert (saved[first].what, saved[first].owner, saved[first].due) == ("Publish the stages", "Sam", "2027-01-15")
    assert (saved[second].owner, saved[second].due) == ("Sam", "2027-01-15")
    assert (saved[third].owner, saved[third].due, saved[third].status) == ("", "", "in progress")
    unchanged = client.post(
        f"/orgs/{org_id}/actions/table", data=table_form(plan_rows(soup(client.get(f"/orgs/{org_id}/actions"))))
    )
    assert unchanged.status_code == 302
    assert {a.id: a.updated_at for a in actions_of(app, org_id)} == {a.id: a.updated_at for a in saved.values()}


def test_a_bad_cell_saves_no_row_and_is_shown_next_to_its_field(app, client, bank):
    org_id, ids = planned_site(app, client, bank)
    before = actions_of(app, org_id)
    rows = plan_rows(soup(client.get(f"/orgs/{org_id}/actions")))
    first, second, _ = sorted(rows)
    rows[first]["owner"] = "Good change"
    rows[second]["due"] = "next week"
    response = client.post(f"/orgs/{org_id}/actions/table", data=table_form(rows))
    assert response.status_code == 400
    page = soup(response)
    assert page.select_one(f"#action-{second} td.due.has-error .error")
    assert page.select_one(f"#owner-{first}")["value"] == "Good change"  # what was typed is kept
    assert actions_of(app, org_id) == before
    bar = client.post(
        f"/orgs/{org_id}/actions/table",
        data=table_form(plan_rows(soup(client.get(f"/orgs/{org_id}/actions"))), owner="Sam"),
    )
    assert bar.status_code == 400 and soup(bar).select_one("#pick-all-error")
    assert client.post(f"/orgs/{org_id}/actions/table", data={"row": ["x"]}).status_code == 400
    assert actions_of(app, org_id) == before


def test_a_change_made_meanwhile_is_never_overwritten_silently(app, client, bank):
    org_id, ids = planned_site(app, client, bank)
    rows = plan_rows(soup(client.get(f"/orgs/{org_id}/actions")))
    first, second, _ = sorted(rows)
    with app.app_context():  # someone else saves the first action while this table is open
        other = action_store.get_action(get_db(), org_id, first)
        action_store.update_action(get_db(), first, what=other.what, owner="Lee", due=other.due, status="open")
    rows[first]["owner"] = "Dana"
    rows[second]["owner"] = "Dana"
    response = client.post(f"/orgs/{org_id}/actions/table", data=table_form(rows))
    assert response.status_code == 409
    page = soup(response)
    assert "now owned by Lee" in page.select_one("#plan-conflicts").text
    saved = {a.id: a for a in actions_of(app, org_id)}
    assert (saved[first].owner, saved[second].owner) == ("Lee", "")  # nothing saved, not even the other row
    assert plan_rows(page)[first]["owner"] == "Dana"  # what was typed is kept, starting from the new version
    assert client.post(f"/orgs/{org_id}/actions/table", data=table_form(plan_rows(page))).status_code == 302
    assert [a.owner for a in sorted(actions_of(app, org_id), key=lambda a: a.id)][:2] == ["Dana", "Dana"]


def test_the_same_change_made_meanwhile_is_no_conflict(app, client, bank):
    org_id, ids = planned_site(app, client, bank)
    rows = plan_rows(soup(client.get(f"/orgs/{org_id}/actions")))
    first = min(rows)
    with app.app_context():
        other = action_store.get_action(get_db(), org_id, first)
        action_store.update_action(get_db(), first, what=other.what, owner="Dana", due=other.due, status="open")
    rows[first]["owner"] = "Dana"
    assert client.post(f"/orgs/{org_id}/actions/table", data=table_form(rows)).status_code == 302


def test_a_viewer_sees_the_plan_but_no_table_to_edit_and_cannot_post_it(app, client, bank):
    org_id, ids = planned_site(app, client, bank)
    user_id = add_user(app, "viewer@example.com")
    from assess.store import people

    with app.app_context():
        people.set_membership(get_db(), user_id, org_id, "viewer")
    viewer = log_in(app.test_client(), "viewer@example.com")
    page = soup(viewer.get(f"/orgs/{org_id}/actions"))
    assert page.select("#action-table tbody tr") and not page.select("#plan-form")
    before = actions_of(app, org_id)
    rows = {i: {"what": "x", "owner": "y", "due": "", "status": "done", "seen": ""} for i in ids.values()}
    assert viewer.post(f"/orgs/{org_id}/actions/table", data=table_form(rows)).status_code == 404
    assert viewer.get(f"/orgs/{org_id}/assessments/1/gaps/plan").status_code == 404
    assert actions_of(app, org_id) == before


def test_another_organizations_action_cannot_be_saved_through_this_table(app, client, bank):
    org_id, ids = planned_site(app, client, bank)
    site = Site(client)
    other = site.org("Other")
    with app.app_context():
        foreign = action_store.create_action(get_db(), other, None, Action(QUESTIONNAIRE, "q", "4.2", "Theirs"), "t")
    rows = {foreign: {"what": "Mine now", "owner": "", "due": "", "status": "open", "seen": ""}}
    response = client.post(f"/orgs/{org_id}/actions/table", data=table_form(rows))
    assert response.status_code == 409
    assert actions_of(app, other)[0].what == "Theirs"

"""The plan table sends every row; a row its editor left as shown never undoes a colleague's newer
change to it, on the first save or on the save after a conflict."""

from __future__ import annotations

from assess.store import actions as action_store
from assess.web.database import get_db
from tests.conftest import soup
from tests.test_action_plan_bulk import plan_rows, planned_site, table_form


def browser_rows(page):
    """Return the rows as the browser posts them: with the token of what each row showed."""
    rows = plan_rows(page)
    for action_id, row in rows.items():
        row["shown"] = page.select_one(f"input[name=shown-{action_id}]")["value"]
    return rows


def owners(app, org_id):
    with app.app_context():
        return {a.id: a.owner for a in action_store.list_actions(get_db(), org_id)}


def change_owner(app, org_id, action_id, owner):
    with app.app_context():  # a colleague saves the action while this table is open
        other = action_store.get_action(get_db(), org_id, action_id)
        action_store.update_action(get_db(), action_id, what=other.what, owner=owner, due=other.due, status="open")


def test_a_row_left_as_shown_keeps_the_colleagues_newer_change(app, client, bank):
    org_id, _ = planned_site(app, client, bank)
    rows = browser_rows(soup(client.get(f"/orgs/{org_id}/actions")))
    first, second, _ = sorted(rows)
    change_owner(app, org_id, first, "Lee")
    rows[second]["owner"] = "Dana"
    assert client.post(f"/orgs/{org_id}/actions/table", data=table_form(rows)).status_code == 302
    assert (owners(app, org_id)[first], owners(app, org_id)[second]) == ("Lee", "Dana")


def test_saving_again_after_a_conflict_does_not_undo_the_rows_left_alone(app, client, bank):
    org_id, _ = planned_site(app, client, bank)
    rows = browser_rows(soup(client.get(f"/orgs/{org_id}/actions")))
    first, second, _ = sorted(rows)
    change_owner(app, org_id, first, "Lee")
    change_owner(app, org_id, second, "Kim")
    rows[first]["owner"] = "Dana"  # a real conflict on the first row; the second I leave alone
    response = client.post(f"/orgs/{org_id}/actions/table", data=table_form(rows))
    assert response.status_code == 409
    page = soup(response)
    again = browser_rows(page)
    assert again[first]["owner"] == "Dana" and again[second]["owner"] == "Kim"  # theirs, drawn as it is now
    assert client.post(f"/orgs/{org_id}/actions/table", data=table_form(again)).status_code == 302
    assert (owners(app, org_id)[first], owners(app, org_id)[second]) == ("Dana", "Kim")


def test_the_table_and_add_gaps_refuse_the_text_every_other_way_in_refuses(app, client, bank):
    org_id, _ = planned_site(app, client, bank)
    before = owners(app, org_id)
    rows = browser_rows(soup(client.get(f"/orgs/{org_id}/actions")))
    first = min(rows)
    rows[first]["owner"] = "Sam\u202eLee"  # a character that turns the text round
    response = client.post(f"/orgs/{org_id}/actions/table", data=table_form(rows))
    assert response.status_code == 400
    assert "changes the direction of text" in soup(response).select_one(f"#action-{first}").text
    assert owners(app, org_id) == before

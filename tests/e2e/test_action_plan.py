"""The action plan in one step, in a real Chromium: from the results page, gaps previewed and added
with one owner and due date, then the plan edited in one table (at 1280 px and 390 px)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from assess.formats.example import example_organization
from assess.formats.questionnaires import load_bank
from assess.services.organizations import import_organization
from assess.store import actions as action_store
from assess.store import answers as answer_store
from assess.web.database import get_db
from tests.e2e.conftest import USER, log_in, screenshot

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("width", [1280, 390])
def test_gaps_go_into_the_plan_in_one_step_and_the_plan_is_edited_in_one_table(live_server, browser, width):
    app, base = live_server
    with app.app_context():
        org_id = import_organization(get_db(), example_organization(load_bank()), author=USER[0])
        row = next(a for a in answer_store.list_assessments(get_db(), org_id) if a.questionnaire == "iso10002-2018")
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    log_in(page, base)

    page.goto(f"{base}/orgs/{org_id}/assessments/{row.id}/results")
    expect(page.locator("#find-out-table")).to_be_visible()
    page.locator("#scale-key summary").click()
    expect(page.locator("#scale-key dl")).to_contain_text("A score at the target is maturity 4")
    screenshot(page, f"results-{width}")
    page.locator("#add-gaps-link").click()
    ticked = page.locator("input[name=gap]:checked")
    essential = ticked.count()
    assert essential >= 1
    page.get_by_label("Owner of all of them").fill("Dana Lee")
    page.get_by_label("Due date of all of them").fill("2027-03-31")
    screenshot(page, f"add-gaps-{width}")
    page.get_by_role("button", name="Add the ticked gaps").click()
    page.wait_for_url(f"{base}/orgs/{org_id}/actions")
    expect(page.locator(".flash").last).to_contain_text(f"Added {essential} gap")
    rows = page.locator("#action-table tbody tr")
    expect(rows).to_have_count(essential)

    first_id = rows.first.get_attribute("id").split("-")[1]
    page.locator(f"#pick-{first_id}").check()
    page.locator("#all-status").select_option("in progress")
    page.locator(f"#owner-{first_id}").fill("Sam")  # the bar sets status; the row's own owner is typed
    screenshot(page, f"plan-table-{width}")
    page.get_by_role("button", name="Save the plan").click()
    expect(page.locator(".flash").last).to_contain_text("1 action changed")
    with app.app_context():
        saved = {a.id: a for a in action_store.list_actions(get_db(), org_id)}
    first = saved[int(first_id)]
    assert (first.owner, first.due, first.status) == ("Sam", "2027-03-31", "in progress")
    assert all(a.owner == "Dana Lee" for i, a in saved.items() if i != int(first_id))
    context.close()

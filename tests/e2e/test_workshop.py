"""A workshop end to end in real browsers: a facilitator and three participants on phones."""

import re

import pytest
from playwright.sync_api import expect

from assess.store import answers as answer_store
from assess.store import organizations as org_store
from assess.web.database import get_db
from tests.e2e.conftest import log_in, screenshot

pytestmark = pytest.mark.e2e

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def test_workshop_from_join_to_consensus(live_server, browser, page):
    app, base = live_server
    log_in(page, base)
    page.get_by_role("link", name="New organization").click()
    page.get_by_label("Name").fill("Riverside Housing")
    page.get_by_role("button", name="Create organization").click()
    page.get_by_role("link", name="Start an assessment").click()
    page.get_by_label("Standard").select_option("iso10002-2018")
    page.get_by_label("Title").fill("Workshop round")
    page.get_by_role("button", name="Start").click()
    page.get_by_role("link", name="Run a workshop").click()
    page.get_by_label("4.2 Commitment").check()
    page.get_by_role("button", name="Open the workshop").click()
    code = page.locator("#join-code").inner_text()
    expect(page.locator("img.qr")).to_be_visible()

    phones = []
    for name, first, second in (("Ann", "0", "3"), ("Bob", "2", "3"), ("Chen", "4", "3")):
        context = browser.new_context(**PHONE)
        phone = context.new_page()
        phone.goto(base + "/join")
        phone.get_by_label("Join code").fill(code.lower())
        phone.get_by_role("button", name="Continue").click()
        phone.get_by_label("Your name").fill(name)
        phone.get_by_role("button", name="Join").click()
        expect(phone.locator("h1")).to_have_text("Rate each practice")
        cards = phone.locator("fieldset.question")
        cards.nth(0).locator(f"input[type=radio][value='{first}']").check()
        expect(cards.nth(0).locator(".save-status")).to_contain_text("Saved")
        cards.nth(1).locator(f"input[type=radio][value='{second}']").check()
        expect(cards.nth(1).locator(".save-status")).to_contain_text("Saved")
        phones.append((context, phone))
    screenshot(phones[0][1], "workshop-phone")

    first_room = page.locator("section.room").first
    expect(page.locator("#participant-count")).to_have_text("3", timeout=10_000)
    expect(first_room.locator('[data-field="count"]')).to_have_text("3", timeout=10_000)
    page.reload()
    disagreement = page.locator("section.room").first
    expect(disagreement.locator(".tag.flag")).to_be_visible()
    expect(disagreement.locator('[data-field="median"]')).to_have_text("2")
    screenshot(page, "workshop-projector")
    question_id = disagreement.get_attribute("data-question")
    expect(disagreement.locator("select")).to_have_value("2")  # pre-filled with the median
    disagreement.get_by_label(re.compile("^Note")).fill("Only the web form invites complaints")
    disagreement.get_by_role("button", name="Record agreed answer").click()
    expect(page.locator(f"[id='room-{question_id}'] .agreed-tag")).to_have_text("Agreed: 2")

    page.get_by_role("button", name="Close the workshop").click()
    expect(page.locator(".warning")).to_contain_text("closed")
    phone = phones[0][1]
    phone.reload()
    expect(phone.locator("h1")).to_have_text("Page not found")

    with app.app_context():
        org_id = org_store.list_organizations(get_db())[0].id
        aid = answer_store.list_assessments(get_db(), org_id)[0].id
        answers = answer_store.get_answers(get_db(), aid)
    assert {k: v.value for k, v in answers.items()} == {question_id: 2}
    assert answers[question_id].note.startswith("Only the web form invites complaints")
    page.goto(f"{base}/orgs/{org_id}/assessments/{aid}/check")
    expect(page.locator(f"[id='check-{question_id}'] dd").first).to_contain_text("2 Partly in place")
    for context, _ in phones:
        context.close()

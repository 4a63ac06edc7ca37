"""A workshop end to end in real browsers: a facilitator, a projector and participants on phones."""

import re

import pytest
from playwright.sync_api import expect

from assess.store import answers as answer_store
from assess.store import organizations as org_store
from assess.web.database import get_db
from tests.e2e.conftest import log_in, screenshot

pytestmark = pytest.mark.e2e

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def open_workshop(page, base, clause="4.2 Commitment"):
    log_in(page, base)
    page.get_by_role("link", name="New organization").click()
    page.get_by_label("Name").fill("Riverside Housing")
    page.get_by_role("button", name="Create organization").click()
    page.get_by_role("link", name="Start an assessment").click()
    page.get_by_label("Standard").select_option("iso10002-2018")
    page.get_by_label("Title").fill("Workshop round")
    page.get_by_role("button", name="Start").click()
    page.get_by_role("link", name="Run a workshop").click()
    page.get_by_label(clause).check()
    page.get_by_role("button", name="Open the workshop").click()
    return page.locator("#join-code").inner_text()


def join_on_phone(browser, base, code, name):
    context = browser.new_context(**PHONE)
    phone = context.new_page()
    phone.set_default_timeout(10_000)
    phone.goto(base + "/join")
    phone.get_by_label("Join code").fill(code.lower())
    phone.get_by_role("button", name="Continue").click()
    phone.get_by_label("Your name").fill(name)
    phone.get_by_role("button", name="Join").click()
    expect(phone.locator("#rate-position")).to_have_text(re.compile(r"^Question 1 of \d+$"))
    return context, phone


def rate(phone, value):
    phone.locator(f"input[type=radio][value='{value}']").check()
    phone.get_by_role("button", name=re.compile("^(Next|Finish)")).click()


def stored(app):
    with app.app_context():
        org_id = org_store.list_organizations(get_db())[0].id
        aid = answer_store.list_assessments(get_db(), org_id)[0].id
        return org_id, aid, answer_store.get_answers(get_db(), aid)


def test_workshop_from_join_to_consensus(live_server, browser, page):
    app, base = live_server
    code = open_workshop(page, base)
    expect(page.locator("img.qr")).to_be_visible()
    expect(page.locator("#loopback-warning")).to_be_visible()  # served on 127.0.0.1: phones could not join

    phones = []
    for name, first, second in (("Ann", "0", "3"), ("Bob", "2", "3"), ("Chen", "4", "3")):
        context, phone = join_on_phone(browser, base, code, name)
        rate(phone, first)
        expect(phone.locator("#rate-position")).to_have_text(re.compile(r"^Question 2 of "))
        rate(phone, second)
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
    disagreement.get_by_role("button", name=re.compile("^Record agreed answer")).click()
    expect(page.locator(f"[id='room-{question_id}'] .agreed-tag")).to_have_text("Agreed: 2")

    page.get_by_role("button", name="Close the workshop").click()
    expect(page.locator(".warning")).to_contain_text("closed")
    phone = phones[0][1]
    phone.reload()
    expect(phone.locator("h1")).to_have_text("The workshop has ended")
    expect(phone.get_by_role("link", name="Join another workshop")).to_be_visible()

    org_id, aid, answers = stored(app)
    assert {k: v.value for k, v in answers.items()} == {question_id: 2}
    assert "Facilitator's note: Only the web form invites complaints" in answers[question_id].note
    page.goto(f"{base}/orgs/{org_id}/assessments/{aid}/check")
    page.locator("#group-4 > summary").click()
    expect(page.locator(f"[id='check-{question_id}'] dd").first).to_contain_text("2 Partly in place")
    for context, _ in phones:
        context.close()


def test_ratings_that_arrive_after_the_facilitators_page_loaded_are_what_is_recorded(live_server, browser, page):
    app, base = live_server
    open_workshop(page, base)
    code = page.locator("#join-code").inner_text()
    first_room = page.locator("section.room").first
    question_id = first_room.get_attribute("data-question")
    expect(first_room.locator("select")).to_have_value("")  # nobody has rated: nothing is suggested

    contexts = []
    for name in ("Ann", "Bob", "Chen"):
        context, phone = join_on_phone(browser, base, code, name)
        rate(phone, "4")
        contexts.append(context)

    room = page.locator(f"[id='room-{question_id}']")
    expect(room.locator('[data-field="count"]')).to_have_text("3", timeout=10_000)
    expect(room.locator("select")).to_have_value("4")  # followed the live ratings without a reload
    room.get_by_role("button", name=re.compile("^Record agreed answer")).click()
    expect(page.locator(f"[id='room-{question_id}'] .agreed-tag")).to_have_text("Agreed: 4")
    assert {k: v.value for k, v in stored(app)[2].items()} == {question_id: 4}
    for context in contexts:
        context.close()


def test_presentation_mode_shows_one_question_with_its_levels_and_the_live_count(live_server, browser, page):
    app, base = live_server
    code = open_workshop(page, base)
    page.get_by_role("link", name="Present on the projector").click()
    expect(page.locator(".eyebrow")).to_contain_text("question 1 of")
    expect(page.locator(".present-levels li")).to_have_count(5)
    expect(page.locator('[data-field="count"]')).to_have_text("0")
    context, phone = join_on_phone(browser, base, code, "Ann")
    rate(phone, "3")
    expect(page.locator('[data-field="count"]')).to_have_text("1", timeout=10_000)
    expect(page.locator('[data-field="median"]')).to_have_text("3")
    page.keyboard.press("ArrowRight")
    expect(page.locator(".eyebrow")).to_contain_text("question 2 of")
    page.wait_for_load_state("load")  # the keys work once the page's script has run
    page.keyboard.press("ArrowLeft")
    expect(page.locator(".eyebrow")).to_contain_text("question 1 of")
    screenshot(page, "workshop-presentation")
    context.close()

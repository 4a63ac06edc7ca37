"""Two people on one page in two browsers: the second to save sees the first's change and settles it."""

import pytest
from playwright.sync_api import expect

from assess.store import answers as answer_store
from assess.store import people
from assess.web.database import get_db
from tests.conftest import add_user
from tests.e2e.conftest import log_in, screenshot

pytestmark = pytest.mark.e2e

Q = "10002-4.2-a"


def _assessment(app):
    with app.app_context():
        db = get_db()
        org_id = people.create_organization_for(db, "Tidewater Ltd", 1)
        aid = answer_store.create_assessment(db, org_id, "iso10002-2018", "Baseline 2026", 3)
        bob = add_user(app, "bob@example.com")
        people.set_membership(db, bob, org_id, "member")
    return org_id, aid


def _both_write_a_note(contexts, base, url):
    """Ann and Bob open the page; Bob's note is saved, then Ann types hers on her older page.
    Return Ann's page and her question's card."""
    ann, bob = (c.new_page() for c in contexts)
    log_in(ann, base)
    log_in(bob, base, "bob@example.com")
    ann.goto(url)
    bob.goto(url)
    bob_card = bob.locator(f"fieldset[data-question='{Q}']")
    bob_card.locator("details.extra > summary").click()
    bob_card.get_by_label("Note").fill("Bob: minutes of May")
    expect(bob_card.locator(".save-status")).to_contain_text("Saved")
    ann_card = ann.locator(f"fieldset[data-question='{Q}']")
    ann_card.locator("details.extra > summary").click()
    ann_card.get_by_label("Note").fill("Ann: the audit of June")
    return ann, ann_card


def test_a_stale_page_submit_shows_the_conflict_and_keeps_what_was_typed(live_server, browser):
    app, base = live_server
    org_id, aid = _assessment(app)
    url = f"{base}/orgs/{org_id}/assessments/{aid}/pages/4.2"
    ann_context = browser.new_context(java_script_enabled=False, viewport={"width": 1200, "height": 900})
    bob_context = browser.new_context(viewport={"width": 1200, "height": 900})
    try:
        ann, bob = ann_context.new_page(), bob_context.new_page()
        log_in(ann, base)
        log_in(bob, base, "bob@example.com")
        ann.goto(url)
        bob.goto(url)
        # bob's browser saves as he clicks (autosave); ann's has no JavaScript and submits the page
        bob_card = bob.locator(f"fieldset[data-question='{Q}']")
        bob_card.locator("input[type=radio][value='3']").check()
        expect(bob_card.locator(".save-status")).to_contain_text("Saved")
        ann_card = ann.locator(f"fieldset[data-question='{Q}']")
        ann_card.locator("input[type=radio][value='1']").check()
        ann_card.locator("details.extra > summary").click()
        ann_card.get_by_label("Note").fill("Ann's view of it")
        ann.get_by_role("button", name="Save and go to overview").click()
        conflict = ann.locator(f"[id='conflict-{Q}']")
        expect(conflict).to_contain_text("bob@example.com changed this answer")
        expect(conflict).to_contain_text("3 Largely in place")
        expect(ann_card.get_by_label("Note")).to_have_value("Ann's view of it")
        screenshot(ann, "conflict-page-submit")
        conflict.get_by_label("Use mine").check()
        ann.get_by_role("button", name="Save and go to overview").click()
        expect(ann.locator("h1")).to_contain_text("ISO 10002:2018")
    finally:
        ann_context.close()
        bob_context.close()
    with app.app_context():
        answer = answer_store.get_answers(get_db(), aid)[Q]
    assert (answer.value, answer.note) == (1, "Ann's view of it")


def test_a_stale_autosave_offers_keep_theirs_use_mine_or_both(live_server, browser):
    app, base = live_server
    org_id, aid = _assessment(app)
    url = f"{base}/orgs/{org_id}/assessments/{aid}/pages/4.2"
    contexts = [browser.new_context(viewport={"width": 390, "height": 844}) for _ in range(2)]
    try:
        ann, ann_card = _both_write_a_note(contexts, base, url)
        panel = ann_card.locator(".conflict")
        expect(panel).to_contain_text("bob@example.com changed this answer")
        expect(panel).to_contain_text("Bob: minutes of May")
        screenshot(ann, "conflict-autosave-phone")
        panel.get_by_role("button", name="Keep both texts").click()
        expect(ann_card.locator(".save-status")).to_contain_text("Saved")
        expect(ann_card.get_by_label("Note")).to_have_value("Bob: minutes of May\n\nAnn: the audit of June")
    finally:
        for c in contexts:
            c.close()
    with app.app_context():
        answer = answer_store.get_answers(get_db(), aid)[Q]
    assert answer.note == "Bob: minutes of May\n\nAnn: the audit of June"


def test_choosing_keep_theirs_on_a_conflict_the_page_found_never_saves_mine(live_server, browser):
    app, base = live_server
    org_id, aid = _assessment(app)
    url = f"{base}/orgs/{org_id}/assessments/{aid}/pages/4.2"
    contexts = [browser.new_context(viewport={"width": 1200, "height": 900}) for _ in range(2)]
    try:
        ann, ann_card = _both_write_a_note(contexts, base, url)
        ann.get_by_role("button", name="Save and go to overview").click()  # before her autosave runs
        conflict = ann.locator(f"[id='conflict-{Q}']")
        expect(conflict).to_contain_text("bob@example.com changed this answer")
        conflict.get_by_label("Keep theirs").check()
        ann.wait_for_timeout(1500)  # an autosave, had one started, would have answered by now
        with app.app_context():
            assert answer_store.get_answers(get_db(), aid)[Q].note == "Bob: minutes of May"
        ann.get_by_role("button", name="Save and go to overview").click()
        expect(ann.locator("h1")).to_contain_text("ISO 10002:2018")
    finally:
        for c in contexts:
            c.close()
    with app.app_context():
        assert answer_store.get_answers(get_db(), aid)[Q].note == "Bob: minutes of May"

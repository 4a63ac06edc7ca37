"""In a real browser: script in user text stays text, and the content security policy blocks nothing of ours."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import log_in

pytestmark = pytest.mark.e2e

PAYLOAD = '<script>alert("org")</script><img src=x onerror="alert(1)">'


def test_xss_payloads_are_inert_and_csp_blocks_nothing_of_ours(live_server, page):
    app, base = live_server
    dialogs, violations = [], []
    page.on("dialog", lambda d: d.accept() if d.type == "beforeunload" else (dialogs.append(d.message), d.dismiss()))
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)

    log_in(page, base)
    page.get_by_role("link", name="New organization").click()
    page.get_by_label("Name").fill(PAYLOAD)
    page.get_by_role("button", name="Create organization").click()
    expect(page.locator("h1")).to_have_text(PAYLOAD)

    page.get_by_role("link", name=re.compile("^Profile")).click()
    page.locator("#profile-sections h2 a").first.click()
    page.get_by_label("Legal name of the organization").fill(PAYLOAD)
    page.get_by_role("button", name=re.compile("^Save and go back")).click()
    page.locator("#profile-sections h2 a").first.click()
    expect(page.get_by_label("Legal name of the organization")).to_have_value(PAYLOAD)

    page.goto(page.url.rsplit("/profile", 1)[0])
    page.get_by_role("link", name="Start an assessment").click()
    page.get_by_label("Standard").select_option("iso10002-2018")
    page.get_by_label("Title").fill(PAYLOAD)
    page.get_by_role("button", name="Start").click()
    page.get_by_role("link", name=re.compile("^Start answering")).click()
    card = page.locator("fieldset.question").first
    card.locator("input[type=radio][value='1']").check()
    card.locator("summary").click()
    with page.expect_response(lambda r: "/answers/" in r.url and r.request.method == "POST"):
        card.get_by_label("Note").fill(PAYLOAD)
    expect(card.locator(".save-status")).to_contain_text("Saved")

    org_url = page.url.split("/assessments/")[0]
    for path in ("", "/assessments/1/check", "/assessments/1/results", "/documents", "/documents/complaints-procedure"):
        page.goto(org_url + path)
        page.wait_for_load_state("load")
    expect(page.locator("article.document-preview")).to_contain_text("<script>")
    assert dialogs == []
    assert violations == []

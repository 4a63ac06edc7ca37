"""A new organization, nothing else, reaches a complaints procedure with no placeholder by clicking
through the document interview in Chromium, on a 390 px phone and on a desktop; axe finds no serious
or critical problem on any page of it, and the live preview follows what is typed."""

import io
import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from docx import Document
from playwright.sync_api import expect

from assess.web.forms import fact_field_name
from tests.e2e.conftest import log_in, screenshot
from tests.test_interview import sample

pytestmark = pytest.mark.e2e

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
PLACEHOLDER = re.compile(r"\[[a-z][^\]]{3,}\]")


def serious_problems(page):
    return [
        f"{v['id']}: {v['nodes'][0]['target']}"
        for v in Axe().run(page).response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def fill_what_is_empty(page, bank):
    """Answer every open question of the page that has no answer yet, as a person would; leave the
    suggested ones as they are. Returns how many were typed or picked."""
    typed = 0
    for fact in bank.profile.facts:
        name = fact_field_name(fact)
        if fact.type == "list":
            first = page.locator(f"form.interview > .field [name='{name}-0-{fact.fields[0].id}']")
            if first.count() and not first.input_value():
                for key, text in sample(fact)[0].items():
                    page.locator(f"[name='{name}-0-{key}']").fill(text)
                typed += 1
            continue
        field = page.locator(f"form.interview > .field [name='{name}']")
        if not field.count():
            continue
        if fact.type == "multichoice":
            if not page.locator(f"[name='{name}']:checked").count():
                for choice in sample(fact):
                    page.locator(f"[name='{name}'][value='{choice}']").check()
                typed += 1
        elif fact.type == "choice":
            if not field.input_value():
                field.select_option(sample(fact) or fact.choices[0])
                typed += 1
        elif not field.first.input_value():
            value = sample(fact)
            field.fill(str(int(value)) if fact.type == "number" and float(value).is_integer() else str(value))
            typed += 1
    return typed


@pytest.mark.parametrize("device", [PHONE, DESKTOP], ids=["phone-390", "desktop-1280"])
def test_a_new_organization_clicks_through_to_a_complaints_procedure_with_no_placeholder(live_server, browser, device):
    app, base = live_server
    bank = app.extensions["assess.bank"]
    width = device["viewport"]["width"]
    context = browser.new_context(**device, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    log_in(page, base)
    page.get_by_role("link", name="New organization").click()
    page.get_by_label("Name").fill("Brook Lane Dental Practice")
    page.get_by_role("button", name="Create organization").click()
    page.get_by_role("link", name="Documents").first.click()
    page.get_by_role("link", name=re.compile("Prepare it.*complaints", re.I)).click()

    problems, pages, typed, folded, previewed = {}, 0, 0, 0, False
    while "/prepare/check" not in page.url:
        pages += 1
        assert pages < 40, "the interview does not end"
        expect(page.locator("progress.interview-progress")).to_be_visible()
        title = page.locator("h1").inner_text()
        if found := serious_problems(page):
            problems[title] = found
        if pages == 1:
            screenshot(page, f"interview-first-{width}")
        folded += page.locator("details.optional-facts:not([open])").count()
        typed += fill_what_is_empty(page, bank)
        ack = page.locator("[name='complaints__ack_days']")
        if ack.count() and not previewed:
            ack.fill("6")  # the live preview follows the typing, before anything is saved
            expect(page.locator("#preview-body")).to_contain_text("6 working days")
            screenshot(page, f"interview-preview-{width}")
            previewed = True
        page.locator("button[name=go][value=next]").click()
        page.wait_for_load_state("load")
        assert not page.locator(".error-summary").count(), page.locator(".error-summary").inner_text()

    assert previewed
    expect(page.locator("#nothing-missing")).to_be_visible()
    if found := serious_problems(page):
        problems["check"] = found
    screenshot(page, f"interview-check-{width}")
    assert problems == {}
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
    with page.expect_download() as download:
        page.locator("#download").click()
    document = Document(io.BytesIO(Path(download.value.path()).read_bytes()))
    text = "\n".join(
        [p.text for p in document.paragraphs] + [c.text for t in document.tables for row in t.rows for c in row.cells]
    )
    assert "Brook Lane" in text and "6 working days" in text
    assert not PLACEHOLDER.search(text), PLACEHOLDER.findall(text)[:5]
    assert pages >= 10 and typed >= 30  # it asked what the document needs, page by page
    assert folded > 0  # and the details it reads well without were left folded and empty
    context.close()

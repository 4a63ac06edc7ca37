"""A user creates an organization, answers a clause group by clicking, reloads, checks and reads results."""

import re

import pytest
from playwright.sync_api import expect

from assess.core.scoring import score_assessment
from assess.store import answers as answer_store
from assess.web.database import get_db
from assess.web.navigation import answer_pages
from tests.e2e.conftest import log_in, screenshot

pytestmark = pytest.mark.e2e


def test_answer_a_clause_group_and_read_the_results(live_server, page):
    app, base = live_server
    bank = app.extensions["assess.bank"]
    questionnaire = bank.questionnaire("iso10002-2018")
    first = answer_pages(questionnaire)[0]

    log_in(page, base)
    page.get_by_role("link", name="New organization").click()
    page.get_by_label("Name").fill("Harbour Energy & Co <Ltd>")
    page.get_by_role("button", name="Create organization").click()
    expect(page.locator("h1")).to_have_text("Harbour Energy & Co <Ltd>")

    page.get_by_role("link", name="Start an assessment").click()
    page.get_by_label("Standard").select_option("iso10002-2018")
    page.get_by_label("Title").fill("Baseline 2026")
    page.get_by_role("button", name="Start").click()
    expect(page.locator("h1")).to_contain_text("ISO 10002:2018")
    screenshot(page, "hub-empty")

    page.get_by_role("link", name=re.compile("^Start answering")).click()
    expect(page.locator("h1")).to_have_text(first.title)

    levels = {}
    for index, question in enumerate(first.questions):
        card = page.locator(f"fieldset[data-question='{question.id}']")
        if not card.is_visible():
            continue
        if index == 1 and question.allow_na:
            card.get_by_label("Not applicable", exact=True).check()
            reason = card.get_by_label("Why is it not applicable?")
            expect(reason).to_be_visible()
            reason.fill("We have no branches")
            levels[question.id] = "na"
        else:
            level = str(index % 5)
            card.locator(f"input[type=radio][value='{level}']").check()
            levels[question.id] = int(level)
        if index == 0:
            card.locator("summary").click()
            card.get_by_label("Note").fill("Board minutes of March")
        expect(card.locator(".save-status")).to_contain_text("Saved", timeout=10_000)
    screenshot(page, "question-page")

    page.reload()
    for qid, value in levels.items():
        card = page.locator(f"fieldset[data-question='{qid}']")
        expect(card.locator(f"input[type=radio][value='{value}']")).to_be_checked()
    first_card = page.locator(f"fieldset[data-question='{first.questions[0].id}']")
    expect(first_card.get_by_label("Note")).to_have_value("Board minutes of March")

    with app.app_context():
        aid = answer_store.list_assessments(get_db(), 1)[0].id
        stored = answer_store.get_answers(get_db(), aid)
    assert {k: v.value for k, v in stored.items()} == levels

    page.get_by_role("button", name="Save and go to overview").click()
    expect(page.locator("li.task").first.locator(".tag").first).to_have_text(re.compile("In progress|Done"))
    screenshot(page, "hub")

    page.get_by_role("link", name="Check your answers").click()
    expect(page.locator("h1")).to_have_text("Check your answers")
    visible_total = score_assessment(questionnaire, {k: v for k, v in levels.items()}).visible
    page.get_by_role("link", name=re.compile(r"^Not answered \(")).click()
    expect(page.locator("dl.summary .row")).to_have_count(visible_total - len(levels))
    page.get_by_role("link", name=re.compile(r"^All questions \(")).click()
    page.locator(f"#group-{first.top.ref} > summary").click()
    page.locator(f"[id='check-{first.questions[0].id}'] .change a").first.click()
    expect(page).to_have_url(re.compile(f"/pages/{re.escape(first.key)}#q-"))
    page.go_back()

    page.get_by_role("link", name="See results and gaps").click()
    result = score_assessment(questionnaire, levels)
    expect(page.locator("#score")).to_have_text(f"{result.score:.1f} %")
    expect(page.locator("#gap-count")).to_have_text(str(len(result.gaps)))
    expect(page.locator("figure.chart img")).to_be_visible()
    screenshot(page, "results")


def test_answering_works_without_javascript(live_server, browser):
    app, base = live_server
    questionnaire = app.extensions["assess.bank"].questionnaire("iso10001-2018")
    first = answer_pages(questionnaire)[0]
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    log_in(page, base)
    page.goto(base + "/orgs/new")
    page.get_by_label("Name").fill("No Script Ltd")
    page.get_by_role("button", name="Create organization").click()
    page.get_by_role("link", name="Start an assessment").click()
    page.get_by_label("Standard").select_option("iso10001-2018")
    page.get_by_label("Title").fill("Baseline")
    page.get_by_role("button", name="Start").click()
    page.get_by_role("link", name=re.compile("^Start answering")).click()
    visible = [q for q in first.questions if q.show_if is None]
    for question in visible:
        page.locator(f"fieldset[data-question='{question.id}'] input[type=radio][value='4']").check()
    page.get_by_role("button", name=re.compile("Save and continue")).click()
    expect(page.locator("h1")).not_to_have_text(first.title)
    with app.app_context():
        aid = answer_store.list_assessments(get_db(), 1)[0].id
        stored = answer_store.get_answers(get_db(), aid)
    assert {k: v.value for k, v in stored.items()} == {q.id: 4 for q in visible}
    context.close()

"""Autosave on a bad day, in a real browser: the server's own sentence is shown (the disk is full, a
proxy's error page), never "no connection"."""

import threading

import pytest
from playwright.sync_api import expect

from assess.store import answers as answer_store
from assess.store import organizations as org_store
from assess.web import database as web_database
from assess.web.database import get_db
from assess.web.navigation import answer_pages
from tests.e2e.conftest import log_in, screenshot

pytestmark = pytest.mark.e2e


def first_page(app, base):
    questionnaire = app.extensions["assess.bank"].questionnaire("iso10002-2018")
    with app.app_context():
        org = org_store.create_organization(get_db(), "Bad Day Ltd")
        assessment = answer_store.create_assessment(get_db(), org, "iso10002-2018", "Baseline", 3)
    page = answer_pages(questionnaire)[0]
    return f"{base}/orgs/{org}/assessments/{assessment}/pages/{page.key}", page.questions[0].id, assessment


def test_a_full_disk_is_said_as_such(live_server, page, monkeypatch):
    app, base = live_server
    url, qid, assessment = first_page(app, base)
    log_in(page, base)
    page.goto(url)
    real = web_database.connect

    def full(path):  # every new connection is as full as SQLite lets it be: "database or disk is full"
        db = real(path)
        db.execute(f"PRAGMA max_page_count = {db.execute('PRAGMA page_count').fetchone()[0]}")
        return db

    monkeypatch.setattr(web_database, "connect", full)
    app.extensions["assess.connections"] = threading.local()
    card = page.locator(f"fieldset[data-question='{qid}']")
    card.locator("summary").click()
    card.get_by_label("Note").fill("x" * 4000)
    card.locator("input[type=radio][value='3']").check()
    status = card.locator(".save-status")
    expect(status).to_contain_text("The server's disk is full, so this was not saved.", timeout=10_000)
    expect(status).not_to_contain_text("no connection")
    screenshot(page, "autosave-disk-full")
    with app.app_context():
        assert answer_store.get_answers(get_db(), assessment) == {}


def test_an_error_page_that_is_not_json_is_not_called_no_connection(live_server, page):
    app, base = live_server
    url, qid, _ = first_page(app, base)
    log_in(page, base)
    page.goto(url)
    page.route(
        "**/answers/**",
        lambda route: route.fulfill(status=502, content_type="text/html", body="<h1>502 Bad Gateway</h1>"),
    )
    card = page.locator(f"fieldset[data-question='{qid}']")
    card.locator("input[type=radio][value='2']").check()
    status = card.locator(".save-status")
    expect(status).to_contain_text("Not saved: the server could not save this answer (error 502)", timeout=10_000)
    expect(status).not_to_contain_text("no connection")

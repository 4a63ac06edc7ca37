"""Every page type in a real Chromium at a phone's and a desktop's width: axe-core finds no serious or
critical violation, nothing scrolls sideways at 320 CSS px, and keyboard focus never hides under a
sticky bar. Screenshots of each page at 390 and 1280 px land in tests/e2e/screenshots/."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass

import pytest
from axe_playwright_python.sync_playwright import Axe
from werkzeug.serving import make_server

from assess.formats.example import example_organization
from assess.services.accounts import invite
from assess.services.actions import add_gap_action
from assess.services.organizations import import_organization
from assess.services.results import results_of
from assess.services.workshops import open_workshop
from assess.store import answers as answer_store
from assess.store import people
from assess.store import workshops as workshop_store
from assess.web.database import get_db
from assess.web.navigation import answer_pages, profile_sections
from tests.e2e.conftest import SCREENSHOTS, USER, log_in, screenshot

pytestmark = pytest.mark.e2e

WIDTHS = (390, 1280)
NARROWEST = 320
SERIOUS = ("serious", "critical")
PHONE = {"is_mobile": True, "has_touch": True}


@dataclass
class World:
    org: int
    assessment: int
    later_round: int
    action: int
    workshop: int
    code: str
    closed_code: str
    invitation: str
    section: str
    page_key: str
    question: str


def build_world(app) -> World:
    bank = app.extensions["assess.bank"]
    with app.app_context():
        db = get_db()
        admin = people.get_user_by_email(db, USER[0])
        org = import_organization(db, example_organization(bank, profile="partial"), author=USER[0], owner=admin.id)
        rounds = answer_store.list_assessments(db, org)
        baseline = next(r for r in rounds if r.questionnaire == "iso10002-2018")
        later = answer_store.duplicate_assessment(db, baseline, "Follow-up 2027")
        questionnaire = bank.questionnaire("iso10002-2018")
        gap = results_of(db, bank, baseline).gaps[0]
        action = add_gap_action(db, bank, baseline, gap.question, gap.recommendation, USER[0]).action_id
        workshop = open_workshop(db, org, baseline.id, ["4.2", "4.3"], USER[0])
        closed = open_workshop(db, org, baseline.id, ["4.2"], USER[0])
        invitation = invite(db, org, "new.person@example.com", "member", admin.id).token
        code = workshop_store.get_workshop(db, org, workshop).code
        closed_code = workshop_store.get_workshop(db, org, closed).code
        section = profile_sections(bank.profile, {})[0].key
    pages = answer_pages(questionnaire)
    key_page = next(p for p in pages if any(q.key for q in p.questions))
    return World(
        org,
        baseline.id,
        later,
        action,
        workshop,
        code,
        closed_code,
        invitation,
        section,
        key_page.key,
        next(q.id for q in questionnaire.questions if q.clause_ref.startswith("4.2")),
    )


def signed_in_pages(w: World) -> dict[str, str]:
    o, a = f"/orgs/{w.org}", f"/orgs/{w.org}/assessments/{w.assessment}"
    return {
        "organizations": "/orgs",
        "organization-new": "/orgs/new",
        "organization": o,
        "organization-rename": f"{o}/edit",
        "organization-delete": f"{o}/delete",
        "profile": f"{o}/profile",
        "profile-section": f"{o}/profile/{w.section}",
        "import": "/orgs/import",
        "assessment-new": f"{o}/assessments/new",
        "hub": a,
        "answering": f"{a}/pages/{w.page_key}",
        "check": f"{a}/check",
        "check-unanswered": f"{a}/check?show=unanswered",
        "results": f"{a}/results",
        "assessment-edit": f"{a}/edit",
        "duplicate": f"{a}/duplicate",
        "workbook-upload": f"{a}/workbook",
        "documents": f"{o}/documents",
        "document-preview": f"{o}/documents/complaints-procedure",
        "action-plan": f"{o}/actions",
        "action-edit": f"{o}/actions/{w.action}/edit",
        "compare": f"{o}/compare?before={w.assessment}&after={w.later_round}",
        "people": f"{o}/people",
        "accounts": "/admin/users",
        "password": "/account/password",
        "workshop-new": f"{a}/workshops/new",
        "facilitator": f"{o}/workshops/{w.workshop}",
        "presentation": f"{o}/workshops/{w.workshop}/present/{w.question}",
        "not-found": f"{o}/nothing-here",
    }


@dataclass
class Findings:
    axe: dict[str, dict[int, list[str]]]
    overflow: dict[str, int]
    hidden_focus: dict[str, list[str]]

    def record(self, page, name: str, width: int) -> None:
        results = Axe().run(page)
        serious = [
            f"{v['id']} ({v['impact']}, {len(v['nodes'])} nodes): {v['nodes'][0]['target']}"
            for v in results.response["violations"]
            if v["impact"] in SERIOUS
        ]
        self.axe.setdefault(name, {})[width] = serious
        screenshot(page, f"a11y-{name}-{width}")


def check_page(page, findings: Findings, name: str, url: str | None = None) -> None:
    """Look at the page now shown (or `url`) at each width and at the narrowest one."""
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        if url is not None:
            page.goto(url)
        page.wait_for_load_state("load")
        findings.record(page, name, width)
        hidden = focus_hidden_under_sticky(page)
        if hidden:
            findings.hidden_focus[f"{name}-{width}"] = hidden
    page.set_viewport_size({"width": NARROWEST, "height": 700})
    if url is not None:
        page.goto(url)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    if overflow > 0:
        findings.overflow[name] = overflow
    hidden = focus_hidden_under_sticky(page)
    if hidden:
        findings.hidden_focus[f"{name}-{NARROWEST}"] = hidden


FOCUS_CHECK = """() => {
  const active = document.activeElement;
  if (!active || active === document.body) return null;
  const box = active.getBoundingClientRect();
  for (const bar of document.querySelectorAll('.sticky')) {
    if (bar.contains(active)) continue;
    const b = bar.getBoundingClientRect();
    const overlap = Math.min(box.bottom, b.bottom) - Math.max(box.top, b.top);
    if (overlap > 1 && box.right > b.left && box.left < b.right) return active.id || active.name || active.tagName;
  }
  return null;
}"""


def focus_hidden_under_sticky(page, limit: int = 400) -> list[str]:
    """Tab through the page from the top; return the focused elements a sticky bar covered."""
    if not page.locator(".sticky").count():
        return []
    page.evaluate("window.scrollTo(0, 0)")
    page.locator("body").focus()
    hidden, seen = [], set()
    for _ in range(limit):
        page.keyboard.press("Tab")
        key = page.evaluate(
            "document.activeElement && (document.activeElement.id || document.activeElement.outerHTML.slice(0, 80))"
        )
        if key in seen:
            break
        seen.add(key)
        covered = page.evaluate(FOCUS_CHECK)
        if covered:
            hidden.append(covered)
    return hidden


def setup_server(tmp_path):
    from assess import create_app

    app = create_app({"INSTANCE": tmp_path / "fresh", "SECRET_KEY": "e2e"})
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, thread, f"http://127.0.0.1:{server.server_port}"


def test_every_page_type_passes_axe_at_phone_and_desktop_width(live_server, browser, tmp_path):
    app, base = live_server
    world = build_world(app)
    findings = Findings({}, {}, {})

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    log_in(page, base)
    for name, path in signed_in_pages(world).items():
        check_page(page, findings, name, base + path)
    page.goto(base + "/orgs/new")
    page.get_by_role("button", name="Create organization").click()  # no name: the error summary
    check_page(page, findings, "form-errors")
    page.goto(f"{base}/orgs/{world.org}/workshops/{world.workshop}")
    page.locator(f"[id='room-{world.question}'] button.primary").click()  # no level chosen: errors in place
    check_page(page, findings, "facilitator-errors")
    context.close()

    phone = browser.new_context(viewport={"width": 390, "height": 844}, **PHONE)
    page = phone.new_page()
    page.set_default_timeout(10_000)
    check_page(page, findings, "login", base + "/login")
    check_page(page, findings, "join-code", base + "/join")
    check_page(page, findings, "invitation", f"{base}/invite/{world.invitation}")
    for code, name in ((world.closed_code, "Dee"), (world.code, "Ann")):
        page.goto(f"{base}/w/{code}")
        if code == world.code:
            check_page(page, findings, "join", f"{base}/w/{code}")
        page.get_by_label("Your name").fill(name)
        page.get_by_role("button", name="Join").click()
    check_page(page, findings, "rate")
    page.locator("input[type=radio][value='3']").check()
    page.get_by_role("button", name="Next ›").click()
    page.get_by_role("button", name="Stop here: see what I rated").click()
    check_page(page, findings, "rate-done")
    with app.app_context():
        closed = workshop_store.workshop_by_code(get_db(), world.closed_code)
        workshop_store.close_workshop(get_db(), closed.id)
    check_page(page, findings, "workshop-ended", f"{base}/w/{world.closed_code}/rate")
    phone.close()

    server, thread, fresh = setup_server(tmp_path)
    try:
        setup = browser.new_context()
        page = setup.new_page()
        check_page(page, findings, "setup", fresh + "/setup")
        setup.close()
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()

    figures = {name: {str(w): len(v) for w, v in widths.items()} for name, widths in findings.axe.items()}
    SCREENSHOTS.mkdir(exist_ok=True)
    (SCREENSHOTS / "a11y-figures.json").write_text(
        json.dumps(
            {
                "axe_serious_or_critical": figures,
                "overflow_at_320": findings.overflow,
                "focus_under_sticky": findings.hidden_focus,
            },
            indent=1,
        )
    )
    failing = {name: widths for name, widths in findings.axe.items() if any(widths.values())}
    assert failing == {}
    assert findings.overflow == {}
    assert findings.hidden_focus == {}
    assert len(findings.axe) >= 38

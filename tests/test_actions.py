"""The action plan: gaps become actions, which are edited, done and deleted without touching an answer."""

import datetime as dt

import pytest

from assess.core.actions import action_from_gap, check_due, is_overdue, plan_order
from assess.core.answers import Action, Answer, Assessment, Organization
from assess.core.scoring import score_assessment
from assess.services import organizations as org_service
from assess.store import actions as action_store
from assess.store import answers as answer_store
from assess.store import people
from assess.web.database import get_db
from tests.conftest import Site, actions_of, add_user, answer, log_in, soup

Q = "10002-4.2-a"
OTHER = "10002-4.2-b"


def add_action(client, org_id, aid, qid, what=None):
    data = {} if what is None else {"what": what}
    return client.post(f"/orgs/{org_id}/assessments/{aid}/gaps/{qid}/action", data=data)


def action_id_of(response):
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.headers["Location"].rstrip("/").split("/")[-2])


@pytest.fixture
def gap_site(app, client):
    """An organization with one assessment in which Q is a gap (level 1 against target 3)."""
    site = Site(client)
    org_id = site.org()
    aid = site.assessment(org_id)
    answer(client, org_id, aid, Q, 1)
    return org_id, aid


def answer_state(app, aid):
    with app.app_context():
        database = get_db()
        stored = answer_store.get_answers(database, aid)
        return {k: (v.value, v.note, v.updated_at) for k, v in stored.items()}, len(
            answer_store.answer_history(database, aid, Q)
        )


# --- the core ---------------------------------------------------------------------------------


def planned(priority, due="", status="open", what=""):
    return Action("iso10002-2018", Q, "4.2", what or f"{priority} {due}", priority, due=due, status=status)


def test_plan_order_is_priority_then_due_date_with_undated_last():
    actions = [
        planned(6, "2027-01-10"),
        planned(12, ""),
        planned(12, "2027-05-01"),
        planned(6, "2026-12-01"),
        planned(12, "2027-02-01"),
        planned(6, ""),
    ]
    assert [(a.priority, a.due) for a in plan_order(actions)] == [
        (12, "2027-02-01"),
        (12, "2027-05-01"),
        (12, ""),
        (6, "2026-12-01"),
        (6, "2027-01-10"),
        (6, ""),
    ]


@pytest.mark.parametrize(
    "due,status,overdue",
    [
        ("2026-11-24", "open", True),
        ("2026-11-24", "in progress", True),
        ("2026-11-24", "done", False),
        ("2026-11-25", "open", False),  # due today is not late yet
        ("2026-12-01", "open", False),
        ("", "open", False),
    ],
)
def test_overdue_means_past_due_and_not_done(due, status, overdue):
    assert is_overdue(planned(3, due, status), dt.date(2026, 11, 25)) is overdue


@pytest.mark.parametrize("text", ["20261201", "2026-W48-1", "2026-02-30", "1 Dec 2026", "2026-12-1"])
def test_due_dates_must_be_written_yyyy_mm_dd(text):
    with pytest.raises(ValueError):
        check_due(text)
    assert check_due(" 2026-12-01 ") == "2026-12-01"
    assert check_due("") == ""


def test_action_from_gap_takes_question_clause_and_priority(bank):
    questionnaire = bank.questionnaire("iso10002-2018")
    gap = score_assessment(questionnaire, {Q: 1}).gaps[0]
    assert action_from_gap(gap, questionnaire.id, "  ") == Action(
        questionnaire="iso10002-2018",
        question=Q,
        clause=gap.clause,
        what=gap.recommendation,
        priority=gap.priority,
    )
    assert action_from_gap(gap, questionnaire.id, "Our own words", assessment=2).what == "Our own words"


def test_actions_survive_export_and_import_through_the_database(app):
    org = Organization(
        "Acme",
        assessments=(
            Assessment("iso10001-2018", "Baseline", answers={"10001-4.2-a": Answer(1)}),
            Assessment("iso10002-2018", "Baseline", answers={Q: Answer(1)}),
        ),
        actions=(
            Action("iso10002-2018", Q, "4.2", "Fix it", 6, "Dana", "2027-01-31", "in progress", 1),
            Action("iso10001-2018", "10001-4.2-a", "4.2", "Write it down", 3),
        ),
    )
    with app.app_context():
        database = get_db()
        org_id = org_service.import_organization(database, org)
        assert org_service.load_organization(database, org_id) == org
        answer_store.delete_assessment(database, answer_store.list_assessments(database, org_id)[1].id)
        kept = org_service.load_organization(database, org_id)
    assert [a.assessment for a in kept.actions] == [None, None]  # the plan outlives the round
    assert [a.what for a in kept.actions] == ["Fix it", "Write it down"]


# --- the lifecycle on the web ------------------------------------------------------------------


def test_action_lifecycle_never_changes_an_answer(app, client, bank, gap_site):
    org_id, aid = gap_site
    before = answer_state(app, aid)
    results = soup(client.get(f"/orgs/{org_id}/assessments/{aid}/results"))
    row = next(tr for tr in results.select("#gap-table tbody tr") if tr.select_one("form.add-action"))
    form = row.select_one("form.add-action")
    gap = score_assessment(bank.questionnaire("iso10002-2018"), {Q: 1}).gaps[0]
    assert form["action"] == f"/orgs/{org_id}/assessments/{aid}/gaps/{Q}/action"
    assert form.select_one("input[name=what]")["value"] == gap.recommendation

    created = add_action(client, org_id, aid, Q, form.select_one("input[name=what]")["value"])
    action_id = action_id_of(created)
    assert created.headers["Location"] == f"/orgs/{org_id}/actions/{action_id}/edit"
    [row] = actions_of(app, org_id)
    assert (row.id, row.assessment_id, row.questionnaire, row.question_id, row.clause) == (
        action_id,
        aid,
        "iso10002-2018",
        Q,
        gap.clause,
    )
    assert (row.what, row.priority, row.status, row.owner, row.due, row.created_by) == (
        gap.recommendation,
        gap.priority,
        "open",
        "",
        "",
        "admin@example.com",
    )
    results = soup(client.get(f"/orgs/{org_id}/assessments/{aid}/results"))
    assert not results.select("form.add-action")
    assert results.select_one(".plan-cell a")["href"] == f"/orgs/{org_id}/actions/{action_id}/edit"
    assert action_id_of(add_action(client, org_id, aid, Q)) == action_id  # a second click adds nothing
    assert len(actions_of(app, org_id)) == 1

    edit = f"/orgs/{org_id}/actions/{action_id}/edit"
    page = soup(client.get(edit))
    assert page.select_one("#what").text.strip() == gap.recommendation
    data = {"what": "Publish who handles complaints", "owner": "Dana", "due": "2027-01-31", "status": "in progress"}
    assert client.post(edit, data=data).status_code == 302
    [row] = actions_of(app, org_id)
    assert (row.what, row.owner, row.due, row.status) == tuple(data.values())

    assert client.post(edit, data={**data, "status": "done"}).status_code == 302
    assert actions_of(app, org_id)[0].status == "done"
    assert answer_state(app, aid) == before  # closing the action left the answer as it was
    results = soup(client.get(f"/orgs/{org_id}/assessments/{aid}/results"))
    assert [tr.td["data-priority"] for tr in results.select("#gap-table tbody tr")] == [str(gap.priority)]  # a gap
    assert results.select("form.add-action")  # a done action does not block a new one

    delete = f"/orgs/{org_id}/actions/{action_id}/delete"
    assert "Answers stay as they are" in soup(client.get(delete)).text
    assert client.post(delete).status_code == 302
    assert actions_of(app, org_id) == []
    assert client.get(edit).status_code == 404
    assert answer_state(app, aid) == before


@pytest.mark.parametrize(
    "data,field",
    [
        ({"what": "", "status": "open"}, "what"),
        ({"what": "x" * 5001, "status": "open"}, "what"),
        ({"what": "ok", "owner": "o" * 201, "status": "open"}, "owner"),
        ({"what": "ok", "due": "31/01/2027", "status": "open"}, "due"),
        ({"what": "ok", "status": "finished"}, "status"),
    ],
)
def test_edit_refuses_bad_input_next_to_the_field_and_saves_nothing(app, client, gap_site, data, field):
    org_id, aid = gap_site
    action_id = action_id_of(add_action(client, org_id, aid, Q))
    before = actions_of(app, org_id)
    response = client.post(f"/orgs/{org_id}/actions/{action_id}/edit", data=data)
    assert response.status_code == 400
    assert soup(response).select_one(f".has-error #{field}")
    assert actions_of(app, org_id) == before


def test_only_gaps_of_the_assessment_become_actions(app, client, gap_site):
    org_id, aid = gap_site
    answer(client, org_id, aid, OTHER, 4)
    assert add_action(client, org_id, aid, OTHER).status_code == 400  # at target
    assert add_action(client, org_id, aid, "10002-4.3-a").status_code == 400  # unanswered
    assert add_action(client, org_id, aid, "10001-4.2-a").status_code == 404  # another questionnaire's
    assert add_action(client, org_id, aid, Q, "x" * 5001).status_code == 400
    assert actions_of(app, org_id) == []


def test_plan_page_sorts_by_priority_then_due_and_marks_overdue(app, client, gap_site):
    org_id, aid = gap_site
    today = dt.date.today()
    past, soon, later = (today + dt.timedelta(days=d) for d in (-3, 10, 40))
    with app.app_context():
        database = get_db()
        for what, priority, due, status in [
            ("late low", 3, past.isoformat(), "open"),
            ("undated high", 12, "", "open"),
            ("late but done", 12, past.isoformat(), "done"),
            ("later high", 12, later.isoformat(), "in progress"),
            ("soon high", 12, soon.isoformat(), "open"),
        ]:
            action_store.create_action(
                database, org_id, aid, Action("iso10002-2018", Q, "4.2", what, priority, due=due, status=status), "t"
            )
    page = soup(client.get(f"/orgs/{org_id}/actions"))
    rows = page.select("#action-table tbody tr")
    assert [r.select_one("td.what textarea").text for r in rows] == [
        "late but done",
        "soon high",
        "later high",
        "undated high",
        "late low",
    ]
    marked = [r.select_one("td.what textarea").text for r in rows if r.select_one(".tag.overdue")]
    assert marked == ["late low"]
    assert page.select_one(".tag.overdue").text == "Overdue"
    assert "1 overdue" in page.select_one("#plan-summary").text
    assert [r.select_one("td.priority").contents[0].strip() for r in rows] == ["High"] * 4 + ["Low"]

    done = soup(client.get(f"/orgs/{org_id}/actions?status=done"))
    assert [r.select_one("td.what textarea").text for r in done.select("#action-table tbody tr")] == ["late but done"]
    assert client.get(f"/orgs/{org_id}/actions?status=finished").status_code == 400


def test_empty_plan_says_how_to_start(client, site):
    org_id = site.org()
    page = soup(client.get(f"/orgs/{org_id}/actions"))
    assert "Add to action plan" in page.select_one("#no-actions").text
    assert soup(client.get(f"/orgs/{org_id}")).select_one("#action-plan-link").text == "Action plan"


def test_overview_counts_what_is_left_to_do(client, gap_site):
    org_id, aid = gap_site
    add_action(client, org_id, aid, Q)
    assert soup(client.get(f"/orgs/{org_id}")).select_one("#action-plan-link").text == "Action plan (1 to do)"


# --- who may do what ------------------------------------------------------------------------------


def person(app, org_id, role):
    email = f"{role}@example.com"
    user_id = add_user(app, email)
    with app.app_context():
        people.set_membership(get_db(), user_id, org_id, role)
    return log_in(app.test_client(), email)


def test_roles_viewer_reads_member_edits_consultant_deletes(app, client, gap_site):
    org_id, aid = gap_site
    action_id = action_id_of(add_action(client, org_id, aid, Q))
    edit, delete = f"/orgs/{org_id}/actions/{action_id}/edit", f"/orgs/{org_id}/actions/{action_id}/delete"
    data = {"what": "changed", "status": "done"}

    viewer = person(app, org_id, "viewer")
    assert viewer.get(f"/orgs/{org_id}/actions").status_code == 200
    assert not soup(viewer.get(f"/orgs/{org_id}/actions")).select("a[href$='/edit']")
    assert not soup(viewer.get(f"/orgs/{org_id}/assessments/{aid}/results")).select("form.add-action")
    assert viewer.get(edit).status_code == 404
    assert viewer.post(edit, data=data).status_code == 404
    assert add_action(viewer, org_id, aid, OTHER).status_code == 404

    member = person(app, org_id, "member")
    assert member.get(edit).status_code == 200
    assert not soup(member.get(edit)).select(f"a[href='{delete}']")
    assert member.get(delete).status_code == 404
    assert member.post(delete).status_code == 404
    assert member.post(edit, data=data).status_code == 302
    assert actions_of(app, org_id)[0].what == "changed"

    consultant = person(app, org_id, "consultant")
    assert soup(consultant.get(edit)).select(f"a[href='{delete}']")
    assert consultant.post(delete).status_code == 302
    assert actions_of(app, org_id) == []


def test_another_organizations_action_is_404_and_untouched(app, client, gap_site):
    org_id, aid = gap_site
    site = Site(client)
    other = site.org("Other")
    other_aid = site.assessment(other)
    answer(client, other, other_aid, Q, 0)
    foreign = action_id_of(add_action(client, other, other_aid, Q))
    before = actions_of(app, other)
    assert client.get(f"/orgs/{org_id}/actions/{foreign}/edit").status_code == 404
    assert (
        client.post(f"/orgs/{org_id}/actions/{foreign}/edit", data={"what": "x", "status": "done"}).status_code == 404
    )
    assert client.post(f"/orgs/{org_id}/actions/{foreign}/delete").status_code == 404
    assert add_action(client, org_id, other_aid, Q).status_code == 404  # another organization's assessment
    assert actions_of(app, other) == before
    assert actions_of(app, org_id) == []
    assert "Other" not in client.get(f"/orgs/{org_id}/actions").get_data(as_text=True)

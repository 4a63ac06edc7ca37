"""Excel workbooks in the web app: download, upload back unchanged or changed, and refusals that save nothing."""

import io

import openpyxl
import pytest

from assess.core.scoring import score_assessment
from assess.formats.workbook import ACTION_PLAN, ANSWERS
from assess.services import organizations as org_service
from assess.store import actions as action_store
from assess.store import answers as answer_store
from assess.store import people
from assess.web.database import get_db
from tests.conftest import Site, add_user, log_in, soup
from tests.test_views import import_example

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def example(client, bank):
    """The example organization, imported; its ISO 10002 assessment."""
    org_id, org = import_example(client, bank)
    with client.application.app_context():
        row = answer_store.list_assessments(get_db(), org_id)[1]
    return org_id, row


def stored(app, aid):
    with app.app_context():
        database = get_db()
        answers = answer_store.get_answers(database, aid)
        history = database.execute("SELECT count(*) FROM answer_history WHERE assessment_id = ?", [aid]).fetchone()[0]
    return {k: (v.value, v.note, v.evidence, v.reason, v.updated_at, v.updated_by) for k, v in answers.items()}, history


def download(client, org_id, aid):
    response = client.get(f"/orgs/{org_id}/assessments/{aid}/workbook.xlsx")
    assert response.status_code == 200
    return response


def upload(client, org_id, aid, data, name="filled.xlsx"):
    return client.post(
        f"/orgs/{org_id}/assessments/{aid}/workbook",
        data={"file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def edited(data, changes):
    """The workbook with some cells of the Answers sheet changed, e.g. {"E2": "maybe"}."""
    wb = openpyxl.load_workbook(io.BytesIO(data))
    for ref, value in changes.items():
        wb[ANSWERS][ref] = value
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def row_of(data, qid):
    ws = openpyxl.load_workbook(io.BytesIO(data))[ANSWERS]
    return next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == qid)


def test_download_holds_the_answers_with_who_and_when(app, client, example):
    org_id, row = example
    response = download(client, org_id, row.id)
    assert response.content_type == XLSX
    assert response.headers["Content-Disposition"] == 'attachment; filename="iso10002-2018_baseline-2026.xlsx"'
    answers, _ = stored(app, row.id)
    sheet = openpyxl.load_workbook(io.BytesIO(response.data))[ANSWERS]
    who_when = {r[0]: (r[8], r[9]) for r in sheet.iter_rows(min_row=2, values_only=True) if r[4] is not None}
    assert who_when == {qid: (a[5], a[4]) for qid, a in answers.items() if a[0] is not None}
    assert {a[5] for a in answers.values()} == {"admin@example.com"}


def test_download_carries_the_actions_of_that_assessment(app, client, bank, example):
    org_id, row = example
    with app.app_context():
        assessment = org_service.load_assessment(get_db(), row)
    first = next(
        g
        for g in score_assessment(bank.questionnaire(row.questionnaire), assessment.values).gaps
        if g.value != "unknown"
    )
    assert client.post(f"/orgs/{org_id}/assessments/{row.id}/gaps/{first.question}/action", data={}).status_code == 302
    sheet = openpyxl.load_workbook(io.BytesIO(download(client, org_id, row.id).data))[ACTION_PLAN]
    rows = [r for r in sheet.iter_rows(min_row=2, values_only=True) if any(v is not None for v in r)]
    with app.app_context():
        [action] = action_store.list_actions(get_db(), org_id)
    assert rows == [
        (
            first.recommendation,
            first.clause,
            first.question,
            first.priority,
            None,
            None,
            "open",
            action.id,
            action.version,
        )
    ]


def test_uploading_the_download_back_changes_nothing(app, client, example):
    org_id, row = example
    before = stored(app, row.id)
    response = upload(client, org_id, row.id, download(client, org_id, row.id).data)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/orgs/{org_id}/assessments/{row.id}"
    page = soup(client.get(response.headers["Location"]))
    assert "0 answer(s) changed" in page.select(".flash")[-1].text
    assert stored(app, row.id) == before


def test_upload_saves_changed_answers_as_the_uploader(app, client, example):
    org_id, row = example
    data = download(client, org_id, row.id).data
    target = row_of(data, "10002-4.2-a")
    sheet = openpyxl.load_workbook(io.BytesIO(data))[ANSWERS]
    blank = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 5).value is None)
    blank_qid = sheet.cell(blank, 1).value
    changed = edited(data, {f"E{target}": 0, f"G{target}": "checked offline", f"E{blank}": "Don't know"})
    user_id = add_user(app, "member@example.com")
    with app.app_context():
        people.set_membership(get_db(), user_id, org_id, "member")
    member = log_in(app.test_client(), "member@example.com")
    before, history = stored(app, row.id)
    response = upload(member, org_id, row.id, changed)
    assert response.status_code == 302
    assert "2 answer(s) changed" in soup(member.get(response.headers["Location"])).select_one(".flash").text
    after, history_after = stored(app, row.id)
    assert after["10002-4.2-a"][:2] == (0, "checked offline")
    assert after[blank_qid][0] == "unknown"
    assert after["10002-4.2-a"][5] == after[blank_qid][5] == "member@example.com"
    assert {k: v for k, v in after.items() if k not in ("10002-4.2-a", blank_qid)} == {
        k: v for k, v in before.items() if k not in ("10002-4.2-a", blank_qid)
    }
    assert history_after == history + 2


def test_a_bad_cell_refuses_the_whole_workbook(app, client, example):
    org_id, row = example
    data = download(client, org_id, row.id).data
    good, bad = row_of(data, "10002-4.2-a"), row_of(data, "10002-4.3-a")
    before = stored(app, row.id)
    response = upload(client, org_id, row.id, edited(data, {f"E{good}": 0, f"E{bad}": "maybe"}))
    assert response.status_code == 400
    problems = [li.text for li in soup(response).select("#workbook-problems li")]
    assert problems == [f'Answers!E{bad}: level must be 0-4, N/A or Don\'t know, got "maybe"']
    assert stored(app, row.id) == before  # the good row was not imported either


def test_every_bad_cell_is_listed(client, example):
    org_id, row = example
    data = download(client, org_id, row.id).data
    first, second = row_of(data, "10002-4.2-a"), row_of(data, "10002-4.3-a")
    response = upload(client, org_id, row.id, edited(data, {f"E{first}": 7, f"A{second}": "10002-99-z"}))
    assert response.status_code == 400
    text = soup(response).select_one("#workbook-problems").text
    assert f"Answers!E{first}" in text and f"Answers!A{second}" in text


def test_a_workbook_of_another_questionnaire_or_round_is_refused(app, client, example):
    org_id, row = example
    with app.app_context():
        rows = answer_store.list_assessments(get_db(), org_id)
    other = download(client, org_id, rows[0].id).data  # ISO 10001
    response = upload(client, org_id, row.id, other)
    assert response.status_code == 400
    assert "This workbook is of ISO 10001:2018" in soup(response).select_one("#workbook-problems").text
    before_renaming = download(client, org_id, row.id).data
    renamed = client.post(f"/orgs/{org_id}/assessments/{row.id}/edit", data={"title": "Renamed", "target": "3"})
    assert renamed.status_code == 302
    response = upload(client, org_id, row.id, before_renaming)
    assert response.status_code == 400
    assert "“Baseline 2026”, not “Renamed”" in soup(response).select_one("#workbook-problems").text


@pytest.mark.parametrize("content", [b"not a workbook", b"", b"PK\x03\x04broken zip"])
def test_garbage_is_refused_with_a_message(client, example, content):
    org_id, row = example
    response = upload(client, org_id, row.id, content)
    assert response.status_code == 400
    assert soup(response).select_one(".error, .error-summary").text.strip()


def test_upload_without_a_file_is_400(client, example):
    org_id, row = example
    response = client.post(f"/orgs/{org_id}/assessments/{row.id}/workbook", data={}, content_type="multipart/form-data")
    assert response.status_code == 400
    assert "Choose a workbook" in soup(response).select_one(".error").text


def test_hub_and_results_offer_the_workbook_to_members_only(app, client, example):
    org_id, row = example
    hub = soup(client.get(f"/orgs/{org_id}/assessments/{row.id}"))
    assert hub.select_one("#workbook-download")["href"] == f"/orgs/{org_id}/assessments/{row.id}/workbook.xlsx"
    assert hub.select_one("#workbook-upload")["href"] == f"/orgs/{org_id}/assessments/{row.id}/workbook"
    user_id = add_user(app, "viewer@example.com")
    with app.app_context():
        people.set_membership(get_db(), user_id, org_id, "viewer")
    viewer = log_in(app.test_client(), "viewer@example.com")
    results = soup(viewer.get(f"/orgs/{org_id}/assessments/{row.id}/results"))
    assert not results.select("a[href$='workbook.xlsx']")
    assert viewer.get(f"/orgs/{org_id}/assessments/{row.id}/workbook.xlsx").status_code == 404
    assert upload(viewer, org_id, row.id, b"x").status_code == 404


def test_workbook_of_another_organization_is_404(client, example):
    org_id, row = example
    mine = Site(client).org("Mine")
    assert client.get(f"/orgs/{mine}/assessments/{row.id}/workbook.xlsx").status_code == 404
    assert client.get(f"/orgs/{mine}/assessments/{row.id}/workbook").status_code == 404


# --- a workbook against changes made in the app meanwhile ---------------------------------------


def levels_apart(client, aid, question):
    """Return a level for the app and another for the workbook, both different from the stored one."""
    with client.application.app_context():
        value = answer_store.get_answers(get_db(), aid)[question].value
    start = value if isinstance(value, int) else 0
    return (start + 1) % 5, (start + 2) % 5


def test_an_old_unchanged_workbook_never_reverts_newer_answers(client, example):
    org_id, row = example
    data = download(client, org_id, row.id).data
    question = "10002-4.2-a"
    in_app = levels_apart(client, row.id, question)[0]
    client.post(f"/orgs/{org_id}/assessments/{row.id}/answers/{question}", data={f"value:{question}": str(in_app)})
    response = upload(client, org_id, row.id, data)
    assert response.status_code == 302
    with client.application.app_context():
        assert answer_store.get_answers(get_db(), row.id)[question].value == in_app


def test_a_workbook_conflict_imports_nothing_and_lists_it_by_cell_until_settled(client, example):
    org_id, row = example
    data = download(client, org_id, row.id).data
    question, other = "10002-4.2-a", "10002-4.2-b"
    in_app, in_workbook = levels_apart(client, row.id, question)
    other_level = levels_apart(client, row.id, other)[0]
    line = row_of(data, question)
    changed = edited(data, {f"E{line}": in_workbook, f"E{row_of(data, other)}": other_level})
    client.post(f"/orgs/{org_id}/assessments/{row.id}/answers/{question}", data={f"value:{question}": str(in_app)})
    before, history = stored(client.application, row.id)
    response = upload(client, org_id, row.id, changed)
    assert response.status_code == 409
    page = soup(response)
    box = page.find(id=f"conflict-{question}")
    assert f"Answers!E{line}" in box.text and "admin@example.com changed it" in box.text
    assert stored(client.application, row.id) == (before, history)  # nothing imported, not even the other row
    token = page.find("input", attrs={"name": "upload"})["value"]
    settle = f"/orgs/{org_id}/assessments/{row.id}/workbook/settle"
    unchosen = client.post(settle, data={"upload": token})
    assert unchosen.status_code == 409 and "not chosen yet" in unchosen.get_data(as_text=True)
    token = soup(unchosen).find("input", attrs={"name": "upload"})["value"]
    done = client.post(settle, data={"upload": token, f"resolve:{question}": "mine"})
    assert done.status_code == 302
    with client.application.app_context():
        answers = answer_store.get_answers(get_db(), row.id)
    assert (answers[question].value, answers[other].value) == (in_workbook, other_level)
    assert client.post(settle, data={"upload": token, f"resolve:{question}": "mine"}).status_code == 404  # used up


def test_keeping_the_apps_version_imports_the_rest_of_the_workbook(client, example):
    org_id, row = example
    data = download(client, org_id, row.id).data
    question, other = "10002-4.2-a", "10002-4.2-b"
    in_app, in_workbook = levels_apart(client, row.id, question)
    other_level = levels_apart(client, row.id, other)[0]
    changed = edited(data, {f"E{row_of(data, question)}": in_workbook, f"E{row_of(data, other)}": other_level})
    client.post(f"/orgs/{org_id}/assessments/{row.id}/answers/{question}", data={f"value:{question}": str(in_app)})
    token = soup(upload(client, org_id, row.id, changed)).find("input", attrs={"name": "upload"})["value"]
    settle = f"/orgs/{org_id}/assessments/{row.id}/workbook/settle"
    assert client.post(settle, data={"upload": token, f"resolve:{question}": "theirs"}).status_code == 302
    with client.application.app_context():
        answers = answer_store.get_answers(get_db(), row.id)
    assert (answers[question].value, answers[other].value) == (in_app, other_level)


def test_a_waiting_upload_belongs_to_its_uploader_only(app, client, example):
    org_id, row = example
    data = download(client, org_id, row.id).data
    question = "10002-4.2-a"
    in_app, in_workbook = levels_apart(client, row.id, question)
    changed = edited(data, {f"E{row_of(data, question)}": in_workbook})
    client.post(f"/orgs/{org_id}/assessments/{row.id}/answers/{question}", data={f"value:{question}": str(in_app)})
    token = soup(upload(client, org_id, row.id, changed)).find("input", attrs={"name": "upload"})["value"]
    user_id = add_user(app, "colleague@example.com")
    with app.app_context():
        people.set_membership(get_db(), user_id, org_id, "member")
    colleague = log_in(app.test_client(), "colleague@example.com")
    settle = f"/orgs/{org_id}/assessments/{row.id}/workbook/settle"
    assert colleague.post(settle, data={"upload": token, f"resolve:{question}": "mine"}).status_code == 404


def test_a_workbook_row_of_a_retired_question_with_a_level_is_named_with_where_its_answer_goes(client, example):
    org_id, row = example
    data = download(client, org_id, row.id).data
    wb = openpyxl.load_workbook(io.BytesIO(data))
    last = wb[ANSWERS].max_row + 1
    wb[ANSWERS][f"A{last}"] = "10002-4.3-b"
    wb[ANSWERS][f"E{last}"] = 2
    buffer = io.BytesIO()
    wb.save(buffer)
    response = upload(client, org_id, row.id, buffer.getvalue())
    assert response.status_code == 400
    assert "question 10002-4.3-b was retired" in response.get_data(as_text=True)
    assert "now belongs to 10002-7.3-c" in response.get_data(as_text=True)

"""The workbook's Action plan sheet imports back like the answers: every cell checked, the whole
workbook refused with each bad cell named, never over a change made in the app since the download."""

from __future__ import annotations

import datetime as dt
import functools
import io

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assess.core.answers import values_of
from assess.core.findings import real_gaps
from assess.core.scoring import score_assessment
from assess.formats.workbook import ACTION_COLUMNS, ACTION_PLAN, ANSWERS
from assess.store import actions as action_store
from assess.store import answers as answer_store
from assess.web.database import get_db
from tests.conftest import soup
from tests.test_views import import_example
from tests.test_workbook_views import download, stored, upload

COLUMN = {c.key: openpyxl.utils.get_column_letter(i) for i, c in enumerate(ACTION_COLUMNS, start=1)}


@pytest.fixture
def planned(app, client, bank):
    """The example's ISO 10002 assessment with its two highest gaps in the action plan."""
    org_id, _ = import_example(client, bank)
    with app.app_context():
        row = next(a for a in answer_store.list_assessments(get_db(), org_id) if a.questionnaire == "iso10002-2018")
        values = values_of(answer_store.get_answers(get_db(), row.id))
    gaps = real_gaps(score_assessment(bank.questionnaire("iso10002-2018"), values, row.target))
    for gap in gaps[:2]:
        assert client.post(f"/orgs/{org_id}/assessments/{row.id}/gaps/{gap.question}/action").status_code == 302
    return org_id, row, gaps, values


def plan(app, org_id):
    with app.app_context():
        return {a.question_id: a for a in action_store.list_actions(get_db(), org_id)}


def sheet_edit(data, cells, answers=None):
    wb = openpyxl.load_workbook(io.BytesIO(data))
    for ref, value in cells.items():
        wb[ACTION_PLAN][ref] = value
    for ref, value in (answers or {}).items():
        wb[ANSWERS][ref] = value
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def row_of(data, question):
    sheet = openpyxl.load_workbook(io.BytesIO(data))[ACTION_PLAN]
    return next(r[0].row for r in sheet.iter_rows(min_row=2) if r[2].value == question)


def test_changes_and_new_rows_of_the_sheet_reach_the_action_plan(app, client, planned):
    org_id, row, gaps, _ = planned
    data = download(client, org_id, row.id).data
    first = row_of(data, gaps[0].question)
    new = 10
    filled = sheet_edit(
        data,
        {
            f"{COLUMN['owner']}{first}": "Dana Lee",
            f"{COLUMN['due']}{first}": "2027-03-31",
            f"{COLUMN['status']}{first}": "In progress",
            f"{COLUMN['question']}{new}": gaps[2].question,
            f"{COLUMN['owner']}{new}": "Sam",
        },
    )
    response = upload(client, org_id, row.id, filled)
    assert response.status_code == 302
    flash = soup(client.get(response.headers["Location"])).select(".flash")[-1].text
    assert "0 answer(s) changed" in flash and "1 action(s) changed, 1 added to the action plan" in flash
    actions = plan(app, org_id)
    assert (actions[gaps[0].question].owner, actions[gaps[0].question].due, actions[gaps[0].question].status) == (
        "Dana Lee",
        "2027-03-31",
        "in progress",
    )
    added = actions[gaps[2].question]
    assert (added.owner, added.what, added.priority, added.assessment_id) == (
        "Sam",
        gaps[2].recommendation,
        gaps[2].priority,
        row.id,
    )
    before = plan(app, org_id)
    assert upload(client, org_id, row.id, download(client, org_id, row.id).data).status_code == 302
    assert plan(app, org_id) == before  # the download uploaded back changes nothing


def test_bad_cells_of_the_sheet_refuse_the_whole_workbook_each_named(app, client, bank, planned):
    org_id, row, gaps, values = planned
    data = download(client, org_id, row.id).data
    first, second = row_of(data, gaps[0].question), row_of(data, gaps[1].question)
    at_target = next(q.id for q in bank.questionnaire("iso10002-2018").questions if values.get(q.id) == 4)
    answers_before, actions_before = stored(app, row.id), plan(app, org_id)
    filled = sheet_edit(
        data,
        {
            f"{COLUMN['due']}{first}": "soon",
            f"{COLUMN['status']}{second}": "finished",
            f"{COLUMN['question']}10": "10002-99-z",
            f"{COLUMN['question']}11": at_target,
            f"{COLUMN['question']}12": gaps[1].question,
            f"{COLUMN['id']}13": 99999,
            f"{COLUMN['question']}13": gaps[3].question,
        },
        answers={"G2": "a note that must not be saved either"},
    )
    response = upload(client, org_id, row.id, filled)
    assert response.status_code == 400
    problems = [li.text for li in soup(response).select("#workbook-problems li")]
    assert (
        f'{ACTION_PLAN}!{COLUMN["due"]}{first}: due date must be a date (YYYY-MM-DD) or blank, got "soon"' in problems
    )
    assert f'{ACTION_PLAN}!{COLUMN["status"]}{second}: status must be open, in progress or done, got "finished"' in (
        problems
    )
    assert f'{ACTION_PLAN}!{COLUMN["question"]}10: question id "10002-99-z" is not in iso10002-2018' in problems
    assert stored(app, row.id) == answers_before and plan(app, org_id) == actions_before
    # the cells that are fine on their own are checked against the plan once the others are right
    filled = sheet_edit(
        data,
        {
            f"{COLUMN['question']}11": at_target,
            f"{COLUMN['question']}12": gaps[1].question,
            f"{COLUMN['id']}13": 99999,
            f"{COLUMN['question']}13": gaps[3].question,
            f"{COLUMN['what']}13": "Do it",
        },
    )
    problems = [li.text for li in soup(upload(client, org_id, row.id, filled)).select("#workbook-problems li")]
    assert [p.split(":")[0] for p in problems] == [
        f"{ACTION_PLAN}!{COLUMN['question']}11",
        f"{ACTION_PLAN}!{COLUMN['question']}12",
        f"{ACTION_PLAN}!{COLUMN['id']}13",
    ]
    assert "is not a gap of this assessment" in problems[0]
    assert "is in the action plan already" in problems[1]
    assert "is not an action of this assessment's plan" in problems[2]
    assert stored(app, row.id) == answers_before and plan(app, org_id) == actions_before


def test_a_change_made_in_the_app_since_the_download_is_not_overwritten(app, client, planned):
    org_id, row, gaps, _ = planned
    data = download(client, org_id, row.id).data
    first = row_of(data, gaps[0].question)
    action = plan(app, org_id)[gaps[0].question]
    with app.app_context():
        action_store.update_action(get_db(), action.id, what=action.what, owner="Lee", due="", status="open")
    response = upload(client, org_id, row.id, sheet_edit(data, {f"{COLUMN['owner']}{first}": "Dana"}))
    assert response.status_code == 400
    [problem] = [li.text for li in soup(response).select("#workbook-problems li")]
    assert problem.startswith(f"{ACTION_PLAN}!{COLUMN['id']}{first}: action {action.id} was changed in the app")
    assert 'owner "Lee"' in problem
    assert plan(app, org_id)[gaps[0].question].owner == "Lee"


def test_an_answer_in_the_same_workbook_can_make_the_gap_its_new_row_plans(app, client, bank, planned):
    org_id, row, gaps, values = planned
    data = download(client, org_id, row.id).data
    questions = bank.questionnaire("iso10002-2018").questions
    index, question = next((i, q) for i, q in enumerate(questions) if values.get(q.id) == 4 and not q.show_if)
    level_cell = f"E{index + 2}"
    assert openpyxl.load_workbook(io.BytesIO(data))[ANSWERS][f"A{index + 2}"].value == question.id
    filled = sheet_edit(data, {f"{COLUMN['question']}10": question.id}, answers={level_cell: 1})
    assert upload(client, org_id, row.id, filled).status_code == 302
    assert plan(app, org_id)[question.id].what == question.recommendation


def test_a_workbook_from_before_the_plan_was_read_back_still_imports_its_answers(app, client, planned):
    org_id, row, gaps, _ = planned
    wb = openpyxl.load_workbook(io.BytesIO(download(client, org_id, row.id).data))
    sheet = wb[ACTION_PLAN]
    sheet.delete_cols(len(ACTION_COLUMNS) - 1, 2)  # the older layout had no Action ID and Version
    sheet["E2"] = "Someone"
    wb[ANSWERS]["G2"] = "a new note"
    buffer = io.BytesIO()
    wb.save(buffer)
    before = plan(app, org_id)
    response = upload(client, org_id, row.id, buffer.getvalue())
    assert response.status_code == 302
    assert (
        "Action plan sheet is from an older download and was not read"
        in soup(client.get(response.headers["Location"])).select(".flash")[-1].text
    )
    assert plan(app, org_id) == before


CELL_VALUES = st.one_of(
    st.none(),
    st.text(st.characters(exclude_categories=("Cc", "Cs")), max_size=30),  # what a spreadsheet cell can hold
    st.sampled_from(["", " ", "open", "DONE", "in  progress", "2027-02-30", "20270131", "²", "٣", "=1+1", "x" * 6000]),
    st.integers(-5, 10**13),
    st.floats(allow_nan=True, allow_infinity=True),
    st.dates(min_value=dt.date(1900, 1, 1)).map(lambda d: dt.datetime(d.year, d.month, d.day)),
    st.booleans(),
)


@functools.cache
def example_workbook():
    from assess.formats.example import example_organization
    from assess.formats.questionnaires import load_bank
    from assess.formats.workbook import assessment_workbook

    bank = load_bank()
    questionnaire = bank.questionnaire("iso10002-2018")
    assessment = example_organization(bank, "iso10002-2018").assessments[0]
    gaps = {g.question: g for g in real_gaps(score_assessment(questionnaire, assessment.values))}
    return questionnaire, gaps, assessment_workbook(questionnaire, assessment, org_name="Acme")


@settings(max_examples=60, deadline=None)
@given(cells=st.lists(st.tuples(st.integers(2, 4), st.sampled_from(list(COLUMN.values())), CELL_VALUES), max_size=8))
def test_any_cells_in_the_sheet_are_read_or_refused_with_their_cell_never_a_crash(cells):
    from assess.formats.workbook import WorkbookError
    from assess.formats.workbook_actions import action_sheet_changes, read_action_sheet

    questionnaire, gaps, data = example_workbook()
    wb = openpyxl.load_workbook(io.BytesIO(data))
    for row, column, value in cells:
        wb[ACTION_PLAN][f"{column}{row}"] = value
    buffer = io.BytesIO()
    wb.save(buffer)
    try:
        rows = read_action_sheet(buffer.getvalue(), questionnaire)
        assert rows is not None
        action_sheet_changes(rows, questionnaire.id, {}, gaps, frozenset())
    except WorkbookError as exc:
        assert exc.problems and all(p.startswith(f"{ACTION_PLAN}!") for p in exc.problems)


def test_the_command_line_reads_the_action_plan_sheet_of_an_exchange_file_too(bank, tmp_path):
    from dataclasses import replace

    from click.testing import CliRunner

    from assess.cli import main
    from assess.core.actions import action_from_gap
    from assess.formats.example import example_organization
    from assess.formats.exchange import dump_exchange, parse_exchange

    org = example_organization(bank, "iso10002-2018")
    questionnaire = bank.questionnaire("iso10002-2018")
    gaps = real_gaps(score_assessment(questionnaire, org.assessments[0].values))
    org = replace(org, actions=(action_from_gap(gaps[0], questionnaire.id, assessment=0),))
    source = tmp_path / "org.json"
    source.write_text(dump_exchange(org), encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(main, ["xlsx", "export", str(source), "--out", str(tmp_path)]).exit_code == 0
    book = tmp_path / "iso10002-2018_baseline-2026.xlsx"
    wb = openpyxl.load_workbook(book)
    assert wb[ACTION_PLAN][f"{COLUMN['id']}2"].value == 1
    wb[ACTION_PLAN][f"{COLUMN['owner']}2"] = "Dana"
    wb[ACTION_PLAN][f"{COLUMN['question']}3"] = gaps[1].question
    wb[ACTION_PLAN][f"{COLUMN['due']}4"] = "later"
    wb.save(book)
    refused = runner.invoke(main, ["xlsx", "import", str(book), str(source)])
    assert refused.exit_code != 0 and f"{ACTION_PLAN}!{COLUMN['due']}4" in refused.output
    assert parse_exchange(source.read_text(encoding="utf-8"), bank) == org  # refused whole: the file is untouched
    wb[ACTION_PLAN][f"{COLUMN['due']}4"] = None
    wb.save(book)
    result = runner.invoke(main, ["xlsx", "import", str(book), str(source)])
    assert result.exit_code == 0, result.output
    assert result.output.rstrip().endswith("1 action(s) changed, 1 added")
    after = parse_exchange(source.read_text(encoding="utf-8"), bank)
    assert [(a.question, a.owner, a.assessment) for a in after.actions] == [
        (gaps[0].question, "Dana", 0),
        (gaps[1].question, "", 0),
    ]


def test_a_number_past_the_last_date_in_a_date_cell_is_refused_by_its_cell():
    """The case hypothesis found: a cell that once held a date keeps its format, and a number Excel
    cannot show as a date (past 9999) made the whole workbook "damaged"."""
    from assess.formats.workbook import WorkbookError
    from assess.formats.workbook_actions import read_action_sheet

    questionnaire, _, data = example_workbook()
    wb = openpyxl.load_workbook(io.BytesIO(data))
    wb[ACTION_PLAN]["E4"] = dt.datetime(2000, 1, 1)
    wb[ACTION_PLAN]["E4"] = 2958466.0
    buffer = io.BytesIO()
    wb.save(buffer)
    with pytest.raises(WorkbookError) as refused:
        read_action_sheet(buffer.getvalue(), questionnaire)
    (problem,) = refused.value.problems
    assert problem.startswith(f"{ACTION_PLAN}!E4: ") and "#VALUE!" in problem


def test_the_command_line_counts_a_gap_answered_in_a_twin_question_as_the_web_app_does(bank, tmp_path):
    """10002-7.9-b is answered once, as 10001-5.3-b in the code-of-conduct round: a gap in both."""
    from click.testing import CliRunner

    from assess.cli import main
    from assess.core.answers import Answer, Assessment, Organization
    from assess.formats.exchange import dump_exchange, parse_exchange

    org = Organization(
        "Twin Ltd",
        assessments=(
            Assessment("iso10001-2018", "Code 2026", 3, {"10001-5.3-b": Answer(1)}),
            Assessment("iso10002-2018", "Complaints 2026", 3, {}),
        ),
    )
    source = tmp_path / "org.json"
    source.write_text(dump_exchange(org), encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(main, ["xlsx", "export", str(source), "--out", str(tmp_path)]).exit_code == 0
    book = tmp_path / "iso10002-2018_complaints-2026.xlsx"
    wb = openpyxl.load_workbook(book)
    wb[ACTION_PLAN][f"{COLUMN['question']}2"] = "10002-7.9-b"
    wb[ACTION_PLAN][f"{COLUMN['what']}2"] = "Say in the final letter where to go next"
    wb.save(book)
    result = runner.invoke(main, ["xlsx", "import", str(book), str(source)])
    assert result.exit_code == 0, result.output
    assert [a.question for a in parse_exchange(source.read_text(encoding="utf-8"), bank).actions] == ["10002-7.9-b"]

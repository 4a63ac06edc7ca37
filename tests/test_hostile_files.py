"""Hostile and absurd workbooks are refused within the issue's bounds (800 MB, 15 s), naming the limit.

Each hostile file is read in a child process limited by the kernel (RLIMIT_AS, RLIMIT_CPU): a file
that got past the guard would kill the child, and the test would say so. What a refusal costs is
printed by bench/hostile_files.py.
"""

import io
import zipfile

import pytest

from assess.core.problems import MAX_LISTED
from assess.formats.limits import DAMAGED, MAX_UNPACKED_BYTES, MAX_WORKBOOK_BYTES
from assess.formats.workbook import WorkbookError, read_answers_workbook, read_workbook_about
from assess.store import answers as answer_store
from assess.web.database import get_db
from tests.conftest import Site
from tests.hostile import (
    HOSTILE,
    QUESTIONNAIRE,
    cell_bomb,
    chart_sheet,
    exported_workbook,
    forged_dimension,
    read_in_child,
)
from tests.test_fuzz import multipart
from tests.test_spreadsheet import blank_workbook, filled

EXPECTED = {
    "cell bomb (56 million cells)": "the workbook would unpack to 801.2 MB; at most 50.0 MB is accepted",
    "cell bomb, zip sizes forged": f"{DAMAGED} (its part xl/worksheets/sheet1.xml does not unpack)",
    "a million bad rows": "the Answers sheet has more than 10,000 rows",
    "11 million empty cells": "the Answers sheet holds more than 200,000 cells",
    "2.8 million shared strings": "the workbook holds more than 3,000,000 XML elements",
    "entity expansion": "xl/sharedStrings.xml declares a DTD",
}


def test_every_hostile_file_has_an_expected_refusal():
    assert set(EXPECTED) == set(HOSTILE)


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_workbook_is_refused_within_memory_and_cpu_limits(name):
    data = HOSTILE[name]()
    assert len(data) <= MAX_WORKBOOK_BYTES  # small enough to upload: the limits, not the upload size, refuse it
    outcome = read_in_child(data)
    assert "died" not in outcome, outcome
    assert outcome["refused"] is not None, "accepted"
    assert len(outcome["refused"]) == 1
    assert outcome["refused"][0].startswith(EXPECTED[name]), outcome["refused"]


def test_the_bomb_is_what_the_issue_describes():
    data = cell_bomb()
    sheet = zipfile.ZipFile(io.BytesIO(data)).getinfo("xl/worksheets/sheet1.xml")
    assert len(data) < 2 * 2**20
    assert sheet.file_size > 16 * MAX_UNPACKED_BYTES  # 56 million <c> elements


def test_about_and_answers_as_chart_sheets_are_refused_clearly(bank):
    questionnaire = bank.questionnaire(QUESTIONNAIRE)
    for name in ("About", "Answers"):
        data = chart_sheet(name)
        with pytest.raises(WorkbookError) as info:
            read_answers_workbook(data, questionnaire)
        assert info.value.problems == [
            f"{name}: is a chart sheet, not a sheet of cells; upload the workbook as it was downloaded"
        ]
    with pytest.raises(WorkbookError):
        read_workbook_about(chart_sheet("About"))


def test_a_forged_sheet_size_adds_no_rows(bank):
    assert read_answers_workbook(forged_dimension(), bank.questionnaire(QUESTIONNAIRE)) == {}


def test_an_exported_workbook_is_well_within_every_limit(bank):
    infos = zipfile.ZipFile(io.BytesIO(exported_workbook())).infolist()
    assert sum(i.file_size for i in infos) < MAX_UNPACKED_BYTES / 100


def test_at_most_fifty_problems_are_listed_with_a_count_of_the_rest(bank):
    questionnaire = bank.questionnaire(QUESTIONNAIRE)
    rows = len(questionnaire.questions)
    data = filled(bank, {f"E{row}": "maybe" for row in range(2, rows + 2)})
    with pytest.raises(WorkbookError) as info:
        read_answers_workbook(data, questionnaire)
    problems = info.value.problems
    assert len(problems) == MAX_LISTED + 1
    assert problems[0].startswith('Answers!E2: level must be 0-4, N/A or Don\'t know, got "maybe"')
    assert problems[-1] == f"... and {rows - MAX_LISTED} more problems not listed here: fix these first, then try again"


@pytest.mark.parametrize("text", ["bidi \u202e override", "isolate \u2066 start", "next line \x85 (C1)", "\ufdd0"])
def test_control_and_direction_characters_in_cells_are_refused(bank, text):
    # (XML cannot hold the C0 controls at all: such a part is refused as not well-formed)
    with pytest.raises(WorkbookError) as info:
        read_answers_workbook(filled(bank, {"E2": 2, "G2": text}), bank.questionnaire(QUESTIONNAIRE))
    [problem] = info.value.problems
    assert problem.startswith("Answers!G2: contains a"), problem


def test_upload_of_the_bomb_is_a_clear_400_that_changes_nothing(client, app):
    site = Site(client)
    org = site.org()
    assessment = site.assessment(org)
    # a body built by hand: the test client would spool a large one to a file it never closes
    body = multipart([], b"bomb", {b"bomb.xlsx": cell_bomb()})
    response = client.post(
        f"/orgs/{org}/assessments/{assessment}/workbook",
        data=body,
        content_type="multipart/form-data; boundary=bomb",
    )
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert "the workbook would unpack to 801.2 MB; at most 50.0 MB is accepted" in body
    assert len(body) < 50_000
    with app.app_context():
        assert answer_store.get_answers(get_db(), assessment) == {}


def test_blank_workbook_still_reads(bank):
    assert read_answers_workbook(blank_workbook(bank), bank.questionnaire(QUESTIONNAIRE)) == {}


def test_the_command_line_refuses_the_bomb_and_leaves_the_file_untouched(tmp_path, bank):
    from click.testing import CliRunner

    from assess.cli import main
    from assess.formats.example import example_organization
    from assess.formats.exchange import dump_exchange

    exchange = tmp_path / "acme.json"
    exchange.write_text(dump_exchange(example_organization(bank)), encoding="utf-8")
    before = exchange.read_bytes()
    bomb = tmp_path / "bomb.xlsx"
    bomb.write_bytes(cell_bomb())
    result = CliRunner().invoke(main, ["xlsx", "import", str(bomb), str(exchange), "--assessment", "1"])
    assert result.exit_code == 1
    assert "refused, nothing was imported" in result.output
    assert "the workbook would unpack to 801.2 MB" in result.output
    assert exchange.read_bytes() == before
    huge = tmp_path / "huge.xlsx"
    huge.write_bytes(b"PK" + b"\0" * MAX_WORKBOOK_BYTES)
    result = CliRunner().invoke(main, ["xlsx", "import", str(huge), str(exchange)])
    assert result.exit_code == 1 and "a workbook may be at most 2 MB" in result.output

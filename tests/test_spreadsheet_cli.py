"""`assess xlsx export` and `assess xlsx import` on exchange files."""

import io
from dataclasses import replace

import openpyxl
import pytest
from click.testing import CliRunner

from assess.cli import main
from assess.cli.workbooks import xlsx
from assess.core.answers import Answer, Assessment
from assess.formats.example import example_organization
from assess.formats.exchange import dump_exchange, parse_exchange
from assess.formats.workbook import ANSWERS, read_answers_workbook

if "xlsx" not in main.commands:  # until assess/cli.py registers the group
    main.add_command(xlsx)

NAMES = ["iso10001-2018_baseline-2026.xlsx", "iso10002-2018_baseline-2026.xlsx", "iso10003-2018_baseline-2026.xlsx"]


@pytest.fixture
def runner():
    return CliRunner()


@pytest.fixture
def exchange_file(tmp_path, bank):
    path = tmp_path / "acme.json"
    path.write_text(dump_exchange(example_organization(bank)), encoding="utf-8")
    return path


def export(runner, source, out):
    result = runner.invoke(main, ["xlsx", "export", str(source), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return result


def test_export_writes_one_workbook_per_assessment(runner, bank, exchange_file, tmp_path):
    out = tmp_path / "books"
    result = export(runner, exchange_file, out)
    assert result.stdout.splitlines() == [str(out / name) for name in NAMES]
    org = example_organization(bank)
    for name, assessment in zip(NAMES, org.assessments, strict=True):
        questionnaire = bank.questionnaire(assessment.questionnaire)
        assert read_answers_workbook((out / name).read_bytes(), questionnaire) == dict(assessment.answers)


def test_export_numbers_file_names_that_would_clash(runner, bank, tmp_path):
    org = example_organization(bank, "iso10002-2018")
    twice = replace(org, assessments=org.assessments * 2)
    source = tmp_path / "twice.json"
    source.write_text(dump_exchange(twice), encoding="utf-8")
    result = export(runner, source, tmp_path)
    assert [line.rsplit("/", 1)[-1] for line in result.stdout.splitlines()] == [
        "iso10002-2018_baseline-2026.xlsx",
        "iso10002-2018_baseline-2026-2.xlsx",
    ]


def test_export_rejects_a_bad_exchange_file(runner, tmp_path):
    source = tmp_path / "bad.json"
    source.write_text("{", encoding="utf-8")
    result = runner.invoke(main, ["xlsx", "export", str(source), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "not valid JSON" in result.stderr
    assert not (tmp_path / "out").exists()


def fill(path, cells):
    wb = openpyxl.load_workbook(path)
    for ref, value in cells.items():
        wb[ANSWERS][ref] = value
    out = io.BytesIO()
    wb.save(out)
    path.write_bytes(out.getvalue())


def test_import_puts_the_workbook_answers_into_the_matching_assessment(runner, bank, exchange_file, tmp_path):
    export(runner, exchange_file, tmp_path)
    book = tmp_path / NAMES[1]
    fill(book, {"E2": 4, "G2": "now reviewed yearly 🚰", "E3": "Don't know"})
    result = runner.invoke(main, ["xlsx", "import", str(book), str(exchange_file)])
    assert result.exit_code == 0, result.output
    where = f"into assessments[1] (iso10002-2018 'Baseline 2026') of {exchange_file}"
    assert result.stdout == f"imported 136 answer(s), 2 changed, {where}; 0 action(s) changed, 0 added\n"
    before = example_organization(bank)
    after = parse_exchange(exchange_file.read_text(encoding="utf-8"), bank)
    old = before.assessments[1].answers
    first, second = (q.id for q in bank.questionnaire("iso10002-2018").questions[:2])
    expected = {
        **old,
        first: replace(old[first], value=4, note="now reviewed yearly 🚰"),
        second: replace(old[second], value="unknown"),
    }
    assert after.assessments[1].answers == expected
    assert (after.assessments[0], after.assessments[2]) == (before.assessments[0], before.assessments[2])
    assert (after.name, after.profile) == (before.name, before.profile)


def test_blank_workbook_rows_keep_the_answers_in_the_file(runner, bank, exchange_file, tmp_path):
    blank = replace(example_organization(bank), assessments=(Assessment("iso10002-2018", "Baseline 2026"),))
    source = tmp_path / "blank.json"
    source.write_text(dump_exchange(blank), encoding="utf-8")
    export(runner, source, tmp_path / "blank")
    book = tmp_path / "blank" / NAMES[1]
    fill(book, {"E2": 1})
    before = exchange_file.read_text(encoding="utf-8")
    result = runner.invoke(main, ["xlsx", "import", str(book), str(exchange_file), "--assessment", "1"])
    assert result.exit_code == 0, result.output
    after = parse_exchange(exchange_file.read_text(encoding="utf-8"), bank)
    first = bank.questionnaire("iso10002-2018").questions[0].id
    assert after.assessments[1].answers == {**parse_exchange(before, bank).assessments[1].answers, first: Answer(1)}


def test_refused_workbook_leaves_the_file_untouched(runner, exchange_file, tmp_path):
    export(runner, exchange_file, tmp_path)
    book = tmp_path / NAMES[1]
    fill(book, {"E14": "maybe", "E2": 4})
    before = exchange_file.read_bytes()
    result = runner.invoke(main, ["xlsx", "import", str(book), str(exchange_file)])
    assert result.exit_code == 1
    assert result.stderr == (
        f'{book}: refused, nothing was imported:\nAnswers!E14: level must be 0-4, N/A or Don\'t know, got "maybe"\n'
    )
    assert exchange_file.read_bytes() == before


def test_file_that_is_not_a_workbook_is_refused(runner, exchange_file, tmp_path):
    fake = tmp_path / "fake.xlsx"
    fake.write_text("hello", encoding="utf-8")
    before = exchange_file.read_bytes()
    result = runner.invoke(main, ["xlsx", "import", str(fake), str(exchange_file)])
    assert result.exit_code == 1
    assert "not an Excel workbook (.xlsx)" in result.stderr
    assert exchange_file.read_bytes() == before


def test_import_without_a_matching_assessment_asks_for_one(runner, bank, exchange_file, tmp_path):
    export(runner, exchange_file, tmp_path)
    other = example_organization(bank)
    renamed = replace(other, assessments=tuple(replace(a, title="Follow-up 2027") for a in other.assessments))
    exchange_file.write_text(dump_exchange(renamed), encoding="utf-8")
    before = exchange_file.read_bytes()
    result = runner.invoke(main, ["xlsx", "import", str(tmp_path / NAMES[1]), str(exchange_file)])
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "no assessment of iso10002-2018 titled 'Baseline 2026' in the file; choose one with --assessment N "
        "(assessments: 0: iso10001-2018 'Follow-up 2027'; "
    )
    assert exchange_file.read_bytes() == before
    chosen = runner.invoke(main, ["xlsx", "import", str(tmp_path / NAMES[1]), str(exchange_file), "--assessment", "1"])
    assert chosen.exit_code == 0, chosen.output


def test_assessment_of_another_questionnaire_is_refused(runner, exchange_file, tmp_path):
    export(runner, exchange_file, tmp_path)
    before = exchange_file.read_bytes()
    result = runner.invoke(main, ["xlsx", "import", str(tmp_path / NAMES[1]), str(exchange_file), "--assessment", "0"])
    assert result.exit_code == 1
    assert 'About!B2: the workbook is of "iso10002-2018", not "iso10001-2018"' in result.stderr
    assert exchange_file.read_bytes() == before


def test_assessment_index_out_of_range_is_refused(runner, exchange_file, tmp_path):
    export(runner, exchange_file, tmp_path)
    result = runner.invoke(main, ["xlsx", "import", str(tmp_path / NAMES[1]), str(exchange_file), "--assessment", "3"])
    assert result.exit_code == 1
    assert result.stderr.startswith("--assessment 3: the file has no such assessment (assessments: 0: ")


def test_xlsx_commands_have_help(runner):
    for path in (["xlsx"], ["xlsx", "export"], ["xlsx", "import"]):
        result = runner.invoke(main, [*path, "--help"])
        assert result.exit_code == 0
        assert "Usage:" in result.output

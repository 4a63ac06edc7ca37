"""The `assess` command line, through click's runner and as a real subprocess."""

import json
import subprocess
import sys

import click
import pytest
from click.testing import CliRunner

from assess.cli import main


@pytest.fixture
def runner():
    return CliRunner()


def all_commands(group, prefix=()):
    for name, command in group.commands.items():
        yield prefix + (name,), command
        if isinstance(command, click.Group):
            yield from all_commands(command, prefix + (name,))


@pytest.mark.parametrize(
    "path,command", list(all_commands(main)), ids=lambda x: " ".join(x) if isinstance(x, tuple) else ""
)
def test_every_command_has_help(runner, path, command):
    assert command.help, f"{' '.join(path)} has no help text"
    result = runner.invoke(main, [*path, "--help"])
    assert result.exit_code == 0
    assert "Usage:" in result.output


def test_validate_shipped_files(runner):
    result = runner.invoke(main, ["validate"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert any(line.startswith("iso10002-2018.yaml: ok, ") for line in lines)
    assert any(line.startswith("profile.yaml: ok, ") for line in lines)


def test_validate_broken_file_fails_with_the_field_path(runner, tmp_path):
    bad = tmp_path / "iso-bad.yaml"
    bad.write_text(
        "id: iso-bad\nstandard: X\nedition: '1'\ntitle: t\ndocument: gap-report\n"
        "clauses:\n  - ref: '4'\n    title: T\n    questions:\n"
        "      - {id: x-1, text: t, help: h, evidence: e, recommendation: r, weight: 5}\n",
        encoding="utf-8",
    )
    result = runner.invoke(main, ["validate", str(bad)])
    assert result.exit_code == 1
    assert "iso-bad.yaml: clauses[0].questions[0].weight: must be 1..3, got 5" in result.output


def test_questionnaires_lists_installed(runner):
    result = runner.invoke(main, ["questionnaires"])
    assert result.exit_code == 0
    assert [line.split()[0] for line in result.output.splitlines()] == [
        "iso10001-2018",
        "iso10002-2018",
        "iso10003-2018",
    ]


def test_example_piped_into_score_json(runner, bank):
    example = runner.invoke(main, ["example"])
    assert example.exit_code == 0
    result = runner.invoke(main, ["score", "-", "--json"], input=example.output)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [a["questionnaire"] for a in data["assessments"]] == [
        "iso10001-2018",
        "iso10002-2018",
        "iso10003-2018",
    ]
    first = data["assessments"][0]
    assert set(first) == {"questionnaire", "score", "maturity", "coverage", "clauses", "gaps", "to_find_out"}
    assert first["clauses"][0]["ref"] == "4"
    assert {"question", "clause", "value", "priority"} <= set(first["gaps"][0])
    # a don't know is to find out, never a gap: the example has both kinds
    assert all(isinstance(g["value"], int) for a in data["assessments"] for g in a["gaps"])
    open_values = {o["value"] for a in data["assessments"] for o in a["to_find_out"]}
    assert open_values == {"unknown", None}
    assert all(o["who_might_know"] for a in data["assessments"] for o in a["to_find_out"])
    priorities = [g["priority"] for g in first["gaps"]]
    assert priorities == sorted(priorities, reverse=True)


def test_score_previous_edition_uses_old_numbers(runner, tmp_path):
    path = tmp_path / "ex.json"
    path.write_text(runner.invoke(main, ["example", "--questionnaire", "iso10002-2018"]).output, encoding="utf-8")
    data = json.loads(runner.invoke(main, ["score", str(path), "--json", "--edition", "previous"]).output)
    refs = [c["ref"] for c in data["assessments"][0]["clauses"]]
    assert "4.2" in refs and "5.3" in refs and "5.4" not in refs  # 2004 had no 5.4
    text = runner.invoke(main, ["score", str(path), "--edition", "previous"]).output
    assert "ISO 10002:2004 numbering" in text


def test_score_text_has_table_and_gaps(runner, tmp_path):
    path = tmp_path / "ex.json"
    path.write_text(runner.invoke(main, ["example"]).output, encoding="utf-8")
    result = runner.invoke(main, ["score", str(path)])
    assert result.exit_code == 0
    assert "Northwind Water" in result.output
    assert "Gaps by priority" in result.output
    assert "7.4 Acknowledgement of complaint" in result.output
    gaps, _, still_open = result.output.partition("To find out (")
    assert "Don't know" not in gaps.split("Gaps by priority")[1].split("\n\n")[0]
    assert "Don't know" in still_open and "who might know:" in still_open


def test_score_rejects_bad_file_with_paths_on_stderr(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text(
        json.dumps(
            {
                "format": "assess/1",
                "organization": {"name": "x"},
                "assessments": [
                    {"questionnaire": "iso10002-2018", "title": "t", "answers": {"10002-4.5-a": {"value": 7}}}
                ],
            }
        ),
        encoding="utf-8",
    )
    proc = subprocess.run([sys.executable, "-m", "assess", "score", str(path)], capture_output=True, text=True)
    assert proc.returncode == 1
    assert proc.stdout == ""
    assert 'assessments[0].answers["10002-4.5-a"].value: must be 0..4, "na" or "unknown", got 7' in proc.stderr


def test_score_missing_file_is_a_clear_error(runner, tmp_path):
    result = runner.invoke(main, ["score", str(tmp_path / "nope.json")])
    assert result.exit_code == 1
    assert "cannot be read" in result.output


def test_example_profiles_and_unknown_questionnaire(runner):
    empty = json.loads(runner.invoke(main, ["example", "--profile", "empty"]).output)
    assert empty["organization"]["profile"] == {}
    bad = runner.invoke(main, ["example", "--questionnaire", "iso9001"])
    assert bad.exit_code == 1
    assert "unknown questionnaire 'iso9001'" in bad.output

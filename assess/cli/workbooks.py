"""`assess xlsx`: Excel workbooks of the assessments in an exchange file, out and back in."""

from __future__ import annotations

from pathlib import Path

import click

from assess.cli.support import fail as _fail
from assess.cli.support import out_dir_option, read_exchange_file, write_atomically
from assess.core.answers import Organization
from assess.core.findings import real_gaps
from assess.core.scoring import score_assessment
from assess.core.shared import with_shared_answers
from assess.formats.exchange import dump_exchange
from assess.formats.limits import MAX_WORKBOOK_BYTES
from assess.formats.workbook import (
    WorkbookAbout,
    WorkbookError,
    assessment_workbook,
    merge_workbook_answers,
    read_answers_workbook,
    read_workbook_about,
    workbook_filename,
)
from assess.formats.workbook_actions import (
    action_sheet_changes,
    apply_to_exchange,
    exchange_plan,
    exchange_plan_rows,
    open_questions_planned,
    read_action_sheet,
)


@click.group("xlsx")
def xlsx() -> None:
    """Excel workbooks of the assessments in an exchange file: export them to fill in offline, import them back."""


def _unique(name: str, used: set[str]) -> str:
    """Return the file name, numbered (``-2``, ``-3``) when an earlier assessment already has it."""
    stem, suffix = name.rsplit(".", 1)
    candidate, number = name, 1
    while candidate in used:
        number += 1
        candidate = f"{stem}-{number}.{suffix}"
    used.add(candidate)
    return candidate


@xlsx.command("export")
@click.argument("file", type=str)
@out_dir_option(".xlsx")
@click.pass_context
def export_workbooks(ctx: click.Context, file: str, out_dir: Path) -> None:
    """Write one workbook per assessment in an exchange FILE ('-' reads stdin) and print each path."""

    bank, org = read_exchange_file(ctx, file)
    used: set[str] = set()
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        for index, assessment in enumerate(org.assessments):
            questionnaire = bank.questionnaire(assessment.questionnaire)
            rows = exchange_plan_rows(org, index)
            data = assessment_workbook(questionnaire, assessment, org_name=org.name, actions=rows)
            path = out_dir / _unique(workbook_filename(assessment), used)
            path.write_bytes(data)
            click.echo(str(path))
    except OSError as exc:
        _fail(f"cannot write to {out_dir}: {exc}")


def _matching_assessment(org: Organization, about: WorkbookAbout, index: int | None) -> int:
    """Return the index of the assessment the workbook belongs to, or exit saying why there is none."""
    listing = "; ".join(f"{i}: {a.questionnaire} {a.title!r}" for i, a in enumerate(org.assessments)) or "none"
    if index is not None:
        if not 0 <= index < len(org.assessments):
            _fail(f"--assessment {index}: the file has no such assessment (assessments: {listing})")
        return index
    matches = [
        i for i, a in enumerate(org.assessments) if a.questionnaire == about.questionnaire and a.title == about.title
    ]
    if len(matches) != 1:
        found = "no" if not matches else "more than one"
        _fail(
            f"{found} assessment of {about.questionnaire} titled {about.title!r} in the file; "
            f"choose one with --assessment N (assessments: {listing})"
        )
    return matches[0]


@xlsx.command("import")
@click.argument("workbook", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--assessment",
    "index",
    type=int,
    default=None,
    help="Put the answers into assessments[N] of FILE (from 0) rather than the one the workbook names.",
)
@click.pass_context
def import_workbook(ctx: click.Context, workbook: Path, file: Path, index: int | None) -> None:
    """Put the answers of a WORKBOOK into the matching assessment of an exchange FILE and write FILE back.

    The workbook's rows with a level replace the assessment's answers; blank rows keep them. Its
    Action plan sheet changes the assessment's actions and adds new ones for gaps. A workbook with
    any bad cell is refused whole, and FILE is left untouched.
    """

    bank, org = read_exchange_file(ctx, str(file))
    try:
        if workbook.stat().st_size > MAX_WORKBOOK_BYTES:  # refused before a byte of it is read
            _fail(
                f"{workbook}: refused, nothing was imported: a workbook may be at most {MAX_WORKBOOK_BYTES // 2**20} MB"
            )
        data = workbook.read_bytes()
    except OSError as exc:
        _fail(f"{workbook}: cannot be read: {exc}")
    try:
        chosen = _matching_assessment(org, read_workbook_about(data), index)
        assessment = org.assessments[chosen]
        questionnaire = bank.questionnaire(assessment.questionnaire)
        answers = read_answers_workbook(data, questionnaire)
        merged = merge_workbook_answers(org, chosen, answers)
        sheet = read_action_sheet(data, questionnaire)
        if sheet is not None:
            after = with_shared_answers(bank, merged).assessments[chosen]  # as the web app scores it
            gaps = {g.question: g for g in real_gaps(score_assessment(questionnaire, after.values, after.target))}
            planned = open_questions_planned(org, questionnaire.id)
            changes = action_sheet_changes(sheet, questionnaire.id, exchange_plan(org, chosen), gaps, planned)
            merged = apply_to_exchange(merged, chosen, changes)
    except WorkbookError as exc:
        _fail(f"{workbook}: refused, nothing was imported:\n" + "\n".join(exc.problems))
    try:
        write_atomically(file, dump_exchange(merged))
    except OSError as exc:
        _fail(f"cannot write {file}: {exc}")
    changed = sum(1 for qid, answer in answers.items() if assessment.answers.get(qid) != answer)
    plan = (
        "its Action plan sheet is from an older workbook and was not read"
        if sheet is None
        else f"{len(changes.edits)} action(s) changed, {len(changes.new)} added"
    )
    click.echo(
        f"imported {len(answers)} answer(s), {changed} changed, into assessments[{chosen}] "
        f"({assessment.questionnaire} {assessment.title!r}) of {file}; {plan}"
    )

"""Commands on questionnaires and exchange files: validate, questionnaires, score, example."""

from __future__ import annotations

from pathlib import Path

import click

from assess.cli.support import bank_from, fail, read_exchange_file
from assess.core.questionnaire import QuestionnaireError
from assess.core.shared import with_shared_answers
from assess.core.vocabulary import DONT_KNOW, NOT_ANSWERED, percent, share, short_label
from assess.formats.questionnaires import (
    PROFILE_FILE,
    check_same_as,
    check_unique_question_ids,
    load_profile,
    load_questionnaire,
    questionnaire_files,
)
from assess.formats.retired import RETIRED_FILE, load_retired


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.pass_context
def validate(ctx: click.Context, paths: tuple[Path, ...]) -> None:
    """Check questionnaire files (default: the installed ones) and print a summary of each.

    PATHS may be YAML files or folders. Exits non-zero with every problem found.
    """
    files: list[Path] = []
    retired_folders: list[Path] = []
    for path in paths or tuple(ctx.obj["settings"].questionnaire_dirs):
        if path.is_dir():
            files.extend(questionnaire_files([path]))
            if (path / PROFILE_FILE).exists():
                files.append(path / PROFILE_FILE)
            if (path / RETIRED_FILE).exists():
                retired_folders.append(path)
        elif path.name == RETIRED_FILE:
            retired_folders.append(path.parent)
        else:
            files.append(path)
    problems: list[str] = []
    loaded = []
    for path in files:
        try:
            if path.name == PROFILE_FILE:
                profile = load_profile(path)
                click.echo(f"{path.name}: ok, {len(profile.facts)} facts in {len(profile.sections)} sections")
            else:
                q = load_questionnaire(path)
                loaded.append(q)
                clauses = sum(1 for _ in q.all_clauses())
                click.echo(f"{path.name}: ok, {len(q.questions)} questions in {clauses} clauses")
        except QuestionnaireError as exc:
            problems.extend(exc.problems)
            click.echo(f"{path.name}: {len(exc.problems)} problem(s)")
    problems.extend(check_unique_question_ids(loaded))
    problems.extend(check_same_as(loaded))
    if retired_folders:
        retired, retired_problems = load_retired(retired_folders, {q.id: q for q in loaded})
        problems.extend(retired_problems)
        click.echo(f"{RETIRED_FILE}: {'ok, ' if not retired_problems else ''}{len(retired)} retired question ids")
    if not files:
        problems.append("no questionnaire files found")
    if problems:
        fail("\n".join(problems))


@click.command("questionnaires")
@click.pass_context
def list_questionnaires(ctx: click.Context) -> None:
    """List the installed questionnaires."""
    bank = bank_from(ctx)
    for q in bank.questionnaires.values():
        click.echo(f"{q.id:<16} {q.label:<16} {len(q.questions):>4} questions  {q.title}")


@click.command()
@click.argument("file", type=str)
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.option(
    "--edition",
    type=click.Choice(["current", "previous"]),
    default="current",
    show_default=True,
    help="Clause numbering: the current edition's, or the previous edition's (e.g. 2004).",
)
@click.pass_context
def score(ctx: click.Context, file: str, as_json: bool, edition: str) -> None:
    """Score every assessment in an exchange FILE ('-' reads stdin): standard, clauses, gaps, and
    apart from them what is still to find out (don't know, not answered)."""
    import json

    from assess.core.findings import real_gaps, to_find_out
    from assess.core.scoring import PREVIOUS, previous_clause_of, score_assessment

    bank, org = read_exchange_file(ctx, file)
    org = with_shared_answers(bank, org)  # a practice asked in two standards is answered once
    results = []
    for assessment in org.assessments:
        questionnaire = bank.questionnaire(assessment.questionnaire)
        results.append(
            (
                assessment,
                questionnaire,
                score_assessment(questionnaire, assessment.values, assessment.target),
            )
        )

    def open_questions(assessment, questionnaire, result):  # type: ignore[no-untyped-def]
        previous = previous_clause_of(questionnaire) if edition == PREVIOUS else {}
        for o in to_find_out(questionnaire, assessment.values, result):
            yield o, (previous.get(o.question) or o.clause) if previous else o.clause

    if as_json:
        out = {
            "assessments": [
                {
                    **result.to_json(edition),
                    "gaps": [g.to_json(edition) for g in real_gaps(result)],
                    "to_find_out": [
                        {"question": o.question, "clause": clause, "value": o.value, "who_might_know": o.role}
                        for o, clause in open_questions(assessment, questionnaire, result)
                    ],
                }
                for assessment, questionnaire, result in results
            ]
        }
        click.echo(json.dumps(out, indent=2, ensure_ascii=False))
        return
    click.echo(org.name)
    for assessment, questionnaire, result in results:
        edition_label = (
            f"{questionnaire.standard}:{questionnaire.previous_edition} numbering"
            if edition == "previous"
            else questionnaire.label
        )
        click.echo("")
        click.echo(f"{questionnaire.label} {questionnaire.title} - {assessment.title} (target {assessment.target})")
        click.echo(
            f"Score {percent(result.score)}   maturity {result.maturity or '-'}   "
            f"coverage {share(result.coverage)} ({result.answered}/{result.visible} answered)"
        )
        click.echo("")
        click.echo(f"{'Clause (' + edition_label + ')':<58} {'Score':>8} {'Maturity':>9} {'Coverage':>9}")
        clauses = result.previous_clauses if edition == "previous" else result.clauses
        for c in clauses:
            label = ("  " * c.depth + f"{c.ref} {c.title}")[:58]
            click.echo(f"{label:<58} {percent(c.score):>8} {c.maturity or '-':>9} {share(c.coverage):>9}")
        click.echo("")
        gaps = real_gaps(result)
        if not gaps:
            click.echo("No practice answered below the target.")
        else:
            click.echo(f"Gaps by priority ({len(gaps)}):")
            for g in gaps:
                clause = g.previous_clause if edition == "previous" else g.clause
                level = short_label(g.value) if isinstance(g.value, str) else f"{g.value}/4"
                star = " key" if g.key else ""
                click.echo(f"  [{g.priority:>2}] {clause:<7} {g.question:<16} {level}{star}")
                click.echo(f"       {g.text}")
                click.echo(f"       -> {g.recommendation}")
        still_open = list(open_questions(assessment, questionnaire, result))
        if still_open:
            click.echo("")
            click.echo(f"To find out ({len(still_open)}, not counted as gaps; {DONT_KNOW.lower()} scores as level 0):")
            for o, clause in still_open:
                answer = DONT_KNOW if o.value else NOT_ANSWERED
                star = " key" if o.key else ""
                click.echo(f"  {clause:<7} {o.question:<16} {answer}{star}; who might know: {o.role}")
                click.echo(f"       {o.text}")


@click.command()
@click.option("--questionnaire", "questionnaire_id", help="Only this questionnaire (default: all).")
@click.option(
    "--profile",
    type=click.Choice(["full", "partial", "empty"]),
    default="full",
    show_default=True,
    help="How much of the organization profile to fill in.",
)
@click.option(
    "--actions/--no-actions",
    default=True,
    show_default=True,
    help="Give every gap an action with an owner and a due date (the documents date their commitments by them).",
)
@click.pass_context
def example(ctx: click.Context, questionnaire_id: str | None, profile: str, actions: bool) -> None:
    """Print a realistic example exchange file for a fictional organization."""
    from assess.formats.example import example_organization
    from assess.formats.exchange import dump_exchange

    bank = bank_from(ctx)
    if questionnaire_id and questionnaire_id not in bank.questionnaires:
        fail(f"unknown questionnaire {questionnaire_id!r} (installed: {', '.join(bank.questionnaires)})")
    click.echo(dump_exchange(example_organization(bank, questionnaire_id, profile, actions=actions)), nl=False)


COMMANDS = (validate, list_questionnaires, score, example)

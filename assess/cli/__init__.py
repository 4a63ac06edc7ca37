"""The `assess` command line: validate questionnaires, score, generate, exchange, serve."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from assess.cli.support import bank_from, read_exchange_file
from assess.cli.support import fail as _fail
from assess.core.questionnaire import (
    PROFILE_FILE,
    QuestionnaireError,
    check_unique_question_ids,
    default_questionnaire_dir,
    load_profile,
    load_questionnaire,
    questionnaire_files,
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--questionnaires",
    "questionnaire_dirs",
    multiple=True,
    type=click.Path(file_okay=False, path_type=Path),
    envvar="ASSESS_QUESTIONNAIRES",
    help="Folder of questionnaire files (repeatable); default: the shipped questionnaires/.",
)
@click.pass_context
def main(ctx: click.Context, questionnaire_dirs: tuple[Path, ...]) -> None:
    """Self-assessment against ISO 10001, 10002 and 10003: scores, gaps and Word policies."""
    ctx.obj = {"dirs": list(questionnaire_dirs) or [default_questionnaire_dir()]}


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.pass_context
def validate(ctx: click.Context, paths: tuple[Path, ...]) -> None:
    """Check questionnaire files (default: the installed ones) and print a summary of each.

    PATHS may be YAML files or folders. Exits non-zero with every problem found.
    """
    files: list[Path] = []
    for path in paths or tuple(ctx.obj["dirs"]):
        if path.is_dir():
            files.extend(questionnaire_files([path]))
            if (path / PROFILE_FILE).exists():
                files.append(path / PROFILE_FILE)
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
    if not files:
        problems.append("no questionnaire files found")
    if problems:
        _fail("\n".join(problems))


@main.command("questionnaires")
@click.pass_context
def list_questionnaires(ctx: click.Context) -> None:
    """List the installed questionnaires."""
    bank = bank_from(ctx)
    for q in bank.questionnaires.values():
        click.echo(f"{q.id:<16} {q.label:<16} {len(q.questions):>4} questions  {q.title}")


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f} %"


def _cov(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.0f} %"


@main.command()
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
    """Score every assessment in an exchange FILE ('-' reads stdin): standard, clauses and gaps."""
    import json

    from assess.core.scoring import score_assessment

    bank, org = read_exchange_file(ctx, file)
    results = []
    for assessment in org.assessments:
        questionnaire = bank.questionnaire(assessment.questionnaire)
        results.append(
            (
                assessment,
                questionnaire,
                score_assessment(questionnaire, assessment.answers, assessment.target),
            )
        )
    if as_json:
        out = {"assessments": [r.to_json(edition) for _, _, r in results]}
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
            f"Score {_pct(result.score)}   maturity {result.maturity or '-'}   "
            f"coverage {_cov(result.coverage)} ({result.answered}/{result.visible} answered)"
        )
        click.echo("")
        click.echo(f"{'Clause (' + edition_label + ')':<58} {'Score':>8} {'Maturity':>9} {'Coverage':>9}")
        clauses = result.previous_clauses if edition == "previous" else result.clauses
        for c in clauses:
            label = ("  " * c.depth + f"{c.ref} {c.title}")[:58]
            click.echo(f"{label:<58} {_pct(c.score):>8} {c.maturity or '-':>9} {_cov(c.coverage):>9}")
        click.echo("")
        if not result.gaps:
            click.echo("No gaps below the target.")
        else:
            click.echo(f"Gaps by priority ({len(result.gaps)}):")
            for g in result.gaps:
                clause = g.previous_clause if edition == "previous" else g.clause
                level = "don't know" if g.value == "unknown" else f"{g.value}/4"
                star = " key" if g.key else ""
                click.echo(f"  [{g.priority:>2}] {clause:<7} {g.question:<16} {level}{star}")
                click.echo(f"       {g.text}")
                click.echo(f"       -> {g.recommendation}")


@main.command()
@click.option("--questionnaire", "questionnaire_id", help="Only this questionnaire (default: all).")
@click.option(
    "--profile",
    type=click.Choice(["full", "partial", "empty"]),
    default="full",
    show_default=True,
    help="How much of the organization profile to fill in.",
)
@click.pass_context
def example(ctx: click.Context, questionnaire_id: str | None, profile: str) -> None:
    """Print a realistic example exchange file for a fictional organization."""
    from assess.formats.example import example_organization
    from assess.formats.exchange import dump_exchange

    bank = bank_from(ctx)
    if questionnaire_id and questionnaire_id not in bank.questionnaires:
        _fail(f"unknown questionnaire {questionnaire_id!r} (installed: {', '.join(bank.questionnaires)})")
    click.echo(dump_exchange(example_organization(bank, questionnaire_id, profile)), nl=False)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=5000, show_default=True, type=int, help="Port to listen on.")
@click.option("--debug", is_flag=True, help="Reload on code changes and show debug pages (never in production).")
@click.option(
    "--production",
    is_flag=True,
    help="Serve with gunicorn and several worker processes, refusing a missing or weak secret key.",
)
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    help="With --production: worker processes (default: 2 x cores + 1, at most 8).",
)
@click.option(
    "--threads",
    type=click.IntRange(1, 32),
    default=1,
    show_default=True,
    help="With --production: threads per worker.",
)
@click.option("--access-log", is_flag=True, help="With --production: print one short line per request.")
def serve(
    host: str, port: int, debug: bool, production: bool, workers: int | None, threads: int, access_log: bool
) -> None:
    """Serve the web app (data in $ASSESS_INSTANCE or ./instance).

    Without --production it runs Flask's development server, for one person on this machine.
    """
    from assess import ConfigurationError, create_app, ensure_secret_key, instance_folder

    if production:
        import logging

        from assess.cli.serving import default_workers, serve_production

        if debug:
            _fail("--debug shows code and a console to anyone who gets an error: never with --production.")
        logging.basicConfig(level=logging.INFO, format="[%(asctime)s] [%(process)d] [%(levelname)s] %(message)s")
        click.echo(
            f"assess (production) on http://{host}:{port}/ with {workers or default_workers()} worker(s) "
            f"(data: {instance_folder()})"
        )
        try:
            serve_production(host, port, workers, threads, access_log)
        except ConfigurationError as problem:
            _fail(str(problem))
        return
    if not os.environ.get("ASSESS_SECRET_KEY"):
        ensure_secret_key(instance_folder())
    app = create_app()
    click.echo(f"assess is running on http://{host}:{port}/  (data: {app.instance_path})")
    app.run(host=host, port=port, debug=debug)


@main.command()
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def backup(path: Path) -> None:
    """Write a consistent copy of the instance database to PATH, safely while the server runs.

    Uses SQLite's online backup; refuses to overwrite an existing file. To restore, stop the
    server, delete assess.sqlite3-wal and assess.sqlite3-shm in the instance folder if they exist,
    and put the copy in place of assess.sqlite3.
    """
    from sqlite_utils.utils import sqlite3  # the driver in use (pysqlite3), whose errors differ from the stdlib's

    from assess import instance_folder
    from assess.store import db

    source = instance_folder() / "assess.sqlite3"
    if not source.exists():
        _fail(f"no database at {source}: set ASSESS_INSTANCE to the instance folder")
    if path.exists():
        _fail(f"{path} exists already: choose a new file name")
    database = db.connect(source)
    try:
        db.backup_to(database, path)
    except (FileExistsError, sqlite3.Error) as problem:
        _fail(f"backup failed: {problem}")
    finally:
        database.close()
    click.echo(f"wrote {path} ({path.stat().st_size:,} bytes) from {source}")


def _instance_db():
    from assess import instance_folder
    from assess.store import db

    folder = instance_folder()
    folder.mkdir(parents=True, exist_ok=True)
    database = db.connect(folder / "assess.sqlite3")
    db.migrate(database)
    return database


@main.command("export")
@click.argument("organization")
def export_organization(organization: str) -> None:
    """Print ORGANIZATION (its id or exact name) as an exchange file, with every assessment."""
    from assess.formats.exchange import dump_exchange
    from assess.store import db

    database = _instance_db()
    matches = [o for o in db.list_organizations(database) if str(o.id) == organization or o.name == organization]
    if len(matches) != 1:
        names = ", ".join(f"{o.id} {o.name}" for o in db.list_organizations(database)) or "none"
        _fail(
            f"{'no' if not matches else 'more than one'} organization matches {organization!r} (organizations: {names})"
        )
    data = db.load_organization(database, matches[0].id)
    click.echo(dump_exchange(data), nl=False)


@main.command("import")
@click.argument("file", type=str)
@click.pass_context
def import_organization(ctx: click.Context, file: str) -> None:
    """Create an organization from an exchange FILE ('-' reads stdin); nothing is stored if it has problems."""
    from assess.store import db

    _, org = read_exchange_file(ctx, file)
    org_id = db.import_organization(_instance_db(), org)
    click.echo(f"imported {org.name!r} as organization {org_id} with {len(org.assessments)} assessment(s)")


@main.group()
def user() -> None:
    """Manage accounts."""


@user.command("add")
@click.argument("email")
@click.option("--admin", is_flag=True, help="Administrator: sees every organization and manages accounts.")
@click.option("--consultant", is_flag=True, help="Consultant: may create organizations.")
def user_add(email: str, admin: bool, consultant: bool) -> None:
    """Create an account. The password is read from standard input (or asked for), never an argument."""
    from assess.core import accounts
    from assess.store import db

    if sys.stdin.isatty():
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    else:
        password = sys.stdin.readline().rstrip("\n")
    try:
        accounts.check_password_policy(password, (email,))
    except accounts.PasswordProblem as problem:
        _fail(str(problem))
    try:
        user_id = db.create_user(
            _instance_db(), email, accounts.hash_password(password), is_admin=admin, can_create=consultant
        )
    except db.IntegrityError:
        _fail(f"an account for {email} exists already")
    kind = "administrator" if admin else "consultant" if consultant else "account"
    click.echo(f"created {kind} {email} (id {user_id})")


# Commands that live beside the domain module they drive.
from assess.cli.documents import generate  # noqa: E402
from assess.cli.workbooks import xlsx  # noqa: E402

main.add_command(generate)
main.add_command(xlsx)

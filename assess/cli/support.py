"""What the `assess` commands share: failing cleanly, the invocation's settings, question bank and
database, reading an exchange file, and the --out folder option."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

import click

from assess.core.answers import Organization
from assess.core.questionnaire import QuestionBank, QuestionnaireError
from assess.core.settings import ConfigurationError, Settings, check_instance_folder
from assess.core.vocabulary import join_words
from assess.documents import Readiness, Statement
from assess.formats.questionnaires import load_bank
from assess.store.connection import Database
from assess.store.migrations import open_database


def fail(message: str) -> NoReturn:
    """Print the message to standard error and exit with status 1."""
    click.echo(message, err=True)
    sys.exit(1)


def settings_from(ctx: click.Context) -> Settings:
    """Return the settings of this invocation (the environment's, with the command's folders)."""
    return ctx.find_root().obj["settings"]  # type: ignore[no-any-return]


def instance_db(ctx: click.Context) -> Database:
    """Return a connection to the instance's database, created and migrated if needed, or exit saying
    in one sentence why it cannot be used."""
    settings = settings_from(ctx)
    try:
        check_instance_folder(settings.instance)
        return open_database(settings.database)
    except ConfigurationError as problem:
        fail(str(problem))


def bank_from(ctx: click.Context) -> QuestionBank:
    """Return the question bank for the command's folders, or exit with every problem."""
    try:
        return load_bank(settings_from(ctx).questionnaire_dirs)
    except QuestionnaireError as exc:
        fail("Questionnaire files have problems:\n" + "\n".join(exc.problems))


def read_exchange_file(ctx: click.Context, source: str) -> tuple[QuestionBank, Organization]:
    """Return (bank, organization) from an exchange file or '-' for stdin, or exit with the problems."""
    from assess.formats.exchange import ExchangeError, parse_exchange
    from assess.formats.limits import MAX_JSON_BYTES

    bank = bank_from(ctx)
    try:
        if source == "-":
            text = sys.stdin.read(MAX_JSON_BYTES + 1)  # the limit refuses more; nothing beyond it is read
        elif Path(source).stat().st_size > MAX_JSON_BYTES:
            fail(f"{source}: refused, nothing was read: an exchange file may be at most {MAX_JSON_BYTES // 2**20} MB")
        else:
            text = Path(source).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        fail(f"{source}: cannot be read: {exc}")
    try:
        return bank, parse_exchange(text, bank)
    except ExchangeError as exc:
        fail(f"{source}: rejected, nothing was read:\n" + "\n".join(exc.problems))


def out_dir_option(kind: str) -> Callable[[Any], Any]:
    """Return the `--out DIR` option of a command that writes `kind` files (e.g. ".docx")."""
    return click.option(
        "--out",
        "out_dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=Path("."),
        show_default=True,
        help=f"Folder to write the {kind} files to (created if needed).",
    )


def write_atomically(path: Path, text: str) -> None:
    """Write text to a file in one step, through a temporary file beside it: a failed write never
    leaves half a file, nor the temporary one."""
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


# --- what a document still needs, on standard error ------------------------------------------


def _due(statement: Statement) -> str:
    if not statement.due:
        return "no action with a due date yet"
    return f"due {statement.due_text}" + (f", {statement.owner}" if statement.owner else "")


def readiness_lines(ready: Readiness) -> list[str]:
    """Return what a document still needs as lines of plain text (the CLI prints them on stderr)."""
    counts = [
        f"{len(ready.missing_facts)} missing fact{'s' if len(ready.missing_facts) != 1 else ''}",
        f"{len(ready.contradictions)} contradiction{'s' if len(ready.contradictions) != 1 else ''}",
        f"{len(ready.rewritten)} written as commitments",
        f"{len(ready.left_out)} left out",
    ]
    lines = [f"{ready.document}: {', '.join(counts)}"]
    if ready.not_assessed:
        standards = join_words(list(ready.not_assessed))
        lines.append(f"  not assessed: {standards} (nothing it says about practice is written as done)")
    for fact in ready.missing_facts:
        required = " (required)" if ready.document in fact.required_for else ""
        lines.append(f"  missing fact{required}: {fact.text} [{fact.id}]")
    for contradiction in ready.contradictions:
        lines.append(f"  contradiction: {contradiction.message}")
    for statement in ready.rewritten:
        lines.append(f"  commitment ({_due(statement)}): {statement.reason.split(': ', 1)[-1]}")
    for statement in ready.left_out:
        lines.append(f"  left out: {statement.reason.split(': ', 1)[-1]}")
    for practice in ready.unplanned:
        lines.append(f"  no action planned: {practice.question} {practice.finding()}")
    for fact in ready.defaulted:
        lines.append(f"  default used: {fact.text} [{fact.id}]")
    return lines

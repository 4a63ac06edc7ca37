"""`assess generate`: write an organization's documents from an exchange file, and say what each still needs."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from assess.cli.support import fail, out_dir_option, read_exchange_file, readiness_lines
from assess.core.shared import with_shared_answers
from assess.documents import (
    DOCUMENT_IDS,
    DocumentError,
    can_number_pages,
    document_filename,
    readiness_all,
    render_documents,
)


@click.command()
@click.argument("file", type=str)
@click.option(
    "--doc",
    "documents",
    multiple=True,
    type=click.Choice(DOCUMENT_IDS),
    help="Only this document (repeatable); default: all of them.",
)
@out_dir_option(".docx")
@click.option("--no-citations", is_flag=True, help="Leave out the clause references (ISO 10002:2018, 7.4).")
@click.option("--notes", is_flag=True, help="Put the assessment's own notes into the Word comments too.")
@click.option(
    "--strict",
    is_flag=True,
    help="Write nothing and exit 1 when a document lacks a fact it requires or the profile contradicts itself.",
)
@click.option(
    "--update-fields",
    is_flag=True,
    help="Fill in the contents' page numbers with a headless LibreOffice (soffice must be installed).",
)
@click.option("--quiet", is_flag=True, help="Do not print what each document still needs.")
@click.pass_context
def generate(
    ctx: click.Context,
    file: str,
    documents: tuple[str, ...],
    out_dir: Path,
    no_citations: bool,
    notes: bool,
    strict: bool,
    update_fields: bool,
    quiet: bool,
) -> None:
    """Write the Word documents for the organization in an exchange FILE ('-' reads stdin).

    What each document still needs (missing facts, contradictions, statements written as
    commitments or left out) goes to standard error; the paths written go to standard output.
    """
    bank, org = read_exchange_file(ctx, file)
    org = with_shared_answers(bank, org)  # a practice asked in two standards is answered once
    if update_fields and not can_number_pages():
        fail("--update-fields needs LibreOffice (soffice) and pdftotext on the PATH; nothing was written.")
    today = dt.date.today()
    chosen = documents or DOCUMENT_IDS
    try:
        found = readiness_all(bank, org, chosen, today=today)
    except DocumentError as exc:
        fail(str(exc))
    if not quiet:
        for lines in (readiness_lines(found[document]) for document in chosen):
            click.echo("\n".join(lines), err=True)
    blocking = [d for d in chosen if found[d].required_missing or found[d].contradictions]
    if strict and blocking:
        fail(f"--strict: not written, {', '.join(blocking)} lack required facts or contradict the answers.")
    try:
        written = render_documents(
            bank, org, chosen, citations=not no_citations, notes=notes, page_numbers=update_fields, today=today
        )
        out_dir.mkdir(parents=True, exist_ok=True)
        for document, data in written.items():
            path = out_dir / document_filename(document, org.name, today)
            path.write_bytes(data)
            click.echo(str(path))
    except DocumentError as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)
    except OSError as exc:
        click.echo(f"cannot write to {out_dir}: {exc}", err=True)
        sys.exit(1)

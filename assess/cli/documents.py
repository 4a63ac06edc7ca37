"""`assess generate`: write an organization's documents from an exchange file."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from assess.cli.support import out_dir_option, read_exchange_file
from assess.documents import DOCUMENT_IDS, DocumentError, document_filename, render_docx


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
@click.pass_context
def generate(ctx: click.Context, file: str, documents: tuple[str, ...], out_dir: Path, no_citations: bool) -> None:
    """Write the Word documents for the organization in an exchange FILE ('-' reads stdin)."""

    bank, org = read_exchange_file(ctx, file)
    today = dt.date.today()
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        for document in documents or DOCUMENT_IDS:
            data = render_docx(bank, org, document, citations=not no_citations, today=today)
            path = out_dir / document_filename(document, org.name, today)
            path.write_bytes(data)
            click.echo(str(path))
    except DocumentError as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)
    except OSError as exc:
        click.echo(f"cannot write to {out_dir}: {exc}", err=True)
        sys.exit(1)

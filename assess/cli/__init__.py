"""The `assess` command line: validate questionnaires, score, prepare, generate, exchange, serve.

Each group of commands lives in its own module (`questionnaires`, `instance`, `documents`,
`prepare`, `workbooks`); this module only makes the group and registers them.
"""

from __future__ import annotations

from pathlib import Path

import click

from assess.cli import documents, instance, prepare, questionnaires, workbooks
from assess.core.settings import SHIPPED_QUESTIONNAIRES, Settings


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--questionnaires",
    "questionnaire_dirs",
    multiple=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Extra folder of questionnaire files (repeatable), added to the shipped ones and $ASSESS_QUESTIONNAIRES.",
)
@click.pass_context
def main(ctx: click.Context, questionnaire_dirs: tuple[Path, ...]) -> None:
    """Self-assessment against ISO 10001, 10002 and 10003: scores, gaps and Word policies."""
    settings = Settings.from_environ()
    extra = tuple(d.resolve() for d in questionnaire_dirs if d.resolve() not in settings.questionnaire_dirs)
    ctx.obj = {"settings": Settings.from_environ(questionnaire_dirs=(*settings.questionnaire_dirs, *extra))}


for command in (*questionnaires.COMMANDS, *instance.COMMANDS, documents.generate, prepare.prepare, workbooks.xlsx):
    main.add_command(command)

__all__ = ["SHIPPED_QUESTIONNAIRES", "main"]

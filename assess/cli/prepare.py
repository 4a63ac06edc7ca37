"""`assess prepare DOCUMENT FILE.json`: the document interview of the web app, in a terminal.

It walks the same topics (`assess.services.interview`), asks each fact the document needs and the
file does not know yet, offers the stored answer or the fact's default (Enter keeps it), and writes
the facts into the exchange file after every topic, so stopping half-way keeps what was typed.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import click

from assess.cli.support import bank_from, fail, read_exchange_file, readiness_lines, settings_from, write_atomically
from assess.core.answers import Organization
from assess.core.checks import MAX_LINE, text_problem
from assess.core.facts import FactProblem, check_fact_value, fact_text, row_text
from assess.core.questionnaire import Fact, QuestionBank
from assess.core.shared import with_shared_answers
from assess.documents import DocumentError, readiness
from assess.formats.exchange import dump_exchange
from assess.services.interview import (
    DOCUMENT_TITLES,
    PREPARED,
    Topic,
    known,
    optional_for,
    suggested,
    topics,
    used_in,
)

CLEAR = "-"
"""What a person types to leave a fact empty (the document then shows its placeholder)."""
MAX_ROWS = 50
"""The most rows a list fact takes in the terminal (a bound of the terminal only: the web form has none)."""


def _write(path: Path, org: Organization) -> None:
    """Write the organization to the exchange file in one step: a half-written file never replaces it."""
    write_atomically(path, dump_exchange(org))


def _shown(fact: Fact, value: Any) -> str:
    if not known(value):
        return ""
    if fact.type == "list":
        return "; ".join(row_text(fact, row) for row in value)
    return fact_text(fact, value)


def _parse(fact: Fact, typed: str) -> Any:
    """Return what the person typed as a value of the fact's type (checked by the caller)."""
    if fact.type == "number":
        try:
            return float(typed)
        except ValueError:
            raise FactProblem(f"must be a number, got {typed!r}") from None
    if fact.type in ("choice", "multichoice"):
        picked = []
        for part in typed.split(",") if fact.type == "multichoice" else [typed]:
            part = part.strip()
            if part.isdigit() and 1 <= int(part) <= len(fact.choices):
                picked.append(fact.choices[int(part) - 1])
            elif part:
                picked.append(part)
        return picked if fact.type == "multichoice" else (picked[0] if picked else "")
    return typed


def _ask_rows(fact: Fact, current: Any) -> Any:
    """Ask a list fact row by row; Enter on the first row keeps the current rows."""
    names = [f.text for f in fact.fields]
    how = f" (fields separated by | : {' | '.join(names)})" if fact.fields else ""
    click.echo(f"  One per line{how}; an empty line ends the list.")
    if known(current):
        click.echo(f"  Enter on the first line keeps: {_shown(fact, current)}; {CLEAR} leaves it empty.")
    rows: list[Any] = []
    while len(rows) < MAX_ROWS:
        line = click.prompt(f"  {len(rows) + 1}", default="", show_default=False).strip()
        if not line:
            break
        if line == CLEAR and not rows:
            return []
        if fact.fields:
            parts = [p.strip() for p in line.split("|")]
            rows.append({f.id: p for f, p in zip(fact.fields, parts, strict=False) if p})
        else:
            rows.append(line)
    return rows if rows else current


def ask_fact(fact: Fact, current: Any) -> Any:
    """Ask one fact until its answer is valid; return the value (None when left empty)."""
    click.echo("")
    click.echo(fact.text)
    if fact.help:
        click.echo(f"  {fact.help}")
    where = used_in(fact)
    if where:
        click.echo(f"  Needed by {where}.")
    if fact.example and not known(current):
        click.echo(f"  For example: {fact.example}")
    if fact.choices:
        for n, choice in enumerate(fact.choices, start=1):
            click.echo(f"  {n}. {choice}")
        if fact.type == "multichoice":
            click.echo("  Type the numbers of all that apply, separated by commas.")
    while True:
        if fact.type == "list":
            raw = _ask_rows(fact, current)
        else:
            typed = click.prompt(
                "  Answer", default=_shown(fact, current), show_default=known(current), type=str
            ).strip()
            if typed == CLEAR or not typed:
                return None
            try:
                raw = _parse(fact, typed)
            except FactProblem as problem:
                click.echo(f"  That answer {problem}; try again.")
                continue
        if not known(raw):
            return None
        try:
            return check_fact_value(fact, raw)
        except FactProblem as problem:
            click.echo(f"  That answer {problem}; try again.")


def _next_topic(found: tuple[Topic, ...], asked: set[str]) -> Topic | None:
    return next((t for t in found if any(f.id not in asked for f in t.facts)), None)


def _interview(bank: QuestionBank, org: Organization, document: str, path: Path, templates_dir: Any) -> Organization:
    """Walk the topics, writing the file after each; return the organization as it ends."""
    before = {fact_id for fact_id, value in org.profile.items() if known(value)}
    asked = set(before)  # facts the file knew before the interview began are not asked again
    found = topics(bank, with_shared_answers(bank, org), document, templates_dir)
    total = len(found)
    done = 0
    while (topic := _next_topic(found, asked)) is not None:
        done += 1
        click.echo("")
        click.secho(f"{topic.title}  (topic {done} of about {max(total, done)})", bold=True)
        if topic.intro:
            click.echo(f"Why we ask: {topic.intro}")
        known_here = [f for f in topic.facts if f.id in before]
        if known_here:
            click.echo("Already known: " + "; ".join(f"{f.text} {_shown(f, org.profile[f.id])}" for f in known_here))
        profile = dict(org.profile)
        waiting = [f for f in topic.facts if f.id not in asked]
        needed = [f for f in waiting if not optional_for(f, document)]
        optional = [f for f in waiting if optional_for(f, document)]
        for fact in needed + optional:
            if fact is (optional[0] if optional else None):
                names = "; ".join(f.text for f in optional)
                click.echo("")
                if not click.confirm(
                    f"{len(optional)} more on this topic the document reads well without ({names}). Answer them too?",
                    default=False,
                ):
                    asked.update(f.id for f in optional)  # left empty: those sentences stay out
                    break
            value = ask_fact(fact, suggested(fact, org.profile))
            asked.add(fact.id)
            if value is None:
                profile.pop(fact.id, None)
            else:
                profile[fact.id] = value
        org = replace(org, profile=profile)
        _write(path, org)
        # an answer can bring more facts in (a topic or more questions of this one): look again
        found = topics(bank, with_shared_answers(bank, org), document, templates_dir, [t.title for t in found])
        total = max(total, done + sum(1 for t in found if any(f.id not in asked for f in t.facts)))
    return org


def _new_organization() -> Organization:
    while True:
        name = click.prompt("Your organization's name, as the documents should print it").strip()
        problem = text_problem(name) if name else "must not be empty"
        if problem is None and len(name) > MAX_LINE:
            problem = f"must be at most {MAX_LINE} characters"
        if problem is None:
            return Organization(name=name)
        click.echo(f"  The name {problem}; try again.")


@click.command()
@click.argument("document", type=click.Choice(PREPARED))
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.pass_context
def prepare(ctx: click.Context, document: str, file: Path) -> None:
    """Ask, topic by topic, the facts DOCUMENT needs and write them into the exchange FILE.

    FILE is created when it does not exist. Facts the file already holds are not asked again;
    Enter keeps the answer shown, '-' leaves a fact empty. The file is written after every topic,
    so Ctrl-C keeps what was answered. Then `assess generate FILE --doc DOCUMENT` writes the .docx.
    """
    templates_dir = settings_from(ctx).doc_templates_dir
    if file.exists():
        bank, org = read_exchange_file(ctx, str(file))
    else:
        if not file.parent.is_dir():
            fail(f"{file}: its folder {file.parent} does not exist; nothing was written.")
        bank = bank_from(ctx)
        click.echo(f"{file} does not exist yet: it will be a new exchange file.")
        org = _new_organization()
        _write(file, org)
    click.echo(f"The {DOCUMENT_TITLES[document]} for {org.name}: the questions it needs, a topic at a time.")
    try:
        org = _interview(bank, org, document, file, templates_dir)
    except click.Abort:
        fail(f"\nStopped. The topics answered so far are saved in {file}.")
    except DocumentError as exc:
        fail(str(exc))
    click.echo("")
    ready = readiness(bank, with_shared_answers(bank, org), document, templates_dir=templates_dir)
    click.echo("\n".join(readiness_lines(ready)))
    click.echo(f"Saved in {file}. Next: assess generate {file} --doc {document}")
    if ready.not_assessed:
        click.echo(
            "The practices it describes are written as your commitments; the self-assessment "
            "(in the app: assess serve) lets it say what you already do."
        )

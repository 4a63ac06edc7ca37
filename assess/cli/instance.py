"""Commands on an instance (the data folder): serve, backup, export, import, user add."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

import click

from assess.cli.support import fail, instance_db, read_exchange_file, settings_from
from assess.core import accounts
from assess.core.checks import is_email, printable, text_problem
from assess.core.questionnaire import QuestionnaireError
from assess.core.settings import ConfigurationError
from assess.formats.exchange import dump_exchange
from assess.services.accounts import create_account, setup_code
from assess.services.organizations import import_organization, load_organization
from assess.store import organizations
from assess.store.connection import DatabaseError, IntegrityError, backup_to, connect


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=5000, show_default=True, type=int, help="Port to listen on.")
@click.option(
    "--public-url",
    default=None,
    help="The address people open, e.g. http://192.168.1.20:5000: join links, QR codes and invitations use it "
    "(default: $ASSESS_PUBLIC_URL; with --host 0.0.0.0, this machine's local network address).",
)
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
@click.pass_context
def serve(
    ctx: click.Context,
    host: str,
    port: int,
    public_url: str | None,
    debug: bool,
    production: bool,
    workers: int | None,
    threads: int,
    access_log: bool,
) -> None:
    """Serve the web app (data in $ASSESS_INSTANCE or ./instance).

    Without --production it runs Flask's development server: for one person on this machine, or
    with --host 0.0.0.0 for a workshop on a room's network.
    """
    from assess.cli.serving import default_public_url, start_message
    from assess.web.app import create_app

    settings = settings_from(ctx)
    if public_url is not None:
        settings = replace(settings, public_url=public_url)
    if production:
        import logging

        from assess.cli.serving import default_workers, serve_production

        if debug:
            fail("--debug shows code and a console to anyone who gets an error: never with --production.")
        logging.basicConfig(level=logging.INFO, format="[%(asctime)s] [%(process)d] [%(levelname)s] %(message)s")
        click.echo(
            f"assess (production) on http://{host}:{port}/ with {workers or default_workers()} worker(s) "
            f"(data: {settings.instance})"
        )
        if settings.public_url:
            click.echo(f"Give people this address: {settings.public_url.rstrip('/')}/")
        try:
            serve_production(replace(settings, production=True), host, port, workers, threads, access_log)
        except ConfigurationError as problem:
            fail(str(problem))
        except QuestionnaireError as problem:
            fail("Questionnaire files have problems:\n" + "\n".join(problem.problems))
        return
    if not settings.public_url:
        settings = replace(settings, public_url=default_public_url(host, port))
    try:
        app = create_app(settings=settings)
    except ConfigurationError as problem:
        fail(str(problem))
    except QuestionnaireError as problem:
        fail("Questionnaire files have problems:\n" + "\n".join(problem.problems))
    for line in start_message(host, port, app.extensions["assess.settings"].public_url, app.instance_path):
        click.echo(line)
    app.run(host=host, port=port, debug=debug)


@click.command()
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.pass_context
def backup(ctx: click.Context, path: Path) -> None:
    """Write a consistent copy of the instance database to PATH, safely while the server runs.

    Uses SQLite's online backup; refuses to overwrite an existing file. To restore, stop the
    server, delete assess.sqlite3-wal and assess.sqlite3-shm in the instance folder if they exist,
    and put the copy in place of assess.sqlite3.
    """
    source = settings_from(ctx).database
    if not source.exists():
        fail(f"no database at {source}: set ASSESS_INSTANCE to the instance folder")
    if path.exists():
        fail(f"{path} exists already: choose a new file name")
    database = connect(source)
    try:
        backup_to(database, path)
    except (FileExistsError, DatabaseError) as problem:
        fail(f"backup failed: {problem}")
    finally:
        database.close()
    click.echo(f"wrote {path} ({path.stat().st_size:,} bytes) from {source}")


@click.command("export")
@click.argument("organization")
@click.pass_context
def export_organization(ctx: click.Context, organization: str) -> None:
    """Print ORGANIZATION (its id or exact name) as an exchange file, with every assessment."""
    database = instance_db(ctx)
    rows = organizations.list_organizations(database)
    matches = [o for o in rows if str(o.id) == organization or o.name == organization]
    if len(matches) != 1:
        names = ", ".join(f"{o.id} {o.name}" for o in rows) or "none"
        fail(
            f"{'no' if not matches else 'more than one'} organization matches {organization!r} (organizations: {names})"
        )
    data = load_organization(database, matches[0].id)
    assert data is not None
    click.echo(dump_exchange(data), nl=False)


@click.command("import")
@click.argument("file", type=str)
@click.pass_context
def import_organization_command(ctx: click.Context, file: str) -> None:
    """Create an organization from an exchange FILE ('-' reads stdin); nothing is stored if it has problems."""
    _, org = read_exchange_file(ctx, file)
    database = instance_db(ctx)
    org_id = import_organization(database, org, taken=[o.name for o in organizations.list_organizations(database)])
    row = organizations.get_organization(database, org_id)
    name = row.name if row else org.name
    click.echo(f"imported {name!r} as organization {org_id} with {len(org.assessments)} assessment(s)")


@click.group()
def user() -> None:
    """Manage accounts."""


@user.command("add")
@click.argument("email")
@click.option("--admin", is_flag=True, help="Administrator: sees every organization and manages accounts.")
@click.option("--consultant", is_flag=True, help="Consultant: may create organizations.")
@click.pass_context
def user_add(ctx: click.Context, email: str, admin: bool, consultant: bool) -> None:
    """Create an account. The password is read from standard input (or asked for), never an argument."""
    problem = text_problem(email, single_line=True)
    if problem is not None or not is_email(email.strip()):
        fail(f"{printable(email)!r} is not an email address" + (f": it {problem}" if problem else ""))
    if sys.stdin.isatty():
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    else:
        password = sys.stdin.readline().rstrip("\n")
    try:
        accounts.check_password_policy(password, (email,))
    except accounts.PasswordProblem as problem:
        fail(str(problem))
    try:
        user_id = create_account(instance_db(ctx), email, password, admin=admin, creator=consultant)
    except IntegrityError:
        fail(f"an account for {email} exists already")
    kind = "administrator" if admin else "consultant" if consultant else "account"
    click.echo(f"created {kind} {email} (id {user_id})")


@click.command("setup-code")
@click.option("--new", "renew", is_flag=True, help="Replace the code with a fresh one (the old one stops working).")
@click.pass_context
def setup_code_command(ctx: click.Context, renew: bool) -> None:
    """Print the one-time code that creates the first administrator at /setup (while no account exists)."""
    code = setup_code(instance_db(ctx), renew=renew)
    if code is None:
        fail("An account exists already, so there is no setup code: log in, or add accounts with `assess user add`.")
    click.echo(code)


COMMANDS = (serve, backup, export_organization, import_organization_command, user, setup_code_command)

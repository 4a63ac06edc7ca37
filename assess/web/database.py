"""The request's connection to the app's database: one per worker thread, opened on first use."""

from __future__ import annotations

import logging
import threading
from typing import Any

from assess.store.connection import Database, connect, sqlite_is_safe, sqlite_version
from assess.store.migrations import open_database

log = logging.getLogger(__name__)


def get_db() -> Database:
    """Return this thread's connection to the app's database, opened on first use and then kept.

    Opening and closing a connection per request cost more than the request's own queries (closing
    the last connection checkpoints the WAL). Connections are made lazily, so each gunicorn worker
    opens its own after the fork; every transaction is opened and ended by `transaction()`, so
    nothing carries over from one request to the next.
    """
    from flask import current_app, g

    if "db" not in g:
        local = current_app.extensions["assess.connections"]
        if getattr(local, "db", None) is None:
            local.db = connect(current_app.config["DATABASE"])
        g.db = local.db
    return g.db  # type: ignore[no-any-return]


def _end_request(_error: BaseException | None = None) -> None:
    from flask import g

    db = g.pop("db", None)
    if db is not None and db.conn.in_transaction:  # only after a crash inside a transaction: never keep it open
        db.conn.execute("ROLLBACK")


def init_app(app: Any) -> None:
    """Create or migrate the database file, log the SQLite version, and set up per-thread connections.

    Raises DatabaseUnusable (a ConfigurationError) when the file cannot be used, in one sentence.
    """
    db = open_database(app.config["DATABASE"])
    try:
        version = sqlite_version(db)
    finally:
        db.close()
    if sqlite_is_safe(version):
        log.info("SQLite %s at %s", version, app.config["DATABASE"])
    else:
        log.warning("SQLite %s has the WAL-reset bug: install pysqlite3 (SQLite >= 3.51.3)", version)
    app.extensions["assess.sqlite_version"] = version
    app.extensions["assess.connections"] = threading.local()
    app.teardown_appcontext(_end_request)

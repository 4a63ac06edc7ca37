"""Connections to the one SQLite file, transactions that nest, and the small helpers every store module uses.

Every connection runs in WAL mode with a busy timeout and foreign keys on. Every write goes through
`transaction()`: the outermost opens BEGIN IMMEDIATE, so concurrent writers queue for the lock
instead of failing with "database is locked" half-way through; an inner one is a SAVEPOINT, so
store functions that write compose into one all-or-nothing change.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlite_utils
from sqlite_utils.utils import sqlite3 as _driver

Database = sqlite_utils.Database

IntegrityError = _driver.IntegrityError
"""The driver's own class (pysqlite3's when installed): the standard library's would not catch it."""

DatabaseError = _driver.DatabaseError
"""The driver's base class of every database failure (disk full, corrupt file, read-only folder)."""

BUSY_TIMEOUT_MS = 10_000

_savepoints = itertools.count(1)


def now() -> str:
    """Return the current UTC time as ISO 8601 text with seconds."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def connect(path: str | Path) -> Database:
    """Return a database on `path` (created if missing), configured for concurrent use."""
    db = sqlite_utils.Database(str(path))
    conn = db.conn
    conn.isolation_level = None  # every transaction is opened by transaction() (BEGIN IMMEDIATE)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA foreign_keys = ON")
    return db


def sqlite_version(db: Database) -> str:
    """Return the version of the SQLite library behind this connection."""
    return str(db.execute("select sqlite_version()").fetchone()[0])


def sqlite_is_safe(version: str) -> bool:
    """Return whether this SQLite version is free of the WAL-reset bug."""
    v = tuple(int(p) for p in version.split(".")[:3])
    return v >= (3, 51, 3) or (3, 50, 7) <= v < (3, 51) or (3, 44, 6) <= v < (3, 45)


@contextmanager
def transaction(db: Database) -> Iterator[Database]:
    """Run the block all-or-nothing: committed (or released) on success, rolled back on error.

    The outermost transaction takes the write lock at once (BEGIN IMMEDIATE); one opened inside
    another is a savepoint, so a store function that writes can be called on its own or as one
    step of a larger change.
    """
    conn = db.conn
    if conn.in_transaction:
        name = f"assess_{next(_savepoints)}"
        conn.execute(f"SAVEPOINT {name}")
        try:
            yield db
        except BaseException:
            conn.execute(f"ROLLBACK TO {name}")
            conn.execute(f"RELEASE {name}")
            raise
        conn.execute(f"RELEASE {name}")
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def first(db: Database, sql: str, params: list[Any]) -> dict[str, Any] | None:
    """Return the first row of a query as a dict, or None (the query is read to the end)."""
    rows = list(db.query(sql, params))
    return rows[0] if rows else None


def inserted_id(cursor: Any) -> int:
    """Return the row id of the row an INSERT just wrote."""
    return int(cursor.lastrowid)


def backup_to(db: Database, target: str | Path) -> None:
    """Write a consistent copy of the live database to `target` (SQLite's online backup), safe while it serves.

    Raises FileExistsError when `target` exists.
    """
    target = Path(target)
    if target.exists():
        raise FileExistsError(f"{target} exists already: choose a new file name")
    copy = connect(target)
    try:
        db.conn.backup(copy.conn)
    finally:
        copy.close()

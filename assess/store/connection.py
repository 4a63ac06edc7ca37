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

from assess.core.settings import ConfigurationError

Database = sqlite_utils.Database

IntegrityError = _driver.IntegrityError
"""The driver's own class (pysqlite3's when installed): the standard library's would not catch it."""

DatabaseError = _driver.DatabaseError
"""The driver's base class of every database failure (disk full, corrupt file, read-only folder)."""

BUSY_TIMEOUT_MS = 10_000


class DatabaseUnusable(ConfigurationError):
    """The database file cannot be used (empty, damaged, unreadable, read-only, from a newer version,
    or its disk is full); the message says so in one sentence, with what to do."""


def database_problem(path: str | Path, error: Exception) -> str:
    """Return in one sentence why the database file could not be opened or written, and what to do."""
    name = getattr(error, "sqlite_errorname", "")
    if name == "SQLITE_FULL" or "disk is full" in str(error):
        return f"The disk that holds {path} is full, so assess cannot write its database: free space, then start again."
    if name == "SQLITE_READONLY" or isinstance(error, PermissionError):
        return f"{path} (or its folder) is read-only for this user: make both writable, then start again."
    if name in ("SQLITE_NOTADB", "SQLITE_CORRUPT"):
        return (
            f"{path} is not a readable assess database ({error}): restore it from a backup "
            "(README, Production), or move it away to start with an empty one."
        )
    if name == "SQLITE_CANTOPEN":
        return f"Cannot open {path}: check that its folder exists and that this user may read and write there."
    if name == "SQLITE_BUSY":
        return f"{path} stayed locked by another program for {BUSY_TIMEOUT_MS // 1000} s: stop it, then start again."
    return f"Cannot use {path}: {error}."


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
            if conn.in_transaction:  # SQLite itself rolls back the whole transaction on a full disk
                conn.execute(f"ROLLBACK TO {name}")
                conn.execute(f"RELEASE {name}")
            raise
        conn.execute(f"RELEASE {name}")
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        if conn.in_transaction:  # not after SQLite rolled back by itself (disk full, I/O error)
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

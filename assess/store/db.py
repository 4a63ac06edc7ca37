"""The one SQLite file: connections, migrations and small named queries (all SQL lives here).

Every connection runs in WAL mode with a busy timeout and foreign keys on; every write goes
through `write()`, which opens the transaction with BEGIN IMMEDIATE so concurrent writers queue
for the lock instead of failing with "database is locked" half-way through.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlite_utils
from sqlite_utils.utils import sqlite3 as _driver

from assess.core.answers import Action, Agreement, Answer, Assessment, Organization, Rating, WorkshopRecord

log = logging.getLogger(__name__)

IntegrityError = _driver.IntegrityError
"""The driver's own class (pysqlite3's when installed): the standard library's would not catch it."""

BUSY_TIMEOUT_MS = 10_000


def now() -> str:
    """Return the current UTC time as ISO 8601 text with seconds."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def connect(path: str | Path) -> sqlite_utils.Database:
    """Return a database on `path` (created if missing), configured for concurrent use."""
    db = sqlite_utils.Database(str(path))
    conn = db.conn
    conn.isolation_level = None  # we open every transaction ourselves (BEGIN IMMEDIATE)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA foreign_keys = ON")
    return db


def sqlite_version(db: sqlite_utils.Database) -> str:
    """Return the version of the SQLite library behind this connection."""
    return str(db.execute("select sqlite_version()").fetchone()[0])


def sqlite_is_safe(version: str) -> bool:
    """Return whether this SQLite version is free of the WAL-reset bug."""
    v = tuple(int(p) for p in version.split(".")[:3])
    return v >= (3, 51, 3) or (3, 50, 7) <= v < (3, 51) or (3, 44, 6) <= v < (3, 45)


@contextmanager
def write(db: sqlite_utils.Database) -> Iterator[sqlite_utils.Database]:
    """Run the block in one IMMEDIATE transaction: committed on success, rolled back on error."""
    conn = db.conn
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


# --- migrations --------------------------------------------------------------------------


def _m001_initial(db: sqlite_utils.Database) -> None:
    db.execute(
        """
        CREATE TABLE organizations (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )"""
    )
    db.execute(
        """
        CREATE TABLE profile_values (
            org_id INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
            fact_id TEXT NOT NULL,
            value_json TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (org_id, fact_id)
        )"""
    )
    db.execute(
        """
        CREATE TABLE assessments (
            id INTEGER PRIMARY KEY,
            org_id INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
            questionnaire TEXT NOT NULL,
            title TEXT NOT NULL,
            target INTEGER NOT NULL DEFAULT 3 CHECK (target BETWEEN 1 AND 4),
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX assessments_org ON assessments(org_id)")
    # One row per answer: a save never rewrites a whole assessment.
    db.execute(
        """
        CREATE TABLE answers (
            assessment_id INTEGER NOT NULL REFERENCES assessments(id) ON DELETE CASCADE,
            question_id TEXT NOT NULL,
            value TEXT CHECK (value IN ('0', '1', '2', '3', '4', 'na', 'unknown')),
            note TEXT NOT NULL DEFAULT '',
            evidence TEXT NOT NULL DEFAULT '',
            reason TEXT NOT NULL DEFAULT '',
            updated_at TEXT NOT NULL,
            updated_by TEXT NOT NULL DEFAULT '',
            PRIMARY KEY (assessment_id, question_id)
        )"""
    )
    db.execute(
        """
        CREATE TABLE answer_history (
            id INTEGER PRIMARY KEY,
            assessment_id INTEGER NOT NULL REFERENCES assessments(id) ON DELETE CASCADE,
            question_id TEXT NOT NULL,
            value TEXT,
            note TEXT NOT NULL,
            evidence TEXT NOT NULL,
            reason TEXT NOT NULL,
            changed_at TEXT NOT NULL,
            changed_by TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX answer_history_question ON answer_history(assessment_id, question_id)")


def _m002_accounts(db: sqlite_utils.Database) -> None:
    db.execute(
        """
        CREATE TABLE users (
            id INTEGER PRIMARY KEY,
            email TEXT NOT NULL UNIQUE COLLATE NOCASE,
            password_hash TEXT NOT NULL,
            is_admin INTEGER NOT NULL DEFAULT 0,
            can_create INTEGER NOT NULL DEFAULT 0,
            disabled INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL
        )"""
    )
    db.execute(
        """
        CREATE TABLE memberships (
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            org_id INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
            role TEXT NOT NULL CHECK (role IN ('viewer', 'member', 'consultant')),
            created_at TEXT NOT NULL,
            PRIMARY KEY (user_id, org_id)
        )"""
    )
    db.execute("CREATE INDEX memberships_org ON memberships(org_id)")
    # Server-side sessions: the cookie holds a random token, the table its digest.
    db.execute(
        """
        CREATE TABLE sessions (
            digest TEXT PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            created_at TEXT NOT NULL,
            last_seen_at TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX sessions_user ON sessions(user_id)")
    db.execute(
        """
        CREATE TABLE login_failures (
            email TEXT PRIMARY KEY COLLATE NOCASE,
            failures INTEGER NOT NULL,
            last_failure_at TEXT NOT NULL
        )"""
    )
    db.execute(
        """
        CREATE TABLE invitations (
            digest TEXT PRIMARY KEY,
            email TEXT NOT NULL COLLATE NOCASE,
            org_id INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
            role TEXT NOT NULL CHECK (role IN ('viewer', 'member', 'consultant')),
            created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
            created_at TEXT NOT NULL,
            expires_at TEXT NOT NULL
        )"""
    )


def _m003_workshops(db: sqlite_utils.Database) -> None:
    db.execute(
        """
        CREATE TABLE workshops (
            id INTEGER PRIMARY KEY,
            org_id INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
            assessment_id INTEGER NOT NULL REFERENCES assessments(id) ON DELETE CASCADE,
            code TEXT NOT NULL UNIQUE,
            clauses_json TEXT NOT NULL,
            hide_names INTEGER NOT NULL DEFAULT 1,
            status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
            created_by TEXT NOT NULL,
            created_at TEXT NOT NULL,
            closed_at TEXT
        )"""
    )
    db.execute("CREATE INDEX workshops_assessment ON workshops(assessment_id)")
    db.execute(
        """
        CREATE TABLE participants (
            id INTEGER PRIMARY KEY,
            workshop_id INTEGER NOT NULL REFERENCES workshops(id) ON DELETE CASCADE,
            display_name TEXT NOT NULL,
            token_digest TEXT NOT NULL UNIQUE,
            user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
            joined_at TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX participants_workshop ON participants(workshop_id)")
    db.execute(
        """
        CREATE TABLE ratings (
            participant_id INTEGER NOT NULL REFERENCES participants(id) ON DELETE CASCADE,
            workshop_id INTEGER NOT NULL REFERENCES workshops(id) ON DELETE CASCADE,
            question_id TEXT NOT NULL,
            value TEXT CHECK (value IN ('0', '1', '2', '3', '4', 'na', 'unknown')),
            comment TEXT NOT NULL DEFAULT '',
            updated_at TEXT NOT NULL,
            PRIMARY KEY (participant_id, question_id)
        )"""
    )
    db.execute("CREATE INDEX ratings_workshop ON ratings(workshop_id, question_id)")
    db.execute(
        """
        CREATE TABLE consensus (
            workshop_id INTEGER NOT NULL REFERENCES workshops(id) ON DELETE CASCADE,
            question_id TEXT NOT NULL,
            value TEXT NOT NULL CHECK (value IN ('0', '1', '2', '3', '4', 'na', 'unknown')),
            note TEXT NOT NULL DEFAULT '',
            decided_by TEXT NOT NULL,
            decided_at TEXT NOT NULL,
            PRIMARY KEY (workshop_id, question_id)
        )"""
    )


def _m004_actions(db: sqlite_utils.Database) -> None:
    # An action belongs to the organization: deleting the round its gap came from keeps it.
    db.execute(
        """
        CREATE TABLE actions (
            id INTEGER PRIMARY KEY,
            org_id INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
            assessment_id INTEGER REFERENCES assessments(id) ON DELETE SET NULL,
            questionnaire TEXT NOT NULL,
            question_id TEXT NOT NULL,
            clause TEXT NOT NULL,
            what TEXT NOT NULL,
            owner TEXT NOT NULL DEFAULT '',
            due TEXT NOT NULL DEFAULT ''
                CHECK (due = '' OR due GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
            status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'in progress', 'done')),
            priority INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            created_by TEXT NOT NULL DEFAULT ''
        )"""
    )
    db.execute("CREATE INDEX actions_org ON actions(org_id)")
    db.execute("CREATE INDEX actions_assessment ON actions(assessment_id)")


MIGRATIONS: list[Callable[[sqlite_utils.Database], None]] = [
    _m001_initial,
    _m002_accounts,
    _m003_workshops,
    _m004_actions,
]
"""Applied in order; PRAGMA user_version records how many have run. Only ever append."""


def migrate(db: sqlite_utils.Database) -> int:
    """Apply the migrations the file has not had yet; return the schema version now."""
    with write(db):
        version = db.execute("PRAGMA user_version").fetchone()[0]
        for number, migration in enumerate(MIGRATIONS[version:], start=version + 1):
            log.info("applying migration %d (%s)", number, migration.__name__)
            migration(db)
            db.execute(f"PRAGMA user_version = {number}")
    return len(MIGRATIONS)


def _first(db: sqlite_utils.Database, sql: str, params: list[Any]) -> dict[str, Any] | None:
    """Return the first row of a query as a dict, or None (the query is read to the end)."""
    rows = list(db.query(sql, params))
    return rows[0] if rows else None


# --- rows --------------------------------------------------------------------------------


@dataclass(frozen=True)
class OrganizationRow:
    id: int
    name: str
    created_at: str
    updated_at: str


@dataclass(frozen=True)
class AssessmentRow:
    id: int
    org_id: int
    questionnaire: str
    title: str
    target: int
    created_at: str
    updated_at: str


@dataclass(frozen=True)
class StoredAnswer:
    """An answer as stored: `value` is None while only a note or evidence has been typed."""

    question_id: str
    value: int | str | None
    note: str
    evidence: str
    reason: str
    updated_at: str
    updated_by: str

    def as_answer(self) -> Answer | None:
        """Return the answer for scoring and exchange, or None while it has no value."""
        if self.value is None:
            return None
        return Answer(self.value, note=self.note, evidence=self.evidence, reason=self.reason)


def values_of(stored: Mapping[str, StoredAnswer]) -> dict[str, int | str]:
    """Return question id -> value of the stored answers that have one: what scoring and show_if read."""
    return {qid: a.value for qid, a in stored.items() if a.value is not None}


def _value_to_db(value: int | str | None) -> str | None:
    return None if value is None else str(value)


def _value_from_db(text: str | None) -> int | str | None:
    if text is None:
        return None
    return int(text) if text.isdigit() else text


# --- organizations ------------------------------------------------------------------------


def list_organizations(db: sqlite_utils.Database) -> list[OrganizationRow]:
    """Return every organization, by name."""
    return [OrganizationRow(**r) for r in db.query("SELECT * FROM organizations ORDER BY name COLLATE NOCASE, id")]


def get_organization(db: sqlite_utils.Database, org_id: int) -> OrganizationRow | None:
    """Return the organization with this id, or None."""
    row = _first(db, "SELECT * FROM organizations WHERE id = ?", [org_id])
    return None if row is None else OrganizationRow(**row)


def create_organization(db: sqlite_utils.Database, name: str) -> int:
    """Create an organization and return its id."""
    stamp = now()
    with write(db):
        cursor = db.execute(
            "INSERT INTO organizations (name, created_at, updated_at) VALUES (?, ?, ?)", [name, stamp, stamp]
        )
    return int(cursor.lastrowid)


def rename_organization(db: sqlite_utils.Database, org_id: int, name: str) -> None:
    with write(db):
        db.execute("UPDATE organizations SET name = ?, updated_at = ? WHERE id = ?", [name, now(), org_id])


def delete_organization(db: sqlite_utils.Database, org_id: int) -> None:
    """Delete the organization with its profile, assessments and answers."""
    with write(db):
        db.execute("DELETE FROM organizations WHERE id = ?", [org_id])


def get_profile(db: sqlite_utils.Database, org_id: int) -> dict[str, Any]:
    """Return the organization's profile facts, fact id -> value."""
    return {
        r["fact_id"]: json.loads(r["value_json"])
        for r in db.query("SELECT fact_id, value_json FROM profile_values WHERE org_id = ?", [org_id])
    }


def _put_profile(db: sqlite_utils.Database, org_id: int, values: Mapping[str, Any], stamp: str) -> None:
    db.execute("DELETE FROM profile_values WHERE org_id = ?", [org_id])
    for fact_id, value in values.items():
        if value in (None, "", []):
            continue
        db.execute(
            "INSERT INTO profile_values (org_id, fact_id, value_json, updated_at) VALUES (?, ?, ?, ?)",
            [org_id, fact_id, json.dumps(value, ensure_ascii=False), stamp],
        )


def set_profile(db: sqlite_utils.Database, org_id: int, values: Mapping[str, Any]) -> None:
    """Replace the organization's profile with these values (empty values are dropped)."""
    with write(db):
        _put_profile(db, org_id, values, now())


# --- assessments --------------------------------------------------------------------------


def list_assessments(db: sqlite_utils.Database, org_id: int) -> list[AssessmentRow]:
    """Return the organization's assessments, oldest first."""
    return [
        AssessmentRow(**r)
        for r in db.query("SELECT * FROM assessments WHERE org_id = ? ORDER BY created_at, id", [org_id])
    ]


def get_assessment(db: sqlite_utils.Database, org_id: int, assessment_id: int) -> AssessmentRow | None:
    """Return the assessment if it belongs to the organization, else None."""
    row = _first(db, "SELECT * FROM assessments WHERE id = ? AND org_id = ?", [assessment_id, org_id])
    return None if row is None else AssessmentRow(**row)


def _insert_assessment(db: sqlite_utils.Database, org_id: int, questionnaire: str, title: str, target: int) -> int:
    stamp = now()
    cursor = db.execute(
        "INSERT INTO assessments (org_id, questionnaire, title, target, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [org_id, questionnaire, title, target, stamp, stamp],
    )
    return int(cursor.lastrowid)


def create_assessment(db: sqlite_utils.Database, org_id: int, questionnaire: str, title: str, target: int) -> int:
    """Create an empty assessment and return its id."""
    with write(db):
        return _insert_assessment(db, org_id, questionnaire, title, target)


def update_assessment(db: sqlite_utils.Database, assessment_id: int, title: str, target: int) -> None:
    with write(db):
        db.execute(
            "UPDATE assessments SET title = ?, target = ?, updated_at = ? WHERE id = ?",
            [title, target, now(), assessment_id],
        )


def delete_assessment(db: sqlite_utils.Database, assessment_id: int) -> None:
    with write(db):
        db.execute("DELETE FROM assessments WHERE id = ?", [assessment_id])


def duplicate_assessment(db: sqlite_utils.Database, source: AssessmentRow, title: str) -> int:
    """Copy an assessment with all its answers under a new title; return the new id."""
    with write(db):
        new_id = _insert_assessment(db, source.org_id, source.questionnaire, title, source.target)
        db.execute(
            "INSERT INTO answers (assessment_id, question_id, value, note, evidence, reason, updated_at, updated_by) "
            "SELECT ?, question_id, value, note, evidence, reason, updated_at, updated_by "
            "FROM answers WHERE assessment_id = ?",
            [new_id, source.id],
        )
    return new_id


# --- answers ------------------------------------------------------------------------------


def get_answers(db: sqlite_utils.Database, assessment_id: int) -> dict[str, StoredAnswer]:
    """Return the assessment's stored answers by question id."""
    return {
        r["question_id"]: StoredAnswer(
            question_id=r["question_id"],
            value=_value_from_db(r["value"]),
            note=r["note"],
            evidence=r["evidence"],
            reason=r["reason"],
            updated_at=r["updated_at"],
            updated_by=r["updated_by"],
        )
        for r in db.query(
            "SELECT question_id, value, note, evidence, reason, updated_at, updated_by "
            "FROM answers WHERE assessment_id = ?",
            [assessment_id],
        )
    }


@dataclass(frozen=True)
class AnswerChange:
    question_id: str
    value: int | str | None
    note: str = ""
    evidence: str = ""
    reason: str = ""


def _put_answer(db: sqlite_utils.Database, assessment_id: int, change: AnswerChange, author: str, stamp: str) -> bool:
    current = list(
        db.query(
            "SELECT value, note, evidence, reason FROM answers WHERE assessment_id = ? AND question_id = ?",
            [assessment_id, change.question_id],
        )
    )
    new = (_value_to_db(change.value), change.note, change.evidence, change.reason)
    if current and tuple(current[0].values()) == new:
        return False
    db.execute(
        "INSERT INTO answers (assessment_id, question_id, value, note, evidence, reason, updated_at, updated_by) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (assessment_id, question_id) DO UPDATE SET value = excluded.value, note = excluded.note, "
        "evidence = excluded.evidence, reason = excluded.reason, updated_at = excluded.updated_at, "
        "updated_by = excluded.updated_by",
        [assessment_id, change.question_id, *new, stamp, author],
    )
    db.execute(
        "INSERT INTO answer_history "
        "(assessment_id, question_id, value, note, evidence, reason, changed_at, changed_by) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [assessment_id, change.question_id, *new, stamp, author],
    )
    return True


def save_answers(db: sqlite_utils.Database, assessment_id: int, changes: list[AnswerChange], author: str = "") -> str:
    """Store the answers (last write wins per answer, history kept); return the time saved."""
    stamp = now()
    with write(db):
        changed = False
        for change in changes:
            changed |= _put_answer(db, assessment_id, change, author, stamp)
        if changed:
            db.execute("UPDATE assessments SET updated_at = ? WHERE id = ?", [stamp, assessment_id])
    return stamp


def answer_history(db: sqlite_utils.Database, assessment_id: int, question_id: str) -> list[dict[str, Any]]:
    """Return every recorded version of one answer, oldest first."""
    return list(
        db.query(
            "SELECT value, note, evidence, reason, changed_at, changed_by FROM answer_history "
            "WHERE assessment_id = ? AND question_id = ? ORDER BY id",
            [assessment_id, question_id],
        )
    )


# --- accounts ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class UserRow:
    id: int
    email: str
    password_hash: str
    is_admin: int
    can_create: int
    disabled: int
    created_at: str


def count_users(db: sqlite_utils.Database) -> int:
    return int(db.execute("SELECT count(*) FROM users").fetchone()[0])


def get_user(db: sqlite_utils.Database, user_id: int) -> UserRow | None:
    row = _first(db, "SELECT * FROM users WHERE id = ?", [user_id])
    return None if row is None else UserRow(**row)


def get_user_by_email(db: sqlite_utils.Database, email: str) -> UserRow | None:
    row = _first(db, "SELECT * FROM users WHERE email = ?", [email.strip()])
    return None if row is None else UserRow(**row)


def list_users(db: sqlite_utils.Database) -> list[UserRow]:
    return [UserRow(**r) for r in db.query("SELECT * FROM users ORDER BY email")]


def create_user(
    db: sqlite_utils.Database, email: str, password_hash: str, *, is_admin: bool = False, can_create: bool = False
) -> int:
    """Create an account and return its id; raises IntegrityError if the email is taken."""
    with write(db):
        cursor = db.execute(
            "INSERT INTO users (email, password_hash, is_admin, can_create, created_at) VALUES (?, ?, ?, ?, ?)",
            [email.strip(), password_hash, int(is_admin), int(can_create or is_admin), now()],
        )
    return int(cursor.lastrowid)


def set_password_hash(db: sqlite_utils.Database, user_id: int, password_hash: str, *, end_sessions: bool) -> None:
    """Store a new password hash; with `end_sessions` every session of the account ends too."""
    with write(db):
        db.execute("UPDATE users SET password_hash = ? WHERE id = ?", [password_hash, user_id])
        if end_sessions:
            db.execute("DELETE FROM sessions WHERE user_id = ?", [user_id])


def set_user_flags(
    db: sqlite_utils.Database, user_id: int, *, is_admin: bool, can_create: bool, disabled: bool
) -> None:
    """Change an account's global rights; disabling it ends its sessions."""
    with write(db):
        db.execute(
            "UPDATE users SET is_admin = ?, can_create = ?, disabled = ? WHERE id = ?",
            [int(is_admin), int(can_create or is_admin), int(disabled), user_id],
        )
        if disabled:
            db.execute("DELETE FROM sessions WHERE user_id = ?", [user_id])


def create_session(db: sqlite_utils.Database, digest: str, user_id: int) -> None:
    stamp = now()
    with write(db):
        db.execute(
            "INSERT INTO sessions (digest, user_id, created_at, last_seen_at) VALUES (?, ?, ?, ?)",
            [digest, user_id, stamp, stamp],
        )
        db.execute("DELETE FROM login_failures WHERE email = (SELECT email FROM users WHERE id = ?)", [user_id])


def get_session(db: sqlite_utils.Database, digest: str) -> dict[str, Any] | None:
    """Return the session with its account's email, flags and times, or None."""
    row = _first(
        db,
        "SELECT s.digest, s.user_id, s.created_at, s.last_seen_at, u.email, u.is_admin, u.can_create, u.disabled "
        "FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.digest = ?",
        [digest],
    )
    return None if row is None else row


def touch_session(db: sqlite_utils.Database, digest: str) -> None:
    with write(db):
        db.execute("UPDATE sessions SET last_seen_at = ? WHERE digest = ?", [now(), digest])


def end_session(db: sqlite_utils.Database, digest: str) -> None:
    with write(db):
        db.execute("DELETE FROM sessions WHERE digest = ?", [digest])


def login_failures(db: sqlite_utils.Database, email: str) -> tuple[int, str] | None:
    """Return (failures in a row, time of the last) for an email, or None."""
    row = _first(db, "SELECT failures, last_failure_at FROM login_failures WHERE email = ?", [email.strip()])
    return None if row is None else (row["failures"], row["last_failure_at"])


def record_login_failure(db: sqlite_utils.Database, email: str) -> None:
    with write(db):
        db.execute(
            "INSERT INTO login_failures (email, failures, last_failure_at) VALUES (?, 1, ?) "
            "ON CONFLICT (email) DO UPDATE SET failures = failures + 1, last_failure_at = excluded.last_failure_at",
            [email.strip().lower(), now()],
        )


# --- memberships and invitations ----------------------------------------------------------------


def role_in(db: sqlite_utils.Database, user_id: int, org_id: int) -> str | None:
    """Return the account's role in the organization, or None."""
    row = _first(db, "SELECT role FROM memberships WHERE user_id = ? AND org_id = ?", [user_id, org_id])
    return None if row is None else str(row["role"])


def organizations_of(db: sqlite_utils.Database, user_id: int) -> list[OrganizationRow]:
    """Return the organizations an account belongs to, by name."""
    return [
        OrganizationRow(**r)
        for r in db.query(
            "SELECT o.* FROM organizations o JOIN memberships m ON m.org_id = o.id WHERE m.user_id = ? "
            "ORDER BY o.name COLLATE NOCASE, o.id",
            [user_id],
        )
    ]


def members_of(db: sqlite_utils.Database, org_id: int) -> list[dict[str, Any]]:
    """Return the organization's people: user id, email and role."""
    return list(
        db.query(
            "SELECT u.id AS user_id, u.email, m.role FROM memberships m JOIN users u ON u.id = m.user_id "
            "WHERE m.org_id = ? ORDER BY u.email",
            [org_id],
        )
    )


def set_membership(db: sqlite_utils.Database, user_id: int, org_id: int, role: str) -> None:
    with write(db):
        db.execute(
            "INSERT INTO memberships (user_id, org_id, role, created_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (user_id, org_id) DO UPDATE SET role = excluded.role",
            [user_id, org_id, role, now()],
        )


def remove_membership(db: sqlite_utils.Database, user_id: int, org_id: int) -> None:
    with write(db):
        db.execute("DELETE FROM memberships WHERE user_id = ? AND org_id = ?", [user_id, org_id])


def create_invitation(
    db: sqlite_utils.Database, digest: str, email: str, org_id: int, role: str, created_by: int, expires_at: str
) -> None:
    with write(db):
        db.execute(
            "INSERT INTO invitations (digest, email, org_id, role, created_by, created_at, expires_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [digest, email.strip(), org_id, role, created_by, now(), expires_at],
        )


def get_invitation(db: sqlite_utils.Database, digest: str) -> dict[str, Any] | None:
    row = _first(
        db,
        "SELECT i.*, o.name AS org_name FROM invitations i JOIN organizations o ON o.id = i.org_id WHERE i.digest = ?",
        [digest],
    )
    return None if row is None else row


def pending_invitations(db: sqlite_utils.Database, org_id: int) -> list[dict[str, Any]]:
    return list(db.query("SELECT email, role, expires_at FROM invitations WHERE org_id = ? ORDER BY email", [org_id]))


def accept_invitation(db: sqlite_utils.Database, digest: str, email: str, password_hash: str) -> int:
    """Create the invited account with its membership and use up the invitation; return the account id."""
    with write(db):
        invitation = list(db.query("SELECT * FROM invitations WHERE digest = ?", [digest]))[0]
        cursor = db.execute(
            "INSERT INTO users (email, password_hash, is_admin, can_create, created_at) VALUES (?, ?, 0, 0, ?)",
            [email.strip(), password_hash, now()],
        )
        user_id = int(cursor.lastrowid)
        db.execute(
            "INSERT INTO memberships (user_id, org_id, role, created_at) VALUES (?, ?, ?, ?)",
            [user_id, invitation["org_id"], invitation["role"], now()],
        )
        db.execute("DELETE FROM invitations WHERE digest = ?", [digest])
    return user_id


def create_organization_for(db: sqlite_utils.Database, name: str, user_id: int) -> int:
    """Create an organization whose creator becomes its consultant; return its id."""
    stamp = now()
    with write(db):
        cursor = db.execute(
            "INSERT INTO organizations (name, created_at, updated_at) VALUES (?, ?, ?)", [name, stamp, stamp]
        )
        org_id = int(cursor.lastrowid)
        db.execute(
            "INSERT INTO memberships (user_id, org_id, role, created_at) VALUES (?, ?, 'consultant', ?)",
            [user_id, org_id, stamp],
        )
    return org_id


# --- whole organizations (exchange) -----------------------------------------------------------


def load_assessment(db: sqlite_utils.Database, row: AssessmentRow) -> Assessment:
    """Return one stored assessment with its answers (unanswered questions left out) and workshops."""
    stored = get_answers(db, row.id)
    answers = {qid: s.as_answer() for qid, s in stored.items() if s.value is not None}
    return Assessment(
        questionnaire=row.questionnaire,
        title=row.title,
        target=row.target,
        answers=answers,  # type: ignore[arg-type]
        workshops=tuple(workshop_record(db, w) for w in workshops_of(db, row.id)),
    )


def load_organization(db: sqlite_utils.Database, org_id: int) -> Organization | None:
    """Return the organization with its profile, every assessment's answers and its actions, or None."""
    row = get_organization(db, org_id)
    if row is None:
        return None
    rows = list_assessments(db, org_id)
    index = {a.id: i for i, a in enumerate(rows)}
    return Organization(
        name=row.name,
        profile=get_profile(db, org_id),
        assessments=tuple(load_assessment(db, a) for a in rows),
        actions=tuple(
            a.as_action(None if a.assessment_id is None else index[a.assessment_id]) for a in list_actions(db, org_id)
        ),
    )


def import_organization(
    db: sqlite_utils.Database, org: Organization, author: str = "import", owner: int | None = None
) -> int:
    """Create a new organization from exchange data in one transaction; return its id.

    With `owner`, that account becomes the organization's consultant.
    """
    stamp = now()
    with write(db):
        cursor = db.execute(
            "INSERT INTO organizations (name, created_at, updated_at) VALUES (?, ?, ?)",
            [org.name, stamp, stamp],
        )
        org_id = int(cursor.lastrowid)
        if owner is not None:
            db.execute(
                "INSERT INTO memberships (user_id, org_id, role, created_at) VALUES (?, ?, 'consultant', ?)",
                [owner, org_id, stamp],
            )
        _put_profile(db, org_id, org.profile, stamp)
        ids = []
        for assessment in org.assessments:
            assessment_id = _insert_assessment(
                db, org_id, assessment.questionnaire, assessment.title, assessment.target
            )
            ids.append(assessment_id)
            for qid, answer in assessment.answers.items():
                change = AnswerChange(qid, answer.value, answer.note, answer.evidence, answer.reason)
                _put_answer(db, assessment_id, change, author, stamp)
            for record in assessment.workshops:
                _insert_workshop_record(db, org_id, assessment_id, record, author)
        for action in org.actions:
            _insert_action(db, org_id, None if action.assessment is None else ids[action.assessment], action, author)
    return org_id


# --- the action plan ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActionRow:
    id: int
    org_id: int
    assessment_id: int | None
    questionnaire: str
    question_id: str
    clause: str
    what: str
    owner: str
    due: str
    status: str
    priority: int
    created_at: str
    updated_at: str
    created_by: str

    def as_action(self, assessment: int | None) -> Action:
        """Return the action for documents and exchange, `assessment` being its round's index."""
        return Action(
            questionnaire=self.questionnaire,
            question=self.question_id,
            clause=self.clause,
            what=self.what,
            priority=self.priority,
            owner=self.owner,
            due=self.due,
            status=self.status,
            assessment=assessment,
        )


def _insert_action(
    db: sqlite_utils.Database, org_id: int, assessment_id: int | None, action: Action, author: str
) -> int:
    stamp = now()
    cursor = db.execute(
        "INSERT INTO actions (org_id, assessment_id, questionnaire, question_id, clause, what, owner, due, status, "
        "priority, created_at, updated_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            org_id,
            assessment_id,
            action.questionnaire,
            action.question,
            action.clause,
            action.what,
            action.owner,
            action.due,
            action.status,
            action.priority,
            stamp,
            stamp,
            author,
        ],
    )
    return int(cursor.lastrowid)


def create_action(
    db: sqlite_utils.Database, org_id: int, assessment_id: int | None, action: Action, author: str
) -> int:
    """Add an action to the organization's plan; return its id."""
    with write(db):
        return _insert_action(db, org_id, assessment_id, action, author)


def get_action(db: sqlite_utils.Database, org_id: int, action_id: int) -> ActionRow | None:
    """Return the action if it belongs to the organization, else None."""
    row = _first(db, "SELECT * FROM actions WHERE id = ? AND org_id = ?", [action_id, org_id])
    return None if row is None else ActionRow(**row)


def list_actions(db: sqlite_utils.Database, org_id: int, assessment_id: int | None = None) -> list[ActionRow]:
    """Return the organization's actions (only those of one assessment, if given), oldest first."""
    if assessment_id is None:
        rows = db.query("SELECT * FROM actions WHERE org_id = ? ORDER BY id", [org_id])
    else:
        rows = db.query(
            "SELECT * FROM actions WHERE org_id = ? AND assessment_id = ? ORDER BY id", [org_id, assessment_id]
        )
    return [ActionRow(**r) for r in rows]


def open_actions_by_question(db: sqlite_utils.Database, org_id: int, questionnaire: str) -> dict[str, ActionRow]:
    """Return question id -> the newest action not yet done for it, over one questionnaire's questions."""
    return {
        r["question_id"]: ActionRow(**r)
        for r in db.query(
            "SELECT * FROM actions WHERE org_id = ? AND questionnaire = ? AND status != 'done' ORDER BY id",
            [org_id, questionnaire],
        )
    }


def update_action(db: sqlite_utils.Database, action_id: int, *, what: str, owner: str, due: str, status: str) -> None:
    """Change what an action says, who owns it, when it is due and how far it is (never an answer)."""
    with write(db):
        db.execute(
            "UPDATE actions SET what = ?, owner = ?, due = ?, status = ?, updated_at = ? WHERE id = ?",
            [what, owner, due, status, now(), action_id],
        )


def delete_action(db: sqlite_utils.Database, action_id: int) -> None:
    with write(db):
        db.execute("DELETE FROM actions WHERE id = ?", [action_id])


# --- workshops -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class WorkshopRow:
    id: int
    org_id: int
    assessment_id: int
    code: str
    clauses_json: str
    hide_names: int
    status: str
    created_by: str
    created_at: str
    closed_at: str | None

    @property
    def clauses(self) -> list[str]:
        return list(json.loads(self.clauses_json))


def create_workshop(
    db: sqlite_utils.Database, org_id: int, assessment_id: int, code: str, clauses: list[str], created_by: str
) -> int:
    with write(db):
        cursor = db.execute(
            "INSERT INTO workshops (org_id, assessment_id, code, clauses_json, created_by, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [org_id, assessment_id, code, json.dumps(clauses), created_by, now()],
        )
    return int(cursor.lastrowid)


def get_workshop(db: sqlite_utils.Database, org_id: int, workshop_id: int) -> WorkshopRow | None:
    """Return the workshop if it belongs to the organization, else None."""
    row = _first(db, "SELECT * FROM workshops WHERE id = ? AND org_id = ?", [workshop_id, org_id])
    return None if row is None else WorkshopRow(**row)


def workshop_by_code(db: sqlite_utils.Database, code: str) -> WorkshopRow | None:
    row = _first(db, "SELECT * FROM workshops WHERE code = ?", [code])
    return None if row is None else WorkshopRow(**row)


def workshops_of(db: sqlite_utils.Database, assessment_id: int) -> list[WorkshopRow]:
    return [
        WorkshopRow(**r)
        for r in db.query("SELECT * FROM workshops WHERE assessment_id = ? ORDER BY created_at, id", [assessment_id])
    ]


def set_workshop_names(db: sqlite_utils.Database, workshop_id: int, hide: bool) -> None:
    with write(db):
        db.execute("UPDATE workshops SET hide_names = ? WHERE id = ?", [int(hide), workshop_id])


def close_workshop(db: sqlite_utils.Database, workshop_id: int) -> None:
    """Close the workshop: every participant session of it ends at once (they are checked per request)."""
    with write(db):
        db.execute(
            "UPDATE workshops SET status = 'closed', closed_at = ? WHERE id = ? AND status = 'open'",
            [now(), workshop_id],
        )


def add_participant(
    db: sqlite_utils.Database, workshop_id: int, display_name: str, token_digest: str, user_id: int | None
) -> int:
    with write(db):
        cursor = db.execute(
            "INSERT INTO participants (workshop_id, display_name, token_digest, user_id, joined_at) "
            "VALUES (?, ?, ?, ?, ?)",
            [workshop_id, display_name, token_digest, user_id, now()],
        )
    return int(cursor.lastrowid)


def participant_by_token(db: sqlite_utils.Database, token_digest: str) -> dict[str, Any] | None:
    """Return the participant with its workshop's code and status, or None."""
    row = _first(
        db,
        "SELECT p.id, p.workshop_id, p.display_name, p.user_id, w.code, w.status, w.assessment_id, w.org_id "
        "FROM participants p JOIN workshops w ON w.id = p.workshop_id WHERE p.token_digest = ?",
        [token_digest],
    )
    return None if row is None else row


def participants_of(db: sqlite_utils.Database, workshop_id: int) -> list[dict[str, Any]]:
    return list(
        db.query(
            "SELECT id, display_name, user_id, joined_at FROM participants WHERE workshop_id = ? ORDER BY id",
            [workshop_id],
        )
    )


def save_rating(
    db: sqlite_utils.Database,
    workshop_id: int,
    participant_id: int,
    question_id: str,
    value: int | str | None,
    comment: str,
) -> None:
    """Store one participant's rating of one question (theirs alone: never the assessment's answer)."""
    with write(db):
        db.execute(
            "INSERT INTO ratings (participant_id, workshop_id, question_id, value, comment, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (participant_id, question_id) DO UPDATE SET "
            "value = excluded.value, comment = excluded.comment, updated_at = excluded.updated_at",
            [participant_id, workshop_id, question_id, _value_to_db(value), comment, now()],
        )


def ratings_of(db: sqlite_utils.Database, workshop_id: int) -> list[dict[str, Any]]:
    """Return every rating of the workshop with the participant's name, in joining order."""
    return [
        dict(r, value=_value_from_db(r["value"]))
        for r in db.query(
            "SELECT r.participant_id, p.display_name, r.question_id, r.value, r.comment, r.updated_at "
            "FROM ratings r JOIN participants p ON p.id = r.participant_id WHERE r.workshop_id = ? "
            "ORDER BY p.id, r.question_id",
            [workshop_id],
        )
    ]


def consensus_of(db: sqlite_utils.Database, workshop_id: int) -> dict[str, dict[str, Any]]:
    return {
        r["question_id"]: dict(r, value=_value_from_db(r["value"]))
        for r in db.query(
            "SELECT question_id, value, note, decided_by, decided_at FROM consensus WHERE workshop_id = ?",
            [workshop_id],
        )
    }


def record_consensus(
    db: sqlite_utils.Database,
    workshop: WorkshopRow,
    question_id: str,
    value: int | str,
    note: str,
    answer_note: str,
    author: str,
) -> None:
    """Record the room's agreed answer and make it the assessment's answer, in one transaction."""
    stamp = now()
    with write(db):
        db.execute(
            "INSERT INTO consensus (workshop_id, question_id, value, note, decided_by, decided_at) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (workshop_id, question_id) DO UPDATE SET "
            "value = excluded.value, note = excluded.note, decided_by = excluded.decided_by, "
            "decided_at = excluded.decided_at",
            [workshop.id, question_id, _value_to_db(value), note, author, stamp],
        )
        reason = answer_note if value == "na" else ""
        _put_answer(
            db, workshop.assessment_id, AnswerChange(question_id, value, answer_note, "", reason), author, stamp
        )
        db.execute("UPDATE assessments SET updated_at = ? WHERE id = ?", [stamp, workshop.assessment_id])


def workshop_record(db: sqlite_utils.Database, workshop: WorkshopRow) -> WorkshopRecord:
    """Return who rated what in a workshop and what was agreed, for the exchange format."""
    people = participants_of(db, workshop.id)
    index = {p["id"]: i for i, p in enumerate(people)}
    return WorkshopRecord(
        opened_at=workshop.created_at,
        closed_at=workshop.closed_at,
        clauses=tuple(workshop.clauses),
        participants=tuple(p["display_name"] for p in people),
        ratings=tuple(
            Rating(index[r["participant_id"]], r["question_id"], r["value"], r["comment"])
            for r in ratings_of(db, workshop.id)
        ),
        consensus=tuple(
            Agreement(qid, c["value"], c["note"]) for qid, c in sorted(consensus_of(db, workshop.id).items())
        ),
    )


def _insert_workshop_record(
    db: sqlite_utils.Database, org_id: int, assessment_id: int, record: WorkshopRecord, author: str
) -> None:
    """Store an imported workshop record, closed: its join code and participant tokens can never be used."""
    import secrets

    cursor = db.execute(
        "INSERT INTO workshops (org_id, assessment_id, code, clauses_json, status, created_by, created_at, closed_at) "
        "VALUES (?, ?, ?, ?, 'closed', ?, ?, ?)",
        [
            org_id,
            assessment_id,
            "imported-" + secrets.token_hex(8),
            json.dumps(list(record.clauses)),
            author,
            record.opened_at,
            record.closed_at or record.opened_at,
        ],
    )
    workshop_id = int(cursor.lastrowid)
    ids = []
    for name in record.participants:
        cursor = db.execute(
            "INSERT INTO participants (workshop_id, display_name, token_digest, joined_at) VALUES (?, ?, ?, ?)",
            [workshop_id, name, "imported-" + secrets.token_hex(16), record.opened_at],
        )
        ids.append(int(cursor.lastrowid))
    for rating in record.ratings:
        db.execute(
            "INSERT INTO ratings (participant_id, workshop_id, question_id, value, comment, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [
                ids[rating.participant],
                workshop_id,
                rating.question,
                _value_to_db(rating.value),
                rating.comment,
                record.opened_at,
            ],
        )
    for agreement in record.consensus:
        db.execute(
            "INSERT INTO consensus (workshop_id, question_id, value, note, decided_by, decided_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [
                workshop_id,
                agreement.question,
                _value_to_db(agreement.value),
                agreement.note,
                author,
                record.closed_at or record.opened_at,
            ],
        )


# --- backups -----------------------------------------------------------------------------------


def backup_to(db: sqlite_utils.Database, target: str | Path) -> None:
    """Write a consistent copy of the live database to `target` (SQLite's online backup), safe while it serves."""
    target = Path(target)
    if target.exists():
        raise FileExistsError(f"{target} exists already: choose a new file name")
    copy = connect(target)
    try:
        db.conn.backup(copy.conn)
    finally:
        copy.close()


# --- Flask glue: one connection per worker thread ------------------------------------------------


def get_db() -> sqlite_utils.Database:
    """Return this thread's connection to the app's database, opened on first use and then kept.

    Opening and closing a connection per request cost more than the request's own queries (closing
    the last connection checkpoints the WAL). Connections are made lazily, so each gunicorn worker
    opens its own after the fork; every transaction is opened and ended by `write()`, so nothing
    carries over from one request to the next.
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
    if db is not None and db.conn.in_transaction:  # only after a crash inside write(): never keep it open
        db.conn.execute("ROLLBACK")


def init_app(app: Any) -> None:
    """Create or migrate the database file, log the SQLite version, and set up per-thread connections."""
    db = connect(app.config["DATABASE"])
    try:
        version = sqlite_version(db)
        migrate(db)
    finally:
        db.close()
    if sqlite_is_safe(version):
        log.info("SQLite %s at %s", version, app.config["DATABASE"])
    else:
        log.warning("SQLite %s has the WAL-reset bug: install pysqlite3 (SQLite >= 3.51.3)", version)
    app.extensions["assess.sqlite_version"] = version
    app.extensions["assess.connections"] = threading.local()
    app.teardown_appcontext(_end_request)

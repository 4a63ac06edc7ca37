"""The one SQLite file: connections, migrations and small named queries (all SQL lives here).

Every connection runs in WAL mode with a busy timeout and foreign keys on; every write goes
through `write()`, which opens the transaction with BEGIN IMMEDIATE so concurrent writers queue
for the lock instead of failing with "database is locked" half-way through.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlite_utils

from assess.answers import Answer, Assessment, Organization

log = logging.getLogger(__name__)

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


MIGRATIONS: list[Callable[[sqlite_utils.Database], None]] = [_m001_initial, _m002_accounts]
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
    rows = list(db.query("SELECT * FROM organizations WHERE id = ?", [org_id]))
    return OrganizationRow(**rows[0]) if rows else None


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
    rows = list(db.query("SELECT * FROM assessments WHERE id = ? AND org_id = ?", [assessment_id, org_id]))
    return AssessmentRow(**rows[0]) if rows else None


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
    rows = list(db.query("SELECT * FROM users WHERE id = ?", [user_id]))
    return UserRow(**rows[0]) if rows else None


def get_user_by_email(db: sqlite_utils.Database, email: str) -> UserRow | None:
    rows = list(db.query("SELECT * FROM users WHERE email = ?", [email.strip()]))
    return UserRow(**rows[0]) if rows else None


def list_users(db: sqlite_utils.Database) -> list[UserRow]:
    return [UserRow(**r) for r in db.query("SELECT * FROM users ORDER BY email")]


def create_user(
    db: sqlite_utils.Database, email: str, password_hash: str, *, is_admin: bool = False, can_create: bool = False
) -> int:
    """Create an account and return its id; raises sqlite3.IntegrityError if the email is taken."""
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
    rows = list(
        db.query(
            "SELECT s.digest, s.user_id, s.created_at, s.last_seen_at, u.email, u.is_admin, u.can_create, u.disabled "
            "FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.digest = ?",
            [digest],
        )
    )
    return rows[0] if rows else None


def touch_session(db: sqlite_utils.Database, digest: str) -> None:
    with write(db):
        db.execute("UPDATE sessions SET last_seen_at = ? WHERE digest = ?", [now(), digest])


def end_session(db: sqlite_utils.Database, digest: str) -> None:
    with write(db):
        db.execute("DELETE FROM sessions WHERE digest = ?", [digest])


def login_failures(db: sqlite_utils.Database, email: str) -> tuple[int, str] | None:
    """Return (failures in a row, time of the last) for an email, or None."""
    rows = list(db.query("SELECT failures, last_failure_at FROM login_failures WHERE email = ?", [email.strip()]))
    return (rows[0]["failures"], rows[0]["last_failure_at"]) if rows else None


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
    rows = list(db.query("SELECT role FROM memberships WHERE user_id = ? AND org_id = ?", [user_id, org_id]))
    return str(rows[0]["role"]) if rows else None


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
    rows = list(
        db.query(
            "SELECT i.*, o.name AS org_name FROM invitations i JOIN organizations o ON o.id = i.org_id "
            "WHERE i.digest = ?",
            [digest],
        )
    )
    return rows[0] if rows else None


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


def load_organization(db: sqlite_utils.Database, org_id: int) -> Organization | None:
    """Return the organization with its profile and every assessment's answers, or None."""
    row = get_organization(db, org_id)
    if row is None:
        return None
    assessments = []
    for a in list_assessments(db, org_id):
        stored = get_answers(db, a.id)
        answers = {qid: s.as_answer() for qid, s in stored.items() if s.value is not None}
        assessments.append(
            Assessment(questionnaire=a.questionnaire, title=a.title, target=a.target, answers=answers)  # type: ignore[arg-type]
        )
    return Organization(name=row.name, profile=get_profile(db, org_id), assessments=tuple(assessments))


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
        for assessment in org.assessments:
            assessment_id = _insert_assessment(
                db, org_id, assessment.questionnaire, assessment.title, assessment.target
            )
            for qid, answer in assessment.answers.items():
                change = AnswerChange(qid, answer.value, answer.note, answer.evidence, answer.reason)
                _put_answer(db, assessment_id, change, author, stamp)
    return org_id


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


# --- Flask glue: one connection per request ---------------------------------------------------


def get_db() -> sqlite_utils.Database:
    """Return this request's database connection, opened on first use."""
    from flask import current_app, g

    if "db" not in g:
        g.db = connect(current_app.config["DATABASE"])
    return g.db  # type: ignore[no-any-return]


def close_db(_error: BaseException | None = None) -> None:
    from flask import g

    db = g.pop("db", None)
    if db is not None:
        db.close()


def init_app(app: Any) -> None:
    """Create or migrate the database file, log the SQLite version, close connections after requests."""
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
    app.teardown_appcontext(close_db)

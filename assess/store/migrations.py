"""The schema: migrations applied in order, PRAGMA user_version counting how many have run."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from assess.store.connection import Database, DatabaseError, DatabaseUnusable, connect, database_problem, transaction

log = logging.getLogger(__name__)


def _m001_initial(db: Database) -> None:
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


def _m002_accounts(db: Database) -> None:
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


def _m003_workshops(db: Database) -> None:
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


def _m004_actions(db: Database) -> None:
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


def _m005_answer_revisions(db: Database) -> None:
    # Every stored answer has a revision; every version in the history has the revision it made,
    # so a save can say which version it was made from (and conflicts can be found).
    db.execute("ALTER TABLE answers ADD COLUMN revision INTEGER NOT NULL DEFAULT 0")
    db.execute("ALTER TABLE answer_history ADD COLUMN revision INTEGER NOT NULL DEFAULT 0")
    db.execute("ALTER TABLE answer_history ADD COLUMN how TEXT NOT NULL DEFAULT ''")
    db.execute(
        "UPDATE answer_history SET revision = (SELECT count(*) FROM answer_history h "
        "WHERE h.assessment_id = answer_history.assessment_id AND h.question_id = answer_history.question_id "
        "AND h.id <= answer_history.id)"
    )
    db.execute(
        "UPDATE answers SET revision = (SELECT coalesce(max(h.revision), 0) FROM answer_history h "
        "WHERE h.assessment_id = answers.assessment_id AND h.question_id = answers.question_id)"
    )
    # answers copied into a new round had no history: they start it now
    db.execute(
        "INSERT INTO answer_history "
        "(assessment_id, question_id, value, note, evidence, reason, changed_at, changed_by, revision, how) "
        "SELECT assessment_id, question_id, value, note, evidence, reason, updated_at, updated_by, 1, 'copied' "
        "FROM answers WHERE revision = 0"
    )
    db.execute("UPDATE answers SET revision = 1 WHERE revision = 0")
    db.execute("CREATE UNIQUE INDEX answer_history_revision ON answer_history(assessment_id, question_id, revision)")
    # A workbook upload with conflicts waits here until its uploader says how to settle each one.
    db.execute(
        """
        CREATE TABLE pending_uploads (
            digest TEXT PRIMARY KEY,
            assessment_id INTEGER NOT NULL REFERENCES assessments(id) ON DELETE CASCADE,
            uploaded_by TEXT NOT NULL,
            created_at TEXT NOT NULL,
            payload_json TEXT NOT NULL
        )"""
    )


def _m006_removed_participants(db: Database) -> None:
    # A participant the facilitator removed: their token stops working and their ratings stop counting,
    # but the rows stay (who was removed when) rather than vanishing from the record.
    db.execute("ALTER TABLE participants ADD COLUMN removed_at TEXT")


def _m007_limits(db: Database) -> None:
    # Counters of attempts by key ("login-pair <address> <email>", "join-address <address>", ...):
    # growing login delays per account and per client, and caps on joining workshops. They replace
    # login_failures, which counted per email only and could keep the owner out.
    db.execute(
        """
        CREATE TABLE rate_counters (
            key TEXT PRIMARY KEY,
            count INTEGER NOT NULL,
            first_at TEXT NOT NULL,
            last_at TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX rate_counters_last ON rate_counters(last_at)")
    db.execute("DROP TABLE login_failures")
    db.execute(
        "ALTER TABLE workshops ADD COLUMN max_participants INTEGER NOT NULL DEFAULT 200 "
        "CHECK (max_participants BETWEEN 1 AND 1000)"
    )
    # The one-time code that creates the first administrator (printed by the server and `assess setup-code`).
    db.execute(
        """
        CREATE TABLE setup_code (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            code TEXT NOT NULL,
            created_at TEXT NOT NULL
        )"""
    )


def _m008_profile_authors(db: Database) -> None:
    # Who last wrote each profile value: a page that finds a fact changed since it was shown says
    # by whom and when (values written before this migration have no author: '').
    db.execute("ALTER TABLE profile_values ADD COLUMN updated_by TEXT NOT NULL DEFAULT ''")


MIGRATIONS: list[Callable[[Database], None]] = [
    _m001_initial,
    _m002_accounts,
    _m003_workshops,
    _m004_actions,
    _m005_answer_revisions,
    _m006_removed_participants,
    _m007_limits,
    _m008_profile_authors,
]
"""Applied in order; PRAGMA user_version records how many have run. Only ever append."""


def migrate(db: Database) -> int:
    """Apply the migrations the file has not had yet; return the schema version now."""
    with transaction(db):
        version = db.execute("PRAGMA user_version").fetchone()[0]
        for number, migration in enumerate(MIGRATIONS[version:], start=version + 1):
            log.info("applying migration %d (%s)", number, migration.__name__)
            migration(db)
            db.execute(f"PRAGMA user_version = {number}")
    return len(MIGRATIONS)


def open_database(path: str | Path) -> Database:
    """Return a connection to the app's database file, created and migrated as needed.

    Raises DatabaseUnusable, in one sentence, when the file cannot be the database: empty (a
    zero-length file is a failed copy, never a fresh install), damaged, unreadable, read-only, written
    by a newer version, or on a full disk.
    """
    path = Path(path)
    if path.exists() and path.is_file() and path.stat().st_size == 0:
        raise DatabaseUnusable(
            f"{path} is empty (0 bytes), so it is not an assess database: if this is a new install, delete it; "
            "if you restored a backup, the copy failed: copy the backup again."
        )
    try:
        db = connect(path)
    except (DatabaseError, OSError) as error:
        raise DatabaseUnusable(database_problem(path, error)) from None
    try:
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version > len(MIGRATIONS):
            raise DatabaseUnusable(
                f"{path} was written by a newer version of assess (schema {version}; this one knows "
                f"{len(MIGRATIONS)}): run that version, or restore a backup made by this one."
            )
        migrate(db)
    except (DatabaseError, OSError) as error:
        db.close()
        raise DatabaseUnusable(database_problem(path, error)) from None
    except DatabaseUnusable:
        db.close()
        raise
    return db

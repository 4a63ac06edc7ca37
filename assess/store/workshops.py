"""Workshops: the room's join code, its participants, their ratings, and the consensus recorded."""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass

from assess.core.answers import Agreement, Rating, Value, WorkshopRecord, from_storage, storage_text
from assess.store.connection import Database, first, inserted_id, now, transaction


@dataclass(frozen=True)
class WorkshopRow:
    """One workshop on an assessment: its join code, chosen clauses (none: all) and status."""

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
    max_participants: int = 200

    @property
    def clauses(self) -> list[str]:
        return list(json.loads(self.clauses_json))


@dataclass(frozen=True)
class ParticipantRow:
    """One person who joined a workshop."""

    id: int
    workshop_id: int
    display_name: str
    user_id: int | None
    joined_at: str


@dataclass(frozen=True)
class ParticipantSession:
    """A participant as their browser's token finds them, with their workshop's code, status and owner."""

    id: int
    workshop_id: int
    display_name: str
    user_id: int | None
    code: str
    status: str
    assessment_id: int
    org_id: int


@dataclass(frozen=True)
class RatingRow:
    """One participant's rating of one question, with their display name."""

    participant_id: int
    display_name: str
    question_id: str
    value: Value | None
    comment: str
    updated_at: str


@dataclass(frozen=True)
class ConsensusRow:
    """The answer a workshop agreed on for one question, and who recorded it when."""

    question_id: str
    value: Value
    note: str
    decided_by: str
    decided_at: str


def create_workshop(
    db: Database,
    org_id: int,
    assessment_id: int,
    code: str,
    clauses: list[str],
    created_by: str,
    max_participants: int = 200,
) -> int:
    """Open a workshop on an assessment's clauses (all when empty) for at most `max_participants`;
    raises IntegrityError if the code is taken."""
    with transaction(db):
        return inserted_id(
            db.execute(
                "INSERT INTO workshops (org_id, assessment_id, code, clauses_json, created_by, created_at, "
                "max_participants) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [org_id, assessment_id, code, json.dumps(clauses), created_by, now(), max_participants],
            )
        )


def get_workshop(db: Database, org_id: int, workshop_id: int) -> WorkshopRow | None:
    """Return the workshop if it belongs to the organization, else None."""
    row = first(db, "SELECT * FROM workshops WHERE id = ? AND org_id = ?", [workshop_id, org_id])
    return None if row is None else WorkshopRow(**row)


def workshop_by_code(db: Database, code: str) -> WorkshopRow | None:
    """Return the workshop with this join code, or None."""
    row = first(db, "SELECT * FROM workshops WHERE code = ?", [code])
    return None if row is None else WorkshopRow(**row)


def workshops_of(db: Database, assessment_id: int) -> list[WorkshopRow]:
    """Return the assessment's workshops, oldest first."""
    return [
        WorkshopRow(**r)
        for r in db.query("SELECT * FROM workshops WHERE assessment_id = ? ORDER BY created_at, id", [assessment_id])
    ]


def set_workshop_names(db: Database, workshop_id: int, hide: bool) -> None:
    """Hide or show participants' names on the facilitator's screen and in the recorded comments."""
    with transaction(db):
        db.execute("UPDATE workshops SET hide_names = ? WHERE id = ?", [int(hide), workshop_id])


def close_workshop(db: Database, workshop_id: int) -> None:
    """Close the workshop: every participant session of it ends at once (they are checked per request)."""
    with transaction(db):
        db.execute(
            "UPDATE workshops SET status = 'closed', closed_at = ? WHERE id = ? AND status = 'open'",
            [now(), workshop_id],
        )


def add_participant(db: Database, workshop_id: int, display_name: str, token_digest: str, user_id: int | None) -> int:
    """Add a participant (by their token's digest) and return their id."""
    with transaction(db):
        return inserted_id(
            db.execute(
                "INSERT INTO participants (workshop_id, display_name, token_digest, user_id, joined_at) "
                "VALUES (?, ?, ?, ?, ?)",
                [workshop_id, display_name, token_digest, user_id, now()],
            )
        )


def count_participants(db: Database, workshop_id: int) -> int:
    """Return how many people are in the workshop (those the facilitator removed free their place)."""
    return int(
        db.execute(
            "SELECT count(*) FROM participants WHERE workshop_id = ? AND removed_at IS NULL", [workshop_id]
        ).fetchone()[0]
    )


def participant_by_token(db: Database, token_digest: str) -> ParticipantSession | None:
    """Return the participant with its workshop's code and status, or None."""
    row = first(
        db,
        "SELECT p.id, p.workshop_id, p.display_name, p.user_id, w.code, w.status, w.assessment_id, w.org_id "
        "FROM participants p JOIN workshops w ON w.id = p.workshop_id "
        "WHERE p.token_digest = ? AND p.removed_at IS NULL",
        [token_digest],
    )
    return None if row is None else ParticipantSession(**row)


@dataclass(frozen=True)
class ParticipantStanding:
    """Where a browser's participant token stands, whatever happened since: for the page that says so."""

    display_name: str
    code: str
    status: str
    removed: bool
    rated: int


def participant_standing(db: Database, token_digest: str) -> ParticipantStanding | None:
    """Return the participant's workshop code and status, whether they were removed and how many
    questions they rated, or None for an unknown token."""
    row = first(
        db,
        "SELECT p.display_name, w.code, w.status, p.removed_at IS NOT NULL AS removed, "
        "(SELECT COUNT(*) FROM ratings r WHERE r.participant_id = p.id AND r.value IS NOT NULL) AS rated "
        "FROM participants p JOIN workshops w ON w.id = p.workshop_id WHERE p.token_digest = ?",
        [token_digest],
    )
    return None if row is None else ParticipantStanding(**dict(row, removed=bool(row["removed"])))


def remove_participant(db: Database, workshop_id: int, participant_id: int) -> bool:
    """Remove a participant from the workshop (their ratings stop counting); return whether one was removed."""
    with transaction(db):
        cursor = db.execute(
            "UPDATE participants SET removed_at = ? WHERE id = ? AND workshop_id = ? AND removed_at IS NULL",
            [now(), participant_id, workshop_id],
        )
    return bool(cursor.rowcount)


def participants_of(db: Database, workshop_id: int) -> list[ParticipantRow]:
    """Return the workshop's participants in joining order (not those the facilitator removed)."""
    return [
        ParticipantRow(**r)
        for r in db.query(
            "SELECT id, workshop_id, display_name, user_id, joined_at FROM participants WHERE workshop_id = ? "
            "AND removed_at IS NULL ORDER BY id",
            [workshop_id],
        )
    ]


def save_rating(
    db: Database, workshop_id: int, participant_id: int, question_id: str, value: Value | None, comment: str
) -> None:
    """Store one participant's rating of one question (theirs alone: never the assessment's answer)."""
    with transaction(db):
        db.execute(
            "INSERT INTO ratings (participant_id, workshop_id, question_id, value, comment, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (participant_id, question_id) DO UPDATE SET "
            "value = excluded.value, comment = excluded.comment, updated_at = excluded.updated_at",
            [participant_id, workshop_id, question_id, storage_text(value), comment, now()],
        )


def ratings_of(db: Database, workshop_id: int) -> list[RatingRow]:
    """Return every rating of the workshop that counts (not of removed participants) with the
    participant's name, in joining order."""
    return [
        RatingRow(**dict(r, value=from_storage(r["value"])))
        for r in db.query(
            "SELECT r.participant_id, p.display_name, r.question_id, r.value, r.comment, r.updated_at "
            "FROM ratings r JOIN participants p ON p.id = r.participant_id WHERE r.workshop_id = ? "
            "AND p.removed_at IS NULL ORDER BY p.id, r.question_id",
            [workshop_id],
        )
    ]


def consensus_of(db: Database, workshop_id: int) -> dict[str, ConsensusRow]:
    """Return question id -> the consensus recorded for it in the workshop."""
    return {
        r["question_id"]: ConsensusRow(**dict(r, value=from_storage(r["value"])))
        for r in db.query(
            "SELECT question_id, value, note, decided_by, decided_at FROM consensus WHERE workshop_id = ?",
            [workshop_id],
        )
    }


def record_consensus(db: Database, workshop_id: int, question_id: str, value: Value, note: str, author: str) -> str:
    """Record (or replace) the room's agreed answer to one question; return the time recorded."""
    stamp = now()
    with transaction(db):
        db.execute(
            "INSERT INTO consensus (workshop_id, question_id, value, note, decided_by, decided_at) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (workshop_id, question_id) DO UPDATE SET "
            "value = excluded.value, note = excluded.note, decided_by = excluded.decided_by, "
            "decided_at = excluded.decided_at",
            [workshop_id, question_id, storage_text(value), note, author, stamp],
        )
    return stamp


def workshop_record(db: Database, workshop: WorkshopRow) -> WorkshopRecord:
    """Return who rated what in a workshop and what was agreed, for the exchange format."""
    people = participants_of(db, workshop.id)
    index = {p.id: i for i, p in enumerate(people)}
    return WorkshopRecord(
        opened_at=workshop.created_at,
        closed_at=workshop.closed_at,
        clauses=tuple(workshop.clauses),
        participants=tuple(p.display_name for p in people),
        ratings=tuple(
            Rating(index[r.participant_id], r.question_id, r.value, r.comment) for r in ratings_of(db, workshop.id)
        ),
        consensus=tuple(Agreement(qid, c.value, c.note) for qid, c in sorted(consensus_of(db, workshop.id).items())),
    )


def insert_workshop_record(db: Database, org_id: int, assessment_id: int, record: WorkshopRecord, author: str) -> int:
    """Store an imported workshop record, closed: its join code and participant tokens can never be used."""
    with transaction(db):
        workshop_id = inserted_id(
            db.execute(
                "INSERT INTO workshops (org_id, assessment_id, code, clauses_json, status, created_by, created_at, "
                "closed_at) VALUES (?, ?, ?, ?, 'closed', ?, ?, ?)",
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
        )
        ids = [
            inserted_id(
                db.execute(
                    "INSERT INTO participants (workshop_id, display_name, token_digest, joined_at) VALUES (?, ?, ?, ?)",
                    [workshop_id, name, "imported-" + secrets.token_hex(16), record.opened_at],
                )
            )
            for name in record.participants
        ]
        db.conn.executemany(
            "INSERT INTO ratings (participant_id, workshop_id, question_id, value, comment, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [
                (ids[r.participant], workshop_id, r.question, storage_text(r.value), r.comment, record.opened_at)
                for r in record.ratings
            ],
        )
        db.conn.executemany(
            "INSERT INTO consensus (workshop_id, question_id, value, note, decided_by, decided_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [
                (workshop_id, a.question, storage_text(a.value), a.note, author, record.closed_at or record.opened_at)
                for a in record.consensus
            ],
        )
    return workshop_id

"""Assessments and their answers: one row per answer, and every change kept in the history."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from assess.core.answers import Answer, from_storage, storage_text
from assess.store.connection import Database, first, inserted_id, now, transaction


@dataclass(frozen=True)
class AssessmentRow:
    """One assessment (a questionnaire and a round) of an organization, as stored."""

    id: int
    org_id: int
    questionnaire: str
    title: str
    target: int
    created_at: str
    updated_at: str


@dataclass(frozen=True)
class StoredAnswer(Answer):
    """An answer as stored, with who changed it last and when."""

    updated_at: str = ""
    updated_by: str = ""


@dataclass(frozen=True)
class AnswerVersion:
    """One recorded version of an answer, in the history."""

    value: int | str | None
    note: str
    evidence: str
    reason: str
    changed_at: str
    changed_by: str


@dataclass(frozen=True)
class Saved:
    """What a save did: when, and which questions' answers it changed (the others were as stored)."""

    at: str
    changed: tuple[str, ...]


def list_assessments(db: Database, org_id: int) -> list[AssessmentRow]:
    """Return the organization's assessments, oldest first."""
    return [
        AssessmentRow(**r)
        for r in db.query("SELECT * FROM assessments WHERE org_id = ? ORDER BY created_at, id", [org_id])
    ]


def get_assessment(db: Database, org_id: int, assessment_id: int) -> AssessmentRow | None:
    """Return the assessment if it belongs to the organization, else None."""
    row = first(db, "SELECT * FROM assessments WHERE id = ? AND org_id = ?", [assessment_id, org_id])
    return None if row is None else AssessmentRow(**row)


def create_assessment(db: Database, org_id: int, questionnaire: str, title: str, target: int) -> int:
    """Create an empty assessment and return its id."""
    stamp = now()
    with transaction(db):
        return inserted_id(
            db.execute(
                "INSERT INTO assessments (org_id, questionnaire, title, target, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [org_id, questionnaire, title, target, stamp, stamp],
            )
        )


def update_assessment(db: Database, assessment_id: int, title: str, target: int) -> None:
    """Change an assessment's title and target level."""
    with transaction(db):
        db.execute(
            "UPDATE assessments SET title = ?, target = ?, updated_at = ? WHERE id = ?",
            [title, target, now(), assessment_id],
        )


def delete_assessment(db: Database, assessment_id: int) -> None:
    """Delete an assessment with its answers and workshops (its actions stay, without their round)."""
    with transaction(db):
        db.execute("DELETE FROM assessments WHERE id = ?", [assessment_id])


def duplicate_assessment(db: Database, source: AssessmentRow, title: str) -> int:
    """Copy an assessment with all its answers under a new title; return the new id."""
    with transaction(db):
        new_id = create_assessment(db, source.org_id, source.questionnaire, title, source.target)
        db.execute(
            "INSERT INTO answers (assessment_id, question_id, value, note, evidence, reason, updated_at, updated_by) "
            "SELECT ?, question_id, value, note, evidence, reason, updated_at, updated_by "
            "FROM answers WHERE assessment_id = ?",
            [new_id, source.id],
        )
    return new_id


def get_answers(db: Database, assessment_id: int) -> dict[str, StoredAnswer]:
    """Return the assessment's stored answers by question id."""
    return {
        r["question_id"]: StoredAnswer(
            value=from_storage(r["value"]),
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


def _put_answer(db: Database, assessment_id: int, question_id: str, answer: Answer, author: str, stamp: str) -> bool:
    """Write one answer unless it is exactly what is stored; return whether it was written."""
    new = (storage_text(answer.value), answer.note, answer.evidence, answer.reason)
    current = first(
        db,
        "SELECT value, note, evidence, reason FROM answers WHERE assessment_id = ? AND question_id = ?",
        [assessment_id, question_id],
    )
    if current is not None and tuple(current.values()) == new:
        return False
    db.execute(
        "INSERT INTO answers (assessment_id, question_id, value, note, evidence, reason, updated_at, updated_by) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (assessment_id, question_id) DO UPDATE SET value = excluded.value, note = excluded.note, "
        "evidence = excluded.evidence, reason = excluded.reason, updated_at = excluded.updated_at, "
        "updated_by = excluded.updated_by",
        [assessment_id, question_id, *new, stamp, author],
    )
    db.execute(
        "INSERT INTO answer_history "
        "(assessment_id, question_id, value, note, evidence, reason, changed_at, changed_by) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [assessment_id, question_id, *new, stamp, author],
    )
    return True


def save_answers(db: Database, assessment_id: int, answers: Mapping[str, Answer], author: str = "") -> Saved:
    """Store the answers (each one that differs from what is stored; history kept); return what changed."""
    stamp = now()
    with transaction(db):
        changed = tuple(
            qid for qid, answer in answers.items() if _put_answer(db, assessment_id, qid, answer, author, stamp)
        )
        if changed:
            db.execute("UPDATE assessments SET updated_at = ? WHERE id = ?", [stamp, assessment_id])
    return Saved(stamp, changed)


def answer_history(db: Database, assessment_id: int, question_id: str) -> list[AnswerVersion]:
    """Return every recorded version of one answer, oldest first."""
    return [
        AnswerVersion(**dict(r, value=from_storage(r["value"])))
        for r in db.query(
            "SELECT value, note, evidence, reason, changed_at, changed_by FROM answer_history "
            "WHERE assessment_id = ? AND question_id = ? ORDER BY id",
            [assessment_id, question_id],
        )
    ]

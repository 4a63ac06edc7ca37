"""Assessments and their answers: one row per answer, and every change kept in the history."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from assess.core.answers import Answer, from_storage, storage_text
from assess.core.revisions import EMPTY, Merged, changed_between, changed_parts, merge
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
    """An answer as stored, with its revision and who changed it last and when."""

    updated_at: str = ""
    updated_by: str = ""
    revision: int = 0


@dataclass(frozen=True)
class AnswerVersion:
    """One recorded version of an answer, in the history: revision `revision`, made by `changed_by`."""

    revision: int
    value: int | str | None
    note: str
    evidence: str
    reason: str
    changed_at: str
    changed_by: str
    how: str = ""

    @property
    def answer(self) -> Answer:
        """Return the version's four parts as an answer."""
        return Answer(self.value, self.note, self.evidence, self.reason)


@dataclass(frozen=True)
class Edit:
    """One question's answer as a sender wants it, made from the version with revision `base`.

    `base` None writes over what is stored (an import, or a sender that shows no revision);
    `touched` names the parts the sender set (default: those that differ from the base).
    """

    answer: Answer
    base: int | None = None
    touched: frozenset[str] | None = None
    how: str = ""


@dataclass(frozen=True)
class Conflict:
    """A question nothing was written to: the sender and someone else changed the same parts since its base."""

    question_id: str
    parts: frozenset[str]
    mine: Answer
    theirs: StoredAnswer


@dataclass(frozen=True)
class Saved:
    """What a save did: when, which answers it changed, every saved question's revision now, and the conflicts."""

    at: str
    changed: tuple[str, ...]
    revisions: Mapping[str, int] = field(default_factory=dict)
    conflicts: tuple[Conflict, ...] = ()


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


def duplicate_assessment(db: Database, source: AssessmentRow, title: str, author: str = "") -> int:
    """Copy an assessment with all its answers under a new title; return the new id.

    Each copied answer starts the new round's history at revision 1.
    """
    with transaction(db):
        new_id = create_assessment(db, source.org_id, source.questionnaire, title, source.target)
        db.execute(
            "INSERT INTO answers (assessment_id, question_id, value, note, evidence, reason, updated_at, updated_by, "
            "revision) SELECT ?, question_id, value, note, evidence, reason, updated_at, updated_by, 1 "
            "FROM answers WHERE assessment_id = ?",
            [new_id, source.id],
        )
        db.execute(
            "INSERT INTO answer_history "
            "(assessment_id, question_id, value, note, evidence, reason, changed_at, changed_by, revision, how) "
            "SELECT assessment_id, question_id, value, note, evidence, reason, updated_at, ?, 1, ? "
            "FROM answers WHERE assessment_id = ?",
            [author, f"copied from {source.title}", new_id],
        )
    return new_id


_ANSWERS_OF = (
    "SELECT question_id, value, note, evidence, reason, updated_at, updated_by, revision FROM answers "
    "WHERE assessment_id = ?"
)


def _stored(row: Mapping[str, Any]) -> StoredAnswer:
    return StoredAnswer(
        value=from_storage(row["value"]),
        note=row["note"],
        evidence=row["evidence"],
        reason=row["reason"],
        updated_at=row["updated_at"],
        updated_by=row["updated_by"],
        revision=row["revision"],
    )


def get_answers(db: Database, assessment_id: int) -> dict[str, StoredAnswer]:
    """Return the assessment's stored answers by question id."""
    return {r["question_id"]: _stored(r) for r in db.query(_ANSWERS_OF, [assessment_id])}


def get_answer(db: Database, assessment_id: int, question_id: str) -> StoredAnswer | None:
    """Return one stored answer, or None when nothing is stored for the question."""
    row = first(
        db,
        _ANSWERS_OF + " AND question_id = ?",
        [assessment_id, question_id],
    )
    return None if row is None else _stored(row)


def _versions_since(db: Database, assessment_id: int, question_id: str, revision: int) -> list[Answer] | None:
    """Return the answer at `revision` (0: nothing) and every version after it, oldest first; None when
    that revision never existed."""
    found = list(
        db.query(
            "SELECT revision, value, note, evidence, reason FROM answer_history "
            "WHERE assessment_id = ? AND question_id = ? AND revision >= ? ORDER BY revision",
            [assessment_id, question_id, max(revision, 1)],
        )
    )
    rows = [Answer(from_storage(r["value"]), r["note"], r["evidence"], r["reason"]) for r in found]
    if revision == 0:
        return [EMPTY, *rows]
    return rows if found and found[0]["revision"] == revision else None


def _write(
    db: Database, assessment_id: int, question_id: str, answer: Answer, revision: int, author: str, stamp: str, how: str
) -> None:
    new = (storage_text(answer.value), answer.note, answer.evidence, answer.reason)
    db.execute(
        "INSERT INTO answers (assessment_id, question_id, value, note, evidence, reason, updated_at, updated_by, "
        "revision) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (assessment_id, question_id) DO UPDATE SET value = excluded.value, note = excluded.note, "
        "evidence = excluded.evidence, reason = excluded.reason, updated_at = excluded.updated_at, "
        "updated_by = excluded.updated_by, revision = excluded.revision",
        [assessment_id, question_id, *new, stamp, author, revision],
    )
    db.execute(
        "INSERT INTO answer_history "
        "(assessment_id, question_id, value, note, evidence, reason, changed_at, changed_by, revision, how) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [assessment_id, question_id, *new, stamp, author, revision, how],
    )


def save_answers(
    db: Database, assessment_id: int, answers: Mapping[str, Answer | Edit], author: str = "", how: str = ""
) -> Saved:
    """Store the answers, each merged with what others saved since its base (history kept), in one transaction.

    A plain Answer (or an Edit without a base) writes over what is stored. An Edit with a base
    writes only the parts the sender changed; where someone else changed the same part since,
    nothing of that question is written and the save returns it as a Conflict.
    """
    stamp = now()
    changed: list[str] = []
    revisions: dict[str, int] = {}
    conflicts: list[Conflict] = []
    with transaction(db):
        for qid, given in answers.items():
            edit = given if isinstance(given, Edit) else Edit(given)
            current = get_answer(db, assessment_id, qid)
            stored_now = EMPTY if current is None else current.plain()
            revision = 0 if current is None else current.revision
            if edit.base is None or edit.base == revision:
                merged = merge(stored_now, stored_now, edit.answer, edit.touched)
            else:
                versions = _versions_since(db, assessment_id, qid, edit.base) if edit.base < revision else None
                if versions is None:  # a revision that never existed: every difference is a conflict
                    merged = Merged(None, changed_parts(stored_now, edit.answer))
                else:
                    merged = merge(versions[0], stored_now, edit.answer, edit.touched, changed_between(versions))
            if merged.conflicted:
                conflicts.append(Conflict(qid, merged.conflicts, edit.answer, current or StoredAnswer(None)))
                continue
            if merged.answer is not None:
                revision += 1
                _write(db, assessment_id, qid, merged.answer, revision, author, stamp, edit.how or how)
                changed.append(qid)
            revisions[qid] = revision
        if changed:
            db.execute("UPDATE assessments SET updated_at = ? WHERE id = ?", [stamp, assessment_id])
    return Saved(stamp, tuple(changed), revisions, tuple(conflicts))


def changed_since(db: Database, assessment_id: int, question_id: str, revision: int) -> frozenset[str] | None:
    """Return the parts of an answer changed by any version after `revision`, or None when that
    revision never existed."""
    versions = _versions_since(db, assessment_id, question_id, revision)
    return None if versions is None else changed_between(versions)


def answer_history(db: Database, assessment_id: int, question_id: str) -> list[AnswerVersion]:
    """Return every recorded version of one answer, oldest first."""
    return [
        AnswerVersion(**dict(r, value=from_storage(r["value"])))
        for r in db.query(
            "SELECT revision, value, note, evidence, reason, changed_at, changed_by, how FROM answer_history "
            "WHERE assessment_id = ? AND question_id = ? ORDER BY id",
            [assessment_id, question_id],
        )
    ]


def questionnaires_in_use(db: Database) -> set[str]:
    """Return the ids of the questionnaires that stored assessments are of."""
    return {str(r["questionnaire"]) for r in db.query("SELECT DISTINCT questionnaire FROM assessments")}

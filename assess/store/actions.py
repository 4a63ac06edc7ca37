"""The action plan: actions made from gaps, owned, dated and closed (never touching an answer)."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from assess.core.actions import ActionEdit
from assess.core.answers import Action
from assess.store.connection import Database, first, inserted_id, now, transaction


@dataclass(frozen=True)
class ActionRow:
    """One action of an organization's plan, as stored."""

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

    @property
    def version(self) -> str:
        """Return a short fingerprint of what the action says now: it changes with every change,
        even two within the same second, so an editor can tell whether the action moved on."""
        text = "\x1f".join((self.what, self.owner, self.due, self.status, self.updated_at))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]

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


def create_action(db: Database, org_id: int, assessment_id: int | None, action: Action, author: str) -> int:
    """Add an action to the organization's plan; return its id."""
    stamp = now()
    with transaction(db):
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
    return inserted_id(cursor)


def get_action(db: Database, org_id: int, action_id: int) -> ActionRow | None:
    """Return the action if it belongs to the organization, else None."""
    row = first(db, "SELECT * FROM actions WHERE id = ? AND org_id = ?", [action_id, org_id])
    return None if row is None else ActionRow(**row)


def list_actions(db: Database, org_id: int, assessment_id: int | None = None) -> list[ActionRow]:
    """Return the organization's actions (only those of one assessment, if given), oldest first."""
    if assessment_id is None:
        rows = db.query("SELECT * FROM actions WHERE org_id = ? ORDER BY id", [org_id])
    else:
        rows = db.query(
            "SELECT * FROM actions WHERE org_id = ? AND assessment_id = ? ORDER BY id", [org_id, assessment_id]
        )
    return [ActionRow(**r) for r in rows]


def open_actions_by_question(db: Database, org_id: int, questionnaire: str) -> dict[str, ActionRow]:
    """Return question id -> the newest action not yet done for it, over one questionnaire's questions."""
    return {
        r["question_id"]: ActionRow(**r)
        for r in db.query(
            "SELECT * FROM actions WHERE org_id = ? AND questionnaire = ? AND status != 'done' ORDER BY id",
            [org_id, questionnaire],
        )
    }


def update_action(db: Database, action_id: int, *, what: str, owner: str, due: str, status: str) -> None:
    """Change what an action says, who owns it, when it is due and how far it is (never an answer)."""
    with transaction(db):
        db.execute(
            "UPDATE actions SET what = ?, owner = ?, due = ?, status = ?, updated_at = ? WHERE id = ?",
            [what, owner, due, status, now(), action_id],
        )


def delete_action(db: Database, action_id: int) -> None:
    """Take an action out of the plan."""
    with transaction(db):
        db.execute("DELETE FROM actions WHERE id = ?", [action_id])


def create_actions(
    db: Database, org_id: int, assessment_id: int | None, actions: Sequence[Action], author: str
) -> list[int]:
    """Add several actions to the organization's plan in one transaction; return their ids in order."""
    with transaction(db):
        return [create_action(db, org_id, assessment_id, action, author) for action in actions]


@dataclass(frozen=True)
class EditConflict:
    """An action the plan table would have overwritten: someone changed it (`now`) or deleted it
    (`now` is None) after the editor loaded the table."""

    id: int
    now: ActionRow | None


def save_action_edits(db: Database, org_id: int, edits: Sequence[ActionEdit]) -> tuple[int, list[EditConflict]]:
    """Save the edits of the plan table all together or not at all; return (how many actions
    changed, conflicts). With any conflict nothing is saved: an edit conflicts when its action is
    gone, or changed since the version the editor saw into something other than the edit, and the
    editor changed it too (a row sent as it was shown leaves the newer change as it is)."""
    conflicts: list[EditConflict] = []
    writes: list[ActionEdit] = []
    with transaction(db):  # the write lock is held from the first read, so nobody changes a row between
        for edit in edits:
            row = get_action(db, org_id, edit.id)
            if row is None:
                conflicts.append(EditConflict(edit.id, None))
            elif (row.what, row.owner, row.due, row.status) == (edit.what, edit.owner, edit.due, edit.status):
                continue
            elif edit.seen and edit.seen != row.version:
                if edit.untouched:
                    continue  # someone else changed a row this editor left as shown: theirs stands
                conflicts.append(EditConflict(edit.id, row))
            else:
                writes.append(edit)
        if conflicts:
            return 0, conflicts
        for edit in writes:
            update_action(db, edit.id, what=edit.what, owner=edit.owner, due=edit.due, status=edit.status)
    return len(writes), []

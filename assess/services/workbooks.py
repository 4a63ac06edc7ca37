"""Importing a filled workbook into a stored assessment: its answers and its action plan, whole or
not at all, and any conflict with a change made in the app meanwhile settled first.

Each answer row is merged against the revision it was downloaded with. When someone changed the
same part in the app since, nothing of the workbook is imported: the upload waits in the store
(`store.uploads`, a day at most, for its uploader only) with its conflicts until the uploader
chooses, per conflict, which version to keep; then answers and plan are imported at once, or the
upload is shown again if something changed meanwhile.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from assess.core.accounts import new_token, token_digest
from assess.core.answers import Answer
from assess.core.questionnaire import QuestionBank
from assess.formats.workbook import WorkbookError, read_workbook_answers
from assess.formats.workbook_actions import ActionSheetRow, action_sheet_changes, read_action_sheet
from assess.services.answers import save_answers, settle
from assess.services.results import findings_of
from assess.store import actions, uploads
from assess.store.answers import AssessmentRow, Conflict, Edit, Saved, StoredAnswer
from assess.store.connection import Database, transaction

RESOLUTION_CHOICES = ("theirs", "mine", "both")


@dataclass(frozen=True)
class Upload:
    """What importing a workbook did: imported (`saved`, and the plan's changes), or waiting with its
    `token` and the sheet rows of its conflicts."""

    saved: Saved
    token: str | None = None
    rows: Mapping[str, int] | None = None
    actions_changed: int = 0
    actions_added: int = 0
    plan_read: bool = True

    @property
    def waiting(self) -> bool:
        return self.token is not None

    def summary(self) -> str:
        """Return what the import changed, in one sentence for the person who uploaded it."""
        changed = len(self.saved.changed)
        text = f"Workbook imported: {changed} answer(s) changed, {len(self.saved.revisions) - changed} unchanged"
        if self.plan_read:
            text += f"; {self.actions_changed} action(s) changed, {self.actions_added} added to the action plan"
        else:
            text += "; its Action plan sheet is from an older download and was not read"
        return text + "."


class _Conflicted(Exception):
    def __init__(self, saved: Saved):
        self.saved = saved


def _edits(payload: Mapping[str, Any], choices: Mapping[str, str] | None = None) -> dict[str, Edit]:
    edits = {
        qid: Edit(
            Answer(data["value"], data.get("note", ""), data.get("evidence", ""), data.get("reason", "")),
            base=payload["revisions"].get(qid),
            how="workbook",
        )
        for qid, data in payload["answers"].items()
    }
    if choices:
        edits = settle(edits, {c["question"]: _conflict_of(c) for c in payload.get("conflicts", [])}, choices)
    return edits


def _conflict_data(conflict: Conflict) -> dict[str, Any]:
    theirs = conflict.theirs
    return {
        "question": conflict.question_id,
        "parts": sorted(conflict.parts),
        "theirs": {
            "value": theirs.value,
            "note": theirs.note,
            "evidence": theirs.evidence,
            "reason": theirs.reason,
            "by": theirs.updated_by,
            "at": theirs.updated_at,
            "revision": theirs.revision,
        },
    }


def _conflict_of(data: Mapping[str, Any]) -> Conflict:
    theirs = data["theirs"]
    stored = StoredAnswer(
        theirs["value"],
        theirs["note"],
        theirs["evidence"],
        theirs["reason"],
        updated_at=theirs["at"],
        updated_by=theirs["by"],
        revision=theirs["revision"],
    )
    return Conflict(data["question"], frozenset(data["parts"]), Answer(None), stored)


def _attempt(
    db: Database,
    bank: QuestionBank,
    assessment: AssessmentRow,
    payload: dict[str, Any],
    edits: Mapping[str, Edit],
    author: str,
    sheet: list[ActionSheetRow] | None,
) -> Upload:
    """Import answers and plan (`sheet`, the workbook's Action plan rows, already read) in one
    transaction; with a conflict, roll back and keep the upload waiting.

    Raises WorkbookError for a plan row that no longer fits (then nothing is imported either).
    """
    questionnaire = bank.questionnaire(assessment.questionnaire)
    try:
        with transaction(db):
            saved = save_answers(db, questionnaire, assessment, edits, author, how="workbook")
            if saved.conflicts:
                raise _Conflicted(saved)
            if sheet is None:
                return Upload(saved, plan_read=False)
            gaps = {g.question: g for g in findings_of(db, bank, assessment).gaps}  # after the new answers
            existing = {a.id: a for a in actions.list_actions(db, assessment.org_id, assessment.id)}
            planned = frozenset(actions.open_actions_by_question(db, assessment.org_id, questionnaire.id))
            changes = action_sheet_changes(sheet, questionnaire.id, existing, gaps, planned)
            changed, stale = actions.save_action_edits(db, assessment.org_id, changes.edits)
            if stale:  # cannot happen under the write lock, but never overwrite silently
                raise WorkbookError([f"action {c.id} changed while the workbook was imported" for c in stale])
            actions.create_actions(db, assessment.org_id, assessment.id, changes.new, author)
            return Upload(saved, actions_changed=changed, actions_added=len(changes.new))
    except _Conflicted as conflicted:
        token = new_token()
        waiting = dict(payload, conflicts=[_conflict_data(c) for c in conflicted.saved.conflicts])
        uploads.put_pending(db, token_digest(token), assessment.id, author, waiting)
        return Upload(conflicted.saved, token, payload["rows"])


def import_workbook(db: Database, bank: QuestionBank, assessment: AssessmentRow, data: bytes, author: str) -> Upload:
    """Import a workbook's answers and action plan (whole or not at all); with any answer conflict
    nothing is imported and the upload waits for its uploader's choices. Raises WorkbookError naming
    every bad cell of either sheet."""
    questionnaire = bank.questionnaire(assessment.questionnaire)
    uploaded = read_workbook_answers(data, questionnaire, bank.retired)
    sheet = read_action_sheet(data, questionnaire)  # every bad cell of the plan is refused before anything is tried
    payload = {
        "answers": {qid: answer.to_json() for qid, answer in uploaded.answers.items()},
        "revisions": dict(uploaded.revisions),
        "rows": dict(uploaded.rows),
        "workbook": base64.b64encode(data).decode("ascii"),
    }
    return _attempt(db, bank, assessment, payload, _edits(payload), author, sheet)


def waiting_upload(db: Database, assessment: AssessmentRow, token: str, author: str) -> dict[str, Any] | None:
    """Return the waiting upload a token stands for, if it is this person's and of this assessment."""
    pending = uploads.get_pending(db, token_digest(token), assessment.id, author) if token else None
    return None if pending is None else pending.payload


def settle_workbook(
    db: Database,
    bank: QuestionBank,
    assessment: AssessmentRow,
    token: str,
    payload: dict[str, Any],
    choices: Mapping[str, str],
    author: str,
) -> Upload:
    """Import a waiting upload with its conflicts settled as chosen (all or nothing); the waiting copy is
    replaced by a new one if something changed again meanwhile. Raises WorkbookError."""
    uploads.drop_pending(db, token_digest(token))
    sheet = read_action_sheet(base64.b64decode(payload["workbook"]), bank.questionnaire(assessment.questionnaire))
    return _attempt(db, bank, assessment, payload, _edits(payload, choices), author, sheet)


def unsettled(payload: Mapping[str, Any], choices: Mapping[str, str]) -> list[str]:
    """Return the questions of a waiting upload whose conflict has no valid choice yet."""
    return [c["question"] for c in payload.get("conflicts", []) if choices.get(c["question"]) not in RESOLUTION_CHOICES]

"""Importing a filled workbook into a stored assessment: whole or not at all, conflicts settled first.

An upload whose answers someone changed since the workbook was downloaded waits in the store
(`store.uploads`) with its conflicts until its uploader chooses, per conflict, which version to
keep; then the whole workbook is imported at once, or shown again if something changed meanwhile.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from assess.core.accounts import new_token, token_digest
from assess.core.answers import Answer
from assess.core.questionnaire import Questionnaire
from assess.formats.workbook import WorkbookAnswers
from assess.services.answers import save_all_or_nothing, settle
from assess.store import uploads
from assess.store.answers import AssessmentRow, Conflict, Edit, Saved, StoredAnswer
from assess.store.connection import Database


@dataclass(frozen=True)
class Upload:
    """What importing a workbook did: `saved` (imported) or, when it waits, its `token` and conflicts by row."""

    saved: Saved
    token: str | None = None
    rows: Mapping[str, int] | None = None

    @property
    def waiting(self) -> bool:
        return self.token is not None


def _edits(payload: Mapping[str, Any]) -> dict[str, Edit]:
    return {
        qid: Edit(
            Answer(data["value"], data.get("note", ""), data.get("evidence", ""), data.get("reason", "")),
            base=payload["revisions"].get(qid),
            how="workbook",
        )
        for qid, data in payload["answers"].items()
    }


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
    questionnaire: Questionnaire,
    assessment: AssessmentRow,
    payload: dict[str, Any],
    edits: Mapping[str, Edit],
    author: str,
) -> Upload:
    saved = save_all_or_nothing(db, questionnaire, assessment, edits, author)
    if not saved.conflicts:
        return Upload(saved)
    token = new_token()
    waiting = dict(payload, conflicts=[_conflict_data(c) for c in saved.conflicts])
    uploads.put_pending(db, token_digest(token), assessment.id, author, waiting)
    return Upload(saved, token, payload["rows"])


def import_workbook(
    db: Database, questionnaire: Questionnaire, assessment: AssessmentRow, uploaded: WorkbookAnswers, author: str
) -> Upload:
    """Import a workbook's answers, each merged against the revision it was made from; with any conflict
    nothing is imported and the upload waits for its uploader's choices."""
    payload = {
        "answers": {qid: answer.to_json() for qid, answer in uploaded.answers.items()},
        "revisions": dict(uploaded.revisions),
        "rows": dict(uploaded.rows),
    }
    return _attempt(db, questionnaire, assessment, payload, _edits(payload), author)


def waiting_upload(db: Database, assessment: AssessmentRow, token: str, author: str) -> dict[str, Any] | None:
    """Return the waiting upload a token stands for, if it is this person's and of this assessment."""
    pending = uploads.get_pending(db, token_digest(token), assessment.id, author) if token else None
    return None if pending is None else pending.payload


def settle_workbook(
    db: Database,
    questionnaire: Questionnaire,
    assessment: AssessmentRow,
    token: str,
    payload: dict[str, Any],
    choices: Mapping[str, str],
    author: str,
) -> Upload:
    """Import a waiting upload with its conflicts settled as chosen (all or nothing); the waiting copy is
    replaced by a new one if something changed again meanwhile."""
    conflicts = {c["question"]: _conflict_of(c) for c in payload.get("conflicts", [])}
    edits = settle(_edits(payload), conflicts, choices)
    uploads.drop_pending(db, token_digest(token))
    return _attempt(db, questionnaire, assessment, payload, edits, author)


def unsettled(payload: Mapping[str, Any], choices: Mapping[str, str]) -> list[str]:
    """Return the questions of a waiting upload whose conflict has no valid choice yet."""
    return [c["question"] for c in payload.get("conflicts", []) if choices.get(c["question"]) not in RESOLUTION_CHOICES]


RESOLUTION_CHOICES = ("theirs", "mine", "both")

"""Workbook uploads waiting for their uploader to settle conflicts (kept a day at most)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from assess.store.connection import Database, first, now, transaction

LIFETIME = timedelta(days=1)


@dataclass(frozen=True)
class PendingUpload:
    """An upload's answers (exchange-format objects), the revisions they were made from, and their rows."""

    assessment_id: int
    uploaded_by: str
    created_at: str
    payload: dict[str, Any]


def put_pending(db: Database, digest: str, assessment_id: int, uploaded_by: str, payload: dict[str, Any]) -> None:
    """Keep an upload until it is settled (older ones of anybody are dropped on the way)."""
    cutoff = (datetime.now(UTC) - LIFETIME).replace(microsecond=0).isoformat()
    with transaction(db):
        db.execute("DELETE FROM pending_uploads WHERE created_at < ?", [cutoff])
        db.execute(
            "INSERT INTO pending_uploads (digest, assessment_id, uploaded_by, created_at, payload_json) "
            "VALUES (?, ?, ?, ?, ?)",
            [digest, assessment_id, uploaded_by, now(), json.dumps(payload, ensure_ascii=False)],
        )


def get_pending(db: Database, digest: str, assessment_id: int, uploaded_by: str) -> PendingUpload | None:
    """Return the upload if it is this person's, of this assessment, and not expired; else None."""
    row = first(
        db,
        "SELECT * FROM pending_uploads WHERE digest = ? AND assessment_id = ? AND uploaded_by = ?",
        [digest, assessment_id, uploaded_by],
    )
    if row is None or datetime.fromisoformat(row["created_at"]) < datetime.now(UTC) - LIFETIME:
        return None
    return PendingUpload(row["assessment_id"], row["uploaded_by"], row["created_at"], json.loads(row["payload_json"]))


def drop_pending(db: Database, digest: str) -> None:
    """Forget an upload (settled, or given up)."""
    with transaction(db):
        db.execute("DELETE FROM pending_uploads WHERE digest = ?", [digest])

"""Organizations and their profiles (the facts their documents are written from)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from assess.store.connection import Database, first, inserted_id, now, transaction


@dataclass(frozen=True)
class OrganizationRow:
    """One organization, as stored."""

    id: int
    name: str
    created_at: str
    updated_at: str


def list_organizations(db: Database) -> list[OrganizationRow]:
    """Return every organization, by name."""
    return [OrganizationRow(**r) for r in db.query("SELECT * FROM organizations ORDER BY name COLLATE NOCASE, id")]


def get_organization(db: Database, org_id: int) -> OrganizationRow | None:
    """Return the organization with this id, or None."""
    row = first(db, "SELECT * FROM organizations WHERE id = ?", [org_id])
    return None if row is None else OrganizationRow(**row)


def create_organization(db: Database, name: str) -> int:
    """Create an organization and return its id."""
    stamp = now()
    with transaction(db):
        return inserted_id(
            db.execute(
                "INSERT INTO organizations (name, created_at, updated_at) VALUES (?, ?, ?)", [name, stamp, stamp]
            )
        )


def rename_organization(db: Database, org_id: int, name: str) -> None:
    """Give the organization a new name."""
    with transaction(db):
        db.execute("UPDATE organizations SET name = ?, updated_at = ? WHERE id = ?", [name, now(), org_id])


def delete_organization(db: Database, org_id: int) -> None:
    """Delete the organization with its profile, assessments, answers, workshops and actions."""
    with transaction(db):
        db.execute("DELETE FROM organizations WHERE id = ?", [org_id])


def get_profile(db: Database, org_id: int) -> dict[str, Any]:
    """Return the organization's profile facts, fact id -> value."""
    return {
        r["fact_id"]: json.loads(r["value_json"])
        for r in db.query("SELECT fact_id, value_json FROM profile_values WHERE org_id = ?", [org_id])
    }


def _insert_value(db: Database, org_id: int, fact_id: str, value: Any, stamp: str, author: str) -> None:
    """Store one profile value (an empty one is not stored: the fact is then missing)."""
    if value in (None, "", []):
        return
    db.execute(
        "INSERT INTO profile_values (org_id, fact_id, value_json, updated_at, updated_by) VALUES (?, ?, ?, ?, ?)",
        [org_id, fact_id, json.dumps(value, ensure_ascii=False), stamp, author],
    )


def set_profile(db: Database, org_id: int, values: Mapping[str, Any], author: str = "") -> None:
    """Replace the organization's profile with these values (empty values are dropped)."""
    stamp = now()
    with transaction(db):
        db.execute("DELETE FROM profile_values WHERE org_id = ?", [org_id])
        for fact_id, value in values.items():
            _insert_value(db, org_id, fact_id, value, stamp, author)


def profile_changes(db: Database, org_id: int) -> dict[str, tuple[str, str]]:
    """Return, by fact id, who last wrote each stored profile value and when (UTC, ISO 8601); who is
    '' for values written before authors were kept."""
    rows = db.query("SELECT fact_id, updated_by, updated_at FROM profile_values WHERE org_id = ?", [org_id])
    return {str(r["fact_id"]): (str(r["updated_by"]), str(r["updated_at"])) for r in rows}


def set_profile_facts(
    db: Database, org_id: int, fact_ids: Iterable[str], values: Mapping[str, Any], author: str = ""
) -> None:
    """Replace only the facts `fact_ids` of the profile with `values` (missing or empty: removed); the
    organization's other facts stay as they are."""
    stamp = now()
    with transaction(db):
        for fact_id in fact_ids:
            db.execute("DELETE FROM profile_values WHERE org_id = ? AND fact_id = ?", [org_id, fact_id])
            _insert_value(db, org_id, fact_id, values.get(fact_id), stamp, author)

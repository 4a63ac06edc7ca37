"""Whole organizations: read one out of the store as exchange data, and create one from it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from assess.core.answers import MAX_NAME, Assessment, Organization
from assess.core.questionnaire import Fact
from assess.core.revisions import CONFLICT, KEEP, fact_merge
from assess.store import actions, answers, organizations, people, workshops
from assess.store.answers import AssessmentRow
from assess.store.connection import Database, transaction


def load_assessment(db: Database, row: AssessmentRow) -> Assessment:
    """Return one stored assessment with its answers (those with a value) and its workshops."""
    return Assessment(
        questionnaire=row.questionnaire,
        title=row.title,
        target=row.target,
        answers={qid: a.plain() for qid, a in answers.get_answers(db, row.id).items() if a.value is not None},
        workshops=tuple(workshops.workshop_record(db, w) for w in workshops.workshops_of(db, row.id)),
    )


def load_organization(db: Database, org_id: int) -> Organization | None:
    """Return the organization with its profile, every assessment's answers and its actions, or None."""
    row = organizations.get_organization(db, org_id)
    if row is None:
        return None
    rows = answers.list_assessments(db, org_id)
    index = {a.id: i for i, a in enumerate(rows)}
    return Organization(
        name=row.name,
        profile=organizations.get_profile(db, org_id),
        assessments=tuple(load_assessment(db, a) for a in rows),
        actions=tuple(
            a.as_action(None if a.assessment_id is None else index[a.assessment_id])
            for a in actions.list_actions(db, org_id)
        ),
    )


def twin_free_name(name: str, taken: Iterable[str], today: dt.date) -> str:
    """Return the name an imported organization gets: its own, or "<name> (imported YYYY-MM-DD)" (then
    " 2", " 3" ...) when an organization of that name is already there, so no two look the same."""
    names = {t.casefold() for t in taken}
    if name.casefold() not in names:
        return name
    for n in range(1, 1000):
        suffix = f" (imported {today.isoformat()}{'' if n == 1 else f' {n}'})"
        candidate = name[: MAX_NAME - len(suffix)].rstrip() + suffix
        if candidate.casefold() not in names:
            return candidate
    raise ValueError(f"no free name for {name!r}")


def import_organization(
    db: Database,
    org: Organization,
    author: str = "import",
    owner: int | None = None,
    taken: Iterable[str] = (),
    today: dt.date | None = None,
) -> int:
    """Create a new organization from exchange data, all or nothing; return its id.

    With `owner`, that account becomes the organization's consultant. When its name is one of the
    `taken` names (the organizations the importer sees), it is imported as "<name> (imported <date>)".
    """
    org = replace(org, name=twin_free_name(org.name, taken, today or dt.date.today()))
    with transaction(db):
        org_id = organizations.create_organization(db, org.name)
        if owner is not None:
            people.set_membership(db, owner, org_id, "consultant")
        organizations.set_profile(db, org_id, org.profile, author)
        ids = []
        for assessment in org.assessments:
            assessment_id = answers.create_assessment(
                db, org_id, assessment.questionnaire, assessment.title, assessment.target
            )
            ids.append(assessment_id)
            answers.save_answers(db, assessment_id, assessment.answers, author)
            for record in assessment.workshops:
                workshops.insert_workshop_record(db, org_id, assessment_id, record, author)
        for action in org.actions:
            round_id = None if action.assessment is None else ids[action.assessment]
            actions.create_action(db, org_id, round_id, action, author)
    return org_id


@dataclass(frozen=True)
class FactConflict:
    """A fact someone else changed since the page was shown, which the sender changed too."""

    fact_id: str
    theirs: Any
    """The value stored now (None: they cleared it)."""
    who: str
    when: str


@dataclass(frozen=True)
class ProfileSave:
    """What a save of profile facts did: the facts written, those kept as someone else changed
    them (the sender had not), and the conflicts; with a conflict nothing of the page is written."""

    written: tuple[str, ...]
    kept: tuple[FactConflict, ...]
    conflicts: tuple[FactConflict, ...]


def stored_value(fact: Fact, profile: Mapping[str, Any]) -> Any:
    """Return the value a profile page shows for a fact: the stored one."""
    return profile.get(fact.id)


def save_profile_facts(
    db: Database,
    org_id: int,
    facts: Sequence[Fact],
    values: Mapping[str, Any],
    seen: Mapping[str, str],
    author: str,
    shown: Callable[[Fact, Mapping[str, Any]], Any] = stored_value,
) -> ProfileSave:
    """Save the facts a page posted (`values`; a fact absent is cleared), each against the token of
    the value the page showed (`seen`, see `core.revisions.fact_merge`; `shown` says what a page
    shows for a fact). A fact only someone else changed since keeps theirs; a fact both changed is
    a conflict, and then nothing is written, so the person can settle it on the page."""
    with transaction(db):
        stored = organizations.get_profile(db, org_id)
        changes = organizations.profile_changes(db, org_id)
        written: list[str] = []
        kept: list[FactConflict] = []
        conflicts: list[FactConflict] = []
        for fact in facts:
            how = fact_merge(seen.get(fact.id), values.get(fact.id), shown(fact, stored))
            if how == CONFLICT or how == KEEP:
                who, when = changes.get(fact.id, ("", ""))
                (conflicts if how == CONFLICT else kept).append(FactConflict(fact.id, stored.get(fact.id), who, when))
            elif values.get(fact.id) != stored.get(fact.id):  # a value saved again unchanged keeps its author
                written.append(fact.id)
        if not conflicts:
            organizations.set_profile_facts(db, org_id, written, values, author)
    return ProfileSave(tuple(written) if not conflicts else (), tuple(kept), tuple(conflicts))

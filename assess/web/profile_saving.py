"""Saving a page of profile facts that someone else may have changed since it was shown.

Each page carries, per fact, the token of the value it showed (``seen:<fact id>``, see
`core.revisions.value_token`); `services.organizations.save_profile_facts` decides what is written.
When a fact is in conflict the page is shown again (409) with the sender's answers, each conflict
marked beside its field with who changed it, when, and what it says now, and the facts only the
other person changed showing their value; saving again settles it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from flask_wtf import FlaskForm

from assess.core.facts import fact_text
from assess.core.questionnaire import Fact
from assess.core.revisions import value_token
from assess.core.vocabulary import when
from assess.services.organizations import FactConflict, ProfileSave
from assess.web.forms import fact_field_name, profile_form

SEEN = "seen:"
MAX_TOKEN = 64

Shown = Callable[[Fact, Mapping[str, Any]], Any]


def tokens_for(facts: Iterable[Fact], profile: Mapping[str, Any], shown: Shown) -> dict[str, str]:
    """Return the token of the value the page shows for each fact."""
    return {f.id: value_token(shown(f, profile)) for f in facts}


def posted_tokens(facts: Iterable[Fact], formdata: Mapping[str, Any]) -> dict[str, str]:
    """Return the tokens a post carries, for the page's facts (a missing or overlong one is left out,
    and that fact is then written as the sender sent it, as before tokens existed)."""
    found = {}
    for fact in facts:
        token = formdata.get(SEEN + fact.id)
        if isinstance(token, str) and 0 < len(token) <= MAX_TOKEN:
            found[fact.id] = token
    return found


def _changed(change: FactConflict) -> str:
    who = change.who or "someone else"
    return f"{who} changed this at {when(change.when)}" if change.when else f"{who} cleared this"


def _now_text(fact: Fact, change: FactConflict) -> str:
    if change.theirs in (None, "", []):
        return "it is now empty"
    return f"it now says \u201c{fact_text(fact, change.theirs)}\u201d"


def settle_form(
    facts: tuple[Fact, ...],
    posted: Mapping[str, Any],
    save: ProfileSave,
    profile_now: Mapping[str, Any],
    shown: Shown,
    tokens: dict[str, str],
    descriptions: Mapping[str, str] | None = None,
) -> FlaskForm:
    """Return the page's form to show again after a save with conflicts: the sender's answers, the
    other person's value where only they changed a fact, and a message on each (`descriptions`: the
    page's own texts under the fields, if not the facts' guidance); `tokens` is updated so that
    saving again writes the sender's answer to each conflict and keeps the other values."""
    by_id = {f.id: f for f in facts}
    kept = {c.fact_id: c for c in save.kept}
    display = {f.id: (shown(f, profile_now) if f.id in kept else posted.get(f.id)) for f in facts}
    form = profile_form(facts, {k: v for k, v in display.items() if v not in (None, "", [])}, fresh=True)
    for fact_id, text in (descriptions or {}).items():
        form[fact_field_name(by_id[fact_id])].description = text
    for change in save.conflicts:
        fact = by_id[change.fact_id]
        tokens[fact.id] = value_token(shown(fact, profile_now))
        field = form[fact_field_name(fact)]
        field.errors = [
            f"Since you opened this page, {_changed(change)}: {_now_text(fact, change)}. Your answer is kept "
            "here: save again to use it, or change it."
        ]
    for change in save.kept:
        fact = by_id[change.fact_id]
        tokens[fact.id] = value_token(shown(fact, profile_now))
        field = form[fact_field_name(fact)]
        note = f"Since you opened this page, {_changed(change)}; you had not, so it shows their answer."
        field.description = f"{note} {field.description}".strip()
    return form

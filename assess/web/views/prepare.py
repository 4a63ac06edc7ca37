"""The interview per document: one topic per page, a preview of what the answers produce, a check
page, then the .docx. Data-driven from profile.yaml through `assess.services.interview`."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, session, url_for

from assess.core.answers import Organization
from assess.core.facts import fact_text
from assess.documents import DOCUMENT_IDS, DocumentError, list_documents, readiness, render_passages
from assess.services.documents import organization_data
from assess.services.interview import PREPARED, Topic, known, optional_for, suggested, topics, used_in
from assess.services.organizations import save_profile_facts
from assess.store import organizations
from assess.web.database import get_db
from assess.web.forms import fact_field_name, profile_form, profile_values
from assess.web.profile_saving import posted_tokens, settle_form, tokens_for
from assess.web.views.access import author, bank, organization_or_404, settings
from assess.web.views.auth import access, keeps_input

bp = Blueprint("prepare", __name__, url_prefix="/orgs/<int:org_id>/documents/<document>/prepare")

INTERVIEWS = "interviews"
"""The session's key for each interview: "org:document" -> {"asked": section titles, "given": the facts
the profile held when it began, as a bit mask over the profile's facts in hex (small enough for a cookie)}."""


def _document_or_404(document: str) -> str:
    if document not in DOCUMENT_IDS or document not in PREPARED:
        abort(404)
    return document


def _interview(org_id: int, document: str) -> dict:
    found = (session.get(INTERVIEWS) or {}).get(f"{org_id}:{document}")
    return found if isinstance(found, dict) else {}


def _mask(profile: dict) -> str:
    """Return which of the profile's facts have a value, as hex: bit n stands for the n-th fact."""
    bits = sum(1 << n for n, fact in enumerate(bank().profile.facts) if known(profile.get(fact.id)))
    return format(bits, "x")


def _unmask(mask: object) -> set[str]:
    """Return the fact ids of a mask from `_mask` (none for anything else)."""
    try:
        bits = int(str(mask), 16)
    except ValueError:
        return set()
    return {fact.id for n, fact in enumerate(bank().profile.facts) if bits >> n & 1}


def _asked(org_id: int, document: str) -> list[str]:
    return list(_interview(org_id, document).get("asked", []))


def _topics(org_id: int, document: str, data: Organization | None = None) -> tuple[Topic, ...]:
    """Return the interview's topics for the organization as stored (`data` when already read)."""
    data = data if data is not None else organization_data(get_db(), org_id, bank())
    return topics(bank(), data, document, settings().doc_templates_dir, _asked(org_id, document))


def _info(document: str):
    return next(i for i in list_documents(settings().doc_templates_dir) if i.id == document)


@bp.get("")
@access("member")
def start(org_id: int, document: str):
    """Begin (or begin again) the interview: the topics with something still to say, in order."""
    org = organization_or_404(org_id)
    document = _document_or_404(document)
    data = organization_data(get_db(), org.id, bank())
    found = topics(bank(), data, document, settings().doc_templates_dir)
    interviews = dict(session.get(INTERVIEWS) or {})
    given = organizations.get_profile(get_db(), org.id)
    interviews[f"{org.id}:{document}"] = {"asked": [t.title for t in found], "given": _mask(given)}
    session[INTERVIEWS] = interviews
    if not found:
        return redirect(url_for(".check", org_id=org.id, document=document))
    return redirect(url_for(".topic", org_id=org.id, document=document, number=1))


def _page_or_404(org_id: int, document: str, number: int) -> tuple[Any, str, Organization, tuple[Topic, ...], Topic]:
    """Return the organization (its row and as the documents read it), the document, its interview's
    topics and the page `number` of them."""
    org = organization_or_404(org_id)
    document = _document_or_404(document)
    data = organization_data(get_db(), org.id, bank())
    found = _topics(org.id, document, data)
    if not 1 <= number <= len(found):
        abort(404, "The interview has no page of that number (its topics change as you answer): start it again.")
    return org, document, data, found, found[number - 1]


@bp.route("/<int:number>", methods=["GET", "POST"])
@access("member")
@keeps_input
def topic(org_id: int, document: str, number: int):
    org, document, data, found, current = _page_or_404(org_id, document, number)
    stored = organizations.get_profile(get_db(), org.id)
    # facts the organization had given before this interview began are skipped: shown folded away
    given = _unmask(_interview(org.id, document).get("given"))
    given_before = {f.id for f in current.facts if f.id in stored and f.id in given}
    # what the document reads well without (no placeholder when empty): folded, to keep the page short
    optional = {f.id for f in current.facts if optional_for(f, document) and f.id not in given_before}
    shown = {f.id: v for f in current.facts if (v := suggested(f, stored)) is not None}
    form = profile_form(current.facts, shown, formdata=request.form if request.method == "POST" else None)
    for fact in current.facts:  # the page says what a default is in its own words, beside the field
        form[fact_field_name(fact)].description = fact.help
    tokens = tokens_for(current.facts, stored, suggested)
    status = 200
    if request.method == "POST":
        tokens.update(posted_tokens(current.facts, request.form))
        valid = form.validate()  # both checks run, so every problem shows at once
        values, ok = profile_values(form)
        saved = None
        if valid and ok:
            saved = save_profile_facts(get_db(), org.id, current.facts, values, tokens, author(), suggested)
        if saved is not None and saved.conflicts:
            now = organizations.get_profile(get_db(), org.id)
            helps = {f.id: f.help for f in current.facts}
            form = settle_form(current.facts, values, saved, now, suggested, tokens, helps)
            status = 409
        elif saved is not None:
            if saved.kept:
                flash(f"{len(saved.kept)} answer(s) a colleague changed while you were on that page kept theirs.")
            go = request.form.get("go", "next")
            if go == "preview":
                return redirect(url_for(".topic", org_id=org.id, document=document, number=number) + "#preview")
            after = _topics(org.id, document)  # an answer can bring more topics in (or make one go)
            same = next((t for t in after if t.title == current.title), None)
            asked = {f.id for f in current.facts}
            if go == "next" and same is not None and any(f.id not in asked for f in same.facts):
                # an answer here brought more questions of this topic: ask them before moving on
                flash("Your answers bring a few more questions on this topic.")
                return redirect(url_for(".topic", org_id=org.id, document=document, number=same.number))
            if go == "back" and number > 1:
                return redirect(url_for(".topic", org_id=org.id, document=document, number=number - 1))
            if go == "next" and number < len(after):
                return redirect(url_for(".topic", org_id=org.id, document=document, number=number + 1))
            return redirect(url_for(".check", org_id=org.id, document=document))
        else:
            status = 400
    return render_template(
        "documents/prepare_topic.html",
        org=org,
        info=_info(document),
        topic=current,
        count=len(found),
        form=form,
        names={f.id: fact_field_name(f) for f in current.facts},
        given_before=given_before,
        optional=optional,
        given_open=any(form[fact_field_name(current.facts_by_id[f])].errors for f in given_before),
        optional_open=any(f in stored or form[fact_field_name(current.facts_by_id[f])].errors for f in optional),
        used_in={f.id: used_in(f) for f in current.facts},
        preview=_preview(document, current, data),
        shown=fact_text,
        seen=tokens,
    ), status


def _preview(document: str, topic: Topic, data: Organization, typed: dict | None = None) -> str:
    """Return the passages the topic's facts produce, from the saved profile (`data`, the
    organization as the documents read it) with `typed` over it (fact id -> value, None for
    emptied), as a sanitized HTML fragment ("" when none shows them)."""
    if typed is not None:
        profile = {k: v for k, v in {**data.profile, **typed}.items() if v is not None}
        data = replace(data, profile=profile)
    try:
        return render_passages(
            bank(), data, document, [f.id for f in topic.facts], templates_dir=settings().doc_templates_dir
        )
    except DocumentError:
        return ""


@bp.post("/<int:number>/preview")
@access("member")
def live_preview(org_id: int, document: str, number: int):
    """The preview for what is typed on the page, saving nothing: the page's script asks for it as
    people type. A field whose answer is not valid yet keeps its saved value in the preview."""
    org, document, data, _, current = _page_or_404(org_id, document, number)
    form = profile_form(current.facts, {}, formdata=request.form)
    form.validate()
    values, _ = profile_values(form)
    stored = organizations.get_profile(get_db(), org.id)
    typed = {f.id: values.get(f.id) if not form[fact_field_name(f)].errors else stored.get(f.id) for f in current.facts}
    waiting = sorted(f.text for f in current.facts if form[fact_field_name(f)].errors)
    return jsonify(html=_preview(document, current, data, typed), waiting=waiting)


@bp.get("/check")
@access("member")
def check(org_id: int, document: str):
    """Every fact the document uses, by topic, with its answer; what is still missing; the download."""
    org = organization_or_404(org_id)
    document = _document_or_404(document)
    database = get_db()
    data = organization_data(database, org.id, bank())
    found = _topics(org.id, document, data)
    ready = readiness(bank(), data, document, templates_dir=settings().doc_templates_dir)
    assessed = {a.questionnaire for a in data.assessments}
    info = _info(document)
    return render_template(
        "documents/prepare_check.html",
        org=org,
        info=info,
        topics=found,
        profile=data.profile,
        known=known,
        ready=ready,
        assessed=[q for q in info.questionnaires if q in assessed],
        questionnaires=[bank().questionnaire(q) for q in info.questionnaires if q in bank().questionnaires],
        today=date.today(),
        shown=fact_text,
    )

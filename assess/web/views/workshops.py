"""Workshop mode: a room rates together, the facilitator sees the spread and records the consensus.

Facilitator pages are organization-scoped (consultant role). Participants join with a code and a
display name and get a token scoped to that one workshop: it opens the workshop's rating page and
nothing else, and stops working the moment the workshop closes.
"""

from __future__ import annotations

import io

import segno
from flask import Blueprint, abort, flash, g, jsonify, redirect, render_template, request, session, url_for
from wtforms.fields.choices import SelectChoice

from assess.core import accounts
from assess.core.answers import parse_value
from assess.core.vocabulary import LEVELS, clock, level_label
from assess.core.workshop import DEFAULT_MAX_PARTICIPANTS, consensus_problems, discussion_order
from assess.services import workshops as workshop_service
from assess.services.workshops import (
    ConsensusConflict,
    JoinRefused,
    NoFreeJoinCode,
    find_open_workshop,
    open_workshop,
    participant_progress,
    ratings_by,
    record_consensus,
    remove_participant,
    room_state,
    standing_of,
    workshop_questions,
)
from assess.store import answers, organizations, people, workshops
from assess.store.connection import now
from assess.store.workshops import ParticipantSession, WorkshopRow
from assess.web.database import get_db
from assess.web.forms import (
    ConfirmForm,
    ConsensusForm,
    JoinCodeForm,
    JoinForm,
    RatingForm,
    WorkshopForm,
    answer_field_names,
    posted_revision,
    rating_form,
)
from assess.web.views import http_error_page
from assess.web.views.access import (
    assessment_or_404,
    author,
    bank,
    is_loopback_url,
    organization_or_404,
    public_url_for,
)
from assess.web.views.auth import WORKSHOP_SESSIONS, access, current_user, keeps_input, load_participant

bp = Blueprint("workshops", __name__)


def _workshop_or_404(org_id: int, workshop_id: int):
    org = organization_or_404(org_id)
    row = workshops.get_workshop(get_db(), org.id, workshop_id)
    if row is None:
        abort(404)
    org, assessment, questionnaire = assessment_or_404(org.id, row.assessment_id)
    return org, assessment, questionnaire, row


# --- facilitator -------------------------------------------------------------------------------


@bp.route("/orgs/<int:org_id>/assessments/<int:assessment_id>/workshops/new", methods=["GET", "POST"])
@access("consultant")
@keeps_input
def new(org_id: int, assessment_id: int):
    org, assessment, questionnaire = assessment_or_404(org_id, assessment_id)
    form = WorkshopForm()
    form.clauses.choices = [
        SelectChoice(c.ref, f"{c.ref} {c.title}") for c in questionnaire.all_clauses() if c.ref.count(".") <= 1
    ]
    if form.validate_on_submit():
        refs = [r for r in form.clauses.data or [] if r]
        try:
            workshop_id = open_workshop(
                get_db(), org.id, assessment.id, refs, author(), form.max_participants.data or DEFAULT_MAX_PARTICIPANTS
            )
        except NoFreeJoinCode:
            abort(503, "Could not draw a free join code; try again.")
        return redirect(url_for(".facilitate", org_id=org.id, workshop_id=workshop_id))
    return render_template(
        "workshops/new.html",
        org=org,
        assessment=assessment,
        questionnaire=questionnaire,
        form=form,
        workshops=workshops.workshops_of(get_db(), assessment.id),
    ), 400 if form.errors else 200


def _consensus_form(room, posted: ConsensusForm | None = None) -> ConsensusForm:
    """Return a question's consensus form: as posted, else pre-filled with what was agreed or the median."""
    form = posted or ConsensusForm(prefix=room.question.id, formdata=None)
    if posted is None:
        if room.consensus is not None:
            form.value.data = str(room.consensus)
        elif room.spread.median is not None:
            form.value.data = str(room.spread.median)
    form.value.choices = [c for c in form.value.choices if c.value != "na" or room.question.allow_na]
    return form


def _facilitator_page(org, assessment, questionnaire, workshop, posted: ConsensusForm | None = None, status=200):
    """Render the facilitator's view; `posted` is a refused consensus form, shown with its errors."""
    database = get_db()
    room_now = room_state(database, questionnaire, workshop)
    forms = {
        room.question.id: _consensus_form(room, posted if posted and posted._prefix == room.question.id + "-" else None)
        for room in room_now.rooms
    }
    join_url = public_url_for(".join", code=workshop.code)
    return render_template(
        "workshops/facilitate.html",
        org=org,
        assessment=assessment,
        questionnaire=questionnaire,
        workshop=workshop,
        rooms=discussion_order(room_now.rooms),
        count=len(room_now.rooms),
        first_question=room_now.rooms[0].question.id if room_now.rooms else None,
        ratings=room_now.ratings,
        forms=forms,
        posted=posted,
        revisions={qid: a.revision for qid, a in answers.get_answers(database, assessment.id).items()},
        progress=participant_progress(database, workshop, room_now),
        join_url=join_url,
        join_code_url=public_url_for(".join_code"),
        loopback=is_loopback_url(join_url),
        confirm=ConfirmForm(),
        levels=LEVELS,
    ), status


@bp.get("/orgs/<int:org_id>/workshops/<int:workshop_id>")
@access("consultant")
def facilitate(org_id: int, workshop_id: int):
    return _facilitator_page(*_workshop_or_404(org_id, workshop_id))


@bp.get("/orgs/<int:org_id>/workshops/<int:workshop_id>/present/<question_id>")
@access("consultant")
def present(org_id: int, workshop_id: int, question_id: str):
    """Presentation mode: one question on the projector in large type, with the room's live count and spread."""
    org, assessment, questionnaire, workshop = _workshop_or_404(org_id, workshop_id)
    room_now = room_state(get_db(), questionnaire, workshop)
    ids = [r.question.id for r in room_now.rooms]
    if question_id not in ids:
        abort(404, "This question is not part of the workshop (or no longer shows, given the answers so far).")
    index = ids.index(question_id)
    return render_template(
        "workshops/present.html",
        org=org,
        assessment=assessment,
        questionnaire=questionnaire,
        workshop=workshop,
        room=room_now.rooms[index],
        number=index + 1,
        count=len(ids),
        previous_id=ids[index - 1] if index > 0 else None,
        next_id=ids[index + 1] if index + 1 < len(ids) else None,
        join_url=public_url_for(".join", code=workshop.code),
        levels=LEVELS,
    )


@bp.get("/orgs/<int:org_id>/workshops/<int:workshop_id>/state.json")
@access("consultant")
def state(org_id: int, workshop_id: int):
    """What the facilitator's screen polls every few seconds: one cheap read, no worker held."""
    org, assessment, questionnaire, workshop = _workshop_or_404(org_id, workshop_id)
    database = get_db()
    room_now = room_state(database, questionnaire, workshop)
    hide = bool(workshop.hide_names)
    progress = participant_progress(database, workshop, room_now)
    return jsonify(
        status=workshop.status,
        participants=len(progress),
        progress=[
            {"id": p.participant.id, "name": "" if hide else p.participant.display_name, "rated": p.rated}
            for p in progress
        ],
        questions=[
            {
                "id": room.question.id,
                "count": room.spread.count,
                "distribution": room.spread.distribution,
                "median": room.spread.median,
                "middle": room.spread.middle,
                "median_label": room.spread.median_label,
                "split": room.spread.split,
                "spread": room.spread.spread,
                "disagreement": room.spread.disagreement,
                "consensus": room.consensus,
                "comments": [
                    {"name": "" if hide else r.display_name, "comment": r.comment}
                    for r in room_now.ratings.get(room.question.id, [])
                    if r.comment
                ],
            }
            for room in room_now.rooms
        ],
    )


@bp.get("/orgs/<int:org_id>/workshops/<int:workshop_id>/qr.svg")
@access("consultant")
def qr(org_id: int, workshop_id: int):
    org, assessment, questionnaire, workshop = _workshop_or_404(org_id, workshop_id)
    buffer = io.BytesIO()
    segno.make(public_url_for(".join", code=workshop.code), error="m").save(
        buffer, kind="svg", scale=10, border=2, xmldecl=False, title="Join link"
    )
    return buffer.getvalue(), 200, {"Content-Type": "image/svg+xml"}


@bp.post("/orgs/<int:org_id>/workshops/<int:workshop_id>/consensus/<question_id>")
@access("consultant")
@keeps_input
def record(org_id: int, workshop_id: int, question_id: str):
    org, assessment, questionnaire, workshop = _workshop_or_404(org_id, workshop_id)
    questions = {q.id: q for q in workshop_questions(get_db(), questionnaire, workshop)}
    question = questions.get(question_id)
    if question is None:
        abort(404)
    form = ConsensusForm(prefix=question_id)
    form.value.choices = [c for c in form.value.choices if c.value != "na" or question.allow_na]
    if form.validate_on_submit():
        value = parse_value(form.value.data)
        reason = (form.reason.data or "").strip()
        problems = consensus_problems(value, reason, question.allow_na)
        shown = posted_revision(request.form.get(f"{question_id}-revision", ""))
        if not problems and value is not None:
            note = (form.note.data or "").strip()
            try:
                record_consensus(get_db(), workshop, question, value, reason, note, author(), shown)
            except ConsensusConflict as conflict:
                theirs = conflict.theirs
                form.value.errors = [
                    f"{theirs.updated_by or 'Someone'} changed this answer to {level_label(theirs.value)} at "
                    f"{clock(theirs.updated_at)}, after this page was loaded: nothing was recorded. "
                    "Record again to replace it with the room's answer."
                ]
                return _facilitator_page(org, assessment, questionnaire, workshop, posted=form, status=409)
            return redirect(url_for(".facilitate", org_id=org.id, workshop_id=workshop.id) + f"#room-{question_id}")
        for field, problem in problems.items():
            form[field].errors = [*form[field].errors, problem]
    return _facilitator_page(org, assessment, questionnaire, workshop, posted=form, status=400)


@bp.post("/orgs/<int:org_id>/workshops/<int:workshop_id>/participants/<int:participant_id>/remove")
@access("consultant")
def remove(org_id: int, workshop_id: int, participant_id: int):
    org, assessment, questionnaire, workshop = _workshop_or_404(org_id, workshop_id)
    if not ConfirmForm().validate_on_submit():
        abort(400, "The form was not accepted: reload the page and try again.")
    if not remove_participant(get_db(), workshop, participant_id):
        abort(404, "Nobody of that number is in this workshop (already removed?).")
    flash("Participant removed: their ratings no longer count and their browser can no longer rate.")
    return redirect(url_for(".facilitate", org_id=org.id, workshop_id=workshop.id) + "#participants")


@bp.post("/orgs/<int:org_id>/workshops/<int:workshop_id>/<any(hide, show):names>-names")
@access("consultant")
def names(org_id: int, workshop_id: int, names: str):
    org, assessment, questionnaire, workshop = _workshop_or_404(org_id, workshop_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    workshops.set_workshop_names(get_db(), workshop.id, names == "hide")
    return redirect(url_for(".facilitate", org_id=org.id, workshop_id=workshop.id))


@bp.post("/orgs/<int:org_id>/workshops/<int:workshop_id>/close")
@access("consultant")
def close(org_id: int, workshop_id: int):
    org, assessment, questionnaire, workshop = _workshop_or_404(org_id, workshop_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    workshops.close_workshop(get_db(), workshop.id)
    flash("Workshop closed: participants can no longer open it. The ratings stay with the assessment.")
    return redirect(url_for(".facilitate", org_id=org.id, workshop_id=workshop.id))


# --- participants ------------------------------------------------------------------------------


def _open_workshop_or_404(code: str) -> WorkshopRow:
    try:  # codes that match nothing are counted per address: guessing them is slowed down
        workshop = find_open_workshop(get_db(), code, request.remote_addr or "unknown")
    except JoinRefused as refused:
        abort(refused.status, str(refused))
    if workshop is None:
        abort(404, "This workshop has ended, or the code is not right.")
    return workshop


def current_participant() -> ParticipantSession:
    participant = g.get("participant")
    assert participant is not None  # enforce_access loaded it
    return participant  # type: ignore[no-any-return]


@bp.route("/join", methods=["GET", "POST"])
@access("public")
@keeps_input
def join_code():
    form = JoinCodeForm()
    if form.validate_on_submit():
        try:
            workshop = find_open_workshop(get_db(), form.code.data, request.remote_addr or "unknown")
        except JoinRefused as refused:
            abort(refused.status, str(refused))
        if workshop is not None:
            return redirect(url_for(".join", code=workshop.code))
        form.code.errors = ["No open workshop has this code. Check it on the screen."]
    return render_template("workshops/join_code.html", form=form), 400 if form.errors else 200


@bp.route("/w/<code>", methods=["GET", "POST"])
@access("public")
@keeps_input
def join(code: str):
    workshop = _open_workshop_or_404(code)
    if load_participant(workshop.code) is not None:
        return redirect(url_for(".rate", code=workshop.code))
    database = get_db()
    user = current_user()
    member = user is not None and (
        user.is_admin or accounts.RANK.get(people.role_in(database, user.id, workshop.org_id) or "", 0) >= 1
    )
    form = JoinForm()
    name, user_id = None, None
    if form.validate_on_submit():
        if member and request.form.get("as_self"):
            name, user_id = user.email, user.id  # type: ignore[union-attr]
        elif (form.name.data or "").strip():
            name = form.name.data.strip()
        else:
            form.name.errors = ["Type the name the facilitator will see (a first name is enough)."]
    if name is None:
        org = organizations.get_organization(database, workshop.org_id)
        return render_template(
            "workshops/join.html", form=form, workshop=workshop, org_name=org.name if org else "", member=member
        ), 400 if request.method == "POST" else 200
    try:
        token = workshop_service.join(database, workshop, name, user_id, request.remote_addr or "unknown")
    except JoinRefused as refused:
        abort(refused.status, str(refused))
    joined = dict(session.get(WORKSHOP_SESSIONS) or {})
    joined[workshop.code] = token
    session[WORKSHOP_SESSIONS] = joined
    return redirect(url_for(".rate", code=workshop.code))


def _participant_page_data(code: str):
    participant = current_participant()
    database = get_db()
    assessment = answers.get_assessment(database, participant.org_id, participant.assessment_id)
    workshop = workshops.workshop_by_code(database, code)
    if assessment is None or workshop is None:
        abort(404)
    questionnaire = bank().questionnaire(assessment.questionnaire)
    questions = workshop_questions(database, questionnaire, workshop)
    return participant, workshop, questionnaire, questions, ratings_by(database, workshop.id, participant.id)


@bp.get("/w/<code>/rate")
@access("participant")
def rate(code: str):
    """Where a participant starts (or comes back): the first question they have not rated yet, or the end."""
    participant, workshop, questionnaire, questions, mine = _participant_page_data(code)
    todo = next((q for q in questions if q.id not in mine or mine[q.id].value is None), None)
    if todo is None:
        return redirect(url_for(".done", code=workshop.code))
    return redirect(url_for(".rate_question", code=workshop.code, question_id=todo.id))


@bp.route("/w/<code>/q/<question_id>", methods=["GET", "POST"])
@access("participant")
@keeps_input
def rate_question(code: str, question_id: str):
    """One question on a participant's phone: rate it, then go on (or back); nothing needs JavaScript."""
    participant, workshop, questionnaire, questions, mine = _participant_page_data(code)
    ids = [q.id for q in questions]
    if question_id not in ids:
        return redirect(url_for(".rate", code=workshop.code))  # hidden meanwhile by the answers agreed so far
    index = ids.index(question_id)
    question = questions[index]
    rating = mine.get(question.id)
    form = RatingForm(
        formdata=request.form if request.method == "POST" else None,
        data={
            "value": "" if rating is None or rating.value is None else str(rating.value),
            "comment": rating.comment if rating else "",
        },
    )
    form.value.choices = [c for c in form.value.choices if c.value != "na" or question.allow_na]
    if request.method == "POST":
        if form.validate():
            value = parse_value(form.value.data or None)
            comment = (form.comment.data or "").strip()
            if value is not None or comment or rating is not None:
                if value is None and rating is not None:
                    value = rating.value  # a comment typed alone never erases the rating given before
                workshops.save_rating(get_db(), workshop.id, participant.id, question.id, value, comment)
            if request.form.get("go") == "back" and index > 0:
                return redirect(url_for(".rate_question", code=workshop.code, question_id=ids[index - 1]))
            if index + 1 < len(ids) and request.form.get("go") != "done":
                return redirect(url_for(".rate_question", code=workshop.code, question_id=ids[index + 1]))
            return redirect(url_for(".done", code=workshop.code))
        if form.value.errors:
            form.value.errors = ["Choose one of the ratings shown."]
    return render_template(
        "workshops/rate.html",
        form=form,
        question=question,
        number=index + 1,
        count=len(ids),
        rated=sum(1 for q in ids if q in mine and mine[q].value is not None),
        previous_id=ids[index - 1] if index > 0 else None,
        participant=participant,
        workshop=workshop,
        questionnaire=questionnaire,
        levels=LEVELS,
    ), 400 if form.errors else 200


@bp.get("/w/<code>/done")
@access("participant")
def done(code: str):
    """The end of the questions: what the participant rated, each one still changeable while the workshop is open."""
    participant, workshop, questionnaire, questions, mine = _participant_page_data(code)
    return render_template(
        "workshops/done.html",
        participant=participant,
        workshop=workshop,
        questionnaire=questionnaire,
        questions=questions,
        mine=mine,
        rated=sum(1 for q in questions if q.id in mine and mine[q.id].value is not None),
    )


@bp.post("/w/<code>/rate/<question_id>")
@access("participant")
def rate_one(code: str, question_id: str):
    """Save one rating and answer JSON (for scripts and the benchmark; the pages post whole forms)."""
    participant, workshop, questionnaire, questions, mine = _participant_page_data(code)
    question = next((q for q in questions if q.id == question_id), None)
    if question is None:
        abort(404)
    form = rating_form([question], mine, formdata=request.form)
    if not form.validate():
        return jsonify(errors={k: v for k, v in form.errors.items() if k != "csrf_token"}), 400
    names = answer_field_names(question)
    value = parse_value(form[names["value"]].data)
    comment = (form[names["note"]].data or "").strip()
    workshops.save_rating(get_db(), workshop.id, participant.id, question.id, value, comment)
    return jsonify(saved=True, saved_at=now())


PARTICIPANT_ENDPOINTS = {"workshops.rate", "workshops.rate_question", "workshops.done", "workshops.rate_one"}


@bp.errorhandler(404)
def participant_gone(error):
    """A participant's page after the workshop closed or they were removed: say so, with a way on (never a
    dead end); anything else falls through to the ordinary 404 page."""
    code = (request.view_args or {}).get("code")
    token = (session.get(WORKSHOP_SESSIONS) or {}).get(code) if isinstance(code, str) else None
    standing = None
    if request.endpoint in PARTICIPANT_ENDPOINTS and isinstance(token, str):
        standing = standing_of(get_db(), code, token)
    if standing is None or (standing.status == "open" and not standing.removed):
        return http_error_page(error)
    if request.accept_mimetypes.best == "application/json":
        return jsonify(error="This workshop has ended." if not standing.removed else "You were removed."), 410
    return render_template("workshops/ended.html", standing=standing), 410

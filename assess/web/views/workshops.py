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
from assess.core.answers import answer_problems, parse_value
from assess.core.vocabulary import LEVELS
from assess.core.workshop import DEFAULT_MAX_PARTICIPANTS, discussion_order
from assess.services import workshops as workshop_service
from assess.services.workshops import (
    JoinRefused,
    NoFreeJoinCode,
    find_open_workshop,
    open_workshop,
    ratings_by,
    record_consensus,
    room_state,
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
    WorkshopForm,
    answer_field_names,
    rating_form,
)
from assess.web.views.access import assessment_or_404, author, bank, organization_or_404
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


@bp.get("/orgs/<int:org_id>/workshops/<int:workshop_id>")
@access("consultant")
def facilitate(org_id: int, workshop_id: int):
    org, assessment, questionnaire, workshop = _workshop_or_404(org_id, workshop_id)
    room_now = room_state(get_db(), questionnaire, workshop)
    forms = {}
    for room in room_now.rooms:
        form = ConsensusForm(prefix=room.question.id)
        form.value.choices = [c for c in form.value.choices if c.value != "na" or room.question.allow_na]
        if room.consensus is not None:
            form.value.data = str(room.consensus)
        elif room.spread.median is not None:
            form.value.data = str(room.spread.median)
        forms[room.question.id] = form
    database = get_db()
    return render_template(
        "workshops/facilitate.html",
        org=org,
        assessment=assessment,
        questionnaire=questionnaire,
        workshop=workshop,
        rooms=discussion_order(room_now.rooms),
        ratings=room_now.ratings,
        forms=forms,
        participants=workshops.participants_of(database, workshop.id),
        consensus=workshops.consensus_of(database, workshop.id),
        join_url=url_for(".join", code=workshop.code, _external=True),
        confirm=ConfirmForm(),
        levels=LEVELS,
    )


@bp.get("/orgs/<int:org_id>/workshops/<int:workshop_id>/state.json")
@access("consultant")
def state(org_id: int, workshop_id: int):
    """What the facilitator's screen polls every few seconds: one cheap read, no worker held."""
    org, assessment, questionnaire, workshop = _workshop_or_404(org_id, workshop_id)
    room_now = room_state(get_db(), questionnaire, workshop)
    hide = bool(workshop.hide_names)
    return jsonify(
        status=workshop.status,
        participants=len(workshops.participants_of(get_db(), workshop.id)),
        questions=[
            {
                "id": room.question.id,
                "count": room.spread.count,
                "distribution": room.spread.distribution,
                "median": room.spread.median,
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
    segno.make(url_for(".join", code=workshop.code, _external=True), error="m").save(
        buffer, kind="svg", scale=10, border=2, xmldecl=False, title="Join link"
    )
    return buffer.getvalue(), 200, {"Content-Type": "image/svg+xml"}


@bp.post("/orgs/<int:org_id>/workshops/<int:workshop_id>/consensus/<question_id>")
@access("consultant")
def record(org_id: int, workshop_id: int, question_id: str):
    org, assessment, questionnaire, workshop = _workshop_or_404(org_id, workshop_id)
    questions = {q.id: q for q in workshop_questions(get_db(), questionnaire, workshop)}
    question = questions.get(question_id)
    if question is None:
        abort(404)
    form = ConsensusForm(prefix=question_id)
    if not form.validate_on_submit():
        abort(400, "Choose the agreed level.")
    value = parse_value(form.value.data)
    note = (form.note.data or "").strip()
    problems = answer_problems(value, note, question.allow_na)
    if problems:
        abort(400, "Not applicable needs a reason in the note." if "reason" in problems else "Not allowed here.")
    assert value is not None
    record_consensus(get_db(), workshop, question, value, note, author())
    return redirect(url_for(".facilitate", org_id=org.id, workshop_id=workshop.id) + f"#room-{question_id}")


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


@bp.route("/w/<code>/rate", methods=["GET", "POST"])
@access("participant")
@keeps_input
def rate(code: str):
    participant, workshop, questionnaire, questions, mine = _participant_page_data(code)
    form = rating_form(questions, mine, formdata=request.form if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.validate():
            for question in questions:
                names = answer_field_names(question)
                value = parse_value(form[names["value"]].data)
                comment = (form[names["note"]].data or "").strip()
                if value is not None or comment:
                    workshops.save_rating(get_db(), workshop.id, participant.id, question.id, value, comment)
            flash("Thank you: your ratings are in. You can still change them while the workshop is open.")
            return redirect(url_for(".rate", code=code))
        status = 400
    return render_template(
        "workshops/rate.html",
        form=form,
        questions=questions,
        participant=participant,
        workshop=workshop,
        questionnaire=questionnaire,
        mine=mine,
        levels=LEVELS,
    ), status


@bp.post("/w/<code>/rate/<question_id>")
@access("participant")
def rate_one(code: str, question_id: str):
    """Autosave one rating from a participant's phone."""
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

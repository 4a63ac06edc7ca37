"""The action plan: gaps made actions, listed by priority and due date, edited, done, deleted.

Nothing here touches an answer: closing an action leaves the assessment as it was, and the next
round's answer shows whether the gap is closed.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from assess.core.actions import is_overdue, plan_order
from assess.core.answers import ACTION_STATUSES
from assess.core.scoring import priority_band
from assess.services.actions import add_gap_action
from assess.store import actions, answers
from assess.store.actions import ActionRow
from assess.store.organizations import OrganizationRow
from assess.web.database import get_db
from assess.web.forms import ActionForm, AddActionForm, ConfirmForm
from assess.web.views.access import assessment_or_404, author, bank, organization_or_404
from assess.web.views.auth import access, keeps_input

bp = Blueprint("actions", __name__, url_prefix="/orgs/<int:org_id>")


def _action_or_404(org_id: int, action_id: int) -> tuple[OrganizationRow, ActionRow]:
    org = organization_or_404(org_id)
    row = actions.get_action(get_db(), org.id, action_id)
    if row is None:
        abort(404)
    return org, row


def _question_text(row: ActionRow) -> str:
    questionnaire = bank().questionnaires.get(row.questionnaire)
    if questionnaire is None or not questionnaire.has_question(row.question_id):
        return ""
    return questionnaire.question(row.question_id).text


@bp.get("/actions")
@access("viewer")
def index(org_id: int):
    org = organization_or_404(org_id)
    status = request.args.get("status", "")
    if status and status not in ACTION_STATUSES:
        abort(400, f"There is no status {status!r}: choose open, in progress or done.")
    everything = plan_order(actions.list_actions(get_db(), org.id))
    today = date.today()
    shown = [a for a in everything if not status or a.status == status]
    labels = {q.id: q.label for q in bank().questionnaires.values()}
    return render_template(
        "actions/index.html",
        org=org,
        actions=[(a, is_overdue(a, today), priority_band(a.priority), _question_text(a)) for a in shown],
        counts=Counter(a.status for a in everything),
        overdue=sum(1 for a in everything if is_overdue(a, today)),
        total=len(everything),
        status=status,
        statuses=ACTION_STATUSES,
        labels=labels,
    )


@bp.post("/assessments/<int:assessment_id>/gaps/<question_id>/action")
@access("member")
def add(org_id: int, assessment_id: int, question_id: str):
    """Make one gap of an assessment an action; its clause and priority come from the gap itself."""
    org, row, questionnaire = assessment_or_404(org_id, assessment_id)
    if not questionnaire.has_question(question_id):
        abort(404)
    form = AddActionForm()
    if not form.validate_on_submit():
        abort(400, "The action's text is too long.")
    outcome = add_gap_action(get_db(), bank(), row, question_id, form.what.data or "", author())
    if outcome.action_id is None:
        abort(400, f"Question {question_id} is not a gap of {row.title}: it is at or above the target, or unanswered.")
    flash(
        "Added to the action plan. Give it an owner and a due date."
        if outcome.created
        else "This gap is in the action plan already."
    )
    return redirect(url_for(".edit", org_id=org.id, action_id=outcome.action_id))


@bp.route("/actions/<int:action_id>/edit", methods=["GET", "POST"])
@access("member")
@keeps_input
def edit(org_id: int, action_id: int):
    org, row = _action_or_404(org_id, action_id)
    due = date.fromisoformat(row.due) if row.due else None
    form = ActionForm(data={"what": row.what, "owner": row.owner, "due": due, "status": row.status})
    if form.validate_on_submit():
        actions.update_action(
            get_db(),
            row.id,
            what=form.what.data.strip(),
            owner=(form.owner.data or "").strip(),
            due=form.due.data.isoformat() if form.due.data else "",
            status=form.status.data,
        )
        flash("Action saved.")
        return redirect(url_for(".index", org_id=org.id))
    questionnaire = bank().questionnaires.get(row.questionnaire)
    assessment = answers.get_assessment(get_db(), org.id, row.assessment_id) if row.assessment_id else None
    return render_template(
        "actions/edit.html",
        org=org,
        action=row,
        form=form,
        questionnaire=questionnaire,
        question_text=_question_text(row),
        source=assessment,
        band=priority_band(row.priority),
    ), 400 if form.errors else 200


@bp.route("/actions/<int:action_id>/delete", methods=["GET", "POST"])
@access("consultant")
def delete(org_id: int, action_id: int):
    org, row = _action_or_404(org_id, action_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        actions.delete_action(get_db(), row.id)
        flash("The action was deleted.")
        return redirect(url_for(".index", org_id=org.id))
    return render_template(
        "confirm_delete.html",
        form=form,
        what=f"the action \u201c{row.what[:80]}\u201d",
        consequence="This removes the action from the plan. Answers stay as they are.",
        cancel=url_for(".edit", org_id=org.id, action_id=row.id),
    )

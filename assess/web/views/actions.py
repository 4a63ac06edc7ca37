"""The action plan: gaps made actions (one, or many at once after a preview), listed by priority
and due date, edited in one table or one by one, done, deleted.

Nothing here touches an answer: closing an action leaves the assessment as it was, and the next
round's answer shows whether the gap is closed.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from assess.core.actions import (
    ActionEdit,
    edit_problems,
    is_overdue,
    owner_due_problems,
    plan_order,
    row_token,
    status_problem,
)
from assess.core.answers import ACTION_STATUSES
from assess.core.scoring import priority_band
from assess.core.vocabulary import level_label
from assess.services.actions import add_gap_action, add_gap_actions, gaps_to_plan, save_plan_table
from assess.store import actions, answers
from assess.store.actions import ActionRow, EditConflict
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


def _plan_page(
    org: OrganizationRow,
    status: str,
    *,
    typed: dict[int, dict[str, str]] | None = None,
    errors: dict[tuple[int | str, str], str] | None = None,
    bulk: dict[str, str] | None = None,
    picked: frozenset[int] = frozenset(),
    conflicts: list[EditConflict] | None = None,
    code: int = 200,
):
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
        typed=typed or {},
        errors=errors or {},
        bulk=bulk or {},
        picked=picked,
        conflicts=conflicts or [],
        tokens={a.id: row_token(a.what, a.owner, a.due, a.status) for a in shown},
    ), code


def _status_filter() -> str:
    status = request.values.get("status", "")
    if status and status not in ACTION_STATUSES:
        abort(400, f"There is no status {status!r}: choose open, in progress or done.")
    return status


@bp.get("/actions")
@access("viewer")
def index(org_id: int):
    org = organization_or_404(org_id)
    return _plan_page(org, _status_filter())


def _ids(name: str) -> list[int]:
    """Return the action ids a form sent under `name`; 400 for anything that is not an id."""
    values = request.form.getlist(name)
    if not all(v.isascii() and v.isdigit() and len(v) < 12 for v in values):
        abort(400, "The form named an action that does not exist.")
    return [int(v) for v in values]


@bp.post("/actions/table")
@access("member")
def save_table(org_id: int):
    """Save the plan table: every row as typed, with the owner, due date or status of the
    "set for the selected" bar put on the selected rows; all rows or none."""
    org = organization_or_404(org_id)
    status = _status_filter()
    ids = list(dict.fromkeys(_ids("row")))
    picked = frozenset(_ids("pick"))
    bulk = {field: request.form.get(f"all-{field}", "").strip() for field in ("owner", "due", "status")}
    errors: dict[tuple[int | str, str], str] = {
        ("all", field): message for field, message in owner_due_problems(bulk["owner"], bulk["due"]).items()
    }
    if bulk["status"] and (problem := status_problem(bulk["status"])):
        errors["all", "status"] = problem
    if any(bulk.values()) and not picked & set(ids):
        errors["all", "pick"] = "Tick the actions to set these for, in the first column."
    typed: dict[int, dict[str, str]] = {}
    edits = []
    for action_id in ids:
        row = {field: request.form.get(f"{field}-{action_id}", "") for field in ("what", "owner", "due", "status")}
        row = {field: value if field == "what" else value.strip() for field, value in row.items()}
        if action_id in picked:
            row.update({field: value for field, value in bulk.items() if value})
        row["seen"] = request.form.get(f"seen-{action_id}", "")
        row["shown"] = request.form.get(f"shown-{action_id}", "")[:64]
        typed[action_id] = row
        for field, message in edit_problems(row["what"], row["owner"], row["due"], row["status"]).items():
            errors[action_id, field] = message
        edits.append(
            ActionEdit(
                action_id, row["what"].strip(), row["owner"], row["due"], row["status"], row["seen"], row["shown"]
            )
        )
    if errors:
        return _plan_page(org, status, typed=typed, errors=errors, bulk=bulk, picked=picked, code=400)
    changed, conflicts = save_plan_table(get_db(), org.id, edits)
    if conflicts:
        for conflict in conflicts:  # a second save overwrites knowingly: it starts from what is there now
            if conflict.now is not None:
                typed[conflict.id]["seen"] = conflict.now.version
        for edit in edits:  # rows sent as shown are drawn again as they are now, so no stale value is kept
            if edit.untouched:
                del typed[edit.id]
        return _plan_page(org, status, typed=typed, bulk=bulk, picked=picked, conflicts=conflicts, code=409)
    flash(
        f"Action plan saved: {changed} action{'s' if changed != 1 else ''} changed." if changed else "Nothing changed."
    )
    return redirect(url_for(".index", org_id=org.id, status=status or None))


@bp.route("/assessments/<int:assessment_id>/gaps/plan", methods=["GET", "POST"])
@access("member")
def add_gaps(org_id: int, assessment_id: int):
    """Add gaps to the action plan in one step: a preview of the gaps, essential ones first and
    ticked, an owner and a due date for all those chosen."""
    org, row, questionnaire = assessment_or_404(org_id, assessment_id)
    database = get_db()
    errors: dict[str, str] = {}
    owner = due = ""
    if request.method == "POST":
        chosen = request.form.getlist("gap")
        owner, due = request.form.get("owner", "").strip(), request.form.get("due", "").strip()
        errors = owner_due_problems(owner, due)
        if not chosen:
            errors["gap"] = "Tick at least one gap to add."
        if not errors:
            added = add_gap_actions(database, bank(), row, chosen, owner=owner, due=due, author=author())
            skipped = len(added.already_planned) + len(added.not_gaps)
            flash(
                f"Added {len(added.created)} gap{'s' if len(added.created) != 1 else ''} to the action plan"
                + (f"; {skipped} left out because {'it was' if skipped == 1 else 'they were'} planned meanwhile "
                   "or no longer a gap" if skipped else "")
                + "."
            )  # fmt: skip
            return redirect(url_for(".index", org_id=org.id))
        ticked = set(chosen)
        choices = gaps_to_plan(database, bank(), row)  # scored only when the page is drawn again
    else:
        pick = request.args.get("select", "essential")
        if pick not in ("essential", "all", "none"):
            abort(400, "Choose which gaps to tick: essential, all or none.")
        choices = gaps_to_plan(database, bank(), row)
        ticked = {
            c.gap.question
            for c in choices
            if c.planned is None and (pick == "all" or (pick == "essential" and c.gap.key))
        }
    return render_template(
        "actions/add_gaps.html",
        org=org,
        assessment=row,
        questionnaire=questionnaire,
        choices=choices,
        ticked=ticked,
        owner=owner,
        due=due,
        errors=errors,
        band=priority_band,
        level_label=level_label,
    ), 400 if errors else 200


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
        abort(
            400,
            f"Question {question_id} is not a gap of {row.title}: it is at or above the target, "
            "answered \u201cdon't know\u201d or not answered.",
        )
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

"""Excel workbooks of one assessment: download it to fill in offline, upload it back.

An upload is checked whole (answers and action plan, `import_assessment_workbook`): with any bad
cell nothing is imported and every problem is shown with its cell reference; otherwise the answers
are saved as the uploader's and the action plan takes the sheet's changes.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for

from assess.core.actions import plan_order
from assess.core.shared import twins
from assess.core.vocabulary import level_label
from assess.formats.workbook import (
    ANSWER_COLUMN_LETTERS,
    WorkbookError,
    assessment_workbook,
    read_workbook_about,
    workbook_filename,
)
from assess.services.organizations import load_assessment
from assess.services.results import shared_for
from assess.services.workbooks import Upload, import_workbook, settle_workbook, unsettled, waiting_upload
from assess.store import actions, answers
from assess.web.database import get_db
from assess.web.forms import ConfirmForm, WorkbookUploadForm
from assess.web.views.access import assessment_or_404, author, bank
from assess.web.views.auth import access, keeps_input

bp = Blueprint("workbooks", __name__, url_prefix="/orgs/<int:org_id>/assessments/<int:assessment_id>")

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.get("/workbook.xlsx")
@access("member")
def download(org_id: int, assessment_id: int):
    org, row, questionnaire = assessment_or_404(org_id, assessment_id)
    database = get_db()
    stored = answers.get_answers(database, row.id)
    assessment = load_assessment(database, row)
    plan = [
        {
            "what": a.what,
            "clause": a.clause,
            "question": a.question_id,
            "priority": a.priority,
            "owner": a.owner,
            "due": a.due,
            "status": a.status,
            "id": a.id,
            "version": a.version,
        }
        for a in plan_order(actions.list_actions(database, org.id, row.id))
    ]
    content = assessment_workbook(
        questionnaire,
        assessment,
        org_name=org.name,
        answers_meta={qid: (s.updated_by, s.updated_at, s.revision) for qid, s in stored.items()},
        actions=plan,
        shared=_shared_lines(row, stored),
    )
    name = workbook_filename(assessment)
    return Response(content, mimetype=XLSX_TYPE, headers={"Content-Disposition": f'attachment; filename="{name}"'})


def _shared_lines(row, stored) -> dict[str, str]:
    """Return question id -> where else the practice is asked, and the answer it takes from there."""
    labels = {q.id: q.label for q in bank().questionnaires.values()}
    lines = {
        qid: f"Also asked in {', '.join(f'{labels[t.questionnaire]} ({t.question})' for t in linked)}: answered once"
        for qid, linked in twins(bank()).items()
    }
    for qid, taken in shared_for(get_db(), bank(), row, stored).items():
        lines[qid] = (
            f"Answered in {labels[taken.questionnaire]} ({taken.assessment}, {taken.question}): "
            f"{level_label(taken.answer.value)}; that answer counts here unless you give one in this row"
        )
    return lines


@bp.route("/workbook", methods=["GET", "POST"])
@access("member")
@keeps_input
def upload(org_id: int, assessment_id: int):
    org, row, questionnaire = assessment_or_404(org_id, assessment_id)
    form = WorkbookUploadForm()
    problems: list[str] = []
    if form.validate_on_submit():
        data = form.file.data.read()
        try:
            about = read_workbook_about(data)
            if about.questionnaire != row.questionnaire:
                known = bank().questionnaires.get(about.questionnaire)
                problems = [
                    f"This workbook is of {known.label if known else about.questionnaire}, but {row.title} is an "
                    f"assessment of {questionnaire.label}. Upload a workbook downloaded from this assessment."
                ]
            elif about.title != row.title:
                problems = [
                    f"This workbook was downloaded from the assessment \u201c{about.title}\u201d, not "
                    f"\u201c{row.title}\u201d. Upload it to that assessment, or download this one's workbook."
                ]
            else:
                return _outcome(org, row, questionnaire, import_workbook(get_db(), bank(), row, data, author()))
        except WorkbookError as exc:
            problems = exc.problems
    return render_template(
        "workbooks/upload.html", org=org, assessment=row, questionnaire=questionnaire, form=form, problems=problems
    ), 400 if (form.errors or problems) else 200


def _outcome(org, row, questionnaire, upload: Upload):
    if not upload.waiting:
        flash(upload.summary())
        return redirect(url_for("assessments.hub", org_id=org.id, assessment_id=row.id))
    rows = upload.rows or {}
    return render_template(
        "workbooks/conflicts.html",
        org=org,
        assessment=row,
        questionnaire=questionnaire,
        conflicts=[(c, rows.get(c.question_id)) for c in upload.saved.conflicts],
        token=upload.token,
        form=ConfirmForm(),
        columns=ANSWER_COLUMN_LETTERS,
    ), 409


@bp.post("/workbook/settle")
@access("member")
def settle_upload(org_id: int, assessment_id: int):
    """Import a waiting upload with each conflict settled as its uploader chose (all or nothing)."""
    org, row, questionnaire = assessment_or_404(org_id, assessment_id)
    if not ConfirmForm().validate_on_submit():
        abort(400, "The form token has expired: upload the workbook again.")
    database = get_db()
    token = request.form.get("upload", "")
    payload = waiting_upload(database, row, token, author())
    if payload is None:
        abort(404, "This upload is no longer waiting (it was settled, or is older than a day): upload it again.")
    choices = {k.removeprefix("resolve:"): v for k, v in request.form.items() if k.startswith("resolve:")}
    missing = unsettled(payload, choices)
    if missing:
        choices = {}
    try:
        upload = settle_workbook(database, bank(), row, token, payload, choices, author())
    except WorkbookError as exc:
        form = WorkbookUploadForm()
        return render_template(
            "workbooks/upload.html",
            org=org,
            assessment=row,
            questionnaire=questionnaire,
            form=form,
            problems=exc.problems,
        ), 400
    if missing and upload.waiting:  # said only when true: the conflicts may have gone meanwhile
        flash(f"Choose which version to keep for every answer below ({len(missing)} not chosen yet): nothing imported.")
    return _outcome(org, row, questionnaire, upload)

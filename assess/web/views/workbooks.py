"""Excel workbooks of one assessment: download it to fill in offline, upload it back.

An upload is checked whole (answers and action plan, `import_assessment_workbook`): with any bad
cell nothing is imported and every problem is shown with its cell reference; otherwise the answers
are saved as the uploader's and the action plan takes the sheet's changes.
"""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, url_for

from assess.core.actions import plan_order
from assess.formats.workbook import (
    WorkbookError,
    assessment_workbook,
    read_workbook_about,
    workbook_filename,
)
from assess.services.organizations import load_assessment
from assess.services.workbook_import import import_assessment_workbook
from assess.store import actions, answers
from assess.web.database import get_db
from assess.web.forms import WorkbookUploadForm
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
        answers_meta={qid: (s.updated_by, s.updated_at) for qid, s in stored.items() if s.value is not None},
        actions=plan,
    )
    name = workbook_filename(assessment)
    return Response(content, mimetype=XLSX_TYPE, headers={"Content-Disposition": f'attachment; filename="{name}"'})


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
                imported = import_assessment_workbook(get_db(), questionnaire, row, data, author())
        except WorkbookError as exc:
            problems = exc.problems
        if not problems:
            flash(imported.summary())
            return redirect(url_for("assessments.hub", org_id=org.id, assessment_id=row.id))
    return render_template(
        "workbooks/upload.html", org=org, assessment=row, questionnaire=questionnaire, form=form, problems=problems
    ), 400 if (form.errors or problems) else 200

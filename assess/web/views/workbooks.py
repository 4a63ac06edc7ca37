"""Excel workbooks of one assessment: download it to fill in offline, upload it back.

An upload is checked whole (`read_answers_workbook`): with any bad cell nothing is imported and
every problem is shown with its cell reference; otherwise the answers are saved as the uploader's.
"""

from __future__ import annotations

from collections.abc import Mapping

from flask import Blueprint, Response, flash, redirect, render_template, url_for

from assess.core.actions import plan_order
from assess.core.answers import Answer
from assess.formats.workbook import (
    WorkbookError,
    assessment_workbook,
    read_answers_workbook,
    read_workbook_about,
    workbook_filename,
)
from assess.store import db
from assess.web.forms import WorkbookUploadForm
from assess.web.views.access import assessment_or_404, bank
from assess.web.views.auth import access, current_user, keeps_input

bp = Blueprint("workbooks", __name__, url_prefix="/orgs/<int:org_id>/assessments/<int:assessment_id>")

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.get("/workbook.xlsx")
@access("member")
def download(org_id: int, assessment_id: int):
    org, row, questionnaire = assessment_or_404(org_id, assessment_id)
    database = db.get_db()
    stored = db.get_answers(database, row.id)
    assessment = db.load_assessment(database, row)
    actions = [
        {
            "what": a.what,
            "clause": a.clause,
            "question": a.question_id,
            "priority": a.priority,
            "owner": a.owner,
            "due": a.due,
            "status": a.status,
        }
        for a in plan_order(db.list_actions(database, org.id, row.id))
    ]
    content = assessment_workbook(
        questionnaire,
        assessment,
        org_name=org.name,
        answers_meta={qid: (s.updated_by, s.updated_at) for qid, s in stored.items() if s.value is not None},
        actions=actions,
    )
    name = workbook_filename(assessment)
    return Response(content, mimetype=XLSX_TYPE, headers={"Content-Disposition": f'attachment; filename="{name}"'})


def _changes(answers: Mapping[str, Answer], stored: Mapping[str, db.StoredAnswer]) -> list[db.AnswerChange]:
    """Return the workbook's answers that differ from the stored ones, as changes to save."""
    return [
        db.AnswerChange(qid, answer.value, answer.note, answer.evidence, answer.reason)
        for qid, answer in answers.items()
        if qid not in stored or stored[qid].as_answer() != answer
    ]


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
                answers = read_answers_workbook(data, questionnaire)
        except WorkbookError as exc:
            problems = exc.problems
        if not problems:
            database = db.get_db()
            changes = _changes(answers, db.get_answers(database, row.id))
            if changes:
                user = current_user()
                db.save_answers(database, row.id, changes, author=user.email if user else "")
            flash(f"Workbook imported: {len(changes)} answer(s) changed, {len(answers) - len(changes)} unchanged.")
            return redirect(url_for("assessments.hub", org_id=org.id, assessment_id=row.id))
    return render_template(
        "workbooks/upload.html", org=org, assessment=row, questionnaire=questionnaire, form=form, problems=problems
    ), 400 if (form.errors or problems) else 200

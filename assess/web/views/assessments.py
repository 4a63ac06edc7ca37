"""Assessments: start, answer page by page (with autosave), check answers, results."""

from __future__ import annotations

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from wtforms.fields.choices import SelectChoice

from assess.core.scoring import CURRENT, PREVIOUS, visible_questions
from assess.core.shared import twins
from assess.core.vocabulary import LEVELS, level_label
from assess.services.answers import restore_version, save_answers
from assess.services.compare import pair_for
from assess.services.results import answer_values, results_of, shared_for
from assess.store import actions, answers
from assess.store.answers import Conflict
from assess.web.database import get_db
from assess.web.forms import (
    AssessmentForm,
    ConfirmForm,
    DuplicateForm,
    EditAssessmentForm,
    answer_changes,
    answer_field_names,
    answer_form,
    posted_revision,
)
from assess.web.navigation import REVIEW_FILTERS, answer_pages, page_of, progress, review_groups
from assess.web.views.access import assessment_or_404, author, bank, organization_or_404
from assess.web.views.auth import access, keeps_input

bp = Blueprint("assessments", __name__, url_prefix="/orgs/<int:org_id>/assessments")


@bp.route("/new", methods=["GET", "POST"])
@access("member")
@keeps_input
def new(org_id: int):
    org = organization_or_404(org_id)
    form = AssessmentForm()
    form.questionnaire.choices = [SelectChoice(q.id, f"{q.label} {q.title}") for q in bank().questionnaires.values()]
    if request.method == "GET" and request.args.get("questionnaire") in bank().questionnaires:
        form.questionnaire.data = request.args["questionnaire"]
    if form.validate_on_submit():
        assessment_id = answers.create_assessment(
            get_db(), org.id, form.questionnaire.data, form.title.data.strip(), form.target.data
        )
        return redirect(url_for("assessments.hub", org_id=org.id, assessment_id=assessment_id))
    return render_template("assessments/new.html", org=org, form=form), 400 if form.errors else 200


@bp.get("/<int:assessment_id>")
@access("member")
def hub(org_id: int, assessment_id: int):
    org, row, questionnaire = assessment_or_404(org_id, assessment_id)
    values = answer_values(get_db(), bank(), row)
    visible = visible_questions(questionnaire, values)
    pages = answer_pages(questionnaire)
    page_progress = [(p, progress(p.questions, values, visible)) for p in pages]
    sections = [
        (top, progress(tuple(top.all_questions()), values, visible), [pp for pp in page_progress if pp[0].top is top])
        for top in questionnaire.clauses
    ]
    overall = progress(questionnaire.questions, values, visible)
    next_page = next((p for p, pr in page_progress if pr.status != "Done"), None)
    return render_template(
        "assessments/hub.html",
        org=org,
        assessment=row,
        questionnaire=questionnaire,
        sections=sections,
        overall=overall,
        next_page=next_page,
    )


def _page_index(pages, key: str) -> int:
    """Return the position of the page with this key; 404 if there is none."""
    index = next((i for i, p in enumerate(pages) if p.key == key), None)
    if index is None:
        abort(404)
    return index


@bp.route("/<int:assessment_id>/pages/<key>", methods=["GET", "POST"])
@access("member")
@keeps_input
def page(org_id: int, assessment_id: int, key: str):
    org, row, questionnaire = assessment_or_404(org_id, assessment_id)
    pages = answer_pages(questionnaire)
    index = _page_index(pages, key)
    current = pages[index]
    database = get_db()
    stored = answers.get_answers(database, row.id)
    form = answer_form(current.questions, stored, formdata=request.form if request.method == "POST" else None)
    revisions = {qid: a.revision for qid, a in stored.items()}
    conflicts: dict[str, Conflict] = {}
    status = 200
    if request.method == "POST":
        if form.validate():
            changes, ok = answer_changes(form, stored, request.form)
            if ok:
                saved = save_answers(database, questionnaire, row, changes, author())
                if saved.conflicts:
                    # Everything else was saved; the conflicts are shown next to their questions, with the
                    # page still holding what this person typed.
                    stored = answers.get_answers(database, row.id)
                    revisions = {qid: a.revision for qid, a in stored.items()}
                    conflicts = {c.question_id: c for c in saved.conflicts}
                    return _page(org, row, questionnaire, pages, index, form, stored, revisions, conflicts), 409
                target = request.form.get("go", "next")
                if target == "previous" and index > 0:
                    destination = url_for(".page", org_id=org.id, assessment_id=row.id, key=pages[index - 1].key)
                elif target == "next" and index + 1 < len(pages):
                    destination = url_for(".page", org_id=org.id, assessment_id=row.id, key=pages[index + 1].key)
                elif target == "check" or target == "next":
                    destination = url_for(".check", org_id=org.id, assessment_id=row.id)
                else:
                    destination = url_for(".hub", org_id=org.id, assessment_id=row.id)
                return redirect(destination)
        status = 400
        # a refused page keeps the revisions it was shown, so a later save still finds its base
        revisions.update({q.id: r for q in current.questions if (r := _posted_revision(q.id)) is not None})
    return _page(org, row, questionnaire, pages, index, form, stored, revisions, conflicts), status


def _posted_revision(question_id: str) -> int | None:
    return _posted_number(f"rev:{question_id}")


def _page(org, row, questionnaire, pages, index, form, stored, revisions, conflicts) -> str:
    current = pages[index]
    database = get_db()
    shared = shared_for(database, bank(), row, stored)
    visible = visible_questions(questionnaire, answer_values(database, bank(), row, stored, shared=shared))
    return render_template(
        "assessments/page.html",
        org=org,
        assessment=row,
        questionnaire=questionnaire,
        page=current,
        previous_page=pages[index - 1] if index > 0 else None,
        next_page=pages[index + 1] if index + 1 < len(pages) else None,
        page_number=index + 1,
        page_count=len(pages),
        form=form,
        names={q.id: answer_field_names(q) for q in current.questions},
        stored=stored,
        revisions=revisions,
        conflicts=conflicts,
        shared=shared,
        twins=twins(bank()),
        labels={q.id: q.label for q in bank().questionnaires.values()},
        visible=visible,
        levels=LEVELS,
    )


def conflict_json(conflict: Conflict) -> dict:
    """Return a conflict as the autosave script shows it: both versions, who changed theirs and when."""
    theirs, mine = conflict.theirs, conflict.mine
    return {
        "question": conflict.question_id,
        "parts": sorted(conflict.parts),
        "theirs": {
            "value": "" if theirs.value is None else str(theirs.value),
            "label": level_label(theirs.value),
            "reason": theirs.reason,
            "note": theirs.note,
            "evidence": theirs.evidence,
            "by": theirs.updated_by or "someone",
            "at": theirs.updated_at,
            "revision": theirs.revision,
        },
        "mine": {
            "value": "" if mine.value is None else str(mine.value),
            "label": level_label(mine.value),
            "reason": mine.reason,
            "note": mine.note,
            "evidence": mine.evidence,
        },
    }


@bp.post("/<int:assessment_id>/answers/<question_id>")
@access("member")
def save_answer(org_id: int, assessment_id: int, question_id: str):
    """Autosave one question's inputs; answers JSON with the save time and which questions show."""
    org, row, questionnaire = assessment_or_404(org_id, assessment_id)
    if not questionnaire.has_question(question_id):
        abort(404)
    question = questionnaire.question(question_id)
    database = get_db()
    stored = answers.get_answers(database, row.id)
    form = answer_form((question,), stored, formdata=request.form)
    if not form.validate():
        return jsonify(errors={k: v for k, v in form.errors.items() if k != "csrf_token"}), 400
    changes, ok = answer_changes(form, stored, request.form)
    if not ok:
        return jsonify(
            errors={name: form[name].errors for name in answer_field_names(question).values() if form[name].errors}
        ), 400
    saved = save_answers(database, questionnaire, row, changes, author())
    if saved.conflicts:
        return jsonify(conflict=conflict_json(saved.conflicts[0])), 409
    # Read again after saving: in a workshop others save into the same assessment at the same time,
    # and which follow-up questions show depends on all of it.
    values = answer_values(database, bank(), row)
    visible = visible_questions(questionnaire, values)
    current = page_of(questionnaire, question_id)
    assert current is not None
    page_progress = progress(current.questions, values, visible)
    return jsonify(
        saved=bool(saved.changed),
        saved_at=saved.at if saved.changed else None,
        revision=saved.revisions.get(question_id, stored[question_id].revision if question_id in stored else 0),
        visible=sorted(q.id for q in current.questions if q.id in visible),
        answered=page_progress.answered,
        total=page_progress.visible,
    )


@bp.route("/<int:assessment_id>/questions/<question_id>/history", methods=["GET", "POST"])
@access("member")
def history(org_id: int, assessment_id: int, question_id: str):
    """Every version of one answer, newest first, each with "restore this version" (a new change)."""
    org, row, questionnaire = assessment_or_404(org_id, assessment_id)
    if not questionnaire.has_question(question_id):
        abort(404)
    question = questionnaire.question(question_id)
    database = get_db()
    form = ConfirmForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400, "The form token has expired: open the history again.")
        revision, shown = _posted_number("revision"), _posted_number("shown")
        if revision is None or shown is None:
            abort(400, "Choose a version to restore.")
        saved = restore_version(database, row, question_id, revision, shown, author())
        if saved is None:
            abort(404)
        if saved.conflicts:
            flash(
                "Someone changed this answer while you were looking at its history: nothing was restored. "
                "The newest version is at the top now; restore again if you still want the older one."
            )
        else:
            flash(f"Version {revision} is the current answer again (saved as a new version; nothing was deleted).")
        return redirect(url_for(".history", org_id=org.id, assessment_id=row.id, question_id=question_id))
    versions = list(reversed(answers.answer_history(database, row.id, question_id)))
    current = answers.get_answer(database, row.id, question_id)
    page = page_of(questionnaire, question_id)
    return render_template(
        "assessments/history.html",
        org=org,
        assessment=row,
        questionnaire=questionnaire,
        question=question,
        versions=versions,
        current=current,
        form=form,
        page=page,
    )


def _posted_number(name: str) -> int | None:
    return posted_revision(request.form.get(name, ""))


@bp.get("/<int:assessment_id>/check")
@access("member")
def check(org_id: int, assessment_id: int):
    org, row, questionnaire = assessment_or_404(org_id, assessment_id)
    database = get_db()
    stored = answers.get_answers(database, row.id)
    shared = shared_for(database, bank(), row, stored)
    # a question answered through its twin in another bank reads as answered, with where from
    seen = {**stored, **{qid: s.answer for qid, s in shared.items()}}
    visible = visible_questions(questionnaire, answer_values(database, bank(), row, stored, shared=shared))
    groups = review_groups(questionnaire, seen, visible)
    show = request.args.get("show", "")
    if show not in REVIEW_FILTERS:
        show = ""
    counts = {kind: sum(g.count(kind) for g in groups) for kind in (*REVIEW_FILTERS, "level")}
    return render_template(
        "assessments/check.html",
        org=org,
        assessment=row,
        questionnaire=questionnaire,
        groups=groups,
        show=show,
        counts=counts,
        total=sum(len(g.rows) for g in groups),
        levels=LEVELS,
        stored=stored,
        shared=shared,
        labels={q.id: q.label for q in bank().questionnaires.values()},
    )


@bp.get("/<int:assessment_id>/results")
@access("viewer")
def results(org_id: int, assessment_id: int):
    from assess.core.scoring import priority_band
    from assess.core.vocabulary import scale_key, target_score
    from assess.services.results import findings_of

    org, row, questionnaire = assessment_or_404(org_id, assessment_id)
    edition = PREVIOUS if request.args.get("edition") == PREVIOUS and questionnaire.previous_edition else CURRENT
    database = get_db()
    found = findings_of(database, bank(), row)
    result = found.result
    return render_template(
        "assessments/results.html",
        org=org,
        assessment=row,
        questionnaire=questionnaire,
        result=result,
        gaps=found.gaps,
        to_find_out=found.to_find_out,
        target_score=target_score(row.target),
        key=scale_key(row.target),
        key_of=dict(scale_key(row.target)),
        band=priority_band,
        clauses=result.previous_clauses if edition == PREVIOUS else result.clauses,
        edition=edition,
        page_of={q.id: page_of(questionnaire, q.id) for q in questionnaire.questions},
        levels=LEVELS,
        planned=actions.open_actions_by_question(database, org.id, questionnaire.id),
        compare_pair=pair_for(answers.list_assessments(database, org.id), row),
    )


@bp.route("/<int:assessment_id>/edit", methods=["GET", "POST"])
@access("member")
@keeps_input
def edit(org_id: int, assessment_id: int):
    org, row, questionnaire = assessment_or_404(org_id, assessment_id)
    form = EditAssessmentForm(data={"title": row.title, "target": row.target})
    if form.validate_on_submit():
        answers.update_assessment(get_db(), row.id, form.title.data.strip(), form.target.data)
        flash("Saved.")
        return redirect(url_for(".hub", org_id=org.id, assessment_id=row.id))
    return render_template(
        "assessments/edit.html", org=org, assessment=row, questionnaire=questionnaire, form=form
    ), 400 if form.errors else 200


@bp.route("/<int:assessment_id>/duplicate", methods=["GET", "POST"])
@access("member")
@keeps_input
def duplicate(org_id: int, assessment_id: int):
    org, row, questionnaire = assessment_or_404(org_id, assessment_id)
    form = DuplicateForm()
    if form.validate_on_submit():
        new_id = answers.duplicate_assessment(get_db(), row, form.title.data.strip())
        flash(f"Started {form.title.data.strip()} with the answers of {row.title}.")
        return redirect(url_for(".hub", org_id=org.id, assessment_id=new_id))
    return render_template(
        "assessments/duplicate.html", org=org, assessment=row, questionnaire=questionnaire, form=form
    ), 400 if form.errors else 200


@bp.route("/<int:assessment_id>/delete", methods=["GET", "POST"])
@access("consultant")
def delete(org_id: int, assessment_id: int):
    org, row, questionnaire = assessment_or_404(org_id, assessment_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        answers.delete_assessment(get_db(), row.id)
        flash(f"{row.title} was deleted.")
        return redirect(url_for("organizations.overview", org_id=org.id))
    return render_template(
        "confirm_delete.html",
        form=form,
        what=f"{row.title} ({questionnaire.label})",
        consequence="This deletes the assessment and every answer in it.",
        cancel=url_for(".hub", org_id=org.id, assessment_id=row.id),
    )


@bp.get("/<int:assessment_id>/chart.svg")
@access("viewer")
def chart(org_id: int, assessment_id: int):
    """The results chart as SVG: the same function draws the gap report's picture."""
    from assess.documents.charts import clause_chart

    org, row, questionnaire = assessment_or_404(org_id, assessment_id)
    edition = PREVIOUS if request.args.get("edition") == PREVIOUS and questionnaire.previous_edition else CURRENT
    result = results_of(get_db(), bank(), row)
    svg = clause_chart(questionnaire, result, fmt="svg", edition=edition)
    return svg, 200, {"Content-Type": "image/svg+xml", "Cache-Control": "no-store"}

"""Compare rounds: two assessments of one questionnaire side by side, and the trend over every round."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from wtforms.fields.choices import SelectChoice

from assess.core.compare import change_text, clause_trend, compare_rounds, direction
from assess.core.questionnaire import Questionnaire
from assess.core.vocabulary import LEVELS
from assess.services.compare import pair_for, rounds_of
from assess.services.organizations import load_assessment
from assess.services.results import results_of
from assess.store import answers
from assess.store.answers import AssessmentRow
from assess.web.database import get_db
from assess.web.forms import CompareForm
from assess.web.views.access import bank, organization_or_404
from assess.web.views.auth import access

bp = Blueprint("compare", __name__, url_prefix="/orgs/<int:org_id>")

TREND_FROM = 3
"""From this many rounds of a questionnaire on, the page shows the per-clause trend."""


@bp.context_processor
def change_words() -> dict:
    return {"change_text": change_text, "direction": direction}


def _comparable(org_id: int):
    """Return the organization, its rounds (of installed questionnaires), the form, and the chosen
    pair with its questionnaire; the pair is None when the organization has no two rounds to
    compare or the choice is invalid (then the form carries the errors)."""
    org = organization_or_404(org_id)
    rows = [r for r in answers.list_assessments(get_db(), org.id) if r.questionnaire in bank().questionnaires]
    form = CompareForm(formdata=request.args if request.args else None)
    choices = [SelectChoice(r.id, f"{bank().questionnaire(r.questionnaire).label} \u00b7 {r.title}") for r in rows]
    form.before.choices = list(choices)
    form.after.choices = list(choices)
    if not request.args:
        pair = pair_for(rows)
        if pair is None:
            return org, rows, form, None
        form.before.data, form.after.data = pair[0].id, pair[1].id
    elif not form.validate():
        return org, rows, form, None
    by_id = {r.id: r for r in rows}
    before, after = by_id[form.before.data], by_id[form.after.data]
    if before.questionnaire != after.questionnaire:
        form.after.errors = [
            f"{after.title} is of {bank().questionnaire(after.questionnaire).label} and {before.title} of "
            f"{bank().questionnaire(before.questionnaire).label}: choose two rounds of the same standard."
        ]
        return org, rows, form, None
    if before.id == after.id:
        form.after.errors = ["Choose two different rounds."]
        return org, rows, form, None
    return org, rows, form, (before, after, bank().questionnaire(before.questionnaire))


@bp.get("/compare")
@access("viewer")
def page(org_id: int):
    org, rows, form, chosen = _comparable(org_id)
    if chosen is None:
        status = 400 if form.errors else 200
        return render_template("compare/page.html", org=org, form=form, comparison=None, rows=rows), status
    before, after, questionnaire = chosen
    database = get_db()
    comparison = compare_rounds(questionnaire, load_assessment(database, before), load_assessment(database, after))
    rounds = rounds_of(rows, questionnaire.id)
    trend = None
    if len(rounds) >= TREND_FROM:
        trend = clause_trend(questionnaire, [load_assessment(database, r) for r in rounds])
    return render_template(
        "compare/page.html",
        org=org,
        form=form,
        rows=rows,
        before=before,
        after=after,
        questionnaire=questionnaire,
        comparison=comparison,
        rounds=rounds,
        trend=trend,
        levels=LEVELS,
    )


@bp.get("/compare.svg")
@access("viewer")
def chart(org_id: int):
    """Both rounds' clause scores as one grouped bar chart (SVG)."""
    from assess.documents.charts import rounds_chart

    org, rows, form, chosen = _comparable(org_id)
    if chosen is None:
        problems = [e for errors in form.errors.values() for e in errors]
        abort(400, " ".join(problems) or "Choose two rounds of the same standard to compare.")
    before, after, questionnaire = chosen
    svg = rounds_chart(questionnaire, [_scored(questionnaire, before), _scored(questionnaire, after)])
    return svg, 200, {"Content-Type": "image/svg+xml", "Cache-Control": "no-store"}


def _scored(questionnaire: Questionnaire, row: AssessmentRow):
    return row.title, results_of(get_db(), bank(), row)

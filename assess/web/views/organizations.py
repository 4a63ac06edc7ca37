"""Organizations: list, create, edit, delete, profile, overview, export and import."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for

from assess.core.slug import slugify
from assess.core.vocabulary import ACTION_DONE
from assess.formats.example import example_organization
from assess.formats.exchange import ExchangeError, dump_exchange, parse_exchange
from assess.services.compare import pair_for
from assess.services.documents import documents_readiness
from assess.services.organizations import import_organization, load_organization, save_profile_facts, stored_value
from assess.services.results import results_of, standards_overview
from assess.store import actions, answers, organizations, people
from assess.web.database import get_db
from assess.web.forms import ConfirmForm, ImportForm, OrganizationForm, profile_form, profile_values
from assess.web.navigation import profile_sections
from assess.web.profile_saving import posted_tokens, settle_form, tokens_for
from assess.web.views.access import author, bank, organization_or_404, settings
from assess.web.views.auth import access, current_user, keeps_input

bp = Blueprint("organizations", __name__, url_prefix="/orgs")


@bp.get("")
@access("login")
def index():
    user = current_user()
    assert user is not None
    database = get_db()
    rows = organizations.list_organizations(database) if user.is_admin else people.organizations_of(database, user.id)
    return render_template("organizations/index.html", organizations=rows)


@bp.route("/new", methods=["GET", "POST"])
@access("creator")
@keeps_input
def new():
    form = OrganizationForm()
    if form.validate_on_submit():
        user = current_user()
        assert user is not None
        org_id = people.create_organization_for(get_db(), form.name.data.strip(), user.id)
        flash("Organization created. Start an assessment, or fill in its profile.")
        return redirect(url_for("organizations.overview", org_id=org_id))
    return render_template("organizations/form.html", form=form, org=None), 400 if form.errors else 200


@bp.get("/<int:org_id>")
@access("viewer")
def overview(org_id: int):
    org = organization_or_404(org_id)
    database = get_db()
    stored = answers.list_assessments(database, org.id)
    rows = []
    for row in stored:
        questionnaire = bank().questionnaires.get(row.questionnaire)
        if questionnaire is None:
            continue
        rows.append((row, questionnaire, results_of(database, bank(), row, stored)))
    profile = organizations.get_profile(database, org.id)
    documents = documents_readiness(database, bank(), org.id, settings().doc_templates_dir)
    return render_template(
        "organizations/overview.html",
        org=org,
        rows=rows,
        standards=standards_overview(database, bank(), org.id, stored),
        documents={d.info.id: d for d in documents},
        profile_filled=len(profile),
        profile_total=len(bank().profile.facts),
        can_compare=pair_for([row for row, _, _ in rows]) is not None,
        open_actions=sum(1 for a in actions.list_actions(database, org.id) if a.status != ACTION_DONE),
    )


@bp.route("/<int:org_id>/edit", methods=["GET", "POST"])
@access("consultant")
@keeps_input
def edit(org_id: int):
    org = organization_or_404(org_id)
    form = OrganizationForm(data={"name": org.name})
    if form.validate_on_submit():
        organizations.rename_organization(get_db(), org.id, form.name.data.strip())
        flash("Saved.")
        return redirect(url_for("organizations.overview", org_id=org.id))
    return render_template("organizations/form.html", form=form, org=org), 400 if form.errors else 200


@bp.route("/<int:org_id>/delete", methods=["GET", "POST"])
@access("consultant")
def delete(org_id: int):
    org = organization_or_404(org_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        organizations.delete_organization(get_db(), org.id)
        flash(f"{org.name} and all its assessments were deleted.")
        return redirect(url_for("organizations.index"))
    count = len(answers.list_assessments(get_db(), org.id))
    return render_template(
        "confirm_delete.html",
        form=form,
        what=org.name,
        consequence=f"This deletes the organization, its profile and its {count} assessment(s) with every answer. "
        "Export it first if you may need it again.",
        cancel=url_for("organizations.overview", org_id=org.id),
    )


def _profile_form_page(org, sections, stored, section=None, next_section=None):
    """Show (GET) or save (POST) the facts of `sections`; only those facts are written, only where the
    sender changed them (`profile_saving`), and every problem of the post is shown at once."""
    facts = tuple(f for s in sections for f in s.facts)
    form = profile_form(facts, stored, formdata=request.form if request.method == "POST" else None)
    tokens = tokens_for(facts, stored, stored_value)
    status = 200
    if request.method == "POST":
        tokens.update(posted_tokens(facts, request.form))
        valid = form.validate()  # both checks always run, so every problem shows in one go
        values, ok = profile_values(form)
        status = 400
        if valid and ok:
            database = get_db()
            saved = save_profile_facts(database, org.id, facts, values, tokens, author())
            if saved.conflicts:
                now = organizations.get_profile(database, org.id)
                form = settle_form(facts, values, saved, now, stored_value, tokens)
                status = 409
            else:
                kept = f" {len(saved.kept)} answer(s) a colleague changed meanwhile kept theirs." if saved.kept else ""
                flash(f"{section.title if section else 'Profile'} saved.{kept}")
                if section is not None and request.form.get("go") == "next" and next_section is not None:
                    return redirect(url_for("organizations.profile_section", org_id=org.id, section=next_section.key))
                return redirect(url_for("organizations.profile", org_id=org.id))
    return render_template(
        "organizations/profile_section.html",
        org=org,
        form=form,
        sections=sections,
        section=section,
        next_section=next_section,
        seen=tokens,
    ), status


@bp.route("/<int:org_id>/profile", methods=["GET", "POST"])
@access("member")
@keeps_input
def profile(org_id: int):
    """The profile as a task list of its sections (GET); a post saves facts of every section at once."""
    org = organization_or_404(org_id)
    stored = organizations.get_profile(get_db(), org.id)
    sections = profile_sections(bank().profile, stored)
    if request.method == "POST":
        return _profile_form_page(org, sections, stored)
    return render_template("organizations/profile.html", org=org, sections=sections)


@bp.route("/<int:org_id>/profile/<section>", methods=["GET", "POST"])
@access("member")
@keeps_input
def profile_section(org_id: int, section: str):
    org = organization_or_404(org_id)
    stored = organizations.get_profile(get_db(), org.id)
    sections = profile_sections(bank().profile, stored)
    index = next((i for i, s in enumerate(sections) if s.key == section), None)
    if index is None:
        abort(404)
    following = sections[index + 1] if index + 1 < len(sections) else None
    return _profile_form_page(org, [sections[index]], stored, sections[index], following)


@bp.get("/<int:org_id>/export.json")
@access("member")
def export(org_id: int):
    org = organization_or_404(org_id)
    data = load_organization(get_db(), org.id)
    assert data is not None
    name = f"assess_{slugify(org.name)}_{date.today().isoformat()}.json"
    return Response(
        dump_exchange(data),
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.get("/example.json")
@access("creator")
def example():
    """A fictional organization with answers, as an exchange file to import and try the tool with."""
    return Response(
        dump_exchange(example_organization(bank())),
        mimetype="application/json",
        headers={"Content-Disposition": 'attachment; filename="assess_example.json"'},
    )


@bp.route("/import", methods=["GET", "POST"])
@access("creator")
@keeps_input
def import_file():
    form = ImportForm()
    problems: list[str] = []
    if form.validate_on_submit():
        raw = form.file.data.read()
        try:
            organization = parse_exchange(raw, bank())
        except ExchangeError as exc:
            problems = exc.problems
        else:
            user = current_user()
            assert user is not None
            database = get_db()
            visible = (
                organizations.list_organizations(database)
                if user.is_admin
                else people.organizations_of(database, user.id)
            )
            org_id = import_organization(
                database, organization, author=user.email, owner=user.id, taken=[o.name for o in visible]
            )
            name = organizations.get_organization(database, org_id).name  # type: ignore[union-attr]
            renamed = "" if name == organization.name else f" as “{name}”, since {organization.name} exists already"
            flash(f"Imported {organization.name}{renamed}, with {len(organization.assessments)} assessment(s).")
            return redirect(url_for("organizations.overview", org_id=org_id))
    status = 400 if (form.errors or problems) else 200
    return render_template("organizations/import.html", form=form, problems=problems), status

"""People of an organization (invite, change role, remove) and the administrator's accounts page."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for

from assess.services.accounts import LastConsultant, create_account, invite, remove_member
from assess.store import people
from assess.store.connection import IntegrityError
from assess.web.database import get_db
from assess.web.forms import ConfirmForm, PersonForm, UserForm
from assess.web.views.access import organization_or_404, public_url_for
from assess.web.views.auth import access, current_user, keeps_input

bp = Blueprint("people", __name__)


@bp.route("/orgs/<int:org_id>/people", methods=["GET", "POST"])
@access("consultant")
@keeps_input
def index(org_id: int):
    org = organization_or_404(org_id)
    database = get_db()
    form = PersonForm()
    invite_link = None
    invited = None
    if form.validate_on_submit():
        me = current_user()
        assert me is not None
        try:
            outcome = invite(database, org.id, form.email.data, form.role.data, me.id)
        except LastConsultant as refused:
            form.role.errors = [str(refused)]
        else:
            if outcome.token is None:
                flash(f"{outcome.email} now has the role {outcome.role} in {org.name}.")
                return redirect(url_for(".index", org_id=org.id))
            invite_link = public_url_for("auth.invitation", token=outcome.token)
            invited = outcome.email
    return render_template(
        "people/index.html",
        org=org,
        form=form,
        members=people.members_of(database, org.id),
        invitations=people.pending_invitations(database, org.id),
        invite_link=invite_link,
        invited=invited,
        remove_form=ConfirmForm(),
    ), 400 if form.errors else 200


@bp.post("/orgs/<int:org_id>/people/<int:user_id>/remove")
@access("consultant")
def remove(org_id: int, user_id: int):
    org = organization_or_404(org_id)
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    database = get_db()
    if people.role_in(database, user_id, org.id) is None:
        abort(404)
    try:
        remove_member(database, org.id, user_id)
    except LastConsultant as refused:
        abort(409, str(refused))
    flash("Removed. That person can no longer open this organization.")
    return redirect(url_for(".index", org_id=org.id))


@bp.route("/admin/users", methods=["GET", "POST"])
@access("admin")
@keeps_input
def users():
    database = get_db()
    form = UserForm()
    if form.validate_on_submit():
        try:
            create_account(
                database, form.email.data, form.password.data, admin=form.is_admin.data, creator=form.can_create.data
            )
        except IntegrityError:
            form.email.errors = ["An account with this email exists already."]
        else:
            flash(f"Account {form.email.data.strip()} created. Give them the initial password in person.")
            return redirect(url_for(".users"))
    return render_template(
        "people/users.html", form=form, users=people.list_users(database), toggle_form=ConfirmForm()
    ), 400 if form.errors else 200


@bp.post("/admin/users/<int:user_id>/<any(enable, disable):change>")
@access("admin")
def toggle_user(user_id: int, change: str):
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    database = get_db()
    user = people.get_user(database, user_id)
    me = current_user()
    if user is None or me is None:
        abort(404)
    if user.id == me.id:
        abort(400, "You cannot disable your own account.")
    people.set_user_flags(
        database, user.id, is_admin=bool(user.is_admin), can_create=bool(user.can_create), disabled=change == "disable"
    )
    flash(f"{user.email} is {'disabled: every session of it has ended' if change == 'disable' else 'enabled'}.")
    return redirect(url_for(".users"))

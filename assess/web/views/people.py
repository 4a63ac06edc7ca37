"""People of an organization (invite, change role, remove) and the administrator's accounts page."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, abort, flash, redirect, render_template, url_for

from assess.core import accounts
from assess.store import db
from assess.web.forms import ConfirmForm, PersonForm, UserForm
from assess.web.views.access import organization_or_404
from assess.web.views.auth import access, current_user, keeps_input

bp = Blueprint("people", __name__)

INVITATION_LIFETIME = timedelta(days=7)


@bp.route("/orgs/<int:org_id>/people", methods=["GET", "POST"])
@access("consultant")
@keeps_input
def index(org_id: int):
    org = organization_or_404(org_id)
    database = db.get_db()
    form = PersonForm()
    invite_link = None
    if form.validate_on_submit():
        email = form.email.data.strip()
        user = db.get_user_by_email(database, email)
        if user is not None:
            db.set_membership(database, user.id, org.id, form.role.data)
            flash(f"{user.email} now has the role {form.role.data} in {org.name}.")
            return redirect(url_for(".index", org_id=org.id))
        token = accounts.new_token()
        expires = (accounts.utcnow() + INVITATION_LIFETIME).replace(microsecond=0).isoformat()
        me = current_user()
        assert me is not None
        db.create_invitation(database, accounts.token_digest(token), email, org.id, form.role.data, me.id, expires)
        invite_link = url_for("auth.invitation", token=token, _external=True)
    return render_template(
        "people/index.html",
        org=org,
        form=form,
        members=db.members_of(database, org.id),
        invitations=db.pending_invitations(database, org.id),
        invite_link=invite_link,
        remove_form=ConfirmForm(),
    ), 400 if form.errors else 200


@bp.post("/orgs/<int:org_id>/people/<int:user_id>/remove")
@access("consultant")
def remove(org_id: int, user_id: int):
    org = organization_or_404(org_id)
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    database = db.get_db()
    if db.role_in(database, user_id, org.id) is None:
        abort(404)
    db.remove_membership(database, user_id, org.id)
    flash("Removed. That person can no longer open this organization.")
    return redirect(url_for(".index", org_id=org.id))


@bp.route("/admin/users", methods=["GET", "POST"])
@access("admin")
@keeps_input
def users():
    database = db.get_db()
    form = UserForm()
    if form.validate_on_submit():
        try:
            db.create_user(
                database,
                form.email.data.strip(),
                accounts.hash_password(form.password.data),
                is_admin=form.is_admin.data,
                can_create=form.can_create.data,
            )
        except db.IntegrityError:
            form.email.errors = ["An account with this email exists already."]
        else:
            flash(f"Account {form.email.data.strip()} created. Give them the initial password in person.")
            return redirect(url_for(".users"))
    return render_template(
        "people/users.html", form=form, users=db.list_users(database), toggle_form=ConfirmForm()
    ), 400 if form.errors else 200


@bp.post("/admin/users/<int:user_id>/<any(enable, disable):change>")
@access("admin")
def toggle_user(user_id: int, change: str):
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    database = db.get_db()
    user = db.get_user(database, user_id)
    me = current_user()
    if user is None or me is None:
        abort(404)
    if user.id == me.id:
        abort(400, "You cannot disable your own account.")
    db.set_user_flags(
        database, user.id, is_admin=bool(user.is_admin), can_create=bool(user.can_create), disabled=change == "disable"
    )
    flash(f"{user.email} is {'disabled: every session of it has ended' if change == 'disable' else 'enabled'}.")
    return redirect(url_for(".users"))

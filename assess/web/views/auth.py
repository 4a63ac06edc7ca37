"""Login, logout, first-run setup, password change, invitations, and the one access check.

Every endpoint declares who may call it with `@access(...)`; `enforce_access` runs before every
request and refuses an endpoint that declares nothing, so a forgotten check cannot be written.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, TypeVar

from flask import Blueprint, Flask, abort, current_app, flash, g, redirect, render_template, request, session, url_for

from assess.core import accounts
from assess.services import accounts as account_service
from assess.services.accounts import (
    SetupRefused,
    SignedIn,
    accept_invitation,
    create_first_admin,
    current_session,
    invitation_is_for,
    join_by_invitation,
    needs_setup,
    open_invitation,
    sign_in,
    sign_out,
)
from assess.services.workshops import participant_for
from assess.store import people
from assess.store.connection import IntegrityError
from assess.store.workshops import ParticipantSession
from assess.web.database import get_db
from assess.web.forms import ConfirmForm, InvitationForm, LoginForm, PasswordChangeForm, SetupForm

bp = Blueprint("auth", __name__)

ACCESS_LEVELS = ("public", "participant", "login", "creator", "admin", "viewer", "member", "consultant")
ORG_LEVELS = ("viewer", "member", "consultant")
F = TypeVar("F", bound=Callable[..., Any])


def access(level: str) -> Callable[[F], F]:
    """Declare who may call a view: public, login, creator, admin, or an organization role."""
    if level not in ACCESS_LEVELS:
        raise ValueError(f"unknown access level {level!r}")

    def mark(view: F) -> F:
        view.access = level  # type: ignore[attr-defined]
        return view

    return mark


def keeps_input(view: F) -> F:
    """Mark a form view that may be called again after a CSRF failure to show the user's input.

    Only views whose every change is behind `form.validate()` qualify: the form's own CSRF check
    fails too, so calling them again saves nothing and re-renders what was typed.
    """
    view.keeps_input = True  # type: ignore[attr-defined]
    return view


def current_user() -> SignedIn | None:
    return g.get("user")


def _load_user() -> SignedIn | None:
    token = session.get("sid")
    return current_session(get_db(), token) if isinstance(token, str) else None


def _refuse_anonymous():
    if request.method != "GET" or request.accept_mimetypes.best == "application/json":
        abort(401)
    return redirect(url_for("auth.login", next=request.full_path if request.query_string else request.path))


def enforce_access():
    """Before every request: find the user, then apply the endpoint's declared access level."""
    if request.endpoint == "static":
        return None  # a stylesheet needs no session lookup
    g.user = _load_user()
    if request.endpoint is None:
        return None  # 404 or 405 follows
    view = current_app.view_functions[request.endpoint]
    level = getattr(view, "access", None)
    if level is None:
        current_app.logger.error("endpoint %s declares no access level: refused", request.endpoint)
        abort(404)
    if level == "public":
        return None
    if level == "participant":
        code = (request.view_args or {}).get("code")
        g.participant = load_participant(code) if isinstance(code, str) else None
        if g.participant is None:
            abort(404, "This workshop has ended, or this browser has not joined it.")
        return None
    user = g.user
    if user is None:
        return _refuse_anonymous()
    if level == "login":
        return None
    if level == "creator":
        if not user.can_create:
            abort(403, "Only administrators and consultants can create organizations.")
        return None
    if level == "admin":
        if not user.is_admin:
            abort(404)
        return None
    org_id = (request.view_args or {}).get("org_id")
    if not isinstance(org_id, int):
        abort(404)
    role = "admin" if user.is_admin else people.role_in(get_db(), user.id, org_id)
    if role is None or accounts.RANK[role] < accounts.RANK[level]:
        abort(404)  # never 403: nothing tells an outsider the organization exists
    g.org_id = org_id
    g.org_role = role
    return None


def can(role_needed: str) -> bool:
    """Return whether the current user's role in the current organization reaches `role_needed`."""
    role = g.get("org_role")
    return role is not None and accounts.RANK[role] >= accounts.RANK[role_needed]


def begin_session(token: str) -> None:
    """Put a new session's token in the cookie (a new cookie value: no fixation)."""
    session.clear()
    session["sid"] = token
    session.permanent = True


WORKSHOP_SESSIONS = "workshops"
"""The cookie's key for the workshops this browser joined: join code -> participant token."""


def load_participant(code: str) -> ParticipantSession | None:
    """Return the participant this browser joined `code` as, if the workshop is still open."""
    token = (session.get(WORKSHOP_SESSIONS) or {}).get(code)
    return participant_for(get_db(), code, token) if isinstance(token, str) else None


_LOCAL_PATH = re.compile(r"^/(?![/\\])[A-Za-z0-9\-._~!$&'()*+,;=:@%/?#]*$")
"""A path on this site: one leading slash, then only the characters a URL spells literally (no
spaces, tabs or line breaks a browser would drop to turn ``/\t/evil.example`` into ``//evil.example``,
no backslashes, nothing non-ASCII); anything encoded stays encoded."""


def safe_next(target: str | None) -> str:
    """Return where to go after logging in: `target` if it is a path on this site, else the start page."""
    if target and _LOCAL_PATH.match(target):
        return target
    return url_for("organizations.index")


@bp.route("/login", methods=["GET", "POST"])
@access("public")
@keeps_input
def login():
    database = get_db()
    if needs_setup(database):
        return redirect(url_for("auth.setup"))
    form = LoginForm()
    message = None
    status = 200
    if form.validate_on_submit():
        result = sign_in(database, form.email.data, form.password.data, request.remote_addr or "unknown")
        if result.token is not None:
            begin_session(result.token)
            return redirect(safe_next(request.args.get("next")))
        message = result.refusal
        status = 429 if result.throttled else 400
    elif form.errors:
        status = 400
    return render_template("auth/login.html", form=form, message=message), status


@bp.post("/logout")
@access("login")
def logout():
    user = current_user()
    assert user is not None
    sign_out(get_db(), user)
    session.clear()
    flash("You are logged out.")
    return redirect(url_for("auth.login"))


@bp.route("/setup", methods=["GET", "POST"])
@access("public")
@keeps_input
def setup():
    """Create the first administrator: only while no account exists, and only with the one-time setup code."""
    database = get_db()
    if not needs_setup(database):
        abort(404)
    form = SetupForm()
    if form.validate_on_submit():
        try:
            token = create_first_admin(database, form.email.data, form.password.data, form.code.data)
        except SetupRefused as refused:
            form.code.errors = [str(refused)]
        else:
            begin_session(token)
            flash("Your administrator account is ready.")
            return redirect(url_for("organizations.index"))
    return render_template("auth/setup.html", form=form), 400 if form.errors else 200


@bp.route("/account/password", methods=["GET", "POST"])
@access("login")
@keeps_input
def change_password():
    user = current_user()
    assert user is not None
    form = PasswordChangeForm()
    form.password_context = (user.email,)
    if form.validate_on_submit():
        token = account_service.change_password(get_db(), user.id, form.current.data, form.new.data)
        if token is None:
            form.current.errors = ["This is not your current password."]
        else:
            begin_session(token)
            flash("Password changed. Every other session of your account has ended.")
            return redirect(url_for("organizations.index"))
    return render_template("auth/password.html", form=form), 400 if form.errors else 200


@bp.route("/invite/<token>", methods=["GET", "POST"])
@access("public")
def invitation(token: str):
    """An invitation: accepted with the invited account when signed in as it, or with a new account."""
    database = get_db()
    invite = open_invitation(database, token)
    if invite is None:
        abort(404)
    user = current_user()
    if user is not None:  # signed in: accept with this account (a POST), or say which account it is for
        form = ConfirmForm()
        mine = invitation_is_for(invite, user)
        if mine and form.validate_on_submit():
            org_id = join_by_invitation(database, token, invite, user)
            flash(f"Welcome. You can now work on {invite.org_name}.")
            return redirect(url_for("organizations.overview", org_id=org_id))
        return render_template("auth/invitation.html", form=form, invite=invite, signed_in=True, mine=mine)
    form = InvitationForm()
    form.password_context = (invite.email, invite.org_name)
    if form.validate_on_submit():
        try:
            begin_session(accept_invitation(database, token, invite, form.password.data))
        except IntegrityError:
            form.password.errors = [
                "An account with this email exists already: log in with it (the link below) to accept."
            ]
        else:
            flash(f"Welcome. You can now work on {invite.org_name}.")
            return redirect(url_for("organizations.overview", org_id=invite.org_id))
    login = url_for("auth.login", next=url_for("auth.invitation", token=token))
    return render_template(
        "auth/invitation.html", form=form, invite=invite, signed_in=False, login=login
    ), 400 if form.errors else 200


def init_auth(app: Flask) -> None:
    app.before_request(enforce_access)
    app.view_functions["static"].access = "public"  # type: ignore[union-attr]

    @app.context_processor
    def inject_user() -> dict[str, Any]:
        return {"current_user": g.get("user"), "can": can, "org_role": g.get("org_role")}

"""Login, logout, first-run setup, password change, invitations, and the one access check.

Every endpoint declares who may call it with `@access(...)`; `enforce_access` runs before every
request and refuses an endpoint that declares nothing, so a forgotten check cannot be written.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar

from flask import Blueprint, Flask, abort, current_app, flash, g, redirect, render_template, request, session, url_for

from assess.core import accounts
from assess.store import db
from assess.web.forms import InvitationForm, LoginForm, PasswordChangeForm, SetupForm

bp = Blueprint("auth", __name__)

LEVELS = ("public", "participant", "login", "creator", "admin", "viewer", "member", "consultant")
ORG_LEVELS = ("viewer", "member", "consultant")
F = TypeVar("F", bound=Callable[..., Any])
LOCAL_ADDRESSES = ("127.0.0.1", "::1")


def access(level: str) -> Callable[[F], F]:
    """Declare who may call a view: public, login, creator, admin, or an organization role."""
    if level not in LEVELS:
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


@dataclass(frozen=True)
class CurrentUser:
    id: int
    email: str
    is_admin: bool
    can_create: bool
    session_digest: str


def current_user() -> CurrentUser | None:
    return g.get("user")


def _load_user() -> CurrentUser | None:
    token = session.get("sid")
    if not isinstance(token, str):
        return None
    digest = accounts.token_digest(token)
    database = db.get_db()
    row = db.get_session(database, digest)
    if row is None or row["disabled"]:
        return None
    now = accounts.utcnow()
    created = datetime.fromisoformat(row["created_at"])
    seen = datetime.fromisoformat(row["last_seen_at"])
    if now - created > accounts.SESSION_ABSOLUTE or now - seen > accounts.SESSION_IDLE:
        db.end_session(database, digest)
        return None
    if now - seen > timedelta(minutes=1):
        db.touch_session(database, digest)  # at most once a minute: a workshop must not queue on it
    return CurrentUser(row["user_id"], row["email"], bool(row["is_admin"]), bool(row["can_create"]), digest)


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
        from assess.web.views.workshops import load_participant

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
    role = "admin" if user.is_admin else db.role_in(db.get_db(), user.id, org_id)
    if role is None or accounts.RANK[role] < accounts.RANK[level]:
        abort(404)  # never 403: nothing tells an outsider the organization exists
    g.org_id = org_id
    g.org_role = role
    return None


def can(role_needed: str) -> bool:
    """Return whether the current user's role in the current organization reaches `role_needed`."""
    role = g.get("org_role")
    return role is not None and accounts.RANK[role] >= accounts.RANK[role_needed]


def start_session(user_id: int) -> None:
    """Begin a fresh session for the account (a new cookie value: no fixation)."""
    token = accounts.new_token()
    db.create_session(db.get_db(), accounts.token_digest(token), user_id)
    session.clear()
    session["sid"] = token
    session.permanent = True


def _safe_next(target: str | None) -> str:
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return url_for("organizations.index")


@bp.route("/login", methods=["GET", "POST"])
@access("public")
@keeps_input
def login():
    database = db.get_db()
    if db.count_users(database) == 0:
        return redirect(url_for("auth.setup"))
    form = LoginForm()
    message = None
    status = 200
    if form.validate_on_submit():
        email = form.email.data.strip()
        failures = db.login_failures(database, email)
        locked = accounts.throttle_until(failures[0], datetime.fromisoformat(failures[1])) if failures else None
        user = db.get_user_by_email(database, email)
        if locked and locked > accounts.utcnow():
            wait = max(1, int((locked - accounts.utcnow()).total_seconds()))
            message = f"Too many failed attempts for this account. Try again in {wait} seconds."
            status = 429
        elif user and not user.disabled and accounts.verify_password(user.password_hash, form.password.data):
            if accounts.needs_rehash(user.password_hash):
                db.set_password_hash(database, user.id, accounts.hash_password(form.password.data), end_sessions=False)
            start_session(user.id)
            return redirect(_safe_next(request.args.get("next")))
        else:
            if user is None:
                accounts.verify_password(None, form.password.data)  # same cost as a real check
            db.record_login_failure(database, email)
            message = "The email or the password is not right."
            status = 400
    elif form.errors:
        status = 400
    return render_template("auth/login.html", form=form, message=message), status


@bp.post("/logout")
@access("login")
def logout():
    user = current_user()
    assert user is not None
    db.end_session(db.get_db(), user.session_digest)
    session.clear()
    flash("You are logged out.")
    return redirect(url_for("auth.login"))


@bp.route("/setup", methods=["GET", "POST"])
@access("public")
@keeps_input
def setup():
    """Create the first administrator: only while no account exists, and only from this machine."""
    database = db.get_db()
    if db.count_users(database) > 0:
        abort(404)
    if request.remote_addr not in LOCAL_ADDRESSES:
        abort(
            403,
            "The first administrator can only be created from the server itself, "
            "or with `assess user add EMAIL --admin`.",
        )
    form = SetupForm()
    if form.validate_on_submit():
        user_id = db.create_user(
            database, form.email.data.strip(), accounts.hash_password(form.password.data), is_admin=True
        )
        start_session(user_id)
        flash("Your administrator account is ready.")
        return redirect(url_for("organizations.index"))
    return render_template("auth/setup.html", form=form), 400 if form.errors else 200


@bp.route("/account/password", methods=["GET", "POST"])
@access("login")
@keeps_input
def change_password():
    user = current_user()
    assert user is not None
    database = db.get_db()
    form = PasswordChangeForm()
    form.password_context = (user.email,)
    if form.validate_on_submit():
        row = db.get_user(database, user.id)
        assert row is not None
        if not accounts.verify_password(row.password_hash, form.current.data):
            form.current.errors = ["This is not your current password."]
        else:
            db.set_password_hash(database, user.id, accounts.hash_password(form.new.data), end_sessions=True)
            start_session(user.id)
            flash("Password changed. Every other session of your account has ended.")
            return redirect(url_for("organizations.index"))
    return render_template("auth/password.html", form=form), 400 if form.errors else 200


@bp.route("/invite/<token>", methods=["GET", "POST"])
@access("public")
def invitation(token: str):
    database = db.get_db()
    digest = accounts.token_digest(token)
    invite = db.get_invitation(database, digest)
    if invite is None or datetime.fromisoformat(invite["expires_at"]) < accounts.utcnow():
        abort(404)
    form = InvitationForm()
    form.password_context = (invite["email"], invite["org_name"])
    if form.validate_on_submit():
        try:
            password_hash = accounts.hash_password(form.password.data)
            user_id = db.accept_invitation(database, digest, invite["email"], password_hash)
        except db.IntegrityError:
            abort(409, "An account with this email exists already: ask to be added to the organization instead.")
        start_session(user_id)
        flash(f"Welcome. You can now work on {invite['org_name']}.")
        return redirect(url_for("organizations.overview", org_id=invite["org_id"]))
    return render_template("auth/invitation.html", form=form, invite=invite), 400 if form.errors else 200


def init_auth(app: Flask) -> None:
    app.before_request(enforce_access)
    app.view_functions["static"].access = "public"  # type: ignore[attr-defined]

    @app.context_processor
    def inject_user() -> dict[str, Any]:
        return {"current_user": g.get("user"), "can": can, "org_role": g.get("org_role")}

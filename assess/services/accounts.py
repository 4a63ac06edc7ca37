"""Signing in and out, sessions that expire, first-run setup, passwords and invitations.

The rules (how long a session lives, how failed logins slow down, what a good password is) are in
`assess.core.accounts`; this module applies them to the stored accounts. Nothing here knows HTTP:
a view passes in what was typed and the token its cookie holds, and gets back plain results.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from assess.core import accounts
from assess.store import people
from assess.store.connection import Database
from assess.store.people import InvitationRow

INVITATION_LIFETIME = timedelta(days=7)
TOUCH_INTERVAL = timedelta(minutes=1)
"""A session records its use at most this often: a workshop room must not queue on it."""


@dataclass(frozen=True)
class SignedIn:
    """Who is asking, as their session cookie shows."""

    id: int
    email: str
    is_admin: bool
    can_create: bool
    session_digest: str


@dataclass(frozen=True)
class SignInResult:
    """The outcome of a login attempt: a new session token, or a refusal with its message."""

    token: str | None = None
    refusal: str = ""
    throttled: bool = False


def current_session(db: Database, token: str) -> SignedIn | None:
    """Return the account a session token belongs to, or None when it is unknown, disabled or expired.

    An expired session is ended; a live one records its use (at most once a minute).
    """
    digest = accounts.token_digest(token)
    row = people.get_session(db, digest)
    if row is None or row.disabled:
        return None
    now = accounts.utcnow()
    seen = datetime.fromisoformat(row.last_seen_at)
    if accounts.session_expired(datetime.fromisoformat(row.created_at), seen, now):
        people.end_session(db, digest)
        return None
    if now - seen > TOUCH_INTERVAL:
        people.touch_session(db, digest)
    return SignedIn(row.user_id, row.email, bool(row.is_admin), bool(row.can_create), digest)


def start_session(db: Database, user_id: int) -> str:
    """Begin a fresh session for the account and return its token (the cookie's new value)."""
    token = accounts.new_token()
    people.create_session(db, accounts.token_digest(token), user_id)
    return token


def sign_in(db: Database, email: str, password: str) -> SignInResult:
    """Check an email and password against the throttle and the account; start a session if right."""
    email = email.strip()
    failures = people.login_failures(db, email)
    locked = accounts.throttle_until(failures[0], datetime.fromisoformat(failures[1])) if failures else None
    user = people.get_user_by_email(db, email)
    if locked and locked > accounts.utcnow():
        wait = max(1, int((locked - accounts.utcnow()).total_seconds()))
        return SignInResult(
            refusal=f"Too many failed attempts for this account. Try again in {wait} seconds.", throttled=True
        )
    if user and not user.disabled and accounts.verify_password(user.password_hash, password):
        if accounts.needs_rehash(user.password_hash):
            people.set_password_hash(db, user.id, accounts.hash_password(password), end_sessions=False)
        return SignInResult(token=start_session(db, user.id))
    if user is None:
        accounts.verify_password(None, password)  # same cost as a real check
    people.record_login_failure(db, email)
    return SignInResult(refusal="The email or the password is not right.")


def sign_out(db: Database, session: SignedIn) -> None:
    """End the session."""
    people.end_session(db, session.session_digest)


def needs_setup(db: Database) -> bool:
    """Return whether no account exists yet (the first visit creates the administrator)."""
    return people.count_users(db) == 0


def create_first_admin(db: Database, email: str, password: str) -> str:
    """Create the first administrator and return a session token for them."""
    user_id = people.create_user(db, email.strip(), accounts.hash_password(password), is_admin=True)
    return start_session(db, user_id)


def create_account(db: Database, email: str, password: str, *, admin: bool = False, creator: bool = False) -> int:
    """Create an account (the password already passed the policy); raises IntegrityError if the email is taken."""
    return people.create_user(db, email.strip(), accounts.hash_password(password), is_admin=admin, can_create=creator)


def change_password(db: Database, user_id: int, current: str, new: str) -> str | None:
    """Replace the password when `current` is right, ending every session; return a new session token,
    or None when `current` is wrong."""
    row = people.get_user(db, user_id)
    if row is None or not accounts.verify_password(row.password_hash, current):
        return None
    people.set_password_hash(db, user_id, accounts.hash_password(new), end_sessions=True)
    return start_session(db, user_id)


@dataclass(frozen=True)
class Invited:
    """The outcome of adding someone: an existing account's new role, or an invitation token to send."""

    email: str
    role: str
    added: bool
    token: str | None = None


def invite(db: Database, org_id: int, email: str, role: str, by: int) -> Invited:
    """Give an existing account the role in the organization, or make an invitation for the email."""
    email = email.strip()
    user = people.get_user_by_email(db, email)
    if user is not None:
        people.set_membership(db, user.id, org_id, role)
        return Invited(user.email, role, added=True)
    token = accounts.new_token()
    expires = (accounts.utcnow() + INVITATION_LIFETIME).replace(microsecond=0).isoformat()
    people.create_invitation(db, accounts.token_digest(token), email, org_id, role, by, expires)
    return Invited(email, role, added=False, token=token)


def open_invitation(db: Database, token: str) -> InvitationRow | None:
    """Return the invitation a link's token stands for, or None when it is unknown or expired."""
    invitation = people.get_invitation(db, accounts.token_digest(token))
    if invitation is None or datetime.fromisoformat(invitation.expires_at) < accounts.utcnow():
        return None
    return invitation


def accept_invitation(db: Database, token: str, invitation: InvitationRow, password: str) -> str:
    """Create the invited account with its role and return a session token for it.

    Raises IntegrityError when an account with the email exists already.
    """
    user_id = people.accept_invitation(
        db, accounts.token_digest(token), invitation.email, accounts.hash_password(password)
    )
    return start_session(db, user_id)

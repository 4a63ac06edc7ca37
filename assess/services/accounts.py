"""Signing in and out, sessions that expire, first-run setup, passwords and invitations.

The rules (how long a session lives, how failed logins slow down, what a good password is) are in
`assess.core.accounts`; this module applies them to the stored accounts. Nothing here knows HTTP:
a view passes in what was typed and the token its cookie holds, and gets back plain results.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from assess.core import accounts
from assess.core.limits import wait_words
from assess.services.limits import count_once_more
from assess.store import limits, people
from assess.store.connection import Database, transaction
from assess.store.people import InvitationRow

LOGIN_RULES = (accounts.LOGIN_PER_CLIENT, accounts.LOGIN_PER_ADDRESS, accounts.LOGIN_PER_ACCOUNT)
"""The throttle of each of `accounts.login_keys`, in the same order."""
FORGET_COUNTERS = timedelta(days=2)
"""Counters untouched this long are dropped (every rule has forgotten them by then)."""
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


def _login_wait(db: Database, keys: tuple[str, str, str], now: datetime) -> timedelta:
    """In one write-locked step, return how long this login attempt must wait; when it may go ahead,
    count it as a failure in advance under every key (taken back if the password is right), so a
    burst of parallel attempts is counted one by one."""
    client_key, address_key, account_key = keys
    with transaction(db):
        counters = limits.get_counters(db, keys)
        client = counters.get(client_key)
        waits = [
            accounts.LOGIN_PER_CLIENT.wait(client, now),
            accounts.LOGIN_PER_ADDRESS.wait(counters.get(address_key), now),
        ]
        if accounts.LOGIN_PER_CLIENT.current(client, now) > 0:  # only a client that failed on it itself
            waits.append(accounts.LOGIN_PER_ACCOUNT.wait(counters.get(account_key), now))
        wait = max(waits)
        if wait > timedelta(0):
            return wait
        count_once_more(db, dict(zip(keys, LOGIN_RULES, strict=True)), counters, now)
        limits.forget_counters_before(db, now - FORGET_COUNTERS)
    return timedelta(0)


def sign_in(db: Database, email: str, password: str, address: str = "unknown") -> SignInResult:
    """Check an email and password against the login throttle and the account; start a session if right.

    `address` is the client's network address. Failures slow down the client that made them (and
    any address that fails on many accounts), never the owner signing in from elsewhere.
    """
    email = email.strip()
    keys = accounts.login_keys(email, address)
    wait = _login_wait(db, keys, accounts.utcnow())
    if wait > timedelta(0):
        return SignInResult(
            refusal=f"Too many failed attempts: wait {wait_words(wait)} before trying again.", throttled=True
        )
    user = people.get_user_by_email(db, email)
    if user and not user.disabled and accounts.verify_password(user.password_hash, password):
        if accounts.needs_rehash(user.password_hash):
            people.set_password_hash(db, user.id, accounts.hash_password(password), end_sessions=False)
        client_key, address_key, account_key = keys
        with transaction(db):
            limits.delete_counters(db, (client_key, account_key))
            limits.take_back(db, address_key)
            return SignInResult(token=start_session(db, user.id))
    if user is None:
        accounts.verify_password(None, password)  # same cost as a real check
    return SignInResult(refusal="The email or the password is not right.")


def sign_out(db: Database, session: SignedIn) -> None:
    """End the session."""
    people.end_session(db, session.session_digest)


def needs_setup(db: Database) -> bool:
    """Return whether no account exists yet (the first visit creates the administrator)."""
    return people.count_users(db) == 0


class SetupRefused(ValueError):
    """First-run setup cannot go ahead; the message says why."""


def setup_code(db: Database, *, renew: bool = False) -> str | None:
    """Return the one-time code that creates the first administrator (made on first call, or anew
    with `renew`), or None when an account exists and setup is over.

    The server prints it when it starts without accounts, and `assess setup-code` prints it: whoever
    can read the server's output or run commands on it may create the administrator, wherever their
    browser seems to be.
    """
    with transaction(db):
        if people.count_users(db):
            people.delete_setup_code(db)
            return None
        code = None if renew else people.get_setup_code(db)
        if code is None:
            code = accounts.new_setup_code()
            people.set_setup_code(db, code)
    return code


def create_first_admin(db: Database, email: str, password: str, typed_code: str) -> str:
    """Create the first administrator and return a session token for them; the setup code is used up.

    Raises SetupRefused when the code is not the one printed, or an account exists already.
    """
    with transaction(db):
        code = people.get_setup_code(db)
        if people.count_users(db):
            raise SetupRefused("An account exists already: log in instead.")
        if code is None or not accounts.setup_code_matches(typed_code, code):
            raise SetupRefused(
                "This is not the setup code. It was printed when the server started; "
                "the command assess setup-code on the server prints it again."
            )
        user_id = people.create_user(db, email.strip(), accounts.hash_password(password), is_admin=True)
        people.delete_setup_code(db)
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
    """The outcome of adding someone: a member's new role, or an invitation token to send."""

    email: str
    role: str
    added: bool
    token: str | None = None


class LastConsultant(ValueError):
    """The change would leave an organization without a consultant; the message says so."""


LAST_CONSULTANT = (
    "An organization keeps at least one consultant: make someone else a consultant first, then change this."
)


def change_role(db: Database, org_id: int, user_id: int, role: str) -> None:
    """Give a member of the organization another role; raises LastConsultant when that would leave it
    with no consultant."""
    with transaction(db):  # checked and changed under one lock: two demotions at once cannot both pass
        was = people.role_in(db, user_id, org_id)
        if was == "consultant" and role != "consultant" and people.count_consultants(db, org_id) <= 1:
            raise LastConsultant(LAST_CONSULTANT)
        people.set_membership(db, user_id, org_id, role)


def remove_member(db: Database, org_id: int, user_id: int) -> None:
    """Take someone out of the organization; raises LastConsultant for its only consultant."""
    with transaction(db):
        if people.role_in(db, user_id, org_id) == "consultant" and people.count_consultants(db, org_id) <= 1:
            raise LastConsultant(LAST_CONSULTANT)
        people.remove_membership(db, user_id, org_id)


def invite(db: Database, org_id: int, email: str, role: str, by: int) -> Invited:
    """Invite the email to the organization with the role, or change the role of someone already in it.

    Whether the email has an account makes no difference: everyone new gets an invitation to accept
    (an account is never added without its owner), and nothing tells the inviter which it was.
    Raises LastConsultant when a role change would leave the organization without a consultant.
    """
    email = email.strip()
    user = people.get_user_by_email(db, email)
    if user is not None and people.role_in(db, user.id, org_id) is not None:
        change_role(db, org_id, user.id, role)
        return Invited(user.email, role, added=True)
    token = accounts.new_token()
    expires = (accounts.utcnow() + INVITATION_LIFETIME).replace(microsecond=0).isoformat()
    people.create_invitation(db, accounts.token_digest(token), email, org_id, role, by, expires)
    return Invited(email, role, added=False, token=token)


def invitation_is_for(invitation: InvitationRow, signed_in: SignedIn) -> bool:
    """Return whether the signed-in account has the invitation's email."""
    return accounts.email_key(invitation.email) == accounts.email_key(signed_in.email)


def join_by_invitation(db: Database, token: str, invitation: InvitationRow, signed_in: SignedIn) -> int:
    """Accept the invitation with the signed-in account (it must have the invited email); return the
    organization's id. Raises PermissionError for another account."""
    if not invitation_is_for(invitation, signed_in):
        raise PermissionError(invitation.email)
    return people.join_by_invitation(db, accounts.token_digest(token), signed_in.id)


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

"""Accounts: password hashing and policy, roles, and the login-throttle rule. Plain Python."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn import zxcvbn

from assess.core.limits import Throttle

# argon2id at the cheapest setting ASVS 5.0 Appendix C lists (t=3, m=12 MiB, p=1): about 20 ms
# on the 2-core server, so a room of 50 logging in at once is not a queue.
HASHER = PasswordHasher(time_cost=3, memory_cost=12 * 1024, parallelism=1)
_DUMMY_HASH = HASHER.hash("timing equaliser for unknown accounts")

MIN_PASSWORD = 10
MAX_PASSWORD = 256

ROLES = ("viewer", "member", "consultant")
"""Roles a person can have in one organization, weakest first."""
ROLE_LABELS = {
    "viewer": "Viewer: reads results and documents",
    "member": "Member: answers assessments, edits the profile, downloads documents",
    "consultant": "Consultant: everything for this organization, invites people",
}
RANK = {"viewer": 1, "member": 2, "consultant": 3, "admin": 4}

SESSION_IDLE = timedelta(hours=12)
"""A workshop day never logs anyone out mid-form."""
SESSION_ABSOLUTE = timedelta(days=7)

# Failed logins slow down, never lock out (at most 15 minutes between tries), counted three ways:
# one client address trying one account (the common attack, and the one a typo meets); one address
# trying many accounts (generous: a workshop room shares one address); and one account tried from
# many addresses, which only holds back addresses that have failed on it themselves, so the owner,
# signing in from anywhere else with the right password, is never kept out by someone else's tries.
LOGIN_PER_CLIENT = Throttle(5, timedelta(seconds=30), timedelta(minutes=15), forget_after=timedelta(days=1))
LOGIN_PER_ADDRESS = Throttle(30, timedelta(seconds=30), timedelta(minutes=15), forget_after=timedelta(days=1))
LOGIN_PER_ACCOUNT = Throttle(10, timedelta(seconds=30), timedelta(minutes=15), forget_after=timedelta(days=1))


class PasswordProblem(ValueError):
    """A password that the policy refuses; the message says why, for the user."""


def hash_password(password: str) -> str:
    """Return the argon2id hash of a password."""
    return HASHER.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    """Return whether the password matches; an unknown account (None) costs the same time."""
    try:
        return HASHER.verify(stored_hash or _DUMMY_HASH, password) and stored_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    """Return whether a stored hash uses weaker parameters than the current ones."""
    try:
        return HASHER.check_needs_rehash(stored_hash)
    except InvalidHashError:
        return True


def check_password_policy(password: str, context: tuple[str, ...] = ()) -> None:
    """Raise PasswordProblem if the password is too short, too long, or easy to guess.

    No composition rules; common passwords and ones built from the email or organization
    (`context`) are refused, following ASVS 5.0 6.2.
    """
    if len(password) < MIN_PASSWORD:
        raise PasswordProblem(f"Use at least {MIN_PASSWORD} characters; a few words together work well.")
    if len(password) > MAX_PASSWORD:
        raise PasswordProblem(f"Use at most {MAX_PASSWORD} characters.")
    strength = zxcvbn(password[:100], user_inputs=[c for c in context if c], max_length=100)
    if strength["score"] < 2:
        warning = strength["feedback"].get("warning") or "This password is too easy to guess."
        raise PasswordProblem(f"{warning} Add another word or two.")


def new_token() -> str:
    """Return a fresh unguessable token for a cookie or a link."""
    return secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    """Return what is stored for a token: its SHA-256, so a database copy holds no live tokens."""
    return hashlib.sha256(token.encode()).hexdigest()


def session_expired(created: datetime, last_seen: datetime, now: datetime) -> bool:
    """Return whether a session has lived too long or been idle too long."""
    return now - created > SESSION_ABSOLUTE or now - last_seen > SESSION_IDLE


SETUP_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # 32 letters and digits, none easy to misread
SETUP_CODE_GROUPS = 3
"""Three groups of four: 60 random bits, far too many to guess, short enough to type."""


def new_setup_code() -> str:
    """Return a fresh one-time setup code such as ``K7PX-2MQD-9RTA``."""
    return "-".join("".join(secrets.choice(SETUP_CODE_ALPHABET) for _ in range(4)) for _ in range(SETUP_CODE_GROUPS))


def setup_code_matches(typed: str, code: str) -> bool:
    """Return whether a typed setup code is the code (case, spaces and dashes do not matter)."""

    def canonical(text: str) -> str:
        return "".join(ch for ch in text.upper() if ch.isalnum())

    return secrets.compare_digest(canonical(typed).encode(), canonical(code).encode())


def email_key(email: str) -> str:
    """Return the email as the login throttle counts it: trimmed and case-folded (MÜLLER@ is müller@)."""
    return email.strip().casefold()


def login_keys(email: str, address: str) -> tuple[str, str, str]:
    """Return the throttle keys of a login attempt: (this client and account, this client, this account)."""
    account = email_key(email)
    return f"login-client {address} {account}", f"login-address {address}", f"login-account {account}"


def utcnow() -> datetime:
    """Return the current time in UTC (aware)."""
    return datetime.now(UTC)

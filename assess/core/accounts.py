"""Accounts: password hashing and policy, roles, and the login-throttle rule. Plain Python."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn import zxcvbn

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

THROTTLE_FREE_FAILURES = 5
THROTTLE_MAX_DELAY = timedelta(minutes=15)


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


def throttle_until(failures: int, last_failure: datetime) -> datetime | None:
    """Return until when an account is locked after `failures` failed logins in a row, or None.

    The first few failures are free; then the wait doubles from 30 s up to 15 minutes.
    """
    if failures < THROTTLE_FREE_FAILURES:
        return None
    delay = timedelta(seconds=30 * 2 ** (failures - THROTTLE_FREE_FAILURES))
    return last_failure + min(delay, THROTTLE_MAX_DELAY)


def utcnow() -> datetime:
    """Return the current time in UTC (aware)."""
    return datetime.now(UTC)

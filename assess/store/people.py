"""Accounts, their sessions and failed logins, memberships of organizations, and invitations."""

from __future__ import annotations

from dataclasses import dataclass

from assess.store.connection import Database, first, inserted_id, now, transaction
from assess.store.organizations import OrganizationRow, create_organization


@dataclass(frozen=True)
class UserRow:
    """One account, as stored (the flags are 0 or 1)."""

    id: int
    email: str
    password_hash: str
    is_admin: int
    can_create: int
    disabled: int
    created_at: str


@dataclass(frozen=True)
class SessionRow:
    """A signed-in browser: its token's digest, the account and its flags, and the session's times."""

    digest: str
    user_id: int
    created_at: str
    last_seen_at: str
    email: str
    is_admin: int
    can_create: int
    disabled: int


@dataclass(frozen=True)
class MemberRow:
    """One person of an organization and their role."""

    user_id: int
    email: str
    role: str


@dataclass(frozen=True)
class InvitationRow:
    """An invitation not yet accepted (by its token's digest), with its organization's name when read with it."""

    digest: str
    email: str
    org_id: int
    role: str
    created_by: int | None
    created_at: str
    expires_at: str
    org_name: str = ""


# --- accounts -------------------------------------------------------------------------------


def count_users(db: Database) -> int:
    """Return how many accounts exist."""
    return int(db.execute("SELECT count(*) FROM users").fetchone()[0])


def get_setup_code(db: Database) -> str | None:
    """Return the one-time code that creates the first administrator, or None when there is none."""
    row = first(db, "SELECT code FROM setup_code WHERE id = 1", [])
    return None if row is None else str(row["code"])


def set_setup_code(db: Database, code: str) -> None:
    """Store the one-time setup code (replacing an earlier one)."""
    with transaction(db):
        db.execute(
            "INSERT INTO setup_code (id, code, created_at) VALUES (1, ?, ?) "
            "ON CONFLICT (id) DO UPDATE SET code = excluded.code, created_at = excluded.created_at",
            [code, now()],
        )


def delete_setup_code(db: Database) -> None:
    """Use up the setup code."""
    with transaction(db):
        db.execute("DELETE FROM setup_code")


def get_user(db: Database, user_id: int) -> UserRow | None:
    """Return the account with this id, or None."""
    row = first(db, "SELECT * FROM users WHERE id = ?", [user_id])
    return None if row is None else UserRow(**row)


def get_user_by_email(db: Database, email: str) -> UserRow | None:
    """Return the account with this email (case-insensitive), or None."""
    row = first(db, "SELECT * FROM users WHERE email = ?", [email.strip()])
    return None if row is None else UserRow(**row)


def list_users(db: Database) -> list[UserRow]:
    """Return every account, by email."""
    return [UserRow(**r) for r in db.query("SELECT * FROM users ORDER BY email")]


def create_user(
    db: Database, email: str, password_hash: str, *, is_admin: bool = False, can_create: bool = False
) -> int:
    """Create an account and return its id; raises IntegrityError if the email is taken."""
    with transaction(db):
        return inserted_id(
            db.execute(
                "INSERT INTO users (email, password_hash, is_admin, can_create, created_at) VALUES (?, ?, ?, ?, ?)",
                [email.strip(), password_hash, int(is_admin), int(can_create or is_admin), now()],
            )
        )


def set_password_hash(db: Database, user_id: int, password_hash: str, *, end_sessions: bool) -> None:
    """Store a new password hash; with `end_sessions` every session of the account ends too."""
    with transaction(db):
        db.execute("UPDATE users SET password_hash = ? WHERE id = ?", [password_hash, user_id])
        if end_sessions:
            db.execute("DELETE FROM sessions WHERE user_id = ?", [user_id])


def set_user_flags(db: Database, user_id: int, *, is_admin: bool, can_create: bool, disabled: bool) -> None:
    """Change an account's global rights; disabling it ends its sessions."""
    with transaction(db):
        db.execute(
            "UPDATE users SET is_admin = ?, can_create = ?, disabled = ? WHERE id = ?",
            [int(is_admin), int(can_create or is_admin), int(disabled), user_id],
        )
        if disabled:
            db.execute("DELETE FROM sessions WHERE user_id = ?", [user_id])


# --- sessions -------------------------------------------------------------------------------------


def create_session(db: Database, digest: str, user_id: int) -> None:
    """Start a session for the account."""
    stamp = now()
    with transaction(db):
        db.execute(
            "INSERT INTO sessions (digest, user_id, created_at, last_seen_at) VALUES (?, ?, ?, ?)",
            [digest, user_id, stamp, stamp],
        )


def get_session(db: Database, digest: str) -> SessionRow | None:
    """Return the session with its account's email, flags and times, or None."""
    row = first(
        db,
        "SELECT s.digest, s.user_id, s.created_at, s.last_seen_at, u.email, u.is_admin, u.can_create, u.disabled "
        "FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.digest = ?",
        [digest],
    )
    return None if row is None else SessionRow(**row)


def touch_session(db: Database, digest: str) -> None:
    """Record that the session was used now."""
    with transaction(db):
        db.execute("UPDATE sessions SET last_seen_at = ? WHERE digest = ?", [now(), digest])


def end_session(db: Database, digest: str) -> None:
    """End one session."""
    with transaction(db):
        db.execute("DELETE FROM sessions WHERE digest = ?", [digest])


# --- memberships and invitations ----------------------------------------------------------------


def role_in(db: Database, user_id: int, org_id: int) -> str | None:
    """Return the account's role in the organization, or None."""
    row = first(db, "SELECT role FROM memberships WHERE user_id = ? AND org_id = ?", [user_id, org_id])
    return None if row is None else str(row["role"])


def organizations_of(db: Database, user_id: int) -> list[OrganizationRow]:
    """Return the organizations an account belongs to, by name."""
    return [
        OrganizationRow(**r)
        for r in db.query(
            "SELECT o.* FROM organizations o JOIN memberships m ON m.org_id = o.id WHERE m.user_id = ? "
            "ORDER BY o.name COLLATE NOCASE, o.id",
            [user_id],
        )
    ]


def members_of(db: Database, org_id: int) -> list[MemberRow]:
    """Return the organization's people: user id, email and role, by email."""
    return [
        MemberRow(**r)
        for r in db.query(
            "SELECT u.id AS user_id, u.email, m.role FROM memberships m JOIN users u ON u.id = m.user_id "
            "WHERE m.org_id = ? ORDER BY u.email",
            [org_id],
        )
    ]


def count_consultants(db: Database, org_id: int) -> int:
    """Return how many consultants the organization has."""
    return int(
        db.execute("SELECT count(*) FROM memberships WHERE org_id = ? AND role = 'consultant'", [org_id]).fetchone()[0]
    )


def set_membership(db: Database, user_id: int, org_id: int, role: str) -> None:
    """Give the account this role in the organization (added if it was not a member)."""
    with transaction(db):
        db.execute(
            "INSERT INTO memberships (user_id, org_id, role, created_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (user_id, org_id) DO UPDATE SET role = excluded.role",
            [user_id, org_id, role, now()],
        )


def remove_membership(db: Database, user_id: int, org_id: int) -> None:
    """Take the account out of the organization."""
    with transaction(db):
        db.execute("DELETE FROM memberships WHERE user_id = ? AND org_id = ?", [user_id, org_id])


def create_organization_for(db: Database, name: str, user_id: int) -> int:
    """Create an organization whose creator becomes its consultant; return its id."""
    with transaction(db):
        org_id = create_organization(db, name)
        set_membership(db, user_id, org_id, "consultant")
    return org_id


def create_invitation(
    db: Database, digest: str, email: str, org_id: int, role: str, created_by: int, expires_at: str
) -> None:
    """Store an invitation (by its token's digest) to join the organization with a role, in place of
    any earlier one for the same email."""
    with transaction(db):
        db.execute("DELETE FROM invitations WHERE org_id = ? AND email = ?", [org_id, email.strip()])
        db.execute(
            "INSERT INTO invitations (digest, email, org_id, role, created_by, created_at, expires_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [digest, email.strip(), org_id, role, created_by, now(), expires_at],
        )


def get_invitation(db: Database, digest: str) -> InvitationRow | None:
    """Return the invitation with its organization's name, or None."""
    row = first(
        db,
        "SELECT i.*, o.name AS org_name FROM invitations i JOIN organizations o ON o.id = i.org_id WHERE i.digest = ?",
        [digest],
    )
    return None if row is None else InvitationRow(**row)


def pending_invitations(db: Database, org_id: int) -> list[InvitationRow]:
    """Return the organization's invitations not yet accepted, by email."""
    return [InvitationRow(**r) for r in db.query("SELECT * FROM invitations WHERE org_id = ? ORDER BY email", [org_id])]


def join_by_invitation(db: Database, digest: str, user_id: int) -> int:
    """Give an existing account the invitation's role in its organization and use the invitation up;
    return the organization's id. Raises KeyError when the invitation is gone."""
    with transaction(db):
        invitation = get_invitation(db, digest)
        if invitation is None:
            raise KeyError(digest)
        set_membership(db, user_id, invitation.org_id, invitation.role)
        db.execute("DELETE FROM invitations WHERE digest = ?", [digest])
    return invitation.org_id


def accept_invitation(db: Database, digest: str, email: str, password_hash: str) -> int:
    """Create the invited account with its membership and use up the invitation; return the account id.

    Raises IntegrityError when an account with the email exists; KeyError when the invitation is gone.
    """
    with transaction(db):
        invitation = get_invitation(db, digest)
        if invitation is None:
            raise KeyError(digest)
        user_id = create_user(db, email, password_hash)
        set_membership(db, user_id, invitation.org_id, invitation.role)
        db.execute("DELETE FROM invitations WHERE digest = ?", [digest])
    return user_id

"""The one place views get an organization's data from.

`views.auth.enforce_access` has already checked, before the view ran, that the current user
holds the endpoint's declared role in the organization named by the URL; these functions check
that it was that organization, so a view cannot read one it was not cleared for.
"""

from __future__ import annotations

from ipaddress import ip_address
from typing import Any
from urllib.parse import urlsplit

from flask import abort, current_app, g, url_for

from assess.core.questionnaire import QuestionBank, Questionnaire
from assess.core.settings import Settings
from assess.store import answers, organizations
from assess.store.answers import AssessmentRow
from assess.store.organizations import OrganizationRow
from assess.web.database import get_db


def bank() -> QuestionBank:
    """Return the app's question bank."""
    return current_app.extensions["assess.bank"]  # type: ignore[no-any-return]


def settings() -> Settings:
    """Return the app's settings."""
    return current_app.extensions["assess.settings"]  # type: ignore[no-any-return]


def organization_or_404(org_id: int) -> OrganizationRow:
    """Return the organization the current request was cleared for; 404 otherwise (never 403)."""
    if g.get("org_id") != org_id:
        abort(404)
    row = organizations.get_organization(get_db(), org_id)
    if row is None:
        abort(404)
    return row


def assessment_or_404(org_id: int, assessment_id: int) -> tuple[OrganizationRow, AssessmentRow, Questionnaire]:
    """Return the organization, its assessment and the assessment's questionnaire, or 404."""
    org = organization_or_404(org_id)
    row = answers.get_assessment(get_db(), org.id, assessment_id)
    if row is None or row.questionnaire not in bank().questionnaires:
        abort(404)
    return org, row, bank().questionnaire(row.questionnaire)


def author() -> str:
    """Return the name changes of this request are recorded under: the signed-in account's email."""
    user = g.get("user")
    return user.email if user is not None else ""


def public_url_for(endpoint: str, **values: Any) -> str:
    """Return the full address of a page as people outside this machine open it: under the configured
    public URL (ASSESS_PUBLIC_URL, `assess serve --public-url`), else under the request's own address."""
    base = settings().public_url
    if not base:
        return url_for(endpoint, _external=True, **values)
    return base + url_for(endpoint, **values)


def is_loopback_url(url: str) -> bool:
    """Return whether an address only opens on the machine itself (localhost, 127.x, ::1)."""
    host = urlsplit(url).hostname or ""
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ip_address(host).is_loopback
    except ValueError:
        return False

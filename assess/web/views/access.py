"""The one place views get an organization's data from.

`views.auth.enforce_access` has already checked, before the view ran, that the current user
holds the endpoint's declared role in the organization named by the URL; these functions check
that it was that organization, so a view cannot read one it was not cleared for.
"""

from __future__ import annotations

from flask import abort, current_app, g

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

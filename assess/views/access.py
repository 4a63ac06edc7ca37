"""The one place that decides whether the current request may see an organization's data.

Every view that reads or changes an organization's data gets it through these functions, so the
accounts-and-roles check has exactly one home.
"""

from __future__ import annotations

from flask import abort, current_app

from assess import db
from assess.questionnaire import QuestionBank, Questionnaire


def bank() -> QuestionBank:
    return current_app.extensions["assess.bank"]  # type: ignore[no-any-return]


def organization_or_404(org_id: int) -> db.OrganizationRow:
    """Return the organization if the current user may see it; 404 otherwise (never 403: no hint it exists)."""
    row = db.get_organization(db.get_db(), org_id)
    if row is None:
        abort(404)
    return row


def assessment_or_404(
    org_id: int, assessment_id: int
) -> tuple[db.OrganizationRow, db.AssessmentRow, Questionnaire]:
    """Return the organization, its assessment and the assessment's questionnaire, or 404."""
    org = organization_or_404(org_id)
    row = db.get_assessment(db.get_db(), org.id, assessment_id)
    if row is None or row.questionnaire not in bank().questionnaires:
        abort(404)
    return org, row, bank().questionnaire(row.questionnaire)

"""A realistic, fictional example organization to try every command on (and the test fixture)."""

from __future__ import annotations

import random
from typing import Any

from assess.core.answers import NOT_APPLICABLE, UNKNOWN, Answer, Assessment, Organization
from assess.core.questionnaire import QuestionBank, Questionnaire

FULL_PROFILE: dict[str, Any] = {
    "org.legal_name": "Northwind Water Services Ltd",
    "org.trading_name": "Northwind Water",
    "org.address": "12 Reservoir Road\nKendal LA9 4QT\nUnited Kingdom",
    "org.website": "https://www.northwind-water.example",
    "org.sector": "Utilities (water, energy, telecoms)",
    "org.size": "250 people or more",
    "org.products_services": "Drinking water supply, wastewater collection and treatment, and metering "
    "for homes and businesses in the Lakes region",
    "org.customer_groups": "Households, small and large businesses, and customers in vulnerable "
    "circumstances registered on our Priority Services Register",
    "org.languages": "English and Welsh; interpreters on request",
    "org.accessibility": "Text relay service, large-print and Braille letters, a free call-back "
    "service, and help to write a complaint or to let a representative act for you",
    "people.top_manager_name": "Priya Raman",
    "people.top_manager_role": "Chief Executive",
    "people.complaints_manager_name": "Daniel O'Connor",
    "people.complaints_manager_role": "Head of Customer Resolution",
    "people.privacy_contact": "Data Protection Officer, privacy@northwind-water.example",
    "complaints.channels": ["Phone", "Email", "Web form", "Letter", "Live chat"],
    "complaints.phone": "0800 123 4567",
    "complaints.email": "complaints@northwind-water.example",
    "complaints.web_form_url": "https://www.northwind-water.example/complaints",
    "complaints.ack_days": 2,
    "complaints.resolution_days": 10,
    "complaints.escalation_levels": [
        {
            "stage": "Stage 1: first response",
            "handled_by": "Customer Resolution team",
            "time_target": "10 working days",
        },
        {
            "stage": "Stage 2: internal review",
            "handled_by": "Head of Customer Resolution",
            "time_target": "20 working days",
        },
    ],
    "complaints.remedies": [
        "Apology",
        "Explanation",
        "Correcting the error",
        "Refund",
        "Financial compensation",
    ],
    "complaints.time_limit_months": 12,
    "records.retention_years": 6,
    "review.cycle_months": 12,
    "documents.version": "1.0",
    "documents.effective_date": "2026-12-01",
    "edr.provider_name": "Consumer Council for Water",
    "edr.provider_contact": "0300 034 2222, enquiries@ccw.example",
    "edr.provider_url": "https://www.ccw.example",
    "edr.methods": [
        "Mediation or conciliation (facilitative)",
        "Binding decision by the provider (determinative)",
    ],
    "edr.fees_paid_by": "The organization pays all provider fees; free for the complainant",
    "edr.commit_participate": "Yes",
    "edr.accept_outcomes": "Yes, up to a set amount",
    "edr.accept_limit": "GBP 10,000",
    "edr.response_days": 10,
    "edr.implement_days": 20,
    "edr.settlement_authority": "Head of Customer Resolution, up to GBP 10,000",
    "code.promises": [
        {
            "promise": "We keep appointments we make with you, or tell you at least 24 hours before",
            "indicator": "Share of appointments kept or rearranged in time",
            "target": "98 %",
        },
        {
            "promise": "We answer written enquiries within 5 working days",
            "indicator": "Share of written enquiries answered within 5 working days",
            "target": "95 %",
        },
        {
            "promise": "We restore supply within 12 hours after a planned interruption",
            "indicator": "Share of planned interruptions restored within 12 hours",
            "target": "99 %",
        },
    ],
    "code.remedy": "A payment of GBP 40 credited to your account within 10 working days, "
    "without you having to claim it",
    "code.publication": "Our website, every bill, and the customer centre in Kendal",
}

PARTIAL_KEYS = (
    "org.legal_name",
    "org.trading_name",
    "org.website",
    "org.sector",
    "org.size",
    "org.products_services",
    "people.top_manager_name",
    "people.top_manager_role",
    "complaints.channels",
    "complaints.email",
    "complaints.ack_days",
    "edr.provider_name",
)

# Clause strength by top-level clause: the mean level answers are drawn around.
_STRENGTH = {"4": 3.0, "5": 2.6, "6": 1.6, "7": 3.2, "8": 1.2}
_NOTES = (
    "Confirmed in the workshop with the customer-service team.",
    "Procedure exists but is not applied the same way in every team.",
    "Covered by the 2025 internal audit.",
    "Only done for complaints received by email.",
)


def _answers(questionnaire: Questionnaire, rng: random.Random) -> dict[str, Answer]:
    answers: dict[str, Answer] = {}
    for index, question in enumerate(questionnaire.questions):
        top = question.clause_ref.split(".")[0]
        roll = rng.random()
        if index % 31 == 13:
            continue  # left unanswered, as in any assessment still in progress
        if question.allow_na and index % 23 == 7:
            answers[question.id] = Answer(NOT_APPLICABLE, reason="We have a single site and no franchise partners.")
            continue
        if roll < 0.04:
            answers[question.id] = Answer(UNKNOWN, note="To check with the operations manager.")
            continue
        mean = _STRENGTH.get(top, 2.0)
        level = max(0, min(4, round(rng.gauss(mean, 0.9))))
        note = _NOTES[index % len(_NOTES)] if index % 5 == 0 else ""
        evidence = "Complaints procedure v3, section 4" if level >= 3 and index % 4 == 0 else ""
        answers[question.id] = Answer(level, note=note, evidence=evidence)
    return answers


def example_organization(
    bank: QuestionBank, questionnaire: str | None = None, profile: str = "full", seed: int = 10002
) -> Organization:
    """Return the fictional example organization with plausible, mixed answers.

    `profile` is "full", "partial" or "empty"; `questionnaire` limits it to one questionnaire.
    Raises KeyError for an unknown questionnaire id or profile name.
    """
    if profile not in ("full", "partial", "empty"):
        raise KeyError(profile)
    facts = {
        "full": dict(FULL_PROFILE),
        "partial": {k: FULL_PROFILE[k] for k in PARTIAL_KEYS},
        "empty": {},
    }[profile]
    known = {f.id for f in bank.profile.facts}
    facts = {k: v for k, v in facts.items() if k in known}
    chosen = [bank.questionnaire(questionnaire)] if questionnaire else list(bank.questionnaires.values())
    rng = random.Random(seed)
    assessments = tuple(
        Assessment(questionnaire=q.id, title="Baseline 2026", target=3, answers=_answers(q, rng)) for q in chosen
    )
    return Organization(name=FULL_PROFILE["org.trading_name"], profile=facts, assessments=assessments)

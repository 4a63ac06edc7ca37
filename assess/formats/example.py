"""A realistic, fictional example organization to try every command on (and the test fixture).

Northwind Water is an English water company. Its profile is true to life: complaints it cannot
resolve go to the Consumer Council for Water (which advises and takes up complaints but makes no
binding decisions), and from there to the Water Redress Scheme (WATRS), which decides on the
documents alone, free for the customer, funded by the water companies, its decision binding on the
company only if the customer accepts it. Its action plan gives every gap an owner and a due date.
"""

from __future__ import annotations

import random
from dataclasses import replace
from typing import Any

from assess.core.actions import action_from_gap
from assess.core.answers import NOT_APPLICABLE, UNKNOWN, Action, Answer, Assessment, Organization
from assess.core.findings import real_gaps
from assess.core.questionnaire import QuestionBank, Questionnaire
from assess.core.scoring import priority_band, score_assessment

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
    "org.languages": "English; interpreters and translated letters on request",
    "org.accessibility": "Text relay service, large-print and Braille letters, a free call-back "
    "service, and help to write a complaint or to let a representative act for you",
    "org.premises": "Customer centre, 12 Reservoir Road, Kendal: 9am to 5pm, Monday to Friday",
    "org.regulator": "Ofwat (the Water Services Regulation Authority)",
    "org.laws": [
        {"name": "Water Industry Act 1991", "about": "our duties as a water and sewerage company"},
        {
            "name": "The Guaranteed Standards Scheme (Water Supply and Sewerage Services (Customer Service "
            "Standards) Regulations 2008)",
            "about": "service standards, such as answering written complaints, and the payments we make "
            "when we miss them",
        },
        {"name": "UK GDPR and the Data Protection Act 2018", "about": "how we use and keep personal information"},
    ],
    "org.related_policies": [
        {"name": "Priority Services Register", "where": "www.northwind-water.example/priority"},
        {"name": "Privacy notice", "where": "www.northwind-water.example/privacy"},
        {"name": "Compensation guide", "where": "www.northwind-water.example/compensation"},
    ],
    "people.top_manager_name": "Priya Raman",
    "people.top_manager_role": "Chief Executive",
    "people.complaints_manager_name": "Daniel O'Connor",
    "people.complaints_manager_role": "Head of Customer Resolution",
    "people.privacy_contact": "Data Protection Officer, privacy@northwind-water.example",
    "governance.body": "the Board of Directors",
    "governance.board_lead": "Helen Marsh, non-executive director and chair of the Customer Committee",
    "governance.report_frequency": "every quarter",
    "governance.annual_report": "www.northwind-water.example/complaints-report",
    "complaints.channels": ["Phone", "Email", "Web form", "Letter", "In person", "Live chat"],
    "complaints.phone": "0800 123 4567",
    "complaints.phone_cost": "Free to call from landlines and mobiles",
    "complaints.phone_hours": "8am to 8pm Monday to Friday, 9am to 1pm Saturday",
    "complaints.email": "complaints@northwind-water.example",
    "complaints.web_form_url": "https://www.northwind-water.example/complaints",
    "complaints.chat": "on our website, 8am to 6pm Monday to Friday",
    "complaints.exclusions": [
        {
            "matter": "A first request for a service, such as a repair, a meter reading or a change of details",
            "goes_to": "Our customer service team deals with it as a request; it becomes a complaint if we "
            "then get it wrong",
        },
        {
            "matter": "A claim for damage to property from a burst main or sewer flooding",
            "goes_to": "Our claims team, under our flooding and burst main claims process",
        },
        {
            "matter": "A matter a court or tribunal has already decided, or that is before one",
            "goes_to": "The court or tribunal concerned",
        },
    ],
    "complaints.time_limit_months": 12,
    "complaints.contractor_lead": "the Head of Customer Resolution",
    "complaints.ack_days": 2,
    "complaints.resolution_days": 10,
    "complaints.escalation_levels": [
        {
            "stage": "Stage 1: our response",
            "handled_by": "Customer Resolution team",
            "time_target": "10 working days",
        },
        {
            "stage": "Stage 2: review",
            "handled_by": "A senior manager in the Customer Resolution team",
            "time_target": "20 working days",
            "ask_within": "within 20 working days of our stage 1 response",
            "independence": "took no part in the stage 1 response",
        },
    ],
    "complaints.remedies": [
        "Apology",
        "Explanation",
        "Correcting the error",
        "Repair",
        "Refund",
        "Financial compensation",
        "Goodwill gesture",
    ],
    "complaints.remedy_authority": [
        {
            "role": "Customer Resolution adviser",
            "may_authorise": "account corrections and goodwill payments",
            "up_to": "GBP 100",
        },
        {"role": "Customer Resolution team leader", "may_authorise": "refunds and compensation", "up_to": "GBP 500"},
        {"role": "Head of Customer Resolution", "may_authorise": "any remedy", "up_to": "GBP 10,000"},
    ],
    "complaints.compensation_guide": "our compensation guide, www.northwind-water.example/compensation",
    "support.advice": "Citizens Advice, and the Consumer Council for Water, which gives free, independent "
    "advice to water customers",
    "support.vulnerability_policy": "our Priority Services Register, www.northwind-water.example/priority",
    "complaints.ombudsman_name": "the Consumer Council for Water (CCW)",
    "complaints.ombudsman_contact": "0300 034 2222, enquiries@ccw.example",
    "complaints.ombudsman_url": "https://www.ccw.example",
    "complaints.ombudsman_role": "gives free, independent advice, and can take up your complaint with us and "
    "press us to put things right; it does not make binding decisions",
    "privacy.notice": "www.northwind-water.example/privacy",
    "privacy.lawful_basis": [
        "our legitimate interest in resolving complaints and improving our service",
        "a legal obligation that applies to us",
    ],
    "records.retention_years": 6,
    "complaints.indicators": [
        {
            "indicator": "Acknowledged on time",
            "formula": "Share of complaints acknowledged within 2 working days, from the case system",
            "target": "98 %",
        },
        {
            "indicator": "Stage 1 response on time",
            "formula": "Share of stage 1 responses sent within 10 working days, from the case system",
            "target": "95 %",
        },
        {
            "indicator": "Resolved at first contact",
            "formula": "Share of complaints closed when first made, from the case system",
            "target": "40 %",
        },
        {
            "indicator": "Taken to stage 2",
            "formula": "Share of stage 1 complaints taken to review, from the case system",
            "target": "Under 8 %",
        },
        {
            "indicator": "Complainant satisfaction",
            "formula": "Average rating, 1 to 5, in the survey after closure",
            "target": "4 or more",
        },
    ],
    "review.cycle_months": 12,
    "documents.version": "1.0",
    "documents.effective_date": "2026-12-01",
    "edr.provider_name": "the Water Redress Scheme (WATRS)",
    "edr.provider_contact": "apply online, or ask CCW for a paper application form",
    "edr.provider_url": "https://www.watrs.example",
    "edr.scheme": "A sector scheme we have joined",
    "edr.scheme_rules": "www.watrs.example/rules",
    "edr.decision_basis": "on what is fair and reasonable in the circumstances, taking the law into account",
    "edr.funding": "By the organizations in its scheme, ourselves included, through fees that do not depend "
    "on outcomes",
    "edr.methods": ["Binding decision by the provider (determinative)"],
    "edr.fees_paid_by": "The organization pays all provider fees; free for the complainant",
    "edr.needs_ombudsman_first": "Yes",
    "edr.early_referral": "No",
    "edr.apply_months": 6,
    "edr.apply_from": "the date of CCW's closing letter",
    "edr.eligibility": "household customers whose complaint about bills, charges, metering, water supply or "
    "wastewater services has been through our complaints procedure and CCW",
    "edr.binding": "It binds us if the complainant accepts it; the complainant may reject it and go to court",
    "edr.limitation": "It keeps running; complainants close to it should take legal advice",
    "edr.commit_participate": "Yes",
    "edr.accept_outcomes": "Yes, always",
    "edr.response_days": 10,
    "edr.implement_days": 20,
    "edr.settlement_authority": "Head of Customer Resolution, up to GBP 10,000; above that, the Customer "
    "Services Director",
    "code.owner": "Sarah Bell, Customer Standards Manager",
    "code.promises": [
        {
            "promise": "We keep appointments we make with you, or tell you at least 24 hours before if we "
            "need to change one",
            "indicator": "Share of appointments kept or rearranged in time",
            "target": "98 %",
            "conditions": "Appointments we book with you at your home or business; not when no one is there "
            "to let us in",
            "remedy": "GBP 40 credited to your account",
            "remedy_time": "10 working days",
            "claim": "We credit it without you asking",
        },
        {
            "promise": "We answer written enquiries within 5 working days",
            "indicator": "Share of written enquiries answered within 5 working days",
            "target": "95 %",
            "conditions": "Letters, emails and web forms about your account or our services",
            "remedy": "GBP 20 credited to your account",
            "remedy_time": "10 working days",
            "claim": "We credit it without you asking",
        },
        {
            "promise": "We restore supply within 12 hours after a planned interruption",
            "indicator": "Share of planned interruptions restored within 12 hours",
            "target": "99 %",
            "conditions": "Interruptions we gave you notice of; not events outside our control, such as severe weather",
            "remedy": "GBP 40, and GBP 20 more for each further 24 hours",
            "remedy_time": "20 working days",
            "claim": "Paid to customers we know were affected; otherwise tell us within 3 months",
        },
    ],
    "code.remedy": "A payment of GBP 40 credited to your account within 10 working days, without you "
    "having to claim it",
    "code.objectives": [
        {"aim": "Fewer missed appointments", "target": "A third fewer than in 2026", "by": "31 December 2027"},
        {
            "aim": "More customers who know about the code",
            "target": "60 % of customers surveyed",
            "by": "31 December 2027",
        },
    ],
    "code.publication": "our website, every bill, and the customer centre in Kendal",
    "code.results_where": "www.northwind-water.example/our-promises",
    "code.results_frequency": "every quarter",
}

PARTIAL_KEYS = (
    "org.legal_name",
    "org.trading_name",
    "org.website",
    "org.sector",
    "org.size",
    "org.products_services",
    "org.regulator",
    "people.top_manager_name",
    "people.top_manager_role",
    "complaints.channels",
    "complaints.phone",
    "complaints.phone_cost",
    "complaints.email",
    "complaints.ack_days",
    "complaints.resolution_days",
    "edr.provider_name",
    "edr.fees_paid_by",
    "edr.binding",
    "code.promises",
)

NOT_APPLICABLE_HERE = {
    "10003-7.5.1-a": "WATRS decides on the documents alone: there is no mediation session to attend.",
    "10003-7.5.1-b": "WATRS decides on the documents alone: there is no mediation session to prepare for.",
    "10003-7.5.4-a": "WATRS makes binding decisions only; it issues no recommendations for us to accept.",
    "10003-7.5.4-b": "WATRS makes binding decisions only; it issues no recommendations for us to reject.",
    "10003-7.5.4-c": "WATRS makes binding decisions only; it issues no recommendations.",
    "10001-5.2-c": "We wrote our own code; we have not adopted one from a sector body.",
    "10003-7.2-c": "Household customers reach WATRS only once CCW has dealt with their complaint; no set time "
    "opens the route earlier.",
}
"""Practices that do not apply to a water company whose dispute scheme decides on documents alone."""

AS_THE_SCHEME_RULES = {
    "10003-4.7-a": Answer(4, note="WATRS is free for customers: the water companies pay for it."),
    "10003-4.9-a": Answer(4, note="Scheme fees do not depend on outcomes; an independent panel oversees WATRS."),
}
"""Answers that follow from the dispute scheme's own rules, whatever the rest of the example says."""

OWNERS = {
    "iso10001-2018": "Sarah Bell, Customer Standards Manager",
    "iso10003-2018": "Daniel O'Connor, Head of Customer Resolution",
}
OWNERS_10002 = {
    "4": "Daniel O'Connor, Head of Customer Resolution",
    "5": "Priya Raman, Chief Executive",
    "6": "Tom Ellis, Customer Service Manager",
    "7": "Daniel O'Connor, Head of Customer Resolution",
    "8": "Amira Haddad, Quality and Audit Manager",
}
DUE = {"High": "2027-03-31", "Medium": "2027-06-30", "Low": "2027-09-30"}
"""When the example's actions are due, by the priority of their gap."""

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
        if question.allow_na and question.id in NOT_APPLICABLE_HERE:
            answers[question.id] = Answer(NOT_APPLICABLE, reason=NOT_APPLICABLE_HERE[question.id])
            continue
        if roll < 0.04:
            answers[question.id] = Answer(UNKNOWN, note="To check with the operations manager.")
            continue
        mean = _STRENGTH.get(top, 2.0)
        level = max(0, min(4, round(rng.gauss(mean, 0.9))))
        note = _NOTES[index % len(_NOTES)] if index % 5 == 0 else ""
        evidence = "Complaints procedure v3, section 4" if level >= 3 and index % 4 == 0 else ""
        answers[question.id] = Answer(level, note=note, evidence=evidence)
    answers.update({k: v for k, v in AS_THE_SCHEME_RULES.items() if questionnaire.has_question(k)})
    return answers


def example_organization(
    bank: QuestionBank,
    questionnaire: str | None = None,
    profile: str = "full",
    seed: int = 10002,
    actions: bool = False,
) -> Organization:
    """Return the fictional example organization with plausible, mixed answers.

    `profile` is "full", "partial" or "empty"; `questionnaire` limits it to one questionnaire;
    `actions` adds its action plan (an owner and a due date for every gap; `assess example` does).
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
    return Organization(
        name=FULL_PROFILE["org.trading_name"],
        profile=facts,
        assessments=assessments,
        actions=_action_plan(bank, assessments) if actions else (),
    )


def _action_plan(bank: QuestionBank, assessments: tuple[Assessment, ...]) -> tuple[Action, ...]:
    """Return an action, with an owner and a due date by priority, for every gap of every assessment
    (a "don't know" is something to find out, not a gap: it gets no action)."""
    actions = []
    for index, assessment in enumerate(assessments):
        questionnaire = bank.questionnaire(assessment.questionnaire)
        for gap in real_gaps(score_assessment(questionnaire, assessment.values, assessment.target)):
            owner = OWNERS.get(questionnaire.id) or OWNERS_10002[gap.clause.split(".")[0]]
            action = action_from_gap(gap, questionnaire.id, assessment=index)
            actions.append(replace(action, owner=owner, due=DUE[priority_band(gap.priority)]))
    return tuple(actions)

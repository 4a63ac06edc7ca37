"""The words of the documents that depend on the organization: its sector's examples, and sentence
parts worked out from several facts.

`org.sector` (a choice of profile.yaml) picks one of seven vocabularies; a template reads them as
``words.feedback_moments`` and so on. Every vocabulary has every word (a test checks it), and
an organization without a sector gets "other".
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from assess.core.truth import (
    BINDS_BOTH,
    BINDS_NEITHER,
    BINDS_US,
    FUNDED_BY_SCHEME,
    FUNDED_BY_US,
    FUNDED_PUBLICLY,
    PHONE_FREE,
    PHONE_HIGHER,
    PHONE_STANDARD,
)
from assess.documents.text import escape_markdown, placeholder

if TYPE_CHECKING:
    from assess.documents.facts import FactReader
    from assess.documents.statements import StatementBook

SECTOR_VOCABULARY = {
    "Utilities (water, energy, telecoms)": "utility",
    "Financial services": "financial",
    "Retail and e-commerce": "retail",
    "Health and social care": "health",
    "Housing": "housing",
    "Public sector": "public",
    "Travel and transport": "retail",
    "Professional services": "other",
    "Manufacturing": "retail",
    "Education": "public",
    "Other": "other",
}
"""The vocabulary of each choice of `org.sector`."""

WORDS: dict[str, dict[str, str]] = {
    "retail": {
        "feedback_moments": "after a purchase, a delivery or a call",
        "proof_records": "dispatch times or refund dates",
        "capacity_signals": "order backlogs and call waiting times",
        "before_signing_up": "before they buy",
        "problem_areas": "delivery, returns and refunds, product information and personal information",
        "surge": "a delivery failure or a faulty batch",
        "promise_examples": "delivery within 3 working days",
        "visit": "a delivery",
    },
    "utility": {
        "feedback_moments": "after a repair visit, a meter reading or a call",
        "proof_records": "appointment times, supply interruption logs or bill correction dates",
        "capacity_signals": "work backlogs, call waiting times and unplanned supply interruptions",
        "before_signing_up": "when they move in or open an account",
        "problem_areas": "supply interruptions, billing, metering, appointments and personal information",
        "surge": "a burst main, a storm or a billing error",
        "promise_examples": "restoring supply within 12 hours",
        "visit": "an appointment",
    },
    "financial": {
        "feedback_moments": "after an application, a claim or a call",
        "proof_records": "decision dates, payment dates or call records",
        "capacity_signals": "application backlogs and call waiting times",
        "before_signing_up": "before they sign up",
        "problem_areas": "applications, payments, charges, claims and personal information",
        "surge": "a system outage or a change of terms",
        "promise_examples": "a decision on a claim within 10 working days",
        "visit": "an appointment",
    },
    "housing": {
        "feedback_moments": "after a repair, a visit or a call",
        "proof_records": "repair completion dates or appointment times",
        "capacity_signals": "repair backlogs and call waiting times",
        "before_signing_up": "when they sign their tenancy",
        "problem_areas": "repairs, damp and mould, rent and service charges, neighbour issues and personal information",
        "surge": "a cold spell or a run of leaks",
        "promise_examples": "emergency repairs made safe within 24 hours",
        "visit": "a repair appointment",
    },
    "health": {
        "feedback_moments": "after an appointment, a treatment or a call",
        "proof_records": "appointment times or waiting times",
        "capacity_signals": "waiting lists and appointment backlogs",
        "before_signing_up": "when they register or are referred",
        "problem_areas": "appointments, waiting times, communication, care and personal information",
        "surge": "a winter peak or a service closure",
        "promise_examples": "a call back within one working day",
        "visit": "an appointment",
    },
    "public": {
        "feedback_moments": "after a visit, an application or a call",
        "proof_records": "decision dates or appointment times",
        "capacity_signals": "waiting lists and call waiting times",
        "before_signing_up": "when they first use a service",
        "problem_areas": "decisions, waiting times, communication and personal information",
        "surge": "a change of policy or a system outage",
        "promise_examples": "a decision within 20 working days",
        "visit": "an appointment",
    },
    "other": {
        "feedback_moments": "after a visit or a call",
        "proof_records": "appointment times or completion dates",
        "capacity_signals": "work backlogs and call waiting times",
        "before_signing_up": "before they sign up",
        "problem_areas": "service standards, charges, communication and personal information",
        "surge": "a service failure",
        "promise_examples": "a reply within 5 working days",
        "visit": "an appointment",
    },
}


def sector_words(sector: Any) -> dict[str, str]:
    """Return the escaped words of the sector's vocabulary ("other" for no or an unknown sector)."""
    vocabulary = SECTOR_VOCABULARY.get(sector if isinstance(sector, str) else "", "other")
    return {key: escape_markdown(value) for key, value in WORDS[vocabulary].items()}


def unresolved(text: str) -> str:
    """Return a highlighted placeholder for something the data cannot settle, e.g. a contradiction."""
    return placeholder(f"[{text}]")


_CHANNEL_WORDS = {
    "Phone": "by phone",
    "Email": "by email",
    "Web form": "through our online form",
    "Letter": "by letter",
    "In person": "in person",
    "Live chat": "through live chat",
    "Social media": "through social media",
    "Text message": "by text message",
}


class Wording:
    """Sentence parts worked out from several facts (and the consistency table), for templates."""

    def __init__(self, facts: FactReader, statements: StatementBook):
        self.facts = facts
        self.statements = statements

    def binding_effect(self) -> str:
        """Return what the provider's outcome does ("makes a decision that binds us if you accept
        it; ..."), or a placeholder when the fact is missing or contradicted."""
        value = self.facts.value("edr.binding")
        if value is None:
            return "reaches an outcome whose effect is " + self.facts.text("edr.binding")
        says = self.statements.says
        if value == BINDS_US and says("edr.binds_us"):
            return "makes a decision that binds us if you accept it; if you reject it, you are free to go to court"
        if value == BINDS_BOTH and says("edr.binds_us"):
            return "makes a decision that binds both you and us, so neither of us can take the same dispute to court"
        if value == BINDS_NEITHER and says("edr.binds_neither"):
            return "makes a recommendation that binds neither side, so you keep every other route, the courts included"
        return "reaches an outcome " + unresolved("whom it binds: the profile and the answers disagree")

    def participation(self) -> str:
        """Return whether we take part when a complainant goes to the provider, as the policy and
        every final letter must both say it: "always", "case by case", "disputed" (the profile and
        the answers disagree: the consistency table allows neither) or "unknown" (no fact, and no
        practice that settles it)."""
        says = self.statements.says
        if says("edr.always_take_part"):
            return "always"
        if says("edr.participation_case_by_case"):
            return "case by case"
        if self.facts.has("edr.commit_participate"):
            return "disputed"
        return "unknown"

    def funding(self) -> str:
        """Return how the provider is funded, to follow "is funded" ("by us, through a fee per case")."""
        value = self.facts.value("edr.funding")
        if value == FUNDED_BY_SCHEME:
            return "by the organizations in its scheme, ourselves included"
        if value == FUNDED_BY_US:
            return "by us, through a fee for each case"
        if value == FUNDED_PUBLICLY:
            return "from public funds"
        return self.facts.text("edr.funding")

    def phone_cost(self) -> str:
        """Return what a call to the complaints number costs, as a sentence."""
        value = self.facts.value("complaints.phone_cost")
        says = self.statements.says
        if value is None:
            return "Cost of a call: " + self.facts.text("complaints.phone_cost") + "."
        if value == PHONE_FREE and says("complaints.phone_free"):
            return "Free to call from landlines and mobiles."
        if value == PHONE_STANDARD and says("complaints.phone_costs"):
            return "A call costs the same as a call to a standard landline number."
        if value == PHONE_HIGHER and says("complaints.phone_costs"):
            return "A call costs more than a call to a standard landline number."
        return unresolved("what a call costs: the profile and the answers disagree") + "."

    def channels(self) -> str:
        """Return the ways to complain as a phrase ("by phone, by email or in person")."""
        chosen = self.facts.value("complaints.channels")
        if not chosen:
            return "by " + self.facts.text("complaints.channels")
        words = [_CHANNEL_WORDS.get(c, c.lower()) for c in chosen]
        return escape_markdown(words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1])

    def _review_stage(self) -> dict[str, Any] | None:
        rows = self.facts.items("complaints.escalation_levels")
        return rows[1] if len(rows) > 1 else None

    def review_step(self) -> bool:
        """Return whether the steps table has a review row: not when the profile lists a single
        internal stage (no review stage to print; the list's one row is the first response's)."""
        return len(self.facts.items("complaints.escalation_levels")) != 1

    def review_handler(self) -> str:
        """Return who handles the internal review (the second stage of the profile's list)."""
        stage = self._review_stage()
        if stage is None or not stage["given"]["handled_by"]:
            return "A manager who took no part in the first response"
        return str(stage["handled_by"])

    def review_time(self) -> str:
        """Return the internal review's time target, or a placeholder (never the text of a list
        whose one stage is not a review)."""
        stage = self._review_stage()
        if stage is None and not self.review_step():
            return unresolved("the review's time target: the profile lists one internal stage only")
        if stage is None:
            return self.facts.text("complaints.escalation_levels")
        return str(stage["time_target"])

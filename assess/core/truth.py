"""What a document may say: the two kinds of statement, and the pairs of claims that cannot both be said.

Every statement a document makes about the organization's practice is one of two kinds:

- a *fact*: what is done, or was done. It is written only when every practice it rests on is at
  or above the assessment's target;
- a *commitment*: what the organization undertakes. When its practices are not in place yet, it
  carries the owner and due date of the action that will put them in place.

A fact whose practices are not in place is written as its commitment, or left out, as the user
chooses per document (`UNPROVEN_CHOICES`).

`CONSISTENCY` is the one table of claims that cannot both be said. Each side of a pair says when
the organization's data makes that claim (profile facts, practices in place) and how the claim
reads in a document (`phrases`, regular expressions over the document's text). A pair whose two
sides both hold in the data is a contradiction in the profile or the answers: a readiness problem,
shown before download, and neither side is written. A `wording` pair can hold in the data (both
claims are true); only a document that phrases one side so that it denies the other is wrong.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

FACT = "fact"
COMMITMENT = "commitment"

WRITTEN_AS_FACT = "fact"
WRITTEN_AS_COMMITMENT = "commitment"
LEFT_OUT = "left out"

COMMIT = "Write them as commitments, with the action's owner and due date"
OMIT = "Leave them out"
UNPROVEN_CHOICES = (COMMIT, OMIT)
"""The choices of each document's ``documents.<document>.unproven`` profile fact (default: COMMIT)."""


def unproven_fact(document: str) -> str:
    """Return the profile fact id holding a document's choice for practices not in place."""
    return f"documents.{document.replace('-', '_')}.unproven"


InPlace = Callable[[str], bool]
"""Whether a practice (question id) is at or above its assessment's target."""


def _present(value: Any) -> bool:
    return value is not None and not (isinstance(value, (str, list, tuple, dict)) and not value)


@dataclass(frozen=True)
class FactIs:
    """The fact's value is one of `values` (a multichoice: includes one of them)."""

    fact: str
    values: tuple[str, ...]

    def holds(self, facts: Mapping[str, Any], in_place: InPlace) -> bool:
        value = facts.get(self.fact)
        if isinstance(value, list):
            return any(v in self.values for v in value)
        return value in self.values


@dataclass(frozen=True)
class FactSet:
    """The fact has a value."""

    fact: str

    def holds(self, facts: Mapping[str, Any], in_place: InPlace) -> bool:
        return _present(facts.get(self.fact))


@dataclass(frozen=True)
class FactMissing:
    """The fact has no value."""

    fact: str

    def holds(self, facts: Mapping[str, Any], in_place: InPlace) -> bool:
        return not _present(facts.get(self.fact))


@dataclass(frozen=True)
class Practice:
    """The practice is in place: at or above its assessment's target."""

    practice: str

    def holds(self, facts: Mapping[str, Any], in_place: InPlace) -> bool:
        return in_place(self.practice)


@dataclass(frozen=True)
class RowsLack:
    """A list fact has a row that leaves `field` empty."""

    fact: str
    field: str

    def holds(self, facts: Mapping[str, Any], in_place: InPlace) -> bool:
        rows = facts.get(self.fact)
        return isinstance(rows, list) and any(
            isinstance(row, Mapping) and not str(row.get(self.field, "")).strip() for row in rows
        )


@dataclass(frozen=True)
class RowsOver:
    """A list fact has more than `count` rows."""

    fact: str
    count: int

    def holds(self, facts: Mapping[str, Any], in_place: InPlace) -> bool:
        rows = facts.get(self.fact)
        return isinstance(rows, list) and len(rows) > self.count


_NUMBER = re.compile(r"\d+")


@dataclass(frozen=True)
class FirstRowNumberDiffers:
    """The first number in the first row's `field` of a list fact differs from a number fact."""

    fact: str
    field: str
    number: str

    def holds(self, facts: Mapping[str, Any], in_place: InPlace) -> bool:
        rows, number = facts.get(self.fact), facts.get(self.number)
        if not isinstance(rows, list) or not rows or not isinstance(rows[0], Mapping) or number is None:
            return False
        found = _NUMBER.search(str(rows[0].get(self.field, "")))
        return found is not None and float(found.group()) != float(number)


Condition = FactIs | FactSet | FactMissing | Practice | RowsLack | RowsOver | FirstRowNumberDiffers


@dataclass(frozen=True)
class Side:
    """One claim: it holds when every condition of one of `when`'s groups holds."""

    id: str
    says: str
    when: tuple[tuple[Condition, ...], ...]
    phrases: tuple[str, ...] = ()
    """How the claim reads in a document: regular expressions, matched case-insensitively."""

    def holds(self, facts: Mapping[str, Any], in_place: InPlace) -> bool:
        """Return whether the organization's data makes this claim."""
        return any(all(c.holds(facts, in_place) for c in group) for group in self.when)

    def said_in(self, text: str) -> str | None:
        """Return the first passage of `text` that makes this claim, or None."""
        for phrase in self.phrases:
            found = re.search(phrase, text, re.IGNORECASE)
            if found:
                return found.group(0)
        return None


@dataclass(frozen=True)
class Pair:
    """Two claims that cannot both be said; `why` says it in words for the readiness list."""

    a: Side
    b: Side
    why: str
    wording: bool = False


@dataclass(frozen=True)
class Contradiction:
    """A pair whose two sides both hold in an organization's data."""

    pair: Pair

    @property
    def message(self) -> str:
        return (
            f"The profile and the answers say both that {self.pair.a.says} and that {self.pair.b.says}: {self.pair.why}"
        )


ORG_PAYS = "The organization pays all provider fees; free for the complainant"
SMALL_FEE = "The complainant pays a small fixed fee, the organization the rest"
OWN_SHARE = "Each party pays its own share"
BINDS_US = "It binds us if the complainant accepts it; the complainant may reject it and go to court"
BINDS_BOTH = "It binds both sides; neither may take the same dispute to court afterwards"
BINDS_NEITHER = "It binds neither side; it is a recommendation"
BINDING_METHOD = "Binding decision by the provider (determinative)"
PHONE_FREE = "Free to call from landlines and mobiles"
PHONE_STANDARD = "The same as a call to a standard landline number"
PHONE_HIGHER = "More than a call to a standard landline number"
FUNDED_BY_SCHEME = "By the organizations in its scheme, ourselves included, through fees that do not depend on outcomes"
FUNDED_BY_US = "By us, through a fee per case that does not depend on the outcome"
FUNDED_PUBLICLY = "From public funds, with no payment from us"


def _side(side_id: str, says: str, *when: tuple[Condition, ...], phrases: Sequence[str] = ()) -> Side:
    return Side(side_id, says, tuple(when), tuple(phrases))


EDR_FREE = _side(
    "edr.free",
    "external dispute resolution costs the complainant nothing",
    (FactIs("edr.fees_paid_by", (ORG_PAYS,)),),
    phrases=(r"\bcosts? (you|the complainant|complainants) nothing\b", r"\bat no cost to (you|the complainant)\b"),
)
EDR_COMPLAINANT_PAYS = _side(
    "edr.complainant_pays",
    "the complainant pays part of the provider's fees",
    (FactIs("edr.fees_paid_by", (SMALL_FEE, OWN_SHARE)),),
    phrases=(r"\byou pay a fee\b", r"\bpays? (its|their|your) own share\b"),
)
EDR_NOMINAL = _side(
    "edr.nominal",
    "external dispute resolution is free for complainants or costs them at most a nominal fee",
    (Practice("10003-4.7-a"),),
    phrases=(r"\bfree for complainants or costs? them at most a (small|nominal) fee\b",),
)
EDR_OWN_SHARE = _side(
    "edr.own_share",
    "each party pays its own share of the provider's fees",
    (FactIs("edr.fees_paid_by", (OWN_SHARE,)),),
    phrases=(r"\bpays? (its|their|your) own share\b",),
)
EDR_NO_FUNDING_LINK = _side(
    "edr.no_funding_link",
    "the provider receives no money from the organization",
    (FactIs("edr.funding", (FUNDED_PUBLICLY,)),),
    phrases=(r"\bno (funding|financial)\b[^.]{0,40}\blink\b", r"\breceives no (money|payment|funding) from us\b"),
)
EDR_WE_PAY_PROVIDER = _side(
    "edr.we_pay_provider",
    "the organization pays the provider",
    (FactIs("edr.fees_paid_by", (ORG_PAYS, SMALL_FEE, OWN_SHARE)),),
    (FactIs("edr.funding", (FUNDED_BY_SCHEME, FUNDED_BY_US)),),
    phrases=(r"\bwe pay (all |the rest of )?the provider'?s fees\b", r"\bis funded by\b[^.]*\b(ourselves|us)\b"),
)
EDR_BINDS_US = _side(
    "edr.binds_us",
    "the provider's outcome binds the organization",
    (FactIs("edr.binding", (BINDS_US, BINDS_BOTH)),),
    (FactIs("edr.methods", (BINDING_METHOD,)),),
    phrases=(r"\bmakes a decision that binds us\b", r"\bbinding on us\b", r"\bbinds both you and us\b"),
)
EDR_ACCEPT_CASE_BY_CASE = _side(
    "edr.accept_case_by_case",
    "the organization decides case by case whether to accept an outcome",
    (FactIs("edr.accept_outcomes", ("No, decided case by case", "Yes, up to a set amount")),),
    phrases=(r"\bcase by case whether to accept\b",),
)
EDR_BINDING_METHOD = _side(
    "edr.binding_method",
    "the provider makes binding decisions",
    (FactIs("edr.methods", (BINDING_METHOD,)),),
    phrases=(r"\bmakes? a binding decision\b",),
)
EDR_BINDS_NEITHER = _side(
    "edr.binds_neither",
    "the provider's outcome binds neither side",
    (FactIs("edr.binding", (BINDS_NEITHER,)),),
    phrases=(r"\bbinds neither side\b",),
)
EDR_ALWAYS_TAKE_PART = _side(
    "edr.always_take_part",
    "the organization takes part in every eligible dispute",
    (FactIs("edr.commit_participate", ("Yes",)),),
    (Practice("10003-4.2-a"),),
    phrases=(r"\btake part (in every eligible dispute|whenever)\b",),
)
EDR_PARTICIPATION_CASE_BY_CASE = _side(
    "edr.participation_case_by_case",
    "the organization decides case by case whether to take part",
    (FactIs("edr.commit_participate", ("No, decided case by case",)),),
    phrases=(r"\bcase by case whether to take part\b",),
)
EDR_EARLY_ROUTE = _side(
    "edr.early_route",
    "complainants may go to external resolution before the internal process ends",
    (Practice("10003-7.2-c"),),
    (FactIs("edr.early_referral", ("Yes",)),),
    phrases=(r"\bweeks after you (first )?complained\b",),
)
EDR_ONLY_AFTER_END = _side(
    "edr.only_after_end",
    "complainants may go to external resolution only once the internal process has ended",
    (FactIs("edr.early_referral", ("No",)),),
    phrases=(r"\bonly once our complaints procedure has ended\b",),
)
PHONE_IS_FREE = _side(
    "complaints.phone_free",
    "a call to the complaints number is free",
    (FactIs("complaints.phone_cost", (PHONE_FREE,)),),
    phrases=(r"\bfree of charge\b", r"\bfree to call\b", r"\bfreephone\b"),
)
PHONE_COSTS = _side(
    "complaints.phone_costs",
    "a call to the complaints number costs the caller",
    (FactIs("complaints.phone_cost", (PHONE_STANDARD, PHONE_HIGHER)),),
    phrases=(r"\bcosts? (the same as|more than) a call to a standard landline\b",),
)
NO_PREMIUM_LINE = _side(
    "complaints.no_premium_line",
    "complaining costs nothing and no premium-rate line is used",
    (Practice("10002-4.8-a"),),
    phrases=(r"\bno premium[- ]rate\b",),
)
PHONE_HIGHER_RATE = _side(
    "complaints.phone_higher_rate",
    "a call to the complaints number costs more than a standard call",
    (FactIs("complaints.phone_cost", (PHONE_HIGHER,)),),
    phrases=(r"\bcosts? more than a call to a standard landline\b",),
)
EVERY_PROMISE_MEASURED = _side(
    "code.every_promise_measured",
    "every promise of the code has a performance indicator",
    (Practice("10001-6.5-a"),),
    phrases=(r"\bevery promise (below )?has (at least one |an? )?(performance )?indicator\b",),
)
PROMISE_WITHOUT_INDICATOR = _side(
    "code.promise_without_indicator",
    "a promise of the code has no performance indicator",
    (RowsLack("code.promises", "indicator"),),
    phrases=(r"\[performance indicator\]",),
)
EVERY_INDICATOR_HAS_TARGET = _side(
    "code.every_target_set",
    "every indicator of the code has a numerical target",
    (Practice("10001-6.5-b"),),
    phrases=(r"\bevery indicator has a numerical target\b",),
)
PROMISE_WITHOUT_TARGET = _side(
    "code.promise_without_target",
    "a promise of the code has no target",
    (RowsLack("code.promises", "target"),),
    phrases=(r"\[target\]",),
)
ONLY_FOR_THE_COMPLAINT = _side(
    "privacy.only_for_the_complaint",
    "personal information is used for nothing but handling the complaint",
    (Practice("10002-4.10-a"),),
    phrases=(r"\bonly to (handle|deal with) (your|the|their) complaint\b",),
)
USED_TO_LEARN = _side(
    "privacy.used_to_learn",
    "complaint information is also used for surveys, analysis and published figures",
    (Practice("10002-8.3-a"),),
    (Practice("10002-8.2-a"),),
    (Practice("10002-4.12-c"),),
    phrases=(r"\bhow satisfied you were\b", r"\banaly[sz]e\b", r"\bpublish\b"),
)
AT_MOST_TWO_STAGES = _side(
    "complaints.two_stages",
    "the internal process has at most two stages",
    (Practice("10002-6.3-i"),),
    phrases=(r"\bat most two (internal )?stages\b",),
)
MORE_THAN_TWO_STAGES = _side(
    "complaints.more_stages",
    "the profile lists more than two internal stages",
    (RowsOver("complaints.escalation_levels", 2),),
)
FIRST_STAGE_TIME = _side(
    "complaints.first_stage_time",
    "the first stage's time target is the normal response time",
    (FactSet("complaints.resolution_days"),),
)
FIRST_STAGE_OTHER_TIME = _side(
    "complaints.first_stage_other_time",
    "the first stage in the list of stages has another time target",
    (FirstRowNumberDiffers("complaints.escalation_levels", "time_target", "complaints.resolution_days"),),
)
OMBUDSMAN_FIRST = _side(
    "edr.ombudsman_first",
    "complainants must go to the complaints body before the provider",
    (FactIs("edr.needs_ombudsman_first", ("Yes",)),),
)
NO_OMBUDSMAN = _side(
    "edr.no_ombudsman",
    "no complaints body is named besides the provider",
    (FactMissing("complaints.ombudsman_name"),),
)

CONSISTENCY: tuple[Pair, ...] = (
    Pair(EDR_FREE, EDR_COMPLAINANT_PAYS, "external resolution cannot be both free and paid for by the complainant"),
    Pair(EDR_NOMINAL, EDR_OWN_SHARE, "a share of the provider's fees is more than a nominal fee"),
    Pair(EDR_NO_FUNDING_LINK, EDR_WE_PAY_PROVIDER, "a provider we pay has a funding link with us"),
    Pair(EDR_BINDS_US, EDR_ACCEPT_CASE_BY_CASE, "an outcome that binds us is not ours to accept case by case"),
    Pair(EDR_BINDING_METHOD, EDR_BINDS_NEITHER, "a binding decision cannot bind neither side"),
    Pair(EDR_ALWAYS_TAKE_PART, EDR_PARTICIPATION_CASE_BY_CASE, "taking part always is not deciding case by case"),
    Pair(
        EDR_EARLY_ROUTE,
        EDR_ONLY_AFTER_END,
        "an early route to the provider contradicts waiting for the end of our procedure",
    ),
    Pair(PHONE_IS_FREE, PHONE_COSTS, "a call cannot be free and cost the caller"),
    Pair(NO_PREMIUM_LINE, PHONE_HIGHER_RATE, "a number that costs more than a standard call is a premium-rate line"),
    Pair(EVERY_PROMISE_MEASURED, PROMISE_WITHOUT_INDICATOR, "the list of promises has one without an indicator"),
    Pair(EVERY_INDICATOR_HAS_TARGET, PROMISE_WITHOUT_TARGET, "the list of promises has one without a target"),
    Pair(
        ONLY_FOR_THE_COMPLAINT,
        USED_TO_LEARN,
        "information used for surveys, analysis and published figures is not used only for the complaint",
        wording=True,
    ),
    Pair(AT_MOST_TWO_STAGES, MORE_THAN_TWO_STAGES, "the stages listed in the profile are more than two"),
    Pair(FIRST_STAGE_TIME, FIRST_STAGE_OTHER_TIME, "the documents would give two different first-stage times"),
    Pair(OMBUDSMAN_FIRST, NO_OMBUDSMAN, "the complaints body to go to first is not named"),
)
"""Every pair of claims that cannot both be said."""

SIDES: dict[str, Side] = {side.id: side for pair in CONSISTENCY for side in (pair.a, pair.b)}


def contradictions(facts: Mapping[str, Any], in_place: InPlace) -> tuple[Contradiction, ...]:
    """Return every pair (not a wording pair) whose two sides both hold in the data, in table order."""
    return tuple(
        Contradiction(pair)
        for pair in CONSISTENCY
        if not pair.wording and pair.a.holds(facts, in_place) and pair.b.holds(facts, in_place)
    )


def contradicted(side_id: str, facts: Mapping[str, Any], in_place: InPlace) -> bool:
    """Return whether a claim it is paired with (other than through a wording pair) holds in the
    data, so that a document must not make this one. Raises KeyError for an unknown side."""
    side = SIDES[side_id]
    for pair in CONSISTENCY:
        if pair.wording:
            continue
        other = pair.b if pair.a is side else pair.a if pair.b is side else None
        if other is not None and other.holds(facts, in_place):
            return True
    return False


def may_say(side_id: str, facts: Mapping[str, Any], in_place: InPlace) -> bool:
    """Return whether a document may make this claim: the data makes it, and no claim it is paired
    with (other than through a wording pair) holds too. Raises KeyError for an unknown side."""
    return SIDES[side_id].holds(facts, in_place) and not contradicted(side_id, facts, in_place)


def facts_of(side_id: str) -> set[str]:
    """Return the profile facts whose values decide a claim or the claims paired with it."""
    side = SIDES[side_id]
    sides = [side] + [p.b if p.a is side else p.a for p in CONSISTENCY if side in (p.a, p.b) and not p.wording]
    names = (getattr(c, "fact", None) for s in sides for group in s.when for c in group)
    return {name for name in names if isinstance(name, str)}


def said_both(text: str) -> list[tuple[Pair, str, str]]:
    """Return each pair both of whose sides a document's text makes, with the passages that do."""
    found = []
    for pair in CONSISTENCY:
        a, b = pair.a.said_in(text), pair.b.said_in(text)
        if a is not None and b is not None:
            found.append((pair, a, b))
    return found

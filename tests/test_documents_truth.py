"""The truth rules and the consistency table: a document writes a practice as done only when the
assessment found it in place, otherwise as a dated commitment or not at all; it never says both
sides of a pair of claims; readiness says all of it without writing a document."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
import re
import sys
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assess.core.answers import NOT_APPLICABLE, UNKNOWN, Action, Answer, Assessment, Organization
from assess.core.questionnaire import QuestionnaireError
from assess.core.truth import (
    COMMIT,
    CONSISTENCY,
    OMIT,
    FactIs,
    FactMissing,
    FactSet,
    FirstRowNumberDiffers,
    Practice,
    RowsLack,
    RowsOver,
    Side,
    contradictions,
    may_say,
    said_both,
    unproven_fact,
)
from assess.documents import readiness, readiness_all, render_html
from assess.documents.prepare import prepare
from assess.documents.tree import parse_markdown, text_of
from assess.documents.wording import SECTOR_VOCABULARY, WORDS
from assess.formats.example import FULL_PROFILE, example_organization
from assess.formats.questionnaires import load_profile

DAY = dt.date(2026, 11, 25)
POLICIES = ("code-of-conduct", "complaints-procedure", "dispute-resolution-policy")
QUESTIONNAIRES = ("iso10001-2018", "iso10002-2018", "iso10003-2018")


def organization(bank, answers: dict[str, Any] | None = None, profile=None, actions=(), unproven=None) -> Organization:
    """An organization with every practice in place, except the answers given."""
    answers = answers or {}
    facts = dict(FULL_PROFILE if profile is None else profile)
    if unproven:
        for document in POLICIES:
            facts[unproven_fact(document)] = unproven
    assessments = []
    for qid in QUESTIONNAIRES:
        given_answers = {q.id: Answer(4) for q in bank.questionnaire(qid).questions}
        for question, value in answers.items():
            if bank.questionnaire(qid).has_question(question):
                if value is None:
                    given_answers.pop(question, None)
                else:
                    given_answers[question] = value if isinstance(value, Answer) else Answer(value, reason="n/a here")
        assessments.append(Assessment(qid, "Round 1", answers=given_answers))
    return Organization("Acme Water", profile=facts, assessments=tuple(assessments), actions=tuple(actions))


def text(bank, org, document: str) -> str:
    """Return the whole text of the document as written (cover and body), one block per line."""
    prepared = prepare(bank, org, document, True, DAY, None)
    lines = [prepared.meta.title, *(f"{c.label} {c.value}" for c in prepared.meta.details), *prepared.meta.notes]
    for element in prepared.tree:
        lines.append(" ".join(text_of(element).split()))
    return "\n".join(lines)


def plain(markdown: str) -> str:
    return " ".join(text_of(parse_markdown(markdown + "\n")).split())


AUDIT = "The complaints-handling process is audited every year as part of our internal audit programme."
AUDIT_PROMISE = "We will audit the complaints-handling process every year as part of our internal audit programme."
ACTION = Action("iso10002-2018", "10002-8.5-a", "8.5", "Audit yearly", 6, "Amira Haddad", "2027-03-31", "open", 0)


# --- the truth rules, one by one ----------------------------------------------------------------------


def test_a_practice_in_place_is_written_as_a_fact(bank):
    org = organization(bank)
    assert AUDIT in text(bank, org, "complaints-procedure")
    assert readiness(bank, org, "complaints-procedure").rewritten == ()


def test_a_fact_below_target_becomes_its_commitment_with_the_actions_owner_and_due_date(bank):
    org = organization(bank, {"10002-8.5-a": 1}, actions=[ACTION])
    written = text(bank, org, "complaints-procedure")
    assert AUDIT not in written
    assert f"{AUDIT_PROMISE} This will be in place by 31 March 2027; responsible: Amira Haddad." in written
    statement = next(s for s in readiness(bank, org, "complaints-procedure").rewritten if "10002-8.5-a" in s.practices)
    assert (statement.due, statement.owner, statement.unproven) == ("2027-03-31", "Amira Haddad", ("10002-8.5-a",))
    assert statement.reason == "written as a commitment: 10002-8.5-a level 1 against target 3"


def test_a_gap_without_an_action_gets_placeholders_and_is_listed_as_unplanned(bank):
    org = organization(bank, {"10002-8.5-a": 0})
    written = text(bank, org, "complaints-procedure")
    assert (
        f"{AUDIT_PROMISE} This will be in place by [due date from the action plan]; responsible: [action owner]."
        in written
    )
    assert [p.question for p in readiness(bank, org, "complaints-procedure").unplanned] == ["10002-8.5-a"]


def test_a_practice_not_confirmed_is_written_as_a_commitment_being_confirmed(bank):
    org = organization(bank, {"10002-8.2-b": UNKNOWN})
    root_cause = "We will carry out a root-cause analysis of serious or recurring complaints."
    assert f"{root_cause} We are confirming that this is in place." in text(bank, org, "complaints-procedure")
    audit = text(bank, organization(bank, {"10002-8.5-a": UNKNOWN}), "complaints-procedure")
    paragraph = next(line for line in audit.splitlines() if line.startswith(AUDIT_PROMISE))
    assert paragraph.endswith("We are confirming that these are in place.")  # 8.5-b and c were not asked either


def test_the_document_may_leave_unproven_practices_out_instead(bank):
    org = organization(bank, {"10002-8.5-a": 1}, actions=[ACTION], unproven=OMIT)
    written = text(bank, org, "complaints-procedure")
    assert AUDIT not in written and AUDIT_PROMISE not in written
    left = readiness(bank, org, "complaints-procedure").left_out
    assert [s.reason for s in left if "10002-8.5-a" in s.practices] == [
        "left out: 10002-8.5-a level 1 against target 3"
    ]
    assert "Practices the assessment did not find in place are left out." in written


@pytest.mark.parametrize("unproven", [COMMIT, OMIT])
def test_a_practice_marked_not_applicable_is_never_written_about(bank, unproven):
    org = organization(bank, {"10002-8.5-a": NOT_APPLICABLE}, unproven=unproven)
    written = text(bank, org, "complaints-procedure")
    assert AUDIT not in written and AUDIT_PROMISE not in written
    left = [s for s in readiness(bank, org, "complaints-procedure").left_out if "10002-8.5-a" in s.practices]
    assert left and left[0].reason == "left out: 10002-8.5-a marked not applicable"


def test_a_commitment_not_yet_met_says_when_it_will_be(bank):
    action = dataclasses.replace(ACTION, question="10002-4.11-b", clause="4.11")
    org = organization(bank, {"10002-4.11-b": 2}, actions=[action])
    assert (
        "You will not be treated any less well because you complained. This will be in place by 31 March 2027"
        in text(bank, org, "complaints-procedure")
    )


def test_notes_of_commitments_in_one_paragraph_with_the_same_action_are_said_once(bank):
    actions = [
        dataclasses.replace(ACTION, question=q, clause="6.3") for q in ("10002-6.3-f", "10002-6.3-g", "10002-6.3-h")
    ]
    org = organization(bank, {"10002-6.3-f": 1, "10002-6.3-g": 1, "10002-6.3-h": 1}, actions=actions)
    written = text(bank, org, "complaints-procedure")
    paragraph = next(line for line in written.splitlines() if "restrict contact" in line)
    assert paragraph.count("will be in place by 31 March 2027") == 1
    assert paragraph.endswith("These will be in place by 31 March 2027; responsible: Amira Haddad.")


def test_a_standard_never_assessed_is_said_as_such_not_as_gaps(bank):
    org = dataclasses.replace(organization(bank), assessments=organization(bank).assessments[1:])  # no ISO 10001
    ready = readiness(bank, org, "code-of-conduct")
    assert ready.not_assessed == ("ISO 10001:2018",)
    assert ready.below_target == () and ready.unplanned == ()
    assert "There is no self-assessment against ISO 10001:2018 yet" in text(bank, org, "code-of-conduct")
    assert readiness(bank, org, "complaints-procedure").not_assessed == ()


def test_readiness_evaluates_the_templates_without_writing_or_parsing_them(bank, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("readiness must not build a document")

    monkeypatch.setattr(sys.modules["assess.documents.prepare"], "build_tree", refuse)
    monkeypatch.setattr(sys.modules["assess.documents"], "write_docx", refuse)
    org = example_organization(bank, actions=True)
    found = readiness_all(bank, org)
    assert set(found) == {"code-of-conduct", "complaints-procedure", "dispute-resolution-policy", "gap-report"}
    assert found["complaints-procedure"].rewritten


@pytest.mark.parametrize("profile", ["full", "partial", "empty"])
@pytest.mark.parametrize("document", POLICIES)
def test_readiness_lists_exactly_the_placeholders_the_document_shows(bank, profile, document):
    org = example_organization(bank, profile=profile, actions=True)
    written = text(bank, org, document)
    ready = readiness(bank, org, document)
    for fact in ready.missing_facts:
        assert fact.placeholder_text in written or any(f"[{field.text.lower()}]" in written for field in fact.fields), (
            fact.id
        )
    shown = set(re.findall(r"\[[^\[\]]+\]", written)) - {"[due date from the action plan]", "[action owner]"}
    expected = {f.placeholder_text for f in ready.missing_facts}
    expected |= {f"[{field.text.lower()}]" for fact in bank.profile.facts for field in fact.fields}
    assert {s for s in shown if not s.startswith("[when ") and not s.startswith("[who ")} <= expected


# --- the profile's defaults and per-document facts -------------------------------------------------------


def test_a_fact_left_empty_is_written_with_its_default_and_readiness_says_so(bank):
    profile = {k: v for k, v in FULL_PROFILE.items() if k != "complaints.update_days"}
    org = organization(bank, profile=profile)
    assert "at least every 10 working days" in text(bank, org, "complaints-procedure")
    assert "complaints.update_days" in {f.id for f in readiness(bank, org, "complaints-procedure").defaulted}
    again = organization(bank, profile={**profile, "complaints.update_days": 5})
    assert "at least every 5 working days" in text(bank, again, "complaints-procedure")
    assert bank.profile.fact("complaints.update_days").guidance.endswith("Left empty, the documents say: 10.")


def test_each_document_may_have_its_own_version_falling_back_to_the_organizations(bank):
    org = organization(bank, profile={**FULL_PROFILE, "documents.code_of_conduct.version": "2.3"})
    code = prepare(bank, org, "code-of-conduct", True, DAY, None).meta
    complaints = prepare(bank, org, "complaints-procedure", True, DAY, None).meta
    assert (code.version, complaints.version) == ("2.3", "1.0")


def test_a_bad_default_in_profile_yaml_is_refused_with_its_path(tmp_path):
    path = tmp_path / "profile.yaml"
    path.write_text(
        "sections:\n  - title: S\n    facts:\n      - id: a.b\n        text: N\n        type: number\n"
        "        max: 5\n        default: 9\n",
        encoding="utf-8",
    )
    with pytest.raises(QuestionnaireError, match=r"sections\[0\]\.facts\[0\]\.default: must be a number from 0 to 5"):
        load_profile(path)


@pytest.mark.parametrize(
    ("sector", "words"),
    [
        ("Retail and e-commerce", "after a purchase, a delivery or a call"),
        ("Utilities (water, energy, telecoms)", "after a repair visit"),
    ],
)
def test_the_sector_chooses_the_examples(bank, sector, words):
    org = organization(bank, profile={**FULL_PROFILE, "org.sector": sector})
    assert words in text(bank, org, "complaints-procedure")


def test_every_sector_has_every_word(bank):
    keys = {frozenset(words) for words in WORDS.values()}
    assert len(keys) == 1
    assert set(SECTOR_VOCABULARY) == set(bank.profile.fact("org.sector").choices)


# --- the consistency table -------------------------------------------------------------------------------


def sample(fact) -> Any:
    return {
        "number": 10,
        "choice": fact.choices[0] if fact.choices else "x",
        "multichoice": list(fact.choices[:1]),
        "date": "2026-12-01",
        "email": "a@example.org",
        "url": "https://example.org",
        "list": [{f.id: "x" for f in fact.fields}],
    }.get(fact.type, "Something")


def make_hold(bank, side: Side, profile: dict[str, Any], answers: dict[str, Any]) -> None:
    """Change the data so that the first group of a side's conditions holds."""
    for condition in side.when[0]:
        if isinstance(condition, FactIs):
            fact = bank.profile.fact(condition.fact)
            profile[condition.fact] = [condition.values[0]] if fact.type == "multichoice" else condition.values[0]
        elif isinstance(condition, FactSet):
            profile.setdefault(condition.fact, sample(bank.profile.fact(condition.fact)))
        elif isinstance(condition, FactMissing):
            profile.pop(condition.fact, None)
        elif isinstance(condition, Practice):
            answers[condition.practice] = 4
        elif isinstance(condition, RowsLack):
            fields = [f.id for f in bank.profile.fact(condition.fact).fields]
            profile[condition.fact] = [{f: ("" if f == condition.field else "Something") for f in fields}]
        elif isinstance(condition, RowsOver):
            row = {f.id: "Something" for f in bank.profile.fact(condition.fact).fields}
            profile[condition.fact] = [row] * (condition.count + 1)
        elif isinstance(condition, FirstRowNumberDiffers):
            row = {f.id: "Something" for f in bank.profile.fact(condition.fact).fields}
            profile[condition.fact] = [{**row, condition.field: "99 working days"}]
            profile[condition.number] = 10


@pytest.mark.parametrize("pair", CONSISTENCY, ids=lambda p: f"{p.a.id}|{p.b.id}")
def test_no_document_says_both_sides_of_a_pair_and_readiness_names_the_contradiction(bank, pair):
    profile, answers = dict(FULL_PROFILE), {}
    make_hold(bank, pair.a, profile, answers)
    make_hold(bank, pair.b, profile, answers)
    org = organization(bank, answers, profile=profile)
    book = prepare(bank, org, "complaints-procedure", True, DAY, None).evaluated.book
    values = {**{f.id: f.default for f in bank.profile.facts if f.default is not None}, **profile}
    both = pair.a.holds(values, book.in_place) and pair.b.holds(values, book.in_place)
    if pair.wording:
        assert both, "a wording pair holds together"
    elif both:
        assert pair in [c.pair for c in contradictions(values, book.in_place)]
        assert not may_say(pair.a.id, values, book.in_place) and not may_say(pair.b.id, values, book.in_place)
        named = [c.pair for d in POLICIES for c in readiness(bank, org, d).contradictions]
        assert pair in named, "some document's readiness names the contradiction"
    else:
        assert pair.a.holds(values, book.in_place) != pair.b.holds(values, book.in_place), "one fact decides both"
    for document in POLICIES:
        assert [p for p, *_ in said_both(text(bank, org, document))] == [], document


def test_the_example_contradicts_itself_nowhere(bank):
    org = example_organization(bank, actions=True)
    assert {d: r.contradictions for d, r in readiness_all(bank, org).items()} == {
        d: () for d in readiness_all(bank, org)
    }


def test_the_three_policies_give_the_same_route_times_and_contacts(bank):
    org = example_organization(bank, actions=True)
    routes = []
    for document in POLICIES:
        tree = prepare(bank, org, document, True, DAY, None).tree
        table = next(t for t in tree.iter("table") if text_of(t).startswith("Where to go"))
        routes.append(" ".join(text_of(table).split()))
    assert routes[0] == routes[1] == routes[2]
    assert "Water Redress Scheme (WATRS)" in routes[0] and "within 6 months" in routes[0]
    sentences = [text(bank, org, d) for d in POLICIES]
    only_after = "You can go to the Water Redress Scheme (WATRS) only once our complaints procedure has ended"
    assert all(only_after in s for s in sentences)


def test_an_early_route_appears_in_every_policy_when_the_profile_offers_one(bank):
    profile = {**FULL_PROFILE, "edr.early_referral": "Yes", "edr.early_weeks": 8, "edr.needs_ombudsman_first": "No"}
    org = organization(bank, profile=profile)
    for document in POLICIES:
        assert "8 weeks after you first complained" in text(bank, org, document), document


# --- the property: whatever the profile and the answers -----------------------------------------------------

CHOICE_FACTS = sorted(
    {
        c.fact
        for pair in CONSISTENCY
        for side in (pair.a, pair.b)
        for group in side.when
        for c in group
        if isinstance(c, FactIs)
    }
    | {"edr.accept_outcomes", "edr.limitation", "edr.offer_open", "complaints.representatives", "complaints.anonymous"}
)
VALUES = (0, 1, 2, 3, 4, 4, UNKNOWN, NOT_APPLICABLE, None)


@st.composite
def organizations(draw, bank):
    profile = dict(FULL_PROFILE)
    for fact_id in CHOICE_FACTS:
        fact = bank.profile.fact(fact_id)
        choice = draw(st.sampled_from((None, *fact.choices)))
        if choice is None:
            profile.pop(fact_id, None)
        else:
            profile[fact_id] = [choice] if fact.type == "multichoice" else choice
    dropped = draw(st.sets(st.sampled_from(sorted(FULL_PROFILE)), max_size=12))
    for fact_id in dropped:
        profile.pop(fact_id, None)
    if draw(st.booleans()):
        promises = [dict(p) for p in FULL_PROFILE["code.promises"]]
        promises[0]["indicator"] = ""
        profile["code.promises"] = promises
    questions = [q for qid in QUESTIONNAIRES for q in bank.questionnaire(qid).questions]
    rng = random.Random(draw(st.integers(0, 2**32 - 1)))  # the answers come from one drawn seed
    weights = draw(st.lists(st.integers(0, 4), min_size=len(VALUES), max_size=len(VALUES)))
    answers = {}
    for question in questions:
        value = rng.choices(VALUES, weights=[w + 0.01 for w in weights])[0]
        if value == NOT_APPLICABLE and not question.allow_na:
            value = 1
        answers[question.id] = value
    share_planned = draw(st.floats(0, 1))
    planned = {q.id for q in questions if rng.random() < share_planned}
    actions = [
        Action(qid, q.id, q.clause_ref, "Do it", 6, "Sam Lee", "2027-06-30")
        for qid in QUESTIONNAIRES
        for q in bank.questionnaire(qid).questions
        if q.id in planned
    ]
    return organization(bank, answers, profile=profile, actions=actions, unproven=draw(st.sampled_from((COMMIT, OMIT))))


# No example database: the drawn data describe whole organizations, and an example stored by an
# older version of the templates or the strategy replays as a different organization.
@settings(
    max_examples=25,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_no_document_states_an_unproven_practice_as_done_or_says_both_sides_of_a_pair(bank, data):
    org = data.draw(organizations(bank))
    for document in POLICIES:
        prepared = prepare(bank, org, document, True, DAY, None)
        written = text(bank, org, document)
        assert said_both(written) == [], document
        book = prepared.evaluated.book
        for statement in prepared.evaluated.statements.statements:
            if statement.written == "fact":
                assert all(book.status(q).in_place for q in statement.practices), statement
            elif statement.fact_form:
                fact = plain(statement.fact_form)
                assert fact not in written, (document, statement.practices, fact)


def test_the_preview_and_the_tree_agree_on_what_is_said(bank):
    org = organization(bank, {"10002-8.5-a": 1}, actions=[ACTION])
    preview = render_html(bank, org, "complaints-procedure", today=DAY)
    assert AUDIT_PROMISE in preview and AUDIT not in preview

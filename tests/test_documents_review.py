"""Review findings on the documents: each sentence they print is one the data supports (the cover,
the gap report's plan, the steps table, the final letter), and the machinery reads it once."""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib

import pytest

from assess.core.answers import Action
from assess.documents import readiness
from assess.documents.prepare import prepare
from assess.documents.report import Plan
from assess.formats.example import FULL_PROFILE, example_organization
from tests.test_documents_truth import ACTION, AUDIT_PROMISE, organization, text

DAY = dt.date(2026, 11, 25)
POLICIES = ("code-of-conduct", "complaints-procedure", "dispute-resolution-policy")
EACH = "written as commitments, each with the date and owner of its action in the action plan."
WHERE = "written as commitments, with the date and owner of their action where the action plan has one."


def cover(bank, org, document: str) -> str:
    return " ".join(prepare(bank, org, document, True, DAY, None).meta.notes)


def test_the_cover_promises_a_date_and_owner_for_each_commitment_only_when_each_has_both(bank):
    for actions in (False, True):
        org = example_organization(bank, actions=actions)
        for document in POLICIES:
            prepared = prepare(bank, org, document, True, DAY, None)
            rewritten = prepared.evaluated.statements.rewritten()
            notes = " ".join(prepared.meta.notes)
            assert rewritten
            if all(s.due and s.owner for s in rewritten):
                assert EACH in notes and WHERE not in notes
            else:
                assert WHERE in notes and EACH not in notes
    without = example_organization(bank, actions=False)
    assert all(WHERE in cover(bank, without, d) for d in POLICIES)


def test_the_cover_says_each_commitment_has_its_date_and_owner_when_each_does(bank):
    org = organization(bank, {"10002-8.5-a": 1}, actions=[ACTION])
    rewritten = prepare(bank, org, "complaints-procedure", True, DAY, None).evaluated.statements.rewritten()
    assert rewritten and all(s.due and s.owner for s in rewritten)
    assert EACH in cover(bank, org, "complaints-procedure")


# --- the gap report's plan in one sentence --------------------------------------------------------------


def test_the_plan_summary_is_grammatical_and_true_for_no_gap_and_one_gap():
    late = Action("iso10002-2018", "10002-8.5-a", "8.5", "Audit yearly", 6, "Amira Haddad", "2026-01-31", "open", 0)
    empty, planned = Plan((), DAY), Plan((late,), DAY)
    assert empty.summary(0, 0) == "There is no gap to plan an action for."
    assert empty.summary(1, 0) == "There is no action plan yet: the one gap has no owner or date."
    assert empty.summary(3, 0) == "There is no action plan yet: none of the 3 gaps has an owner or a date."
    assert planned.summary(1, 0) == "1 action: 0 done, 0 in progress, 1 overdue. The one gap has no action yet."
    assert planned.summary(1, 1) == "1 action: 0 done, 0 in progress, 1 overdue."
    assert planned.summary(3, 2) == "1 action: 0 done, 0 in progress, 1 overdue. 1 of the 3 gaps has no action yet."
    for summary in (empty.summary(g, 0) for g in (0, 1)):
        assert "0 gaps" not in summary and "1 gaps" not in summary


# --- the steps table of the complaints procedure ---------------------------------------------------------


def review_step(written: str) -> str | None:
    """Return the cells of the steps table's review row, or None when it has none (the text gives a
    table's cells run together)."""
    table = next(line for line in written.splitlines() if line.startswith("StepResponsibleTime"))
    if "Review, if asked" not in table:
        return None
    return table.split("Review, if asked", 1)[1].split("Close", 1)[0]


def test_with_one_internal_stage_the_steps_table_has_no_review_row_rather_than_the_stage_list(bank):
    stages = FULL_PROFILE["complaints.escalation_levels"]
    one_stage = dict(FULL_PROFILE, **{"complaints.escalation_levels": stages[:1]})
    written = text(bank, organization(bank, profile=one_stage), "complaints-procedure")
    assert review_step(written) is None
    table = next(line for line in written.splitlines() if line.startswith("StepResponsibleTime"))
    assert table.endswith("CloseThe complaint ownerWhen the remedy is done") and "Stage 1" not in table
    assert review_step(text(bank, organization(bank), "complaints-procedure")) == (
        f"{stages[1]['handled_by']}{stages[1]['time_target']}"
    )
    missing = {k: v for k, v in FULL_PROFILE.items() if k != "complaints.escalation_levels"}
    assert review_step(text(bank, organization(bank, profile=missing), "complaints-procedure")) == (
        "A manager who took no part in the first response[internal stages]"
    )


# --- the final letter and the dispute-resolution policy on taking part -----------------------------------

DISAGREE = "[whether we take part in every dispute: the profile and the answers disagree]"
CASE_BY_CASE = "We decide case by case whether to take part"


def taking_part(written: str) -> str:
    """Return what the final letter's list says about taking part."""
    letter = next(line for line in written.splitlines() if line.startswith("whether we take part"))
    return letter.split(": ", 1)[1].split(";", 1)[0]


@pytest.mark.parametrize(
    ("committed", "answers", "letter", "policy"),
    [
        ("Yes", {}, "we always do", "We have decided in advance to take part"),
        ("No, decided case by case", {"10003-4.2-a": 1}, "our decision, with the reasons for it", CASE_BY_CASE),
        # the profile says case by case, the assessment found the advance commitment in place
        ("No, decided case by case", {}, DISAGREE, DISAGREE),
        # no profile answer, but the assessment found the advance commitment in place
        (None, {}, "we always do", "We have decided in advance to take part"),
    ],
)
def test_the_final_letter_says_what_the_policy_says_about_taking_part(bank, committed, answers, letter, policy):
    profile = {k: v for k, v in FULL_PROFILE.items() if k != "edr.commit_participate"}
    if committed:
        profile["edr.commit_participate"] = committed
    org = organization(bank, answers, profile=profile)
    written = text(bank, org, "dispute-resolution-policy")
    assert policy in written
    assert taking_part(written) == letter
    assert taking_part(text(bank, org, "complaints-procedure")) == letter


# --- the machinery reads once ------------------------------------------------------------------------


def test_the_passages_of_a_fact_score_the_assessments_once(bank, monkeypatch):
    from assess.documents import render_passages

    preparing = importlib.import_module("assess.documents.prepare")  # the package's `prepare` is the function

    made = []

    class Counted(preparing.PracticeBook):
        def __init__(self, *args):
            made.append(self)
            super().__init__(*args)

    org = organization(bank)
    before = render_passages(bank, org, "complaints-procedure", ["org.trading_name"], today=DAY)
    monkeypatch.setattr(preparing, "PracticeBook", Counted)
    assert render_passages(bank, org, "complaints-procedure", ["org.trading_name"], today=DAY) == before
    assert "Acme" in before or FULL_PROFILE["org.trading_name"] in before
    assert len(made) == 1


# --- one rule picks the action of a gap, for the policies and the gap report ------------------------------


def test_a_policy_dates_a_commitment_by_the_action_the_gap_report_shows_never_by_a_done_one(bank):
    done = dataclasses.replace(ACTION, owner="Old Owner", due="2027-06-30", status="done")
    org = organization(bank, {"10002-8.5-a": 1}, actions=[done, ACTION])
    written = text(bank, org, "complaints-procedure")
    assert f"{AUDIT_PROMISE} This will be in place by 31 March 2027; responsible: Amira Haddad." in written
    assert "Old Owner" not in written and "30 June 2027" not in written
    step = Plan(org.actions, DAY).step("iso10002-2018", "10002-8.5-a")
    assert step is not None and (step.owner, step.due) == ("Amira Haddad", "31 March 2027")
    # a done action on a practice still below target promises nothing: the date is still to plan
    past = dataclasses.replace(done, due="2025-01-31")
    alone = organization(bank, {"10002-8.5-a": 1}, actions=[past])
    written = text(bank, alone, "complaints-procedure")
    assert "31 January 2025" not in written and "Old Owner" not in written
    assert (
        f"{AUDIT_PROMISE} This will be in place by [due date from the action plan]; responsible: [action owner]."
        in written
    )
    assert [p.question for p in readiness(bank, alone, "complaints-procedure").unplanned] == ["10002-8.5-a"]

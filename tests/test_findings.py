"""Gaps apart from what is still to find out, in the order to act on them, and one story of the scales."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assess.core.findings import (
    WHO_MIGHT_KNOW,
    first_things_first,
    is_real_gap,
    real_gaps,
    to_find_out,
    who_might_know,
)
from assess.core.scoring import Gap, maturity_of, priority_band, score_assessment
from assess.core.vocabulary import (
    LEVELS,
    maturity_bands,
    priority_bands,
    scale_key,
    score_against_target,
    target_maturity,
    target_score,
)


def gap(question, value, priority, key=False):
    return Gap(question, "4.2", value, priority, "Do it", question, key, 1)


def test_a_dont_know_is_not_a_real_gap_but_stays_a_gap_of_the_scoring_contract(bank):
    questionnaire = bank.questionnaire("iso10002-2018")
    first, second, third = (q.id for q in questionnaire.questions[:3])
    result = score_assessment(questionnaire, {first: "unknown", second: 1, third: 4})
    assert {g.question for g in result.gaps} == {first, second}  # what `assess score --json` prints
    assert [g.question for g in real_gaps(result)] == [second]
    assert not is_real_gap(next(g for g in result.gaps if g.question == first))


def test_first_things_first_puts_essential_practices_furthest_below_target_first():
    gaps = [
        gap("a", 2, 9),  # not essential, high priority
        gap("b", 2, 2, key=True),  # essential, one level short
        gap("c", 0, 6, key=True),  # essential, three levels short
        gap("d", "unknown", 18, key=True),  # never ranked
        gap("e", 1, 4, key=True),  # essential, two levels short
        gap("f", 1, 8, key=True),  # same shortfall as e, higher priority
    ]
    assert [g.question for g in first_things_first(gaps, 3)] == ["c", "f", "e", "b", "a"]


def test_to_find_out_lists_dont_know_and_unanswered_visible_questions_with_a_role(bank):
    questionnaire = bank.questionnaire("iso10002-2018")
    values = {q.id: 3 for q in questionnaire.questions}
    dont_know, unanswered = questionnaire.questions[0].id, questionnaire.questions[5].id
    values[dont_know] = "unknown"
    del values[unanswered]
    result = score_assessment(questionnaire, values)
    found = to_find_out(questionnaire, values, result)
    assert [(q.question, q.value) for q in found] == [(dont_know, "unknown"), (unanswered, None)]
    assert all(q.role for q in found)


@pytest.mark.parametrize(
    "standard,clause,role",
    [
        ("ISO 10002", "8.6.1", "Top management"),
        ("ISO 10002", "8.5", "Internal auditor"),
        ("ISO 10002", "7.4", "Customer-service team leader"),
        ("ISO 10002", "4.10", "Data protection officer"),
        ("ISO 10002", "4.2", "Complaints manager"),
        ("ISO 10003", "7.5.3", "Dispute-resolution lead"),
        ("ISO 10001", "8.4", "Top management"),
        ("ISO 99999", "1", "Quality manager"),
    ],
)
def test_who_might_know_takes_the_longest_listed_clause(standard, clause, role):
    assert who_might_know(standard, clause) == role


def test_every_clause_of_every_bank_has_someone_who_might_know(bank):
    for questionnaire in bank.questionnaires.values():
        assert questionnaire.standard in WHO_MIGHT_KNOW
        for clause in questionnaire.all_clauses():
            assert who_might_know(questionnaire.standard, clause.ref)


# --- one story of the scales -----------------------------------------------------------------------


@pytest.mark.parametrize("target,score,maturity", [(1, 25.0, 2), (2, 50.0, 3), (3, 75.0, 4), (4, 100.0, 5)])
def test_the_target_is_told_in_the_unit_it_is_compared_with(target, score, maturity):
    assert target_score(target) == score
    assert target_maturity(target) == maturity == maturity_of(score)
    assert score_against_target(44.8, target) == f"44.8 % against a target of {score:.0f} %"


@given(st.floats(min_value=0, max_value=100))
def test_the_maturity_bands_told_are_the_ones_scoring_uses(score):
    maturity = maturity_of(score)
    bands = dict(part.split(" ", 1) for part in maturity_bands().replace(" and ", ", ").split(", "))
    if maturity == 1:
        assert bands["1"] == "below 20 %" and score < 20
    else:
        low = float(bands[str(maturity)].removeprefix("from ").removesuffix(" %"))
        assert low <= score and (score < low + 20 or maturity == 5)


@given(st.integers(min_value=1, max_value=24))
def test_the_priority_bands_told_are_the_ones_scoring_uses(priority):
    text = priority_bands()
    band = priority_band(priority)
    assert band in text
    if band == "High":
        assert priority >= 12 and "High 12 or more" in text
    elif band == "Medium":
        assert 6 <= priority <= 11 and "Medium 6 to 11" in text
    else:
        assert priority < 6 and "Low below 6" in text


def test_the_key_names_every_level_and_the_target_in_both_units():
    key = dict(scale_key(3))
    assert all(f"{level} {label}" in key["Answer levels"] for level, label in LEVELS.items())
    assert "level 3 Largely in place" in key["Target"] and "75\u00a0%" in key["Target"]
    assert "\u201cDon't know\u201d counts as level 0" in key["Score"]
    assert "maturity 4" in key["Maturity"]
    assert "not gaps" in key["To find out"]
    mixed = dict(scale_key(None))
    assert "set for each assessment" in mixed["Target"]

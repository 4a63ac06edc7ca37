"""Comparing assessment rounds: clause changes, gaps closed / new / remaining, and trends."""

import pytest

from assess.core.answers import Answer, Assessment
from assess.core.compare import (
    CLOSED_AT_TARGET,
    CLOSED_HIDDEN,
    CLOSED_NOT_APPLICABLE,
    ClauseChange,
    ClauseTrend,
    ClosedGap,
    ComparisonError,
    RemainingGap,
    clause_trend,
    compare_rounds,
    score_change,
)
from assess.core.scoring import Gap
from tests.test_scoring import tree


def rnd(values, title="Round", target=3):
    return Assessment(
        questionnaire="t",
        title=title,
        target=target,
        answers={qid: Answer(v, reason="not here" if v == "na" else "") for qid, v in values.items()},
    )


def gap(qid, clause, value, priority, key=False, weight=1):
    return Gap(
        question=qid,
        clause=clause,
        value=value,
        priority=priority,
        recommendation=f"Fix {qid}.",
        text=f"Q {qid}?",
        key=key,
        weight=weight,
        previous_clause={"1.1": "1.4", "2.1": "3"}.get(clause),
    )


def changes(comparison):
    return {
        c.ref: (c.score_before, c.score_after, c.maturity_before, c.maturity_after, c.change)
        for c in comparison.clauses
    }


def test_whole_structure_of_a_comparison():
    # tree(): 1 > 1.1 (a w1, b w3 key), 1.2 (c w2); 2 > 2.1 (d w1, e w1 shown if d >= 2)
    before = rnd({"a": 2, "b": 2, "c": 1, "d": 3, "e": 0}, "Baseline 2026")
    after = rnd({"a": 4, "b": 0, "c": "na", "d": 1, "e": 0}, "Follow-up 2027")
    result = compare_rounds(tree(), before, after)
    # before: 1.1 (0.5+1.5)/4 = 50; 1.2 0.5/2 = 25; 1 2.5/6 = 41.7; 2.1 0.75/2 = 37.5; all 3.25/8 = 40.6
    # after:  1.1 1/4 = 25; 1.2 only na -> None; 1 = 25; 2.1 (e hidden) 0.25/1 = 25; all 1.25/5 = 25
    assert result.clauses == (
        ClauseChange("1", "One", 0, 41.7, 25.0, 3, 2, -16.7),
        ClauseChange("1.1", "One-one", 1, 50.0, 25.0, 3, 2, -25.0),
        ClauseChange("1.2", "One-two", 1, 25.0, None, 2, None, None),
        ClauseChange("2", "Two", 0, 37.5, 25.0, 2, 2, -12.5),
        ClauseChange("2.1", "Two-one", 1, 37.5, 25.0, 2, 2, -12.5),
    )
    assert (result.score_before, result.score_after, result.maturity_before, result.maturity_after) == (
        40.6,
        25.0,
        3,
        2,
    )
    assert result.change == -15.6
    assert (result.questionnaire, result.title_before, result.title_after) == ("t", "Baseline 2026", "Follow-up 2027")
    # before's gaps by priority: b 6, c 4, e 3, a 1; after's: b 18, d 2
    assert result.gaps_closed == (
        ClosedGap(gap("c", "1.2", 1, 4, weight=2), "na", CLOSED_NOT_APPLICABLE),
        ClosedGap(gap("e", "2.1", 0, 3), 0, CLOSED_HIDDEN),
        ClosedGap(gap("a", "1.1", 2, 1), 4, CLOSED_AT_TARGET),
    )
    assert result.gaps_new == (gap("d", "2.1", 1, 2),)
    assert result.gaps_remaining == (RemainingGap("b", "1.1", "Q b?", "Fix b.", True, 2, 0, 6, 18),)
    assert result.gaps_remaining[0].priority_change == 12
    assert result.gaps_unanswered == ()


def test_improvement_gives_positive_changes_and_closes_gaps():
    result = compare_rounds(tree(), rnd({"a": 1, "b": 1, "c": 2}), rnd({"a": 3, "b": 4, "c": 2}))
    # 1.1: (0.25 + 0.75)/4 = 25 -> (0.75 + 3)/4 = 93.75, shown as 93.8
    assert changes(result)["1.1"] == (25.0, 93.8, 2, 5, 68.8)
    assert changes(result)["1.2"] == (50.0, 50.0, 3, 3, 0.0)
    assert [(c.gap.question, c.value_after, c.how) for c in result.gaps_closed] == [
        ("b", 4, CLOSED_AT_TARGET),
        ("a", 3, CLOSED_AT_TARGET),
    ]
    assert [g.question for g in result.gaps_remaining] == ["c"]
    assert result.gaps_new == ()


def test_regression_gives_negative_change_and_new_gap():
    result = compare_rounds(tree(), rnd({"d": 4}), rnd({"d": 1}))
    assert changes(result)["2.1"] == (100.0, 25.0, 5, 2, -75.0)
    assert result.gaps_new == (gap("d", "2.1", 1, 2),)
    assert result.gaps_closed == ()


def test_clause_that_becomes_null_has_no_change():
    result = compare_rounds(tree(), rnd({"c": 2}), rnd({"c": "na"}))
    assert changes(result)["1.2"] == (50.0, None, 3, None, None)
    assert result.change is None


def test_clause_that_gets_a_score_has_no_change_either():
    result = compare_rounds(tree(), rnd({}), rnd({"c": 2}))
    assert changes(result)["1.2"] == (None, 50.0, None, 3, None)


def test_gap_closed_by_raising_a_level():
    result = compare_rounds(tree(), rnd({"c": 1}), rnd({"c": 3}))
    assert result.gaps_closed == (ClosedGap(gap("c", "1.2", 1, 4, weight=2), 3, CLOSED_AT_TARGET),)


def test_gap_closed_by_not_applicable():
    result = compare_rounds(tree(), rnd({"a": 1}), rnd({"a": "na"}))
    assert result.gaps_closed == (ClosedGap(gap("a", "1.1", 1, 2), "na", CLOSED_NOT_APPLICABLE),)


def test_a_dont_know_is_never_a_gap_closed_new_or_remaining():
    # a don't know found out, a gap that became a don't know, and a don't know in both rounds
    result = compare_rounds(
        tree(), rnd({"a": "unknown", "c": 1, "d": "unknown"}), rnd({"a": 1, "c": "unknown", "d": "unknown"})
    )
    assert result.gaps_closed == ()
    assert [g.question for g in result.gaps_new] == ["a"]  # found out, and below target: a gap now
    assert result.gaps_remaining == ()
    assert [g.question for g in result.gaps_unanswered] == ["c"]  # to find out again, not closed


def test_gap_closed_by_show_if_hiding_the_question():
    # e is shown only while d >= 2; its answer 1 stays in the later round but no longer counts
    result = compare_rounds(tree(), rnd({"d": 3, "e": 1}), rnd({"d": 0, "e": 1}))
    assert [(c.gap.question, c.value_after, c.how) for c in result.gaps_closed] == [("e", 1, CLOSED_HIDDEN)]
    assert [g.question for g in result.gaps_new] == ["d"]


def test_unanswered_gap_is_not_closed():
    result = compare_rounds(tree(), rnd({"a": 1, "c": 1}), rnd({"a": 3}))
    assert result.gaps_unanswered == (gap("c", "1.2", 1, 4, weight=2),)
    assert [c.gap.question for c in result.gaps_closed] == ["a"]


def test_remaining_gap_with_changed_priority():
    result = compare_rounds(tree(), rnd({"b": 1}), rnd({"b": 2}))
    # b weight 3, key: 3 * (3-1) * 2 = 12 -> 3 * (3-2) * 2 = 6
    assert result.gaps_remaining == (RemainingGap("b", "1.1", "Q b?", "Fix b.", True, 1, 2, 12, 6),)
    assert result.gaps_remaining[0].priority_change == -6


def test_each_round_is_scored_with_its_own_target():
    answers = {"a": 3, "b": 2, "c": 4}
    raised = compare_rounds(tree(), rnd(answers, target=3), rnd(answers, target=4))
    assert (raised.target_before, raised.target_after) == (3, 4)
    assert [g.question for g in raised.gaps_new] == ["a"]  # 3 is below the new target 4
    assert raised.gaps_remaining == (RemainingGap("b", "1.1", "Q b?", "Fix b.", True, 2, 2, 6, 12),)
    lowered = compare_rounds(tree(), rnd(answers, target=4), rnd(answers, target=3))
    assert [(c.gap.question, c.how) for c in lowered.gaps_closed] == [("a", CLOSED_AT_TARGET)]
    # the target moves gaps, never scores (clause 2 has no answers, so no score and no change)
    for result in (raised, lowered):
        assert [c.change for c in result.clauses] == [0.0, 0.0, 0.0, None, None]


def test_rounds_of_another_questionnaire_are_refused():
    other = Assessment(questionnaire="iso10002-2018", title="Elsewhere")
    with pytest.raises(ComparisonError, match="'Elsewhere' is of iso10002-2018, not t"):
        compare_rounds(tree(), rnd({}), other)
    with pytest.raises(ComparisonError):
        clause_trend(tree(), [rnd({}), other])


def test_trend_lists_scores_in_round_order():
    rounds = [rnd({"a": 0, "d": 4}, "2026"), rnd({"a": 2}, "2027"), rnd({"a": 4, "d": 2}, "2028")]
    assert clause_trend(tree(), rounds) == (
        ClauseTrend(None, "T:2018", (50.0, 50.0, 75.0)),
        ClauseTrend("1", "One", (0.0, 50.0, 100.0)),
        ClauseTrend("2", "Two", (100.0, None, 50.0)),
    )


def test_trend_of_one_round_and_of_none():
    assert clause_trend(tree(), [rnd({"c": 4})])[1] == ClauseTrend("1", "One", (100.0,))
    assert clause_trend(tree(), []) == (
        ClauseTrend(None, "T:2018", ()),
        ClauseTrend("1", "One", ()),
        ClauseTrend("2", "Two", ()),
    )


@pytest.mark.parametrize(
    "before,after,change",
    [(None, 10.0, None), (10.0, None, None), (40.6, 25.0, -15.6), (0.1, 0.3, 0.2), (20.0, 20.0, 0.0)],
)
def test_score_change_rounds_to_one_decimal(before, after, change):
    assert score_change(before, after) == change


def test_shipped_example_compared_with_itself_changes_nothing(bank):
    from assess.formats.example import example_organization

    for assessment in example_organization(bank).assessments:
        result = compare_rounds(bank.questionnaire(assessment.questionnaire), assessment, assessment)
        assert all(c.change in (0.0, None) for c in result.clauses)
        assert result.gaps_closed == result.gaps_new == result.gaps_unanswered == ()
        assert all(g.priority_change == 0 for g in result.gaps_remaining)
        assert result.gaps_remaining

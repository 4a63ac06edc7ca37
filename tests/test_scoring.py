"""The scoring formula of DESIGN.md, rule by rule, on small hand-built questionnaires."""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assess.core.answers import Answer, Assessment
from assess.core.conditions import parse_condition
from assess.core.questionnaire import Clause, Question, Questionnaire
from assess.core.scoring import maturity_of, score_assessment


def question(qid, weight=1, key=False, show_if=None, clause="1.1", allow_na=True):
    return Question(
        id=qid,
        clause_ref=clause,
        text=f"Q {qid}?",
        help="h",
        evidence="e",
        recommendation=f"Fix {qid}.",
        weight=weight,
        key=key,
        show_if=parse_condition(show_if) if show_if else None,
        allow_na=allow_na,
    )


def build(*clauses):
    return Questionnaire(id="t", standard="T", edition="2018", title="t", document="gap-report", clauses=tuple(clauses))


def tree():
    """Clause 1 with 1.1 (a w1, b w3 key) and 1.2 (c w2); clause 2 with 2.1 (d w1, e w1 shown if d>=2)."""
    return build(
        Clause(
            "1",
            "One",
            clauses=(
                Clause(
                    "1.1",
                    "One-one",
                    previous_ref="1.4",
                    questions=(question("a"), question("b", 3, key=True)),
                ),
                Clause("1.2", "One-two", questions=(question("c", 2, clause="1.2"),)),
            ),
        ),
        Clause(
            "2",
            "Two",
            previous_ref="3",
            clauses=(
                Clause(
                    "2.1",
                    "Two-one",
                    questions=(question("d", clause="2.1"), question("e", clause="2.1", show_if="d >= 2")),
                ),
            ),
        ),
    )


def scores(result):
    return {c.ref: (c.score, c.maturity, c.coverage) for c in result.clauses}


def test_whole_structure_of_a_mixed_assessment():
    result = score_assessment(tree(), {"a": 4, "b": 2, "c": "na", "d": 3, "e": "unknown"})
    # 1.1: (1*4/4 + 3*2/4) / (1+3) = 2.5/4 = 62.5 %; 1.2 only na -> None
    # 2.1: (1*3/4 + 0) / 2 = 37.5 %; whole: (1 + 1.5 + 0.75) / (1+3+1+1) = 3.25/6 = 54.166..
    assert scores(result) == {
        "1": (62.5, 4, 1.0),
        "1.1": (62.5, 4, 1.0),
        "1.2": (None, None, 1.0),
        "2": (37.5, 2, 1.0),
        "2.1": (37.5, 2, 1.0),
    }
    assert (result.score, result.maturity, result.coverage) == (54.2, 3, 1.0)
    assert [(g.question, g.clause, g.value, g.priority) for g in result.gaps] == [
        ("b", "1.1", 2, 6),  # 3 * (3-2) * 2 (key)
        ("e", "2.1", "unknown", 3),  # 1 * (3-0)
    ]


def test_score_ignores_not_applicable():
    assert score_assessment(tree(), {"a": 4, "b": "na"}).clause("1.1").score == 100.0


def test_unknown_counts_as_zero():
    assert score_assessment(tree(), {"a": 4, "b": "unknown"}).clause("1.1").score == 25.0


def test_unanswered_counts_in_neither_but_lowers_coverage():
    result = score_assessment(tree(), {"a": 2})
    assert result.clause("1.1").score == 50.0
    assert result.clause("1.1").coverage == 0.5
    assert result.clause("1").coverage == pytest.approx(1 / 3)
    assert result.clause("2").score is None
    assert result.clause("2").coverage == 0.0


def test_na_counts_as_answered_for_coverage():
    result = score_assessment(tree(), {"a": "na", "b": "na", "c": "na"})
    assert result.clause("1").coverage == 1.0
    assert result.clause("1").score is None
    assert result.clause("1").maturity is None


def test_hidden_question_counts_nowhere():
    # e is hidden while d < 2: its answer counts neither in score, coverage, nor gaps
    result = score_assessment(tree(), {"d": 1, "e": 0})
    assert result.clause("2.1").score == 25.0
    assert result.clause("2.1").coverage == 1.0
    assert "e" not in result.visible_questions
    assert [g.question for g in result.gaps] == ["d"]


def test_shown_question_counts_when_condition_holds():
    result = score_assessment(tree(), {"d": 2, "e": 0})
    assert result.clause("2.1").score == 25.0  # (0.5 + 0) / 2
    assert "e" in result.visible_questions


def test_condition_on_hidden_question_sees_no_answer():
    q = build(
        Clause(
            "1",
            "One",
            questions=(
                question("x", clause="1"),
                question("y", clause="1", show_if="x >= 2"),
                question("z", clause="1", show_if="y >= 2"),
            ),
        )
    )
    # y is hidden (x = 0), so z's condition on y must be false though y was answered 4
    assert score_assessment(q, {"x": 0, "y": 4, "z": 4}).visible_questions == {"x"}


def test_weights_scale_contributions():
    result = score_assessment(tree(), {"a": 0, "b": 4})
    assert result.clause("1.1").score == 75.0  # 3/4


def test_empty_assessment_gives_null_scores():
    result = score_assessment(tree(), {})
    assert (result.score, result.maturity, result.coverage) == (None, None, 0.0)
    assert result.gaps == ()


def test_target_changes_gaps_and_priorities():
    answers = {"a": 3, "b": 3, "c": 1, "d": 4}
    assert [g.question for g in score_assessment(tree(), answers, target=3).gaps] == ["c"]
    four = score_assessment(tree(), answers, target=4)
    assert [(g.question, g.priority) for g in four.gaps] == [("b", 6), ("c", 6), ("a", 1)]


def test_ties_keep_questionnaire_order():
    q = build(Clause("1", "One", questions=tuple(question(x, clause="1") for x in "pqrs")))
    result = score_assessment(q, {"s": 1, "q": 1, "p": 2, "r": 1})
    assert [g.question for g in result.gaps] == ["q", "r", "s", "p"]


def test_an_assessment_scores_by_its_values():
    answers = {"a": Answer(3, note="n"), "b": Answer("unknown"), "c": Answer(None, note="x")}
    assessment = Assessment("t", "T", 3, answers)
    assert assessment.values == {"a": 3, "b": "unknown"}
    result = score_assessment(tree(), assessment.values)
    assert result.score == 18.8  # (3/4 * 1 + 0 * 3) / 4: unknown counts as 0
    assert (result.answered, result.visible) == (2, 4)  # c, only a note, stays unanswered


def test_answers_to_unknown_questions_are_ignored():
    assert score_assessment(tree(), {"zzz": 4}).score is None


@pytest.mark.parametrize(
    "score,level",
    [
        (0.0, 1),
        (19.9, 1),
        (20.0, 2),
        (39.9, 2),
        (40.0, 3),
        (60.0, 4),
        (79.9, 4),
        (80.0, 5),
        (100.0, 5),
        (None, None),
    ],
)
def test_maturity_bands(score, level):
    assert maturity_of(score) == level


def test_score_rounds_to_one_decimal():
    q = build(Clause("1", "One", questions=tuple(question(x, clause="1") for x in "abc")))
    assert score_assessment(q, {"a": 1, "b": 0, "c": 0}).score == 8.3  # 8.333..


def test_previous_edition_scores_are_keyed_by_previous_refs():
    result = score_assessment(tree(), {"a": 4, "b": 0, "d": 2})
    assert [(c.ref, c.score) for c in result.previous_clauses] == [("1.4", 25.0), ("3", 50.0)]
    gaps = {g.question: g.previous_clause for g in result.gaps}
    assert gaps == {"b": "1.4", "d": "3"}


def test_json_shape_matches_design():
    data = score_assessment(tree(), {"a": 4, "b": "unknown"}).to_json()
    assert set(data) == {"questionnaire", "score", "maturity", "coverage", "clauses", "gaps"}
    assert set(data["clauses"][0]) >= {"ref", "score", "maturity", "coverage"}
    assert data["gaps"][0] == {
        "question": "b",
        "clause": "1.1",
        "value": "unknown",
        "priority": 18,
        "recommendation": "Fix b.",
    }


# --- properties ---

VALUES = st.one_of(st.integers(0, 4), st.just("na"), st.just("unknown"))
IDS = list("abcde")


def flat():
    """The same tree, with no show_if (so monotonicity holds)."""
    return build(
        Clause(
            "1",
            "One",
            clauses=(
                Clause("1.1", "x", questions=(question("a"), question("b", 3, key=True))),
                Clause("1.2", "y", questions=(question("c", 2, clause="1.2"),)),
            ),
        ),
        Clause("2", "Two", questions=(question("d", clause="2"), question("e", 2, clause="2"))),
    )


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from(IDS), VALUES))
def test_every_score_is_within_bounds_or_null(answers):
    result = score_assessment(tree(), answers)
    for s in [result.score] + [c.score for c in result.clauses]:
        assert s is None or 0.0 <= s <= 100.0
    for c in result.clauses:
        assert c.coverage is None or 0.0 <= c.coverage <= 1.0


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from(IDS), VALUES), st.sampled_from(IDS))
def test_raising_one_answer_never_lowers_any_score(answers, qid):
    before = answers.get(qid)
    if not isinstance(before, int) or before == 4:
        return
    low = score_assessment(flat(), answers)
    high = score_assessment(flat(), {**answers, qid: before + 1})
    lows = [low.score] + [c.score for c in low.clauses]
    highs = [high.score] + [c.score for c in high.clauses]
    for a, b in zip(lows, highs, strict=True):
        assert (a is None and b is None) or b >= a


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from(IDS), VALUES), st.sampled_from(IDS))
def test_marking_na_never_changes_a_clause_without_it(answers, qid):
    q = flat()
    before = score_assessment(q, answers)
    after = score_assessment(q, {**answers, qid: "na"})
    owner = q.question(qid).clause_ref
    for b, a in zip(before.clauses, after.clauses, strict=True):
        contains = owner == b.ref or owner.startswith(b.ref + ".")
        if not contains:
            assert a.score == b.score


def test_shipped_example_scores_sensibly(bank):
    from assess.formats.example import example_organization

    org = example_organization(bank)
    for assessment in org.assessments:
        result = score_assessment(bank.questionnaire(assessment.questionnaire), assessment.values)
        assert 20 < result.score < 90
        assert 0.9 < result.coverage < 1.0
        assert result.gaps
        assert all(math.isfinite(g.priority) for g in result.gaps)

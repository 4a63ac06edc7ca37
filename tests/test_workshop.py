"""Workshop arithmetic: distribution, median, spread, disagreement, discussion order, the agreed answer."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assess.core.answers import Answer
from assess.core.questionnaire import Question
from assess.core.workshop import (
    ANONYMOUS,
    QuestionRoom,
    agreed_answer,
    consensus_block,
    consensus_problems,
    discussion_order,
    new_join_code,
    normalize_join_code,
    spread_of,
)


@pytest.mark.parametrize(
    "values,count,median,label,spread,disagree",
    [
        ([], 0, None, "\u2013", None, False),
        ([3], 1, 3, "3", 0, False),
        ([2, 3], 2, None, "2 or 3 (split)", 1, False),  # split: never silently the lower one
        ([1, 3], 2, None, "1 or 3 (split)", 2, True),
        ([3, 3], 2, 3, "3", 0, False),
        ([0, 4, 4, 4], 4, 4, "4", 4, True),
        ([2, 2, 3, "unknown", "na"], 5, 2, "2", 1, False),
        (["na", "unknown"], 2, None, "\u2013", None, False),
    ],
)
def test_spread(values, count, median, label, spread, disagree):
    s = spread_of(values)
    assert (s.count, s.median, s.median_label, s.spread, s.disagreement) == (count, median, label, spread, disagree)


@given(st.lists(st.integers(0, 4), min_size=1))
def test_median_is_a_level_the_room_gave_only_when_both_middles_agree(levels):
    s = spread_of(levels)
    ordered = sorted(levels)
    low, high = ordered[(len(ordered) - 1) // 2], ordered[len(ordered) // 2]
    assert s.middle == (low, high)
    assert s.split == (low != high)
    assert s.median == (None if low != high else low)
    if s.median is not None:
        below = sum(1 for v in levels if v < s.median)
        above = sum(1 for v in levels if v > s.median)
        assert below <= len(levels) / 2 and above <= len(levels) / 2


def test_distribution_counts_every_kind_of_answer():
    assert spread_of([0, 4, 4, "na", "unknown", "unknown"]).distribution == {
        "0": 1,
        "1": 0,
        "2": 0,
        "3": 0,
        "4": 2,
        "na": 1,
        "unknown": 2,
    }


def question(qid):
    return Question(qid, "1", "t", "h", "e", "r", 1)


def test_disagreements_come_first_then_rated_then_unrated_then_agreed():
    rooms = [
        QuestionRoom(question("agreed"), spread_of([0, 4]), consensus=3),
        QuestionRoom(question("unrated"), spread_of([]), consensus=None),
        QuestionRoom(question("calm"), spread_of([3, 3]), consensus=None),
        QuestionRoom(question("split-1"), spread_of([1, 4]), consensus=None),
        QuestionRoom(question("split-2"), spread_of([0, 2]), consensus=None),
    ]
    assert [r.question.id for r in discussion_order(rooms)] == ["split-1", "split-2", "calm", "unrated", "agreed"]


def test_join_codes_are_unambiguous_and_normalize():
    code = new_join_code()
    assert len(code) == 8 and not set(code) & set("01IO")
    assert normalize_join_code(" ab-cd 23 ") == "ABCD23"


def test_consensus_block_is_dated_and_attributes_comments():
    block = consensus_block(
        "2026-11-26",
        "fac@example.com",
        "Agreed after discussion",
        [("Ann", "only by email"), ("Bob", " "), (ANONYMOUS, "x")],
    )
    assert block == (
        "Workshop of 2026-11-26, agreed answer recorded by fac@example.com.\n"
        "Facilitator's note: Agreed after discussion\n"
        "Comments from the room:\n- Ann: only by email\n- a participant: x"
    )
    assert consensus_block("2026-11-26", "f", "", [("Ann", "  ")]) == ""


def test_agreed_answer_keeps_note_and_evidence_and_adds_the_block_once():
    existing = Answer(1, "Typed before the workshop", "Policy v2, page 4", "")
    first = agreed_answer(existing, 4, "", "Workshop block")
    assert first == Answer(4, "Typed before the workshop\n\nWorkshop block", "Policy v2, page 4", "")
    assert agreed_answer(first, 4, "", "Workshop block") == first
    assert agreed_answer(None, 2, "", "") == Answer(2, "", "", "")


def test_not_applicable_consensus_takes_the_facilitators_reason_only():
    answer = agreed_answer(Answer(2, "note"), "na", " We have no branches ", "block with Ann: comment")
    assert answer.reason == "We have no branches"
    assert "Ann" not in answer.reason
    assert agreed_answer(Answer("na", "", "", "old"), 3, "ignored", "").reason == ""


@pytest.mark.parametrize(
    "value,reason,allow_na,problem",
    [
        (None, "", True, "value"),
        ("na", "", True, "reason"),
        ("na", "why", False, "value"),
        ("na", "why", True, None),
        (0, "", True, None),
    ],
)
def test_consensus_problems(value, reason, allow_na, problem):
    assert list(consensus_problems(value, reason, allow_na)) == ([problem] if problem else [])

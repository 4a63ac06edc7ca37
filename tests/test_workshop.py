"""Workshop arithmetic: distribution, median, spread, disagreement, discussion order (pure functions)."""

import pytest

from assess.core.questionnaire import Question
from assess.core.workshop import (
    QuestionRoom,
    consensus_note,
    discussion_order,
    new_join_code,
    normalize_join_code,
    spread_of,
)


@pytest.mark.parametrize(
    "values,count,median,spread,disagree",
    [
        ([], 0, None, None, False),
        ([3], 1, 3, 0, False),
        ([2, 3], 2, 2, 1, False),  # lower median: never claims more than the room gave
        ([1, 3], 2, 1, 2, True),
        ([0, 4, 4, 4], 4, 4, 4, True),
        ([2, 2, 3, "unknown", "na"], 5, 2, 1, False),
        (["na", "unknown"], 2, None, None, False),
    ],
)
def test_spread(values, count, median, spread, disagree):
    s = spread_of(values)
    assert (s.count, s.median, s.spread, s.disagreement) == (count, median, spread, disagree)


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


def test_consensus_note_attributes_comments():
    assert consensus_note("Agreed after discussion", [("Ann", "only by email"), ("Bob", " "), ("Cy", "x")]) == (
        "Agreed after discussion\n\nWorkshop comments:\n- Ann: only by email\n- Cy: x"
    )
    assert consensus_note("", []) == ""

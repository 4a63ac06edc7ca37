"""The shipped question bank covers the clauses the standards have, with the counts promised."""

import re

import pytest

COVERAGE = {
    "iso10002-2018": (80, ["4.2-4.15"], ["5.1-5.4", "6.1-6.4", "7.1-7.9", "8.1-8.7"]),
    "iso10001-2018": (60, ["4.2-4.13"], ["5.1-5.3", "6.1-6.8", "7", "8.1-8.5"]),
    "iso10003-2018": (
        80,
        ["4.2-4.17"],
        [
            "5.1",
            "5.2",
            "5.3.1-5.3.3",
            "5.4",
            "6.1",
            "6.2",
            "6.3.1-6.3.3",
            "6.4",
            "7.1",
            "7.2",
            "7.3",
            "7.4.1-7.4.2",
            "7.5.1-7.5.5",
            "7.6",
            "7.7",
            "8.1",
            "8.2",
            "8.3",
            "8.4.1-8.4.3",
            "8.5",
        ],
    ),
}


def expand(spec: str) -> list[str]:
    if "-" not in spec:
        return [spec]
    first, last = spec.split("-")
    stem, start = first.rsplit(".", 1)
    return [f"{stem}.{n}" for n in range(int(start), int(last.rsplit(".", 1)[1]) + 1)]


def count_under(questionnaire, ref):
    return sum(1 for q in questionnaire.questions if q.clause_ref == ref or q.clause_ref.startswith(ref + "."))


@pytest.mark.parametrize("qid", sorted(COVERAGE))
def test_every_promised_clause_has_questions(bank, qid):
    questionnaire = bank.questionnaire(qid)
    minimum, principles, framework = COVERAGE[qid]
    assert len(questionnaire.questions) >= minimum
    for spec in principles:
        for ref in expand(spec):
            assert count_under(questionnaire, ref) >= 1, f"{qid}: {ref} has no question"
    for spec in framework:
        for ref in expand(spec):
            assert count_under(questionnaire, ref) >= 2, f"{qid}: {ref} has fewer than 2 questions"


@pytest.mark.parametrize("qid", sorted(COVERAGE))
def test_question_ids_follow_the_pattern_and_name_their_clause(bank, qid):
    questionnaire = bank.questionnaire(qid)
    number = questionnaire.standard.split()[-1]
    for question in questionnaire.questions:
        assert re.fullmatch(rf"{number}-{re.escape(question.clause_ref)}-[a-z]", question.id), question.id


@pytest.mark.parametrize("qid", sorted(COVERAGE))
def test_every_question_is_complete_and_sized_for_a_page(bank, qid):
    for question in bank.questionnaire(qid).questions:
        assert question.text.endswith("?"), question.id
        assert 8 <= len(question.text.split()) <= 45, question.id
        assert question.recommendation[0].isupper(), question.id
        assert not question.key or question.weight >= 2, question.id


@pytest.mark.parametrize("qid", sorted(COVERAGE))
def test_key_practices_are_a_minority(bank, qid):
    questions = bank.questionnaire(qid).questions
    share = sum(q.key for q in questions) / len(questions)
    assert 0.1 <= share <= 0.4


def test_previous_edition_numbers_exist_where_topics_carry_over(bank):
    q = bank.questionnaire("iso10002-2018")
    assert q.clause("4.4").previous_ref == "4.2"  # transparency was visibility
    assert q.clause("5.4").previous_ref == "5.3"
    assert q.clause("7.4").previous_ref == "7.4"


def test_inferred_clause_numbers_are_marked_unconfirmed(bank):
    q10001 = bank.questionnaire("iso10001-2018")
    assert not q10001.clause("6.4").confirmed
    assert q10001.clause("4.2").confirmed
    q10002 = bank.questionnaire("iso10002-2018")
    assert q10002.clause("5.2").confirmed and not q10002.clause("7.4").confirmed
    assert all(c.confirmed for c in bank.questionnaire("iso10003-2018").all_clauses())

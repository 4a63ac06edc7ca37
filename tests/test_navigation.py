"""Answering pages: every question on exactly one page, in questionnaire order, pages of sensible size."""

import pytest

from assess.core.vocabulary import PAGE_DONE as DONE
from assess.core.vocabulary import PAGE_IN_PROGRESS as IN_PROGRESS
from assess.core.vocabulary import PAGE_NOT_STARTED as NOT_STARTED
from assess.web.navigation import answer_pages, progress

QUESTIONNAIRES = ["iso10001-2018", "iso10002-2018", "iso10003-2018"]


@pytest.mark.parametrize("qid", QUESTIONNAIRES)
def test_every_question_is_on_exactly_one_page_in_order(bank, qid):
    questionnaire = bank.questionnaire(qid)
    pages = answer_pages(questionnaire)
    assert [q.id for p in pages for q in p.questions] == [q.id for q in questionnaire.questions]
    assert len({p.key for p in pages}) == len(pages)


@pytest.mark.parametrize("qid", QUESTIONNAIRES)
def test_pages_stay_within_one_top_level_clause_and_a_readable_size(bank, qid):
    for page in answer_pages(bank.questionnaire(qid)):
        assert all(c.ref == page.top.ref or c.ref.startswith(page.top.ref + ".") for c in page.clauses)
        assert 1 <= len(page.questions) <= 20


def test_progress_status(bank):
    questionnaire = bank.questionnaire("iso10001-2018")
    questions = questionnaire.questions[:3]
    visible = frozenset(q.id for q in questions)
    assert progress(questions, {}, visible).status == NOT_STARTED
    assert progress(questions, {questions[0].id: 2}, visible).status == IN_PROGRESS
    done = progress(questions, {q.id: "na" for q in questions}, visible)
    assert (done.status, done.percent) == (DONE, 100)
    hidden_only = progress(questions, {questions[0].id: 1}, frozenset({questions[0].id}))
    assert hidden_only.status == DONE

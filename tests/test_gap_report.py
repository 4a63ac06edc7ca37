"""The gap report as a board paper: page one says where the organization stands, what comes first and
who is doing it; a don't know is never a gap; every recommendation is printed once; every gap is in
the appendix (each .docx is reopened and read)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io

import pytest
from docx import Document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assess.core.answers import UNKNOWN, Action, Answer, Assessment, Organization, values_of
from assess.core.compare import compare_rounds
from assess.core.findings import first_things_first, real_gaps, to_find_out
from assess.core.scoring import priority_band, score_assessment
from assess.core.vocabulary import level_label, maturity_label, scale_key, score_against_target
from assess.documents import render_docx
from assess.documents.practices import PracticeBook
from assess.documents.report import NOT_PLANNED, PRIORITIES, TOP_GAPS, gap_report, short_owners
from assess.documents.text import escape_markdown
from assess.formats.example import example_organization

DAY = dt.date(2026, 11, 25)
QUESTIONNAIRES = ("iso10001-2018", "iso10002-2018", "iso10003-2018")
NBSP = "\u00a0"


@pytest.fixture(scope="module")
def org(bank):
    return example_organization(bank)


@pytest.fixture(scope="module")
def doc(bank, org):
    return Document(io.BytesIO(render_docx(bank, org, "gap-report", today=DAY)))


def rows(table):
    return [[cell.text for cell in row.cells] for row in table.rows]


def table_with_header(doc, header):
    return next(t for t in doc.tables if [c.text for c in t.rows[0].cells] == header)


def body_text(doc):
    cells = [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def scored(bank, org):
    return {
        a.questionnaire: (a, score_assessment(bank.questionnaire(a.questionnaire), a.values, a.target))
        for a in org.assessments
    }


# --- page one --------------------------------------------------------------------------------------


def test_page_one_gives_each_standard_in_one_line_with_the_score_next_to_the_target(bank, org, doc):
    table = table_with_header(doc, ["Standard", "Score", "Maturity (1-5)", "Answered", "Below target", "To find out"])
    expected = []
    for qid, (assessment, result) in scored(bank, org).items():
        questionnaire = bank.questionnaire(qid)
        gaps = real_gaps(result)
        open_questions = to_find_out(questionnaire, {k: a.value for k, a in assessment.answers.items()}, result)
        expected.append(
            [
                f"{questionnaire.label} "
                + {"ISO 10001": "Codes of conduct", "ISO 10002": "Complaints handling"}.get(
                    questionnaire.standard, "Dispute resolution"
                ),
                score_against_target(result.score, 3, space=NBSP),
                maturity_label(result.maturity),
                f"{round(100 * result.coverage)}{NBSP}% ({result.answered} of {result.visible})",
                f"{len(gaps)} ({sum(g.key for g in gaps)} essential)",
                str(len(open_questions)),
            ]
        )
    assert rows(table)[1:] == expected
    first = next(iter(scored(bank, org).values()))[1]
    # the score next to the target in the same unit, never "maturity 3 against level 3"
    assert rows(table)[1][1].startswith(f"{first.score:.1f}\u00a0% against a target of 75\u00a0%")


def test_page_one_lists_essential_practices_furthest_below_target_first_with_who_does_them(bank, org, doc):
    table = table_with_header(doc, ["No.", "Practice", "Why it matters", "Who and when"])
    body = rows(table)[1:]
    assert 5 <= len(body) <= PRIORITIES
    pool = [(qid, g, a.target) for qid, (a, r) in scored(bank, org).items() for g in real_gaps(r)]
    pool.sort(key=lambda t: (not t[1].key, -(t[2] - t[1].value), -t[1].priority))
    expected = pool[: len(body)]
    assert [row[1].split(" (ISO")[0] for row in body] == [g.text for _, g, _ in expected]
    assert all(g.key for _, g, _ in expected)
    for row, (qid, gap, target) in zip(body, expected, strict=True):
        question = bank.questionnaire(qid).question(gap.question)
        assert row[2] == f"Now {level_label(gap.value)}, target {target}: {question.levels[gap.value]}"
        assert row[3] == NOT_PLANNED
    assert f"none of the {len(pool)} gaps has an owner or a date" in body_text(doc)


def test_page_one_takes_owners_and_dates_from_the_action_plan(bank, org):
    pool = sorted(
        ((qid, g, a.target) for qid, (a, r) in scored(bank, org).items() for g in real_gaps(r)),
        key=lambda t: (not t[1].key, -(t[2] - t[1].value), -t[1].priority),
    )
    (q1, first, _), (q2, second, _) = pool[0], pool[1]
    actions = (
        Action(
            q1,
            first.question,
            first.clause,
            "Hold the review",
            first.priority,
            "Priya-Raman *R&D* <lead>",
            "2027-03-31",
        ),
        Action(q2, second.question, second.clause, "Write it", second.priority, "", "2026-10-01", "in progress"),
    )
    doc = Document(io.BytesIO(render_docx(bank, dataclasses.replace(org, actions=actions), "gap-report", today=DAY)))
    table = table_with_header(doc, ["No.", "Practice", "Why it matters", "Who and when"])
    assert [row[3] for row in rows(table)[1:3]] == [
        "Priya-Raman *R&D* <lead>, by 31 March 2027",  # user text comes out literally
        "no owner yet, by 1 October 2026 (overdue, in progress)",
    ]
    text = body_text(doc)
    gaps = len(pool)
    assert f"2 actions: 0 done, 1 in progress, 1 overdue. {gaps - 2} of the {gaps} gaps have no action yet." in text
    appendix = table_with_header(doc, ["Clause", "Practice", "Level, priority", "Owner, due"])
    owners = {row[1].rstrip(" *"): row[3] for row in rows(appendix)[1:]}
    assert owners[first.text] == "Priya-Raman *R&D* <lead>, 31 Mar 2027"
    assert owners[second.text] == "1 Oct 2026"


# --- a don't know is never a gap ---------------------------------------------------------------------


def test_dont_know_and_unanswered_are_listed_to_find_out_with_who_might_know_never_as_gaps(bank, org, doc):
    text = body_text(doc)
    unknown, unanswered = [], []
    for qid, (assessment, result) in scored(bank, org).items():
        questionnaire = bank.questionnaire(qid)
        for question in questionnaire.questions:
            if question.id not in result.visible_questions:
                continue
            answer = assessment.answers.get(question.id)
            if answer is None:
                unanswered.append(question.text)
            elif answer.value == UNKNOWN:
                unknown.append(question.text)
    assert unknown and unanswered
    find_out = table_with_header(doc, ["Clause", "Question and answer so far"])
    listed = [
        row[1].removesuffix(" Essential.") for row in rows(find_out)[1:] if not row[1].startswith("Who might know: ")
    ]
    assert sorted(listed) == sorted([f"{t} Don't know." for t in unknown] + [f"{t} Not answered." for t in unanswered])
    roles = [row[1] for row in rows(find_out)[1:] if row[1].startswith("Who might know: ")]
    assert "Who might know: Complaints manager" in roles
    gap_tables = [
        table_with_header(doc, ["No.", "Practice", "Why it matters", "Who and when"]),
        table_with_header(doc, ["Clause", "Practice", "Level, priority"]),
        *[t for t in doc.tables if [c.text for c in t.rows[0].cells] == ["Clause", "Practice", "Found", "What to do"]],
    ]
    in_gaps = " ".join(cell.text for t in gap_tables for row in t.rows for cell in row.cells)
    assert not any(t in in_gaps for t in unknown + unanswered)
    assert f'{len(unknown)} answers are "don\'t know" and {len(unanswered)} questions are not answered yet' in text


def test_appendix_holds_every_real_gap_once_in_questionnaire_order(bank, org, doc):
    table = table_with_header(doc, ["Clause", "Practice", "Level, priority"])
    body = [row for row in rows(table)[1:] if row[0]]
    expected = []
    for qid, (_, result) in scored(bank, org).items():
        order = [q.id for q in bank.questionnaire(qid).questions]
        for gap in sorted(real_gaps(result), key=lambda g: order.index(g.question)):
            expected.append([gap.clause, gap.text, f"{gap.value} / 3, {priority_band(gap.priority)} {gap.priority}"])
    assert [[r[0], r[1].removesuffix(" *"), r[2]] for r in body] == expected
    separators = [row[1] for row in rows(table)[1:] if not row[0]]
    assert separators == ["ISO 10001:2018 Codes of conduct", "ISO 10002:2018 Complaints handling",
                          "ISO 10003:2018 Dispute resolution"]  # fmt: skip


def test_every_recommendation_is_printed_at_most_once(bank, org, doc):
    text = body_text(doc)
    recommendations = {g.recommendation for _, r in scored(bank, org).values() for g in r.gaps}
    printed = [rec for rec in recommendations if rec in text]
    assert len(printed) == TOP_GAPS * 3
    assert all(text.count(rec) == 1 for rec in printed)


def test_each_standard_shows_its_top_gaps_by_clause_and_the_clauses_at_target(bank, org, doc):
    tables = [
        t for t in doc.tables if [c.text for c in t.rows[0].cells] == ["Clause", "Practice", "Found", "What to do"]
    ]
    assert len(tables) == 3
    for table, (qid, (_, result)) in zip(tables, scored(bank, org).items(), strict=True):
        questionnaire = bank.questionnaire(qid)
        top = first_things_first(real_gaps(result), 3)[:TOP_GAPS]
        order = [q.id for q in questionnaire.questions]
        top.sort(key=lambda g: order.index(g.question))
        assert [row[0] for row in rows(table)[1:]] == [g.clause for g in top]
        assert [row[3] for row in rows(table)[1:]] == [g.recommendation for g in top]
        met = [
            f"{c.ref} {c.title} ({round(result.clause(c.ref).score)}{NBSP}%)"
            for c in questionnaire.all_clauses()
            if c.questions and result.clause(c.ref).score is not None and result.clause(c.ref).score >= 75
        ]
        assert f"At or above the target score of 75{NBSP}%: {'; '.join(met)}." in body_text(doc)


def test_the_key_tells_the_scales_as_the_vocabulary_does(doc):
    table = table_with_header(doc, ["Scale", "What it means"])
    assert rows(table)[1:] == [list(pair) for pair in scale_key(3)]


# --- progress --------------------------------------------------------------------------------------


def test_progress_since_the_earlier_round_is_on_page_one_and_in_its_standard(bank, org):
    baseline = next(a for a in org.assessments if a.questionnaire == "iso10002-2018")
    answers = dict(baseline.answers)
    for i, question in enumerate(bank.questionnaire("iso10002-2018").questions):
        if i % 4 == 0:
            answers[question.id] = Answer(4)
        elif i % 9 == 1:
            answers[question.id] = Answer(0)
    follow_up = dataclasses.replace(baseline, title="Follow-up 2027", answers=answers)
    later = dataclasses.replace(org, assessments=(*org.assessments, follow_up))
    comparison = compare_rounds(bank.questionnaire("iso10002-2018"), baseline, follow_up)
    closed = sum(1 for c in comparison.gaps_closed if c.gap.value != UNKNOWN)
    new = sum(1 for g in comparison.gaps_new if g.value != UNKNOWN)
    doc = Document(io.BytesIO(render_docx(bank, later, "gap-report", today=DAY)))
    text = body_text(doc)
    assert f"; {closed} gaps closed, {new} new." in text
    assert "Progress: ISO 10002:2018 since Baseline 2026:" in text
    assert "\\" not in text  # each part escaped once, so no Markdown escape shows
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 2"]
    assert sum("Progress since Baseline 2026" in h for h in headings) == 1
    assert table_with_header(doc, ["Clause", "Title", "Baseline 2026", "Follow-up 2027", "Change"])


def test_a_report_without_assessments_says_so(bank):
    doc = Document(io.BytesIO(render_docx(bank, Organization(name="Empty"), "gap-report", today=DAY)))
    text = body_text(doc)
    assert "There is no self-assessment yet." in text
    assert text.count("Not assessed yet") == 3


# --- for any answers --------------------------------------------------------------------------------

VALUES = st.sampled_from([0, 1, 2, 3, 4, "unknown", "na", None])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_no_dont_know_is_ever_ranked_and_every_real_gap_is_in_the_appendix(bank, data):
    questionnaire = bank.questionnaire("iso10002-2018")
    answers = {}
    for question in questionnaire.questions:
        value = data.draw(VALUES)
        if value is not None:
            answers[question.id] = Answer(value, reason="x" if value == "na" else "")
    target = data.draw(st.integers(1, 4))
    org = Organization(name="Any", assessments=(Assessment("iso10002-2018", "Round", target, answers),))
    report = gap_report(PracticeBook(bank, org), QUESTIONNAIRES, (), DAY)
    result = score_assessment(questionnaire, values_of(answers), target)
    unknown = {escape_markdown(questionnaire.question(q).text) for q, a in answers.items() if a.value == UNKNOWN}
    ranked = [p.practice for p in report.priorities] + [g.practice for s in report.sections for g in s.top_gaps]
    assert not unknown & set(ranked)
    assert len(report.appendix) == len(real_gaps(result)) == report.gap_count
    assert len(report.priorities) <= PRIORITIES
    assert all(row.answer in ("Don't know", "Not answered") for row in report.open_rows)


def test_the_appendix_names_an_owner_short_only_where_the_short_name_is_theirs_alone():
    names = short_owners(
        [
            "Sarah Bell, Customer Standards Manager",
            "Sam Lee, Head of Service",
            "Sam Lee, Finance",
            "Complaints team",
            "",
        ]
    )
    assert names == {
        "Sarah Bell, Customer Standards Manager": "Sarah Bell",
        "Sam Lee, Head of Service": "Sam Lee, Head of Service",  # two owners start "Sam Lee": both in full
        "Sam Lee, Finance": "Sam Lee, Finance",
        "Complaints team": "Complaints team",
    }

"""Excel workbooks: what the sheets hold, an exact round trip, and one refusal per kind of bad cell."""

import datetime as dt
import io
import zipfile
from dataclasses import replace

import openpyxl
import pytest

from assess.core.answers import Answer, Assessment, Organization, values_of
from assess.core.scoring import score_assessment
from assess.formats.example import example_organization
from assess.formats.questionnaires import default_questionnaire_dir, questionnaire_files
from assess.formats.workbook import (
    ABOUT,
    ACTION_PLAN,
    ANSWERS,
    CLAUSE_SCORES,
    GAPS,
    KEY,
    MAX_TEXT,
    WorkbookAbout,
    WorkbookError,
    assessment_workbook,
    merge_workbook_answers,
    read_answers_workbook,
    read_workbook_about,
    workbook_filename,
)
from tests.test_scoring import tree

SHIPPED = [path.stem for path in questionnaire_files([default_questionnaire_dir()])]
TRICKY = {
    "note": 'R&D <team> "quoted" – ünïcödé 🚰\nsecond line\r\nthird',
    "evidence": "a < b & c > d; =SUM(A1:A2) stays text",
    "reason": "  leading and trailing spaces kept  ",
}


def open_workbook(data):
    return openpyxl.load_workbook(io.BytesIO(data))


def values(ws):
    return [list(row) for row in ws.iter_rows(values_only=True)]


def tricky_assessment(bank, qid):
    """The example organization's assessment, with unicode, markup and formula-like text added."""
    assessment = example_organization(bank, qid).assessments[0]
    answers = dict(assessment.answers)
    questions = bank.questionnaire(qid).questions
    na_question = next(q for q in questions if q.allow_na)
    answers[questions[0].id] = Answer(4, note=TRICKY["note"], evidence=TRICKY["evidence"])
    answers[na_question.id] = Answer("na", reason=TRICKY["reason"], note="🚰 " * 100)
    answers[questions[2].id] = Answer("unknown", note="=1+1", evidence="x" * MAX_TEXT)
    answers[questions[3].id] = Answer(0, reason="a reason kept with a level")
    return replace(assessment, answers=answers)


@pytest.mark.parametrize("qid", SHIPPED)
def test_round_trip_reproduces_every_answer_exactly(bank, qid):
    questionnaire = bank.questionnaire(qid)
    assessment = tricky_assessment(bank, qid)
    data = assessment_workbook(questionnaire, assessment, org_name="Northwind Water")
    assert read_answers_workbook(data, questionnaire) == dict(assessment.answers)
    assert read_workbook_about(data) == WorkbookAbout(qid, "Baseline 2026")
    empty = Organization("Northwind Water", assessments=(replace(assessment, answers={}),))
    merged = merge_workbook_answers(empty, 0, read_answers_workbook(data, questionnaire))
    assert merged.assessments[0] == assessment


@pytest.mark.parametrize("qid", SHIPPED)
def test_blank_workbook_has_a_row_per_question_and_imports_nothing(bank, qid):
    questionnaire = bank.questionnaire(qid)
    data = assessment_workbook(questionnaire, Assessment(qid, "Offline"), org_name="Acme")
    rows = values(open_workbook(data)[ANSWERS])[1:]
    assert [row[0] for row in rows] == [q.id for q in questionnaire.questions]
    assert all(row[4:] == [None] * 6 + [0] for row in rows)  # revision 0: nothing stored yet
    assert read_answers_workbook(data, questionnaire) == {}


def small_assessment():
    return Assessment(
        "t",
        "Baseline 2026",
        target=3,
        answers={
            "a": Answer(4, note="web form", evidence="site"),
            "b": Answer(2),
            "c": Answer("na", reason="no branches"),
            "d": Answer("unknown"),
        },
    )


ACTIONS = [
    {
        "what": "Write the procedure",
        "clause": "1.1",
        "question": "b",
        "priority": 6,
        "owner": "Ann",
        "due": "2026-05-01",
        "status": "in progress",
    },
    {"what": "Find out", "question": "d", "status": "open"},
]


def test_workbook_sheets_hold_the_whole_assessment():
    data = assessment_workbook(
        tree(),
        small_assessment(),
        org_name="Acme Water",
        answers_meta={"a": ("ann@example.org", "2026-03-01 10:12", 3)},
        actions=ACTIONS,
    )
    wb = open_workbook(data)
    assert wb.sheetnames == [ANSWERS, CLAUSE_SCORES, GAPS, ACTION_PLAN, KEY, ABOUT]
    assert values(wb[ANSWERS]) == [
        [
            "Question ID",
            "Clause",
            "Clause title",
            "Question",
            "Level",
            "N/A reason",
            "Note",
            "Evidence",
            "Who",
            "When",
            "Revision",
        ],
        ["a", "1.1", "One-one", "Q a?", 4, None, "web form", "site", "ann@example.org", "2026-03-01 10:12", 3],
        ["b", "1.1", "One-one", "Q b?", 2, None, None, None, None, None, 0],
        ["c", "1.2", "One-two", "Q c?", "N/A", "no branches", None, None, None, None, 0],
        ["d", "2.1", "Two-one", "Q d?", "Don't know", None, None, None, None, None, 0],
        ["e", "2.1", "Two-one", "Q e?\n(Only if d >= 2)", None, None, None, None, None, None, 0],
    ]
    # 1.1: (1 + 1.5)/4 = 62.5; 2.1: d unknown = 0 (e hidden); whole: 2.5/5 = 50
    assert values(wb[CLAUSE_SCORES]) == [
        ["Clause", "Title", "Score (%)", "Maturity (1-5)", "Coverage"],
        ["T:2018", "Whole standard", 50, 3, 1],
        ["1", "One", 62.5, 4, 1],
        ["1.1", "One-one", 62.5, 4, 1],
        ["1.2", "One-two", None, None, 1],
        ["2", "Two", 0, 1, 1],
        ["2.1", "Two-one", 0, 1, 1],
    ]
    assert values(wb[GAPS]) == [
        ["Priority", "Clause", "Question ID", "Question", "Current level", "Recommendation"],
        [6, "1.1", "b", "Q b?", 2, "Fix b."],
    ]  # d is a "don't know": to find out, not a gap
    assert values(wb[ACTION_PLAN]) == [
        ["Action", "Clause", "Question ID", "Priority", "Owner", "Due date", "Status", "Action ID", "Version"],
        ["Write the procedure", "1.1", "b", 6, "Ann", dt.datetime(2026, 5, 1), "in progress", None, None],
        ["Find out", None, "d", None, None, None, "open", None, None],
    ]
    about = wb[ABOUT]
    assert values(about) == [
        ["Format", "assess-workbook/1"],
        ["Questionnaire", "t"],
        ["Standard", "T:2018"],
        ["Assessment", "Baseline 2026"],
        ["Target", 3],
        ["Organization", "Acme Water"],
    ]
    assert about.sheet_state == "hidden"
    assert about.protection.sheet


def test_every_table_has_styled_frozen_filtered_headers():
    wb = open_workbook(assessment_workbook(tree(), small_assessment(), org_name="Acme", actions=ACTIONS))
    expected_filters = {ANSWERS: "A1:K6", CLAUSE_SCORES: "A1:E7", GAPS: "A1:F2", ACTION_PLAN: "A1:I3", KEY: "A1:B8"}
    for name, ref in expected_filters.items():
        ws = wb[name]
        assert ws.freeze_panes == "A2"
        assert ws.auto_filter.ref == ref
        for cell in ws[1]:
            assert cell.font.b
            assert cell.fill.fgColor.rgb == "001F4E78"
        assert all(ws.column_dimensions[cell.column_letter].width >= 9 for cell in ws[1])
    assert wb[ANSWERS]["D2"].alignment.wrap_text
    assert wb[ANSWERS].row_dimensions[2].height >= 15


def test_empty_action_plan_keeps_its_headers():
    wb = open_workbook(assessment_workbook(tree(), small_assessment(), org_name="Acme"))
    assert values(wb[ACTION_PLAN]) == [
        ["Action", "Clause", "Question ID", "Priority", "Owner", "Due date", "Status", "Action ID", "Version"]
    ]
    assert wb[ACTION_PLAN].auto_filter.ref == "A1:I1"


def test_level_and_status_have_drop_downs():
    wb = open_workbook(assessment_workbook(tree(), small_assessment(), org_name="Acme", actions=ACTIONS))
    [level] = wb[ANSWERS].data_validations.dataValidation
    assert (level.type, level.formula1, str(level.sqref)) == ("list", '"0,1,2,3,4,N/A,Don\'t know"', "E2:E6")
    assert level.showErrorMessage and level.allowBlank
    assert "4 Fully in place and reviewed" in level.prompt
    [status] = wb[ACTION_PLAN].data_validations.dataValidation
    assert (status.type, status.formula1, str(status.sqref)) == ("list", '"open,in progress,done"', "G2:G502")


def test_same_input_gives_the_same_bytes(bank):
    questionnaire = bank.questionnaire("iso10002-2018")
    assessment = example_organization(bank, "iso10002-2018").assessments[0]
    first = assessment_workbook(questionnaire, assessment, org_name="Acme", actions=ACTIONS)
    assert assessment_workbook(questionnaire, assessment, org_name="Acme", actions=ACTIONS) == first
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(2000, 1, 1, 0, 0, 0)}
    assert open_workbook(first).properties.modified == dt.datetime(2000, 1, 1)


def test_text_that_looks_like_a_formula_stays_text():
    assessment = Assessment("t", "x", answers={"a": Answer(1, note='=HYPERLINK("http://x")')})
    data = assessment_workbook(tree(), assessment, org_name="Acme")
    assert open_workbook(data)[ANSWERS]["G2"].data_type == "s"
    assert read_answers_workbook(data, tree())["a"].note == '=HYPERLINK("http://x")'


def test_control_characters_xml_cannot_hold_are_dropped():
    assessment = Assessment("t", "x", answers={"a": Answer(1, note="bell\x07 and tab\t")})
    data = assessment_workbook(tree(), assessment, org_name="Acme")
    assert read_answers_workbook(data, tree())["a"].note == "bell and tab\t"


def test_workbook_filename_is_safe():
    assert workbook_filename(Assessment("iso10002-2018", "Baseline 2026")) == "iso10002-2018_baseline-2026.xlsx"
    assert workbook_filename(Assessment("iso10002-2018", "../Ünïcode / 🚰")) == "iso10002-2018_unicode.xlsx"
    assert workbook_filename(Assessment("iso10002-2018", "🚰")) == "iso10002-2018_assessment.xlsx"


# --- reading filled-in workbooks ---------------------------------------------------------------------


def blank_workbook(bank, qid="iso10002-2018"):
    return assessment_workbook(bank.questionnaire(qid), Assessment(qid, "Offline"), org_name="Acme")


def edited(data, edit, sheet=ANSWERS):
    wb = open_workbook(data)
    edit(wb[sheet] if sheet in wb.sheetnames else wb)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def filled(bank, cells, qid="iso10002-2018"):
    def edit(ws):
        for ref, value in cells.items():
            ws[ref] = value

    return edited(blank_workbook(bank, qid), edit)


@pytest.mark.parametrize(
    "cell,expected",
    [
        (3, 3),
        (3.0, 3),
        ("3", 3),
        (" 0 ", 0),
        ("N/A", "na"),
        ("n/a", "na"),
        ("NA", "na"),
        ("Don't know", "unknown"),
        ("don\u2019t  know", "unknown"),
        ("Dont know", "unknown"),
        ("UNKNOWN", "unknown"),
    ],
)
def test_level_spellings_people_type_are_accepted(bank, cell, expected):
    questionnaire = bank.questionnaire("iso10002-2018")
    na_row = 2 + next(i for i, q in enumerate(questionnaire.questions) if q.allow_na)
    data = filled(bank, {f"E{na_row}": cell, f"F{na_row}": "no reason needed otherwise"})
    assert read_answers_workbook(data, questionnaire)[questionnaire.questions[na_row - 2].id].value == expected


def test_who_when_and_question_columns_are_not_read(bank):
    questionnaire = bank.questionnaire("iso10002-2018")
    data = filled(bank, {"E2": 2, "B2": "9.9", "D2": "changed text", "I2": 42, "J2": dt.datetime(2026, 1, 1)})
    assert read_answers_workbook(data, questionnaire) == {questionnaire.questions[0].id: Answer(2)}


def test_numbers_and_dates_in_text_cells_become_text(bank):
    questionnaire = bank.questionnaire("iso10002-2018")
    data = filled(bank, {"E2": 1, "G2": 42, "H2": 2.5})
    assert read_answers_workbook(data, questionnaire)[questionnaire.questions[0].id] == Answer(
        1, note="42", evidence="2.5"
    )


def test_blank_rows_below_the_table_are_ignored(bank):
    questionnaire = bank.questionnaire("iso10002-2018")
    data = filled(bank, {"A400": "   ", "G401": None, "I402": "someone"})
    assert read_answers_workbook(data, questionnaire) == {}


def refused(bank, data, qid="iso10002-2018"):
    with pytest.raises(WorkbookError) as info:
        read_answers_workbook(data, bank.questionnaire(qid))
    return info.value.problems


def first_with(bank, allow_na):
    """Return (row, question id) of the first question of iso10002-2018 that does or does not allow N/A."""
    questions = bank.questionnaire("iso10002-2018").questions
    index = next(i for i, q in enumerate(questions) if q.allow_na == allow_na)
    return index + 2, questions[index].id


def no_row(qid):
    return f'Answers: question id "{qid}" has no row (rows must not be deleted and question ids must not be changed)'


CELL_CASES = [
    ("level word", {"E14": "maybe"}, ['Answers!E14: level must be 0-4, N/A or Don\'t know, got "maybe"']),
    ("level too high", {"E3": 7}, ["Answers!E3: level must be 0-4, N/A or Don't know, got 7"]),
    ("level between", {"E4": 2.5}, ["Answers!E4: level must be 0-4, N/A or Don't know, got 2.5"]),
    ("level negative text", {"E5": "-1"}, ['Answers!E5: level must be 0-4, N/A or Don\'t know, got "-1"']),
    ("level true", {"E6": True}, ["Answers!E6: level must be 0-4, N/A or Don't know, got True"]),
    (
        "level a date",
        {"E7": dt.datetime(2026, 3, 1)},
        ["Answers!E7: level must be 0-4, N/A or Don't know, got 2026-03-01 00:00:00"],
    ),
    ("note too long", {"E2": 1, "G2": "x" * 5001}, ["Answers!G2: must be at most 5000 characters, got 5001"]),
    ("evidence too long", {"E2": 1, "H2": "é" * 5001}, ["Answers!H2: must be at most 5000 characters, got 5001"]),
    ("reason too long", {"E2": 1, "F2": "x" * 6000}, ["Answers!F2: must be at most 5000 characters, got 6000"]),
    (
        "note without a level",
        {"G9": "we do this"},
        ["Answers!E9: a level is needed for the N/A reason, note or evidence in this row"],
    ),
]


@pytest.mark.parametrize("name,cells,expected", CELL_CASES, ids=[c[0] for c in CELL_CASES])
def test_bad_cell_is_refused_with_its_reference(bank, name, cells, expected):
    assert refused(bank, filled(bank, cells)) == expected


def test_na_without_a_reason_is_refused(bank):
    row, _ = first_with(bank, allow_na=True)
    data = filled(bank, {f"E{row}": "N/A", f"F{row}": "   "})
    assert refused(bank, data) == [f"Answers!F{row}: a reason is needed when the level is N/A"]


def test_na_where_the_question_does_not_allow_it_is_refused(bank):
    row, _ = first_with(bank, allow_na=False)
    data = filled(bank, {f"E{row}": "n/a", f"F{row}": "we think so"})
    assert refused(bank, data) == [f"Answers!E{row}: N/A is not allowed for this question"]


def test_unknown_question_id_is_refused(bank):
    first = bank.questionnaire("iso10002-2018").questions[18].id
    data = filled(bank, {"A20": "10002-7.4-z"})
    assert refused(bank, data) == ['Answers!A20: question id "10002-7.4-z" is not in iso10002-2018', no_row(first)]


def test_question_id_of_another_questionnaire_is_refused(bank):
    moved = bank.questionnaire("iso10001-2018").questions[0].id
    replaced = bank.questionnaire("iso10002-2018").questions[0].id
    assert refused(bank, filled(bank, {"A2": moved})) == [
        f'Answers!A2: question id "{moved}" is not in iso10002-2018',
        no_row(replaced),
    ]


def test_duplicated_question_id_is_refused(bank):
    questions = bank.questionnaire("iso10002-2018").questions
    data = filled(bank, {"A3": questions[0].id})
    assert refused(bank, data) == [
        f'Answers!A3: question id "{questions[0].id}" is also in row 2',
        no_row(questions[1].id),
    ]


def test_deleted_row_is_refused(bank):
    lost = bank.questionnaire("iso10002-2018").questions[3].id
    assert refused(bank, edited(blank_workbook(bank), lambda ws: ws.delete_rows(5))) == [no_row(lost)]


def test_cleared_question_id_is_refused(bank):
    lost = bank.questionnaire("iso10002-2018").questions[6].id
    assert refused(bank, filled(bank, {"A8": None})) == ["Answers!A8: question id is missing", no_row(lost)]


def test_moved_column_is_refused(bank):
    data = edited(blank_workbook(bank), lambda ws: ws.insert_cols(5))
    problems = refused(bank, data)
    assert problems[0] == (
        'Answers!E1: column must be "Level", got None; columns must not be moved, inserted or deleted'
    )
    assert len(problems) == 7  # E1 to K1, and nothing about the rows


def test_every_problem_is_reported_and_nothing_is_returned(bank):
    data = filled(bank, {"E2": 3, "E3": "maybe", "G4": "x" * 5001, "E4": 1, "E5": 2})
    assert refused(bank, data) == [
        'Answers!E3: level must be 0-4, N/A or Don\'t know, got "maybe"',
        "Answers!G4: must be at most 5000 characters, got 5001",
    ]


@pytest.mark.parametrize("data", [b"", b"hello", b"PK\x03\x04 broken zip"], ids=["empty", "text", "broken zip"])
def test_file_that_is_not_a_workbook_is_refused(bank, data):
    [problem] = refused(bank, data)
    assert problem.startswith("not an Excel workbook (.xlsx)")
    assert "zip" not in problem.lower() and "Error" not in problem  # our words, never the library's


def test_zip_that_is_not_a_workbook_is_refused(bank):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    [problem] = refused(bank, buffer.getvalue())
    assert problem.startswith("not an Excel workbook (.xlsx)")


def test_workbook_not_exported_by_assess_is_refused(bank):
    out = io.BytesIO()
    openpyxl.Workbook().save(out)
    assert refused(bank, out.getvalue()) == ["not a workbook exported by assess: it has no About sheet"]


def test_workbook_of_another_format_is_refused(bank):
    data = edited(blank_workbook(bank), lambda ws: ws.cell(1, 2, "assess-workbook/9"), sheet=ABOUT)
    assert refused(bank, data) == [
        'About!B1: not a workbook exported by assess: format must be assess-workbook/1, got "assess-workbook/9"'
    ]


def test_workbook_of_another_questionnaire_is_refused(bank):
    data = blank_workbook(bank, "iso10001-2018")
    assert refused(bank, data, "iso10002-2018") == ['About!B2: the workbook is of "iso10001-2018", not "iso10002-2018"']


def test_workbook_without_answers_sheet_is_refused(bank):
    data = edited(blank_workbook(bank), lambda wb: wb.remove(wb[ANSWERS]), sheet="")
    assert refused(bank, data) == ["the workbook has no Answers sheet"]


# --- merging -----------------------------------------------------------------------------------------


def test_merge_overwrites_answered_rows_and_keeps_the_rest(bank):
    other = Assessment("iso10001-2018", "Other", answers={"10001-4.2-a": Answer(1)})
    current = Assessment(
        "iso10002-2018", "Baseline", target=4, answers={"x-1": Answer(1, note="old"), "x-2": Answer(2)}
    )
    org = Organization("Acme", {"org.legal_name": "Acme"}, (other, current))
    merged = merge_workbook_answers(org, 1, {"x-2": Answer(3), "x-3": Answer("unknown")})
    assert merged == Organization(
        "Acme",
        {"org.legal_name": "Acme"},
        (
            other,
            Assessment(
                "iso10002-2018",
                "Baseline",
                target=4,
                answers={"x-1": Answer(1, note="old"), "x-2": Answer(3), "x-3": Answer("unknown")},
            ),
        ),
    )
    assert org.assessments[1].answers == {"x-1": Answer(1, note="old"), "x-2": Answer(2)}


@pytest.mark.parametrize("index", [-1, 2])
def test_merge_into_a_missing_assessment_raises(index):
    org = Organization("Acme", assessments=(Assessment("t", "a"), Assessment("t", "b")))
    with pytest.raises(IndexError):
        merge_workbook_answers(org, index, {})


def test_imported_workbook_scores_like_the_original(bank):
    questionnaire = bank.questionnaire("iso10003-2018")
    assessment = example_organization(bank, "iso10003-2018").assessments[0]
    answers = read_answers_workbook(assessment_workbook(questionnaire, assessment, org_name="x"), questionnaire)
    assert score_assessment(questionnaire, values_of(answers)) == score_assessment(questionnaire, assessment.values)

"""Excel workbooks of one assessment: export to hand out or fill offline, and import the answers back.

The workbook has the sheets Answers (one row per question), Clause scores, Gaps, Action plan, Key
(how to read the scales) and a hidden About sheet holding the format marker, the questionnaire id
and the assessment title. Import checks every cell of the Answers sheet and rejects the whole
file, naming each bad cell (``Answers!E14: level must be 0-4, N/A or Don't know, got "maybe"``);
the Action plan sheet is read back the same way by `workbook_actions`.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import math
import os
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from assess.core.answers import (
    ACTION_STATUSES,
    MAX_TEXT,
    NOT_APPLICABLE,
    UNKNOWN,
    Answer,
    Assessment,
    Organization,
    answer_problems,
    parse_value,
)
from assess.core.checks import printable, text_problem, xml_safe
from assess.core.findings import real_gaps
from assess.core.problems import ProblemList
from assess.core.questionnaire import Question, Questionnaire, Retired
from assess.core.scoring import score_assessment
from assess.core.slug import slugify
from assess.core.vocabulary import LEVELS, SHORT_LABELS, level_label, scale_key
from assess.formats.limits import WorkbookError, excel_error, reading_workbook, table_sheet

FORMAT = "assess-workbook/1"
ANSWERS = "Answers"
CLAUSE_SCORES = "Clause scores"
GAPS = "Gaps"
ACTION_PLAN = "Action plan"
KEY = "Key"
ABOUT = "About"
LEVEL_TEXT: Mapping[str, str] = SHORT_LABELS
"""How the special answer values are written in a Level cell (levels 0-4 are written as numbers)."""

_LEVEL_WORDS = {
    "n/a": NOT_APPLICABLE,
    "na": NOT_APPLICABLE,
    "don't know": UNKNOWN,
    "dont know": UNKNOWN,
    "unknown": UNKNOWN,
}
_FIXED_TIME = dt.datetime(2000, 1, 1)  # same input, same bytes: no wall clock in the file
_SPARE_ROWS = 500  # action-plan rows below the exported ones that still get the status drop-down
_LINE_HEIGHT = 15.0  # points per line of 11 pt text
_CHARS_PER_WIDTH = 1.2  # characters of prose per unit of column width, on the safe side
_MAX_ROW_HEIGHT = 409.0  # the largest row height Excel allows
_HEADER_FONT = Font(name="Calibri", bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="1F4E78")
_GIVEN_FILL = PatternFill("solid", fgColor="F2F2F2")


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    width: int
    wrap: bool = False
    given: bool = False  # filled by the export, not by the person answering
    number_format: str | None = None
    centered: bool = False


ANSWER_COLUMNS = (
    Column("question", "Question ID", 16, given=True),
    Column("clause", "Clause", 9, given=True),
    Column("clause_title", "Clause title", 26, wrap=True, given=True),
    Column("text", "Question", 60, wrap=True, given=True),
    Column("level", "Level", 12, centered=True),
    Column("reason", "N/A reason", 30, wrap=True),
    Column("note", "Note", 40, wrap=True),
    Column("evidence", "Evidence", 40, wrap=True),
    Column("who", "Who", 18),
    Column("when", "When", 18),
    # the revision each answer had when the workbook was made: an upload changes only what was
    # changed in the workbook, and what someone changed meanwhile comes back as a conflict
    Column("revision", "Revision", 10, given=True, centered=True),
)
CLAUSE_COLUMNS = (
    Column("clause", "Clause", 12),
    Column("title", "Title", 50, wrap=True),
    Column("score", "Score (%)", 11, number_format="0.0", centered=True),
    Column("maturity", "Maturity (1-5)", 15, centered=True),
    Column("coverage", "Coverage", 11, number_format="0%", centered=True),
)
GAP_COLUMNS = (
    Column("priority", "Priority", 10, centered=True),
    Column("clause", "Clause", 9),
    Column("question", "Question ID", 16),
    Column("text", "Question", 60, wrap=True),
    Column("level", "Current level", 14, centered=True),
    Column("recommendation", "Recommendation", 60, wrap=True),
)
ACTION_COLUMNS = (
    Column("what", "Action", 50, wrap=True),
    Column("clause", "Clause", 9),
    Column("question", "Question ID", 16),
    Column("priority", "Priority", 10, centered=True),
    Column("owner", "Owner", 20),
    Column("due", "Due date", 12, number_format="yyyy-mm-dd"),
    Column("status", "Status", 13),
    Column("id", "Action ID", 10, given=True, centered=True),  # blank: a new action, added on import
    Column("version", "Version", 18, given=True),  # hidden: what the action said when exported
)
KEY_COLUMNS = (Column("term", "Scale", 16), Column("meaning", "What it means", 100, wrap=True))
_TEXT_FIELDS = ("reason", "note", "evidence")
_COLUMN = {c.key: get_column_letter(i) for i, c in enumerate(ANSWER_COLUMNS, start=1)}
ANSWER_COLUMN_LETTERS: Mapping[str, str] = _COLUMN
"""The Answers sheet's column letter of each part of a row (level, reason, note, evidence, ...)."""
_INDEX = {c.key: i for i, c in enumerate(ANSWER_COLUMNS)}
_LEVEL_PROMPT = (
    "; ".join(level_label(n) for n in LEVELS)
    + f"; {SHORT_LABELS[NOT_APPLICABLE]} (give a reason); {SHORT_LABELS[UNKNOWN]}"
)


def level_text(value: int | str) -> int | str:
    """Return what a Level cell shows for an answer value: the number 0-4, "N/A" or "Don't know"."""
    return LEVEL_TEXT.get(value, value) if isinstance(value, str) else value


def workbook_filename(assessment: Assessment) -> str:
    """Return a safe file name such as ``iso10002-2018_baseline-2026.xlsx``."""
    return f"{slugify(assessment.questionnaire, 'questionnaire')}_{slugify(assessment.title, 'assessment')}.xlsx"


# --- writing -----------------------------------------------------------------------------


def _put(ws: Worksheet, row: int, col: int, value: Any) -> None:
    cell = ws.cell(row=row, column=col)
    if isinstance(value, str):
        cell.value = xml_safe(value)  # control characters XML cannot hold
        cell.data_type = "s"  # text that starts with "=" stays text, never becomes a formula
    else:
        cell.value = value


def _row_height(columns: Sequence[Column], values: Sequence[Any]) -> float:
    """Return a row height in points that shows all wrapped text (not every spreadsheet program
    fits row heights itself when it opens a file)."""
    lines = 1
    for column, value in zip(columns, values, strict=True):
        if column.wrap and isinstance(value, str):
            lines = max(
                lines, sum(math.ceil(len(part) / (column.width * _CHARS_PER_WIDTH)) or 1 for part in value.split("\n"))
            )
    return min(_MAX_ROW_HEIGHT, _LINE_HEIGHT * lines)


def _table(wb: Workbook, title: str, columns: Sequence[Column], rows: Iterable[Sequence[Any]]) -> Worksheet:
    """Return a new sheet holding a header row and the rows, styled, frozen and filterable."""
    ws = wb.create_sheet(title)
    for col, column in enumerate(columns, start=1):
        _put(ws, 1, col, column.header)
        header = ws.cell(row=1, column=col)
        header.font = _HEADER_FONT
        header.fill = _HEADER_FILL
        header.alignment = Alignment(vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(col)].width = column.width
    last_row = 1
    for last_row, values in enumerate(rows, start=2):
        ws.row_dimensions[last_row].height = _row_height(columns, values)
        for col, (column, value) in enumerate(zip(columns, values, strict=True), start=1):
            _put(ws, last_row, col, value)
            cell = ws.cell(row=last_row, column=col)
            cell.alignment = Alignment(
                vertical="top", wrap_text=column.wrap, horizontal="center" if column.centered else None
            )
            if column.given:
                cell.fill = _GIVEN_FILL
            if column.number_format:
                cell.number_format = column.number_format
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{last_row}"
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    return ws


def _drop_down(ws: Worksheet, cells: str, choices: Sequence[str], title: str, prompt: str) -> None:
    listed = ",".join(choices)
    validation = DataValidation(
        type="list",
        formula1=f'"{listed}"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=title,
        error=f"Choose one of: {', '.join(choices)}.",
        showInputMessage=True,
        promptTitle=title,
        prompt=prompt,
    )
    validation.add(cells)
    ws.add_data_validation(validation)


def _question_text(question: Question) -> str:
    if question.show_if is None:
        return question.text
    return f"{question.text}\n(Only if {question.show_if.source})"


def _due(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value
    return value


def assessment_workbook(
    questionnaire: Questionnaire,
    assessment: Assessment,
    *,
    org_name: str,
    answers_meta: Mapping[str, tuple[str, str, int]] | None = None,
    actions: Sequence[Mapping[str, Any]] = (),
    shared: Mapping[str, str] | None = None,
) -> bytes:
    """Return the .xlsx bytes of one assessment: answers (every question, answered or not), clause
    scores, gaps, action plan and the hidden About sheet; identical input gives identical bytes.

    `answers_meta` maps question ids to (who, when, revision) of the last change; `actions` are mappings with
    the keys what, clause, question, priority, owner, due and status (missing keys stay blank);
    `shared` maps question ids to a line saying where else the same practice is asked and answered.
    """
    meta = answers_meta or {}
    result = score_assessment(questionnaire, assessment.values, assessment.target)
    wb = Workbook()
    wb.remove(wb.active)
    wb.properties.creator = "assess"
    # stored before text was checked on the way in, a title may still hold characters XML cannot
    wb.properties.title = xml_safe(f"{questionnaire.label} {assessment.title} - {org_name}")
    wb.properties.created = wb.properties.modified = _FIXED_TIME

    answer_rows = []
    for question in questionnaire.questions:
        answer = assessment.answers.get(question.id)
        who, when, revision = meta.get(question.id, ("", "", 0))
        answer_rows.append(
            (
                question.id,
                question.clause_ref,
                questionnaire.clause(question.clause_ref).title,
                _question_text(question) + (f"\n({shared[question.id]})" if shared and question.id in shared else ""),
                level_text(answer.value) if answer and answer.value is not None else None,
                answer.reason if answer else "",
                answer.note if answer else "",
                answer.evidence if answer else "",
                who,
                when,
                revision,
            )
        )
    answers = _table(wb, ANSWERS, ANSWER_COLUMNS, answer_rows)
    level_cells = f"{_COLUMN['level']}2:{_COLUMN['level']}{len(answer_rows) + 1}"
    _drop_down(answers, level_cells, ["0", "1", "2", "3", "4", *LEVEL_TEXT.values()], "Level", _LEVEL_PROMPT)

    clause_rows = [(questionnaire.label, "Whole standard", result.score, result.maturity, result.coverage)]
    clause_rows += [(c.ref, c.title, c.score, c.maturity, c.coverage) for c in result.clauses]
    scores = _table(wb, CLAUSE_SCORES, CLAUSE_COLUMNS, clause_rows)
    for row, clause in enumerate(result.clauses, start=3):
        scores.cell(row=row, column=1).alignment = Alignment(vertical="top", indent=clause.depth)

    _table(
        wb,
        GAPS,
        GAP_COLUMNS,
        [(g.priority, g.clause, g.question, g.text, level_text(g.value), g.recommendation) for g in real_gaps(result)],
    )

    plan = _table(
        wb,
        ACTION_PLAN,
        ACTION_COLUMNS,
        [tuple(_due(a.get(c.key)) if c.key == "due" else a.get(c.key) for c in ACTION_COLUMNS) for a in actions],
    )
    status = get_column_letter(1 + [c.key for c in ACTION_COLUMNS].index("status"))
    _drop_down(
        plan, f"{status}2:{status}{len(actions) + _SPARE_ROWS}", ACTION_STATUSES, "Status", "open, in progress or done"
    )
    plan.column_dimensions[get_column_letter(len(ACTION_COLUMNS))].hidden = True
    _table(wb, KEY, KEY_COLUMNS, scale_key(assessment.target))

    about = wb.create_sheet(ABOUT)
    about_rows = (
        ("Format", FORMAT),
        ("Questionnaire", questionnaire.id),
        ("Standard", questionnaire.label),
        ("Assessment", assessment.title),
        ("Target", assessment.target),
        ("Organization", org_name),
    )
    for row, (label, value) in enumerate(about_rows, start=1):
        _put(about, row, 1, label)
        _put(about, row, 2, value)
    about.column_dimensions["A"].width = 16
    about.column_dimensions["B"].width = 40
    about.sheet_state = "hidden"
    about.protection.sheet = True
    wb.active = 0
    return _save(wb)


class _FixedTimeZip(zipfile.ZipFile):
    """A zip archive whose members all carry one fixed timestamp."""

    def writestr(self, zinfo_or_arcname: Any, data: Any, compress_type: Any = None, compresslevel: Any = None) -> None:
        if isinstance(zinfo_or_arcname, str):
            info = zipfile.ZipInfo(zinfo_or_arcname, date_time=_FIXED_TIME.timetuple()[:6])
            info.compress_type = self.compression
            info.external_attr = 0o600 << 16
            zinfo_or_arcname = info
        super().writestr(zinfo_or_arcname, data, compress_type, compresslevel)

    def write(self, filename: Any, arcname: Any = None, compress_type: Any = None, compresslevel: Any = None) -> None:
        # openpyxl writes each worksheet to a temporary file first; its mtime must not reach the zip
        with open(filename, "rb") as source:
            self.writestr(arcname or os.path.basename(filename), source.read(), compress_type, compresslevel)


def _save(wb: Workbook) -> bytes:
    buffer = io.BytesIO()
    # ExcelWriter rather than wb.save(): save() stamps the current time into the document properties
    ExcelWriter(wb, _FixedTimeZip(buffer, "w", zipfile.ZIP_DEFLATED)).save()
    return buffer.getvalue()


# --- reading -----------------------------------------------------------------------------


@dataclass(frozen=True)
class WorkbookAbout:
    """What the hidden About sheet says: which questionnaire and assessment the workbook is of."""

    questionnaire: str
    title: str


def _about(wb: Workbook) -> WorkbookAbout:
    if ABOUT not in wb.sheetnames:
        raise WorkbookError([f"not a workbook exported by assess: it has no {ABOUT} sheet"])
    fields = {
        label: value
        for label, value, *_ in table_sheet(wb, ABOUT).iter_rows(max_col=2, values_only=True)
        if label is not None
    }
    if fields.get("Format") != FORMAT:
        got = _describe(fields.get("Format"))
        raise WorkbookError([f"{ABOUT}!B1: not a workbook exported by assess: format must be {FORMAT}, got {got}"])
    return WorkbookAbout(questionnaire=str(fields.get("Questionnaire", "")), title=str(fields.get("Assessment", "")))


def read_workbook_about(data: bytes) -> WorkbookAbout:
    """Return the questionnaire id and assessment title a workbook was exported for; raises
    WorkbookError when it is not a workbook or not one exported by assess."""
    with reading_workbook(data) as wb:
        return _about(wb)


def _describe(value: Any) -> str:
    return printable(json.dumps(value, ensure_ascii=False)[:80]) if isinstance(value, str) else str(value)[:80]


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value: Any) -> str:
    return "" if value is None else value if isinstance(value, str) else str(value)


def _level(raw: Any) -> int | str | None:
    """Return the answer value in a Level cell, or None when it is not one."""
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    if isinstance(raw, str):
        words = " ".join(raw.replace("\u2019", "'").lower().split())
        raw = _LEVEL_WORDS.get(words, words)
    try:
        return parse_value(raw)
    except ValueError:
        return None


# answer_problems' field -> the column it points at, and what to say in a workbook's words
_ANSWER_PROBLEM: Mapping[str, tuple[str, str]] = {
    "value": ("level", "N/A is not allowed for this question"),
    "reason": ("reason", "a reason is needed when the level is N/A"),
}


@dataclass(frozen=True)
class WorkbookAnswers:
    """The answers of a workbook's Answers sheet (rows with a level), each with the revision it was
    made from and the sheet row it is in."""

    answers: Mapping[str, Answer]
    revisions: Mapping[str, int]
    rows: Mapping[str, int]

    def cell(self, question_id: str, key: str) -> str:
        """Return the cell reference of one part of a question's row, e.g. ``Answers!E14``."""
        return f"{ANSWERS}!{_COLUMN[key]}{self.rows[question_id]}"


NO_REVISIONS = (
    "this workbook was downloaded before answers had revisions (it has no Revision column), so it cannot "
    "tell which answers you changed: download the workbook again, copy your changes into it and upload that"
)


class _RowReader:
    def __init__(self, questionnaire: Questionnaire, retired: Mapping[str, Retired]):
        self.questionnaire = questionnaire
        self.retired = retired
        self.problems = ProblemList()
        self.rows: dict[str, int] = {}
        self.answers: dict[str, Answer] = {}
        self.revisions: dict[str, int] = {}

    def add(self, row: int, key: str, message: str) -> None:
        self.problems.append(f"{ANSWERS}!{_COLUMN[key]}{row}: {message}")

    def header(self, cells: Sequence[Any]) -> None:
        if cells[_INDEX["revision"]] is None and cells[_INDEX["when"]] == "When":
            self.problems.append(f"{ANSWERS}!{_COLUMN['revision']}1: {NO_REVISIONS}")
            return
        for column, cell in zip(ANSWER_COLUMNS, cells, strict=True):
            if cell != column.header:
                self.add(
                    1,
                    column.key,
                    f"column must be {_describe(column.header)}, got {_describe(cell)}; "
                    "columns must not be moved, inserted or deleted",
                )

    def row(self, row: int, cells: Sequence[Any]) -> None:
        errors = [
            (column.key, problem)
            for column, value in zip(ANSWER_COLUMNS, cells, strict=False)
            if (problem := excel_error(value))
        ]
        for key, problem in errors:
            self.add(row, key, problem)
        if errors:
            return
        raw_id = cells[_INDEX["question"]]
        if _blank(raw_id):
            if not all(_blank(value) for value in cells[: _INDEX["who"]]):
                self.add(row, "question", "question id is missing")
            return
        qid = raw_id.strip() if isinstance(raw_id, str) else raw_id
        retired = self.retired.get(qid) if isinstance(qid, str) else None
        if retired is not None and retired.questionnaire == self.questionnaire.id:
            if not _blank(cells[_INDEX["level"]]):
                where = (
                    f"its answer now belongs to {retired.replaced_by[0]}: put it in that row"
                    if retired.replaced_by
                    else "nothing replaces it: clear the row"
                )
                self.add(row, "question", f"question {qid} was retired ({retired.why}); {where}")
            return
        if not isinstance(qid, str) or not self.questionnaire.has_question(qid):
            self.add(row, "question", f"question id {_describe(qid)} is not in {self.questionnaire.id}")
            return
        if qid in self.rows:
            self.add(row, "question", f"question id {_describe(qid)} is also in row {self.rows[qid]}")
            return
        self.rows[qid] = row
        before = len(self.problems)
        raw_revision = cells[_INDEX["revision"]]
        if isinstance(raw_revision, float) and raw_revision.is_integer():
            raw_revision = int(raw_revision)
        if isinstance(raw_revision, int) and not isinstance(raw_revision, bool) and 0 <= raw_revision < 10**9:
            self.revisions[qid] = raw_revision
        elif not _blank(raw_revision):
            got = _describe(raw_revision)
            self.add(row, "revision", f"revision must be the number the workbook was made with, got {got}")
        texts = {key: _text(cells[_INDEX[key]]) for key in _TEXT_FIELDS}
        for key, text in texts.items():
            problem = text_problem(text)
            if len(text) > MAX_TEXT:
                self.add(row, key, f"must be at most {MAX_TEXT} characters, got {len(text)}")
            elif problem is not None:
                self.add(row, key, problem)
        raw_level = cells[_INDEX["level"]]
        if _blank(raw_level):
            if any(text.strip() for text in texts.values()):
                self.add(row, "level", "a level is needed for the N/A reason, note or evidence in this row")
            return
        value = _level(raw_level)
        if value is None:
            self.add(row, "level", f"level must be 0-4, N/A or Don't know, got {_describe(raw_level)}")
            return
        for field in answer_problems(value, texts["reason"], self.questionnaire.question(qid).allow_na):
            key, message = _ANSWER_PROBLEM[field]
            self.add(row, key, message)
        if len(self.problems) == before:
            self.answers[qid] = Answer(value=value, **texts)

    def missing(self) -> None:
        for question in self.questionnaire.questions:
            if question.id not in self.rows:
                self.problems.append(
                    f"{ANSWERS}: question id {_describe(question.id)} has no row (rows must not be deleted "
                    "and question ids must not be changed)"
                )


def read_answers_workbook(data: bytes, questionnaire: Questionnaire) -> dict[str, Answer]:
    """Return question id -> answer for every row of the Answers sheet that has a level; raises
    WorkbookError listing the bad cells (the first 50, then how many more), so a workbook is
    imported whole or not at all."""
    return dict(read_workbook_answers(data, questionnaire).answers)


def read_workbook_answers(
    data: bytes, questionnaire: Questionnaire, retired: Mapping[str, Retired] | None = None
) -> WorkbookAnswers:
    """Return the answers of the Answers sheet with their revisions and rows; raises WorkbookError
    listing the bad cells (the first 50, then how many more), so a workbook is imported whole or not at all."""
    with reading_workbook(data) as wb:
        return _read_answers(wb, questionnaire, retired or {})


def _read_answers(wb: Workbook, questionnaire: Questionnaire, retired: Mapping[str, Retired]) -> WorkbookAnswers:
    about = _about(wb)
    if about.questionnaire != questionnaire.id:
        raise WorkbookError(
            [f"{ABOUT}!B2: the workbook is of {_describe(about.questionnaire)}, not {_describe(questionnaire.id)}"]
        )
    if ANSWERS not in wb.sheetnames:
        raise WorkbookError([f"the workbook has no {ANSWERS} sheet"])
    reader = _RowReader(questionnaire, retired)
    width = len(ANSWER_COLUMNS)
    rows = table_sheet(wb, ANSWERS).iter_rows(min_row=1, max_col=width, values_only=True)
    reader.header(next(rows, (None,) * width))
    if reader.problems:
        raise WorkbookError(reader.problems)
    for number, cells in enumerate(rows, start=2):
        reader.row(number, cells)
    reader.missing()
    if reader.problems:
        raise WorkbookError(reader.problems)
    return WorkbookAnswers(reader.answers, reader.revisions, reader.rows)


def merge_workbook_answers(org: Organization, assessment_index: int, answers: Mapping[str, Answer]) -> Organization:
    """Return the organization with the workbook's answers put over those of one assessment (answers
    the workbook leaves blank are kept); raises IndexError for an assessment it does not have."""
    if not 0 <= assessment_index < len(org.assessments):
        raise IndexError(assessment_index)
    assessment = org.assessments[assessment_index]
    merged = replace(assessment, answers={**assessment.answers, **answers})
    assessments = org.assessments[:assessment_index] + (merged,) + org.assessments[assessment_index + 1 :]
    return replace(org, assessments=assessments)

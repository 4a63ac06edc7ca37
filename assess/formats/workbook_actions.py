"""The workbook's Action plan sheet read back: every cell checked like the answers, the whole file
refused with each bad cell named (``Action plan!F4: due date must be a date, got "soon"``).

A row with an Action ID changes that action (what, owner, due date, status); a row without one
adds an action for a gap of the assessment; a blank row is skipped, and a row deleted from the
sheet deletes nothing. Clause and priority are given by the export and not read. The hidden
Version column says what the action said when the workbook was downloaded, so a change made in the
app since then is never overwritten without a word.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Protocol

from openpyxl.utils import get_column_letter

from assess.core.actions import ActionEdit, action_from_gap, check_due
from assess.core.answers import ACTION_DONE, ACTION_STATUSES, MAX_NAME, MAX_TEXT, Action, Organization
from assess.core.checks import text_problem
from assess.core.questionnaire import Questionnaire
from assess.core.scoring import Gap
from assess.formats.limits import excel_error, reading_workbook, table_sheet
from assess.formats.workbook import ACTION_COLUMNS, ACTION_PLAN, WorkbookError, _describe

_COLUMN = {c.key: get_column_letter(i) for i, c in enumerate(ACTION_COLUMNS, start=1)}
_INDEX = {c.key: i for i, c in enumerate(ACTION_COLUMNS)}
_READ = ("what", "question", "owner", "due", "status", "id", "version")
_OLD_LAYOUT = len(ACTION_COLUMNS) - 2  # workbooks downloaded before the sheet was read back have no ID columns


@dataclass(frozen=True)
class ActionSheetRow:
    """One filled row of the Action plan sheet, its cells checked; `id` is None for a new action
    and `status` "" when the cell was left blank."""

    row: int
    id: int | None
    question: str
    what: str
    owner: str
    due: str
    status: str
    version: str


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return value.strip() if isinstance(value, str) else str(value)


class _SheetReader:
    def __init__(self, questionnaire: Questionnaire):
        self.questionnaire = questionnaire
        self.problems: list[str] = []
        self.rows: list[ActionSheetRow] = []
        self.ids: dict[int, int] = {}

    def add(self, row: int, key: str, message: str) -> None:
        self.problems.append(f"{ACTION_PLAN}!{_COLUMN[key]}{row}: {message}")

    def due(self, row: int, raw: Any) -> str:
        if isinstance(raw, dt.datetime):
            return raw.date().isoformat()
        if isinstance(raw, dt.date):
            return raw.isoformat()
        text = _text(raw)
        try:
            return check_due(text)
        except ValueError:
            self.add(row, "due", f"due date must be a date (YYYY-MM-DD) or blank, got {_describe(raw)}")
            return ""

    def action_id(self, row: int, raw: Any) -> int | None:
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            return None
        text = _text(raw)
        if not (text.isascii() and text.isdigit()) or len(text) > 12:
            self.add(row, "id", f"Action ID is given by the export and must stay as it is, got {_describe(raw)}")
            return None
        number = int(text)
        if number in self.ids:
            self.add(row, "id", f"Action ID {number} is also in row {self.ids[number]}")
            return None
        self.ids[number] = row
        return number

    def row(self, row: int, cells: Sequence[Any]) -> None:
        raw = {key: cells[_INDEX[key]] if _INDEX[key] < len(cells) else None for key in _READ}
        if all(_text(v) == "" for k, v in raw.items() if k != "version"):
            return
        before = len(self.problems)
        for key, value in raw.items():
            if problem := excel_error(value):
                self.add(row, key, problem)
        if len(self.problems) > before:
            return
        action_id = self.action_id(row, raw["id"])
        question = _text(raw["question"])
        if not question:
            self.add(row, "question", "question id is missing: every action is for a gap of one question")
        elif not self.questionnaire.has_question(question):
            self.add(row, "question", f"question id {_describe(question)} is not in {self.questionnaire.id}")
        what = "" if raw["what"] is None else str(raw["what"]).strip()
        if len(what) > MAX_TEXT:
            self.add(row, "what", f"must be at most {MAX_TEXT} characters, got {len(what)}")
        elif not what and action_id is not None:
            self.add(row, "what", "say what is to be done")
        owner = _text(raw["owner"])
        if len(owner) > MAX_NAME:
            self.add(row, "owner", f"must be at most {MAX_NAME} characters, got {len(owner)}")
        for key, text, one_line in (("what", what, False), ("owner", owner, True)):  # the one text check
            problem = text_problem(text, single_line=one_line)
            if problem is not None:
                self.add(row, key, problem)
        due = self.due(row, raw["due"])
        status = " ".join(_text(raw["status"]).lower().split())
        if status and status not in ACTION_STATUSES:
            self.add(row, "status", f"status must be open, in progress or done, got {_describe(raw['status'])}")
        if len(self.problems) == before:
            version = _text(raw["version"])
            self.rows.append(ActionSheetRow(row, action_id, question, what, owner, due, status, version))


def read_action_sheet(data: bytes, questionnaire: Questionnaire) -> list[ActionSheetRow] | None:
    """Return the filled rows of the Action plan sheet, every cell checked; None when the workbook
    has no such sheet or one from before action plans were read back (an older download). Raises
    WorkbookError listing every bad cell."""
    with reading_workbook(data) as wb:  # the guarded, lazy read of assess.formats.limits
        return _read_action_sheet(wb, questionnaire)


def _read_action_sheet(wb: Any, questionnaire: Questionnaire) -> list[ActionSheetRow] | None:
    if ACTION_PLAN not in wb.sheetnames:
        return None
    sheet = table_sheet(wb, ACTION_PLAN)
    rows = sheet.iter_rows(min_row=1, max_col=len(ACTION_COLUMNS), values_only=True)
    header = list(next(rows, ()))
    headers = [c.header for c in ACTION_COLUMNS]
    header += [None] * (len(headers) - len(header))
    if header[:_OLD_LAYOUT] == headers[:_OLD_LAYOUT] and all(h is None for h in header[_OLD_LAYOUT:]):
        return None
    reader = _SheetReader(questionnaire)
    for column, (cell, expected) in enumerate(zip(header, headers, strict=True), start=1):
        if cell != expected:
            reader.problems.append(
                f"{ACTION_PLAN}!{get_column_letter(column)}1: column must be {_describe(expected)}, got "
                f"{_describe(cell)}; columns must not be moved, inserted or deleted"
            )
    if reader.problems:
        raise WorkbookError(reader.problems)
    for number, cells in enumerate(rows, start=2):
        reader.row(number, cells)
    if reader.problems:
        raise WorkbookError(reader.problems)
    return reader.rows


class Stored(Protocol):
    """An action as the plan holds it (the store's rows have these)."""

    @property
    def question_id(self) -> str: ...
    @property
    def what(self) -> str: ...
    @property
    def owner(self) -> str: ...
    @property
    def due(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def version(self) -> str: ...


@dataclass(frozen=True)
class ActionSheetChanges:
    """What the Action plan sheet changes: edits of existing actions and new actions for gaps."""

    edits: tuple[ActionEdit, ...]
    new: tuple[Action, ...]


def action_sheet_changes(
    rows: Sequence[ActionSheetRow],
    questionnaire: str,
    existing: Mapping[int, Stored],
    gaps: Mapping[str, Gap],
    planned: frozenset[str],
) -> ActionSheetChanges:
    """Return the changes the checked rows make to the plan of one assessment; raises WorkbookError
    naming each row that points at an action the assessment does not have, changes an action's
    question, was changed in the app since the download, or adds an action for something that is
    not a gap (`gaps`, by question id, after the workbook's own answers) or is planned already."""
    problems: list[str] = []
    edits: list[ActionEdit] = []
    new: list[Action] = []
    adding: dict[str, int] = {}

    def problem(row: ActionSheetRow, key: str, message: str) -> None:
        problems.append(f"{ACTION_PLAN}!{_COLUMN[key]}{row.row}: {message}")

    for row in rows:
        if row.id is not None:
            stored = existing.get(row.id)
            if stored is None:
                problem(row, "id", f"Action ID {row.id} is not an action of this assessment's plan")
                continue
            if row.question != stored.question_id:
                problem(row, "question", f"must stay {_describe(stored.question_id)}, the question of action {row.id}")
                continue
            wanted = (row.what, row.owner, row.due, row.status or stored.status)
            if wanted == (stored.what, stored.owner, stored.due, stored.status):
                continue
            if row.version and row.version != stored.version:
                problem(
                    row,
                    "id",
                    f"action {row.id} was changed in the app after this workbook was downloaded (now: owner "
                    f"{_describe(stored.owner)}, due {_describe(stored.due)}, {stored.status}); download a fresh "
                    "workbook, or change it in the app",
                )
                continue
            edits.append(ActionEdit(row.id, *wanted, seen=stored.version))
            continue
        gap = gaps.get(row.question)
        if gap is None:
            problem(
                row,
                "question",
                f"{_describe(row.question)} is not a gap of this assessment (at or above target, don't know, "
                "not applicable or not answered), so it cannot have an action",
            )
        elif row.question in planned:
            problem(row, "question", f"{_describe(row.question)} is in the action plan already; change that row")
        elif row.question in adding:
            problem(row, "question", f"{_describe(row.question)} is also added in row {adding[row.question]}")
        else:
            adding[row.question] = row.row
            action = action_from_gap(gap, questionnaire, row.what)
            new.append(
                Action(
                    action.questionnaire,
                    action.question,
                    action.clause,
                    action.what,
                    action.priority,
                    owner=row.owner,
                    due=row.due,
                    status=row.status or "open",
                )
            )
    if problems:
        raise WorkbookError(problems)
    return ActionSheetChanges(tuple(edits), tuple(new))


# --- the same sheet for an exchange file (`assess xlsx`), whose actions have no database ids ---------


@dataclass(frozen=True)
class ExchangeAction:
    """An action of an exchange file as the sheet sees it: its Action ID is its place in
    `Organization.actions`, counted from 1."""

    question_id: str
    what: str
    owner: str
    due: str
    status: str

    @property
    def version(self) -> str:
        """Return a fingerprint of what the action says (an exchange file keeps no change times)."""
        text = "\x1f".join((self.what, self.owner, self.due, self.status))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def exchange_plan(org: Organization, assessment: int) -> dict[int, ExchangeAction]:
    """Return Action ID -> action, for the actions of one assessment of an exchange file."""
    return {
        number: ExchangeAction(a.question, a.what, a.owner, a.due, a.status)
        for number, a in enumerate(org.actions, start=1)
        if a.assessment == assessment
    }


def exchange_plan_rows(org: Organization, assessment: int) -> list[dict[str, Any]]:
    """Return the Action plan sheet's rows for one assessment of an exchange file, for `assessment_workbook`."""
    plan = exchange_plan(org, assessment)
    return [
        {
            "what": a.what,
            "clause": a.clause,
            "question": a.question,
            "priority": a.priority,
            "owner": a.owner,
            "due": a.due,
            "status": a.status,
            "id": number,
            "version": plan[number].version,
        }
        for number, a in enumerate(org.actions, start=1)
        if number in plan
    ]


def apply_to_exchange(org: Organization, assessment: int, changes: ActionSheetChanges) -> Organization:
    """Return the organization with the sheet's edits made and its new actions added to one assessment."""
    actions = list(org.actions)
    for edit in changes.edits:
        actions[edit.id - 1] = replace(
            actions[edit.id - 1], what=edit.what, owner=edit.owner, due=edit.due, status=edit.status
        )
    actions += [replace(a, assessment=assessment) for a in changes.new]
    return replace(org, actions=tuple(actions))


def open_questions_planned(org: Organization, questionnaire: str) -> frozenset[str]:
    """Return the questions of a questionnaire that have an action not yet done in an exchange file."""
    return frozenset(a.question for a in org.actions if a.questionnaire == questionnaire and a.status != ACTION_DONE)

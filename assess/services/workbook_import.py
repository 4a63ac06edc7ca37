"""Importing a filled workbook of one assessment: its answers and its action plan, all or nothing."""

from __future__ import annotations

from dataclasses import dataclass

from assess.core.questionnaire import Questionnaire
from assess.formats.workbook import WorkbookError, read_answers_workbook
from assess.formats.workbook_actions import action_sheet_changes, read_action_sheet
from assess.services.findings import findings_of
from assess.store import actions, answers
from assess.store.answers import AssessmentRow
from assess.store.connection import Database, transaction


@dataclass(frozen=True)
class WorkbookImport:
    """What an import changed; `plan_read` is False for a workbook without a readable Action plan
    sheet (one downloaded before action plans were read back)."""

    answers: int
    answers_changed: int
    actions_changed: int
    actions_added: int
    plan_read: bool

    def summary(self) -> str:
        """Return what changed in one sentence for the person who uploaded it."""
        text = (
            f"Workbook imported: {self.answers_changed} answer(s) changed, "
            f"{self.answers - self.answers_changed} unchanged"
        )
        if self.plan_read:
            text += f"; {self.actions_changed} action(s) changed, {self.actions_added} added to the action plan"
        else:
            text += "; its Action plan sheet is from an older download and was not read"
        return text + "."


def import_assessment_workbook(
    db: Database, questionnaire: Questionnaire, assessment: AssessmentRow, data: bytes, author: str
) -> WorkbookImport:
    """Save a workbook's answers and action plan into the assessment in one transaction; raises
    WorkbookError naming every bad cell of either sheet, and then nothing is saved."""
    uploaded = read_answers_workbook(data, questionnaire)
    sheet = read_action_sheet(data, questionnaire)
    with transaction(db):
        saved = answers.save_answers(db, assessment.id, uploaded, author=author)
        if sheet is None:
            return WorkbookImport(len(uploaded), len(saved.changed), 0, 0, plan_read=False)
        gaps = {g.question: g for g in findings_of(db, questionnaire, assessment).gaps}  # after the new answers
        existing = {a.id: a for a in actions.list_actions(db, assessment.org_id, assessment.id)}
        planned = frozenset(actions.open_actions_by_question(db, assessment.org_id, questionnaire.id))
        changes = action_sheet_changes(sheet, questionnaire.id, existing, gaps, planned)
        changed, conflicts = actions.save_action_edits(db, assessment.org_id, changes.edits)
        if conflicts:  # cannot happen under the write lock, but never overwrite silently
            raise WorkbookError([f"action {c.id} changed while the workbook was imported" for c in conflicts])
        actions.create_actions(db, assessment.org_id, assessment.id, changes.new, author)
    return WorkbookImport(len(uploaded), len(saved.changed), changed, len(changes.new), plan_read=True)

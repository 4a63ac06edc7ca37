"""Saving answers: the one path every input takes (answering pages, autosave, workbooks, restores).

Each edit carries the revision its sender was shown; the store writes only the parts the sender
changed and returns a conflict where someone else changed the same part since.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from assess.core.answers import Answer
from assess.core.questionnaire import Questionnaire
from assess.core.revisions import PARTS, keep_both
from assess.store import answers
from assess.store.answers import AssessmentRow, Conflict, Edit, Saved
from assess.store.connection import Database


def save_answers(
    db: Database,
    questionnaire: Questionnaire,
    assessment: AssessmentRow,
    edits: Mapping[str, Answer | Edit],
    author: str,
    how: str = "",
) -> Saved:
    """Save answers to questions of the assessment's questionnaire; return what changed and the conflicts.

    Raises KeyError for a question the questionnaire does not have.
    """
    for question_id in edits:
        questionnaire.question(question_id)
    return answers.save_answers(db, assessment.id, edits, author=author, how=how)


def restore_version(
    db: Database, assessment: AssessmentRow, question_id: str, revision: int, shown: int, author: str
) -> Saved | None:
    """Make an earlier version of an answer the current one, as a new change (the past is never rewritten).

    `shown` is the revision the person saw as current; when someone changed the answer since, the
    restore is a conflict like any other save. Returns None when there is no such version.
    """
    version = next((v for v in answers.answer_history(db, assessment.id, question_id) if v.revision == revision), None)
    if version is None:
        return None
    edit = Edit(
        version.answer,
        base=shown,
        touched=frozenset(PARTS),
        how=f"restored revision {revision}",
    )
    return answers.save_answers(db, assessment.id, {question_id: edit}, author=author)


def settle(edits: Mapping[str, Edit], conflicts: Mapping[str, Conflict], choices: Mapping[str, str]) -> dict[str, Edit]:
    """Return the edits with each conflict settled as chosen: "theirs" drops the edit, "mine" writes it over
    the version seen, "both" keeps both notes and evidence. A conflict without a valid choice stays as it was."""
    settled: dict[str, Edit] = {}
    for qid, edit in edits.items():
        conflict = conflicts.get(qid)
        choice = choices.get(qid)
        if conflict is None or choice not in ("theirs", "mine", "both"):
            settled[qid] = edit
            continue
        if choice == "theirs":
            continue
        answer = edit.answer
        if choice == "both":
            answer = replace(
                answer,
                note=keep_both(answer.note, conflict.theirs.note),
                evidence=keep_both(answer.evidence, conflict.theirs.evidence),
            )
        settled[qid] = replace(edit, answer=answer, base=conflict.theirs.revision)
    return settled

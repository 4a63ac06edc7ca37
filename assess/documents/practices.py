"""What the assessment says about each practice a document relies on, and the comment it gets."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from assess.core.answers import NOT_APPLICABLE, UNKNOWN, Action, Assessment, Organization, is_level
from assess.core.questionnaire import Question, QuestionBank, Questionnaire
from assess.core.scoring import AssessmentResult, score_assessment
from assess.core.vocabulary import ACTION_DONE
from assess.documents.text import clean_text

IN_PLACE = "in place"
BELOW_TARGET = "below target"
DONT_KNOW = "don't know"
NOT_APPLICABLE_STATUS = "not applicable"
NOT_ANSWERED = "not answered"
NOT_ASKED = "not asked"
NOT_ASSESSED = "not assessed"

COMMENT_LIMIT = 300
"""The most characters a comment's own text may have (the assessment's notes, when asked for, come on top)."""


@dataclass(frozen=True)
class PracticeStatus:
    """One practice (question) a document relies on, as the latest assessment found it.

    `value` is the answer (a level 0-4, ``"unknown"`` or ``"na"``), or None when there is no
    answer; `status` is one of the module's status constants; `label` the standard as printed
    ("ISO 10002:2018"); `note` and `reason` the assessment's own note and not-applicable reason.
    """

    question: str
    questionnaire: str
    clause: str
    value: int | str | None
    target: int | None
    status: str
    label: str = ""
    text: str = ""
    assessment: str = ""
    note: str = ""
    reason: str = ""

    @property
    def in_place(self) -> bool:
        """Return whether the practice is at or above the target: a statement of fact may rest on it."""
        return self.status == IN_PLACE

    @property
    def flagged(self) -> bool:
        """Return whether the practice is not in place (for any reason, including no assessment)."""
        return self.status != IN_PLACE

    @property
    def assessed(self) -> bool:
        """Return whether its standard has an assessment at all."""
        return self.status != NOT_ASSESSED

    @property
    def where(self) -> str:
        """Return where the practice sits in its standard, e.g. ``ISO 10002:2018, 7.4``."""
        return f"{self.label}, {self.clause}"

    def finding(self) -> str:
        """Return what the assessment found, in a few words ("level 1 against target 3")."""
        if self.status == BELOW_TARGET and isinstance(self.value, int):
            return f"level {self.value} against target {self.target}"
        return {
            DONT_KNOW: "answered \u201cdon't know\u201d",
            NOT_ANSWERED: "not answered",
            NOT_ASKED: "not asked (earlier answers made it not apply)",
            NOT_APPLICABLE_STATUS: "marked not applicable",
            NOT_ASSESSED: "not assessed",
        }.get(self.status, "in place")

    def comment(self, outcome: str = "", notes: bool = False) -> str:
        """Return the Word comment for this practice (empty when it is in place): what is not in
        place and where in the standard, in under COMMENT_LIMIT characters, then `outcome` (what the
        document did about it); the assessment's note and reason only when `notes`."""
        if self.in_place:
            return ""
        lead = "Not in place yet" if self.status == BELOW_TARGET else "Not confirmed"
        head = f"{lead}: {self.where} ({self.question}), {self.finding()}"
        tail = f" {outcome}" if outcome else ""
        room = COMMENT_LIMIT - len(head) - len(tail) - 6
        practice = self.text if len(self.text) <= room else self.text[: max(0, room - 1)].rstrip() + "\u2026"
        text = f"{head} \u2014 {practice}{tail}" if room > 20 else f"{head}.{tail}"
        if notes and self.reason:
            text += f" Reason given: {self.reason}"
        if notes and self.note:
            text += f" Assessment note: {self.note}"
        return clean_text(text)


def latest_assessment(org: Organization, questionnaire_id: str) -> Assessment | None:
    """Return the last assessment of the organization for this questionnaire, or None."""
    found = None
    for assessment in org.assessments:
        if assessment.questionnaire == questionnaire_id:
            found = assessment
    return found


def earlier_assessment(org: Organization, questionnaire_id: str) -> Assessment | None:
    """Return the round before the last one of the organization for this questionnaire, or None."""
    rounds = [a for a in org.assessments if a.questionnaire == questionnaire_id]
    return rounds[-2] if len(rounds) >= 2 else None


def actions_by_gap(actions: Iterable[Action]) -> dict[tuple[str, str], Action]:
    """Return the action each gap (questionnaire, question) is planned by: the latest one not yet
    done, else the last of its done ones. The one rule for the gap report and the policies."""
    by_gap: dict[tuple[str, str], Action] = {}
    for action in actions:
        key = (action.questionnaire, action.question)
        held = by_gap.get(key)
        if held is None or held.status == ACTION_DONE or action.status != ACTION_DONE:
            by_gap[key] = action
    return by_gap


class PracticeBook:
    """Scores each questionnaire's latest assessment once and answers for its practices."""

    def __init__(self, bank: QuestionBank, org: Organization):
        self.bank = bank
        self.org = org
        self._results: dict[str, tuple[Assessment, AssessmentResult] | None] = {}
        self._statuses: dict[str, PracticeStatus] = {}
        self._by_gap: dict[tuple[str, str], Action] | None = None
        self._owners: dict[str, tuple[Questionnaire, Question]] = {
            question.id: (questionnaire, question)
            for questionnaire in bank.questionnaires.values()
            for question in questionnaire.questions
        }

    def result(self, questionnaire_id: str) -> tuple[Assessment, AssessmentResult] | None:
        """Return the latest assessment of a questionnaire with its scores, or None."""
        if questionnaire_id not in self._results:
            assessment = latest_assessment(self.org, questionnaire_id)
            self._results[questionnaire_id] = (
                None
                if assessment is None
                else (
                    assessment,
                    score_assessment(self.bank.questionnaire(questionnaire_id), assessment.values, assessment.target),
                )
            )
        return self._results[questionnaire_id]

    def owner_of(self, question_id: str) -> tuple[Questionnaire, Question] | None:
        """Return the questionnaire and question with this id, or None."""
        return self._owners.get(question_id)

    def in_place(self, question_id: str) -> bool:
        """Return whether the practice is at or above its assessment's target (False for an unknown id)."""
        return question_id in self._owners and self.status(question_id).in_place

    def pending_action(self, question_id: str) -> Action | None:
        """Return the action the gap report shows for this practice when it is not yet done, else
        None (a done action on a practice still short of its target promises no date)."""
        if self._by_gap is None:
            self._by_gap = actions_by_gap(self.org.actions)
        owner = self.owner_of(question_id)
        action = self._by_gap.get((owner[0].id, question_id)) if owner else None
        return action if action is not None and action.status != ACTION_DONE else None

    def status(self, question_id: str) -> PracticeStatus:
        """Return what the latest assessment says about a question; raises KeyError if unknown."""
        if question_id in self._statuses:
            return self._statuses[question_id]
        owner = self.owner_of(question_id)
        if owner is None:
            raise KeyError(question_id)
        questionnaire, question = owner
        found = self.result(questionnaire.id)
        common = {
            "question": question.id,
            "questionnaire": questionnaire.id,
            "clause": question.clause_ref,
            "label": questionnaire.label,
            "text": clean_text(question.text),
        }
        if found is None:
            status = PracticeStatus(value=None, target=None, status=NOT_ASSESSED, **common)
        else:
            assessment, result = found
            answer = assessment.answers.get(question.id)
            value = None if answer is None else answer.value
            if question.id not in result.visible_questions:
                kind = NOT_ASKED
            elif answer is None or value is None:
                kind = NOT_ANSWERED
            elif value == UNKNOWN:
                kind = DONT_KNOW
            elif value == NOT_APPLICABLE:
                kind = NOT_APPLICABLE_STATUS
            elif is_level(value) and isinstance(value, int) and value < assessment.target:
                kind = BELOW_TARGET
            else:
                kind = IN_PLACE
            status = PracticeStatus(
                value=value,
                target=assessment.target,
                status=kind,
                assessment=clean_text(assessment.title),
                note=clean_text(answer.note) if answer else "",
                reason=clean_text(answer.reason) if answer else "",
                **common,
            )
        self._statuses[question_id] = status
        return status

"""What the assessment says about each practice a document commits the organization to."""

from __future__ import annotations

from dataclasses import dataclass

from assess.core.answers import NOT_APPLICABLE, UNKNOWN, Assessment, Organization, is_level
from assess.core.questionnaire import Question, QuestionBank, Questionnaire
from assess.core.scoring import AssessmentResult, score_assessment
from assess.core.vocabulary import LEVELS
from assess.documents.text import clean_text

IN_PLACE = "in place"
BELOW_TARGET = "below target"
DONT_KNOW = "don't know"
NOT_APPLICABLE_STATUS = "not applicable"
NOT_ANSWERED = "not answered"
NOT_ASKED = "not asked"
NOT_ASSESSED = "not assessed"


@dataclass(frozen=True)
class PracticeStatus:
    """One practice (question) a document relies on, as the latest assessment found it.

    `value` is the answer (a level 0-4, ``"unknown"`` or ``"na"``), or None when there is no
    answer; `status` is one of the module's status constants; `message` is the text of the Word
    comment put on the sentence when the status is anything but "in place".
    """

    question: str
    questionnaire: str
    clause: str
    value: int | str | None
    target: int | None
    status: str
    message: str

    @property
    def flagged(self) -> bool:
        """Return whether the document must flag the sentence for review."""
        return self.status != IN_PLACE


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


class PracticeBook:
    """Scores each questionnaire's latest assessment once and answers for its practices."""

    def __init__(self, bank: QuestionBank, org: Organization):
        self.bank = bank
        self.org = org
        self._results: dict[str, tuple[Assessment, AssessmentResult] | None] = {}

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
        for questionnaire in self.bank.questionnaires.values():
            if questionnaire.has_question(question_id):
                return questionnaire, questionnaire.question(question_id)
        return None

    def status(self, question_id: str) -> PracticeStatus:
        """Return what the latest assessment says about a question; raises KeyError if unknown."""
        owner = self.owner_of(question_id)
        if owner is None:
            raise KeyError(question_id)
        questionnaire, question = owner
        found = self.result(questionnaire.id)
        where = f"Question {question.id}, clause {question.clause_ref} of {questionnaire.label}"
        if found is None:
            return self._status(
                question,
                questionnaire,
                None,
                None,
                NOT_ASSESSED,
                f"Not assessed: there is no {questionnaire.label} assessment yet. "
                "Confirm this is in place before publishing.",
                where,
            )
        assessment, result = found
        answer = assessment.answers.get(question.id)
        value = None if answer is None else answer.value
        target = assessment.target
        if question.id not in result.visible_questions:
            status, text = (
                NOT_ASKED,
                (
                    f"Not asked in \u201c{assessment.title}\u201d (earlier answers made it not apply): "
                    "confirm this applies and is in place before publishing."
                ),
            )
        elif answer is None:
            status, text = (
                NOT_ANSWERED,
                (f"Not answered in \u201c{assessment.title}\u201d: confirm this is in place before publishing."),
            )
        elif value == UNKNOWN:
            status, text = (
                DONT_KNOW,
                (
                    f"Assessed as \u201cdon't know\u201d in \u201c{assessment.title}\u201d: "
                    "confirm this is in place before publishing."
                ),
            )
        elif value == NOT_APPLICABLE:
            reason = f" (reason given: {answer.reason})" if answer.reason else ""
            status, text = (
                NOT_APPLICABLE_STATUS,
                (
                    f"Marked not applicable in \u201c{assessment.title}\u201d{reason}: "
                    "adapt or remove this text before publishing."
                ),
            )
        elif is_level(value) and isinstance(value, int) and value < target:
            status, text = (
                BELOW_TARGET,
                (
                    f"Assessed {value}/4 ({LEVELS[value]}) against a target of {target}/4: "
                    "confirm this is in place before publishing."
                ),
            )
        else:
            status, text = IN_PLACE, ""
        return self._status(question, questionnaire, value, target, status, text, where)

    @staticmethod
    def _status(
        question: Question,
        questionnaire: Questionnaire,
        value: int | str | None,
        target: int | None,
        status: str,
        text: str,
        where: str,
    ) -> PracticeStatus:
        message = clean_text(f"{text}\n{where}: {question.text}") if text else ""
        return PracticeStatus(
            question=question.id,
            questionnaire=questionnaire.id,
            clause=question.clause_ref,
            value=value,
            target=target,
            status=status,
            message=message,
        )

"""The question bank as plain data: questionnaires (clauses, questions), the profile's facts, and
the bank that holds them all. `assess.formats.questionnaires` reads them from YAML files."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from assess.core.conditions import Condition
from assess.core.facts import FACT_TYPES, Fact, FactField
from assess.core.problems import ProblemsFound

DOCUMENT_IDS = ("code-of-conduct", "complaints-procedure", "dispute-resolution-policy", "gap-report")


class QuestionnaireError(ProblemsFound):
    """One or more problems in questionnaire files, each with the file and field path."""


@dataclass(frozen=True)
class Question:
    id: str
    clause_ref: str
    text: str
    help: str
    evidence: str
    recommendation: str
    weight: int
    key: bool = False
    show_if: Condition | None = None
    allow_na: bool = True
    same_as: str | None = None
    """The id of the same practice in another bank: answered once, counted in both."""
    levels: tuple[str, ...] = ()
    """What each level 0-4 looks like for this practice (five texts), or () for the generic scale."""


@dataclass(frozen=True)
class Clause:
    ref: str
    title: str
    previous_ref: str | None = None
    confirmed: bool = True
    clauses: tuple[Clause, ...] = ()
    questions: tuple[Question, ...] = ()

    def walk(self) -> Iterator[Clause]:
        """Yield this clause and every clause below it, in document order."""
        yield self
        for child in self.clauses:
            yield from child.walk()

    def all_questions(self) -> Iterator[Question]:
        """Yield the questions of this clause and of every clause below it, in document order."""
        for clause in self.walk():
            yield from clause.questions


@dataclass(frozen=True)
class Questionnaire:
    id: str
    standard: str
    edition: str
    title: str
    document: str
    clauses: tuple[Clause, ...]
    previous_edition: str | None = None
    source: str = ""
    questions: tuple[Question, ...] = field(init=False)
    _question_index: dict[str, Question] = field(init=False, repr=False, compare=False)
    _clause_index: dict[str, Clause] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        clauses = [c for top in self.clauses for c in top.walk()]
        questions = tuple(q for c in clauses for q in c.questions)
        object.__setattr__(self, "questions", questions)
        object.__setattr__(self, "_question_index", {q.id: q for q in questions})
        object.__setattr__(self, "_clause_index", {c.ref: c for c in clauses})

    @property
    def label(self) -> str:
        """Return the standard and edition as printed, e.g. ``ISO 10002:2018``."""
        return f"{self.standard}:{self.edition}"

    def question(self, question_id: str) -> Question:
        """Return the question with this id; raises KeyError."""
        return self._question_index[question_id]

    def has_question(self, question_id: str) -> bool:
        return question_id in self._question_index

    def clause(self, ref: str) -> Clause:
        """Return the clause with this ref; raises KeyError."""
        return self._clause_index[ref]

    def all_clauses(self) -> Iterator[Clause]:
        """Yield every clause at every level, in document order."""
        for top in self.clauses:
            yield from top.walk()


@dataclass(frozen=True)
class Profile:
    """The organization profile's facts, grouped in sections (their titles in file order, with a line
    saying why each section is asked, where the file gives one)."""

    facts: tuple[Fact, ...]
    sections: tuple[str, ...]
    source: str = ""
    intros: Mapping[str, str] = field(default_factory=dict)

    def fact(self, fact_id: str) -> Fact:
        """Return the fact with this id; raises KeyError."""
        for fact in self.facts:
            if fact.id == fact_id:
                return fact
        raise KeyError(fact_id)

    def facts_required_for(self, document: str) -> tuple[Fact, ...]:
        """Return the facts a document needs."""
        return tuple(f for f in self.facts if document in f.required_for)


@dataclass(frozen=True)
class Retired:
    """A question id no longer asked: which questionnaire it was in, what carries its meaning now, and why."""

    id: str
    questionnaire: str
    replaced_by: tuple[str, ...]
    why: str


@dataclass(frozen=True)
class QuestionBank:
    """Every installed questionnaire plus the organization profile and the retired question ids."""

    questionnaires: Mapping[str, Questionnaire]
    profile: Profile
    retired: Mapping[str, Retired] = field(default_factory=dict)

    def current_id(self, questionnaire_id: str, question_id: str) -> str | None:
        """Return the id an answer to `question_id` belongs under now: itself while it is asked, its
        replacement when it was retired with one, or None when it is retired without one or unknown."""
        questionnaire = self.questionnaires.get(questionnaire_id)
        if questionnaire is not None and questionnaire.has_question(question_id):
            return question_id
        retired = self.retired.get(question_id)
        if retired is None or retired.questionnaire != questionnaire_id or not retired.replaced_by:
            return None
        return retired.replaced_by[0]

    def questionnaire(self, questionnaire_id: str) -> Questionnaire:
        """Return the questionnaire with this id; raises KeyError."""
        return self.questionnaires[questionnaire_id]


__all__ = [
    "DOCUMENT_IDS",
    "FACT_TYPES",
    "Clause",
    "Fact",
    "FactField",
    "Profile",
    "Question",
    "QuestionBank",
    "Questionnaire",
    "QuestionnaireError",
]

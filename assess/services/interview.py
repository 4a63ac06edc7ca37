"""The shortest path to one document: an interview that asks only the facts that document needs.

It is data-driven from profile.yaml: each section with facts the document uses is one topic (a
page), in the file's order, with the section's `intro` as "why we ask"; a fact's `default` is
offered as its answer and its `help` says what it is for. A topic whose facts are all known when
the interview starts is skipped; facts shared with other documents are asked once, since they are
the organization's profile. The web pages and `assess prepare` both walk these topics.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assess.core.answers import Organization
from assess.core.facts import FactProblem, check_fact_value
from assess.core.questionnaire import Fact, QuestionBank
from assess.core.vocabulary import join_words
from assess.documents import facts_used

DOCUMENT_TITLES = {
    "complaints-procedure": "complaints-handling policy and procedure",
    "code-of-conduct": "code of conduct",
    "dispute-resolution-policy": "external dispute-resolution policy",
    "gap-report": "gap report",
}

PREPARED = ("complaints-procedure", "code-of-conduct", "dispute-resolution-policy")
"""The documents an interview prepares (the gap report is written from the assessments alone)."""


def known(value: Any) -> bool:
    """Return whether a profile value says something (not missing, not empty)."""
    return value not in (None, "", [], {})


@dataclass(frozen=True)
class Topic:
    """One page of the interview: a profile section and the facts of it the document uses."""

    number: int
    title: str
    intro: str
    facts: tuple[Fact, ...]

    @property
    def facts_by_id(self) -> dict[str, Fact]:
        return {f.id: f for f in self.facts}


def topics(
    bank: QuestionBank,
    org: Organization,
    document: str,
    templates_dir: Path | str | None = None,
    asked: Sequence[str] = (),
) -> tuple[Topic, ...]:
    """Return the interview's topics for the document as the organization stands now: every section
    with a fact the document uses that is not known yet, plus the sections already `asked` in this
    interview (so going back never loses a page), in profile order. Raises DocumentError."""
    used = facts_used(bank, org, document, templates_dir)
    profile = org.profile
    chosen = []
    for title in bank.profile.sections:
        facts = tuple(f for f in used if f.section == title)
        if facts and (title in asked or any(not known(profile.get(f.id)) for f in facts)):
            chosen.append((title, facts))
    return tuple(
        Topic(n, title, bank.profile.intros.get(title, ""), facts) for n, (title, facts) in enumerate(chosen, start=1)
    )


def optional_for(fact: Fact, document: str) -> bool:
    """Return whether the document reads whole without the fact: not required by it and without a
    default, so leaving it empty leaves a sentence out rather than a placeholder in."""
    return document not in fact.required_for and fact.default is None


def suggested(fact: Fact, profile: Mapping[str, Any]) -> Any:
    """Return the answer a question of the interview shows: the stored one, else the fact's default."""
    value = profile.get(fact.id)
    return value if known(value) else fact.default


def check_answers(facts: Iterable[Fact], raw: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """Return the valid answers (fact id -> normalized value) and the problems (fact id -> message)."""
    values: dict[str, Any] = {}
    problems: dict[str, str] = {}
    for fact in facts:
        value = raw.get(fact.id)
        if not known(value):
            continue
        try:
            values[fact.id] = check_fact_value(fact, value)
        except FactProblem as problem:
            problems[fact.id] = str(problem)
    return values, problems


def used_in(fact: Fact) -> str:
    """Return which documents need a fact (its `required_for`; others may print it too), as a
    sentence part ("the code of conduct and the external dispute-resolution policy"), each title
    with its own "the" so a title holding "and" stays whole."""
    return join_words(["the " + DOCUMENT_TITLES.get(d, d) for d in fact.required_for if d != "gap-report"])

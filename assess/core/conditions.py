"""The `show_if` mini-language: parse once, evaluate against answers, never `eval`.

Grammar (``and`` binds tighter than ``or``)::

    expr       := and_expr ("or" and_expr)*
    and_expr   := comparison ("and" comparison)*
    comparison := QUESTION_ID OP VALUE
    OP         := == | != | >= | <= | > | <
    VALUE      := 0 | 1 | 2 | 3 | 4 | na | unknown

A comparison with an unanswered question is false, and so is an ordering comparison
(``>= <= > <``) with an ``na`` or ``unknown`` answer.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

AnswerValue = int | str | None
"""A level 0-4, ``"na"``, ``"unknown"``, or ``None`` for unanswered."""

OPERATORS = ("==", "!=", ">=", "<=", ">", "<")
SPECIAL_VALUES = ("na", "unknown")

_TOKEN = re.compile(r"\s*(==|!=|>=|<=|>|<|[A-Za-z0-9_.\-]+)")


class ConditionError(ValueError):
    """A `show_if` expression that does not parse."""


@dataclass(frozen=True)
class Comparison:
    question: str
    op: str
    value: int | str

    def holds(self, answers: Mapping[str, AnswerValue]) -> bool:
        """Return whether this comparison is true for the given answers."""
        answer = answers.get(self.question)
        if answer is None:
            return False
        if self.op == "==":
            return answer == self.value
        if self.op == "!=":
            return answer != self.value
        if not isinstance(answer, int) or isinstance(answer, bool):
            return False
        assert isinstance(self.value, int)
        if self.op == ">=":
            return answer >= self.value
        if self.op == "<=":
            return answer <= self.value
        if self.op == ">":
            return answer > self.value
        return answer < self.value


@dataclass(frozen=True)
class Condition:
    """A parsed `show_if`: a disjunction of conjunctions of comparisons."""

    source: str
    any_of: tuple[tuple[Comparison, ...], ...]

    def holds(self, answers: Mapping[str, AnswerValue]) -> bool:
        """Return whether the condition is true for the given answers."""
        return any(all(c.holds(answers) for c in group) for group in self.any_of)

    @property
    def questions(self) -> tuple[str, ...]:
        """Return the question ids the condition names, in order of appearance."""
        return tuple(c.question for group in self.any_of for c in group)


def _tokenize(source: str) -> list[str]:
    tokens = []
    position = 0
    text = source.rstrip()
    while position < len(text):
        match = _TOKEN.match(text, position)
        if not match:
            raise ConditionError(f"unexpected character {text[position:].strip()[:1]!r}")
        tokens.append(match.group(1))
        position = match.end()
    return tokens


def _parse_value(token: str, op: str) -> int | str:
    if token in SPECIAL_VALUES:
        if op not in ("==", "!="):
            raise ConditionError(f"{token!r} can only be compared with == or !=, not {op}")
        return token
    if token.isdigit() and 0 <= int(token) <= 4:
        return int(token)
    raise ConditionError(f"value must be a level 0-4, 'na' or 'unknown', got {token!r}")


def parse_condition(source: str) -> Condition:
    """Return the parsed condition; raises ConditionError saying what is wrong."""
    if not isinstance(source, str) or not source.strip():
        raise ConditionError("must be a non-empty expression")
    tokens = _tokenize(source)
    groups: list[tuple[Comparison, ...]] = []
    current: list[Comparison] = []
    index = 0
    while True:
        if len(tokens) - index < 3:
            raise ConditionError("incomplete comparison: expected '<question id> <op> <value>'")
        question, op, value = tokens[index : index + 3]
        if question in OPERATORS or question in ("and", "or"):
            raise ConditionError(f"expected a question id, got {question!r}")
        if op not in OPERATORS:
            raise ConditionError(f"expected one of {' '.join(OPERATORS)} after {question!r}, got {op!r}")
        current.append(Comparison(question, op, _parse_value(value, op)))
        index += 3
        if index == len(tokens):
            break
        joiner = tokens[index]
        if joiner not in ("and", "or"):
            raise ConditionError(f"expected 'and' or 'or', got {joiner!r}")
        if joiner == "or":
            groups.append(tuple(current))
            current = []
        index += 1
    groups.append(tuple(current))
    return Condition(source=source, any_of=tuple(groups))

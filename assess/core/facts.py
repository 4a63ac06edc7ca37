"""The fact types of the organization profile: one registry entry per type.

An entry says which extra YAML keys a fact of that type takes, how a value is checked and
normalized (the same check for the profile form, exchange files and workbooks), which form widget
edits it (`web.forms` has one builder per widget), and how it reads in a document. A test loops
over the registry so a new type cannot miss one of them.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from assess.core.checks import MAX_LINE, MAX_TEXT, is_date, is_email, is_url, printable, value_text_problem
from assess.core.vocabulary import join_words, long_date

DEFAULT_MIN, DEFAULT_MAX = 0, 1_000_000
"""A number fact's bounds when profile.yaml gives none."""


@dataclass(frozen=True)
class FactField:
    id: str
    text: str


@dataclass(frozen=True)
class Fact:
    """A fact question of the organization profile (not scored; fills the documents)."""

    id: str
    text: str
    type: str
    section: str
    help: str = ""
    choices: tuple[str, ...] = ()
    fields: tuple[FactField, ...] = ()
    required_for: tuple[str, ...] = ()
    placeholder: str = ""
    minimum: float | None = None
    maximum: float | None = None
    default: Any = None
    """The value the documents use while the profile has none (None: shown as a placeholder)."""
    example: str = ""
    """A typical answer the document interview shows as a hint (never used by the documents)."""

    @property
    def guidance(self) -> str:
        """Return the help shown beside the fact's field, saying what the documents use when it is left empty."""
        if self.default is None:
            return self.help
        if self.type == "list":
            shown = "; ".join(row_text(self, row) for row in self.default)
        else:
            shown = fact_text(self, self.default)
        return f"{self.help} Left empty, the documents say: {shown}.".strip()

    @property
    def bounds(self) -> tuple[float, float]:
        """Return the smallest and largest value a number fact may take."""
        return (
            DEFAULT_MIN if self.minimum is None else self.minimum,
            DEFAULT_MAX if self.maximum is None else self.maximum,
        )

    @property
    def placeholder_text(self) -> str:
        """Return the visible placeholder used in documents when this fact is missing."""
        return f"[{self.placeholder or self.text.rstrip('?').lower()}]"


class FactProblem(ValueError):
    """A value a fact cannot take; the message says why in words ("must be an email address")."""


def describe(value: Any) -> str:
    """Return a short description of a value for a message (the value itself when short)."""
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    text = repr(value) if not isinstance(value, str) else f'"{printable(value)}"'
    return text if len(text) <= 80 else text[:77] + "..."


@dataclass(frozen=True)
class FactType:
    """What one fact type of profile.yaml is: its extra keys, its check, its widget and its text."""

    name: str
    widget: str
    keys: frozenset[str]
    check: Callable[[Fact, Any], Any]
    text: Callable[[Fact, Any], str]


def _text_check(max_length: int, single_line: bool, test: Callable[[str], bool] | None, what: str) -> Callable:
    def check(fact: Fact, raw: Any) -> str:
        if not isinstance(raw, str):
            raise FactProblem(f"must be text, got {describe(raw)}")
        value = raw.strip()
        if len(value) > max_length:
            raise FactProblem(f"must be at most {max_length} characters")
        if single_line and ("\n" in value or "\r" in value):
            raise FactProblem("must be a single line")
        if value and test is not None and not test(value):
            raise FactProblem(f"must be {what}, got {describe(raw)}")
        return value

    return check


def _number_check(fact: Fact, raw: Any) -> int | float:
    low, high = fact.bounds
    if isinstance(raw, bool) or not isinstance(raw, (int, float)) or not math.isfinite(raw):
        raise FactProblem(f"must be a number from {low} to {high}, got {describe(raw)}")
    if not low <= raw <= high:
        raise FactProblem(f"must be a number from {low} to {high}, got {describe(raw)}")
    return int(raw) if float(raw).is_integer() else raw


def _number_text(fact: Fact, value: Any) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _choice_check(fact: Fact, raw: Any) -> str:
    if raw not in fact.choices:
        raise FactProblem(f"must be one of {describe(list(fact.choices))}, got {describe(raw)}")
    return str(raw)


def _multichoice_check(fact: Fact, raw: Any) -> list[str]:
    if not isinstance(raw, list) or any(c not in fact.choices for c in raw):
        raise FactProblem(f"must be a list of choices from {describe(list(fact.choices))}")
    return [c for c in fact.choices if c in raw]


def _list_check(fact: Fact, raw: Any) -> list[Any]:
    if not isinstance(raw, list):
        raise FactProblem(f"must be a list, got {describe(raw)}")
    names = [f.id for f in fact.fields]
    rows: list[Any] = []
    for i, row in enumerate(raw):
        if names:
            if not isinstance(row, dict):
                raise FactProblem(f"item {i} must be an object with {', '.join(names)}")
            extra = [k for k in row if k not in names]
            if extra:
                raise FactProblem(f"item {i} has unknown field {extra[0]!r} (allowed: {', '.join(names)})")
            if not all(isinstance(row.get(n, ""), str) for n in names):
                raise FactProblem(f"item {i}: every field must be text")
            if any(len(row.get(n, "")) > MAX_TEXT for n in names):
                raise FactProblem(f"item {i}: every field must be at most {MAX_TEXT} characters")
            rows.append({n: text for n in names if (text := row.get(n, "").strip())})  # empty: not given
        else:
            if not isinstance(row, str):
                raise FactProblem(f"item {i} must be text")
            if len(row) > MAX_TEXT:
                raise FactProblem(f"item {i} must be at most {MAX_TEXT} characters")
            rows.append(row.strip())
    return rows


def row_text(fact: Fact, row: Any) -> str:
    """Return one row of a list fact as plain text (its fields joined by dashes)."""
    if isinstance(row, Mapping):
        return " \u2013 ".join(str(row[f.id]) for f in fact.fields if row.get(f.id))
    return str(row)


def _list_text(fact: Fact, value: Any) -> str:
    return join_words([row_text(fact, row) for row in value])


def _date_text(fact: Fact, value: Any) -> str:
    try:
        return long_date(dt.date.fromisoformat(value))
    except ValueError:
        return str(value)


def _plain(fact: Fact, value: Any) -> str:
    return str(value)


_NONE: frozenset[str] = frozenset()

FACT_TYPES: dict[str, FactType] = {
    "text": FactType("text", "line", _NONE, _text_check(MAX_LINE, True, None, ""), _plain),
    "longtext": FactType("longtext", "area", _NONE, _text_check(MAX_TEXT, False, None, ""), _plain),
    "number": FactType("number", "number", frozenset({"min", "max"}), _number_check, _number_text),
    "choice": FactType("choice", "select", frozenset({"choices"}), _choice_check, _plain),
    "multichoice": FactType("multichoice", "checkboxes", frozenset({"choices"}), _multichoice_check, _list_text),
    "date": FactType("date", "date", _NONE, _text_check(10, True, is_date, "a date YYYY-MM-DD"), _date_text),
    "email": FactType("email", "email", _NONE, _text_check(254, True, is_email, "an email address"), _plain),
    "url": FactType(
        "url",
        "url",
        _NONE,
        _text_check(MAX_LINE, True, is_url, "a web address starting with http:// or https://"),
        _plain,
    ),
    "list": FactType("list", "rows", frozenset({"fields"}), _list_check, _list_text),
}
"""Every fact type of profile.yaml, by name."""


def check_fact_value(fact: Fact, raw: Any) -> Any:
    """Return the value normalized for the fact's type; raises FactProblem saying what is wrong."""
    problem = value_text_problem(raw)
    if problem is not None:
        raise FactProblem(problem)
    return FACT_TYPES[fact.type].check(fact, raw)


def fact_text(fact: Fact, value: Any) -> str:
    """Return a stored value of the fact as plain text for a document."""
    return FACT_TYPES[fact.type].text(fact, value)

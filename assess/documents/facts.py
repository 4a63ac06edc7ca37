"""Profile facts as templates see them: escaped Markdown, or a placeholder when missing."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from assess.core.questionnaire import Fact, Profile
from assess.documents.errors import DocumentError
from assess.documents.text import escape_markdown, join_words, placeholder

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_URL = re.compile(r"^https?://[^\s<>\"]+$", re.IGNORECASE)


def long_date(day: dt.date) -> str:
    """Return a date as printed in the documents, e.g. ``25 November 2026``."""
    return f"{day.day} {day:%B %Y}"


def _is_missing(value: Any) -> bool:
    return value is None or (isinstance(value, (str, list, tuple, dict)) and not value)


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


class FactReader:
    """Reads an organization's profile for one template rendering and remembers the missing
    facts the template showed as placeholders (in the order it first showed them)."""

    def __init__(self, profile: Profile, values: Mapping[str, Any]):
        self._facts = {f.id: f for f in profile.facts}
        self._order = {f.id: i for i, f in enumerate(profile.facts)}
        self._values = values
        self.missing: dict[str, Fact] = {}

    def _fact(self, fact_id: str) -> Fact:
        try:
            return self._facts[fact_id]
        except KeyError:
            raise DocumentError(f"unknown fact {fact_id!r} (not in profile.yaml)") from None

    def _value(self, fact_id: str, record: bool = True) -> Any:
        fact = self._fact(fact_id)
        value = self._values.get(fact_id)
        if _is_missing(value):
            if record:
                self.missing.setdefault(fact_id, fact)
            return None
        return value

    def has(self, fact_id: str) -> bool:
        """Return whether the fact has a value (never records it as missing)."""
        self._fact(fact_id)
        return not _is_missing(self._values.get(fact_id))

    def is_(self, fact_id: str, choice: str) -> bool:
        """Return whether a choice fact has exactly this value (or a multichoice includes it)."""
        self._fact(fact_id)
        value = self._values.get(fact_id)
        return value == choice or (isinstance(value, list) and choice in value)

    def plain(self, fact_id: str, record: bool = True) -> str | None:
        """Return the fact as plain text (numbers, dates and lists written out), or None when missing
        (recorded as missing unless `record` is False: an optional fact with a default)."""
        fact = self._fact(fact_id)
        value = self._value(fact_id, record)
        if value is None:
            return None
        if fact.type == "number" and isinstance(value, (int, float)) and not isinstance(value, bool):
            return _number(value)
        if fact.type == "date" and isinstance(value, str):
            try:
                return long_date(dt.date.fromisoformat(value))
            except ValueError:
                return value
        if isinstance(value, list):
            return join_words([self._row_text(fact, row) for row in value])
        return str(value)

    def text(self, fact_id: str) -> str:
        """Return the fact as escaped Markdown, or its placeholder when missing."""
        value = self.plain(fact_id)
        if value is None:
            return placeholder(self._fact(fact_id).placeholder_text)
        return escape_markdown(value)

    @staticmethod
    def _row_text(fact: Fact, row: Any) -> str:
        if isinstance(row, Mapping):
            return " – ".join(str(row[f.id]) for f in fact.fields if row.get(f.id))
        return str(row)

    def items(self, fact_id: str) -> list[Any]:
        """Return a list fact's rows (dicts of escaped fields) or a multichoice's escaped choices.

        A missing fact gives an empty list and is recorded, so a template's ``{% else %}`` branch
        can show `text(fact_id)`'s placeholder; an empty field of a row shows its own placeholder.
        """
        fact = self._fact(fact_id)
        value = self._value(fact_id)
        if value is None:
            return []
        if not isinstance(value, list):
            value = [value]
        if not fact.fields:
            return [escape_markdown(v) for v in value]
        return [
            {
                f.id: escape_markdown(row.get(f.id))
                if isinstance(row, Mapping) and row.get(f.id)
                else placeholder(f"[{f.text.lower()}]")
                for f in fact.fields
            }
            for row in value
        ]

    def link(self, fact_id: str) -> str:
        """Return a web address or email fact as a Markdown link, or its placeholder when missing.

        A value that is not an http(s) address or an email address is shown as plain text.
        """
        fact = self._fact(fact_id)
        value = self._value(fact_id)
        if value is None:
            return placeholder(fact.placeholder_text)
        text = str(value).strip()
        if _URL.match(text):
            target = quote(text, safe=":/?#[]@!$&'*+,;=%~")
        elif _EMAIL.match(text):
            target = "mailto:" + quote(text, safe="@.+-_")
        else:
            return escape_markdown(text)
        return f"[{escape_markdown(text)}](<{target}>)"

    def missing_facts(self) -> tuple[Fact, ...]:
        """Return the facts shown as placeholders, in profile order."""
        return tuple(sorted(self.missing.values(), key=lambda f: self._order[f.id]))

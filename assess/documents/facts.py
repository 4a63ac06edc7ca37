"""Profile facts as templates see them: escaped Markdown, the fact's default, or a placeholder when missing."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from assess.core.checks import is_email, is_url
from assess.core.facts import fact_text
from assess.core.questionnaire import Fact, Profile
from assess.core.vocabulary import long_date
from assess.documents.errors import DocumentError
from assess.documents.text import escape_markdown, placeholder

__all__ = ["FactReader", "long_date"]

_RAW_TYPES = ("number", "choice", "multichoice", "date")
"""Fact types whose raw value a template may compute with (never free text: it is not escaped)."""


def is_missing(value: Any) -> bool:
    """Return whether a stored value counts as no value (None, or an empty text or list)."""
    return value is None or (isinstance(value, (str, list, tuple, dict)) and not value)


class FactReader:
    """Reads an organization's profile for one template rendering and remembers the facts it
    showed as placeholders (missing, no default) and the facts it showed with their default; `read`
    holds every fact it looked at, `shown` those whose value (or placeholder) it wrote."""

    def __init__(self, profile: Profile, values: Mapping[str, Any]):
        self._facts = {f.id: f for f in profile.facts}
        self._order = {f.id: i for i, f in enumerate(profile.facts)}
        self._values = values
        self.missing: dict[str, Fact] = {}
        self.defaulted: dict[str, Fact] = {}
        self.read: set[str] = set()
        self.shown: set[str] = set()

    def fact(self, fact_id: str) -> Fact:
        """Return the definition of a fact; raises DocumentError for an id not in profile.yaml."""
        try:
            found = self._facts[fact_id]
        except KeyError:
            raise DocumentError(f"unknown fact {fact_id!r} (not in profile.yaml)") from None
        self.read.add(fact_id)
        return found

    def used(self, fact_ids: set[str]) -> None:
        """Remember facts a decision rested on: read, and shown with their default when the profile
        does not give them (a missing fact without a default shows its own placeholder elsewhere)."""
        for fact_id in fact_ids:
            fact = self.fact(fact_id)
            if is_missing(self._values.get(fact_id)) and fact.default is not None:
                self.defaulted.setdefault(fact_id, fact)

    def knows(self, fact_id: str) -> bool:
        """Return whether profile.yaml defines the fact."""
        return fact_id in self._facts

    def effective(self) -> dict[str, Any]:
        """Return every fact's value as the documents use it: the profile's, else the default."""
        values = {f.id: f.default for f in self._facts.values() if f.default is not None}
        values.update({k: v for k, v in self._values.items() if not is_missing(v)})
        return values

    def value(self, fact_id: str, record: bool = True) -> Any:
        """Return the fact's value, else its default (remembered as shown with its default), else
        None (remembered as missing unless `record` is False)."""
        fact = self.fact(fact_id)
        value = self._values.get(fact_id)
        if record:
            self.shown.add(fact_id)
        if not is_missing(value):
            return value
        if fact.default is not None:
            if record:
                self.defaulted.setdefault(fact_id, fact)
            return fact.default
        if record:
            self.missing.setdefault(fact_id, fact)
        return None

    def raw(self, fact_id: str) -> Any:
        """Return a number, choice, multichoice or date fact's value (or default, or None) for a
        template to compute with; raises DocumentError for a text fact, whose raw text is not escaped."""
        if self.fact(fact_id).type not in _RAW_TYPES:
            raise DocumentError(f"value({fact_id!r}): only number, choice and date facts can be used as values")
        return self.value(fact_id)

    def has(self, fact_id: str) -> bool:
        """Return whether the fact has a value or a default (never records it as missing)."""
        fact = self.fact(fact_id)
        return not is_missing(self._values.get(fact_id)) or fact.default is not None

    def given(self, fact_id: str) -> bool:
        """Return whether the profile itself gives the fact (its default does not count)."""
        self.fact(fact_id)
        return not is_missing(self._values.get(fact_id))

    def is_(self, fact_id: str, choice: str) -> bool:
        """Return whether a choice fact has exactly this value (or a multichoice includes it);
        the default counts, and is remembered as shown."""
        value = self.value(fact_id, record=False)
        if value is not None and is_missing(self._values.get(fact_id)):
            self.defaulted.setdefault(fact_id, self.fact(fact_id))
        return value == choice or (isinstance(value, list) and choice in value)

    def plain(self, fact_id: str, record: bool = True) -> str | None:
        """Return the fact as plain text (numbers, dates and lists written out), or None when missing."""
        fact = self.fact(fact_id)
        value = self.value(fact_id, record)
        return None if value is None else fact_text(fact, value)

    def text(self, fact_id: str) -> str:
        """Return the fact as escaped Markdown, or its placeholder when missing."""
        value = self.plain(fact_id)
        if value is None:
            return placeholder(self.fact(fact_id).placeholder_text)
        return escape_markdown(value)

    def items(self, fact_id: str) -> list[Any]:
        """Return a list fact's rows (dicts of escaped fields) or a multichoice's escaped choices.

        A missing fact gives an empty list and is recorded, so a template's ``{% else %}`` branch
        can show `text(fact_id)`'s placeholder; an empty field of a row shows its own placeholder
        (a row's ``given`` dict says which fields the profile filled in).
        """
        fact = self.fact(fact_id)
        value = self.value(fact_id)
        if value is None:
            return []
        if not isinstance(value, list):
            value = [value]
        if not fact.fields:
            return [escape_markdown(v) for v in value]
        rows = []
        for row in value:
            cells = row if isinstance(row, Mapping) else {}
            shown: dict[str, Any] = {
                f.id: escape_markdown(cells[f.id]) if cells.get(f.id) else placeholder(f"[{f.text.lower()}]")
                for f in fact.fields
            }
            shown["given"] = {f.id: bool(cells.get(f.id)) for f in fact.fields}
            rows.append(shown)
        return rows

    def link(self, fact_id: str) -> str:
        """Return a web address or email fact as a Markdown link, or its placeholder when missing.

        A value that is not an http(s) address or an email address is shown as plain text.
        """
        fact = self.fact(fact_id)
        value = self.value(fact_id)
        if value is None:
            return placeholder(fact.placeholder_text)
        return link_markdown(str(value))

    def missing_facts(self) -> tuple[Fact, ...]:
        """Return the facts shown as placeholders, in profile order."""
        return tuple(sorted(self.missing.values(), key=lambda f: self._order[f.id]))

    def defaulted_facts(self) -> tuple[Fact, ...]:
        """Return the facts shown with their default, in profile order."""
        return tuple(sorted(self.defaulted.values(), key=lambda f: self._order[f.id]))


def link_markdown(value: str) -> str:
    """Return a web or email address as a Markdown link (anything else as escaped text)."""
    text = value.strip()
    if is_url(text):
        target = quote(text, safe=":/?#[]@!$&'*+,;=%~")
    elif is_email(text):
        target = "mailto:" + quote(text, safe="@.+-_")
    else:
        return escape_markdown(text)
    return f"[{escape_markdown(text)}](<{target}>)"

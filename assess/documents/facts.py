"""Profile facts as templates see them: escaped Markdown, or a placeholder when missing."""

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


def _is_missing(value: Any) -> bool:
    return value is None or (isinstance(value, (str, list, tuple, dict)) and not value)


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
        return None if value is None else fact_text(fact, value)

    def text(self, fact_id: str) -> str:
        """Return the fact as escaped Markdown, or its placeholder when missing."""
        value = self.plain(fact_id)
        if value is None:
            return placeholder(self._fact(fact_id).placeholder_text)
        return escape_markdown(value)

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
        if is_url(text):
            target = quote(text, safe=":/?#[]@!$&'*+,;=%~")
        elif is_email(text):
            target = "mailto:" + quote(text, safe="@.+-_")
        else:
            return escape_markdown(text)
        return f"[{escape_markdown(text)}](<{target}>)"

    def missing_facts(self) -> tuple[Fact, ...]:
        """Return the facts shown as placeholders, in profile order."""
        return tuple(sorted(self.missing.values(), key=lambda f: self._order[f.id]))

"""Checks of single values that every input path shares: text, email, web address, date.

Each returns a problem in words ("must be an email address") or None; the caller says where
(a form field, a JSON path, a workbook cell).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
URL = re.compile(r"^https?://[^\s<>\"]+$", re.IGNORECASE)
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

MAX_TEXT = 5_000
"""The longest note, evidence, reason, action or multi-line fact: the same in forms, exchange files and workbooks."""
MAX_LINE = 400
"""The longest single-line fact (a name, a phone number, a web address)."""
MAX_NAME = 200
"""The longest organization name, assessment title or action owner."""

BAD_TEXT = "contains text that is not valid Unicode (an unpaired surrogate escape such as \\ud800)"


def has_bad_text(value: Any) -> bool:
    """Return whether any text inside the value (lists and mappings included) is not valid Unicode
    (a lone surrogate from a JSON escape)."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return True
        return False
    if isinstance(value, list):
        return any(has_bad_text(v) for v in value)
    if isinstance(value, dict):
        return any(has_bad_text(k) or has_bad_text(v) for k, v in value.items())
    return False


def printable(text: str) -> str:
    """Return text that can always be shown and encoded: lone surrogates become escapes."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def is_email(text: str) -> bool:
    """Return whether the text looks like an email address (something@domain.tld)."""
    return bool(EMAIL.match(text))


def is_url(text: str) -> bool:
    """Return whether the text is an http(s) web address."""
    return bool(URL.match(text))


def is_date(text: str) -> bool:
    """Return whether the text is a real calendar date written YYYY-MM-DD."""
    if not DATE.match(text):
        return False
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True

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

BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
"""The embedding, override and isolate characters that reorder how text reads (the "Trojan source" ones)."""

# Every character text may not hold, in a line or in several lines: the C0 controls but tab, line
# feed and carriage return, DEL and the C1 controls, the direction controls, unpaired surrogates and
# the Unicode noncharacters (none of which a document, a workbook or a page can show honestly).
_NONCHARACTERS = "\ufdd0-\ufdef\ufffe\uffff" + "".join(
    f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(1, 17)
)
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f" + BIDI_CONTROLS + "\ud800-\udfff" + _NONCHARACTERS + "]")
_LINE_BREAK = re.compile("[\n\r]")


def _char_problem(char: str, where: int) -> str:
    code = f"U+{ord(char):04X}"
    at = f"at character {where + 1}"
    if 0xD800 <= ord(char) <= 0xDFFF:
        return BAD_TEXT
    if char in BIDI_CONTROLS:
        return f"contains a character that changes the direction of text ({code}, {at}): remove it"
    if ord(char) < 0x20 or 0x7F <= ord(char) <= 0x9F:
        return f"contains an invisible control character ({code}, {at}): remove it"
    return f"contains a character that is not text ({code}, {at}): remove it"


def text_problem(text: str, *, single_line: bool = False) -> str | None:
    """Return what is wrong with text before it is stored, or None.

    The one check every way in shares (forms, exchange files, workbooks, the command line): no
    control characters (tab and line breaks are allowed where several lines are), no characters
    that reverse the direction of text, no unpaired surrogates, no noncharacters; `single_line`
    also refuses line breaks.
    """
    found = _FORBIDDEN.search(text)
    if found is not None:
        return _char_problem(found.group(), found.start())
    if single_line and _LINE_BREAK.search(text):
        return "must be a single line"
    return None


def value_text_problem(value: Any) -> str | None:
    """Return the first problem of any text inside a value (lists and mappings included), or None."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            problem = text_problem(item)
            if problem is not None:
                return problem
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
    return None


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """Return text without the characters XML 1.0 cannot hold at all (for writing text stored before
    `text_problem` kept them out; new text never has them)."""
    return _NOT_XML.sub("", text)


def printable(text: str) -> str:
    """Return text that can always be shown and encoded: lone surrogates, control and direction
    characters become visible escapes (\\u202e)."""
    return _FORBIDDEN.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


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

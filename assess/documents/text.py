"""User text on its way into a template's Markdown: cleaned, escaped, and marked up.

Every value that did not come from a template (organization name, profile facts, questionnaire
texts) passes through `escape_markdown`, so it comes out literally in both writers: Markdown
specials are backslash-escaped, ``&``, ``<`` and ``=`` become entities (``=`` because a line of
them would turn the line above into a heading), and characters XML cannot hold are dropped.

Line breaks and missing-fact placeholders inside user text are written as private control
characters, which `clean_text` strips from user text, so user text can never forge them; the
Markdown extension in `tree.py` turns them into ``<br>`` and ``<span class="placeholder">``.
"""

from __future__ import annotations

import re

from assess.core.vocabulary import join_words

__all__ = ["join_words"]

PLACEHOLDER_OPEN = "\x0e"
PLACEHOLDER_CLOSE = "\x0f"
LINE_BREAK = "\x11"
# Not \x1c-\x1f: Python counts those as whitespace, and Python-Markdown strips whitespace.

_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|>])")


def clean_text(text: str) -> str:
    """Return `text` with line ends normalized to LF and every character XML 1.0 cannot hold removed."""
    return _XML_ILLEGAL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def escape_markdown(value: object) -> str:
    """Return `value` as Markdown source that renders as exactly its text, on one source line.

    Line breaks in the value become explicit line breaks, so a value can sit in a table cell or a
    list item without ending it.
    """
    text = clean_text(str(value)).replace("\t", " ")
    text = _MARKDOWN_SPECIAL.sub(r"\\\1", text)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace("=", "&#61;")
    return LINE_BREAK.join(line.strip() for line in text.strip().split("\n"))


def placeholder(text: str) -> str:
    """Return the marked-up placeholder shown for a missing fact, e.g. ``[complaints manager's name]``."""
    return PLACEHOLDER_OPEN + clean_text(text).replace("\n", " ") + PLACEHOLDER_CLOSE

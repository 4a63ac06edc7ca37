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
REF_OPEN, REF_CLOSE = "\x14", "\x15"
DOCPROP_OPEN, DOCPROP_CLOSE = "\x16", "\x17"
INSTEAD = "\x10"
"""Separates a statement's fact form from its commitment form (templates write ``{{ instead }}``)."""
STATEMENT_OPEN, STATEMENT_CLOSE = "\x12", "\x13"
"""Around a statement's number, at the start of its text (`statements.py`)."""
LEFT_OUT_MARK = "\x19"
"""Stands where a statement was left out, so the spaces around it can be closed up (`close_gaps`)."""
DUE_MARK = "\x18"
"""Starts the note that says when a commitment will be met (an ``em`` of class ``due`` in the tree)."""
# Not \x1c-\x1f: Python counts those as whitespace, and Python-Markdown strips whitespace.

_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_ESCAPES = str.maketrans(
    {**{c: "\\" + c for c in "\\`*_{}[]()#+-.!|>"}, "&": "&amp;", "<": "&lt;", "=": "&#61;", "\t": " "}
)
"""Markdown specials backslash-escaped, and ``&``, ``<`` and ``=`` as entities, in one pass."""


def clean_text(text: str) -> str:
    """Return `text` with line ends normalized to LF and every character XML 1.0 cannot hold removed."""
    if text.isprintable():
        return text  # the common case, and str.isprintable is far quicker than the pattern
    return _XML_ILLEGAL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def escape_markdown(value: object) -> str:
    """Return `value` as Markdown source that renders as exactly its text, on one source line.

    Line breaks in the value become explicit line breaks, so a value can sit in a table cell or a
    list item without ending it.
    """
    text = clean_text(str(value)).translate(_ESCAPES).strip()
    if "\n" not in text:
        return text
    return LINE_BREAK.join(line.strip() for line in text.split("\n"))


_GAP_START = re.compile(f"^[ \\t]*(?:{LEFT_OUT_MARK}[ \\t]*)+", re.M)
_GAP_END = re.compile(f"(?:[ \\t]*{LEFT_OUT_MARK})+[ \\t]*$", re.M)
_GAP = re.compile(f"[ \\t]*(?:{LEFT_OUT_MARK}[ \\t]*)+")


def close_gaps(markdown: str) -> str:
    """Return rendered Markdown without the marks of left-out statements or the spaces around them:
    a line whose statements were all left out must not start with spaces (Markdown would make it
    code), and two sentences either side of a left-out one keep one space between them."""
    markdown = _GAP_START.sub("", markdown)
    markdown = _GAP_END.sub("", markdown)
    return _GAP.sub(" ", markdown)


def reference(heading_id: str) -> str:
    """Return the marked-up cross-reference to the heading with this id (its number, or its text)."""
    return REF_OPEN + heading_id + REF_CLOSE


def document_property(name: str) -> str:
    """Return the marked-up document property ("Version", "Status"), a DOCPROPERTY field in Word."""
    return DOCPROP_OPEN + name + DOCPROP_CLOSE


def placeholder(text: str) -> str:
    """Return the marked-up placeholder shown for a missing fact, e.g. ``[complaints manager's name]``."""
    return PLACEHOLDER_OPEN + clean_text(text).replace("\n", " ") + PLACEHOLDER_CLOSE

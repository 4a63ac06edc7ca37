"""What is printed around a document's body: cover, header, footer and file properties."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

DRAFT = "Draft"

ImageSource = Callable[[str, str], bytes]
"""Returns the bytes of an image named in the tree (``chart:iso10002-2018``) in a format ("png", "svg")."""


@dataclass(frozen=True)
class CoverLine:
    """One row of the cover's details table; `missing` shows the value as a placeholder; `field`
    names the document property the value is (Word shows it through a DOCPROPERTY field)."""

    label: str
    value: str
    missing: bool = False
    field: str = ""


@dataclass(frozen=True)
class DocumentMeta:
    """Plain text (never Markdown) for the cover page, header, footer and core properties."""

    id: str
    title: str
    organization: str
    subject: str
    keywords: tuple[str, ...]
    version: str
    day: dt.date
    category: str
    comments: str
    details: tuple[CoverLine, ...]
    notes: tuple[str, ...] = ()
    status: str = DRAFT
    layout: str = "policy"
    """"policy": a cover page and a contents page; "paper": a title block, then the text."""

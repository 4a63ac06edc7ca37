"""Safe file-name parts from names people type."""

from __future__ import annotations

import re
import unicodedata


def slugify(text: str, fallback: str = "organization", max_length: int = 60) -> str:
    """Return lower-case ASCII letters, digits and single hyphens from `text` (never empty)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:max_length].strip("-") or fallback

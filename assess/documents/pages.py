"""Page numbers for the contents, found by a headless LibreOffice: .docx -> PDF -> the page of each heading.

python-docx cannot lay out pages, and LibreOffice's ``--convert-to`` does not update a TOC field, so
the route is: convert the documents to PDF in one LibreOffice run (its own profile folder, so a
second LibreOffice never collides with it), read each page's text with poppler's ``pdftotext``, and
find the page on which each heading of the contents stands, in order. The writer then puts those
numbers into the contents' PAGEREF fields (which Word can still update). The numbers are right as
long as Word and LibreOffice paginate alike, which the metric-compatible Liberation fonts of
reference.docx make likely.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

from assess.documents.errors import DocumentError

TOOLS = ("soffice", "pdftotext")
TIMEOUT = 300  # seconds for one LibreOffice run over a whole pack
_SPACES = re.compile(r"\s+")


def available() -> bool:
    """Return whether LibreOffice and pdftotext are installed (on the PATH)."""
    return all(shutil.which(tool) for tool in TOOLS)


def _normal(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def find_pages(page_texts: Sequence[str], headings: Sequence[str], first: int = 2) -> list[int | None]:
    """Return the page (1-based) on which each heading stands, searching in order from page
    `first` and never going back; None for a heading not found. A heading matches a whole line
    (numbers and text, spaces collapsed), or the first line of a heading that wraps."""
    pages: list[int | None] = []
    current = first - 1
    for heading in headings:
        target = _normal(heading)
        found = None
        for index in range(current, len(page_texts)):
            for line in page_texts[index].splitlines():
                line = _normal(line)
                if line and (line == target or (len(line) >= 25 and target.startswith(line))):
                    found = index
                    break
            if found is not None:
                break
        pages.append(None if found is None else found + 1)
        if found is not None:
            current = found
    return pages


def _pdf_pages(pdf: Path) -> list[str]:
    completed = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, timeout=TIMEOUT, check=False
    )
    if completed.returncode != 0:
        raise DocumentError(f"pdftotext could not read {pdf.name}: {completed.stderr.strip()[:200]}")
    return completed.stdout.split("\f")


def heading_pages(documents: Sequence[tuple[bytes, Sequence[str]]]) -> list[list[int | None]]:
    """Return, for each (.docx bytes, contents headings) pair, the page of each heading, from one
    LibreOffice run; raises DocumentError when LibreOffice is missing or fails."""
    if not available():
        raise DocumentError("page numbers need LibreOffice (soffice) and pdftotext on the PATH")
    with tempfile.TemporaryDirectory(prefix="assess-pages-") as folder:
        root = Path(folder)
        sources = []
        for index, (data, _) in enumerate(documents):
            path = root / f"document-{index}.docx"
            path.write_bytes(data)
            sources.append(path)
        command = [
            "soffice",
            f"-env:UserInstallation={(root / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(root),
            *map(str, sources),
        ]
        try:
            subprocess.run(command, capture_output=True, timeout=TIMEOUT, check=False)
        except subprocess.TimeoutExpired:
            raise DocumentError("LibreOffice took too long to lay out the documents") from None
        found = []
        for source, (_, headings) in zip(sources, documents, strict=True):
            pdf = source.with_suffix(".pdf")
            if not pdf.is_file():
                raise DocumentError(f"LibreOffice wrote no PDF for {source.name}")
            found.append(find_pages(_pdf_pages(pdf), headings))
        return found

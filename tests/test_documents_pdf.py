"""Every document opens in LibreOffice and prints: converted to PDF, its pages and text are checked.

Needs `soffice` (libreoffice-writer-nogui) and poppler's `pdfinfo`/`pdftotext`. Without them the
tests skip, except in CI (CI=true), where a missing tool is a failure.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from assess.documents import DOCUMENT_IDS, document_filename, render_docx
from assess.formats.example import example_organization

pytestmark = pytest.mark.libreoffice

DAY = dt.date(2026, 11, 25)
TOOLS = ("soffice", "pdfinfo", "pdftotext")
HEADINGS = {
    "code-of-conduct": "Our promises",
    "complaints-procedure": "Handling a complaint step by step",
    "dispute-resolution-policy": "Our dispute-resolution provider",
    "gap-report": "What comes first",
}
MIN_PAGES = {"code-of-conduct": 5, "complaints-procedure": 9, "dispute-resolution-policy": 5, "gap-report": 10}


def _require_tools() -> None:
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if not missing:
        return
    message = f"{', '.join(missing)} not installed (apt-get install libreoffice-writer-nogui poppler-utils)"
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI must render the documents with LibreOffice: {message}")
    pytest.skip(message)


@pytest.fixture(scope="module")
def pdfs(bank, tmp_path_factory) -> dict[str, Path]:
    """Every document of the full example, converted in one LibreOffice run with its own profile."""
    _require_tools()
    folder = tmp_path_factory.mktemp("pdf")
    org = example_organization(bank)
    sources = []
    for document in DOCUMENT_IDS:
        path = folder / document_filename(document, org.name, DAY)
        path.write_bytes(render_docx(bank, org, document, today=DAY))
        sources.append(path)
    profile = folder / "lo-profile"
    completed = subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            *map(str, sources),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert completed.returncode == 0, completed.stderr
    return {document: source.with_suffix(".pdf") for document, source in zip(DOCUMENT_IDS, sources, strict=True)}


def _pdfinfo(path: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return {key.strip(): value.strip() for key, _, value in (line.partition(":") for line in out.splitlines())}


def _text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


@pytest.mark.parametrize("document", DOCUMENT_IDS)
def test_document_converts_to_a_pdf_with_its_pages_and_text(pdfs, document):
    path = pdfs[document]
    assert path.is_file(), "LibreOffice wrote no PDF (a shared profile makes it exit 0 silently)"
    info = _pdfinfo(path)
    pages = int(info["Pages"])
    assert pages >= MIN_PAGES[document]
    assert info["Author"] == "Northwind Water"
    text = _text(path)
    assert "Northwind Water" in text
    assert HEADINGS[document] in text
    assert "Contents" in text
    assert f"Page 2 of {pages}" in text
    assert f"Page {pages} of {pages}" in text
    assert "Page 1 of" not in text  # the cover has no footer
    assert "wzxhzdk" not in text and "{:" not in text


def test_numbered_lists_restart_in_the_rendered_procedure(pdfs):
    text = _text(pdfs["complaints-procedure"])
    starts = re.findall(r"^\s*1\.\s+\S", text, re.M)
    assert len(starts) >= 3  # the overview, the record's fields and the decision letter each start at 1

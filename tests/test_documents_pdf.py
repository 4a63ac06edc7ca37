"""Every document opens in LibreOffice and prints: converted to PDF, its pages and text are checked,
for the example with a full, a partial and an empty profile; and the LibreOffice pass fills in the
page numbers of the contents.

Needs `soffice` (libreoffice-writer-nogui) and poppler's `pdfinfo`/`pdftotext`. Without them the
tests skip, except in CI (CI=true), where a missing tool is a failure.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from assess.core.truth import said_both
from assess.documents import DOCUMENT_IDS, document_filename, render_documents, render_docx
from assess.formats.example import example_organization
from tests.conftest import in_ci

pytestmark = pytest.mark.libreoffice

DAY = dt.date(2026, 11, 25)
TOOLS = ("soffice", "pdfinfo", "pdftotext")
PROFILES = ("full", "partial", "empty")
HEADINGS = {
    "code-of-conduct": "Our promises",
    "complaints-procedure": "Handling a complaint step by step",
    "dispute-resolution-policy": "Our dispute-resolution provider",
    "gap-report": "What comes first",
}
MIN_PAGES = {"code-of-conduct": 8, "complaints-procedure": 15, "dispute-resolution-policy": 8, "gap-report": 10}


def _require_tools() -> None:
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if not missing:
        return
    message = f"{', '.join(missing)} not installed (apt-get install libreoffice-writer-nogui poppler-utils)"
    if in_ci():
        pytest.fail(f"CI must render the documents with LibreOffice: {message}")
    pytest.skip(message)


def _convert(folder: Path, sources: list[Path]) -> None:
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
        timeout=600,
    )
    assert completed.returncode == 0, completed.stderr


@pytest.fixture(scope="module")
def pdfs(bank, tmp_path_factory) -> dict[tuple[str, str], Path]:
    """Every document of the example for every profile, converted in one LibreOffice run."""
    _require_tools()
    folder = tmp_path_factory.mktemp("pdf")
    sources = {}
    for profile in PROFILES:
        org = example_organization(bank, profile=profile, actions=True)
        for document in DOCUMENT_IDS:
            path = folder / f"{profile}-{document_filename(document, org.name, DAY)}"
            path.write_bytes(render_docx(bank, org, document, today=DAY))
            sources[document, profile] = path
    _convert(folder, list(sources.values()))
    return {key: source.with_suffix(".pdf") for key, source in sources.items()}


def _pdfinfo(path: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return {key.strip(): value.strip() for key, _, value in (line.partition(":") for line in out.splitlines())}


def _text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("document", DOCUMENT_IDS)
def test_document_converts_to_a_pdf_with_its_pages_and_text(pdfs, document, profile):
    path = pdfs[document, profile]
    assert path.is_file(), "LibreOffice wrote no PDF (a shared profile makes it exit 0 silently)"
    info = _pdfinfo(path)
    pages = int(info["Pages"])
    assert pages >= (MIN_PAGES[document] if profile == "full" else 3)
    assert info["Author"] == "Northwind Water"
    text = _text(path)
    assert "Northwind Water" in text
    assert HEADINGS[document] in text
    assert f"Page 2 of {pages}" in text
    assert f"Page {pages} of {pages}" in text
    if document == "gap-report":  # a paper: a title block on page one, which has the footer too
        assert "Contents" not in text and f"Page 1 of {pages}" in text
    else:
        assert "Contents" in text
        assert "Page 1 of" not in text  # the cover has no footer
    assert "Draft, version " in text  # status and version through DOCPROPERTY fields
    assert "wzxhzdk" not in text and "{:" not in text
    flat = " ".join(text.split())
    assert said_both(flat) == []


def test_headings_are_numbered_by_their_style_and_references_show_the_numbers(pdfs):
    text = _text(pdfs["complaints-procedure", "full"])
    assert re.search(r"^\s*2\s+Our complaints policy$", text, re.M)
    assert re.search(r"^\s*2\.4\s+How to make a complaint$", text, re.M)
    flat = " ".join(text.split())
    assert "Section 2 is our complaints policy" in flat  # a REF field to the heading's bookmark
    assert "the matters in section 2.8" in flat


def test_numbered_lists_restart_in_the_rendered_procedure(pdfs):
    text = _text(pdfs["complaints-procedure", "full"])
    starts = re.findall(r"^\s*1\.\s+\S", text, re.M)
    assert len(starts) >= 2  # what happens next, and the decision letter, each start at 1


def test_the_libreoffice_pass_fills_in_the_contents_page_numbers(bank, tmp_path):
    _require_tools()
    org = example_organization(bank, actions=True)
    written = render_documents(bank, org, ["gap-report", "dispute-resolution-policy"], page_numbers=True, today=DAY)
    # the gap report, a paper, has no contents to number: it is written as it is, with no LibreOffice pass
    assert written["gap-report"] == render_documents(bank, org, ["gap-report"], today=DAY)["gap-report"]
    path = tmp_path / "policy.docx"
    path.write_bytes(written["dispute-resolution-policy"])
    _convert(tmp_path, [path])
    contents = _text(path.with_suffix(".pdf")).split("\f")[1]
    entries = re.findall(r"^\s*(\d+(?:\.\d+)?)\s+(.+?)\.{3,}\s*(\d+)\s*$", contents, re.M)
    assert len(entries) >= 10
    pages = [int(page) for _, _, page in entries]
    assert pages == sorted(pages) and pages[0] >= 3
    body = _text(path.with_suffix(".pdf")).split("\f")
    number, title, page = entries[4]
    assert title.strip() in body[int(page) - 1], "the heading is on the page the contents gives"

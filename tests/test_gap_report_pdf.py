"""The example organization's gap report, printed by LibreOffice, is a board paper of at most 16 pages."""

from __future__ import annotations

import datetime as dt
import subprocess

import pytest

from assess.documents import render_docx
from assess.formats.example import example_organization
from tests.test_documents_pdf import _pdfinfo, _require_tools, _text

pytestmark = pytest.mark.libreoffice
MAX_PAGES = 16


def test_the_example_gap_report_is_at_most_16_pages_with_the_summary_first(bank, tmp_path):
    _require_tools()
    source = tmp_path / "gap-report.docx"
    source.write_bytes(render_docx(bank, example_organization(bank), "gap-report", today=dt.date(2026, 11, 25)))
    profile = tmp_path / "lo-profile"
    completed = subprocess.run(
        ["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(source)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert completed.returncode == 0, completed.stderr
    pdf = source.with_suffix(".pdf")
    pages = int(_pdfinfo(pdf)["Pages"])
    assert pages <= MAX_PAGES
    first_body_page = subprocess.run(
        ["pdftotext", "-f", "3", "-l", "3", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    first_body_page = " ".join(first_body_page.split())
    assert "1 Summary" in first_body_page and "What comes first" in first_body_page
    assert "48.0 % against a target of 75 %" in first_body_page
    assert "Appendix: every gap" in _text(pdf)

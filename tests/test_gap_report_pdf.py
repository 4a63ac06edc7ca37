"""The example organization's gap report, printed by LibreOffice, is a board paper of at most 16 pages."""

from __future__ import annotations

import datetime as dt
import re
import subprocess

import pytest

from assess.documents import render_docx
from assess.formats.example import example_organization
from tests.test_documents_pdf import _pdfinfo, _require_tools, _text

pytestmark = pytest.mark.libreoffice
MAX_PAGES = 16


@pytest.mark.parametrize("actions", [False, True], ids=["no-plan", "full-plan"])
def test_the_example_gap_report_is_at_most_16_pages_with_the_summary_first(bank, tmp_path, actions):
    """With or without `assess example`'s action plan (an owner and a date for each of its 148 gaps)."""
    _require_tools()
    source = tmp_path / "gap-report.docx"
    org = example_organization(bank, actions=actions)
    source.write_bytes(render_docx(bank, org, "gap-report", today=dt.date(2026, 11, 25)))
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
    page_one, page_two = (
        " ".join(
            subprocess.run(
                ["pdftotext", "-f", str(n), "-l", str(n), str(pdf), "-"], capture_output=True, text=True, check=True
            ).stdout.split()
        )
        for n in (1, 2)
    )
    # page one is the title block and the summary: where each standard stands; what comes first follows
    # (the headings' numbers come from Word's list numbering, which pdftotext may place apart from the text)
    assert page_one.startswith("Northwind Water Self-assessment gap report and action plan")
    assert "Summary" in page_one and "Contents" not in page_one
    assert len(re.findall(r"\d+\.\d % against a target of 75 %", page_one)) == 3
    assert "What comes first" in page_one  # with the first priorities; the rest on page two
    assert "Appendix" not in page_one + page_two
    text = _text(pdf)
    assert "Appendix: every gap" in text
    if actions:
        assert "Owners: Sarah Bell, Customer Standards Manager" in " ".join(text.split())

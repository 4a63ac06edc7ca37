"""Median time to generate each document, its HTML preview, the whole pack, and the documents
page's readiness, for the fully answered example organization, with the baselines they are held to,
all measured in the same run. Prints figures; asserts nothing.

Targets (DESIGN.md, issue 15): the pack in at most 400 ms, or at most 2.5 times four plain 12-page
python-docx writes; readiness of all four documents no costlier than five ordinary pages.

    python bench/documents.py [--runs 9]
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from docx import Document  # noqa: E402

from assess.documents import DOCUMENT_IDS, readiness, render_docx, render_html, render_pack  # noqa: E402
from assess.formats.example import example_organization  # noqa: E402
from assess.formats.questionnaires import load_bank  # noqa: E402

WORDS = (
    "Complaints are received through every channel, recorded in one system and acknowledged promptly, "
    "so that each complainant knows who is dealing with the matter and when to expect a response."
)


def median_ms(action: Callable[[], object], runs: int) -> tuple[float, float, float]:
    """Return the median, min and max time of `runs` calls in milliseconds, after one warm-up call."""
    action()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), min(times), max(times)


def plain_twelve_pages() -> bytes:
    """Return a 12-page document written with python-docx's public API only: the baseline of
    shared/reference/docgen-and-ux.md section 4 (35 headings, 40 paragraphs, 15 lists, 3 tables of 20 rows)."""
    doc = Document()
    doc.add_heading("A plain policy", 0)
    doc.add_paragraph("Organization name", style="Subtitle")
    doc.add_page_break()
    for chapter in range(5):
        doc.add_heading(f"Chapter {chapter + 1}", 1)
        for section in range(2):
            doc.add_heading(f"Section {chapter + 1}.{section + 1}", 2)
            doc.add_heading("Subsection", 3)
            for _ in range(4):
                doc.add_paragraph(WORDS * 3)
            for _ in range(3):
                doc.add_paragraph(WORDS[:80], style="List Bullet")
        doc.add_heading("Detail", 4)
        doc.add_heading("More detail", 5)
        for _ in range(3):
            doc.add_paragraph(WORDS[:60], style="List Number")
        if chapter < 3:
            table = doc.add_table(rows=20, cols=4, style="Table Grid")
            for row in table.rows:
                for cell in row.cells:
                    cell.text = "Cell text of a table"
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def page_ms(runs: int) -> tuple[float, float]:
    """Return the median time of an ordinary page (the organization's overview) and of the documents
    page, for the example organization in a fresh instance, through Flask's test client."""
    from assess import create_app
    from assess.core import accounts
    from assess.services.organizations import import_organization
    from assess.store import people
    from assess.web.database import get_db

    email, password = "bench@example.org", "correct horse battery staple"
    with tempfile.TemporaryDirectory() as folder:
        app = create_app({"TESTING": True, "INSTANCE": folder, "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False})
        with app.app_context():
            people.create_user(get_db(), email, accounts.hash_password(password), is_admin=True)
            org_id = import_organization(get_db(), example_organization(load_bank(), actions=True))
        client = app.test_client()
        assert client.post("/login", data={"email": email, "password": password}).status_code == 302
        for path in (f"/orgs/{org_id}", f"/orgs/{org_id}/documents"):
            assert client.get(path).status_code == 200, path
        overview = median_ms(lambda: client.get(f"/orgs/{org_id}"), runs)[0]
        documents = median_ms(lambda: client.get(f"/orgs/{org_id}/documents"), runs)[0]
    return overview, documents


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    runs = parser.parse_args().runs
    bank = load_bank()
    org = example_organization(bank, profile="full", actions=True)
    day = dt.date(2026, 11, 25)
    print(f"{org.name}: {len(org.assessments)} assessments, median of {runs} runs after a warm-up")
    print(f"{'document':<28} {'docx ms':>9} {'(min-max)':>15} {'html ms':>9} {'ready ms':>9} {'size KB':>8}")
    for document in DOCUMENT_IDS:
        docx = median_ms(lambda d=document: render_docx(bank, org, d, today=day), runs)
        html = median_ms(lambda d=document: render_html(bank, org, d, today=day), runs)
        ready = median_ms(lambda d=document: readiness(bank, org, d, today=day), runs)
        size = len(render_docx(bank, org, document, today=day)) / 1024
        print(
            f"{document:<28} {docx[0]:>9.1f} {f'({docx[1]:.0f}-{docx[2]:.0f})':>15} {html[0]:>9.1f} "
            f"{ready[0]:>9.1f} {size:>8.0f}"
        )
    pack = median_ms(lambda: render_pack(bank, org, today=day), runs)
    baseline = median_ms(lambda: [plain_twelve_pages() for _ in range(4)], runs)
    print(f"{'pack (zip of all four)':<28} {pack[0]:>9.1f} {f'({pack[1]:.0f}-{pack[2]:.0f})':>15}")
    print(f"{'4 plain 12-page writes':<28} {baseline[0]:>9.1f} {f'({baseline[1]:.0f}-{baseline[2]:.0f})':>15}")
    print(f"pack / baseline: {pack[0] / baseline[0]:.2f}x (target at most 2.5x; absolute target 400 ms)")
    overview, documents = page_ms(runs)
    print(
        f"documents page {documents:.1f} ms, an ordinary page (overview) {overview:.1f} ms: "
        f"{documents / overview:.1f} ordinary pages (target at most 5)"
    )


if __name__ == "__main__":
    main()

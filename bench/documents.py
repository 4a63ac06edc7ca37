"""Median time to generate each document, its HTML preview, and the whole pack, for the fully
answered example organization. Prints figures; asserts nothing (DESIGN.md target: pack < 1 s).

    python bench/documents.py [--runs 9]
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assess.documents import DOCUMENT_IDS, render_docx, render_html, render_pack  # noqa: E402
from assess.formats.example import example_organization  # noqa: E402
from assess.formats.questionnaires import load_bank  # noqa: E402


def median_ms(action: Callable[[], object], runs: int) -> tuple[float, float, float]:
    """Return the median, min and max time of `runs` calls in milliseconds, after one warm-up call."""
    action()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), min(times), max(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    runs = parser.parse_args().runs
    bank = load_bank()
    org = example_organization(bank, profile="full")
    day = dt.date(2026, 11, 25)
    print(f"{org.name}: {len(org.assessments)} assessments, median of {runs} runs after a warm-up")
    print(f"{'document':<28} {'docx ms':>9} {'(min-max)':>15} {'html ms':>9} {'size KB':>8}")
    for document in DOCUMENT_IDS:
        docx = median_ms(lambda d=document: render_docx(bank, org, d, today=day), runs)
        html = median_ms(lambda d=document: render_html(bank, org, d, today=day), runs)
        size = len(render_docx(bank, org, document, today=day)) / 1024
        print(f"{document:<28} {docx[0]:>9.1f} {f'({docx[1]:.0f}-{docx[2]:.0f})':>15} {html[0]:>9.1f} {size:>8.0f}")
    pack = median_ms(lambda: render_pack(bank, org, today=day), runs)
    print(f"{'pack (zip of all four)':<28} {pack[0]:>9.1f} {f'({pack[1]:.0f}-{pack[2]:.0f})':>15}")


if __name__ == "__main__":
    main()

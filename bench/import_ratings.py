"""How long reading and importing an exchange file with a large workshop record takes: 33,000 ratings
(234 participants x the 141 questions of ISO 10002) by default. Prints figures; asserts nothing.

    python bench/import_ratings.py [--participants 234] [--runs 3]

Reading was quadratic in the ratings (each checked against all before it for a duplicate); it is
now linear, so doubling the participants should about double the time.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assess.formats.exchange import parse_exchange  # noqa: E402
from assess.formats.questionnaires import load_bank  # noqa: E402
from assess.services.organizations import import_organization  # noqa: E402
from assess.store.connection import connect  # noqa: E402
from assess.store.migrations import migrate  # noqa: E402

QUESTIONNAIRE = "iso10002-2018"


def workshop_file(participants: int, questions: list[str]) -> str:
    """Return exchange JSON with one assessment and one workshop in which everyone rated every question."""
    ratings = [
        {"participant": p, "question": q, "value": (p + i) % 5, "comment": ""}
        for p in range(participants)
        for i, q in enumerate(questions)
    ]
    workshop = {
        "opened_at": "2026-11-25T09:00:00+00:00",
        "closed_at": "2026-11-25T12:00:00+00:00",
        "participants": [f"Participant {p + 1}" for p in range(participants)],
        "ratings": ratings,
    }
    document = {
        "format": "assess/1",
        "organization": {"name": "Workshop Org"},
        "assessments": [{"questionnaire": QUESTIONNAIRE, "title": "Baseline", "workshops": [workshop]}],
    }
    return json.dumps(document)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=234)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    bank = load_bank()
    questions = [q.id for q in bank.questionnaire(QUESTIONNAIRE).questions]
    text = workshop_file(args.participants, questions)
    count = args.participants * len(questions)
    read, stored = [], []
    for _ in range(args.runs):
        start = time.perf_counter()
        org = parse_exchange(text, bank)
        read.append(time.perf_counter() - start)
        with tempfile.TemporaryDirectory() as folder:
            db = connect(Path(folder) / "bench.sqlite3")
            migrate(db)
            start = time.perf_counter()
            import_organization(db, org)
            stored.append(time.perf_counter() - start)
            db.close()
    print(
        f"{count:,} ratings ({args.participants} participants x {len(questions)} questions), "
        f"{len(text) / 2**20:.1f} MB of JSON, median of {args.runs} runs"
    )
    print(f"read and check: {statistics.median(read):.2f} s; store: {statistics.median(stored):.2f} s")


if __name__ == "__main__":
    main()

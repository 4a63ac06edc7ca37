"""Write constraints.txt: the exact version and sha256 of every package `pip install -e '.[test]'` installs,
as pip resolves them on this machine, plus pip itself and the setuptools that builds the project.

    .venv/bin/python scripts/update_constraints.py            # keep today's versions, refresh the hashes
    .venv/bin/python scripts/update_constraints.py --upgrade  # take the newest releases pyproject.toml allows

scripts/run and scripts/test install with `-c constraints.txt` (and `--build-constraint` for the
build), so both get the same versions, and pip (26.2 or later, installed first from the file's own
pip lines) checks every file against its hash.
The hashes are of the files pip picks for this platform (Linux x86_64, CPython 3.11, where assess is
run and tested); on another platform, run this script there to get that platform's files.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONSTRAINTS = ROOT / "constraints.txt"
BUILD = ["setuptools==84.0.0"]
"""What builds the project itself (pyproject's build-system asks for setuptools>=77)."""

HEADER = """\
# Exact versions and sha256 hashes of everything assess installs, for Linux x86_64 and CPython 3.11.
# Used by scripts/run and scripts/test: pip install --no-require-hashes -c constraints.txt
# --build-constraint constraints.txt -e . (pip 26.2 or later checks each file against its hash; the
# project itself has no file to hash). Written by scripts/update_constraints.py; do not edit by hand.
# Why each lower bound is what it is: pyproject.toml.
"""


def resolve(constraints: Path | None) -> list[dict]:
    """Return pip's installation report for the project with its test extra, pip and the build backend."""
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "report.json"
        command = [sys.executable, "-m", "pip", "install", "--dry-run", "--ignore-installed", "--quiet"]
        command += ["--report", str(report), "-e", f"{ROOT}[test]", "pip", *BUILD]
        if constraints is not None:
            command += ["-c", str(constraints)]
        subprocess.run(command, check=True)
        return list(json.loads(report.read_text())["install"])


def line(item: dict) -> str | None:
    metadata, download = item["metadata"], item.get("download_info", {})
    if metadata["name"].lower() == "assess":
        return None
    hashes = (download.get("archive_info") or {}).get("hashes", {})
    pin = f"{metadata['name'].lower()}=={metadata['version']}"
    return f"{pin} \\\n    --hash=sha256:{hashes['sha256']}" if "sha256" in hashes else pin


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--upgrade", action="store_true", help="ignore the current pins")
    upgrade = parser.parse_args().upgrade
    current = None
    if CONSTRAINTS.exists() and not upgrade:  # today's versions, without their hashes (they are re-read)
        pins = [ln.split(" ")[0] for ln in CONSTRAINTS.read_text().splitlines() if "==" in ln]
        current = Path(tempfile.mkstemp(suffix=".txt")[1])
        current.write_text("\n".join(pins) + "\n")
    lines = sorted(filter(None, (line(item) for item in resolve(current))))
    CONSTRAINTS.write_text(HEADER + "\n".join(lines) + "\n")
    if current is not None:
        current.unlink()
    print(f"wrote {CONSTRAINTS} ({len(lines)} packages)")


if __name__ == "__main__":
    main()

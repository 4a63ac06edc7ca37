"""What refusing a hostile workbook costs: seconds and peak memory of the read, in a child process
limited to 800 MB of address space and 15 CPU seconds (the bounds of issue 14). Prints figures;
asserts nothing (tests/test_hostile_files.py checks each is refused within the limits).

    python bench/hostile_files.py [--unguarded]

`--unguarded` reads each file the way assess did before the limits (openpyxl's full load), for
comparison: expect "died" where the limits stopped it.
"""

from __future__ import annotations

import argparse
import io
import sys
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.hostile import CPU_LIMIT, HOSTILE, MEMORY_LIMIT, read_in_child  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--unguarded", action="store_true", help="read the files without the limits, as before")
    unguarded = parser.parse_args().unguarded
    print(f"child limits: {MEMORY_LIMIT // 2**20} MB address space, {CPU_LIMIT} s CPU")
    print(f"{'file':<30} {'size KB':>8} {'unpacked MB':>12} {'seconds':>8} {'peak MB':>8}  outcome")
    for name, build in HOSTILE.items():
        data = build()
        unpacked = sum(i.file_size for i in zipfile.ZipFile(io.BytesIO(data)).infolist())
        start = time.perf_counter()
        outcome = read_in_child(data, guarded=not unguarded)
        wall = time.perf_counter() - start
        if "died" in outcome:
            print(
                f"{name:<30} {len(data) / 1024:>8.0f} {unpacked / 2**20:>12.1f} {wall:>8.1f} {'-':>8}  died: "
                f"{outcome['died'][:70]}"
            )
            continue
        said = outcome["refused"][0][:70] if outcome["refused"] else f"accepted ({outcome.get('rows', '?')} rows)"
        print(
            f"{name:<30} {len(data) / 1024:>8.0f} {unpacked / 2**20:>12.1f} {outcome['seconds']:>8.2f} "
            f"{outcome['peak_mb']:>8.0f}  {said}"
        )


if __name__ == "__main__":
    main()

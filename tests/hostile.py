"""Hostile workbooks, built on a real exported one, and a child process that reads one under limits.

Shared by tests/test_hostile_files.py (which checks each is refused under the memory and CPU limits)
and bench/hostile_files.py (which prints what each refusal costs).
"""

from __future__ import annotations

import io
import json
import resource
import struct
import subprocess
import sys
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUESTIONNAIRE = "iso10002-2018"
ANSWERS_PART = "xl/worksheets/sheet1.xml"
STRINGS_PART = "xl/sharedStrings.xml"
MEMORY_LIMIT = 800 * 2**20
"""The address space a refusal may use (the issue's bound)."""
CPU_LIMIT = 15
"""The CPU seconds a refusal may use (the issue's bound); the kernel stops the child past it."""

_SHEET_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
_SHEET_TAIL = b"</sheetData></worksheet>"
_STRINGS_TYPE = (
    b'<Override PartName="/xl/sharedStrings.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
)


def exported_workbook() -> bytes:
    """Return a real workbook of a blank ISO 10002 assessment, as assess exports it."""
    from assess.core.answers import Assessment
    from assess.formats.questionnaires import load_bank
    from assess.formats.workbook import assessment_workbook

    questionnaire = load_bank().questionnaire(QUESTIONNAIRE)
    return assessment_workbook(questionnaire, Assessment(QUESTIONNAIRE, "Baseline"), org_name="Acme")


def _replaced(parts: dict[str, Callable[[], Iterator[bytes]]], level: int = 9) -> bytes:
    """Return the exported workbook with parts replaced (or added) by streamed content (each a chunk
    generator); an added shared-string table is declared in the content types, as Excel does."""
    source = zipfile.ZipFile(io.BytesIO(exported_workbook()))
    names = source.namelist()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as target:
        for name in names + [n for n in parts if n not in names]:
            if name in parts:
                with target.open(name, "w", force_zip64=True) as handle:
                    for chunk in parts[name]():
                        handle.write(chunk)
            elif name == "[Content_Types].xml" and STRINGS_PART in parts:
                target.writestr(name, source.read(name).replace(b"</Types>", _STRINGS_TYPE + b"</Types>"))
            else:
                target.writestr(source.getinfo(name), source.read(name))
    return buffer.getvalue()


def _repeat(head: bytes, unit: bytes, count: int, tail: bytes, block: int = 4096) -> Callable[[], Iterator[bytes]]:
    def chunks() -> Iterator[bytes]:
        yield head
        full, rest = divmod(count, block)
        many = unit * block
        for _ in range(full):
            yield many
        yield unit * rest
        yield tail

    return chunks


def cell_bomb() -> bytes:
    """About 2 MB that unpacks to 56 million cells (the issue's bomb): 3,500 rows of 16,000 cells."""
    row = b"<row>" + b"<c><v>1</v></c>" * 16_000 + b"</row>"
    return _replaced({ANSWERS_PART: _repeat(_SHEET_HEAD, row, 3_500, _SHEET_TAIL, block=64)})


def lying_bomb() -> bytes:
    """The cell bomb with the zip directory claiming the sheet unpacks to 1 KB."""
    data = bytearray(cell_bomb())
    name = ANSWERS_PART.encode()
    start = data.rfind(b"PK\x01\x02", 0, data.rfind(name))  # the sheet's central directory entry
    header = struct.unpack_from("<4s6H3L5H2L", data, start)
    extra_length = header[11]
    extra_at = start + 46 + len(name)
    if header[9] == 0xFFFFFFFF or extra_length:  # zip64: the real size is in the extra field
        extra = data[extra_at : extra_at + extra_length]
        at = extra.find(b"\x01\x00")
        struct.pack_into("<Q", data, extra_at + at + 4, 1024)
    struct.pack_into("<L", data, start + 24, 1024)
    return bytes(data)


def row_flood() -> bytes:
    """About 100 KB holding a million rows, each with a question id that is not one (the issue's 44 s file)."""
    row = b'<row><c t="inlineStr"><is><t>x</t></is></c></row>'
    return _replaced({ANSWERS_PART: _repeat(_SHEET_HEAD, row, 1_000_000, _SHEET_TAIL)})


def tiny_cells() -> bytes:
    """Under the unpacked-size limit: one row of 11 million empty cells."""
    return _replaced({ANSWERS_PART: _repeat(_SHEET_HEAD + b"<row>", b"<c/>", 11_000_000, b"</row>" + _SHEET_TAIL)})


def string_flood() -> bytes:
    """A shared-string table of 2.8 million tiny strings (every string is held in memory by openpyxl)."""
    head = b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    return _replaced({STRINGS_PART: _repeat(head, b"<si><t>a</t></si>", 2_800_000, b"</sst>")})


def entity_bomb() -> bytes:
    """Billion laughs in the shared strings: nine levels of ten entities each."""
    entities = b'<!ENTITY a0 "ha">' + b"".join(f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">'.encode() for i in range(1, 10))
    head = b'<?xml version="1.0"?><!DOCTYPE sst [' + entities + b"]>"
    body = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&a9;</t></si></sst>'
    return _replaced({STRINGS_PART: lambda: iter([head, body])})


def forged_dimension() -> bytes:
    """A real export whose Answers sheet claims to span a million rows (it has its usual ones)."""
    source = zipfile.ZipFile(io.BytesIO(exported_workbook()))
    sheet = source.read(ANSWERS_PART)
    start = sheet.index(b'<dimension ref="') + len(b'<dimension ref="')
    end = sheet.index(b'"', start)
    sheet = sheet[:start] + b"A1:J1048576" + sheet[end:]
    return _replaced({ANSWERS_PART: lambda: iter([sheet])})


def chart_sheet(name: str) -> bytes:
    """A real export whose sheet `name` (About or Answers) was replaced by a chart sheet of that name."""
    import openpyxl
    from openpyxl.chart import BarChart

    wb = openpyxl.load_workbook(io.BytesIO(exported_workbook()))
    index = wb.sheetnames.index(name)
    wb.remove(wb[name])
    chart_sheet = wb.create_chartsheet(name, index)
    chart_sheet.add_chart(BarChart())
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


HOSTILE: dict[str, Callable[[], bytes]] = {
    "cell bomb (56 million cells)": cell_bomb,
    "cell bomb, zip sizes forged": lying_bomb,
    "a million bad rows": row_flood,
    "11 million empty cells": tiny_cells,
    "2.8 million shared strings": string_flood,
    "entity expansion": entity_bomb,
}

_CHILD = """
import io, json, resource, sys, time
sys.path.insert(0, sys.argv[1])
from assess.formats.questionnaires import load_bank
from assess.formats.workbook import WorkbookError, read_answers_workbook
questionnaire = load_bank().questionnaire(sys.argv[2])
data = sys.stdin.buffer.read()
start = time.perf_counter()
try:
    if sys.argv[3] == "unguarded":  # what assess did before the limits: openpyxl's full load
        import openpyxl
        wb = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
        rows = sum(1 for _ in wb["Answers"].iter_rows(max_col=10, values_only=True))
        outcome = {"refused": None, "rows": rows}
    else:
        read_answers_workbook(data, questionnaire)
        outcome = {"refused": None}
except WorkbookError as exc:
    outcome = {"refused": exc.problems}
outcome["seconds"] = time.perf_counter() - start
outcome["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(outcome))
"""


def _limits() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_LIMIT, CPU_LIMIT))


def read_in_child(data: bytes, *, guarded: bool = True) -> dict:
    """Read the workbook in a fresh Python limited to MEMORY_LIMIT of address space and CPU_LIMIT
    seconds of CPU; return its outcome: the problems (None if it was accepted), the seconds the
    read took and the child's peak resident memory in MB, or {"died": message} when the limits
    stopped it. `guarded=False` reads it the way assess did before the limits (for the benchmark)."""
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(ROOT), QUESTIONNAIRE, "guarded" if guarded else "unguarded"],
        input=data,
        capture_output=True,
        preexec_fn=_limits,
        check=False,
    )
    if done.returncode != 0:
        last = done.stderr.decode(errors="replace").strip().splitlines()[-1:] or [f"signal {-done.returncode}"]
        return {"died": last[0]}
    return json.loads(done.stdout)  # type: ignore[no-any-return]

"""What an uploaded file may hold, checked before and while it is parsed: the one guard every reader uses.

A hostile or broken file is refused with the limit it broke, cheaply: an exchange file before its
content is read, a workbook before openpyxl sees it. The limits are far above anything assess
writes, so only a file made to hurt (or made by mistake by another program) meets them.

- Exchange JSON: at most `MAX_JSON_BYTES`, nesting `MAX_DEPTH` deep, texts `MAX_TEXT` long, numbers
  within +-2**53 (exact in every JSON reader, and in SQLite) and finite; every problem names its
  JSON path.
- Workbooks: at most `MAX_WORKBOOK_BYTES` packed and `MAX_UNPACKED_BYTES` unpacked, `MAX_PARTS`
  parts, `MAX_SHEETS` sheets, `MAX_ROWS` rows and `MAX_CELLS` cells per sheet, `MAX_ELEMENTS` XML
  elements in all, no DTD (so no entity expansion). The zip's own sizes are trusted because Python's
  zipfile never unpacks more than a member declares.
"""

from __future__ import annotations

import io
import json
import math
import posixpath
import re
import warnings
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import IO, Any
from xml.parsers import expat

from openpyxl import Workbook, load_workbook
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from assess.core.checks import MAX_TEXT, printable, text_problem
from assess.core.problems import ProblemList, ProblemsFound

# --- exchange JSON ---------------------------------------------------------------------------

MAX_JSON_BYTES = 20 * 1024 * 1024
"""The largest exchange file (an organization with several rounds and workshops is a few MB)."""
MAX_DEPTH = 16
"""The deepest nesting of lists and objects (an exchange file needs 7)."""
MAX_KEY = 200
"""The longest object key (question and fact ids are short)."""
MAX_NUMBER = 2**53
"""The largest number by size: every integer up to it is exact in JSON readers and fits SQLite."""
MAX_ITEMS = 500_000
"""The most entries of one list or object."""

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class _Refused:
    """A number the JSON parser met that no field may hold (kept as a marker so its path can be named)."""

    def __init__(self, message: str):
        self.message = message


def _parse_int(text: str) -> int | _Refused:
    digits = len(text.lstrip("-"))
    if digits > 16:  # 2**53 has 16 digits: no need to build a huge integer to refuse it
        return _Refused(f"is a number too large to store ({digits} digits); the largest is {MAX_NUMBER:,}")
    return int(text)


def _parse_float(text: str) -> float | _Refused:
    value = float(text)
    if not math.isfinite(value):
        return _Refused(f"is a number too large to store ({printable(text[:40])})")
    return value


def _parse_constant(text: str) -> _Refused:
    return _Refused(f"is {text}, which is not a number an exchange file may hold")


def json_path(path: str, key: str) -> str:
    """Return the JSON path of `key` inside `path`: ``.name`` for plain names, ``["10002-4.5-a"]`` otherwise."""
    if _IDENTIFIER.match(key):
        return f"{path}.{key}" if path else key
    return f"{path}[{printable(json.dumps(key, ensure_ascii=False))}]"


def load_json(text: str | bytes) -> tuple[Any, ProblemList]:
    """Return the parsed JSON and its problems: bad JSON, too large, too deep, a number or text no
    field may hold, each with its JSON path. The data is only safe to read when there are none."""
    problems = ProblemList()
    if len(text) > MAX_JSON_BYTES:
        problems.append(
            f"the file is {len(text) / 2**20:.1f} MB; an exchange file may be at most {MAX_JSON_BYTES // 2**20} MB"
        )
        return None, problems
    try:
        data = json.loads(text, parse_int=_parse_int, parse_float=_parse_float, parse_constant=_parse_constant)
    except RecursionError:
        problems.append(f"not valid JSON: lists and objects are nested far more than {MAX_DEPTH} deep")
        return None, problems
    except UnicodeDecodeError:
        problems.append("the file is not text in UTF-8: upload the .json file that Export made")
        return None, problems
    except json.JSONDecodeError as exc:
        problems.append(
            f"not valid JSON: the text breaks off or has a mistake at line {exc.lineno}, column {exc.colno}"
        )
        return None, problems
    except ValueError:
        problems.append("not valid JSON: upload the .json file that Export made")
        return None, problems
    problems.extend(json_limit_problems(data))
    return data, problems


def json_limit_problems(data: Any) -> ProblemList:
    """Return every place in parsed JSON that breaks a limit: nesting, sizes, numbers, and text that
    could not be stored (control and direction characters, unpaired surrogates)."""
    problems = ProblemList()
    stack: list[tuple[Any, str, int]] = [(data, "", 0)]
    while stack:
        value, path, depth = stack.pop()
        where = path or "(top level)"
        if isinstance(value, _Refused):
            problems.append(f"{where}: {value.message}")
        elif isinstance(value, bool) or value is None:
            continue
        elif isinstance(value, int | float):
            if not math.isfinite(value) or abs(value) > MAX_NUMBER:
                problems.append(f"{where}: is a number too large to store; the largest is {MAX_NUMBER:,}")
        elif isinstance(value, str):
            if len(value) > MAX_TEXT:
                problems.append(f"{where}: must be at most {MAX_TEXT} characters, got {len(value)}")
            else:
                problem = text_problem(value)
                if problem is not None:
                    problems.append(f"{where}: {problem}")
        elif isinstance(value, list | dict):
            if depth >= MAX_DEPTH:
                problems.append(f"{where}: is nested more than {MAX_DEPTH} lists and objects deep")
                continue
            if len(value) > MAX_ITEMS:
                problems.append(f"{where}: has {len(value):,} entries; at most {MAX_ITEMS:,} are allowed")
                continue
            if isinstance(value, list):
                stack.extend((item, f"{path}[{i}]", depth + 1) for i, item in reversed(list(enumerate(value))))
                continue
            children = []
            for key, item in value.items():
                shown = json_path(path, key)
                problem = text_problem(key, single_line=True)
                if len(key) > MAX_KEY:
                    problems.append(f"{shown[:80]}...: a field name may be at most {MAX_KEY} characters")
                elif problem is not None:
                    problems.append(f"{shown}: the field name {problem}")
                else:
                    children.append((item, shown, depth + 1))
            stack.extend(reversed(children))
    return problems


# --- workbooks -------------------------------------------------------------------------------

MAX_WORKBOOK_BYTES = 2 * 1024 * 1024
"""The largest workbook file (the same as the largest upload); an assess workbook is well under 1 MB."""
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
"""The most its parts may unpack to together."""
MAX_PARTS = 1000
MAX_SHEETS = 50
MAX_ROWS = 10_000
"""The most rows of one sheet, and its last row number (an assess workbook has one row per question)."""
MAX_CELLS = 200_000
"""The most cells of one sheet."""
MAX_ELEMENTS = 3_000_000
"""The most XML elements in all the parts together."""

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_ROW, _CELL, _SHEET = f"{_MAIN} row", f"{_MAIN} c", f"{_MAIN} sheet"
_RELATIONSHIP = "http://schemas.openxmlformats.org/package/2006/relationships Relationship"
_RELATIONSHIP_ID = "http://schemas.openxmlformats.org/officeDocument/2006/relationships id"
_CHUNK = 64 * 1024


DAMAGED = "not an Excel workbook (.xlsx), or a damaged one: open it in Excel or LibreOffice and save it as .xlsx"
"""The refusal of a file that is not a workbook, or a broken one: in our words, never a library's."""


class WorkbookError(ProblemsFound):
    """A workbook that cannot be imported, each problem with its cell (or the limit it broke)."""


class WorkbookRefused(ValueError):
    """A workbook past a limit; the message says which, in words for the person who uploaded it."""


def _megabytes(size: int) -> str:
    return f"{size / 2**20:,.1f} MB"


class _PartScanner:
    """Count one XML part's elements, rows and cells as expat reads it, refusing the moment a limit is
    passed; note the sheets and relationships it declares, to name a sheet by its title."""

    def __init__(self, name: str, shown: str, budget: list[int]):
        self.name = name
        self.shown = shown  # how a refusal names the part: "the Answers sheet", or its path in the zip
        self.budget = budget  # elements left for the whole workbook (shared by every part)
        self.rows = 0
        self.cells = 0
        self.sheets: list[tuple[str, str]] = []  # (title, relationship id) of a workbook part
        self.targets: dict[str, str] = {}  # relationship id -> target of a .rels part

    def start(self, tag: str, attributes: dict[str, str]) -> None:
        self.budget[0] -= 1
        if self.budget[0] < 0:
            raise WorkbookRefused(
                f"the workbook holds more than {MAX_ELEMENTS:,} XML elements; an assess workbook holds a few "
                "thousand. Download a fresh workbook and copy your answers into it."
            )
        if tag == _CELL:
            self.cells += 1
            if self.cells > MAX_CELLS:
                raise WorkbookRefused(
                    f"{self.shown} holds more than {MAX_CELLS:,} cells; a sheet may hold at most that many"
                )
        elif tag == _ROW:
            self.rows += 1
            number = attributes.get("r", "")
            last = (int(number) if len(number) < 10 else MAX_ROWS + 1) if number.isdigit() else self.rows
            if self.rows > MAX_ROWS or last > MAX_ROWS:
                raise WorkbookRefused(
                    f"{self.shown} has more than {MAX_ROWS:,} rows; an assess workbook has one row per question"
                )
        elif tag == _SHEET:
            self.sheets.append((attributes.get("name", ""), attributes.get(_RELATIONSHIP_ID, "")))
            if len(self.sheets) > MAX_SHEETS:
                raise WorkbookRefused(f"the workbook has more than {MAX_SHEETS} sheets")
        elif tag == _RELATIONSHIP:
            self.targets[attributes.get("Id", "")] = attributes.get("Target", "")

    def refuse_dtd(self, *_args: Any) -> None:
        raise WorkbookRefused(
            f"{self.shown} declares a DTD, which no spreadsheet part has (it could expand without end)"
        )

    def scan(self, chunks: Iterable[bytes]) -> None:
        parser = expat.ParserCreate(namespace_separator=" ")
        parser.StartElementHandler = self.start
        parser.StartDoctypeDeclHandler = self.refuse_dtd
        parser.EntityDeclHandler = self.refuse_dtd
        try:
            for chunk in chunks:
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
        except expat.ExpatError as exc:
            raise WorkbookRefused(
                f"{DAMAGED} (its part {self.name} is not well-formed XML, line {exc.lineno})"
            ) from None


def _chunks(head: bytes, part: IO[bytes]) -> Iterator[bytes]:
    yield head
    while chunk := part.read(_CHUNK):
        yield chunk


def _looks_like_xml(head: bytes) -> bool:
    """Return whether a part's first bytes start XML (whatever its name says: a sheet may be called anything)."""
    return head.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")) or head.lstrip()[:1] == b"<"


def check_workbook_package(data: bytes) -> None:
    """Raise WorkbookRefused when the bytes are not a zip package within the limits, before any
    spreadsheet parser reads them: sizes from the zip directory, then every XML part streamed
    through expat with its elements, rows and cells counted."""
    if len(data) > MAX_WORKBOOK_BYTES:
        raise WorkbookRefused(
            f"the file is {_megabytes(len(data))}; a workbook may be at most {_megabytes(MAX_WORKBOOK_BYTES)}"
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError):
        raise WorkbookRefused(DAMAGED) from None
    with archive:
        members = archive.infolist()
        if len(members) > MAX_PARTS:
            raise WorkbookRefused(f"the file has {len(members):,} parts; a workbook has a few dozen at most")
        unpacked = sum(m.file_size for m in members)
        if unpacked > MAX_UNPACKED_BYTES:
            raise WorkbookRefused(
                f"the workbook would unpack to {_megabytes(unpacked)}; at most {_megabytes(MAX_UNPACKED_BYTES)} "
                "is accepted (an assess workbook unpacks to well under 10 MB)"
            )
        if any(m.flag_bits & 0x1 for m in members):
            raise WorkbookRefused("the workbook is encrypted: save it without a password and upload it again")
        budget = [MAX_ELEMENTS]
        scanned: dict[str, _PartScanner] = {}
        titles: dict[str, str] = {}  # part name -> "the Answers sheet"
        # relationships first, then the workbook part, so a sheet's part is known by its title when it is read
        for member in sorted(members, key=_scan_order):
            if member.is_dir():
                continue
            scanner = _PartScanner(member.filename, titles.get(member.filename, member.filename), budget)
            try:
                with archive.open(member) as part:
                    head = part.read(_CHUNK)
                    if not _looks_like_xml(head):
                        continue  # an image or a printer setting: no spreadsheet parser reads it as XML
                    scanner.scan(_chunks(head, part))
            except (
                zipfile.BadZipFile,
                zipfile.LargeZipFile,
                NotImplementedError,
                OSError,
                EOFError,
                zlib.error,
            ):
                raise WorkbookRefused(f"{DAMAGED} (its part {member.filename} does not unpack)") from None
            scanned[member.filename] = scanner
            if scanner.sheets:
                titles.update(_sheet_parts(member.filename, scanner.sheets, scanned))


def _scan_order(member: zipfile.ZipInfo) -> tuple[int, str]:
    name = member.filename.lower()
    return (0 if name.endswith(".rels") else 1 if "workbook" in name else 2, name)


def _sheet_parts(workbook: str, sheets: list[tuple[str, str]], scanned: dict[str, _PartScanner]) -> dict[str, str]:
    """Return part name -> "the <title> sheet" for the sheets a workbook part declares, through its relationships."""
    folder, _, base = workbook.rpartition("/")
    rels = scanned.get(f"{folder}/_rels/{base}.rels" if folder else f"_rels/{base}.rels")
    if rels is None:
        return {}
    found = {}
    for title, relationship in sheets:
        target = rels.targets.get(relationship, "")
        part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
        found[part] = f"the {printable(title)[:40]} sheet"
    return found


# --- reading a workbook that passed -------------------------------------------------------


@contextmanager
def reading_workbook(data: bytes) -> Iterator[Workbook]:
    """Yield the workbook (openpyxl, read-only) once its package passed `check_workbook_package`; its
    sheets are parsed as they are read, so one that fails then is a refusal too; it is closed after.
    Raises WorkbookError."""
    try:
        check_workbook_package(data)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about features it drops; none are ours
            wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except WorkbookRefused as refused:
        raise WorkbookError([str(refused)]) from None
    except Exception:  # openpyxl raises many kinds of errors (in its own words) for damaged or foreign files
        raise WorkbookError([DAMAGED]) from None
    try:
        with warnings.catch_warnings():
            # a cell openpyxl cannot read as its format says (a date past 9999) becomes an Excel
            # error value, which the sheet readers refuse by its cell (`excel_error`); the warning
            # it also gives would otherwise be the only sign of it
            warnings.simplefilter("ignore")
            yield wb
    except WorkbookError:
        raise
    except Exception:  # the same, from a sheet parsed as it is read
        raise WorkbookError([DAMAGED]) from None
    finally:
        wb.close()


EXCEL_ERRORS = frozenset({"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A"})


def excel_error(value: object) -> str | None:
    """Return the problem of a cell holding an Excel error value ("#VALUE!", "#REF!", ...), or None."""
    if isinstance(value, str) and value in EXCEL_ERRORS:
        return (
            f"holds the Excel error {value} (a formula that failed, or a value Excel cannot show): type the value again"
        )
    return None


def table_sheet(wb: Workbook, name: str) -> ReadOnlyWorksheet:
    """Return the sheet `name` as a table of cells, its rows only; raises WorkbookError for a chart sheet."""
    sheet = wb[name]
    if not isinstance(sheet, ReadOnlyWorksheet):
        raise WorkbookError(
            [f"{name}: is a chart sheet, not a sheet of cells; upload the workbook as it was downloaded"]
        )
    sheet.reset_dimensions()  # a forged <dimension> would otherwise add up to a million empty rows
    return sheet

"""The package's shape holds: each wing imports only the wings below it, no import cycles, no huge modules.

| wing | may import |
|---|---|
| core | nothing of the other wings; no Flask, SQL, WTForms, python-docx, openpyxl |
| formats | core |
| store | core |
| documents | core, formats |
| services | core, formats, store, documents |
| web, cli | everything below them |
"""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "assess"
ALLOWED = {
    "core": set(),
    "formats": {"core"},
    "store": {"core"},
    "documents": {"core", "formats"},
    "services": {"core", "formats", "store", "documents"},
    "web": {"core", "formats", "store", "documents", "services"},
    "cli": {"core", "formats", "store", "documents", "services", "web"},
}
FORBIDDEN_IN_CORE = (
    "flask",
    "flask_wtf",
    "werkzeug",
    "wtforms",
    "sqlite3",
    "sqlite_utils",
    "pysqlite3",
    "docx",
    "openpyxl",
)
MAX_LINES = 600


def modules() -> dict[str, Path]:
    """Return dotted module name -> file for every module of the package."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def imports_of(name: str, path: Path) -> set[str]:
    """Return every module name the file imports (anywhere in it, functions included)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def wing_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "assess" and parts[1] in ALLOWED else None


MODULES = modules()
GRAPH = {name: {m for m in imports_of(name, path) if m in MODULES and m != name} for name, path in MODULES.items()}


@pytest.mark.parametrize("name", sorted(MODULES))
def test_a_module_imports_only_the_wings_below_its_own(name):
    wing = wing_of(name)
    if wing is None:
        return  # assess/__init__.py and __main__.py sit on top of everything
    wrong = sorted(m for m in GRAPH[name] if wing_of(m) not in (wing, *ALLOWED[wing]))
    assert not wrong, f"{name} ({wing}) may not import {', '.join(wrong)}"


@pytest.mark.parametrize("name", sorted(n for n in MODULES if wing_of(n) == "core"))
def test_core_uses_no_web_database_or_office_library(name):
    third_party = {m.split(".")[0] for m in imports_of(name, MODULES[name])}
    assert not third_party & set(FORBIDDEN_IN_CORE), f"{name} imports {sorted(third_party & set(FORBIDDEN_IN_CORE))}"


def test_there_is_no_import_cycle():
    state: dict[str, int] = {}
    cycles = []

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(GRAPH[node]):
            if state.get(nxt) == 1:
                cycles.append(" -> ".join([*trail[trail.index(nxt) :], nxt]))
            elif nxt not in state:
                visit(nxt, [*trail, nxt])
        state[node] = 2

    for name in sorted(GRAPH):
        if name not in state:
            visit(name, [name])
    # a package's __init__ importing its own submodules is not a cycle worth the name
    cycles = [c for c in cycles if not all(part.startswith(c.split(" -> ")[0]) for part in c.split(" -> "))]
    assert not cycles, "import cycles:\n" + "\n".join(cycles)


@pytest.mark.parametrize("name", sorted(MODULES))
def test_no_module_is_longer_than_600_lines(name):
    lines = len(MODULES[name].read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{name} has {lines} lines: split it by concern"


def test_the_architecture_test_sees_every_wing():
    assert {wing_of(n) for n in MODULES} - {None} == set(ALLOWED)

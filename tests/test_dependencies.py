"""Dependencies: lower bounds at the releases with the published fixes, one pinned and hashed set that
both README commands install, and openpyxl reading through defusedxml."""

import re
import tomllib
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent
FLOORS = {  # the release with the last published fix each of these needs (pyproject.toml says which)
    "flask": "3.1.3",
    "werkzeug": "3.1.6",
    "jinja2": "3.1.6",
    "gunicorn": "26.0",
    "sqlite-utils": "4.2.1",
    "pysqlite3": "0.6.1",
    "defusedxml": "0.7.1",
}


def declared() -> dict[str, Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    requirements = [Requirement(r) for r in project["dependencies"] + project["optional-dependencies"]["test"]]
    return {r.name.lower(): r for r in requirements}


def pinned() -> dict[str, tuple[str, list[str]]]:
    text = (ROOT / "constraints.txt").read_text().replace("\\\n", " ")
    pins = {}
    for line in text.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        name, version = line.split()[0].split("==")
        pins[name.lower().replace("_", "-")] = (version, re.findall(r"--hash=sha256:([0-9a-f]{64})", line))
    return pins


def test_lower_bounds_are_at_the_fixed_releases():
    requirements = declared()
    for name, floor in FLOORS.items():
        assert any(s.operator == ">=" and Version(s.version) >= Version(floor) for s in requirements[name].specifier), (
            name
        )


def test_installed_versions_meet_the_lower_bounds():
    for name, floor in FLOORS.items():
        assert Version(metadata.version(name)) >= Version(floor), name


def test_every_dependency_is_pinned_and_hashed_within_its_bounds():
    pins = pinned()
    for name, requirement in declared().items():
        assert name in pins, f"{name} is not in constraints.txt: run scripts/update_constraints.py"
        version, hashes = pins[name]
        assert requirement.specifier.contains(version), (name, version, str(requirement.specifier))
    assert all(len(hashes) >= 1 for _, hashes in pins.values())
    assert {"pip", "setuptools"} <= set(pins)


def test_both_readme_commands_install_from_the_constraints():
    for script in ("run", "test"):
        text = (ROOT / "scripts" / script).read_text()
        install = [line for line in text.splitlines() if "pip install" in line]
        assert install and all("constraints.txt" in line for line in install), script
        assert "--build-constraint constraints.txt" in install[-1]


def test_openpyxl_reads_through_defusedxml():
    import openpyxl.xml

    assert openpyxl.xml.DEFUSEDXML is True

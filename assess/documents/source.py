"""Document templates: ``doc_templates/<id>.md.j2`` files, front matter, and rendering to Markdown.

A template is Markdown with Jinja, after YAML front matter between ``---`` lines::

    ---
    title: Complaints-handling policy and procedure
    subject: How we receive, handle and learn from complaints     # optional
    keywords: [complaints, ISO 10002]                               # optional
    questionnaires: [iso10002-2018]      # the first one is the document's own standard
    clauses: ["4", "5.3", "7.4"]         # the clauses its sections evidence (cite= below)
    owner: [people.complaints_manager_name, people.complaints_manager_role]  # shown on the cover
    layout: policy   # optional: "policy" (cover page, contents page) or "paper" (a title block, then the text)
    ---

It is rendered in a sandboxed Jinja environment with StrictUndefined. Every value a template can
reach is already escaped Markdown (user text can never become markup):

- ``org``, ``title``, ``standard``, ``assessment``, ``today`` (e.g. "25 November 2026");
- ``fact(id)`` the profile fact, or its highlighted placeholder when missing; ``has(id)``;
  ``fact_is(id, choice)``; ``items(id)`` the rows of a list fact or the choices of a multichoice
  (empty when missing: show ``fact(id)`` in the ``{% else %}`` branch); ``link(id)`` a web or
  email fact as a link; ``review_date()`` today plus the review cycle;
- ``report()`` for the gap report: everything it prints, figures and sentence parts (see
  `report.py`); ``levels``;
- the filter ``md`` escapes any other text the same way; ``lower_first`` puts a fact that starts
  with a capital into the middle of a sentence ("about {{ fact("org.products_services")|lower_first }}"),
  ``upper_first`` starts a sentence with one; ``one_line`` writes a multi-line fact (an address) on
  one line, separated by commas;
- ``statement(practices)``, ``commitment(practices)``, ``instead`` and ``says(claim)``: the truth
  rules, see `statements.py`; ``count(id, unit)`` a number fact with its unit ("2 working days");
  ``value(id)`` a number or choice fact's raw value; ``given(id)`` whether the profile itself
  gives a fact (``has`` also counts its default); ``name`` the name customers know (the trading
  name, else the legal name); ``words`` the sector's examples (`wording.py`); ``ref(id)`` the
  number of the heading with that ``{: #id }`` (a REF field in Word); ``docprop("Version")`` a
  document property (a DOCPROPERTY field); ``unresolved(text)`` a placeholder for what the data
  cannot settle;

An attribute list (Python-Markdown ``attr_list``, on the line below a paragraph or list item, at
the end of a heading's line) ties the text to the standard: ``{: cite="7.4" }`` puts a clause
reference ("ISO 10002:2018, 7.4") after the element unless citations are switched off
(``iso10003-2018:7.2`` cites another questionnaire's clause); ``{: #id }`` names a heading for
``ref()``. Every sentence about the organization's practice is written in a statement block
(`statements.py`), never as plain text.

Classes: ``.unnumbered`` (heading without a number), ``.note``, ``.caption`` (a caption starting
"Figure 2" gets a SEQ field). A ``***`` line is a page break. Templates whose name starts with ``_``
are partials for ``{% include %}``. A block tag that ends a line of text keeps the line's end
(`keep_text_line_ends`), so a list item may end with ``{% endcall %}`` or ``{% endif %}``.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import traceback
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from jinja2 import BaseLoader, StrictUndefined, TemplateError, TemplateNotFound, TemplateSyntaxError
from jinja2.sandbox import SandboxedEnvironment

from assess.core.questionnaire import DOCUMENT_IDS
from assess.documents.errors import DocumentError
from assess.documents.text import LINE_BREAK, escape_markdown

SUFFIX = ".md.j2"
_TAG = re.compile(r"\{%.*?%\}")
_LAST_TAG = re.compile(r"(\{%[^%]*?)-?%\}(\s*)$")


def keep_text_line_ends(source: str) -> str:
    """Return template source in which a block tag that ends a line of text keeps that line's end.

    Jinja's trim_blocks removes the line end after every block tag, which is right for a tag on a
    line of its own and wrong for ``- {% call statement(...) %}...{% endcall %}`` or
    ``- {{ a }}{% if b %}: {{ b }}{% endif %}``: the next list item would join this one. A line
    with text besides its tags gets ``+%}`` on its last tag, which keeps its line end.
    """
    lines = source.split("\n")
    for index, line in enumerate(lines):
        if line.rstrip().endswith("%}") and _TAG.sub("", line).strip():
            lines[index] = _LAST_TAG.sub(lambda m: f"{m.group(1)}+%}}{m.group(2)}", line)
    return "\n".join(lines)


_FRONT_MATTER_KEYS = {"title", "subject", "keywords", "questionnaires", "clauses", "owner", "layout"}
LAYOUTS = ("policy", "paper")
"""A policy opens with a cover page and a contents page; a paper (the gap report, read by a board)
opens with a title block and goes straight on with its text, so its page one is its summary."""


def default_templates_dir() -> Path:
    """Return the `doc_templates/` folder shipped with the project."""
    return Path(__file__).resolve().parent.parent.parent / "doc_templates"


@dataclass(frozen=True)
class DocumentInfo:
    """A document the tool can write: its id, title, and the questionnaires it draws on
    (`clauses`: the clauses of the first questionnaire its sections evidence)."""

    id: str
    title: str
    questionnaires: tuple[str, ...]
    clauses: tuple[str, ...] = ()


@dataclass(frozen=True)
class TemplateFile:
    """A template's front matter and where it lives."""

    info: DocumentInfo
    path: Path
    subject: str
    keywords: tuple[str, ...]
    owner: tuple[str, ...]
    source: str
    layout: str = "policy"

    def error(self, message: str, needle: str = "", line: int | None = None) -> DocumentError:
        """Return a DocumentError naming this template and the line (given, or where `needle` is)."""
        if line is None and needle:
            line = next((n for n, text in enumerate(self.source.splitlines(), start=1) if needle in text), None)
        where = f"{self.path.name}, line {line}" if line else self.path.name
        return DocumentError(f"{where}: {message}")


def _split_front_matter(text: str, name: str) -> tuple[dict[str, Any], str]:
    """Return (front matter, body with the front matter lines blanked so line numbers still match)."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        raise DocumentError(f"{name}: must start with front matter between '---' lines")
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration:
        raise DocumentError(f"{name}: front matter has no closing '---' line") from None
    try:
        data = yaml.safe_load("\n".join(lines[1:end])) or {}
    except yaml.YAMLError as exc:
        raise DocumentError(f"{name}: front matter is not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise DocumentError(f"{name}: front matter must be a mapping")
    return data, "\n" * end + "\n".join(lines[end:])[3:]


def _text_list(data: Mapping[str, Any], key: str, name: str) -> tuple[str, ...]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise DocumentError(f"{name}: front matter: {key} must be a list of text")
    return tuple(value)


def read_template(document: str, templates_dir: Path | str | None = None) -> TemplateFile:
    """Return the template of a document; raises DocumentError for an unknown id or a bad file.

    A template is read again only when its file changed (its modification time and size).
    """
    if document not in DOCUMENT_IDS:
        raise DocumentError(f"unknown document {document!r} (known: {', '.join(DOCUMENT_IDS)})")
    path = Path(templates_dir or default_templates_dir()) / f"{document}{SUFFIX}"
    try:
        stat = path.stat()
    except OSError as exc:
        raise DocumentError(f"{path.name}: cannot be read: {exc}") from None
    return _read_template(document, path, stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=32)
def _read_template(document: str, path: Path, mtime: int, size: int) -> TemplateFile:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DocumentError(f"{path.name}: cannot be read: {exc}") from None
    data, _ = _split_front_matter(text, path.name)
    unknown = set(data) - _FRONT_MATTER_KEYS
    if unknown:
        raise DocumentError(
            f"{path.name}: front matter: unknown key {sorted(unknown)[0]!r} "
            f"(allowed: {', '.join(sorted(_FRONT_MATTER_KEYS))})"
        )
    title = data.get("title")
    if not isinstance(title, str) or not title.strip():
        raise DocumentError(f"{path.name}: front matter: title is required")
    questionnaires = _text_list(data, "questionnaires", path.name)
    if not questionnaires:
        raise DocumentError(f"{path.name}: front matter: questionnaires must name at least one")
    subject = data.get("subject", "")
    if not isinstance(subject, str):
        raise DocumentError(f"{path.name}: front matter: subject must be text")
    layout = data.get("layout", "policy")
    if layout not in LAYOUTS:
        raise DocumentError(f"{path.name}: front matter: layout must be one of {', '.join(LAYOUTS)}, got {layout!r}")
    return TemplateFile(
        info=DocumentInfo(
            id=document,
            title=title.strip(),
            questionnaires=questionnaires,
            clauses=_text_list(data, "clauses", path.name),
        ),
        path=path,
        subject=subject.strip(),
        keywords=_text_list(data, "keywords", path.name),
        owner=_text_list(data, "owner", path.name),
        source=text,
        layout=layout,
    )


class _TemplateLoader(BaseLoader):
    """Loads templates from one folder with their front matter blanked out."""

    def __init__(self, folder: Path):
        self.folder = folder

    def get_source(self, environment: Any, template: str) -> tuple[str, str, Callable[[], bool]]:
        path = self.folder / template
        if "/" in template or "\\" in template or not path.is_file():
            raise TemplateNotFound(template)
        mtime = path.stat().st_mtime
        text = path.read_text(encoding="utf-8")
        if not template.startswith("_"):
            _, text = _split_front_matter(text, template)
        return keep_text_line_ends(text), str(path), lambda: path.is_file() and path.stat().st_mtime == mtime


@functools.lru_cache(maxsize=8)
def _environment(folder: Path) -> SandboxedEnvironment:
    env = SandboxedEnvironment(
        loader=_TemplateLoader(folder),
        undefined=StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md"] = escape_markdown
    env.filters["lower_first"] = lower_first
    env.filters["upper_first"] = upper_first
    env.filters["one_line"] = lambda text: text.replace(LINE_BREAK, ", ")
    return env


def lower_first(text: str) -> str:
    """Return text with its first letter in lower case, unless it starts an acronym ("UK", "ISO")."""
    if len(text) > 1 and text[0].isupper() and not text[1].isupper():
        return text[0].lower() + text[1:]
    return text


def upper_first(text: str) -> str:
    """Return text with its first letter in upper case, to start a sentence with a fact."""
    return text[:1].upper() + text[1:]


def _template_line(exc: BaseException, filename: str) -> int | None:
    lines = [f.lineno for f in traceback.extract_tb(exc.__traceback__) if f.filename == filename]
    return lines[-1] if lines else None


def render_markdown(template: TemplateFile, context: Mapping[str, Any]) -> str:
    """Return the template rendered to Markdown; raises DocumentError naming the template line."""
    env = _environment(template.path.parent)
    try:
        return env.get_template(template.path.name).render(context)
    except TemplateSyntaxError as exc:
        name = Path(exc.filename).name if exc.filename else template.path.name
        raise DocumentError(f"{name}, line {exc.lineno}: {exc.message}") from None
    except DocumentError as exc:
        raise template.error(str(exc), line=_template_line(exc, str(template.path))) from None
    except (TemplateError, TypeError, ValueError, KeyError, AttributeError) as exc:
        line = _template_line(exc, str(template.path))
        raise template.error(f"{type(exc).__name__}: {exc}", line=line) from None


def add_months(day: dt.date, months: int) -> dt.date:
    """Return the same day `months` later (the month's last day when it has fewer days)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover - some month length always fits

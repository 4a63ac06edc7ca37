"""Markdown in, one checked element tree out: the tree both writers (HTML and Word) read.

Python-Markdown (extensions tables, attr_list, sane_lists) parses the rendered template once; a
lowest-priority treeprocessor keeps the tree. The tree is then made self-contained and checked:

- every ``\\x02wzxhzdk:N\\x03`` placeholder Python-Markdown leaves for entities is replaced by its
  character (raw HTML in a template is refused: both writers must see the same content);
- the private markers of `text.py` are already ``<br>`` and ``<span class="placeholder">``;
- only the elements, attributes and classes below may appear, and an attribute list must attach
  to something, so a typo fails loudly;
- ``cite="7.4 7.5"`` on an element inserts a ``<p class="clause-ref">ISO 10002:2018, 7.4 and 7.5</p>``
  after it (or nothing when citations are off);
- headings h1 and h2 are numbered 1, 1.1, ... unless they carry the class ``unnumbered``.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator

import markdown
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import AMP_SUBSTITUTE, AtomicString

from assess.documents.errors import DocumentError
from assess.documents.text import LINE_BREAK, PLACEHOLDER_CLOSE, PLACEHOLDER_OPEN

BLOCKS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "p", "ul", "ol", "table", "hr", "blockquote"})
INLINES = frozenset({"strong", "em", "code", "a", "span", "br", "img"})
STRUCTURE = frozenset({"li", "thead", "tbody", "tr", "th", "td"})
ATTRIBUTES = frozenset({"class", "practice", "cite", "href", "src", "alt", "title", "style"})
CLASSES = frozenset({"clause-ref", "caption", "note", "unnumbered", "placeholder"})

_STASH = re.compile("\x02wzxhzdk:(\\d+)\x03")
_ENTITY = re.compile(r"^&(#\d+|#x[0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);$")
_LEFTOVER = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


class TemplateProblem(DocumentError):
    """A problem found in the tree; `needle` is text to look for in the template to find the line."""

    def __init__(self, message: str, needle: str = ""):
        super().__init__(message)
        self.needle = needle


class _PlaceholderPattern(InlineProcessor):
    def handleMatch(self, m: re.Match[str], data: str) -> tuple[ET.Element, int, int]:  # noqa: N802
        span = ET.Element("span", {"class": "placeholder"})
        span.text = AtomicString(m.group(1))
        return span, m.start(0), m.end(0)


class _LineBreakPattern(InlineProcessor):
    def handleMatch(self, m: re.Match[str], data: str) -> tuple[ET.Element, int, int]:  # noqa: N802
        return ET.Element("br"), m.start(0), m.end(0)


class _UnattachedAttributes(Treeprocessor):
    """Refuses an attribute list left as text. Runs after attr_list and before backslash escapes
    are undone, so an escaped ``{:`` in user text is not mistaken for one."""

    def run(self, root: ET.Element) -> None:
        for element in root.iter():
            for text in (element.text, element.tail):
                if text and "{:" in text:
                    raise TemplateProblem(
                        "an attribute list {: ... } was not attached to anything: put it on the "
                        "line just below a paragraph or list item, or at the end of a heading",
                        text[text.index("{:") :][:30],
                    )


class _KeepTree(Treeprocessor):
    def run(self, root: ET.Element) -> None:
        self.md.kept_tree = root  # type: ignore[attr-defined]


class _AssessMarkdown(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802
        pattern = f"{PLACEHOLDER_OPEN}([^{PLACEHOLDER_OPEN}{PLACEHOLDER_CLOSE}]*){PLACEHOLDER_CLOSE}"
        md.inlinePatterns.register(_PlaceholderPattern(pattern, md), "assess-placeholder", 200)
        md.inlinePatterns.register(_LineBreakPattern(LINE_BREAK, md), "assess-line-break", 199)
        md.treeprocessors.register(_UnattachedAttributes(md), "assess-unattached-attributes", 5)
        md.treeprocessors.register(_KeepTree(md), "assess-keep-tree", -100)


def _resolve(text: str | None, stash: list[str]) -> str | None:
    if not text:
        return text

    def entity(m: re.Match[str]) -> str:
        raw = str(stash[int(m.group(1))])
        if not _ENTITY.match(raw):
            raise TemplateProblem(f"raw HTML is not allowed in templates: {raw[:60]!r}", raw[:40])
        return html.unescape(raw)

    resolved = _STASH.sub(entity, text).replace(AMP_SUBSTITUTE, "&")
    return _LEFTOVER.sub("", resolved)


def _flow(text: str | None, drop_blank: bool) -> str | None:
    """Return text with source line ends as spaces (Markdown's soft breaks), or None if blank and
    `drop_blank` (whitespace between blocks, which Python-Markdown leaves as newlines)."""
    if text is None or (drop_blank and not text.strip()):
        return None
    return text.replace("\n", " ")


def parse_markdown(source: str) -> ET.Element:
    """Return the element tree (a ``div``) of Markdown source, with every stash placeholder
    resolved and source line ends turned into spaces. Raises TemplateProblem for raw HTML."""
    md = markdown.Markdown(extensions=["tables", "attr_list", "sane_lists", _AssessMarkdown()])
    md.convert(source)
    root: ET.Element = md.kept_tree  # type: ignore[attr-defined]
    stash = md.htmlStash.rawHtmlBlocks
    for element in root.iter():
        holds_blocks = element is root or any(child.tag in BLOCKS | STRUCTURE for child in element)
        element.text = _flow(_resolve(element.text, stash), holds_blocks)
        tail = _flow(_resolve(element.tail, stash), element.tag not in INLINES)
        element.tail = tail.lstrip() or None if tail and element.tag == "br" else tail
        for name, value in element.attrib.items():
            element.attrib[name] = _resolve(value, stash) or ""
    return root


def _classes(element: ET.Element) -> list[str]:
    return element.get("class", "").split()


def check_tree(root: ET.Element) -> None:
    """Raise TemplateProblem for an element, attribute or class the writers do not know."""
    for element in root.iter():
        if element is root:
            continue
        if element.tag not in BLOCKS | INLINES | STRUCTURE:
            raise TemplateProblem(f"Markdown element <{element.tag}> is not supported in documents")
        for name in element.attrib:
            if name not in ATTRIBUTES:
                raise TemplateProblem(f"unknown attribute {name!r} (allowed: {', '.join(sorted(ATTRIBUTES))})", name)
        for cls in _classes(element):
            if cls not in CLASSES:
                raise TemplateProblem(f"unknown class {cls!r} (allowed: {', '.join(sorted(CLASSES))})", cls)


def apply_citations(root: ET.Element, cite: Callable[[str], str], enabled: bool) -> None:
    """Replace each ``cite`` attribute with a clause-reference paragraph after its element.

    `cite` turns the attribute's value into the citation text and raises TemplateProblem for an
    unknown clause; it is called even when citations are off, so a bad reference always fails.
    """
    for parent in list(root.iter()):
        for index in range(len(parent) - 1, -1, -1):
            child = parent[index]
            refs = child.attrib.pop("cite", None)
            if refs is None:
                continue
            text = cite(refs)
            if enabled:
                paragraph = ET.Element("p", {"class": "clause-ref"})
                paragraph.text = text
                paragraph.tail = child.tail
                parent.insert(index + 1, paragraph)


def number_headings(root: ET.Element) -> None:
    """Prefix h1 with 1, 2, ... and h2 with 1.1, 1.2, ... except headings of class ``unnumbered``."""
    counters = [0, 0]
    for element in root:
        if element.tag not in ("h1", "h2") or "unnumbered" in _classes(element):
            continue
        level = int(element.tag[1]) - 1
        counters[level] += 1
        counters[level + 1 :] = [0] * (len(counters) - level - 1)
        number = ".".join(str(n) for n in counters[: level + 1])
        element.text = f"{number}\u2002{element.text or ''}"


def practices_in(root: ET.Element) -> Iterator[tuple[ET.Element, list[str]]]:
    """Yield each element with a ``practice`` attribute and its question ids, in document order."""
    for element in root.iter():
        ids = element.get("practice", "").split()
        if ids:
            yield element, ids


def text_of(element: ET.Element) -> str:
    """Return all the text inside an element (not its tail)."""
    return "".join(element.itertext())


def build_tree(source: str, cite: Callable[[str], str], citations: bool, numbered: bool = True) -> ET.Element:
    """Return the checked, cited and numbered tree of the rendered Markdown; raises TemplateProblem."""
    root = parse_markdown(source)
    check_tree(root)
    apply_citations(root, cite, citations)
    if numbered:
        number_headings(root)
    return root

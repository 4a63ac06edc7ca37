"""Markdown in, one checked element tree out: the tree both writers (HTML and Word) read.

Python-Markdown (extensions tables, attr_list, sane_lists) parses the rendered template once, up
to its element tree (the HTML string it would serialize is never made). The tree is then made
self-contained and checked:

- every ``\\x02wzxhzdk:N\\x03`` placeholder Python-Markdown leaves for entities is replaced by its
  character (raw HTML in a template is refused: both writers must see the same content);
- the private markers of `text.py` and `statements.py` are already ``<br>``, ``<span
  class="placeholder">``, ``<a class="ref">`` (a cross-reference), ``<span class="docprop">``
  (a document property) and the ``statements`` attribute of the block a statement sits in;
- only the elements, attributes and classes below may appear, and an attribute list must attach
  to something, so a typo fails loudly;
- blocks a left-out statement emptied are removed, and so is a heading whose section is empty;
- ``cite="7.4 7.5"`` on an element inserts a ``<p class="clause-ref">ISO 10002:2018, 7.4 and 7.5</p>``
  after it (or nothing when citations are off);
- headings h1 and h2 get their number (1, 1.1, ...) in the ``number`` attribute unless they carry
  the class ``unnumbered``; a cross-reference gets the number (or the text, for an unnumbered
  heading) of the heading whose ``id`` it names.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable

import markdown
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import AMP_SUBSTITUTE, AtomicString

from assess.documents.errors import DocumentError
from assess.documents.statements import CONFIRMING, CONFIRMING_MANY, DUE_MANY, DUE_ONE
from assess.documents.text import (
    DOCPROP_CLOSE,
    DOCPROP_OPEN,
    DUE_MARK,
    LINE_BREAK,
    PLACEHOLDER_CLOSE,
    PLACEHOLDER_OPEN,
    REF_CLOSE,
    REF_OPEN,
    STATEMENT_CLOSE,
    STATEMENT_OPEN,
)

BLOCKS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "p", "ul", "ol", "table", "hr", "blockquote"})
INLINES = frozenset({"strong", "em", "code", "a", "span", "br", "img"})
STRUCTURE = frozenset({"li", "thead", "tbody", "tr", "th", "td"})
ATTRIBUTES = frozenset({"class", "cite", "href", "src", "alt", "title", "style", "id"})
CLASSES = frozenset({"clause-ref", "caption", "note", "unnumbered", "placeholder", "ref", "docprop", "due"})
HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
HOLDERS = frozenset({"p", "li", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6"})
"""The elements a statement attaches to (the innermost one around it)."""
DOCUMENT_PROPERTIES = ("Version", "Status")

_STASH = re.compile("\x02wzxhzdk:(\\d+)\x03")
_ENTITY = re.compile(r"^&(#\d+|#x[0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);$")
_LEFTOVER = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
_STATEMENT_TAG = "assess-statement"


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


class _StatementPattern(InlineProcessor):
    def handleMatch(self, m: re.Match[str], data: str) -> tuple[ET.Element, int, int]:  # noqa: N802
        return ET.Element(_STATEMENT_TAG, {"n": m.group(1)}), m.start(0), m.end(0)


class _RefPattern(InlineProcessor):
    def handleMatch(self, m: re.Match[str], data: str) -> tuple[ET.Element, int, int]:  # noqa: N802
        return ET.Element("a", {"class": "ref", "href": "#" + m.group(1)}), m.start(0), m.end(0)


class _DocPropPattern(InlineProcessor):
    def handleMatch(self, m: re.Match[str], data: str) -> tuple[ET.Element, int, int]:  # noqa: N802
        return ET.Element("span", {"class": "docprop", "title": m.group(1)}), m.start(0), m.end(0)


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


def _between(open_mark: str, close_mark: str, inner: str) -> str:
    return f"{open_mark}({inner}){close_mark}"


UNUSED_PATTERNS = (
    "reference",
    "image_reference",
    "short_reference",
    "short_image_ref",
    "autolink",
    "automail",
    "linebreak",
)
"""Python-Markdown's inline patterns no template needs (reference links, bare <url>s, two-space
line breaks): each one is tried on every text of the document, so they go."""


class _AssessMarkdown(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802
        for name in UNUSED_PATTERNS:
            md.inlinePatterns.deregister(name)
        placeholder = _between(PLACEHOLDER_OPEN, PLACEHOLDER_CLOSE, f"[^{PLACEHOLDER_OPEN}{PLACEHOLDER_CLOSE}]*")
        md.inlinePatterns.register(_PlaceholderPattern(placeholder, md), "assess-placeholder", 200)
        md.inlinePatterns.register(_LineBreakPattern(LINE_BREAK, md), "assess-line-break", 199)
        md.inlinePatterns.register(
            _StatementPattern(_between(STATEMENT_OPEN, STATEMENT_CLOSE, r"\d+"), md), "assess-statement", 198
        )
        md.inlinePatterns.register(_RefPattern(_between(REF_OPEN, REF_CLOSE, r"[a-z0-9-]+"), md), "assess-ref", 197)
        md.inlinePatterns.register(
            _DocPropPattern(_between(DOCPROP_OPEN, DOCPROP_CLOSE, "[A-Za-z]+"), md), "assess-docprop", 196
        )
        md.treeprocessors.register(_UnattachedAttributes(md), "assess-unattached-attributes", 5)


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


def _remove_keeping_tail(parent: ET.Element, child: ET.Element) -> None:
    """Remove `child` from `parent`, keeping the text that follows it."""
    index = list(parent).index(child)
    if child.tail:
        if index:
            previous = parent[index - 1]
            previous.tail = (previous.tail or "") + child.tail
        else:
            parent.text = (parent.text or "") + child.tail
    parent.remove(child)


def _lift_statements(root: ET.Element) -> None:
    """Move each statement marker onto the block holding it, as its ``statements`` attribute."""
    holders: list[ET.Element] = [root]

    def walk(element: ET.Element) -> None:
        if element.tag in HOLDERS:
            holders.append(element)
        for child in list(element):
            if child.tag == _STATEMENT_TAG:
                holder = holders[-1]
                numbers = holder.get("statements", "").split()
                holder.set("statements", " ".join([*numbers, child.get("n", "")]))
                _remove_keeping_tail(element, child)
            else:
                walk(child)
        if element.tag in HOLDERS:
            holders.pop()

    walk(root)


def parse_markdown(source: str) -> ET.Element:
    """Return the element tree (a ``div``) of Markdown source, with every stash placeholder
    resolved and source line ends turned into spaces. Raises TemplateProblem for raw HTML."""
    md = markdown.Markdown(extensions=["tables", "attr_list", "sane_lists", _AssessMarkdown()])
    # What Markdown.convert does up to its tree, without writing the HTML string nobody reads.
    lines = source.split("\n")
    for preprocessor in md.preprocessors:
        lines = preprocessor.run(lines)
    root: ET.Element = md.parser.parseDocument(lines).getroot()
    for treeprocessor in md.treeprocessors:
        root = treeprocessor.run(root) or root
    stash = md.htmlStash.rawHtmlBlocks
    for element in root.iter():
        if element.tag == "em" and element.text and element.text.startswith(DUE_MARK):
            element.set("class", "due")
        holds_blocks = element is root or any(child.tag in BLOCKS | STRUCTURE for child in element)
        element.text = _flow(_resolve(element.text, stash), holds_blocks)
        tail = _flow(_resolve(element.tail, stash), element.tag not in INLINES | {_STATEMENT_TAG})
        element.tail = tail.lstrip() or None if tail and element.tag == "br" else tail
        for name, value in element.attrib.items():
            element.attrib[name] = _resolve(value, stash) or ""
    _lift_statements(root)
    _merge_due_notes(root)
    return root


def _merge_due_notes(root: ET.Element) -> None:
    """In each block, keep only the last of a run of identical commitment notes ("This will be in
    place by ..." after each of several sentences becomes one "These will be ..." after the last)."""
    for block in root.iter():
        notes = [child for child in block if child.tag == "em" and "due" in _classes(child)]
        for first, second in zip(notes, notes[1:], strict=False):
            if text_of(first).replace(DUE_MANY, DUE_ONE).replace(CONFIRMING_MANY, CONFIRMING) == text_of(second):
                previous = list(block)[list(block).index(first) - 1] if list(block).index(first) else None
                if previous is not None and previous.tail:
                    previous.tail = previous.tail.rstrip() + " "
                elif previous is None and block.text:
                    block.text = block.text.rstrip() + " "
                if first.tail:
                    first.tail = first.tail.lstrip()
                _remove_keeping_tail(block, first)
                second.text = (second.text or "").replace(DUE_ONE, DUE_MANY, 1).replace(CONFIRMING, CONFIRMING_MANY, 1)


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
            if name == "practice":
                raise TemplateProblem(
                    "practice= is not used any more: write the sentence in {% call statement(...) %} "
                    "or {% call commitment(...) %} (see assess/documents/statements.py)",
                    "practice=",
                )
            if name not in ATTRIBUTES and name != "statements":
                raise TemplateProblem(f"unknown attribute {name!r} (allowed: {', '.join(sorted(ATTRIBUTES))})", name)
        for cls in _classes(element):
            if cls not in CLASSES:
                raise TemplateProblem(f"unknown class {cls!r} (allowed: {', '.join(sorted(CLASSES))})", cls)
        if "docprop" in _classes(element) and element.get("title") not in DOCUMENT_PROPERTIES:
            raise TemplateProblem(f"docprop: unknown property {element.get('title')!r}")


_BLANK = " \t\r\n"  # not the no-break spaces of a form's writing space: those are there to be written in


def _is_empty(element: ET.Element) -> bool:
    """Return whether an element shows nothing: no text, no picture, no non-empty child."""
    if element.tag in ("img", "hr", "br") or (element.text or "").strip(_BLANK):
        return False
    return all(_is_empty(child) and not (child.tail or "").strip(_BLANK) for child in element)


def prune(root: ET.Element) -> None:
    """Remove what left-out statements emptied: paragraphs and list items without text, lists and
    quotes without items, table rows without text (a table without body rows goes too), and
    headings whose section holds nothing but lower headings that were removed."""
    for parent in list(root.iter()):
        for child in list(parent):
            if child.tag in ("p", "li", "blockquote") and _is_empty(child):
                parent.remove(child)
    for parent in list(root.iter()):
        for child in list(parent):
            if child.tag in ("ul", "ol", "blockquote") and not len(child):
                parent.remove(child)
            elif child.tag == "table":
                for section in child:
                    for row in list(section):
                        if section.tag == "tbody" and all(_is_empty(cell) for cell in row):
                            section.remove(row)
                if not any(len(section) for section in child if section.tag == "tbody"):
                    parent.remove(child)
    for level in (6, 5, 4, 3, 2, 1):
        blocks = list(root)
        for index, element in enumerate(blocks):
            if element.tag != f"h{level}":
                continue
            following = blocks[index + 1] if index + 1 < len(blocks) else None
            if (
                following is None
                or following.tag == "hr"
                or (following.tag in HEADINGS and int(following.tag[1]) <= level)
            ):
                root.remove(element)


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
    """Give h1 the numbers 1, 2, ... and h2 1.1, 1.2, ... in their ``number`` attribute, except
    headings of class ``unnumbered``; an h2 under an unnumbered h1 is unnumbered too."""
    counters = [0, 0]
    under_unnumbered = False
    for element in root:
        if element.tag not in ("h1", "h2"):
            continue
        if element.tag == "h1":
            under_unnumbered = "unnumbered" in _classes(element)
        if "unnumbered" in _classes(element) or under_unnumbered:
            if "unnumbered" not in _classes(element):
                element.set("class", " ".join([*_classes(element), "unnumbered"]))
            continue
        level = int(element.tag[1]) - 1
        counters[level] += 1
        counters[level + 1 :] = [0] * (len(counters) - level - 1)
        element.set("number", ".".join(str(n) for n in counters[: level + 1]))


PRUNED_REFERENCE = "a section not included in this version"


def resolve_references(root: ET.Element, pruned: frozenset[str] = frozenset()) -> None:
    """Fill each cross-reference with its heading's number (or text); one to a heading `prune`
    removed says so in words. Raises TemplateProblem for an id no heading ever had."""
    headings = {el.get("id"): el for el in root if el.tag in BLOCKS and el.get("id")}
    parents = {child: parent for parent in root.iter() for child in parent}
    for element in list(root.iter("a")):
        if "ref" not in _classes(element):
            continue
        target = element.get("href", "#")[1:]
        heading = headings.get(target)
        if heading is None and target in pruned:
            element.tail = PRUNED_REFERENCE + (element.tail or "")
            _remove_keeping_tail(parents[element], element)
            continue
        if heading is None:
            raise TemplateProblem(f"ref({target!r}): no heading has this id", target)
        element.text = heading.get("number") or text_of(heading).strip()
        element.set("number", "1" if heading.get("number") else "")


def text_of(element: ET.Element) -> str:
    """Return all the text inside an element (not its tail)."""
    return "".join(element.itertext())


def heading_text(element: ET.Element) -> str:
    """Return a heading as the contents list shows it: its number, an en space, its text."""
    number = element.get("number")
    text = text_of(element).strip()
    return f"{number}\u2002{text}" if number else text


def build_tree(source: str, cite: Callable[[str], str], citations: bool, numbered: bool = True) -> ET.Element:
    """Return the checked, pruned, cited and numbered tree of the rendered Markdown; raises TemplateProblem."""
    root = parse_markdown(source)
    check_tree(root)
    for element in root.iter():
        if "cite" in element.attrib:
            cite(element.attrib["cite"])  # a bad reference fails even where its section is pruned
    ids = {el.get("id") for el in root if el.get("id")}
    prune(root)
    pruned = frozenset(i for i in ids - {el.get("id") for el in root if el.get("id")} if i)
    apply_citations(root, cite, citations)
    if numbered:
        number_headings(root)
    resolve_references(root, pruned)
    return root

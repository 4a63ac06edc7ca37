"""The HTML writer: the same checked element tree as the Word writer, as a sanitized HTML fragment.

The preview marks what the Word document comments on (class ``needs-review`` with a visible
``review-note``) and highlights placeholders (``<mark class="placeholder">``); headings show their
numbers, cross-references link to their heading, document properties show their value; the chart
is inlined as an SVG data URI. The result always goes through nh3 with a fixed allow-list.
"""

from __future__ import annotations

import base64
import copy
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence

import nh3

from assess.documents.meta import DocumentMeta, ImageSource

TAGS = {
    "div",
    "header",
    "section",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "p",
    "ul",
    "ol",
    "li",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "strong",
    "em",
    "code",
    "a",
    "br",
    "img",
    "hr",
    "blockquote",
    "mark",
    "span",
    "dl",
    "dt",
    "dd",
}
ATTRIBUTES = {"*": {"class", "title", "id"}, "a": {"href"}, "img": {"src", "alt"}}
_SVG_DATA = "data:image/svg+xml;base64,"


def _allowed_value(tag: str, attribute: str, value: str) -> str | None:
    if tag == "a" and attribute == "href":
        return value if value.startswith(("http://", "https://", "mailto:", "#")) else None
    if tag == "img" and attribute == "src":
        return value if value.startswith(_SVG_DATA) else None
    return value


def sanitize(html: str) -> str:
    """Return the HTML with only the preview's tags, attributes and URL kinds left."""
    return nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        attribute_filter=_allowed_value,
        url_schemes={"http", "https", "mailto", "data"},
        link_rel="noopener noreferrer",
    )


def _add_class(element: ET.Element, name: str) -> None:
    element.set("class", f"{element.get('class', '')} {name}".strip())


def _mark_up(body: ET.Element, meta: DocumentMeta, comments: Mapping[int, Sequence[str]], images: ImageSource) -> None:
    for element in list(body.iter()):
        numbers = [int(n) for n in element.attrib.pop("statements", "").split()]
        notes = [text for n in numbers for text in comments.get(n, ())]
        if notes:
            _add_class(element, "needs-review")
            element.set("title", "\n".join(notes))
            note = ET.SubElement(element, "span", {"class": "review-note"})
            note.text = " ".join(notes)
        number = element.attrib.pop("number", None)
        if element.tag in ("h1", "h2") and number:
            element.text = f"{number}\u2002{element.text or ''}"
        if element.tag == "span" and "placeholder" in element.get("class", ""):
            element.tag = "mark"
        if element.tag == "span" and "docprop" in element.get("class", ""):
            element.text = {"Version": meta.version, "Status": meta.status}.get(element.get("title", ""), "")
        if element.tag == "img":
            svg = images(element.get("src", ""), "svg")
            element.set("src", _SVG_DATA + base64.b64encode(svg).decode("ascii"))
        align = element.attrib.pop("style", "")
        for side in ("left", "right", "center"):
            if side in align:
                _add_class(element, f"align-{side}")


def _cover(meta: DocumentMeta) -> ET.Element:
    header = ET.Element("header", {"class": "document-cover"})
    ET.SubElement(header, "p", {"class": "document-title"}).text = meta.title
    ET.SubElement(header, "p", {"class": "document-organization"}).text = meta.organization
    details = ET.SubElement(header, "dl", {"class": "document-details"})
    for line in meta.details:
        ET.SubElement(details, "dt").text = line.label
        value = ET.SubElement(details, "dd")
        if line.missing:
            ET.SubElement(value, "mark", {"class": "placeholder"}).text = line.value
        else:
            value.text = line.value
    for note in meta.notes:
        ET.SubElement(header, "p", {"class": "note"}).text = note
    return header


def write_html(
    meta: DocumentMeta,
    tree: ET.Element,
    comments: Mapping[int, Sequence[str]],
    images: ImageSource,
) -> str:
    """Return the document as a sanitized HTML fragment (a ``div.document``); the tree is not changed."""
    body = copy.deepcopy(tree)
    body.tag = "section"
    body.attrib = {"class": "document-body"}
    _mark_up(body, meta, comments, images)
    document = ET.Element("div", {"class": "document"})
    document.append(_cover(meta))
    document.append(body)
    return sanitize(ET.tostring(document, encoding="unicode", method="html"))


PASSAGE_BLOCKS = frozenset({"p", "li", "tr", "blockquote"})
HEADING_TAGS = ("h1", "h2", "h3", "h4", "h5", "h6")


def block_text(element: ET.Element) -> str:
    """Return an element's text with white space folded (a table row's cells joined by dashes)."""
    if element.tag == "tr":
        return " \u2013 ".join(block_text(cell) for cell in element)
    return " ".join("".join(element.itertext()).split())


def _innermost_blocks(tree: ET.Element) -> list[tuple[ET.Element | None, ET.Element]]:
    """Return every innermost block (paragraph, list item, table row) with the last heading before it."""
    found: list[tuple[ET.Element | None, ET.Element]] = []
    heading: ET.Element | None = None

    def visit(element: ET.Element) -> None:
        nonlocal heading
        for child in element:
            if child.tag in HEADING_TAGS:
                heading = child
            elif child.tag in PASSAGE_BLOCKS and not any(
                c.tag in PASSAGE_BLOCKS for c in child.iter() if c is not child
            ):
                found.append((heading, child))
            else:
                visit(child)

    visit(tree)
    return found


def block_texts(tree: ET.Element) -> set[str]:
    """Return the text of every innermost block of a document tree."""
    return {block_text(block) for _, block in _innermost_blocks(tree)}


def write_passages(
    meta: DocumentMeta,
    tree: ET.Element,
    sentinels: Mapping[str, str],
    written: set[str],
    images: ImageSource,
    limit: int = 4,
) -> str:
    """Return, as a sanitized HTML fragment, the passages of a document drawn with `sentinels` (unique
    words standing for some facts' values) in which those words appear, each word put back as the
    fact's real text; a passage the real document (whose block texts are `written`) does not contain
    yet is marked as appearing once the facts are answered. "" when no passage shows the facts."""
    passages: list[ET.Element] = []
    shown_heading: ET.Element | None = None
    for heading, block in _innermost_blocks(tree):
        if len([p for p in passages if p.tag != "h3"]) >= limit:
            break
        text = block_text(block)
        if not any(word in text for word in sentinels):
            continue
        if heading is not None and heading is not shown_heading:
            # under the page's own headings: a passage's heading is a level-3 one, whatever its level
            passages.append(copy.deepcopy(heading))
            passages[-1].tag = "h3"
            shown_heading = heading
        shown = copy.deepcopy(block) if block.tag != "tr" else ET.Element("p")
        if block.tag == "tr":
            shown.text = text
        shown.tag = "p" if shown.tag in ("li", "tr") else shown.tag
        for element in shown.iter():
            for attribute in ("text", "tail"):
                value = getattr(element, attribute)
                if value:
                    for word, real in sentinels.items():
                        value = value.replace(word, real)
                    setattr(element, attribute, value)
        real_text = text
        for word, real in sentinels.items():
            real_text = real_text.replace(word, real)
        if real_text not in written:
            _add_class(shown, "not-yet")
            ET.SubElement(shown, "span", {"class": "review-note"}).text = "(in the document once answered)"
        passages.append(shown)
    if not any(p.tag != "h3" for p in passages):
        return ""
    body = ET.Element("section", {"class": "document-body passages"})
    body.extend(passages)
    _mark_up(body, meta, {}, images)
    for element in body.iter():  # the page has its own ids: a passage's would repeat or clash with them
        element.attrib.pop("id", None)
    document = ET.Element("div", {"class": "document"})
    document.append(body)
    return sanitize(ET.tostring(document, encoding="unicode", method="html"))

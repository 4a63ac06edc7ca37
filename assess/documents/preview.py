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

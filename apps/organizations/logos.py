"""Uploaded SVG logos reduced to a safe subset: drawing elements only, no script, no style sheets and no
reference to anything outside the file. Why: the PDF renderer and browsers follow `href`/`url()` links in an
SVG, so a logo could otherwise make the server fetch internal addresses or read local files (issue 15).

Parsing goes through defusedxml (no DTDs, entities or external entities); elements are kept by an allow-list,
attributes by rules: no event handlers, links only to fragments in the same file (`#id`) or to inline PNG/JPEG
data."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
XML_NS = "http://www.w3.org/XML/1998/namespace"

ALLOWED_ELEMENTS = frozenset(
    {
        "svg", "g", "defs", "symbol", "use", "title", "desc", "metadata",
        "path", "rect", "circle", "ellipse", "line", "polyline", "polygon",
        "text", "tspan", "textPath",
        "linearGradient", "radialGradient", "stop", "pattern", "clipPath", "mask", "marker", "image",
    }
)  # fmt: skip
# Inline raster data is the only non-fragment link kept (an embedded photo in a logo is common).
_INLINE_RASTER = re.compile(r"^\s*data:image/(png|jpeg);base64,[A-Za-z0-9+/=\s]*$", re.IGNORECASE)
# url(...) in a presentation attribute or style: only same-file fragments such as url(#gradient).
_URL_REF = re.compile(r"url\(\s*['\"]?\s*([^)'\"\s]*)", re.IGNORECASE)
_FORBIDDEN_VALUE = re.compile(r"javascript:|@import|expression\(", re.IGNORECASE)


class UnsafeLogo(ValueError):
    """The upload is not a well-formed SVG document."""


def _local_name(tag: str) -> tuple[str | None, str]:
    if tag.startswith("{"):
        namespace, _, name = tag[1:].partition("}")
        return namespace, name
    return None, tag


def _link_is_safe(value: str) -> bool:
    return value.strip().startswith("#") or bool(_INLINE_RASTER.match(value))


def _value_is_safe(value: str) -> bool:
    if _FORBIDDEN_VALUE.search(value):
        return False
    return all(target.startswith("#") for target in _URL_REF.findall(value))


def _clean_attributes(element: ET.Element) -> None:
    for key in list(element.attrib):
        namespace, name = _local_name(key)
        value = element.attrib[key]
        keep = namespace in (None, XLINK_NS, XML_NS) and not name.lower().startswith("on")
        if keep and name == "href":
            keep = _link_is_safe(value)
        elif keep:
            keep = _value_is_safe(value)
        if not keep:
            del element.attrib[key]


def _clean(element: ET.Element) -> None:
    for child in list(element):
        namespace, name = _local_name(child.tag) if isinstance(child.tag, str) else (None, "")
        if namespace != SVG_NS or name not in ALLOWED_ELEMENTS:
            element.remove(child)
            continue
        _clean_attributes(child)
        _clean(child)


def sanitised_svg(data: bytes) -> bytes:
    """The SVG with everything outside the safe subset removed; raises UnsafeLogo if it is not an SVG."""
    try:
        root = fromstring(data, forbid_dtd=True)
    except (ET.ParseError, DefusedXmlException, ValueError) as exc:
        raise UnsafeLogo(str(exc)) from exc
    if root.tag != f"{{{SVG_NS}}}svg":
        raise UnsafeLogo("The root element is not <svg> in the SVG namespace.")
    _clean_attributes(root)
    _clean(root)
    _with_plain_names(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


_PREFIXES = {XLINK_NS: "xlink", XML_NS: "xml"}


def _with_plain_names(root: ET.Element) -> None:
    """Write the fixed prefixes ourselves: ElementTree's prefix registry is process-global and other
    libraries re-register the empty prefix, which would turn <svg> into <ns0:svg>."""
    for element in root.iter():
        element.tag = _local_name(element.tag)[1]
        for key in list(element.attrib):
            namespace, name = _local_name(key)
            if namespace:
                element.attrib[f"{_PREFIXES[namespace]}:{name}"] = element.attrib.pop(key)
    root.set("xmlns", SVG_NS)
    root.set("xmlns:xlink", XLINK_NS)

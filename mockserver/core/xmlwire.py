"""XML bodies as the same dicts JSON bodies give, and back: one model, two formats.

Parsing refuses what makes XML hostile (a DTD, entity declarations, external
entities) before reading anything, with defusedxml; then xmltodict turns elements
into dict keys, repeated elements into lists and attributes into plain keys, so a
vendor validates and reads XML and JSON requests alike. Rendering is the reverse:
lists become repeated elements named after their key, and the keys a vendor marks
as attribute carriers (a ``link``'s ``href``, ``rel``, ``type``) become attributes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from .errors import MalformedBody

XML_TYPES = ("application/xml", "text/xml")


def parse_xml(body: bytes, *, lists: Iterable[str] = ()) -> dict[str, Any]:
    """A document as a dict; elements named in ``lists`` are always lists.

    Raises :class:`MalformedBody` for malformed or hostile XML (naming why).
    """
    import defusedxml.ElementTree as safe_tree
    import xmltodict
    from defusedxml import DefusedXmlException

    try:
        safe_tree.fromstring(body, forbid_dtd=True)
    except DefusedXmlException as exc:
        raise MalformedBody(
            f"XML refused: {type(exc).__name__} (DTDs and entities are not allowed)"
        ) from None
    except safe_tree.ParseError as exc:
        raise MalformedBody(f"Malformed XML: {exc}") from None
    document: dict[str, Any] = xmltodict.parse(
        body, attr_prefix="", cdata_key="text", force_list=tuple(lists), disable_entities=True
    )
    return document


def render_xml(
    root: str, data: Mapping[str, Any], *, attribute_carriers: Iterable[str] = ("link",)
) -> bytes:
    """``<root>...</root>`` with an XML declaration, from a JSON-shaped dict.

    This runs on every XML answer, so it writes the markup in one pass; the standard
    library's escapes do the quoting. Keys are the vendor's own element names.
    """
    carriers = frozenset(attribute_carriers)
    out = ['<?xml version="1.0"?>\n']
    _write(out, root, data, carriers)
    return "".join(out).encode()


def _write(out: list[str], key: str, value: Any, carriers: frozenset[str]) -> None:
    """Writes ``value`` as ``<key>``: a list repeats it, a carrier's fields become its
    attributes, and ``None``, ``""`` or an empty object an empty element."""
    kind = type(value)
    if kind is str or kind is int:  # most leaves: no conversion, and escaping only if needed
        text = str(value)
        if not text:
            out.append(f"<{key}/>")
        else:
            out.append(f"<{key}>{escape(text) if _MARKUP.intersection(text) else text}</{key}>")
    elif kind is list:
        for item in value:
            _write(out, key, item, carriers)
    elif kind is dict or isinstance(value, Mapping):
        if key in carriers:
            attributes = "".join(
                f" {name}={_attribute(_scalar(item) or '')}"
                for name, item in value.items()
                if item is not None
            )
            out.append(f"<{key}{attributes}/>")
        elif not value:
            out.append(f"<{key}/>")
        else:
            out.append(f"<{key}>")
            for inner, item in value.items():
                _write(out, inner, item, carriers)
            out.append(f"</{key}>")
    elif isinstance(value, list):
        for item in value:
            _write(out, key, item, carriers)
    else:
        scalar = _scalar(value)
        out.append(f"<{key}>{escape(scalar)}</{key}>" if scalar else f"<{key}/>")


_MARKUP = frozenset("&<>")
_ATTRIBUTE_MARKUP = frozenset('&<>"\n\r\t')


def _attribute(text: str) -> str:
    return quoteattr(text) if _ATTRIBUTE_MARKUP.intersection(text) else f'"{text}"'


def _scalar(value: Any) -> str | None:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return None
    return str(value)

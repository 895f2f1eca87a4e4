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
    """``<root>...</root>`` with an XML declaration, from a JSON-shaped dict."""
    import xmltodict

    carriers = frozenset(attribute_carriers)
    document = {root: _prepare(data, carriers)}
    text: str = xmltodict.unparse(document, full_document=True, short_empty_elements=True)
    return text.replace(
        '<?xml version="1.0" encoding="utf-8"?>', '<?xml version="1.0"?>', 1
    ).encode()


def _prepare(value: Any, carriers: frozenset[str], key: str = "") -> Any:
    if isinstance(value, Mapping):
        if key in carriers:
            return {f"@{k}": _scalar(v) for k, v in value.items() if v is not None}
        return {k: _prepare(v, carriers, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_prepare(v, carriers, key) for v in value]
    return _scalar(value)


def _scalar(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return None
    if isinstance(value, (Mapping, list)):
        return value
    return str(value)

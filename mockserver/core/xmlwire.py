"""XML bodies as the same dicts JSON bodies give, and back: one model, two formats.

Parsing reads a document once, with expat set up as ElementTree sets it up, so a
malformed document is refused with ElementTree's words; a DTD is refused at its first
token, as defusedxml refuses it, and with it every entity declaration, external
entity and entity expansion, which only a DTD can bring. Elements become dict keys,
repeated elements lists and attributes plain keys, in the shape xmltodict gives, so a
vendor validates and reads XML and JSON requests alike; elements nest at most as deep
as a JSON document may (:data:`~.jsontext.MAX_DEPTH`), which keeps the dicts as
storable, renderable and snapshottable as JSON's. Rendering is the reverse:
lists become repeated elements named after their key, and the keys a vendor marks as
attribute carriers (a ``link``'s ``href``, ``rel``, ``type``) become attributes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from xml.parsers import expat
from xml.sax.saxutils import escape, quoteattr

from defusedxml import DefusedXmlException, DTDForbidden

from .errors import MalformedBody
from .jsontext import MAX_DEPTH

LINKS = frozenset({"link"})  # the attribute carriers unless a vendor names others
NAMESPACE_SEPARATOR = "}"  # ElementTree's: expanded names read ``uri}local``


def parse_xml(body: bytes, *, lists: Iterable[str] = ()) -> dict[str, Any]:
    """A document as a dict; elements named in ``lists`` are always lists.

    Raises :class:`MalformedBody` for malformed or hostile XML (naming why).
    """
    try:
        document, namespaced = _read(body, frozenset(lists))
    except DefusedXmlException as exc:
        raise MalformedBody(
            f"XML refused: {type(exc).__name__} (DTDs and entities are not allowed)"
        ) from None
    except expat.ExpatError as exc:
        raise MalformedBody(f"Malformed XML: {exc}") from None
    except LookupError as exc:  # the declaration names an encoding Python does not know
        raise MalformedBody(f"Malformed XML: {exc}") from None
    return _with_prefixes(body, lists) if namespaced else document


def _read(body: bytes, lists: frozenset[str]) -> tuple[dict[str, Any], bool]:
    """The document in xmltodict's shape (attributes as plain keys, text under ``text``,
    whitespace stripped, ``lists`` always lists), and whether it uses namespaces.

    Checking a document and building its dict are one pass of expat's events. The
    handlers share the parse's state as closures: they run for every element and
    every run of text, and a closure's variables are the cheapest state to reach.
    """
    stack: list[tuple[dict[str, Any] | None, list[str]]] = []
    item: dict[str, Any] | None = None
    data: list[str] = []
    namespaced = False

    def declare(prefix: str | None, uri: str | None) -> None:
        nonlocal namespaced
        namespaced = True

    def start(name: str, attributes: list[str]) -> None:
        nonlocal item, data, namespaced
        stack.append((item, data))
        if len(stack) > MAX_DEPTH:
            raise MalformedBody(f"Malformed XML: elements nest more than {MAX_DEPTH} levels deep")
        data = []
        if attributes:
            names = attributes[::2]
            item = dict(zip(names, attributes[1::2], strict=True))
            namespaced = namespaced or any(NAMESPACE_SEPARATOR in n for n in names)
        else:
            item = None
        if NAMESPACE_SEPARATOR in name:  # the ``xml`` prefix needs no declaration
            namespaced = True

    def end(name: str) -> None:
        nonlocal item, data
        text = "".join(data).strip()
        element = item
        item, data = stack.pop()
        if element is None:
            item = _add(item, name, text or None, lists)
            return
        if text:
            _add(element, "text", text, lists)
        item = _add(item, name, element, lists)

    parser = expat.ParserCreate(None, NAMESPACE_SEPARATOR)
    parser.buffer_text = True
    parser.ordered_attributes = True
    parser.StartDoctypeDeclHandler = _refuse_dtd
    parser.StartNamespaceDeclHandler = declare
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = lambda chunk: data.append(chunk)
    parser.Parse(body, True)
    assert item is not None  # expat has read a root element
    return item, namespaced


def _refuse_dtd(name: str, system_id: str | None, public_id: str | None, internal: bool) -> None:
    raise DTDForbidden(name, system_id, public_id)


def _add(
    item: dict[str, Any] | None, key: str, value: Any, lists: frozenset[str]
) -> dict[str, Any]:
    """``item`` (new when ``None``) with ``value`` under ``key``; a second value makes a list."""
    if item is None:
        item = {}
    if key not in item:
        item[key] = [value] if key in lists else value
        return item
    present = item[key]
    if isinstance(present, list):
        present.append(value)
    else:
        item[key] = [present, value]
    return item


def _with_prefixes(body: bytes, lists: Iterable[str]) -> dict[str, Any]:
    """A document that uses namespaces, read by xmltodict, once it has passed :func:`_read`.

    Namespace processing, which :func:`_read` needs to refuse what ElementTree refuses,
    renames prefixed elements and takes ``xmlns`` attributes away; xmltodict keeps
    both as written, and a document using them is rare enough to be read twice.
    """
    import xmltodict

    document: dict[str, Any] = xmltodict.parse(
        body, attr_prefix="", cdata_key="text", force_list=tuple(lists), disable_entities=True
    )
    return document


@dataclass(frozen=True, slots=True)
class Fragment:
    """An element written before (as ``<key>``), which a document embeds as it is.

    An answer that stays the same (a resource that did not change) is then written
    once, and only what changes around it (a request id) each time.
    """

    key: str
    markup: str


# the types answers are made of that are neither mappings nor lists: no ABC check for them
_LEAVES = frozenset({str, int, bool, float, type(None), Fragment})


def render_fragment(key: str, value: Any, *, attribute_carriers: Iterable[str] = LINKS) -> Fragment:
    """``value`` written as ``<key>``, as :func:`render_xml` writes it in a document."""
    out: list[str] = []
    _write(out, key, value, frozenset(attribute_carriers))
    return Fragment(key, "".join(out))


def render_xml(
    root: str, data: Mapping[str, Any], *, attribute_carriers: Iterable[str] = LINKS
) -> bytes:
    """``<root>...</root>`` with an XML declaration, from a JSON-shaped dict.

    This runs on every XML answer, so it writes the markup in one pass; the standard
    library's escapes do the quoting. Keys are the vendor's own element names.
    """
    out = ['<?xml version="1.0"?>\n']
    _write(out, root, data, frozenset(attribute_carriers))
    return "".join(out).encode()


def _children(out: list[str], data: Mapping[str, Any], carriers: frozenset[str]) -> None:
    """Writes each entry of ``data``. The shapes most of a document is made of (text,
    numbers, flags, nested objects and lists of them) are written here without a further
    call: a catalog answer has hundreds of elements, and a call for each was most of
    its time."""
    for key, value in data.items():
        kind = type(value)
        if kind is str:
            out.append(f"<{key}>{_text(value)}</{key}>" if value else f"<{key}/>")
        elif kind is dict and key not in carriers:
            if value:
                out.append(f"<{key}>")
                _children(out, value, carriers)
                out.append(f"</{key}>")
            else:
                out.append(f"<{key}/>")
        elif kind is list:
            for item in value:
                if type(item) is dict and item and key not in carriers:
                    out.append(f"<{key}>")
                    _children(out, item, carriers)
                    out.append(f"</{key}>")
                else:
                    _write(out, key, item, carriers)
        elif kind is bool:
            out.append(f"<{key}>true</{key}>" if value else f"<{key}>false</{key}>")
        elif kind is int:
            out.append(f"<{key}>{value}</{key}>")
        elif value is None:
            out.append(f"<{key}/>")
        else:
            _write(out, key, value, carriers)


def _write(out: list[str], key: str, value: Any, carriers: frozenset[str]) -> None:
    """Writes ``value`` as ``<key>``: a list repeats it, a carrier's fields become its
    attributes, and ``None``, ``""`` or an empty object an empty element."""
    kind = type(value)
    if kind is dict or (kind not in _LEAVES and isinstance(value, Mapping)):
        if key in carriers:
            out.append(f"<{key}{_attributes(value)}/>")
        elif value:
            out.append(f"<{key}>")
            _children(out, value, carriers)
            out.append(f"</{key}>")
        else:
            out.append(f"<{key}/>")
    elif kind is list or (kind not in _LEAVES and isinstance(value, list)):
        for item in value:
            _write(out, key, item, carriers)
    elif kind is Fragment:
        if value.key != key:
            raise ValueError(f"<{value.key}> was written, not <{key}>")
        out.append(value.markup)
    else:
        text = "" if value is None else _string(value)
        out.append(f"<{key}>{_text(text)}</{key}>" if text else f"<{key}/>")


def _text(text: str) -> str:
    """``text`` escaped; most text has nothing to escape, and is then itself."""
    return escape(text) if "&" in text or "<" in text or ">" in text else text


def _attributes(fields: Mapping[str, Any]) -> str:
    return "".join(
        [
            f" {name}={_quoted(item if type(item) is str else _string(item))}"
            for name, item in fields.items()
            if item is not None
        ]
    )


def _quoted(text: str) -> str:
    """``text`` as an attribute value; in plain double quotes when nothing needs escaping."""
    plain = not (
        "&" in text
        or "<" in text
        or ">" in text
        or '"' in text
        or "\n" in text
        or "\r" in text
        or "\t" in text
    )
    return f'"{text}"' if plain else quoteattr(text)


def _string(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)

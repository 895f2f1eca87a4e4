"""The one way JSON text from a client becomes Python values.

Every body, JSON Lines line, CSV cell or query value that holds JSON is read here,
because what a client can send must also be storable, renderable, deliverable in a
webhook and snapshotted. A document is refused (:class:`MalformedBody`, which each
vendor answers as its own 400) when it is:

- nested deeper than :data:`MAX_DEPTH` (Ruby's JSON parser, which Rails-era APIs such
  as CrowdFlower's run on, refuses the same: ``max_nesting`` defaults to 100; past it
  the renderer, ``pickle`` and the validators would recurse without bound);
- holding a lone surrogate escape (``"\\ud800"``): it is no text, and no UTF-8 answer
  can carry it;
- holding ``NaN`` or ``Infinity`` (not JSON, RFC 8259 section 6) or an integer outside
  64 bits (no answer could render it back; JSON parsers of the vendors' languages
  overflow or round there).

A text that is no JSON at all (a syntax error, or bytes that are not UTF-8) is refused
as :class:`NotJSON`, a kind of :class:`MalformedBody`: a reader that takes other
formats too (JSON Lines, say) may then hand the text on, where a document refused for
what it holds is refused for good.

orjson reads nearly every document; it refuses the first two classes by itself. The
standard library reads what orjson would round (integers of 19 digits or more are
kept exact) and words the syntax errors with line and column.
"""

from __future__ import annotations

import json
import re
from typing import Any, NoReturn

import orjson

from .errors import MalformedBody

MAX_DEPTH = 100
"""Arrays and objects nested in one another, at the most."""

INT_RANGE = range(-(2**63), 2**64)
"""Integers a document may hold: what a signed or unsigned 64-bit number holds."""


class NotJSON(MalformedBody):
    """The text is no JSON document: it does not parse, or is not UTF-8."""


_LONG_DIGITS = re.compile(rb"\d{19}")
_BOM = b"\xef\xbb\xbf"


def loads(raw: bytes | str, *, what: str = "Request body") -> Any:
    """``raw`` parsed, or :class:`MalformedBody` saying why not, starting with ``what``."""
    data = raw.encode("utf-8", "surrogatepass") if isinstance(raw, str) else raw
    if data.startswith(_BOM):
        data = data[len(_BOM) :]
    if _LONG_DIGITS.search(data) is None:
        try:
            document = orjson.loads(data)
        except orjson.JSONDecodeError as exc:
            _refuse_with_reason(data, exc, what)
        if data.count(b"[") + data.count(b"{") > MAX_DEPTH:
            _check(document, what, strings=False)
        return document
    document = _exact(data, what)
    _check(document, what, strings=True)
    return document


def _exact(data: bytes, what: str) -> Any:
    """The standard library's reading, which keeps long integers whole."""
    try:
        return json.loads(data, parse_constant=_no_constant, parse_int=_bounded_int)
    except ValueError as exc:
        if isinstance(exc, json.JSONDecodeError):
            _syntax(what, exc)
        if isinstance(exc, UnicodeDecodeError):
            _not_json(f"{what} is not valid UTF-8")
        _refuse(f"{what} is not valid JSON: {exc}")
    except RecursionError:
        _too_deep(what)


def _refuse_with_reason(data: bytes, exc: orjson.JSONDecodeError, what: str) -> NoReturn:
    """Words orjson's refusal as the standard library words a syntax error, where it
    refuses the text too; what only orjson refuses keeps orjson's words."""
    if "depth limit" in exc.msg:
        _too_deep(what)
    try:
        json.loads(data, parse_constant=_no_constant)
    except json.JSONDecodeError as plain:
        _syntax(what, plain)
    except UnicodeDecodeError:
        _not_json(f"{what} is not valid UTF-8")
    except RecursionError:
        _too_deep(what)
    except ValueError as plain:  # NaN or Infinity
        _refuse(f"{what} is not valid JSON: {plain}")
    _refuse(_syntax_words(what, exc))  # what only orjson refuses is refused content


def _check(document: Any, what: str, *, strings: bool) -> None:
    """Walks the document without recursion: depth, and (after the standard library's
    reading) every string's text and every integer's range."""
    stack: list[tuple[Any, int]] = [(document, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            if depth > MAX_DEPTH:
                _too_deep(what)
            if strings:
                stack.extend((key, depth) for key in value)
            stack.extend((item, depth + 1) for item in value.values())
        elif isinstance(value, list):
            if depth > MAX_DEPTH:
                _too_deep(what)
            stack.extend((item, depth + 1) for item in value)
        elif strings and isinstance(value, str):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                _refuse(f"{what} is not valid JSON: a string holds a lone surrogate escape")
        elif strings and type(value) is int and value not in INT_RANGE:
            _refuse(f"{what} is not valid JSON: the integer {value} is outside 64 bits")


def _bounded_int(text: str) -> int:
    # Past 20 digits no integer is within 64 bits; refusing here spares ``int()`` a
    # long number's quadratic conversion (and its 4,300-digit limit).
    if len(text.lstrip("-")) > 20:
        raise ValueError(f"the integer {text[:24]}... is outside 64 bits")
    return int(text)


def _no_constant(name: str) -> NoReturn:
    raise ValueError(f"{name} is not a JSON number")


def _syntax(what: str, exc: json.JSONDecodeError) -> NoReturn:
    _not_json(_syntax_words(what, exc))


def _syntax_words(what: str, exc: json.JSONDecodeError) -> str:
    return f"{what} is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"


def _too_deep(what: str) -> NoReturn:
    _refuse(f"{what} is nested more than {MAX_DEPTH} levels deep")


def _refuse(message: str) -> NoReturn:
    raise MalformedBody(message)


def _not_json(message: str) -> NoReturn:
    raise NotJSON(message)

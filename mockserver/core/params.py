"""Rails-style nested parameters: ``job[title]``, ``unit[data][col]``, ``channels[]``.

Form-encoded APIs of the Rails era take objects as bracketed keys, and their clients
send them every way Rails accepts: ``x[]=a&x[]=b``, indexed ``x[0]=a&x[1]=b``, the
same key repeated (values accumulate), in the query string or the body, or as a
JSON body of the same shape. :func:`merged_params` folds all of that into one
nested dict, the body winning over the query on a conflict.

A key nests at most :data:`~.jsontext.MAX_DEPTH` levels (``a[b]`` is two), as deep as
a JSON body may: Rack, which Rails-era APIs run on, refuses deeper parameters too
(Rack 2's ``param_depth_limit`` is 100), and past it the dicts would be as hard to
store and render as JSON nested that deep. A deeper key is :class:`MalformedBody`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import unquote

from .errors import MalformedBody
from .jsontext import MAX_DEPTH

_SEGMENT = re.compile(r"\[([^\[\]]*)\]")

Params = dict[str, Any]
TRUE = frozenset({"true", "1", "yes", "on", "t"})
FALSE = frozenset({"false", "0", "no", "off", "f", ""})


def split_key(key: str) -> list[str]:
    """``job[options][x]`` -> ``["job", "options", "x"]``; ``a[]`` -> ``["a", ""]``.

    A key whose brackets do not parse is taken whole, as a plain name.
    """
    head, bracket, rest = key.partition("[")
    if not bracket or not head:
        return [key]
    segments = _SEGMENT.findall("[" + rest)
    if "".join(f"[{s}]" for s in segments) != "[" + rest:
        return [key]
    return [head, *segments]


def nest(pairs: Iterable[tuple[str, str]]) -> Params:
    """Builds the nested structure of key/value pairs (see the module docstring)."""
    return _nested((split_key(key), value) for key, value in pairs)


def parse_query(query: str | bytes) -> Params:
    """A query string or form body, nested; read as ``parse_qsl`` reads it, blanks kept."""
    text = query.decode("latin-1") if isinstance(query, bytes) else query
    fields = (field.partition("=") for field in text.split("&") if field)
    return _nested((_key_path(name), _unquoted(value)) for name, _, value in fields)


@functools.lru_cache(maxsize=1024)
def _key_path(name: str) -> tuple[str, ...]:
    """A key as sent (``unit%5Bdata%5D%5Btext%5D``), decoded and split.

    Clients send the same few keys in every request, and decoding and splitting one
    costs more than the rest of reading its field.
    """
    return tuple(split_key(_unquoted(name)))


def _unquoted(text: str) -> str:
    return unquote(text.replace("+", " "))


def _nested(paths: Iterable[tuple[Sequence[str], str]]) -> Params:
    root: Params = {}
    indexed = False
    for path, value in paths:
        if len(path) > MAX_DEPTH:
            raise MalformedBody(
                f"The parameter {path[0]!r} is nested more than {MAX_DEPTH} levels deep"
            )
        _insert(root, path, value)
        indexed = indexed or any(map(str.isdigit, path))
    if not indexed:  # no object is keyed by an index, so none becomes a list
        return root
    # The top level stays an object even when every name is a number (``0=a``).
    return {key: _listify(value) for key, value in root.items()}


def deep_merge(base: Params, over: Params) -> Params:
    """``over`` on top of ``base``; nested dicts merge, anything else is replaced."""
    merged = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def merged_params(query: Params, body: Params) -> Params:
    """Query and body parameters as one dict; the body wins on a conflict."""
    return deep_merge(query, body)


def _insert(node: Params, path: Sequence[str], value: str) -> None:
    for index, segment in enumerate(path[:-1]):
        following = path[index + 1]
        if segment == "":  # ``a[][b]``: each occurrence starts a new element
            return
        child = node.get(segment)
        if following == "":
            if not isinstance(child, list):
                child = node[segment] = [] if child is None else [child]
            if index + 2 == len(path):
                child.append(value)
                return
            element: Params = {}
            child.append(element)
            _insert(element, path[index + 2 :], value)
            return
        if not isinstance(child, dict):
            child = node[segment] = {}
        node = child
    leaf = path[-1]
    existing = node.get(leaf)
    if existing is None:
        node[leaf] = value
    elif isinstance(existing, list):
        existing.append(value)
    elif isinstance(existing, str):
        node[leaf] = [existing, value]
    else:  # a scalar arriving where an object already is: the object stands
        return


def _listify(value: Any) -> Any:
    """Turns dicts keyed ``"0"``, ``"1"``, ... into lists, in index order.

    Values accumulated under one index (``channels[0]=a&channels[0]=b``) are spread.
    """
    if isinstance(value, list):
        return [_listify(v) for v in value]
    if not isinstance(value, dict):
        return value
    converted = {k: _listify(v) for k, v in value.items()}
    if converted and all(k.isdigit() for k in converted):
        items: list[Any] = []
        for key in sorted(converted, key=int):
            element = converted[key]
            items.extend(element if isinstance(element, list) else [element])
        return items
    return converted


def flag(value: Any, default: bool = False) -> bool:
    """A boolean as clients send them: true/false, True/False, 1/0, on/off, or empty."""
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in TRUE:
        return True
    if text in FALSE:
        return False
    return default


def text_list(value: Any) -> list[str]:
    """``a,b`` or ``["a", "b"]`` or ``a`` as a list of non-empty, stripped strings."""
    if value is None:
        return []
    items = value if isinstance(value, list) else str(value).split(",")
    return [str(item).strip() for item in items if str(item).strip()]

"""Form fields read as the JSON a schema describes: ``review_score=0.78`` is a number.

A form carries only strings, so an API that takes JSON bodies can read the same
fields from a form only by typing each string as the body's schema says its field
is: a number, an integer, a boolean or null where the schema allows no string. A
string that does not read as any type the field allows stays a string, for the
schema's own validation to name. Objects and lists (from Rails-style keys,
``errors[missing_label]=24``, ``tags[0][value]=Left``) are typed field by field.
"""

from __future__ import annotations

from typing import Any

from .numbers import real

Schema = dict[str, Any]
MAX_INT64 = 2**63 - 1  # past it a whole number stays a float, as JSON answers hold 64 bits
TRUE = frozenset({"true", "1"})
FALSE = frozenset({"false", "0"})


def typed(value: Any, schema: Schema, root: Schema | None = None) -> Any:
    """``value`` (strings, dicts and lists of them) typed by ``schema``; ``root`` is the
    document its ``$ref`` s point into (``schema`` itself at the top)."""
    root = schema if root is None else root
    schema = _resolved(schema, root)
    if isinstance(value, dict):
        fields: dict[str, Schema] = schema.get("properties", {})
        extra = schema.get("additionalProperties")
        other = extra if isinstance(extra, dict) else {}
        return {k: typed(v, fields.get(k, other), root) for k, v in value.items()}
    if isinstance(value, list):
        items = schema.get("items")
        return [typed(v, items if isinstance(items, dict) else {}, root) for v in value]
    if isinstance(value, str):
        return _scalar(value, _types(schema, root))
    return value


def _resolved(schema: Schema, root: Schema) -> Schema:
    """A local ``$ref`` (``#/$defs/name``) replaced by what it names."""
    reference = schema.get("$ref")
    if not isinstance(reference, str) or not reference.startswith("#/"):
        return schema
    target: Any = root
    for part in reference[2:].split("/"):
        target = target.get(part, {}) if isinstance(target, dict) else {}
    return target if isinstance(target, dict) else {}


def _types(schema: Schema, root: Schema) -> set[str]:
    """The JSON types a field may take; an empty set when the schema does not say."""
    declared = schema.get("type")
    types = {declared} if isinstance(declared, str) else set(declared or ())
    for choice in (*schema.get("anyOf", ()), *schema.get("oneOf", ())):
        types |= _types(_resolved(choice, root), root)
    for option in schema.get("enum", ()):
        types.add("string" if isinstance(option, str) else "other")
    return types


def _scalar(text: str, types: set[str]) -> Any:
    if not types or "string" in types:
        return text
    stripped = text.strip()
    if types & {"number", "integer"}:
        number = real(stripped)
        if number is not None:
            whole = stripped.lstrip("-").isdigit() and abs(number) <= MAX_INT64
            return int(stripped) if whole else number
    if "boolean" in types and stripped.lower() in TRUE | FALSE:
        return stripped.lower() in TRUE
    if "null" in types and not stripped:
        return None
    return text

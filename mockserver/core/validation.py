"""JSON Schema validation of request bodies, with every failing field named.

Schemas live in the package (``mockserver/schemas/<vendor>/<name>.json``) so an
installed wheel carries them; they are the one source for validation, the OpenAPI
documents and the hypothesis strategies. Each is compiled once, on first use, and
jsonschema itself is imported then too, which keeps start-up light.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from .errors import FieldError, InvalidInput

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator, FormatChecker
    from jsonschema.exceptions import ValidationError


def _is_iso_datetime(value: object) -> bool:
    """ISO 8601 date and time, ``Z`` or an offset, with or without fractions.

    Wider than RFC 3339 on purpose: the vendors document ISO 8601.
    """
    if not isinstance(value, str):
        return True
    if "T" not in value and " " not in value:
        raise ValueError("a date-time needs a time part")
    datetime.fromisoformat(value)
    return True


def _is_absolute_http_url(value: object) -> bool:
    if not isinstance(value, str):
        return True
    scheme, _, rest = value.partition("://")
    if scheme.lower() not in ("http", "https") or not rest or rest.startswith("/"):
        raise ValueError("must be an absolute http(s) URL")
    return True


@cache
def format_checker() -> FormatChecker:
    from jsonschema import FormatChecker

    checker = FormatChecker()
    checker.checks("date-time", raises=ValueError)(_is_iso_datetime)
    checker.checks("uri", raises=ValueError)(_is_absolute_http_url)
    return checker


def load_schema(vendor: str, name: str) -> dict[str, Any]:
    """Reads ``schemas/<vendor>/<name>.json`` from the installed package."""
    text = resources.files("mockserver").joinpath("schemas", vendor, f"{name}.json").read_text()
    schema: dict[str, Any] = json.loads(text)
    return schema


@cache
def validator(vendor: str, name: str) -> Draft202012Validator:
    from jsonschema import Draft202012Validator

    schema = load_schema(vendor, name)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=format_checker())


def field_errors(vendor: str, name: str, document: Any) -> list[FieldError]:
    """Every way ``document`` breaks the schema, as field errors in a stable order."""
    found = [
        found_error
        for error in validator(vendor, name).iter_errors(document)
        for found_error in _as_field_errors(error)
    ]
    return sorted(found, key=lambda e: (e.field, e.message))


@cache
def quick_check(vendor: str, name: str) -> Callable[[Any], bool]:
    """A compiled yes/no check of the schema (jsonschema-rs), for the common case.

    Most requests are valid, and the Rust validator says so many times faster than
    jsonschema walks the schema. A "no" goes on to jsonschema, which names every
    failing field and decides; a "yes" is final. So the quick check must never
    accept what jsonschema refuses: schema patterns are written so that both regex
    dialects agree, and a test holds the two to it on generated documents.
    """
    import jsonschema_rs

    return jsonschema_rs.validator_for(
        load_schema(vendor, name),
        formats={"date-time": _passes(_is_iso_datetime), "uri": _passes(_is_absolute_http_url)},
        validate_formats=True,
    ).is_valid


def _passes(check: Callable[[object], bool]) -> Callable[[object], bool]:
    def passes(value: object) -> bool:
        try:
            return check(value)
        except ValueError:
            return False

    return passes


def validate(vendor: str, name: str, document: Any) -> None:
    """Raises :class:`InvalidInput` naming every failing field."""
    if quick_check(vendor, name)(document):
        return
    errors = field_errors(vendor, name, document)
    if errors:
        raise InvalidInput(errors)


def _field_path(error: ValidationError) -> str:
    parts = [str(p) for p in error.absolute_path]
    if error.validator == "required" and isinstance(error.instance, dict):
        # one error per missing name: take the one this error's message names
        absent = [name for name in error.validator_value if name not in error.instance]
        named = [name for name in absent if error.message.startswith(repr(name))]
        missing = next(iter(named or absent), None)
        if missing is not None:
            parts.append(missing)
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        allowed = set(error.schema.get("properties", {}))
        extra = sorted(k for k in error.instance if k not in allowed)
        if extra:
            parts.append(extra[0])
    return ".".join(parts) or "body"


def _as_field_error(error: ValidationError) -> FieldError:
    return FieldError(_field_path(error), _message(error))


def _as_field_errors(error: ValidationError) -> list[FieldError]:
    """One field error per extra key of an ``additionalProperties`` error, else one."""
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        base = [str(p) for p in error.absolute_path]
        allowed = set(error.schema.get("properties", {}))
        extra = sorted(k for k in error.instance if k not in allowed)
        if len(extra) > 1:
            return [FieldError(".".join([*base, k]), _message(error)) for k in extra]
    return [_as_field_error(error)]


def _message(error: ValidationError) -> str:
    """A short, client-facing sentence; schema authors may override it per keyword."""
    custom = error.schema.get("errorMessage") if isinstance(error.schema, dict) else None
    if isinstance(custom, dict) and isinstance(custom.get(str(error.validator)), str):
        return str(custom[str(error.validator)])
    if isinstance(custom, str):
        return custom
    kind = error.validator
    if kind == "required":
        return "is required"
    if kind == "type":
        expected = error.validator_value
        names = expected if isinstance(expected, list) else [expected]
        return "must be " + " or ".join(_article(str(n)) for n in names)
    if kind == "format":
        return f"must be a valid {error.validator_value}"
    if kind == "enum":
        return "must be one of " + ", ".join(json.dumps(v) for v in error.validator_value)
    if kind == "minimum":
        return f"must be at least {error.validator_value}"
    if kind == "exclusiveMinimum":
        return f"must be greater than {error.validator_value}"
    if kind == "maximum":
        return f"must be at most {error.validator_value}"
    if kind == "exclusiveMaximum":
        return f"must be less than {error.validator_value}"
    if kind == "minLength":
        return (
            "must not be empty"
            if error.validator_value == 1
            else (f"must be at least {error.validator_value} characters long")
        )
    if kind == "maxLength":
        return f"must be at most {error.validator_value} characters long"
    if kind == "additionalProperties":
        return "is not allowed"
    return str(error.message)


def _article(type_name: str) -> str:
    words = {"object": "an object", "array": "an array", "integer": "an integer"}
    return words.get(type_name, f"a {type_name}")

"""Form fields typed by a JSON schema (:mod:`mockserver.core.formvalues`)."""

from __future__ import annotations

from typing import Any

import pytest

from mockserver.core.formvalues import typed

SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "score": {"type": "number"},
        "count": {"type": "integer"},
        "flag": {"type": "boolean"},
        "name": {"type": "string"},
        "either": {"type": ["string", "number"]},
        "kind": {"enum": ["a", "b"]},
        "maybe": {"type": ["number", "null"]},
        "counts": {"type": "object", "additionalProperties": {"type": "number"}},
        "items": {"type": "array", "items": {"$ref": "#/$defs/item"}},
    },
    "$defs": {"item": {"type": "object", "properties": {"at": {"type": "number"}}}},
}


@pytest.mark.parametrize(
    ("field", "sent", "read"),
    [
        ("score", "0.78", 0.78),
        ("score", "120", 120),
        ("score", "-3", -3),
        ("count", "7", 7),
        ("flag", "true", True),
        ("flag", "0", False),
        ("name", "12", "12"),
        ("either", "12", "12"),
        ("kind", "a", "a"),
        ("maybe", "", None),
        ("score", "many", "many"),  # left for the schema's validation to name
        ("flag", "perhaps", "perhaps"),
        ("score", "99999999999999999999", 1e20),  # past 64 bits: a float, never a huge int
        ("unknown", "5", "5"),
    ],
)
def test_a_field_is_typed_as_its_schema_says(field: str, sent: str, read: Any) -> None:
    assert typed({field: sent}, SCHEMA) == {field: read}


def test_objects_and_lists_are_typed_field_by_field() -> None:
    sent = {"counts": {"missing": "24"}, "items": [{"at": "1.5"}, {"at": "x"}]}
    assert typed(sent, SCHEMA) == {"counts": {"missing": 24}, "items": [{"at": 1.5}, {"at": "x"}]}

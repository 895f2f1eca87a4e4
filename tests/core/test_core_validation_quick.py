"""The compiled quick check never accepts a body that full validation refuses.

A "yes" from the quick check is final (the request goes on unvalidated by
jsonschema), so for every schema the sandbox ships, any document it accepts must
also pass jsonschema; a "no" only costs the slower path.
"""

from __future__ import annotations

from importlib import resources
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mockserver.core.validation import field_errors, load_schema, quick_check
from mockserver.testing import strategies

SCHEMAS = sorted(
    (vendor.name, entry.name.removesuffix(".json"))
    for vendor in resources.files("mockserver").joinpath("schemas").iterdir()
    if vendor.is_dir()
    for entry in vendor.iterdir()
    if entry.name.endswith(".json")
)

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**40), 2**40),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=12),
    st.sampled_from(["2024-05-01T09:00:00Z", "http://example.com/x", "abc\n", "USD", "١٢"]),
)


def _documents(vendor: str, name: str) -> st.SearchStrategy[Any]:
    """Bodies the schema documents, and JSON values using its property names."""
    names = sorted(load_schema(vendor, name).get("properties", {})) or ["x"]
    documented = (
        [
            strategies.body(vendor, name)
            for operation in strategies.operations(vendor).values()
            if operation.schema == name
        ][:1]
        if vendor != "admin"
        else []
    )
    return st.one_of(*documented, _near(names))


def _near(names: list[str]) -> st.SearchStrategy[Any]:
    return st.recursive(
        scalars,
        lambda inner: st.one_of(
            st.lists(inner, max_size=3),
            st.dictionaries(st.sampled_from(names), inner, max_size=len(names)),
        ),
        max_leaves=12,
    )


@pytest.mark.parametrize(("vendor", "name"), SCHEMAS)
@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(data=st.data())
def test_what_the_quick_check_accepts_full_validation_accepts(
    vendor: str, name: str, data: st.DataObject
) -> None:
    document = data.draw(_documents(vendor, name))
    if quick_check(vendor, name)(document):
        assert field_errors(vendor, name, document) == []


@pytest.mark.parametrize(("vendor", "name"), SCHEMAS)
def test_the_quick_check_refuses_what_full_validation_refuses(vendor: str, name: str) -> None:
    """Schemas that refuse a bare list must refuse it in both (the quick path is not lax)."""
    schema = load_schema(vendor, name)
    if schema.get("type") == "object":
        assert not quick_check(vendor, name)([])
        assert field_errors(vendor, name, []) != []

"""Hypothesis strategies for every request body the sandbox takes, one per operation.

They are drawn from the vendors' generated OpenAPI documents, so from the very
schema files request validation reads: ``body("modelarts", "create_dataset")``
is a strategy of bodies that schema accepts. Generation is schemathesis's JSON
Schema engine (hypothesis-jsonschema cannot draw objects with the installed
Hypothesis). The formats the sandbox checks more narrowly than JSON Schema does
(``uri`` is an absolute http(s) URL here) are registered with matching strategies.

This module imports hypothesis and schemathesis, which are test extras: the
server never imports it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from typing import Any

import schemathesis
from hypothesis import strategies as st
from schemathesis.specs.openapi.schemas import OpenApiSchema

import mockserver

from ..app import VENDORS
from ..core.contract import JSON
from ..core.openapi import endpoints, vendor_document
from ..core.vendor import Vendor

__all__ = ["BodyOperation", "body", "operation_body", "operations"]


def _http_urls() -> st.SearchStrategy[str]:
    host = st.from_regex(r"[a-z][a-z0-9]{0,10}(\.[a-z]{2,5}){1,2}", fullmatch=True)
    path = st.from_regex(r"(/[A-Za-z0-9._~-]{1,12}){0,3}", fullmatch=True)
    return st.builds("{}://{}{}".format, st.sampled_from(["http", "https"]), host, path)


def _date_times() -> st.SearchStrategy[str]:
    moments = st.datetimes(min_value=datetime(1971, 1, 1), max_value=datetime(2099, 12, 31))
    return moments.map(lambda moment: moment.replace(tzinfo=UTC).isoformat())


schemathesis.openapi.format("uri", _http_urls())
schemathesis.openapi.format("date-time", _date_times())


@dataclass(frozen=True, slots=True)
class BodyOperation:
    """An operation that reads a body: where it is, and the schema that body meets.

    ``wrap`` is the key the schema's object sits under in the JSON body, if any.
    """

    vendor: str
    operation_id: str
    method: str
    path: str
    schema: str
    wrap: str | None


def _vendor(name: str) -> Vendor:
    (found,) = [ref.load() for ref in VENDORS if ref.name == name]
    return found


@cache
def _document(vendor: str) -> OpenApiSchema:
    document = vendor_document(_vendor(vendor), version=mockserver.__version__)
    return schemathesis.openapi.from_dict(document)


def operations(vendor: str) -> dict[str, BodyOperation]:
    """Every operation of the vendor that takes a body, by operation id."""
    paths = _document(vendor).raw_schema["paths"]
    found: dict[str, BodyOperation] = {}
    seen: set[tuple[str, str]] = set()
    for item in endpoints(_vendor(vendor).routes):
        if (item.path, item.method) in seen:
            continue  # shadowed by an earlier route
        seen.add((item.path, item.method))
        operation = paths[item.path][item.method.lower()]
        promised = item.contract
        if "requestBody" in operation and promised.body is not None:
            operation_id = operation["operationId"]
            found[operation_id] = BodyOperation(
                vendor, operation_id, item.method, item.path, promised.body, promised.wrap
            )
    return found


def operation_body(vendor: str, operation_id: str) -> st.SearchStrategy[Any]:
    """JSON bodies of one operation, as a client sends them (wrapped where it wraps)."""
    operation = operations(vendor)[operation_id]
    api_operation = _document(vendor)[operation.path][operation.method]
    cases = api_operation.as_strategy(media_type=JSON)
    # schemathesis may still draw another documented media type (clickworker's XML)
    return cases.filter(lambda case: case.media_type == JSON).map(lambda case: case.body)


def body(vendor: str, schema: str) -> st.SearchStrategy[Any]:
    """Documents ``schemas/<vendor>/<schema>.json`` accepts (without any wrapping key)."""
    operation = next(o for o in operations(vendor).values() if o.schema == schema)
    wrap = operation.wrap
    bodies = operation_body(vendor, operation.operation_id)
    return bodies if wrap is None else bodies.map(lambda document: document[wrap])

"""OpenAPI 3.1 documents generated from a route table and its JSON Schemas.

Nothing here is written per API: paths, path parameters and methods come from the
Starlette routes, bodies and answers from the :mod:`.contract` each endpoint
carries, and the schemas from the same files request validation uses. So a new
vendor, or a new control-API module, is documented as soon as it is routed.
"""

from __future__ import annotations

import copy
import inspect
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any

from starlette.convertors import FloatConvertor, IntegerConvertor, PathConvertor
from starlette.routing import BaseRoute, Mount, Route

from .contract import FORM, MULTIPART, XML, ApiContract, Contract, contract_of
from .validation import load_schema
from .vendor import Vendor

SchemaLookup = Callable[[str], dict[str, Any]]
"""Finds a schema of the API by name (``load_schema`` bound to a directory)."""

OPENAPI_PATH = "/openapi.json"
BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
COMPONENTS = "#/components/schemas/"


@dataclass(frozen=True, slots=True)
class Endpoint:
    """One (path, method) the routes serve, with the endpoint that answers it."""

    path: str
    method: str
    endpoint: Callable[..., Any]
    params: dict[str, dict[str, Any]]

    @property
    def contract(self) -> Contract:
        return contract_of(self.endpoint)


def endpoints(routes: Sequence[BaseRoute], prefix: str = "") -> Iterator[Endpoint]:
    """Every (path, method) in routing order, mounts flattened; ``HEAD`` is implied."""
    for route in routes:
        if isinstance(route, Mount):
            yield from endpoints(route.routes, prefix + route.path)
        elif isinstance(route, Route):
            params = {name: _param_schema(c) for name, c in route.param_convertors.items()}
            for method in sorted(route.methods or {"GET"}):
                if method != "HEAD":
                    yield Endpoint(prefix + route.path_format, method, route.endpoint, params)


def _param_schema(convertor: object) -> dict[str, Any]:
    if isinstance(convertor, IntegerConvertor):
        return {"type": "integer", "minimum": 0}
    if isinstance(convertor, FloatConvertor):
        return {"type": "number", "minimum": 0}
    if isinstance(convertor, PathConvertor):
        return {"type": "string", "minLength": 1}
    return {"type": "string", "minLength": 1, "pattern": "^[^/]+$"}


def document(
    routes: Sequence[BaseRoute],
    schemas: SchemaLookup,
    api: ApiContract,
    *,
    version: str,
    server: str = "/",
) -> dict[str, Any]:
    """The OpenAPI 3.1 document of ``routes``; ``server`` is the base URL of their paths."""
    found = _reachable(endpoints(routes))
    names = _operation_ids(found)
    components: dict[str, Any] = {}

    def ref(name: str) -> dict[str, Any]:
        if name not in components:
            components[name] = _embedded(schemas(name), COMPONENTS + name)
        return {"$ref": COMPONENTS + name}

    paths: dict[str, dict[str, Any]] = {}
    for item, operation_id in zip(found, names, strict=True):
        operation = _operation(item, operation_id, api, ref, schemas)
        operation_links = _links(item, found, names)
        if operation_links:
            operation["responses"]["2XX"]["links"] = operation_links
        paths.setdefault(item.path, {})[item.method.lower()] = operation
    doc: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {"title": api.title, "version": version},
        "servers": [{"url": server}],
        "paths": paths,
        "components": {"schemas": components},
    }
    if api.security:
        doc["components"]["securitySchemes"] = {k: dict(v) for k, v in api.security.items()}
        doc["security"] = [{name: []} for name in api.security]
    return doc


def vendor_document(vendor: Vendor, *, version: str, server: str = "/") -> dict[str, Any]:
    """A vendor's document, from its routes and ``schemas/<vendor>/``."""
    api = vendor.api
    if not api.title:
        api = replace(api, title=vendor.name)
    lookup: SchemaLookup = lambda name: load_schema(vendor.name, name)  # noqa: E731
    return document(vendor.routes, lookup, api, version=version, server=server)


def _reachable(found: Iterator[Endpoint]) -> list[Endpoint]:
    """The first route of a (path, method) answers it; later ones are never reached."""
    first: dict[tuple[str, str], Endpoint] = {}
    for item in found:
        first.setdefault((item.path, item.method), item)
    return list(first.values())


def _operation_ids(found: list[Endpoint]) -> list[str]:
    """The endpoint's name, made unique with its method, then with a counter."""
    taken: set[str] = set()
    names = []
    for item in found:
        base = item.endpoint.__name__
        name = base if base not in taken else f"{base}_{item.method.lower()}"
        counter = 2
        while name in taken:
            name, counter = f"{base}_{item.method.lower()}_{counter}", counter + 1
        taken.add(name)
        names.append(name)
    return names


def _operation(
    item: Endpoint,
    operation_id: str,
    api: ApiContract,
    ref: Callable[[str], dict[str, Any]],
    schemas: SchemaLookup,
) -> dict[str, Any]:
    promised = item.contract
    summary, _, description = (inspect.getdoc(item.endpoint) or operation_id).partition("\n")
    operation: dict[str, Any] = {
        "operationId": operation_id,
        "summary": summary.strip(),
        "tags": [item.endpoint.__module__.rsplit(".", 1)[-1]],
        "parameters": [
            *(
                {"name": name, "in": "path", "required": True, "schema": schema}
                for name, schema in item.params.items()
            ),
            *_query_parameters(promised.query, set(item.params), schemas),
        ],
        "responses": {
            "2XX": _response(
                "Success",
                promised.produces or api.media_types,
                promised.response or api.answer_schema,
                ref,
            ),
            "204": {"description": "Done, nothing to answer"},
            "4XX": _response("Refused", api.media_types, api.error_schema, ref),
        },
    }
    for status in promised.server_errors:
        refused = _response("Refused", api.media_types, api.error_schema, ref)
        operation["responses"][str(status)] = refused
    if description.strip():
        operation["description"] = description.strip()
    if promised.body is not None and item.method in BODY_METHODS:
        operation["requestBody"] = _request_body(promised, api.media_types, ref(promised.body))
        if api.form_bodies:
            form = _form_schema(promised, schemas(promised.body))
            for media in (FORM, MULTIPART):
                operation["requestBody"]["content"][media] = {"schema": form}
    if promised.anonymous:
        operation["security"] = []
    return operation


def _request_body(
    promised: Contract, media_types: tuple[str, ...], schema: dict[str, Any]
) -> dict[str, Any]:
    content: dict[str, Any] = {}
    for media in media_types:
        if promised.wrap is None:
            content[media] = {"schema": schema}
        elif media == XML:
            content[media] = {"schema": {**schema, "xml": {"name": promised.wrap}}}
        else:
            wrapped = {"type": "object", "required": [promised.wrap]}
            content[media] = {"schema": {**wrapped, "properties": {promised.wrap: schema}}}
    return {"required": True, "content": content}


def _query_parameters(
    names: tuple[str, ...], taken: set[str], schemas: SchemaLookup
) -> Iterator[dict[str, Any]]:
    """A parameter per Rails-style key of each named schema, in the schema's order; the
    schema's own ``$ref`` s are inlined, as a parameter's schema stands alone."""
    for name in names:
        schema = schemas(name)
        fields, _ = _rails_fields(_resolved(schema, schema), "", required=False)
        for key, (field_schema, required) in fields.items():
            if key not in taken:
                taken.add(key)
                yield {"name": key, "in": "query", "required": required, "schema": field_schema}


def _form_schema(promised: Contract, schema: dict[str, Any]) -> dict[str, Any]:
    """The body schema as a form: one property per Rails-style key (``job[title]``)."""
    schema = _resolved(schema, schema)
    if promised.wrap is not None:
        schema = {
            "type": "object",
            "required": [promised.wrap],
            "properties": {promised.wrap: schema},
        }
    fields, patterns = _rails_fields(schema, "", required=True)
    form: dict[str, Any] = {
        "type": "object",
        "properties": {key: field for key, (field, _) in fields.items()},
        "required": [key for key, (_, required) in fields.items() if required],
    }
    if patterns:
        form["patternProperties"] = patterns
    return form


def _rails_fields(
    schema: dict[str, Any], prefix: str, *, required: bool
) -> tuple[dict[str, tuple[dict[str, Any], bool]], dict[str, Any]]:
    """Leaf keys of an object schema, ``a[b][c]`` style, with their schemas and whether
    each is required; and key patterns for objects whose keys are free (``unit[data][*]``).

    A list of scalars is the repeated key ``a[]``; a list of objects has no form shape
    Rails agrees on, so it is left to the JSON body.
    """
    fields: dict[str, tuple[dict[str, Any], bool]] = {}
    patterns: dict[str, Any] = {}
    needed = set(schema.get("required", ()))
    for name, child in schema.get("properties", {}).items():
        key = f"{prefix}[{name}]" if prefix else name
        wanted = required and name in needed
        if "properties" in child or isinstance(child.get("additionalProperties"), dict):
            inner, inner_patterns = _rails_fields(child, key, required=wanted)
            fields.update(inner)
            patterns.update(inner_patterns)
        elif child.get("type") == "array":
            if child.get("items", {}).get("type") not in ("object", "array"):
                fields[key + "[]"] = (child, wanted)
        else:
            fields[key] = (child, wanted)
    free = schema.get("additionalProperties")
    if prefix and isinstance(free, dict) and "properties" not in schema:
        patterns[f"^{re.escape(prefix)}\\[[A-Za-z0-9_]+\\]$"] = free
    return fields, patterns


def _resolved(node: Any, root: dict[str, Any]) -> Any:
    """``node`` with the local ``$ref`` s of its file replaced by what they point at."""
    if isinstance(node, dict):
        target = node.get("$ref")
        if isinstance(target, str) and target.startswith("#/"):
            found: Any = root
            for part in target[2:].split("/"):
                found = found[part]
            return _resolved(found, root)
        return {key: _resolved(value, root) for key, value in node.items()}
    if isinstance(node, list):
        return [_resolved(value, root) for value in node]
    return node


def _response(
    description: str,
    media_types: tuple[str, ...],
    schema: str | None,
    ref: Callable[[str], dict[str, Any]],
) -> dict[str, Any]:
    body = ref(schema) if schema is not None else {}
    return {"description": description, "content": {m: {"schema": body} for m in media_types}}


def _links(item: Endpoint, found: list[Endpoint], names: list[str]) -> dict[str, Any]:
    """OpenAPI links from an answer's ids to every operation whose path takes them.

    The target's other path parameters that this operation's path names too (the
    job of a new unit) are carried over from the request, so the link lands on the
    resource just made.
    """
    links: dict[str, Any] = {}
    for param, pointer in item.contract.yields.items():
        for target, target_id in zip(found, names, strict=True):
            if param in target.params and target is not item and param not in item.params:
                parameters = {f"path.{param}": f"$response.body#{pointer}"}
                for shared in item.params.keys() & target.params.keys():
                    parameters[f"path.{shared}"] = f"$request.path.{shared}"
                links[f"{target_id}_{param}"] = {
                    "operationId": target_id,
                    "parameters": parameters,
                }
    return links


def _embedded(schema: dict[str, Any], base: str) -> dict[str, Any]:
    """A schema file as a component: local ``$ref`` s re-rooted at ``base``."""
    embedded = copy.deepcopy(schema)
    embedded.pop("$schema", None)
    embedded.pop("$id", None)
    _reroot(embedded, base)
    return embedded


def _reroot(node: object, base: str) -> None:
    if isinstance(node, dict):
        target = node.get("$ref")
        if isinstance(target, str) and target.startswith("#"):
            node["$ref"] = base + target[1:]
        for value in node.values():
            _reroot(value, base)
    elif isinstance(node, list):
        for value in node:
            _reroot(value, base)

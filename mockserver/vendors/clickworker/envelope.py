"""clickworker's wire: XML or JSON by negotiation, every answer in its envelope.

FOUND: every resource can be sent as XML or JSON; answers wrap the payload in
``{entity}_response`` whose first child is ``request_status`` (``id``, ``valid``,
``status_code``, ``status_text``); ``link`` elements carry ``href``, ``rel`` and
``type``, and in JSON ``link`` is an array; XML answers start with
``<?xml version="1.0"?>``. INFERRED: ``Accept: application/json`` selects JSON and
anything else XML (the documentation is XML-first); a request body is read by its
``Content-Type``, or by its first character when the type names neither format.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Mapping
from functools import lru_cache
from typing import Any, NamedTuple

import orjson
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Scope

from mockserver.core.context import TENANT, body_of, raw_header
from mockserver.core.errors import InvalidInput, MalformedBody, MockError
from mockserver.core.jsontext import loads
from mockserver.core.wire import Body, dumps, media_type
from mockserver.core.xmlwire import Fragment, parse_xml, render_fragment, render_xml

from .errors import error_status, reason

CONTEXT = "/api/marketplace/v2"
JSON = "application/json"
XML = "application/xml"
# Elements that are lists even when a client sends one of them (FOUND: clients do).
LISTS = ("items", "link", "notifications", "attributes", "elements", "options", "results",
         "tasks", "jobs", "task_templates", "products", "errors")  # fmt: skip
ENTITY = "mockserver.clickworker.entity"
_ID_MARK = "request-id-goes-here"
RESOURCES = frozenset({"customer", "products", "task_templates", "tasks", "jobs",
                       "notifications", "clickworkers", "prices"})  # fmt: skip


def wants_json(scope: Scope) -> bool:
    return b"json" in raw_header(scope, b"accept").lower()


def read_entity(request: Request, entity: str) -> dict[str, Any]:
    """The request body's ``entity`` object, from XML (``<entity>``) or JSON."""
    request.scope[ENTITY] = entity
    body = body_of(request.scope)
    kind = media_type(request)
    text = body.lstrip()
    if not text:  # bound: there is nothing to read
        raise MalformedBody(f"A <{entity}> document is required")
    # INFERRED (nothing documents a refusal): a type naming neither format, or none,
    # is read by the body's first character, as curl's form type or text/plain come.
    is_xml = kind in (XML, "text/xml") or kind.endswith("+xml")
    if is_xml or ("json" not in kind and text.startswith(b"<")):
        document: Any = parse_xml(body, lists=LISTS)
    else:
        document = _json(body)
    if not isinstance(document, dict):  # bound: a JSON array or scalar holds no entity
        raise MalformedBody(f"The body must be a <{entity}> document")
    # FOUND: every documented body wraps the entity (<task>, {"task": ...}); INFERRED:
    # one sent bare is read as the entity itself.
    inner = document.get(entity, document)
    if not isinstance(inner, dict):
        raise InvalidInput.one(entity, f"The body must hold one <{entity}> element")
    return inner


def _json(body: bytes) -> Any:
    return _listify(loads(body))


def _listify(value: Any, key: str = "") -> Any:
    """FOUND: JSON clients send one object where a list is usual; make it a list."""
    if isinstance(value, dict):
        converted = {k: _listify(v, k) for k, v in value.items()}
        return [converted] if key in LISTS else converted
    if isinstance(value, list):
        return [_listify(v) for v in value]
    return value


def as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def base_url(scope: Scope) -> str:
    """Where links point: the host the client called, under the API's context."""
    return site(scope).base


class Site(NamedTuple):
    """Where an answer's links point (``base``) and the media type they name, which is
    the one the answer is written in."""

    base: str
    media_type: str

    def links(self, path: str, rel: str = "self") -> list[dict[str, str]]:
        return [{"href": f"{self.base}/{path}", "rel": rel, "type": self.media_type}]


def site(scope: Scope) -> Site:
    return _site(
        raw_header(scope, b"host"),
        wants_json(scope),
        scope.get("scheme", "http"),
        scope.get("root_path", ""),
    )


@lru_cache(maxsize=256)
def _site(host: bytes, as_json: bool, scheme: str, root_path: str) -> Site:
    """Made once per place a client calls from: every answer's links need one."""
    base = f"{scheme}://{host.decode('latin-1') or 'localhost'}{root_path}{CONTEXT}"
    return Site(base, JSON if as_json else XML)


def links(scope: Scope, path: str, rel: str = "self") -> list[dict[str, str]]:
    return site(scope).links(path, rel)


def prerendered(media_type: str, key: str, payload: Mapping[str, Any]) -> Any:
    """``payload`` written in ``media_type`` as the value of ``key``, ahead of its
    answer, which embeds it as it is: what an answer shows of a resource can then be
    written once and kept."""
    if media_type == JSON:
        return orjson.Fragment(dumps(payload))
    return render_fragment(key, payload)


def request_id(scope: Scope) -> str:
    """FOUND: an opaque id shaped like a base64 SHA-1 (28 characters)."""
    tenant = scope.get(TENANT)
    if tenant is not None:
        raw = tenant.rng.bytes(20)
    else:  # refused before a tenant was known: derived from the request instead
        raw = hashlib.sha1(repr(sorted(scope["headers"])).encode(), usedforsecurity=False).digest()
    return base64.b64encode(raw).decode()


def envelope(
    scope: Scope, entity: str, fields: Mapping[str, Any], *, status: int = 200
) -> Response:
    """``{entity}_response`` with ``request_status`` first, then ``fields``."""
    as_json = wants_json(scope)
    before, after = _request_status(status, as_json)
    written = before + request_id(scope) + after  # a base64 id: nothing to escape
    root = f"{entity}_response"
    if as_json:
        document = {"request_status": orjson.Fragment(written), **fields}
        return Body(dumps({root: document}), status, media_type=JSON)
    document = {"request_status": Fragment("request_status", written), **fields}
    return Body(render_xml(root, document), status, media_type=XML)


@lru_cache(maxsize=64)
def _request_status(status: int, as_json: bool) -> tuple[str, str]:
    """``request_status`` for ``status`` written once, split where its id goes: each
    answer then adds only its id."""
    fields = {
        "id": _ID_MARK,
        "valid": status < 400,
        "status_code": status,
        "status_text": "OK" if status == 200 else reason(status),
    }
    if as_json:
        written = dumps(fields).decode()
    else:
        written = render_fragment("request_status", fields).markup
    before, after = written.split(_ID_MARK)
    return before, after


def respond(scope: Scope, entity: str, payload: Any, *, status: int = 200) -> Response:
    return envelope(scope, entity, {entity: payload}, status=status)


def render_error(error: MockError, scope: Scope) -> Response:
    """Any refusal as the envelope of the entity the request was about."""
    status, errors, headers = error_status(error)
    entity = scope.get(ENTITY) or _entity_of(scope.get("path", ""))
    response = envelope(scope, entity, {"errors": errors}, status=status)
    response.headers.update(headers)
    return response


def about(request: Request, entity: str) -> None:
    """Names the entity a handler answers about, for the envelope of its refusals."""
    request.scope[ENTITY] = entity


def _entity_of(path: str) -> str:
    """INFERRED: before a handler names it, an error is about the resource in the path:
    ``customer/tasks`` -> ``tasks``, ``customer/tasks/5`` -> ``task``."""
    parts = [p for p in path.split("/") if p]
    words = [p for p in parts if p in RESOURCES]
    if not words:
        return "error"
    last = words[-1]
    addressed_one = parts[-1] != last
    return last[:-1] if addressed_one and last.endswith("s") else last

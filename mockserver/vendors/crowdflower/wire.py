"""How CrowdFlower requests carry their parameters.

FOUND: parameters are Rails-style form keys (``job[title]``, ``unit[data][col]``,
``channels[]`` or ``channels[0]``) and clients send them in the query string even
for POST/PUT, in a form body (urlencoded, or the fields of a multipart one), or as a
JSON body of the same shape; the key rides along as ``key``. Everything is merged
into one nested dict, body over query, and parsed once per request. Raw uploads
(CSV, JSON Lines) are data, not parameters.
"""

from __future__ import annotations

from starlette.requests import Request

from mockserver.core import multipart
from mockserver.core.context import body_of
from mockserver.core.jsontext import NotJSON, loads
from mockserver.core.params import Params, merged_params, nest, parse_query
from mockserver.core.wire import media_type

PARAMS = "mockserver.crowdflower.params"
FORM = "application/x-www-form-urlencoded"


def params_of(request: Request) -> Params:
    """Query and body parameters of the request, merged (cached in the scope)."""
    cached: Params | None = request.scope.get(PARAMS)
    if cached is None:
        query = parse_query(request.scope.get("query_string", b""))
        cached = request.scope[PARAMS] = merged_params(query, _body_params(request))
    return cached


def _body_params(request: Request) -> Params:
    body = body_of(request.scope)
    if not body.strip():
        return {}
    kind = media_type(request)
    if kind == FORM or (not kind and b"=" in body and not body.lstrip().startswith(b"{")):
        return parse_query(body.decode("utf-8", errors="replace"))
    if kind == multipart.MULTIPART:  # FOUND: the R client sends its form fields so
        return nest(multipart.form_fields(request.headers.get("content-type", ""), body))
    if kind in ("application/json", "text/json", ""):
        try:
            document = loads(body)
        except NotJSON:
            return {}  # JSON Lines or broken JSON: an upload handler reads the raw body
        return document if isinstance(document, dict) else {}
    return {}

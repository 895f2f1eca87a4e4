"""``/_mock/journal``: the requests clients made and what they were answered."""

from __future__ import annotations

import re

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..core.errors import InvalidInput
from ..core.wire import JSONBody
from .common import sandbox_of


async def list_entries(request: Request) -> Response:
    """Filters: ``vendor``, ``tenant``, ``method``, ``path`` (a regex searched in the path),
    ``status``, ``limit`` (the newest N)."""
    q = request.query_params
    try:
        pattern = re.compile(q["path"]) if q.get("path") else None
    except re.error as exc:
        raise InvalidInput.one("path", f"not a regular expression: {exc}") from None
    try:
        status = int(q["status"]) if q.get("status") else None
        limit = int(q["limit"]) if q.get("limit") else None
    except ValueError:
        raise InvalidInput.one("status/limit", "must be whole numbers") from None
    method = q.get("method", "").upper() or None
    entries = [
        e
        for e in sandbox_of(request).journal
        if (q.get("vendor") in (None, "", e.vendor))
        and (q.get("tenant") in (None, "", e.tenant))
        and (method is None or e.method == method)
        and (status is None or e.status == status)
        and (pattern is None or pattern.search(e.path))
    ]
    if limit is not None:
        entries = entries[-limit:] if limit > 0 else []
    return JSONBody({"entries": [e.as_dict() for e in entries]})


async def clear(request: Request) -> Response:
    sandbox_of(request).journal.clear()
    return JSONBody({"cleared": True})


routes = [
    Route("/journal", list_entries, methods=["GET"]),
    Route("/journal", clear, methods=["DELETE"]),
]

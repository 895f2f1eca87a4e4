"""``/_mock/journal``: the requests clients made, what they were answered, and checks on them.

``GET`` filters, ``POST /journal/verify`` counts the requests matching a pattern and,
when the count is wrong, answers with the near misses; ``PUT`` resizes the ring.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..core import credentials
from ..core.clock import parse_instant
from ..core.contract import contract
from ..core.errors import InvalidInput
from ..core.journal import Entry, Journal
from ..core.journal_match import RequestPattern, verify
from ..core.numbers import natural
from ..core.pathregex import compile_path
from ..core.wire import JSONBody
from .common import read_body, sandbox_of


def _pattern(source: dict[str, Any], journal: Journal) -> RequestPattern:
    """A pattern from query parameters or a verify body (the same names in both)."""
    path = compile_path(source["path"]) if source.get("path") else None
    status = source.get("status")
    if isinstance(status, str):
        status = natural(status)
        if status is None:
            raise InvalidInput.one("status", "must be a whole number")
    method = source.get("method") or None
    return RequestPattern(
        vendor=source.get("vendor") or None,
        tenant=source.get("tenant") or None,
        method=method.upper() if method else None,
        path=path,
        status=status,
        query=source.get("query") or {},
        headers=source.get("headers") or {},
        body_contains=source.get("body_contains"),
        json=source.get("json"),
        since=_horizon(source.get("since"), journal),
    )


def _horizon(since: Any, journal: Journal) -> int:
    """The id after which entries count: ``since`` is an entry id or an ISO 8601 instant."""
    if since is None or since == "":
        return 0
    if isinstance(since, int):
        return since
    if (entry_id := natural(since)) is not None:
        return entry_id
    try:
        instant = parse_instant(str(since))
    except ValueError:
        raise InvalidInput.one("since", "must be an entry id or an ISO 8601 instant") from None
    earlier = [entry.id for entry in journal if entry.at < instant]
    return max(earlier, default=0)


async def list_entries(request: Request) -> Response:
    """Filters: ``vendor``, ``tenant``, ``method``, ``path`` (a regex searched in the path),
    ``status``, ``since`` (an entry id or an instant), ``before`` (an entry id), ``limit``
    (the newest N). ``matched`` counts the entries the filters let through before
    ``limit``, so a reader paging back with ``before`` knows how many there are."""
    journal = sandbox_of(request).journal
    query = request.query_params
    pattern = _pattern(dict(query), journal)
    limit = _whole(query, "limit")
    before = _whole(query, "before")
    entries = pattern.select(journal)
    if before is not None:
        entries = [entry for entry in entries if entry.id < before]
    matched = len(entries)
    if limit is not None:
        entries = entries[-limit:] if limit > 0 else []
    shown = [_shown(request, entry.as_dict()) for entry in entries]
    return JSONBody({"size": journal.size, "matched": matched, "entries": shown})


def _whole(query: Mapping[str, str], name: str) -> int | None:
    raw = query.get(name)
    value = None if raw is None else natural(raw)
    if raw is not None and value is None:
        raise InvalidInput.one(name, "must be a whole number")
    return value


def _masks(request: Request) -> bool:
    return bool(request.app.state.settings.journal_credentials == "masked")


def _shown(request: Request, entry: dict[str, Any]) -> dict[str, Any]:
    """An entry as ``/_mock/journal`` shows it: credentials masked unless the settings
    say ``journal_credentials: shown`` (the journal keeps them as sent, for verify)."""
    return credentials.entry(entry) if _masks(request) else entry


@contract(body="journal_verify")
async def verify_requests(request: Request) -> Response:
    body = await read_body(request, "journal_verify")
    journal = sandbox_of(request).journal
    outcome = verify(
        _pattern(body, journal),
        journal,
        count=body.get("count"),
        at_least=body.get("at_least"),
        at_most=body.get("at_most"),
        mask=_masks(request),
    )
    expected = {k: body[k] for k in ("count", "at_least", "at_most") if k in body}
    return JSONBody(
        {
            "ok": outcome.ok,
            "matched": len(outcome.matched),
            "expected": expected or {"at_least": 1},
            "entries": [entry.id for entry in outcome.matched],
            "near_misses": [
                {**_summary(request, entry), "differences": missed}
                for entry, missed in outcome.near_misses
            ],
        }
    )


def _summary(request: Request, entry: Entry) -> dict[str, Any]:
    query = credentials.query(entry.query) if _masks(request) else entry.query
    return {
        "id": entry.id,
        "vendor": entry.vendor,
        "tenant": entry.tenant,
        "method": entry.method,
        "path": entry.path,
        "query": query,
        "status": entry.status,
    }


@contract(body="journal_size")
async def resize(request: Request) -> Response:
    body = await read_body(request, "journal_size")
    journal = sandbox_of(request).journal
    journal.resize(body["size"])
    return JSONBody({"size": journal.size, "entries": len(journal)})


async def clear(request: Request) -> Response:
    sandbox_of(request).journal.clear()
    return JSONBody({"cleared": True})


routes = [
    Route("/journal", list_entries, methods=["GET"]),
    Route("/journal", resize, methods=["PUT"]),
    Route("/journal", clear, methods=["DELETE"]),
    Route("/journal/verify", verify_requests, methods=["POST"]),
]

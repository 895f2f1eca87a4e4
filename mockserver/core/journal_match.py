"""What a test expects of the requests its client made, and how close the others came.

A :class:`RequestPattern` both filters the journal and verifies it. When a count is
wrong, the entries that missed by the fewest criteria are the near misses, each
with the criteria it missed, so a failing test says "method was GET, not POST"
instead of "0 != 1".
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from . import credentials
from .errors import MalformedBody
from .journal import Entry
from .jsontext import loads
from .pathregex import PathPattern

NEAR_MISSES = 5

Shown = Callable[[str, str], str]
"""How a header's or parameter's actual value is said in a miss: ``(name, value) -> text``."""


def _as_sent(name: str, value: str) -> str:
    return value


@dataclass(frozen=True, slots=True)
class RequestPattern:
    """Criteria a request must meet; a criterion left unset matches anything.

    ``since`` is not a criterion but a horizon: entries numbered up to it are not
    looked at, nor offered as near misses.
    """

    vendor: str | None = None
    tenant: str | None = None
    method: str | None = None
    path: PathPattern | None = None  # RE2: a client's pattern cannot run away
    status: int | None = None
    query: Mapping[str, str] = field(default_factory=dict)
    headers: Mapping[str, str] = field(default_factory=dict)
    body_contains: str | None = None
    json: Any = None
    since: int = 0

    def misses(self, entry: Entry, *, mask: bool = False) -> list[str]:
        """Each criterion ``entry`` fails, said as "field: expected …, was …".

        Criteria match the values as sent; with ``mask`` a credential the entry
        carried is said masked (see :mod:`.credentials`).
        """
        missed: list[str] = []
        for name, wanted, actual in (
            ("vendor", self.vendor, entry.vendor),
            ("tenant", self.tenant, entry.tenant),
            ("method", self.method, entry.method),
            ("status", self.status, entry.status),
        ):
            if wanted is not None and wanted != actual:
                missed.append(f"{name}: expected {wanted!r}, was {actual!r}")
        if self.path is not None and not self.path.search(entry.path):
            missed.append(f"path: expected to match {self.path.pattern!r}, was {entry.path!r}")
        params: Shown = credentials.param_value if mask else _as_sent
        header: Shown = credentials.header_value if mask else _as_sent
        query = dict(parse_qsl(entry.query))
        missed.extend(_missing_pairs("query", self.query, query, params))
        headers = {key.lower(): value for key, value in entry.request_headers.items()}
        wanted_headers = {key.lower(): value for key, value in self.headers.items()}
        missed.extend(_missing_pairs("header", wanted_headers, headers, header))
        if self.body_contains is not None and self.body_contains not in entry.request_body:
            missed.append(f"body: expected to contain {self.body_contains!r}")
        if self.json is not None and not _contains(_json_of(entry.request_body), self.json):
            missed.append(f"json: expected to include {json.dumps(self.json)}")
        return missed

    def select(self, entries: Iterable[Entry]) -> list[Entry]:
        return [e for e in entries if e.id > self.since and not self.misses(e)]


@dataclass(frozen=True, slots=True)
class Verification:
    matched: list[Entry]
    ok: bool
    near_misses: list[tuple[Entry, list[str]]]


def verify(
    pattern: RequestPattern,
    entries: Iterable[Entry],
    *,
    count: int | None = None,
    at_least: int | None = None,
    at_most: int | None = None,
    mask: bool = False,
) -> Verification:
    """Counts the matching entries against the expectation (at least one when none is given);
    ``mask`` says the near misses' credentials masked."""
    considered = [e for e in entries if e.id > pattern.since]
    scored = [(entry, pattern.misses(entry, mask=mask)) for entry in considered]
    matched = [entry for entry, missed in scored if not missed]
    n = len(matched)
    if count is not None:
        ok = n == count
    else:
        low = 1 if at_least is None and at_most is None else (at_least or 0)
        ok = n >= low and (at_most is None or n <= at_most)
    near: list[tuple[Entry, list[str]]] = []
    if not ok:
        missing = sorted(
            ((entry, missed) for entry, missed in scored if missed),
            key=lambda pair: (len(pair[1]), -pair[0].id),
        )
        near = missing[:NEAR_MISSES]
    return Verification(matched=matched, ok=ok, near_misses=near)


def _missing_pairs(
    kind: str, wanted: Mapping[str, str], actual: Mapping[str, str], shown: Shown
) -> list[str]:
    return [
        f"{kind} {key}: expected {value!r}, was {_said(key, actual.get(key), shown)}"
        for key, value in wanted.items()
        if actual.get(key) != value
    ]


def _said(key: str, value: str | None, shown: Shown) -> str:
    return repr(None if value is None else shown(key, value))


def _json_of(text: str) -> Any:
    try:
        return loads(text)
    except MalformedBody:  # a body journaled as sent, which no vendor took
        return None


def _contains(actual: Any, wanted: Any) -> bool:
    """``wanted`` is ``actual``, or (for objects) a subset of it, recursively."""
    if isinstance(wanted, dict):
        return isinstance(actual, dict) and all(
            key in actual and _contains(actual[key], value) for key, value in wanted.items()
        )
    return bool(actual == wanted)

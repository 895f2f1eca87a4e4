"""The request journal: a bounded ring of what clients sent and what they got.

Tests read it through ``GET /_mock/journal`` to assert on the calls their client
made. Bodies are kept up to a cap so a large upload cannot fill memory; headers, the
path and the query are capped the same way when recorded, so an entry never holds
more than a few caps' worth of bytes whatever the client sent.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

BODY_CAP = 64 * 1024
HEADERS_CAP = 64 * 1024
"""Bytes of header names and values an entry keeps, each way."""


RawHeaders = list[tuple[bytes, bytes]]
KeptHeaders = Sequence[tuple[bytes, bytes]]


@dataclass(slots=True)
class Entry:
    """One exchange as it went over the wire.

    Headers and bodies are kept as the raw bytes the server saw and decoded only when
    read: recording sits on every request's path, reading the journal is rare.
    """

    id: int
    at: float
    vendor: str | None
    tenant: str | None
    method: str
    path: str
    raw_query: bytes
    raw_request_headers: KeptHeaders
    raw_request_body: Sequence[bytes] = ()
    status: int = 0
    raw_response_headers: KeptHeaders = ()
    raw_response_body: Sequence[bytes] = ()
    seconds: float = 0.0  # how long the answer took

    @property
    def query(self) -> str:
        return self.raw_query.decode("latin-1")

    @property
    def duration_ms(self) -> float:
        return round(self.seconds * 1000, 3)

    @property
    def request_headers(self) -> dict[str, str]:
        return _headers(self.raw_request_headers)

    @property
    def response_headers(self) -> dict[str, str]:
        return _headers(self.raw_response_headers)

    @property
    def request_body(self) -> str:
        return body_text(self.raw_request_body)

    @property
    def response_body(self) -> str:
        return body_text(self.raw_response_body)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "at": self.at,
            "vendor": self.vendor,
            "tenant": self.tenant,
            "method": self.method,
            "path": self.path,
            "query": self.query,
            "request_headers": self.request_headers,
            "request_body": self.request_body,
            "status": self.status,
            "response_headers": self.response_headers,
            "response_body": self.response_body,
            "duration_ms": self.duration_ms,
        }


def _headers(raw: Iterable[tuple[bytes, bytes]]) -> dict[str, str]:
    return {key.decode("latin-1"): value.decode("latin-1") for key, value in raw}


def body_text(chunks: Iterable[bytes]) -> str:
    """The first ``BODY_CAP`` bytes of a body, decoded leniently for display."""
    data = b"".join(chunks)[:BODY_CAP]
    return data.decode("utf-8", errors="replace")


def capped_headers(raw: RawHeaders) -> RawHeaders:
    """The headers whose names and values fit in ``HEADERS_CAP`` bytes, in order; the
    one that crosses the cap is cut off there, those after it are dropped.

    Headers under the cap (nearly every request) are kept as the same list: the
    check is one sum on every request's path.
    """
    if sum(len(key) + len(value) for key, value in raw) <= HEADERS_CAP:
        return raw
    kept: RawHeaders = []
    room = HEADERS_CAP
    for key, value in raw:
        if room <= len(key):
            break
        kept.append((bytes(key), bytes(value[: room - len(key)])))
        room -= len(key) + len(value)
    return kept


def capped(chunks: list[bytes], chunk: bytes) -> None:
    """Keeps ``chunk`` while the chunks kept stay under ``BODY_CAP`` bytes in all."""
    if chunk and sum(map(len, chunks)) < BODY_CAP:
        chunks.append(chunk[:BODY_CAP])


class Journal:
    """A ring of the last ``size`` entries, numbered from 1 since start; ids are never reused.

    The ring holds each exchange as a plain tuple of :class:`Entry`'s fields and makes
    the entry when the journal is read: recording runs on every request, and a tuple
    costs a fraction of an object's construction; reading is rare. The headers and body
    chunks are kept as tuples too, so an exchange is tuples of bytes, strings and
    numbers only, which CPython's garbage collector stops tracking within a collection
    or two: the ring's thousands of lists would otherwise be walked by every full
    collection, with the event loop stopped.
    """

    __slots__ = ("_entries", "_next_id")

    def __init__(self, size: int) -> None:
        self._entries: deque[tuple[Any, ...]] = deque(maxlen=size)
        self._next_id = 1

    @property
    def enabled(self) -> bool:
        return self._entries.maxlen != 0

    @property
    def size(self) -> int:
        return self._entries.maxlen or 0

    def resize(self, size: int) -> None:
        """Keeps the newest ``size`` entries; ids go on from where they were."""
        self._entries = deque(self._entries, maxlen=size)

    def add(
        self,
        at: float,
        vendor: str | None,
        tenant: str | None,
        method: str,
        path: str,
        raw_query: bytes,
        raw_request_headers: RawHeaders,
        raw_request_body: list[bytes],
        status: int,
        raw_response_headers: RawHeaders,
        raw_response_body: list[bytes],
        seconds: float,
    ) -> None:
        """Records an exchange under the next id (the fields in :class:`Entry`'s order);
        what the client sent is capped here, so the ring holds no more than that."""
        self._entries.append(
            (
                self._next_id,
                at,
                vendor,
                tenant,
                method,
                path[:BODY_CAP],
                raw_query[:BODY_CAP],
                tuple(capped_headers(raw_request_headers)),
                tuple(raw_request_body),
                status,
                tuple(capped_headers(raw_response_headers)),
                tuple(raw_response_body),
                seconds,
            )
        )
        self._next_id += 1

    def clear(self) -> None:
        self._entries.clear()

    def __iter__(self) -> Iterator[Entry]:
        return (Entry(*fields) for fields in self._entries)

    def __len__(self) -> int:
        return len(self._entries)

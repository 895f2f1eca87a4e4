"""The request journal: a bounded ring of what clients sent and what they got.

Tests read it through ``GET /_mock/journal`` to assert on the calls their client
made. Bodies are kept up to a cap so a large upload cannot fill memory.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from typing import Any

BODY_CAP = 64 * 1024


@dataclass(slots=True)
class Entry:
    id: int
    at: float
    vendor: str | None
    tenant: str | None
    method: str
    path: str
    query: str
    request_headers: dict[str, str]
    request_body: str
    status: int = 0
    response_headers: dict[str, str] = field(default_factory=dict)
    response_body: str = ""
    duration_ms: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def body_text(chunks: list[bytes]) -> str:
    """The first ``BODY_CAP`` bytes of a body, decoded leniently for display."""
    data = b"".join(chunks)[:BODY_CAP]
    return data.decode("utf-8", errors="replace")


class Journal:
    """A ring of the last ``size`` entries, numbered from 1 since start; ids are never reused."""

    __slots__ = ("_entries", "_next_id")

    def __init__(self, size: int) -> None:
        self._entries: deque[Entry] = deque(maxlen=size)
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

    def next_id(self) -> int:
        entry_id = self._next_id
        self._next_id += 1
        return entry_id

    def record(self, entry: Entry) -> None:
        self._entries.append(entry)

    def clear(self) -> None:
        self._entries.clear()

    def __iter__(self) -> Iterator[Entry]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

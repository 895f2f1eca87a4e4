"""A discrete-event queue: what is due, in due-time order.

Events are plain data (a target, an action name and a dict of arguments), not
closures, so a tenant's pending future can be listed, saved and restored. Ties on
the due time fire in the order they were scheduled, which keeps a seeded run
reproducible.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

Target = Literal["world", "webhook"]


class Wakeable(Protocol):
    """What a scheduler tells when its earliest event moves earlier."""

    def wake(self) -> None: ...


@dataclass(order=True, slots=True)
class Event:
    """Something that will happen at sim time ``due``.

    ``target`` says who handles it: the tenant's vendor world, or the webhook
    delivery machinery.
    """

    due: float
    seq: int
    target: Target = field(compare=False)
    action: str = field(compare=False)
    data: dict[str, Any] = field(compare=False, default_factory=dict)


class Scheduler:
    """A min-heap of events keyed by ``(due, seq)``.

    ``owner`` is woken whenever a newly planned event becomes the earliest one: the
    sandbox's ticker keeps one entry per tenant for its next event, so it must hear when
    that moves earlier (it finds out for itself when it moves later).

    Most tenants of a shared server never plan anything, and every full garbage
    collection walks each object of each: so the owner itself is held, not a bound
    method of it, and the heap is made with the first event.
    """

    __slots__ = ("_heap", "_owner", "_seq")

    def __init__(self, owner: Wakeable | None = None) -> None:
        self._heap: list[Event] | None = None
        self._seq = 0
        self._owner = owner

    def __len__(self) -> int:
        return len(self._heap) if self._heap else 0

    def at(self, due: float, target: Target, action: str, **data: Any) -> Event:
        """Schedules ``action`` for ``target`` at sim time ``due``."""
        self._seq += 1
        event = Event(due=due, seq=self._seq, target=target, action=action, data=data)
        heap = self._heap
        if heap is None:
            heap = self._heap = []
        heapq.heappush(heap, event)
        if self._owner is not None and heap[0] is event:
            self._owner.wake()
        return event

    def next_due(self) -> float | None:
        return self._heap[0].due if self._heap else None

    def pop_due(self, now: float) -> Event | None:
        """Takes the earliest event if it is due at ``now``."""
        if self._heap and self._heap[0].due <= now:
            return heapq.heappop(self._heap)
        return None

    def pending(self) -> Iterator[Event]:
        """The events still to come, earliest first."""
        return iter(sorted(self._heap or ()))

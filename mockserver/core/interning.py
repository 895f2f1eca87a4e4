"""Equal frozen values shared: one object where a world would keep a copy per record.

A vendor world keeps what each request made for as long as the tenant lives, and
CPython's full garbage collection walks every object kept, with the event loop
stopped. Many of those values repeat (a client orders every task with the same
callbacks, and a template's tasks cost the same), so a world keeps the first equal
value seen instead of each copy, in an :class:`Interner` of its own (what one tenant
sends is shared with no other). Only frozen values may be shared: a change to one would
show in every record that holds it.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any, TypeVar

H = TypeVar("H", bound=Hashable)

KEPT = 1024  # distinct values remembered: past this the memory starts over, nothing is lost


class Interner:
    """The first of each set of equal values seen, by value and type.

    For values whose equality implies their whole type, such as frozen dataclasses and
    tuples of them (``(1,)`` and ``(True,)`` are equal). Being derived, it is no part of
    the state: a snapshot holds it empty.
    """

    __slots__ = ("_kept",)

    def __init__(self) -> None:
        self._kept: dict[tuple[type, Hashable], Any] = {}

    def __call__(self, value: H) -> H:
        key = (type(value), value)
        kept: H | None = self._kept.get(key)
        if kept is None:
            if len(self._kept) >= KEPT:
                self._kept.clear()
            kept = self._kept[key] = value
        return kept

    def __reduce__(self) -> tuple[type[Interner], tuple[()]]:
        return type(self), ()

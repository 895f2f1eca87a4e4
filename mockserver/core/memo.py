"""Answers made from an object's state, kept on the object until that state changes.

Some answers cost far more to make than to serve (a job's zipped report), and clients
fetch them over and over between changes. A :class:`Memo` hangs off the object the
answer is about and keeps, per name, the last value and the key it was made for: a key
built from what the value shows (revision counters the owner bumps on every change).
A different key makes the value again. Being derived, a memo is no part of the state:
a snapshot holds it empty, and a restored world makes its values again when asked.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class Memo(Generic[V]):
    """The last value made under each name, with the key it was made for."""

    __slots__ = ("_kept",)

    def __init__(self) -> None:
        self._kept: dict[str, tuple[Hashable, V]] = {}

    def get(self, name: str, key: Hashable, make: Callable[[], V]) -> V:
        """The value kept under ``name`` if it was made for ``key``, else ``make()``'s,
        which is then kept in its place."""
        kept = self._kept.get(name)
        if kept is not None and kept[0] == key:
            return kept[1]
        value = make()
        self._kept[name] = (key, value)
        return value

    def __reduce__(self) -> tuple[type[Memo[V]], tuple[()]]:
        return type(self), ()

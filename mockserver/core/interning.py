"""Equal frozen values shared: one object where a world would keep a copy per record.

A vendor world keeps what each request made for as long as the tenant lives, and
CPython's full garbage collection walks every object kept, with the event loop
stopped. Many of those values repeat (a client orders every task with the same
callbacks, and a template's tasks cost the same), so a world may keep the first equal
value seen instead of each copy. Only frozen values may be shared: a change to one
would show in every record that holds it.
"""

from __future__ import annotations

from collections.abc import Hashable
from functools import lru_cache
from typing import Any, TypeVar

H = TypeVar("H", bound=Hashable)

KEPT = 1024  # distinct values remembered: an older one is no longer shared, never lost


def interned(value: H) -> H:
    """``value``, or an equal value of the same type interned before; for values whose
    equality implies their whole type, such as frozen dataclasses and tuples of them
    (``(1,)`` and ``(True,)`` are equal)."""
    shared: H = _first(value)
    return shared


@lru_cache(maxsize=KEPT, typed=True)
def _first(value: Any) -> Any:
    return value

"""Worlds whose parts are made when first used, and snapshots that do not show it.

A shared server in open mode keeps thousands of tenants, most of which used one part
of their vendor's world (a token, a job listing), and CPython's full garbage
collection walks every object of each with the event loop stopped. So a world may
make its registries lazily, as :class:`part` attributes. What a snapshot exports must
still not depend on which parts requests happened to need (a refused request that
looked at an empty registry changes nothing), so an export makes every part first
and writes the attributes in one order.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar, overload

T = TypeVar("T")


class part(Generic[T]):
    """A method that makes a part of the world, run on first access and then kept as a
    plain attribute of the world, which hides this (a non-data descriptor).

    ``functools.cached_property`` does the same through the instance's ``__dict__``,
    which CPython makes only when asked for: one more object per world for every full
    collection to walk, where a plain attribute lives in the instance's inline values.
    """

    def __init__(self, make: Callable[[Any], T]) -> None:
        self.make = make
        self.name = make.__name__
        self.__doc__ = make.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, instance: None, owner: type | None = None) -> part[T]: ...

    @overload
    def __get__(self, instance: object, owner: type | None = None) -> T: ...

    def __get__(self, instance: object | None, owner: type | None = None) -> T | part[T]:
        if instance is None:
            return self
        value = self.make(instance)
        setattr(instance, self.name, value)
        return value


class LazyParts:
    """Mixin for a world with :class:`part` attributes (see the module docstring)."""

    def __getstate__(self) -> dict[str, Any]:
        for cls in type(self).__mro__:
            for name, attribute in vars(cls).items():
                if isinstance(attribute, part):
                    getattr(self, name)
        return dict(sorted(vars(self).items()))

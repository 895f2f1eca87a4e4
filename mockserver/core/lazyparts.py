"""Worlds whose parts are made when first used, and snapshots that do not show it.

A shared server in open mode keeps thousands of tenants, most of which used one part
of their vendor's world (a token, a job listing), and CPython's full garbage
collection walks every object of each with the event loop stopped. So a world may
make its registries lazily, as ``functools.cached_property`` attributes. What a
snapshot exports must still not depend on which parts requests happened to need
(a refused request that looked at an empty registry changes nothing), so an export
makes every part first and writes the attributes in one order.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any


class LazyParts:
    """Mixin for a world with ``cached_property`` parts (see the module docstring)."""

    def __getstate__(self) -> dict[str, Any]:
        for cls in type(self).__mro__:
            for name, attribute in vars(cls).items():
                if isinstance(attribute, cached_property):
                    getattr(self, name)
        return dict(sorted(vars(self).items()))

"""A vendor world's context without a sandbox, for the backends' own tests.

A running server hands each world its tenant as the context
(:class:`mockserver.core.vendor.WorldContext`); a backend test builds the world on a
:class:`Context` instead, which holds each member as the test gives it (``notify`` and
``register_upload`` as plain callables, such as a list's ``append``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from mockserver.core.clock import Clock
from mockserver.core.crowd import Crowd
from mockserver.core.rng import Rng
from mockserver.core.scheduler import Scheduler
from mockserver.core.vendor import Notification


@dataclass(frozen=True)
class Context:
    """Every member of :class:`~mockserver.core.vendor.WorldContext`, as given."""

    tenant_id: str
    credential: str
    clock: Clock
    scheduler: Scheduler
    rng: Rng
    crowd: Crowd
    notify: Callable[[Notification], None]
    register_upload: Callable[[str], None]
    strict: bool
    setup: Mapping[str, Any] = field(default_factory=dict)

"""Rate limits per (tenant, policy), counted in real time.

A client's burst is real even when the sandbox's clock is simulated, so buckets
refill on the monotonic wall clock. Each policy is a token bucket: ``limit``
requests per ``window`` seconds, with room for ``burst`` at once (default: the
whole limit, which makes a fixed window such as 6,200 an hour behave as one).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, NoReturn

from .clock import monotonic
from .errors import RateLimited


@dataclass(frozen=True, slots=True)
class Policy:
    name: str
    limit: int
    window: float
    burst: int | None = None
    # Worked out once: every request of every tenant reads both.
    ceiling: float = field(init=False, repr=False, compare=False)  # tokens a bucket holds
    rate: float = field(init=False, repr=False, compare=False)  # tokens back per second

    def __post_init__(self) -> None:
        object.__setattr__(self, "ceiling", float(self.capacity))
        # (a window that is not positive is refused by ``changed``, after this has run)
        object.__setattr__(self, "rate", self.limit / self.window if self.window > 0 else 0.0)

    @property
    def capacity(self) -> int:
        return self.burst if self.burst is not None else self.limit

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "limit": self.limit,
            "window": self.window,
            "burst": self.capacity,
        }

    def changed(self, changes: Mapping[str, Any]) -> Policy:
        """A copy with ``limit``/``window``/``burst`` replaced; checks the numbers."""
        allowed = {k: changes[k] for k in ("limit", "window", "burst") if k in changes}
        updated = replace(self, **allowed)
        if updated.limit < 1 or updated.window <= 0 or updated.capacity < 1:
            raise ValueError(f"policy {self.name}: limit, window and burst must be positive")
        return updated


@dataclass(slots=True)
class Bucket:
    tokens: float
    stamp: float


@dataclass(slots=True)
class Limits:
    """The policies in force for one tenant, and whether they are enforced."""

    policies: tuple[Policy, ...]
    enabled: bool = True


class RateLimiter:
    """One tenant's buckets. ``check`` spends a token from every policy or refuses."""

    __slots__ = ("_buckets", "_now", "limits")

    def __init__(self, limits: Limits, now: Callable[[], float] = monotonic) -> None:
        self.limits = limits
        self._now = now
        self._buckets: dict[str, Bucket] = {}

    def configure(self, limits: Limits) -> None:
        """Replaces the policies; buckets of kept policies keep their tokens."""
        names = {p.name for p in limits.policies}
        self._buckets = {k: b for k, b in self._buckets.items() if k in names}
        self.limits = limits

    def check(self) -> None:
        limits = self.limits
        if not limits.enabled:
            return
        now = self._now()
        buckets = [self._refilled(policy, now) for policy in limits.policies]
        for policy, bucket in zip(limits.policies, buckets, strict=True):
            if bucket.tokens < 1:  # refused by any, none is spent
                self._refuse(policy, bucket)
        for bucket in buckets:
            bucket.tokens -= 1

    @staticmethod
    def _refuse(policy: Policy, bucket: Bucket) -> NoReturn:
        retry_after = (1 - bucket.tokens) / policy.rate
        raise RateLimited(policy.name, policy.limit, policy.window, retry_after)

    def remaining(self) -> dict[str, int]:
        now = self._now()
        return {p.name: int(self._refilled(p, now).tokens) for p in self.limits.policies}

    def _refilled(self, policy: Policy, now: float) -> Bucket:
        bucket = self._buckets.get(policy.name)
        if bucket is None:
            bucket = self._buckets[policy.name] = Bucket(policy.ceiling, now)
        elif now > bucket.stamp:
            refilled = bucket.tokens + (now - bucket.stamp) * policy.rate
            bucket.tokens = refilled if refilled < policy.ceiling else policy.ceiling
            bucket.stamp = now
        elif bucket.tokens > policy.ceiling:  # a smaller burst since the last request
            bucket.tokens = policy.ceiling
        return bucket

    def __getstate__(self) -> dict[str, Any]:
        """Buckets by their age, not their stamp: a monotonic stamp means nothing in another
        process, so restored buckets go on refilling from where they were."""
        now = self._now()
        return {
            "limits": self.limits,
            "now": self._now,
            "buckets": {k: (b.tokens, now - b.stamp) for k, b in self._buckets.items()},
        }

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.limits = state["limits"]
        self._now = state["now"]
        now = self._now()
        self._buckets = {
            k: Bucket(tokens, now - age) for k, (tokens, age) in state["buckets"].items()
        }


def override(
    policies: Iterable[Policy], changes: Iterable[Mapping[str, Any]]
) -> tuple[Policy, ...]:
    """Applies ``[{"name": ..., "limit": ...}, ...]`` to a vendor's policies by name."""
    by_name = {p.name: p for p in policies}
    for change in changes:
        name = change.get("name")
        if name not in by_name:
            raise ValueError(f"unknown policy {name!r}; known: {', '.join(sorted(by_name))}")
        by_name[name] = by_name[name].changed(change)
    return tuple(by_name.values())

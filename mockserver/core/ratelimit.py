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
class Limits:
    """The policies in force for one tenant, and whether they are enforced."""

    policies: tuple[Policy, ...]
    enabled: bool = True


class RateLimiter:
    """One tenant's buckets. ``check`` spends a token from every policy or refuses.

    A bucket is two floats kept by policy name: its tokens, and the monotonic instant
    they were counted at. Dicts of floats are not tracked by CPython's garbage
    collector, whose full collections walk every tracked object of the thousands of
    tenants a shared server keeps, so a tenant's limiter is one object however many
    policies it counts.
    """

    __slots__ = ("_now", "_stamps", "_tokens", "limits")

    def __init__(self, limits: Limits, now: Callable[[], float] = monotonic) -> None:
        self.limits = limits
        self._now = now
        self._tokens: dict[str, float] = {}
        self._stamps: dict[str, float] = {}

    def configure(self, limits: Limits) -> None:
        """Replaces the policies; buckets of kept policies keep their tokens."""
        names = {p.name for p in limits.policies}
        self._tokens = {k: v for k, v in self._tokens.items() if k in names}
        self._stamps = {k: v for k, v in self._stamps.items() if k in names}
        self.limits = limits

    def check(self) -> None:
        limits = self.limits
        if not limits.enabled:
            return
        now = self._now()
        left = [self._refilled(policy, now) for policy in limits.policies]
        for policy, tokens in zip(limits.policies, left, strict=True):
            if tokens < 1:  # refused by any, none is spent
                self._refuse(policy, tokens)
        spent = self._tokens
        for policy, tokens in zip(limits.policies, left, strict=True):
            spent[policy.name] = tokens - 1

    @staticmethod
    def _refuse(policy: Policy, tokens: float) -> NoReturn:
        retry_after = (1 - tokens) / policy.rate
        raise RateLimited(policy.name, policy.limit, policy.window, retry_after)

    def remaining(self) -> dict[str, int]:
        now = self._now()
        return {p.name: int(self._refilled(p, now)) for p in self.limits.policies}

    def _refilled(self, policy: Policy, now: float) -> float:
        """The policy's tokens at ``now``, counted anew (a new bucket starts full)."""
        name = policy.name
        tokens = self._tokens.get(name)
        if tokens is None:
            tokens = policy.ceiling
            self._stamps[name] = now
        elif now > (stamp := self._stamps[name]):
            refilled = tokens + (now - stamp) * policy.rate
            tokens = refilled if refilled < policy.ceiling else policy.ceiling
            self._stamps[name] = now
        elif tokens > policy.ceiling:  # a smaller burst since the last request
            tokens = policy.ceiling
        self._tokens[name] = tokens
        return tokens

    def __getstate__(self) -> dict[str, Any]:
        """Buckets by their age, not their stamp: a monotonic stamp means nothing in another
        process, so restored buckets go on refilling from where they were."""
        now = self._now()
        return {
            "limits": self.limits,
            "now": self._now,
            "buckets": {k: (v, now - self._stamps[k]) for k, v in self._tokens.items()},
        }

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.limits = state["limits"]
        self._now = state["now"]
        now = self._now()
        buckets: dict[str, tuple[float, float]] = state["buckets"]
        self._tokens = {k: tokens for k, (tokens, _) in buckets.items()}
        self._stamps = {k: now - age for k, (_, age) in buckets.items()}


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

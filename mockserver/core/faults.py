"""Fault injection: rules that make the sandbox slow, failing or unreachable on purpose.

A client's retry, timeout and error paths are the hardest to test against a real
service, which fails only when it likes. A :class:`Rule` says which exchanges it
applies to (direction, vendor, method, path pattern, tenant) and what happens to
them (a delay, an error status, a dropped connection), with what odds and how many
times. Inbound rules act on the requests clients send to a vendor (see
``pipeline.VendorPipeline``); outbound rules act on the webhooks the sandbox sends to
clients (see ``webhooks.Deliveries``). Chance and delays come from one seeded
:class:`~.rng.Rng`, so the same seed and the same traffic give the same faults.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from .errors import InvalidInput
from .pathregex import PathPattern, compile_path
from .rng import Rng

Direction = Literal["inbound", "outbound"]


@dataclass(frozen=True, slots=True)
class Exchange:
    """What a rule is matched against: one request in, or one webhook attempt out."""

    direction: Direction
    vendor: str
    tenant: str
    method: str
    path: str


@dataclass(frozen=True, slots=True)
class Latency:
    """A delay in seconds, fixed (``low == high``) or uniform between the two."""

    low: float
    high: float

    def draw(self, rng: Rng) -> float:
        return self.low if self.low == self.high else rng.uniform(self.low, self.high)

    def as_dict(self) -> dict[str, float]:
        if self.low == self.high:
            return {"seconds": self.low}
        return {"min": self.low, "max": self.high}


@dataclass(frozen=True, slots=True)
class Fault:
    """What one exchange suffers: wait ``delay`` seconds, then answer ``status`` or drop."""

    rule: str
    delay: float
    status: int | None
    drop: bool


@dataclass(slots=True)
class Rule:
    """A fault and the exchanges it applies to; ``None`` criteria match anything."""

    id: str
    direction: Direction
    vendor: str | None
    tenant: str | None
    method: str | None
    path: PathPattern | None  # compiled once, when the rule is added; searched by RE2
    latency: Latency | None
    status: int | None
    drop: bool
    odds: float
    count: int | None
    hits: int = 0

    @property
    def spent(self) -> bool:
        return self.count is not None and self.hits >= self.count

    def matches(self, exchange: Exchange) -> bool:
        return (
            self.direction == exchange.direction
            and self.vendor in (None, exchange.vendor)
            and self.tenant in (None, exchange.tenant)
            and self.method in (None, exchange.method)
            and (self.path is None or self.path.search(exchange.path))
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "direction": self.direction,
            "vendor": self.vendor,
            "tenant": self.tenant,
            "method": self.method,
            "path": None if self.path is None else self.path.pattern,
            "latency": None if self.latency is None else self.latency.as_dict(),
            "status": self.status,
            "drop": self.drop,
            "odds": self.odds,
            "count": self.count,
            "hits": self.hits,
            "spent": self.spent,
        }


def _latency(spec: Mapping[str, Any] | None) -> Latency | None:
    if spec is None:
        return None
    if "seconds" in spec:
        return Latency(float(spec["seconds"]), float(spec["seconds"]))
    if spec["min"] > spec["max"]:
        raise InvalidInput.one("latency", "min must not be greater than max")
    return Latency(float(spec["min"]), float(spec["max"]))


class Faults:
    """The sandbox's rules, tried in the order they were added.

    The first rule that matches an exchange, is not spent and wins its odds fires;
    the rest are not tried, so one exchange suffers at most one fault. Ids are never
    reused, so removing a stale id cannot remove a newer rule.
    """

    __slots__ = ("_rng", "_rules", "_seed", "_seq")

    def __init__(self, seed: int | str = 0) -> None:
        self._seed = seed
        self._rng = Rng(f"{seed}:faults")
        self._rules: dict[str, Rule] = {}
        self._seq = 0

    def add(self, spec: Mapping[str, Any]) -> Rule:
        """Adds a rule from its JSON form (already checked against the admin schema)."""
        method = spec.get("method")
        rule = Rule(
            id=str(self._seq + 1),
            direction=spec.get("direction", "inbound"),
            vendor=spec.get("vendor"),
            tenant=spec.get("tenant"),
            method=None if method is None else str(method).upper(),
            path=None if spec.get("path") is None else compile_path(spec["path"]),
            latency=_latency(spec.get("latency")),
            status=spec.get("status"),
            drop=bool(spec.get("drop", False)),
            odds=float(spec.get("odds", 1.0)),
            count=spec.get("count"),
        )
        self._seq += 1
        self._rules[rule.id] = rule
        return rule

    def remove(self, rule_id: str) -> Rule | None:
        return self._rules.pop(rule_id, None)

    def clear(self) -> int:
        """Removes every rule; returns how many there were."""
        removed = len(self._rules)
        self._rules.clear()
        return removed

    def reset(self) -> None:
        """Forgets every rule and restarts the random draws, as a fresh server would."""
        self.clear()
        self._rng = Rng(f"{self._seed}:faults")

    def __bool__(self) -> bool:
        """Whether any rule is set: most runs have none, and then nothing is matched."""
        return bool(self._rules)

    def pick(self, exchange: Exchange) -> Fault | None:
        """The fault this exchange suffers, if a rule fires; counts the rule's hit."""
        for rule in self._rules.values():
            if rule.spent or not rule.matches(exchange):
                continue
            if rule.odds < 1 and not self._rng.chance(rule.odds):
                continue
            rule.hits += 1
            delay = 0.0 if rule.latency is None else rule.latency.draw(self._rng)
            return Fault(rule.id, delay, rule.status, rule.drop)
        return None

    def __iter__(self) -> Iterator[Rule]:
        return iter(list(self._rules.values()))

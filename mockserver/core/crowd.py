"""The simulated workforce every vendor draws its workers from.

A :class:`Crowd` is a seeded pool of :class:`Worker` identities (name, email,
country, city from faker) with the traits that shape their output: ``trust``,
``accuracy`` (how often an answer is right) and ``speed`` (mean seconds a task
takes). Vendors decide what a task is; the crowd decides who does it, how long it
takes and whether the answer is right. Faker is imported on first use only: it is
the heaviest import in the sandbox and most requests never need a worker.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any, TypeVar

from .rng import Rng

T = TypeVar("T")

POOL_SIZE = 50  # ids below stay unique while the pool holds at most 100

# Where crowd workers live, as (ISO 3166 alpha-2, alpha-3): vendors report one or the other.
COUNTRIES = (
    ("US", "USA"), ("IN", "IND"), ("PH", "PHL"), ("VE", "VEN"), ("GB", "GBR"), ("BR", "BRA"),
    ("DE", "DEU"), ("CA", "CAN"), ("KE", "KEN"), ("NG", "NGA"), ("EG", "EGY"), ("ID", "IDN"),
    ("RS", "SRB"), ("UA", "UKR"), ("BD", "BGD"), ("PK", "PAK"), ("ES", "ESP"), ("MX", "MEX"),
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Worker:
    id: str
    name: str
    email: str
    country: str
    country3: str
    region: str
    city: str
    trust: float
    accuracy: float
    speed: float

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class Crowd:
    """A pool of ``size`` workers, generated lazily from ``rng``."""

    __slots__ = ("_pool", "_rng", "_size", "domain")

    def __init__(self, rng: Rng, *, size: int = POOL_SIZE, domain: str = "crowd.example") -> None:
        self._rng = rng
        self._size = size
        self._pool: list[Worker] | None = None
        self.domain = domain

    @property
    def workers(self) -> list[Worker]:
        if self._pool is None:
            self._pool = self._recruit()
        return self._pool

    def pick(self, count: int = 1) -> list[Worker]:
        """Distinct workers for one piece of work."""
        return self._rng.sample(self.workers, min(count, len(self.workers)))

    def get(self, worker_id: str) -> Worker | None:
        return next((w for w in self.workers if w.id == worker_id), None)

    def duration(self, worker: Worker, *, scale: float = 1.0) -> float:
        """Seconds the worker takes for a task of relative size ``scale``."""
        mean = worker.speed * scale
        return max(mean * 0.2, self._rng.gauss(mean, mean * 0.25))

    def answer(self, worker: Worker, options: Sequence[T], truth: T | None = None) -> T:
        """The worker's pick: the truth with probability ``accuracy``, else another option."""
        if truth is not None and (self._rng.chance(worker.accuracy) or len(options) < 2):
            return truth
        wrong = [o for o in options if o != truth] or list(options)
        return self._rng.choice(wrong)

    def is_right(self, worker: Worker) -> bool:
        return self._rng.chance(worker.accuracy)

    def jitter(self, value: float, spread: float) -> float:
        return value + self._rng.uniform(-spread, spread)

    def _recruit(self) -> list[Worker]:
        from faker import Faker  # deferred: see module docstring

        fake = Faker()
        fake.seed_instance(self._rng.integer(0, 2**31))
        workers = []
        for index in range(self._size):
            first, last = fake.first_name(), fake.last_name()
            country, country3 = self._rng.choice(COUNTRIES)
            accuracy = round(min(0.99, max(0.55, self._rng.gauss(0.86, 0.08))), 3)
            workers.append(
                Worker(
                    id=str(30_000_000 + self._rng.integer(0, 99_999) * 100 + index),
                    name=f"{first} {last}",
                    email=f"{first}.{last}@{self.domain}".lower(),
                    country=country,
                    country3=country3,
                    region=f"{self._rng.integer(1, 30):02d}",
                    city=fake.city(),
                    trust=round(min(1.0, accuracy + self._rng.uniform(-0.05, 0.05)), 3),
                    accuracy=accuracy,
                    speed=round(self._rng.uniform(20.0, 240.0), 1),
                )
            )
        return workers

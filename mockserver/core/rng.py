"""Seeded randomness: the only source of ids and chance in the sandbox.

Each tenant draws from its own :class:`Rng`, seeded from the server seed and the
tenant's id, so the same seed and the same requests give the same ids, workers and
answers, whatever other tenants do meanwhile.
"""

from __future__ import annotations

import random
import string
import uuid
from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")

_TOKEN_ALPHABET = string.ascii_letters + string.digits


class Rng:
    """A seeded ``random.Random`` with the id formats the vendors use."""

    __slots__ = ("_random",)

    def __init__(self, seed: int | str) -> None:
        self._random = random.Random(seed)

    def uuid4(self) -> str:
        return str(uuid.UUID(int=self._random.getrandbits(128), version=4))

    def token(self, length: int = 32) -> str:
        return "".join(self._random.choice(_TOKEN_ALPHABET) for _ in range(length))

    def hex(self, length: int) -> str:
        # (a constant format and zfill: a nested width is parsed anew on every call, and
        # every ModelArts and clickworker answer draws a request id here)
        return format(self._random.getrandbits(length * 4), "x").zfill(length)

    def bytes(self, count: int) -> bytes:
        return self._random.randbytes(count)

    def integer(self, low: int, high: int) -> int:
        """A whole number in ``[low, high]``."""
        return self._random.randint(low, high)

    def uniform(self, low: float, high: float) -> float:
        return self._random.uniform(low, high)

    def gauss(self, mean: float, sigma: float) -> float:
        return self._random.gauss(mean, sigma)

    def chance(self, odds: float) -> bool:
        """True with probability ``odds``."""
        return self._random.random() < odds

    def choice(self, options: Sequence[T]) -> T:
        return self._random.choice(options)

    def sample(self, options: Sequence[T], count: int) -> list[T]:
        return self._random.sample(list(options), count)

    def child(self, label: str) -> Rng:
        """An independent stream derived from this one, e.g. for a worker pool."""
        return Rng(f"{self._random.getrandbits(64)}:{label}")

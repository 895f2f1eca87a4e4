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
    """A seeded ``random.Random`` with the id formats the vendors use.

    The generator is made on the first draw: its state is about 2.5 KB, and most of the
    thousands of tenants a shared server opens (one per CI job's key) never draw, nor
    do their crowds.
    """

    __slots__ = ("_random", "_seed")

    def __init__(self, seed: int | str) -> None:
        self._seed = seed
        self._random: random.Random | None = None

    @property
    def _source(self) -> random.Random:
        source = self._random
        if source is None:
            source = self._random = random.Random(self._seed)
        return source

    def uuid4(self) -> str:
        return str(uuid.UUID(int=self._source.getrandbits(128), version=4))

    def token(self, length: int = 32) -> str:
        choice = self._source.choice
        return "".join(choice(_TOKEN_ALPHABET) for _ in range(length))

    def hex(self, length: int) -> str:
        # (a constant format and zfill: a nested width is parsed anew on every call, and
        # every ModelArts and clickworker answer draws a request id here)
        return format(self._source.getrandbits(length * 4), "x").zfill(length)

    def bytes(self, count: int) -> bytes:
        return self._source.randbytes(count)

    def integer(self, low: int, high: int) -> int:
        """A whole number in ``[low, high]``."""
        return self._source.randint(low, high)

    def uniform(self, low: float, high: float) -> float:
        return self._source.uniform(low, high)

    def gauss(self, mean: float, sigma: float) -> float:
        return self._source.gauss(mean, sigma)

    def chance(self, odds: float) -> bool:
        """True with probability ``odds``."""
        return self._source.random() < odds

    def choice(self, options: Sequence[T]) -> T:
        return self._source.choice(options)

    def sample(self, options: Sequence[T], count: int) -> list[T]:
        return self._source.sample(list(options), count)

    def child(self, label: str) -> Rng:
        """An independent stream named ``label`` under this one's seed, e.g. for a worker
        pool: derived from the seed rather than drawn, so neither stream is made before
        its first draw and neither's draws shift the other's."""
        return Rng(f"{self._seed}/{label}")

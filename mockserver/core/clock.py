"""Simulated time: the one place that reads the wall clock.

Every lifecycle in the sandbox moves on a :class:`Clock`, never on ``sleep``. A clock
runs either in *realtime* mode (sim time advances at ``speed`` times wall time) or in
*manual* mode (it moves only when a test advances it). Each tenant owns one, so two
test runs sharing a server never move each other's time.
"""

from __future__ import annotations

import functools
import math
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

ClockMode = Literal["realtime", "manual"]


def wall_time() -> float:
    """Seconds since the epoch, from the wall clock."""
    return time.time()


def monotonic() -> float:
    """Seconds from a monotonic source: what rate limits count real bursts with."""
    return time.monotonic()


def parse_instant(text: str) -> float:
    """Reads an ISO 8601 date-time (``Z`` or an offset; naive means UTC) as epoch seconds."""
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()


def isoformat(instant: float, *, millis: bool = True) -> str:
    """Renders epoch seconds as ``2020-12-22T10:13:24.127Z``."""
    moment = datetime.fromtimestamp(instant, UTC)
    if millis:
        return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


@functools.lru_cache(maxsize=4096)
def iso_seconds(instant: float) -> str:
    """Renders epoch seconds as ``2020-12-22T10:13:24+00:00`` (``isoformat`` to the second).

    Several vendors show instants this way, and formatting one is among the dearest
    steps of an answer or a webhook. Answers show the same instants again and again (a
    unit's creation in every answer about it), so each instant is remembered; a crowd's
    judgments bring new instants, many within the same second, so each second is
    formatted once too. ``timespec="seconds"`` drops the fraction after rounding to
    the microsecond, which ``round`` does the same way.
    """
    return _iso_second(math.floor(round(instant, 6)))


@functools.lru_cache(maxsize=4096)
def _iso_second(second: int) -> str:
    return datetime.fromtimestamp(second, UTC).isoformat(timespec="seconds")


@dataclass(slots=True)
class ClockState:
    """What a clock is, as plain data (for snapshots and ``GET /_mock/clock``)."""

    mode: ClockMode
    speed: float
    now: float


class Clock:
    """Sim time as epoch seconds.

    In realtime mode ``now()`` is ``anchor + (monotonic() - wall_anchor) * speed``;
    switching mode or speed re-anchors at the current instant, so time never jumps.
    ``advance`` works in both modes: it adds to the offset.
    """

    __slots__ = ("_anchor", "_mode", "_speed", "_wall_anchor")

    def __init__(self, *, mode: ClockMode, speed: float = 1.0, start: float | None = None) -> None:
        if speed <= 0:
            raise ValueError("speed must be positive")
        self._mode: ClockMode = mode
        self._speed = speed
        self._anchor = wall_time() if start is None else start
        self._wall_anchor = monotonic()

    @property
    def mode(self) -> ClockMode:
        return self._mode

    @property
    def speed(self) -> float:
        return self._speed

    def now(self) -> float:
        if self._mode == "manual":
            return self._anchor
        return self._anchor + (monotonic() - self._wall_anchor) * self._speed

    def advance(self, seconds: float) -> float:
        """Moves sim time forward; returns the new now."""
        if seconds < 0:
            raise ValueError("time only moves forward")
        self._rebase(self.now() + seconds)
        return self.now()

    def move_to(self, instant: float) -> None:
        """Moves sim time forward to ``instant``; an instant in the past changes nothing."""
        if instant > self.now():
            self._rebase(instant)

    def configure(self, *, mode: ClockMode | None = None, speed: float | None = None) -> None:
        if speed is not None and speed <= 0:
            raise ValueError("speed must be positive")
        current = self.now()
        if mode is not None:
            self._mode = mode
        if speed is not None:
            self._speed = speed
        self._rebase(current)

    def state(self) -> ClockState:
        return ClockState(mode=self._mode, speed=self._speed, now=self.now())

    def _rebase(self, instant: float) -> None:
        self._anchor = instant
        self._wall_anchor = monotonic()

    def __getstate__(self) -> dict[str, Any]:
        """The sim instant, not the anchors: a monotonic reading means nothing in another
        process, so a saved realtime clock continues from the instant it was saved at."""
        return {"mode": self._mode, "speed": self._speed, "now": self.now()}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self._mode = state["mode"]
        self._speed = state["speed"]
        self._rebase(state["now"])

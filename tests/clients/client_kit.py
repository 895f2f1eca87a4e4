"""What the client tests share beside their fixtures."""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from mockserver.testing import ServerThread


class SimClock:
    """The sandbox's manual clock, for a client to ``sleep`` on."""

    def __init__(self, server: ServerThread) -> None:
        self.url = server.url
        self.slept = 0.0

    def advance(self, seconds: float) -> None:
        response = httpx.post(f"{self.url}/_mock/clock/advance", json={"seconds": seconds})
        response.raise_for_status()

    def sleep(self, seconds: float) -> None:
        self.slept += seconds
        self.advance(seconds)


@dataclass(frozen=True)
class Call:
    """One request a client sent, as it addressed it, and the status it got."""

    method: str
    host: str
    path: str
    status: int


class Calls(list[Call]):
    """The requests a client sent; past ``limit`` the next one fails the test."""

    limit = 400

    @property
    def hosts(self) -> set[str]:
        return {call.host for call in self}

    def refused(self) -> list[Call]:
        return [call for call in self if call.status >= 400]

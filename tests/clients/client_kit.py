"""What the client tests share beside their fixtures."""

from __future__ import annotations

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

"""A webhook receiver for ``create_app(webhook_transport=httpx.MockTransport(hooks))``."""

from __future__ import annotations

import httpx


class Hooks:
    """Records every request it is sent and answers with the queued statuses, then 200."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []
        self.answers: list[int] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return httpx.Response(self.answers.pop(0) if self.answers else 200)

"""A webhook receiver on a real loopback port that records what it is sent.

Its answers are scripted: ``respond(500, 200)`` answers the first request with 500
and every later one with 200, so a test can drive a vendor's retry schedule.
"""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from .background import Background


@dataclass(frozen=True, slots=True)
class ReceivedRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


class Receiver(Background):
    def __init__(self) -> None:
        self.requests: list[ReceivedRequest] = []
        self._script: deque[int] = deque()
        self._default = 200
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def respond(self, *statuses: int) -> None:
        """Answers the next requests with ``statuses`` in turn; the last one thereafter."""
        with self._lock:
            self._script = deque(statuses[:-1])
            self._default = statuses[-1]

    def _next_status(self) -> int:
        with self._lock:
            return self._script.popleft() if self._script else self._default

    def _record(self, request: ReceivedRequest) -> None:
        with self._lock:
            self.requests.append(request)

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length", "0") or 0)
                body = self.rfile.read(length) if length else b""
                receiver._record(
                    ReceivedRequest(self.command, self.path, dict(self.headers.items()), body)
                )
                status = receiver._next_status()
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            do_POST = do_PUT = do_GET = _serve

            def log_message(self, format: str, *args: object) -> None:
                """Silent: the test reads ``requests`` instead."""

        return Handler

    def start(self) -> Receiver:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)

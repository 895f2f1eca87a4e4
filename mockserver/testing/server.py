"""The sandbox on a real uvicorn server, in a background thread, on a free loopback port."""

from __future__ import annotations

import socket
import threading

import uvicorn

from ..app import MockServer, create_app
from ..settings import Settings
from .background import Background

START_TIMEOUT = 10.0
POLL = 0.01


class ServerThread(Background):
    """Starts ``create_app(settings)`` on 127.0.0.1 and an OS-chosen port.

    The socket is bound before the thread starts, so the port is known and free at
    once; ``start`` returns when uvicorn reports it is serving.
    """

    def __init__(self, settings: Settings | None = None) -> None:
        self.app: MockServer = create_app(settings or Settings())
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._socket.bind(("127.0.0.1", 0))
        self.port: int = self._socket.getsockname()[1]
        config = uvicorn.Config(self.app, lifespan="on", log_level="warning")
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._socket]}, daemon=True
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def admin_token(self) -> str | None:
        """The token its ``/_mock`` API asks for (``Settings.admin_token``), if any."""
        return self.app.settings.admin_token

    def start(self) -> ServerThread:
        self._thread.start()
        pause = threading.Event()
        for _ in range(int(START_TIMEOUT / POLL)):
            if self._server.started or not self._thread.is_alive():
                break
            pause.wait(POLL)
        if not self._server.started:
            self.stop()
            raise RuntimeError("the sandbox did not start")
        return self

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(START_TIMEOUT)
        self._socket.close()

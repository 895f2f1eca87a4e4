"""What the end-to-end tests that start server processes share."""

from __future__ import annotations

import socket


def free_port() -> int:
    """A loopback port the OS has just handed out (another process could take it first)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port

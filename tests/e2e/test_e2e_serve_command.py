"""The README's way of running the server: the ``mockserver serve`` command."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading

import httpx


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def test_serve_starts_answers_health_and_stops() -> None:
    port = _free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "mockserver",
            "serve",
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        health = None
        pause = threading.Event()
        for _ in range(200):
            try:
                health = httpx.get(f"http://127.0.0.1:{port}/_mock/health")
                break
            except httpx.TransportError:
                assert process.poll() is None, process.stderr.read() if process.stderr else ""
                pause.wait(0.05)
        assert health is not None and health.status_code == 200
        assert health.json()["status"] == "ok"
        assert "cloudfactory" in health.json()["vendors"]
        unknown = httpx.get(f"http://127.0.0.1:{port}/cloudfactory/v1/tasks")
        assert unknown.status_code == 401
        process.terminate()  # SIGTERM: a graceful stop, which the exit code says went well
        assert process.wait(10) == 0, process.stderr.read() if process.stderr else ""
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(10)
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                stream.close()

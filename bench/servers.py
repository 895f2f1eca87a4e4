"""Servers under test as separate processes, on free loopback ports, always stopped.

A separate process per server keeps the load generator off the server's GIL and lets
us read its RSS from ``/proc``; each runs one uvicorn worker, as users run it in CI.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import httpx

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
HOST = "127.0.0.1"
START_TIMEOUT = 60.0

# The sandbox as users start it: ``mockserver serve`` with its defaults (journal on,
# access log off, log level info, seed 0), but for two flags. Rate limits are off, so
# that a load run measures serving, not refusing. The clock is manual, as the pytest
# plugin starts it: each request does the same work under either clock (a tenant's due
# events are checked on every request), but a realtime clock would move the recorded
# resources on while they are loaded (a running CrowdFlower job collects judgments),
# so the mock would no longer answer the bytes the bare app replays.
MOCK_FLAGS: tuple[str, ...] = ("--rate-limits", "off", "--clock", "manual")


def free_port() -> int:
    """A port the OS has just handed out; another process could take it, so rarely fails."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port


HTTP_SERVERS = ("uvicorn", "granian")


def mock_command(port: int, http: str = "uvicorn") -> list[str]:
    """``mockserver serve`` (uvicorn), or the same app under granian (bench/granian_app.py:
    one worker, its default runtime and loop, no access log)."""
    if http == "granian":
        return [sys.executable, "-m", "granian", "--interface", "asgi", "--factory",
                "--host", HOST, "--port", str(port), "bench.granian_app:app"]  # fmt: skip
    return [sys.executable, "-m", "mockserver", "serve", "--host", HOST, "--port", str(port),
            *MOCK_FLAGS]  # fmt: skip


def bare_command(port: int, table: Path | None = None) -> list[str]:
    answers = ["--table", str(table)] if table is not None else []
    return [sys.executable, str(BENCH / "bare_app.py"), "--port", str(port), *answers]


def receiver_command(port: int) -> list[str]:
    return [sys.executable, str(BENCH / "receiver_app.py"), "--port", str(port)]


@dataclass
class Server:
    """One server process; ``startup_s`` is process start to the first 200 on the health URL."""

    name: str
    command: list[str]
    port: int
    health_path: str = "/_mock/health"
    process: subprocess.Popen[bytes] | None = None
    log: IO[bytes] | None = None
    startup_s: float = 0.0
    env: dict[str, str] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def start(self) -> Server:
        # A file, not a pipe: a chatty server (a peer's access log) must never block on it.
        self.log = tempfile.TemporaryFile()
        started = time.perf_counter()
        self.process = subprocess.Popen(
            self.command,
            cwd=ROOT,
            env={**os.environ, **self.env},
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=self.log,
            start_new_session=True,
        )
        try:
            self._wait_until_healthy(started)
        except BaseException:
            self.stop()  # whatever went wrong, the process must not outlive its run
            raise
        return self

    def _wait_until_healthy(self, started: float) -> None:
        assert self.process is not None and self.log is not None
        deadline = started + START_TIMEOUT
        with httpx.Client(timeout=2.0) as client:
            while time.perf_counter() < deadline:
                if self.process.poll() is not None:
                    self.log.seek(0)
                    error = self.log.read().decode("utf-8", "replace")
                    raise RuntimeError(f"{self.name} exited at start-up:\n{error[-2000:]}")
                with contextlib.suppress(httpx.HTTPError):
                    answered = client.get(self.url + self.health_path).status_code == 200
                    # another process may hold the port if ours failed to bind it
                    if answered and self.process.poll() is None:
                        self.startup_s = time.perf_counter() - started
                        return
                time.sleep(0.005)
        raise RuntimeError(f"{self.name} did not answer {self.health_path} in {START_TIMEOUT} s")

    def rss_bytes(self) -> int:
        """VmRSS of the process, from /proc (Linux only)."""
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
        raise RuntimeError("no VmRSS line")

    def log_text(self) -> str:
        """What the server has written to stderr so far (its tracebacks, say)."""
        assert self.log is not None
        self.log.flush()
        self.log.seek(0)
        text = self.log.read().decode("utf-8", "replace")
        self.log.seek(0, 2)
        return text

    def cpu_seconds(self) -> float:
        """User and system CPU time the process has used, from /proc (Linux only)."""
        fields = Path(f"/proc/{self.pid}/stat").read_text().rpartition(")")[2].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        """SIGTERM to the server's process group, then SIGKILL if it lingers."""
        process, self.process = self.process, None
        log, self.log = self.log, None
        if log is not None:
            log.close()
        if process is None or process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(5)


def mock_server(http: str = "uvicorn") -> Server:
    port = free_port()
    return Server("mockserver", mock_command(port, http), port)


def bare_server(table: Path | None = None) -> Server:
    """The bare app; ``table`` is the file of recorded answers it serves (see bare_app)."""
    port = free_port()
    return Server("bare", bare_command(port, table), port)


def receiver_server() -> Server:
    port = free_port()
    return Server("receiver", receiver_command(port), port)


@contextlib.contextmanager
def running(*servers: Server) -> Iterator[Sequence[Server]]:
    """Starts the servers in turn and stops every one that started, whatever happens."""
    started: list[Server] = []
    try:
        for server in servers:
            started.append(server.start())
        yield started
    finally:
        for server in reversed(started):
            server.stop()

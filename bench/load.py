"""Load generators: ``wrk`` when installed, else a small asyncio + httpx loop.

Both answer a :class:`LoadResult` with the same fields and say which made it
(``generator``), because the httpx loop is far slower than wrk and its figures only
compare with each other within one run.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import statistics
import subprocess
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import httpx

WRK_SCRIPT = Path(__file__).resolve().parent / "wrk" / "bench.lua"
INSTALL_HINT = "wrk is not installed: apt-get install wrk (falling back to the httpx generator)"


@dataclass(frozen=True)
class RequestSpec:
    """One request a load run repeats; ``expect`` is the status the scenario must see, and
    ``showing`` bytes its answer must hold (a vendor that refuses in a 200 says so in it)."""

    method: str
    url: str
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    expect: int = 200
    showing: bytes = b""

    def check(self, client: httpx.Client) -> httpx.Response:
        """Sends it once: a scenario that answers an error would benchmark the error path."""
        response = client.request(self.method, self.url, headers=self.headers, content=self.body)
        if response.status_code != self.expect or self.showing not in response.content:
            raise RuntimeError(
                f"{self.method} {self.url} answered {response.status_code}, "
                f"not {self.expect} showing {self.showing!r}: {response.text[:300]}"
            )
        return response


@dataclass(frozen=True)
class LoadResult:
    generator: str
    requests: int
    seconds: float
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def wrk_path() -> str | None:
    return shutil.which("wrk")


def run_wrk(spec: RequestSpec, duration: float, connections: int, threads: int = 1) -> LoadResult:
    """wrk with bench.lua; a body and headers go through temp files named in the env."""
    wrk = wrk_path()
    assert wrk is not None
    with tempfile.TemporaryDirectory(prefix="bench-wrk-") as tmp:
        env = {**os.environ, "BENCH_METHOD": spec.method}
        if spec.body:
            (Path(tmp) / "body").write_bytes(spec.body)
            env["BENCH_BODY_FILE"] = str(Path(tmp) / "body")
        if spec.headers:
            lines = "".join(f"{name}: {value}\n" for name, value in spec.headers.items())
            (Path(tmp) / "headers").write_text(lines)
            env["BENCH_HEADERS_FILE"] = str(Path(tmp) / "headers")
        seconds = max(1, round(duration))
        command = [
            wrk,
            f"-t{threads}",
            f"-c{max(connections, threads)}",
            f"-d{seconds}s",
            "--timeout",
            "10s",
            "-s",
            str(WRK_SCRIPT),
            spec.url,
        ]
        done = subprocess.run(
            command, env=env, capture_output=True, text=True, timeout=seconds + 60
        )
    line = next((x for x in done.stdout.splitlines() if x.startswith("BENCH_RESULT ")), None)
    if done.returncode != 0 or line is None:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stderr or done.stdout}")
    raw = json.loads(line.removeprefix("BENCH_RESULT "))
    elapsed = raw["duration_us"] / 1e6
    return LoadResult(
        generator="wrk",
        requests=raw["requests"],
        seconds=elapsed,
        rps=raw["requests"] / elapsed if elapsed else 0.0,
        p50_ms=raw["p50_us"] / 1000,
        p99_ms=raw["p99_us"] / 1000,
        errors=sum(raw["errors"].values()),
    )


async def _httpx_load(spec: RequestSpec, duration: float, connections: int) -> LoadResult:
    latencies: list[float] = []
    errors = 0
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    async with httpx.AsyncClient(limits=limits, timeout=10.0) as client:
        deadline = time.perf_counter() + duration

        async def worker() -> None:
            nonlocal errors
            while time.perf_counter() < deadline:
                started = time.perf_counter()
                try:
                    response = await client.request(
                        spec.method, spec.url, headers=spec.headers, content=spec.body
                    )
                    ok = response.status_code < 400
                except httpx.HTTPError:
                    ok = False
                latencies.append(time.perf_counter() - started)
                errors += not ok

        began = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(connections)))
        elapsed = time.perf_counter() - began
    ordered = sorted(latencies) or [0.0]
    return LoadResult(
        generator="httpx",
        requests=len(latencies),
        seconds=elapsed,
        rps=len(latencies) / elapsed if elapsed else 0.0,
        p50_ms=statistics.median(ordered) * 1000,
        p99_ms=ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000,
        errors=errors,
    )


def run_httpx(spec: RequestSpec, duration: float, connections: int) -> LoadResult:
    return asyncio.run(_httpx_load(spec, duration, connections))


def run_load(spec: RequestSpec, duration: float, connections: int, *, generator: str) -> LoadResult:
    """``generator`` is ``wrk`` or ``httpx``; the caller decides once per run."""
    if generator == "wrk":
        return run_wrk(spec, duration, connections)
    return run_httpx(spec, duration, connections)

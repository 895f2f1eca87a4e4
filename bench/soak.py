"""The soak: minutes of mixed load on one ``mockserver serve``, with thousands of one-off keys.

A fixed number of workers (``connections``) each send one request after another, so
the load is bounded however slow the server gets: the bench's GET of every vendor on
its prepared tenants. Beside them, at a steady pace, the bench's POSTs (each stores a
record, which is memory the server must keep, so they are paced to keep that small
next to a leak: 20 a second, about 10 MB in ten minutes) and, spread evenly over the
run, requests under keys used once and never again (each opens a tenant, as a CI job
with a fresh key does).
Beside them a probe asks ``/_mock/health`` every 100 ms: its slowest answer bounds
the longest time the event loop was blocked.

Reported: server errors (any 5xx), RSS after the first window and at the end, the CPU
the idle server uses in the seconds after the load, and the p99 latency of the first
and the last window (their ratio less one is the drift). The server runs under
bench/gcwatch.py, which times its full garbage collections: on a shared machine the
longest probe wait is mostly other processes' turns on the CPU, and the longest
collection is the part of it the server itself causes.
"""

from __future__ import annotations

import asyncio
import base64
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx

from . import gcwatch, report, scenarios, servers
from .load import RequestSpec

PROBE_EVERY = 0.1
IDLE_MEASURE = 10.0
KEYS_PER_SECOND = 10_000 / 600  # 10,000 one-off keys in a ten-minute soak
WRITES_PER_SECOND = 20


@dataclass
class Window:
    """What one stretch of the run saw."""

    latencies: list[float] = field(default_factory=list)
    requests: int = 0
    server_errors: int = 0

    def p99_ms(self) -> float | None:
        if len(self.latencies) < 100:
            return None
        return statistics.quantiles(self.latencies, n=100)[98] * 1000


def one_off(index: int) -> RequestSpec:
    """The ``index``-th one-off key's request, every vendor in turn; each makes a tenant."""
    key = f"soak{index:08d}"
    match index % 4:
        case 0:
            return RequestSpec("GET", "/cloudfactory/v1/tasks", {"x-api-key": key})
        case 1:
            return RequestSpec("GET", f"/crowdflower/v1/jobs.json?key={key}")
        case 2:
            basic = base64.b64encode(f"{key}:pw".encode()).decode()
            headers = {"Authorization": f"Basic {basic}", "Accept": "application/json"}
            return RequestSpec("GET", "/clickworker/api/marketplace/v2/customer", headers)
        case _:
            project = f"{index:032x}"
            body = (
                '{"auth":{"identity":{"methods":["password"],"password":{"user":{"name":"u",'
                '"password":"p","domain":{"name":"soak"}}}},"scope":{"project":{"id":"'
                + project
                + '"}}}}'
            )
            json_type = {"Content-Type": "application/json"}
            return RequestSpec("POST", "/modelarts/v3/auth/tokens", json_type, body.encode(), 201)


def watched_server() -> servers.Server:
    """``mockserver serve`` as the other sections start it, its collections timed."""
    port = servers.free_port()
    command = [sys.executable, str(servers.BENCH / "gcwatch.py"), "serve",
               "--host", servers.HOST, "--port", str(port), *servers.MOCK_FLAGS]  # fmt: skip
    return servers.Server("mockserver", command, port)


def soak(
    seconds: float,
    connections: int,
    keys: int | None,
    vendors: Sequence[str],
    log: Callable[[str], None],
    idle: float = IDLE_MEASURE,
) -> dict[str, Any]:
    """The soak; ``idle`` is how long the idle CPU is measured, after half as long a pause."""
    mock = watched_server()
    with servers.running(mock), httpx.Client(base_url=mock.url, timeout=60) as client:
        prepared = [scenarios.BENCHES[vendor].prepare(client) for vendor in vendors]
        reads = [specs["get"] for specs in prepared]
        writes = [specs["post"] for specs in prepared]
        wanted = round(KEYS_PER_SECOND * seconds) if keys is None else keys
        found = asyncio.run(_load(mock, reads, writes, seconds, connections, wanted))
        time.sleep(idle / 2)
        cpu_before = mock.cpu_seconds()
        time.sleep(idle)
        idle_cpu = (mock.cpu_seconds() - cpu_before) / idle * 100
        found["rss_end_mb"] = mock.rss_bytes() / report.MB
        found.update(gcwatch.longest(mock.log_text()))  # before the listing makes lazy parts
        found["tenants"] = len(client.get("/_mock/tenants").json()["tenants"])
    first, last = found.pop("first_window"), found.pop("last_window")
    first_p99, last_p99 = first.p99_ms(), last.p99_ms()
    drift = None if not first_p99 or last_p99 is None else (last_p99 / first_p99 - 1) * 100
    growth = found["rss_end_mb"] - found["rss_first_window_mb"]
    found.update(
        idle_cpu_percent=idle_cpu,
        p99_first_window_ms=first_p99,
        p99_last_window_ms=last_p99,
        p99_drift_percent=drift,
        rss_growth_mb=growth,
        checks={
            "soak server errors": report.verdict("server_errors", found["server_errors"]),
            "soak RSS growth": report.verdict("rss_growth", growth),
            "soak idle CPU": report.verdict("idle_cpu", idle_cpu),
            "soak p99 drift": report.verdict("p99_drift", drift),
            "soak longest stall": report.verdict("stall", found["longest_stall_ms"]),
        },
    )
    log(
        f"  soak {found['requests']:,} requests in {seconds:.0f} s ({found['one_off_keys']:,} "
        f"one-off keys), {found['server_errors']} server errors; RSS "
        f"{found['rss_first_window_mb']:.1f} -> {found['rss_end_mb']:.1f} MB; idle CPU "
        f"{idle_cpu:.1f}%; p99 {_ms(first_p99)} -> {_ms(last_p99)} ms; "
        f"longest stall {found['longest_stall_ms']:.0f} ms; longest full collection "
        f"{found['longest_gc_ms']:.0f} ms ({found['longest_gc_cpu_ms']:.0f} ms of CPU, "
        f"{found['longest_gc_objects']:,} objects tracked; {found['full_collections']} in all)"
    )
    return found


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


async def _load(
    mock: servers.Server,
    reads: list[RequestSpec],
    writes: list[RequestSpec],
    seconds: float,
    connections: int,
    keys: int,
) -> dict[str, Any]:
    """The workers, the one-off keys and the probe, for ``seconds``; windows of a minute
    (a quarter of the run when it is shorter than four minutes)."""
    window_s = min(60.0, seconds / 4)
    last_window = max(1, int(seconds // window_s)) - 1  # answers after the end count there
    started = time.perf_counter()
    deadline = started + seconds
    windows: list[Window] = []
    rss_first: list[float] = []
    stalls: list[tuple[float, float]] = []  # (seconds waited, when in the run)

    def window() -> Window:
        index = min(int((time.perf_counter() - started) // window_s), last_window)
        while len(windows) <= index:
            if len(windows) == 1 and not rss_first:
                rss_first.append(mock.rss_bytes() / report.MB)  # the first window is over
            windows.append(Window())
        return windows[index]

    async def send(http: httpx.AsyncClient, spec: RequestSpec) -> None:
        began = time.perf_counter()
        response = await http.request(
            spec.method, spec.url, headers=spec.headers, content=spec.body or None
        )
        seen = window()
        seen.requests += 1
        seen.latencies.append(time.perf_counter() - began)
        if response.status_code >= 500:
            seen.server_errors += 1

    async def worker(http: httpx.AsyncClient, offset: int) -> None:
        turn = offset
        while time.perf_counter() < deadline:
            await send(http, reads[turn % len(reads)])
            turn += 1

    async def paced(http: httpx.AsyncClient, count: int, spec: Callable[[int], RequestSpec]) -> int:
        """``count`` requests spread evenly over the run; answers how many were sent."""
        sent = 0
        while sent < count and time.perf_counter() < deadline:
            due = started + sent * seconds / count
            await asyncio.sleep(max(0.0, due - time.perf_counter()))
            await send(http, spec(sent))
            sent += 1
        return sent

    async def probe() -> None:
        """On a connection of its own, so it never waits for the load's."""
        async with httpx.AsyncClient(base_url=mock.url, timeout=60) as own:
            while time.perf_counter() < deadline:
                began = time.perf_counter()
                await own.get("/_mock/health")
                stalls.append((time.perf_counter() - began, began - started))
                await asyncio.sleep(PROBE_EVERY)

    limits = httpx.Limits(max_connections=connections + 2)  # the workers and the paced two
    async with httpx.AsyncClient(base_url=mock.url, timeout=60, limits=limits) as http:
        writing = round(WRITES_PER_SECOND * seconds)
        *_, sent_keys, sent_writes, _ = await asyncio.gather(
            *(worker(http, n) for n in range(connections)),
            paced(http, keys, one_off),
            paced(http, writing, lambda n: writes[n % len(writes)]),
            probe(),
        )
    worst = max(stalls, default=(0.0, 0.0))
    return {
        "seconds": seconds,
        "connections": connections,
        "window_s": window_s,
        "one_off_keys": sent_keys,
        "writes": sent_writes,
        "requests": sum(w.requests for w in windows),
        "server_errors": sum(w.server_errors for w in windows),
        "rss_first_window_mb": rss_first[0] if rss_first else mock.rss_bytes() / report.MB,
        "longest_stall_ms": worst[0] * 1000,
        "longest_stall_at_s": worst[1],
        "probes": len(stalls),
        "p99_by_window_ms": [w.p99_ms() for w in windows],
        "first_window": windows[0] if windows else Window(),
        "last_window": windows[-1] if windows else Window(),
    }

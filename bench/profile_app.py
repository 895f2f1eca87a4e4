"""Where a request's time goes inside the app, without the server and the network.

Run by hand::

    python bench/profile_app.py                  # every vendor's GET and POST
    python bench/profile_app.py get cloudfactory  # one scenario
    python bench/profile_app.py --profile get clickworker
    python bench/profile_app.py --every-get      # each GET row of bench/surface.py
    python bench/profile_app.py --every-get --profile --match tasks/{task_id}

It prepares each vendor's scenarios as the load runs do, then calls the ASGI app
directly with the same request many times and prints microseconds per request (and,
with ``--profile``, the functions that take the most time). What remains of a load
run's per-request cost is uvicorn's and the network's.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import pstats
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

if __package__ in (None, ""):  # run as a script: make ``bench`` importable as a package
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from starlette.testclient import TestClient

from bench import scenarios, surface
from bench.load import RequestSpec
from mockserver.app import create_app
from mockserver.settings import Settings

BENCHES = {
    "cloudfactory": scenarios.CloudFactory,
    "crowdflower": scenarios.CrowdFlower,
    "clickworker": scenarios.Clickworker,
    "modelarts": scenarios.ModelArts,
}


def scope_of(spec: RequestSpec) -> dict[str, Any]:
    url = urlsplit(spec.url)
    headers = [(b"host", b"testserver")] + [
        (key.lower().encode(), value.encode()) for key, value in spec.headers.items()
    ]
    if spec.body:
        headers.append((b"content-length", str(len(spec.body)).encode()))
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": spec.method,
        "scheme": "http",
        "path": url.path,
        "raw_path": url.path.encode(),
        "query_string": url.query.encode(),
        "root_path": "",
        "headers": headers,
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8080),
    }


async def run(app: Any, spec: RequestSpec, count: int) -> float:
    """Seconds for ``count`` calls of the app with ``spec``."""
    scope = scope_of(spec)
    statuses: list[int] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": spec.body, "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            statuses.append(message["status"])

    started = time.perf_counter()
    for _ in range(count):
        await app(dict(scope), receive, send)
    elapsed = time.perf_counter() - started
    if set(statuses) != {spec.expect}:
        raise RuntimeError(f"{spec.method} {spec.url} answered {set(statuses)}")
    return elapsed


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("scenario", nargs="?", choices=("get", "post"))
    parser.add_argument("vendor", nargs="?", choices=tuple(BENCHES))
    parser.add_argument("--count", type=int, default=5000)
    parser.add_argument("--profile", action="store_true", help="print the top functions")
    parser.add_argument(
        "--every-get", action="store_true", help="the GET rows of the load runs instead"
    )
    parser.add_argument("--match", default="", help="with --every-get: rows whose route has it")
    args = parser.parse_args(argv)
    app = create_app(Settings(clock="manual", rate_limits=False))
    with TestClient(app) as client:
        if args.every_get:
            vendors = [args.vendor] if args.vendor else list(BENCHES)
            for row in surface.every_get(client, vendors):
                if row.spec is not None and row.recorded is not None and args.match in row.route:
                    label = f"{row.vendor} {row.route or '(root)'} [{row.media}]"
                    timed(app, row.spec, label, args.count, profile=args.profile)
            return
        for vendor, bench in BENCHES.items():
            if args.vendor not in (None, vendor):
                continue
            specs = bench().prepare(client)
            for name, spec in specs.items():
                if args.scenario not in (None, name):
                    continue
                timed(app, spec, f"{name:4} {vendor:12}", args.count, profile=args.profile)


def timed(app: Any, spec: RequestSpec, label: str, count: int, *, profile: bool) -> None:
    """Prints µs per request of ``count`` calls (and the top functions, with ``profile``)."""
    asyncio.run(run(app, spec, 200))  # warm up
    profiler = cProfile.Profile() if profile else None
    if profiler:
        profiler.enable()
    seconds = asyncio.run(run(app, spec, count))
    if profiler:
        profiler.disable()
    print(f"{seconds / count * 1e6:8.1f} µs/request  {label}", flush=True)
    if profiler:
        pstats.Stats(profiler).sort_stats("tottime").print_stats(25)


if __name__ == "__main__":
    main()

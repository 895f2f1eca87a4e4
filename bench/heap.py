"""The soak's end state in one process, in seconds: what the collector walks, and its pause.

Run by hand::

    python bench/heap.py                 # 10,000 one-off keys, 12,000 writes, as the soak
    python bench/heap.py --keys 1000 --writes 0 --types 30

The soak's longest stall is CPython's full garbage collection in the server, whose
pause grows with the objects it tracks. This builds what a ten-minute soak leaves (the
vendors' prepared tenants, the one-off keys' tenants up to the server's cap, the paced
writes, a full journal) by calling the ASGI app directly, with the import-time heap
frozen as ``mockserver serve`` freezes it, and prints the tracked objects, their number
per one-off tenant and per write, the types each phase added, and the time of
``gc.collect()``. It is deterministic (a manual clock, a fixed seed),
so two runs compare the heap, not the machine; only the pause is timed.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make ``bench`` importable as a package
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from starlette.testclient import TestClient

from bench import scenarios, soak
from bench.load import RequestSpec
from bench.profile_app import scope_of
from mockserver.app import create_app
from mockserver.settings import Settings

WRITES_PER_KEY = soak.WRITES_PER_SECOND / soak.KEYS_PER_SECOND  # 1.2 in the soak
JOURNAL_SIZE = 1000  # as bench/servers.py starts the server


async def send_all(app: Any, specs: Sequence[RequestSpec]) -> Counter[int]:
    """Calls the app once with each spec, in order; answers how many got each status."""
    statuses: Counter[int] = Counter()
    for spec in specs:

        async def receive(spec: RequestSpec = spec) -> dict[str, Any]:
            return {"type": "http.request", "body": spec.body, "more_body": False}

        async def send(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                statuses[message["status"]] += 1

        await app(scope_of(spec), receive, send)
    return statuses


def tracked_types() -> Counter[str]:
    """The objects the collector tracks, by type (frozen ones are not among them).

    Collected twice first: a collection stops tracking a tuple of untracked values, but
    a tuple holding tuples may need a second (a server's collections, hundreds between
    two full ones, leave none of these behind).
    """
    gc.collect()
    gc.collect()
    return Counter(type(o).__qualname__ for o in gc.get_objects())


def collect_ms(repeat: int = 9) -> float:
    """CPU milliseconds of a full collection of the heap as it is, the least of
    ``repeat``: on a shared machine, other processes only ever add to it (the wall time
    adds the slices they took, the CPU time only the cache they spoiled)."""
    times = []
    for _ in range(repeat):
        started = time.process_time()
        gc.collect()
        times.append((time.process_time() - started) * 1000)
    return min(times)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--keys", type=int, default=10_000, help="one-off keys (soak: 10,000)")
    parser.add_argument("--writes", type=int, default=None, help="paced writes (default 1.2 a key)")
    parser.add_argument("--types", type=int, default=12, help="types listed per phase")
    args = parser.parse_args(argv)
    writes = round(args.keys * WRITES_PER_KEY) if args.writes is None else args.writes
    out: Callable[[str], None] = print

    gc.collect()
    gc.freeze()  # as ``mockserver serve`` does before building the app
    # Rate limits off, as the soak's server runs: the load measures serving, not refusing.
    settings = Settings(clock="manual", seed=1, journal_size=JOURNAL_SIZE, rate_limits=False)
    app = create_app(settings)
    with TestClient(app) as client:
        prepared = [scenarios.BENCHES[v].prepare(client) for v in scenarios.VENDORS]
        tenants = app.sandbox.tenants  # counted as is: GET /_mock/tenants makes lazy parts
        out(f"prepared: {tracked_types().total():,} tracked objects, {len(tenants)} tenants")

        def phase(name: str, specs: Sequence[RequestSpec], per: int) -> None:
            """Sends ``specs`` and prints what they left tracked (``per``: the figure per what)."""
            before = tracked_types()
            statuses = asyncio.run(send_all(app, specs))
            after = tracked_types()
            added = after - before
            total = sum(after.values()) - sum(before.values())
            each = f", {total / per:.1f} per {name.split()[-1][:-1]}" if per else ""
            out(f"{len(specs):,} {name} {dict(statuses)}: {total:+,} tracked objects{each}")
            for kind, count in added.most_common(args.types):
                out(f"    {count:+9,} {kind}")

        # The workers' GETs keep the prepared tenants the most recently used, as in the
        # soak, so the cap evicts one-off tenants only; the journal fills with them.
        gets = [specs["get"] for specs in prepared]
        keys = [spec for n in range(args.keys) for spec in (soak.one_off(n), gets[n % 4])]
        phase("keys", keys, min(args.keys, app.settings.max_tenants))
        del keys  # the requests themselves are no part of the server's heap
        for vendor, specs in zip(scenarios.VENDORS, prepared, strict=True):
            share = writes // len(prepared)
            phase(f"{vendor} writes", [specs["post"]] * share, share)
        count = tracked_types().total()
        pause = collect_ms()
        out(
            f"end: {count:,} tracked objects ({gc.get_freeze_count():,} frozen), "
            f"{len(tenants):,} tenants; gc.collect() {pause:.1f} ms"
        )


if __name__ == "__main__":
    main()

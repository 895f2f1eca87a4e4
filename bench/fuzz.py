"""The deep fuzz: schemathesis' whole run, several seeds, against ``mockserver serve``.

The contract run of the test suite, made deep: the same preparation and phases
(:mod:`mockserver.testing.fuzzing`), with more examples per operation and one run per
seed, against a separate server process whose log is read afterwards for the
tracebacks behind any server error. Reported: requests by phase and status class,
server errors and conformance failures (distinct by operation and kind, with one
example each), and every distinct traceback the server logged.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

import requests

from mockserver.testing import fuzzing

from . import servers

TRACEBACK = re.compile(r"Traceback \(most recent call last\):\n(?:[ \t].*\n)+\S.*")


def deep_fuzz(
    seeds: Sequence[int], examples: int, vendors: Sequence[str], log: Callable[[str], None]
) -> dict[str, Any]:
    mock = servers.mock_server()
    tally = fuzzing.Tally()
    per_seed: list[dict[str, Any]] = []
    started = time.perf_counter()
    with servers.running(mock), requests.Session() as http:
        for seed in seeds:
            round_started = time.perf_counter()
            found = fuzzing.Tally()
            # fresh resources per seed: the previous seed's run may have deleted them
            for target in fuzzing.targets(mock.url, http, only=vendors):
                found.add(fuzzing.run(target, http, max_examples=examples, seed=seed))
            per_seed.append(
                {
                    "seed": seed,
                    "requests": found.sent,
                    "seconds": time.perf_counter() - round_started,
                }
            )
            log(
                f"  fuzz seed {seed}: {found.sent:,} requests, "
                f"{len(found.of('server error'))} server errors, "
                f"{len(found.findings) - len(found.of('server error'))} conformance failures"
            )
            tally.add(found)
        server_log = mock.log_text()
    server_errors = tally.of("server error")
    return {
        "seeds": list(seeds),
        "vendors": list(vendors),
        "examples": examples,
        "requests": tally.sent,
        "seconds": time.perf_counter() - started,
        "by_phase": dict(tally.requests),
        "by_status": dict(tally.statuses),
        "per_seed": per_seed,
        "server_errors": len(server_errors),
        "schema_violations": len(tally.findings) - len(server_errors),
        "distinct": _distinct(tally.findings),
        "tracebacks": _tracebacks(server_log),
        "engine_errors": tally.errors[:20],
    }


def _distinct(findings: list[fuzzing.Finding]) -> list[dict[str, Any]]:
    """One example per (kind, operation, status), with how often it happened."""
    counts: Counter[tuple[str, str, int | None]] = Counter()
    first: dict[tuple[str, str, int | None], fuzzing.Finding] = {}
    for found in findings:
        key = (found.kind, found.operation, found.status)
        counts[key] += 1
        first.setdefault(key, found)
    rows = []
    for key in sorted(counts, key=str):
        example = first[key]
        rows.append(
            {
                "kind": key[0],
                "operation": key[1],
                "status": key[2],
                "count": counts[key],
                "example": f"{example.method} {example.uri}",
                "body": example.body,
                "answer": example.answer,
            }
        )
    return rows


def _tracebacks(text: str) -> list[dict[str, Any]]:
    """Distinct tracebacks by their last line and the innermost frame, with counts."""
    counts: Counter[str] = Counter()
    example: dict[str, str] = {}
    for match in TRACEBACK.finditer(text):
        block = match.group(0)
        frames = re.findall(r'File "([^"]+)", line (\d+), in (\w+)', block)
        inner = ":".join(frames[-1]) if frames else "?"
        key = f"{block.splitlines()[-1]} at {inner}"
        counts[key] += 1
        example.setdefault(key, block[-3000:])
    return [{"error": key, "count": n, "traceback": example[key]} for key, n in counts.items()]

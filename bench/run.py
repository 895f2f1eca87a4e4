"""The benchmark suite in one command: ``python bench/run.py`` (``--help`` for options).

Starts a bare Starlette app and mockserver as separate one-worker uvicorn processes on
free loopback ports, loads them alternately with wrk (or a built-in httpx generator
when wrk is missing), measures start-up, memory, storage scale, CSV uploads, webhooks
and lifecycles, prints a table with a PASS/MISS per target and writes it as JSON and
Markdown. A full run writes to bench/results/; a ``--quick`` run (tiny sizes and
durations, figures not meaningful) writes to a temporary directory unless ``--output``
says otherwise, so quick results never land next to real ones.

Exit code: 0 when every section ran (MISSes included), 1 when a section failed.
"""

from __future__ import annotations

import argparse
import compileall
import os
import platform
import statistics
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make ``bench`` importable as a package
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx

import mockserver
from bench import fuzz, load, memory, peers, report, scenarios, servers, soak, surface

SECTIONS = ("get", "post", "lifecycle", "startup", "webhooks", "storage", "fuzz", "soak")
DEFAULT_SECTIONS = SECTIONS[:6]
"""The deep fuzz and the soak take minutes each: they run when ``--only`` names them."""
RESULTS_DIR = Path(__file__).resolve().parent / "results"
Log = Callable[[str], None]


def log(message: str) -> None:
    print(message, flush=True)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="bench/run.py", description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="tiny durations and sizes (10^4 items); results go to a temp dir",
    )
    parser.add_argument(
        "--duration",
        type=float,
        default=None,
        help="seconds per load run (default 1, --quick 0.5; wrk rounds up to 1 s)",
    )
    parser.add_argument("--connections", type=int, default=16, help="concurrent connections")
    parser.add_argument(
        "--rounds",
        type=int,
        default=None,
        help="alternating bare/mock rounds per scenario, the ratio being the median of the "
        "rounds' ratios (default 3, --quick 1)",
    )
    parser.add_argument(
        "--only",
        default=",".join(DEFAULT_SECTIONS),
        help=f"comma-separated sections among {', '.join(SECTIONS)} "
        f"(default: all but fuzz and soak)",
    )
    parser.add_argument(
        "--fuzz-seeds",
        default="1,2,3,4",
        help="comma-separated seeds of the deep fuzz, one schemathesis run each (--quick: 1)",
    )
    parser.add_argument(
        "--fuzz-examples",
        type=int,
        default=None,
        help="examples per operation and phase in the deep fuzz (default 30, --quick 1)",
    )
    parser.add_argument(
        "--soak-seconds",
        type=float,
        default=None,
        help="length of the soak (default 600, --quick 4)",
    )
    parser.add_argument(
        "--soak-keys",
        type=int,
        default=None,
        help="one-off keys in the soak (default 10,000 per 600 s of it)",
    )
    parser.add_argument(
        "--vendor",
        default=",".join(scenarios.VENDORS),
        help="comma-separated vendors for get, post, lifecycle, fuzz and the soak's steady load",
    )
    parser.add_argument(
        "--peers",
        action="store_true",
        help="also load WireMock and Prism (npm-installed into bench/.peers/)",
    )
    parser.add_argument(
        "--generator",
        choices=("auto", "wrk", "httpx"),
        default="auto",
        help="load generator; auto: wrk when installed, else httpx",
    )
    parser.add_argument(
        "--server",
        choices=servers.HTTP_SERVERS,
        default="uvicorn",
        help="the HTTP server mockserver runs under for get, post and lifecycle (the bare app "
        "always runs under uvicorn); granian must be installed (pip install granian)",
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=None,
        help="directory of the result files (default bench/results/, --quick: a new temp dir)",
    )
    args = parser.parse_args(argv)
    args.duration = args.duration or (0.5 if args.quick else 1.0)
    args.rounds = args.rounds or (1 if args.quick else 3)
    args.only = _choices(args.only, SECTIONS, "--only")
    seeds = [int(seed) for seed in args.fuzz_seeds.split(",") if seed.strip()]
    args.fuzz_seeds = seeds[:1] if args.quick else seeds
    args.fuzz_examples = args.fuzz_examples or (1 if args.quick else 30)
    args.soak_seconds = args.soak_seconds or (4.0 if args.quick else 600.0)
    args.vendor = _choices(args.vendor, scenarios.VENDORS, "--vendor")
    return args


def _choices(raw: str, known: Sequence[str], flag: str) -> list[str]:
    chosen = [item.strip() for item in raw.split(",") if item.strip()]
    unknown = [item for item in chosen if item not in known]
    if unknown:
        raise SystemExit(f"{flag}: unknown {', '.join(unknown)}; known: {', '.join(known)}")
    return chosen


def choose_generator(wanted: str) -> str:
    """wrk when asked or found; else says how to install it and falls back to httpx."""
    if wanted == "httpx":
        return "httpx"
    if load.wrk_path() is None:
        log(load.INSTALL_HINT)
        if wanted == "wrk":
            raise SystemExit(1)
        return "httpx"
    return "wrk"


def summarize(runs: list[load.LoadResult]) -> dict[str, Any]:
    """Medians over the rounds, and every run as measured."""
    return {
        "generator": runs[0].generator,
        "rps": statistics.median(r.rps for r in runs),
        "p50_ms": statistics.median(r.p50_ms for r in runs),
        "p99_ms": statistics.median(r.p99_ms for r in runs),
        "errors": sum(r.errors for r in runs),
        "runs": [r.as_dict() for r in runs],
    }


def compare(
    args: argparse.Namespace,
    generator: str,
    client: httpx.Client,
    bare: load.RequestSpec,
    mock: load.RequestSpec,
    refresh: Callable[[load.RequestSpec], load.RequestSpec] | None = None,
) -> dict[str, Any]:
    """Alternating bare and mock rounds of one request; the ratio of each round's pair."""
    runs: dict[str, list[load.LoadResult]] = {"bare": [], "mock": []}
    for _ in range(args.rounds):
        bare.check(client)
        runs["bare"].append(
            load.run_load(bare, args.duration, args.connections, generator=generator)
        )
        mock = refresh(mock) if refresh else mock
        mock.check(client)
        runs["mock"].append(
            load.run_load(mock, args.duration, args.connections, generator=generator)
        )
    row: dict[str, Any] = {"bare": summarize(runs["bare"]), "mock": summarize(runs["mock"])}
    # Each round's two runs are neighbours in time, so their ratio is what the machine's
    # drift (the bare app alone moves by half between runs here) disturbs least; the
    # median of those ratios is the result.
    row["round_ratios"] = [
        m.rps / b.rps if b.rps else 0.0 for b, m in zip(runs["bare"], runs["mock"], strict=True)
    ]
    row["ratio"] = statistics.median(row["round_ratios"])
    return row


def on_bare(bare: servers.Server, spec: load.RequestSpec) -> load.RequestSpec:
    """The same request sent to the bare app: the same path, query, headers and body."""
    url = httpx.URL(spec.url)
    target = httpx.URL(bare.url).copy_with(path=url.path, query=url.query or None)
    return load.RequestSpec(spec.method, str(target), spec.headers, spec.body, spec.expect)


def throughput(args: argparse.Namespace, generator: str, results: dict[str, Any]) -> None:
    """Every GET of every vendor and each vendor's validated POST, alternating the mock
    with a bare app answering the bytes the mock answered; then lifecycles."""
    mock, receiver = servers.mock_server(args.server), servers.receiver_server()
    with (
        servers.running(mock, receiver),
        httpx.Client(base_url=mock.url, timeout=60) as client,
        tempfile.TemporaryDirectory(prefix="bench-bare-") as tmp,
    ):
        table = surface.Table()
        rows = list(surface.every_get(client, args.vendor)) if "get" in args.only else []
        for row in rows:
            if row.spec is not None and row.recorded is not None:
                table.add(row.spec, row.recorded)
        posts: dict[str, load.RequestSpec] = {}
        if "post" in args.only:
            for vendor in args.vendor:
                posts[vendor] = scenarios.BENCHES[vendor].prepare(client)["post"]
                table.add(posts[vendor], surface.record(posts[vendor].check(client)))
        measured = sum(row.recorded is not None for row in rows)
        log(f"  {len(rows)} GET rows ({measured} measured), {len(posts)} POSTs")
        bare = servers.bare_server(table.write(Path(tmp) / "table.json"))
        with servers.running(bare):
            found = results["throughput"]
            for row in rows:
                entry = row.as_dict()
                if row.spec is not None and row.recorded is not None:
                    same = on_bare(bare, row.spec)
                    entry.update(compare(args, generator, client, same, row.spec))
                    entry["check"] = report.verdict("get", entry["ratio"])
                found.setdefault("get", []).append(entry)
                log_row("get", entry)
            for vendor, spec in posts.items():
                bench = scenarios.BENCHES[vendor]
                served = surface.vendor(vendor)
                kind = spec.headers.get("Content-Type", "").split(";")[0].rsplit("/", 1)[-1]
                route = surface.route_of(served, spec.method, spec.url)
                entry = {"vendor": vendor, "route": route, "media": kind, "measured": True}
                entry.update(compare(args, generator, client, on_bare(bare, spec), spec,
                                     bench.refresh))  # fmt: skip
                entry["check"] = report.verdict("post", entry["ratio"])
                found.setdefault("post", []).append(entry)
                log_row("post", entry)
        if "lifecycle" in args.only:
            for vendor in args.vendor:
                lifecycle = scenarios.lifecycles_per_second(
                    scenarios.BENCHES[vendor], client, receiver.url, args.duration
                )
                results["lifecycle"][vendor] = lifecycle
                log(
                    f"  lifecycle {vendor:<12} {lifecycle['lifecycles_per_s']:.1f}/s "
                    f"({lifecycle['lifecycles']} in {lifecycle['seconds']:.2f} s, "
                    f"{lifecycle['webhooks']} webhooks)"
                )


def log_row(scenario: str, entry: dict[str, Any]) -> None:
    where = f"  {scenario:<4} {entry['vendor']:<12} {report.route_of(entry)} [{entry['media']}]"
    if not entry["measured"]:
        log(f"{where}  not measured: {entry['reason']}")
        return
    log(
        f"{where}  bare {entry['bare']['rps']:,.0f}  mock {entry['mock']['rps']:,.0f} req/s  "
        f"ratio {entry['ratio']:.2f}  {report.mark(entry['check'])}"
    )


def startup(args: argparse.Namespace, results: dict[str, Any]) -> None:
    """Median of N starts each, alternating; RSS read once the server has idled a moment.

    The package is byte-compiled first, as an installed one is: an editable checkout
    run with PYTHONDONTWRITEBYTECODE would otherwise compile every module at each start.
    """
    count, settle = (2, 0.1) if args.quick else (10, 1.0)
    compileall.compile_dir(Path(mockserver.__file__).parent, quiet=1)
    seconds: dict[str, list[float]] = {"bare": [], "mock": []}
    rss: dict[str, list[int]] = {"bare": [], "mock": []}
    for _ in range(count):
        for name, make in (("bare", servers.bare_server), ("mock", servers.mock_server)):
            with servers.running(make()) as (server,):
                seconds[name].append(server.startup_s)
                time.sleep(settle)
                rss[name].append(server.rss_bytes())
    bare_s, mock_s = statistics.median(seconds["bare"]), statistics.median(seconds["mock"])
    mock_rss = statistics.median(rss["mock"])
    results["startup"] = {
        "starts": count,
        "bare_s": bare_s,
        "mock_s": mock_s,
        "ratio": mock_s / bare_s,
        "all_s": seconds,
        "check": report.verdict("startup", mock_s / bare_s),
    }
    results["idle_rss"] = {
        "bare_mb": statistics.median(rss["bare"]) / report.MB,
        "mock_mb": mock_rss / report.MB,
        "check": report.verdict("idle_rss", mock_rss / report.MB),
    }
    log(
        f"  start-up bare {bare_s * 1000:.0f} ms, mock {mock_s * 1000:.0f} ms; idle RSS "
        f"bare {results['idle_rss']['bare_mb']:.1f} MB, mock {mock_rss / report.MB:.1f} MB"
    )


def storage(args: argparse.Namespace, results: dict[str, Any]) -> None:
    """One collection per size side by side, timed in interleaved rounds (see bench.memory).

    Nine rounds of 200 calls per probe take about a minute and hold the figure within a
    few percent from run to run; the quick run's two rounds of 10 only exercise the shape.
    """
    sizes = (10, 1_000, 10_000) if args.quick else (10, 10_000, 1_000_000)
    samples, rounds = (10, 2) if args.quick else (200, 9)
    with servers.running(servers.mock_server()) as (mock,):
        found = memory.storage_scale(mock, sizes, rounds, samples, log)
    checks = {}
    for name in ("crowdflower_units", "modelarts_samples"):
        row = found[name]
        checks[f"bytes per {name}"] = report.verdict("bytes_per_item", row["bytes_per_item"])
        checks[f"GET flatness {name}"] = report.verdict("flatness", row["get_flatness"])
        checks[f"list flatness {name}"] = report.verdict("flatness", row["list_page_flatness"])
        log(
            f"  {name}: {row['bytes_per_item']:,.0f} B/item, GET max/min "
            f"{row['get_flatness']:.2f}, list max/min {row['list_page_flatness']:.2f} "
            f"(medians of {rounds} rounds' ratios)"
        )
    found["checks"] = checks
    results["storage"] = found
    rows_per_s = found["crowdflower_units"]["csv_rows_per_s"]
    results["csv_upload"] = {
        "rows": found["crowdflower_units"]["items"],
        "rows_per_s": rows_per_s,
        "check": report.verdict("csv_upload", rows_per_s),
    }
    log(f"  CSV upload {rows_per_s:,.0f} rows/s")


def webhooks(args: argparse.Namespace, results: dict[str, Any]) -> None:
    """The median of three jobs' delivery rates (one with ``--quick``), each job in a
    tenant of its own: a single job's second or so moved by a third between runs."""
    units, jobs = (100, 1) if args.quick else (2000, 3)
    mock, receiver = servers.mock_server(), servers.receiver_server()
    with servers.running(mock, receiver), httpx.Client(base_url=mock.url, timeout=300) as client:
        # a first, smaller job pays what happens once per server (the HTTP client's
        # import, its first connections); the jobs after it are the rate
        cold = scenarios.webhook_deliveries(client, receiver.url, units // 10, "benchcf8warmup")
        rows = [
            scenarios.webhook_deliveries(client, receiver.url, units, f"benchcf8hooks{job:07d}")
            for job in range(jobs)
        ]
    row = sorted(rows, key=lambda r: r["deliveries_per_s"])[len(rows) // 2]
    row["jobs_deliveries_per_s"] = [r["deliveries_per_s"] for r in rows]
    row["cold_deliveries_per_s"] = cold["deliveries_per_s"]
    row["check"] = report.verdict("webhooks", row["deliveries_per_s"])
    results["webhooks"] = row
    each = ", ".join(f"{rate:,.0f}" for rate in row["jobs_deliveries_per_s"])
    log(
        f"  webhooks {row['deliveries']} in {row['advance_seconds']:.2f} s: "
        f"{row['deliveries_per_s']:,.0f}/s, the median of {each} "
        f"(first job, cold: {cold['deliveries_per_s']:,.0f}/s)"
    )


def fuzz_section(args: argparse.Namespace, results: dict[str, Any]) -> None:
    found = fuzz.deep_fuzz(args.fuzz_seeds, args.fuzz_examples, args.vendor, log)
    found["checks"] = {
        "fuzz requests": report.verdict("fuzz_requests", found["requests"]),
        "fuzz server errors": report.verdict("server_errors", found["server_errors"]),
        "fuzz schema violations": report.verdict("schema_violations", found["schema_violations"]),
    }
    results["fuzz"] = found
    for row in found["distinct"]:
        log(f"    {row['count']:>5} x {row['kind']} in {row['operation']} ({row['status']})")
    for row in found["tracebacks"]:
        log(f"    {row['count']:>5} x {row['error']}")


def soak_section(args: argparse.Namespace, results: dict[str, Any]) -> None:
    results["soak"] = soak.soak(
        args.soak_seconds,
        args.connections,
        args.soak_keys,
        args.vendor,
        log,
        idle=1.0 if args.quick else soak.IDLE_MEASURE,
    )


def peer_section(args: argparse.Namespace, generator: str, results: dict[str, Any]) -> None:
    ready, skipped = peers.peer_servers()
    for name, reason in skipped.items():
        log(f"  peer {name} skipped: {reason}")
    found: dict[str, Any] = {}
    bare = servers.bare_server()
    with servers.running(bare):
        spec = load.RequestSpec("GET", f"{bare.url}/item")
        found["bare"] = summarize(
            [load.run_load(spec, args.duration, args.connections, generator=generator)]
        )
        for peer in ready:
            try:
                with servers.running(peer):
                    spec = load.RequestSpec("GET", f"{peer.url}/item")
                    load.run_load(
                        spec, args.duration, args.connections, generator=generator
                    )  # JIT warm-up
                    row = summarize(
                        [load.run_load(spec, args.duration, args.connections, generator=generator)]
                    )
            except RuntimeError as exc:
                skipped[peer.name] = str(exc).splitlines()[0]
                continue
            row["ratio"] = row["rps"] / found["bare"]["rps"]
            found[peer.name] = row
            log(f"  peer {peer.name}: {row['rps']:,.0f} req/s ({row['ratio']:.2f}x bare)")
    results["peers"] = {"results": found, "skipped": skipped}


def new_results(args: argparse.Namespace, generator: str) -> dict[str, Any]:
    notes = [
        "servers: one uvicorn worker each, separate processes, uvicorn's default logging "
        "(no access log) for both; mockserver runs `mockserver serve "
        + " ".join(servers.MOCK_FLAGS)
        + "` and its defaults otherwise",
        "GET rows: every GET route of every vendor (bench/surface.py), set up from the bundled "
        "fixtures and the vendors' create calls; the bare app answers, at the same path, the "
        "status, Content-Type and body the mock answered to a repeated call",
        "ModelArts GET uses an IAM token (X-Auth-Token); the ModelArts POST "
        "(UploadSamplesJson) carries an SDK-HMAC-SHA256 signature computed just before each "
        "load run and replayed, valid because X-Sdk-Date stays within the 15-minute skew",
        "CrowdFlower unit create is a form POST (key in the query); clickworker task create "
        "is XML with Basic auth; CloudFactory task_reviewed is JSON with x-api-key",
        "lifecycles and webhooks use the built-in httpx client (sequential): they measure "
        "the sandbox's clock and webhook path, not raw HTTP",
    ]
    if generator == "wrk":
        notes.append(f"wrk: 1 thread, {args.connections} connections, bench/wrk/bench.lua")
    return {
        "meta": {
            "timestamp": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "quick": args.quick,
            "duration": args.duration,
            "connections": args.connections,
            "rounds": args.rounds,
            "generator": generator,
            "server": args.server,
            "sections": args.only + (["peers"] if args.peers else []),
            "vendors": args.vendor,
            "python": platform.python_version(),
            "cpu_count": os.cpu_count(),
            "loadavg": " ".join(f"{x:.2f}" for x in os.getloadavg()),
            "notes": notes,
        },
        "throughput": {},
        "lifecycle": {},
        "errors": [],
    }


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    generator = choose_generator(args.generator)
    results = new_results(args, generator)
    steps: list[tuple[str, Callable[[], None]]] = []
    if {"get", "post", "lifecycle"} & set(args.only):
        steps.append(("throughput", lambda: throughput(args, generator, results)))
    if "startup" in args.only:
        steps.append(("startup", lambda: startup(args, results)))
    if "webhooks" in args.only:
        steps.append(("webhooks", lambda: webhooks(args, results)))
    if "storage" in args.only:  # after the others: the machine takes a while to settle
        steps.append(("storage", lambda: storage(args, results)))  # from its gigabytes
    if "fuzz" in args.only:
        steps.append(("fuzz", lambda: fuzz_section(args, results)))
    if "soak" in args.only:
        steps.append(("soak", lambda: soak_section(args, results)))
    if args.peers:
        steps.append(("peers", lambda: peer_section(args, generator, results)))
    seconds = results["meta"]["section_seconds"] = {}
    for name, step in steps:
        log(f"[{name}]")
        started = time.perf_counter()
        try:
            step()
        except Exception as exc:  # a failed section is reported; the others still run
            traceback.print_exc()
            results["errors"].append(f"{name}: {type(exc).__name__}: {exc}")
        seconds[name] = round(time.perf_counter() - started, 1)
    results["checks"] = report.collect_checks(results)
    output = args.output or (
        Path(tempfile.mkdtemp(prefix="mockserver-bench-quick-")) if args.quick else RESULTS_DIR
    )
    json_path, md_path = report.write(results, output)
    print()
    print(report.markdown(results))
    print(f"results: {json_path} and {md_path} (and latest.json/.md beside them)")
    return 1 if results["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())

"""Targets, the printed table and the result files (JSON and Markdown).

Every figure sits next to its target and a PASS/MISS. Throughput targets are ratios to
the bare app measured in the same run, so they hold on any machine; absolute figures
depend on the machine and its load and only compare within one run.
"""

from __future__ import annotations

import json
import statistics
from pathlib import Path
from typing import Any

MB = 1024 * 1024
# name: (what is compared, how: ">=" or "<=", the target, its unit)
TARGETS: dict[str, tuple[str, str, float, str]] = {
    "get": ("mock/bare req/s, the worst GET", ">=", 0.80, "x"),
    "post": ("mock/bare req/s, the worst validated POST", ">=", 0.60, "x"),
    "startup": ("start-up, mock/bare", "<=", 1.5, "x"),
    "idle_rss": ("idle RSS", "<=", 60.0, "MB"),
    "bytes_per_item": ("RSS per stored item", "<=", 1024.0, "B"),
    "flatness": ("latency max/min across sizes", "<=", 1.15, "x"),
    "csv_upload": ("CSV upload", ">=", 100_000.0, "rows/s"),
    "webhooks": ("webhook deliveries", ">=", 2_000.0, "/s"),
    "fuzz_requests": ("generated requests", ">=", 50_000.0, ""),
    "server_errors": ("server errors", "<=", 0.0, ""),
    "schema_violations": ("answers the documents do not allow", "<=", 0.0, ""),
    "rss_growth": ("RSS growth after the first window", "<=", 50.0, "MB"),
    "idle_cpu": ("idle CPU after the load", "<=", 2.0, "%"),
    "p99_drift": ("p99 drift, last window to first", "<=", 20.0, "%"),
    "stall": ("longest health-probe wait", "<=", 100.0, "ms"),
}


def verdict(target: str, value: float | None) -> dict[str, Any]:
    """``{"value", "target", "op", "pass"}``; a missing value is a MISS, never a pass."""
    _, op, bound, unit = TARGETS[target]
    passed = value is not None and (value >= bound if op == ">=" else value <= bound)
    return {"value": value, "target": bound, "op": op, "unit": unit, "pass": passed}


def mark(check: dict[str, Any]) -> str:
    return "PASS" if check["pass"] else "MISS"


def _num(value: float | None, digits: int = 0) -> str:
    return "-" if value is None else f"{value:,.{digits}f}"


def route_of(row: dict[str, Any]) -> str:
    """A row's route as shown; the empty one is the vendor's root (ModelArts' discovery)."""
    return str(row["route"]) or "(root)"


def measured_rows(results: dict[str, Any], scenario: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = results.get("throughput", {}).get(scenario, [])
    return [row for row in rows if row["measured"]]


def worst_row(results: dict[str, Any], scenario: str) -> dict[str, Any] | None:
    """The measured row of the lowest ratio: what the target judges."""
    rows = measured_rows(results, scenario)
    return min(rows, key=lambda row: row["ratio"]) if rows else None


def collect_checks(results: dict[str, Any]) -> list[dict[str, Any]]:
    """Every target verdict in the results, flattened for the summary and the exit code."""
    checks = []
    for scenario in ("get", "post"):
        worst = worst_row(results, scenario)
        if worst is not None:
            name = f"{scenario} worst: {worst['vendor']} {route_of(worst)} [{worst['media']}]"
            checks.append({"name": name, **verdict(scenario, worst["ratio"])})
    for name in ("startup", "idle_rss", "csv_upload", "webhooks"):
        if name in results and "check" in results[name]:
            checks.append({"name": name, **results[name]["check"]})
    for section in ("storage", "fuzz", "soak"):
        for name, check in results.get(section, {}).get("checks", {}).items():
            checks.append({"name": name, **check})
    return checks


def markdown(results: dict[str, Any]) -> str:
    meta = results["meta"]
    out = [
        f"# mockserver benchmark, {meta['timestamp']}",
        "",
        f"{'QUICK RUN (tiny durations: figures are not meaningful). ' if meta['quick'] else ''}"
        f"One worker per server on 127.0.0.1 (mockserver under {meta.get('server', 'uvicorn')}, "
        f"the bare app under uvicorn), {meta['cpu_count']} CPUs, load average "
        f"{meta['loadavg']} at start; generator `{meta['generator']}`, {meta['duration']} s per "
        f"load run, {meta['connections']} connections, {meta['rounds']} alternating "
        "bare/mock rounds (req/s and latencies are medians; a ratio is the median of the "
        "rounds' own ratios). Absolute figures are noisy on a shared machine; the ratios to "
        "the bare Starlette app of the same run are what the targets judge.",
        "",
        "Run time by section: "
        + ", ".join(f"{name} {sec:,.0f} s" for name, sec in meta["section_seconds"].items())
        + ".",
        "",
    ]
    out += [f"- {note}" for note in meta["notes"]]
    out += [
        "",
        "## Throughput (ratio to a bare app answering the same bytes)",
        "",
    ]
    out += _throughput_summary(results)
    out += [
        "",
        "| scenario | vendor | route | media | bare req/s | mock req/s | ratio | "
        "p50 ms bare/mock | p99 ms bare/mock | errors | result | note |",
        "| --- | --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |",
    ]
    for scenario, rows in results.get("throughput", {}).items():
        for row in rows:
            where = f"| {scenario} | {row['vendor']} | `{route_of(row)}` | {row['media']} |"
            if not row["measured"]:
                out.append(f"{where} | | | | | | | not measured | {row['reason']} |")
                continue
            bare, mock, check = row["bare"], row["mock"], row["check"]
            out.append(
                f"{where} {_num(bare['rps'])} | {_num(mock['rps'])} | {_num(row['ratio'], 2)} | "
                f"{_num(bare['p50_ms'], 2)} / {_num(mock['p50_ms'], 2)} | "
                f"{_num(bare['p99_ms'], 2)} / {_num(mock['p99_ms'], 2)} | "
                f"{mock['errors']} | {mark(check)} | {row.get('note', '')} |"
            )
    if results.get("lifecycle"):
        out += [
            "",
            "## Lifecycles (create, advance the clock, poll, webhooks)",
            "",
            "| vendor | generator | lifecycles | seconds | lifecycles/s | webhooks |",
            "| --- | --- | ---: | ---: | ---: | ---: |",
        ]
        for vendor, row in results["lifecycle"].items():
            out.append(
                f"| {vendor} | {row['generator']} | {row['lifecycles']} | "
                f"{row['seconds']:.2f} | {row['lifecycles_per_s']:.1f} | {row['webhooks']} |"
            )
    storage = results.get("storage")
    if storage:
        out += [
            "",
            f"## Storage at scale (one collection of each size {storage['checkpoints']})",
            "",
            "Every size's collection lives side by side in one server. ms by size is the "
            f"median over {storage['rounds']} interleaved rounds of the server's own time "
            "(its journal). Each round times all sizes seconds apart; max/min compares each "
            "size's median share of its round's mean, so the machine's drift between rounds "
            "does not pass for a size effect.",
            "",
            "| collection | items | bytes/item | GET ms by size | list page ms by size | "
            "GET max/min | list max/min |",
            "| --- | ---: | ---: | --- | --- | ---: | ---: |",
        ]
        for name in ("crowdflower_units", "modelarts_samples"):
            row = storage[name]
            gets = ", ".join(f"{n}: {ms:.2f}" for n, ms in row["get_ms"].items())
            pages = ", ".join(f"{n}: {ms:.2f}" for n, ms in row["list_page_ms"].items())
            out.append(
                f"| {name} | {row['items']:,} | {row['bytes_per_item']:,.0f} | {gets} | "
                f"{pages} | {row['get_flatness']:.2f} | {row['list_page_flatness']:.2f} |"
            )
    out += _fuzz_markdown(results.get("fuzz")) + _soak_markdown(results.get("soak"))
    if results.get("peers"):
        peers = results["peers"]
        out += [
            "",
            "## Peers (stateful GET, same generator)",
            "",
            "| server | req/s | p50 ms | p99 ms | ratio to bare |",
            "| --- | ---: | ---: | ---: | ---: |",
        ]
        for name, row in peers.get("results", {}).items():
            out.append(
                f"| {name} | {_num(row['rps'])} | {_num(row['p50_ms'], 2)} | "
                f"{_num(row['p99_ms'], 2)} | {_num(row.get('ratio'), 2)} |"
            )
        for name, reason in peers.get("skipped", {}).items():
            out.append(f"| {name} | skipped: {reason} | | | |")
    out += [
        "",
        "## Targets",
        "",
        "| target | value | bound | result |",
        "| --- | ---: | ---: | --- |",
    ]
    for check in results["checks"]:
        out.append(
            f"| {check['name']} | {_num(check['value'], 2)} {check['unit']} | "
            f"{check['op']} {check['target']:,} {check['unit']} | {mark(check)} |"
        )
    if results.get("errors"):
        out += ["", "## Errors", ""] + [f"- {e}" for e in results["errors"]]
    return "\n".join(out) + "\n"


def _throughput_summary(results: dict[str, Any]) -> list[str]:
    """Per scenario: how many rows, how many pass, the median ratio and the worst."""
    out = []
    for scenario in ("get", "post"):
        rows = results.get("throughput", {}).get(scenario, [])
        measured = measured_rows(results, scenario)
        if not rows:
            continue
        _, op, bound, _ = TARGETS[scenario]
        line = f"- {scenario.upper()}: {len(rows)} rows, {len(measured)} measured"
        if measured:
            worst = worst_row(results, scenario)
            assert worst is not None
            passing = sum(verdict(scenario, row["ratio"])["pass"] for row in measured)
            median = statistics.median(row["ratio"] for row in measured)
            line += (
                f", {passing} at {op} {bound:.2f}x; median ratio {median:.2f}, worst "
                f"{worst['ratio']:.2f} ({worst['vendor']} `{route_of(worst)}` {worst['media']})"
            )
        out.append(line)
    return out


def _fuzz_markdown(fuzz: dict[str, Any] | None) -> list[str]:
    if not fuzz:
        return []
    phases = ", ".join(f"{phase} {count:,}" for phase, count in fuzz["by_phase"].items())
    statuses = ", ".join(f"{kind} {count:,}" for kind, count in sorted(fuzz["by_status"].items()))
    out = [
        "",
        "## Deep fuzz (schemathesis, every phase, every vendor)",
        "",
        f"{fuzz['requests']:,} requests in {fuzz['seconds']:.0f} s over seeds "
        f"{', '.join(map(str, fuzz['seeds']))}, {fuzz['examples']} examples per operation "
        f"({phases}; {statuses}): {fuzz['server_errors']} server errors, "
        f"{fuzz['schema_violations']} answers the documents do not allow, "
        f"{len(fuzz['tracebacks'])} distinct tracebacks in the server log.",
    ]
    if fuzz["distinct"]:
        out += [
            "",
            "| kind | operation | status | count | example |",
            "| --- | --- | ---: | ---: | --- |",
        ]
        for row in fuzz["distinct"]:
            example = row["example"].replace("|", "%7C")[:160]
            out.append(
                f"| {row['kind']} | {row['operation']} | {row['status']} | {row['count']} | "
                f"`{example}` |"
            )
    return out


def _soak_markdown(soak: dict[str, Any] | None) -> list[str]:
    if not soak:
        return []
    windows = ", ".join(_num(p99, 2) for p99 in soak["p99_by_window_ms"])
    return [
        "",
        "## Soak (mixed load, one-off keys)",
        "",
        f"{soak['seconds']:.0f} s, {soak['connections']} workers, {soak['requests']:,} requests, "
        f"{soak['one_off_keys']:,} one-off keys ({soak['tenants']:,} tenants at the end), "
        f"{soak['probes']:,} health probes. p99 ms by {soak['window_s']:.0f} s window: {windows}.",
        "",
        "| server errors | RSS first window / end MB | idle CPU % | p99 first / last ms | "
        "drift % | longest stall ms |",
        "| ---: | ---: | ---: | ---: | ---: | ---: |",
        f"| {soak['server_errors']} | {soak['rss_first_window_mb']:.1f} / "
        f"{soak['rss_end_mb']:.1f} | {soak['idle_cpu_percent']:.1f} | "
        f"{_num(soak['p99_first_window_ms'], 2)} / {_num(soak['p99_last_window_ms'], 2)} | "
        f"{_num(soak['p99_drift_percent'], 1)} | {soak['longest_stall_ms']:.0f} |",
    ]


def write(results: dict[str, Any], directory: Path) -> tuple[Path, Path]:
    """``<timestamp>.json/.md`` and ``latest.json/.md`` in ``directory``."""
    directory.mkdir(parents=True, exist_ok=True)
    stamp = results["meta"]["timestamp"].replace(":", "").replace("-", "")
    text = json.dumps(results, indent=2, sort_keys=False, default=str) + "\n"
    table = markdown(results)
    for name in (stamp, "latest"):
        (directory / f"{name}.json").write_text(text)
        (directory / f"{name}.md").write_text(table)
    return directory / f"{stamp}.json", directory / f"{stamp}.md"

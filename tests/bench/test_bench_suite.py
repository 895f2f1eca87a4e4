"""The benchmark suite runs end to end and writes well-formed results.

No assertion here is about speed: durations and sizes are tiny, and only the shape of
what the suite produces is checked. One test hides wrk so the httpx fallback runs on
any machine; the wrk test says why it is skipped when wrk is not installed.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import load, report, run  # noqa: E402
from bench.scenarios import VENDORS  # noqa: E402

THROUGHPUT_KEYS = {"generator", "rps", "p50_ms", "p99_ms", "errors", "runs"}
CHECK_KEYS = {"value", "target", "op", "unit", "pass"}


def _results(directory: Path) -> dict[str, Any]:
    latest = json.loads((directory / "latest.json").read_text())
    stamped = [p for p in directory.glob("*.json") if p.name != "latest.json"]
    assert len(stamped) == 1 and json.loads(stamped[0].read_text()) == latest
    assert (directory / "latest.md").read_text() == stamped[0].with_suffix(".md").read_text()
    return latest


def test_the_whole_suite_runs_without_wrk_on_the_httpx_fallback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(load, "wrk_path", lambda: None)
    code = run.main(["--quick", "--duration", "0.05", "--connections", "4",
                     "--output", str(tmp_path)])  # fmt: skip
    printed = capsys.readouterr().out
    assert "apt-get install wrk" in printed
    results = _results(tmp_path)
    assert code == 0, results["errors"]
    assert results["errors"] == []
    assert results["meta"]["quick"] is True and results["meta"]["generator"] == "httpx"

    for vendor in VENDORS:
        row = results["lifecycle"][vendor]
        assert row["generator"] == "httpx" and row["lifecycles"] >= 1
        assert row["lifecycles_per_s"] > 0
    gets, posts = results["throughput"]["get"], results["throughput"]["post"]
    assert {row["vendor"] for row in gets} == {row["vendor"] for row in posts} == set(VENDORS)
    for row in gets + posts:
        assert row["measured"], row
        assert THROUGHPUT_KEYS <= set(row["bare"]) and THROUGHPUT_KEYS <= set(row["mock"])
        assert row["mock"]["generator"] == "httpx" and row["mock"]["errors"] == 0
        assert row["bare"]["errors"] == 0  # the bare app answered every path it was sent
        assert row["ratio"] > 0 and CHECK_KEYS <= set(row["check"])

    for section in ("startup", "idle_rss", "csv_upload", "webhooks"):
        assert CHECK_KEYS <= set(results[section]["check"]), section
    assert results["webhooks"]["deliveries"] > 0
    assert results["webhooks"]["jobs_deliveries_per_s"] == [
        results["webhooks"]["deliveries_per_s"]
    ]  # one job in a quick run, so the median is that job's rate
    assert results["storage"]["rounds"] == 2
    for name in ("crowdflower_units", "modelarts_samples"):
        storage = results["storage"][name]
        assert storage["items"] == 10 + 1000 + 10_000  # one collection per size
        assert set(storage["get_ms"]) == set(storage["list_page_ms"]) == {"10", "1000", "10000"}
        for figure in ("get", "list_page"):
            ratios = storage[f"{figure}_round_ratios"]
            assert len(ratios) == 2 and all(ratio >= 1 for ratio in ratios)
            # two rounds: each size's median share is a mean, so their ratio is at most
            # the larger round's max/min
            assert 1 <= storage[f"{figure}_flatness"] <= max(ratios)
    assert len(results["checks"]) == 2 + 4 + 6  # the worst GET and POST, single figures, storage

    table = (tmp_path / "latest.md").read_text()
    assert "QUICK RUN" in table
    for heading in ("## Throughput", "## Lifecycles", "## Storage at scale", "## Targets"):
        assert heading in table
    for row in gets + posts:
        assert f"| {row['vendor']} | `{report.route_of(row)}` | {row['media']} |" in table
    assert table in printed


@pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk is not installed: apt-get install wrk")
def test_a_wrk_run_of_one_scenario(tmp_path: Path) -> None:
    code = run.main(["--quick", "--only", "get", "--vendor", "cloudfactory", "--connections", "4",
                     "--output", str(tmp_path)])  # fmt: skip
    results = _results(tmp_path)
    assert code == 0, results["errors"]
    for row in results["throughput"]["get"]:
        assert row["mock"]["generator"] == "wrk" and row["bare"]["generator"] == "wrk"
        assert row["mock"]["runs"][0]["requests"] > 0 and row["mock"]["errors"] == 0
        assert row["bare"]["errors"] == 0


def test_a_quick_run_without_output_goes_to_a_temporary_directory() -> None:
    args = run.parse_args(["--quick"])
    assert args.output is None and args.duration == 0.5 and args.rounds == 1
    assert (run.parse_args([]).duration, run.parse_args([]).rounds) == (1.0, 3)
    with pytest.raises(SystemExit):
        run.parse_args(["--only", "nothing"])


def test_the_deep_fuzz_and_the_soak_run_when_asked(tmp_path: Path) -> None:
    code = run.main(["--quick", "--only", "fuzz,soak", "--vendor", "cloudfactory",
                     "--soak-seconds", "2", "--connections", "2",
                     "--output", str(tmp_path)])  # fmt: skip
    results = _results(tmp_path)
    assert code == 0, results["errors"]
    fuzz = results["fuzz"]
    assert fuzz["vendors"] == ["cloudfactory"] and fuzz["seeds"] == [1]
    assert set(fuzz["by_phase"]) == {"examples", "coverage", "fuzzing", "stateful"}
    assert fuzz["requests"] == sum(fuzz["by_phase"].values()) > 0
    soak = results["soak"]
    assert soak["one_off_keys"] > 0 and soak["requests"] > soak["one_off_keys"]
    assert soak["tenants"] >= soak["one_off_keys"]  # each one-off key opened a tenant
    assert soak["probes"] > 0 and len(soak["p99_by_window_ms"]) == 4
    names = {check["name"] for check in results["checks"]}
    assert {"fuzz requests", "fuzz server errors", "soak longest stall", "soak p99 drift"} <= names
    table = (tmp_path / "latest.md").read_text()
    assert "## Deep fuzz" in table and "## Soak" in table


def test_the_deep_fuzz_and_the_soak_are_left_out_unless_asked() -> None:
    assert {"fuzz", "soak"}.isdisjoint(run.parse_args([]).only)
    quick = run.parse_args(["--quick", "--only", "fuzz"])
    assert quick.fuzz_seeds == [1] and quick.fuzz_examples == 1 and quick.soak_seconds == 4.0

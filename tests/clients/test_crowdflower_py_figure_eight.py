"""py-figure-eight 0.3.5 (PyPI), unmodified, through a whole job against a live sandbox.

It calls https://api.figure-eight.com/v1 and nothing else (its ``delete_job`` spells the
URL out), so its requests reach the sandbox with that host (see ``vendor_hosts``); it
sleeps while it waits for data or reports, and the sandbox's clock moves instead.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

import httpx
import pandas as pd
import pytest
from client_kit import Calls, SimClock

from mockserver.testing import ServerThread

KEY = "pfe0e0000000000000000"
CML = (
    '<cml:radios label="Sentiment" name="sentiment" validates="required" gold="true">'
    '<cml:radio label="Positive" value="pos"/><cml:radio label="Negative" value="neg"/>'
    "</cml:radios>"
)
ROWS = pd.DataFrame(
    {
        "tweet": [f"tweet {n}" for n in range(6)] + ["I love it", "I hate it"],
        "_golden": [""] * 6 + ["true", "true"],
        "sentiment_gold": [""] * 6 + ["pos", "neg"],
    }
)


def _sandbox(server: ServerThread, path: str, key: str = KEY) -> Any:
    """Reads the sandbox directly (under its prefix), beside the client."""
    response = httpx.get(f"{server.url}/crowdflower/v1/{path}", params={"key": key})
    return response.status_code, response.json()


def _state(server: ServerThread, job_id: int, key: str = KEY) -> str:
    status, job = _sandbox(server, f"jobs/{job_id}.json", key)
    assert status == 200
    state: str = job["state"]
    return state


def test_a_job_from_creation_to_deletion(
    py_figure_eight: ModuleType,
    server: ServerThread,
    clock: SimClock,
    vendor_hosts: Calls,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(py_figure_eight, "sleep", clock.sleep)
    client = py_figure_eight.FigureEightClient(KEY)
    job = client.create_job("Tweet sentiment", "<p>Is the tweet positive?</p>", CML)
    assert (job.title, job.cml) == ("Tweet sentiment", CML)

    job.payment_cents = 20
    job.judgments_per_unit = 2
    job.units_per_assignment = 3
    job.req_ttl_in_seconds = 1200
    job.reject_at = 70
    job.auto_launch = 0
    job.instructions = "<p>Positive or negative?</p>"
    assert (job.payment_cents, job.judgments_per_unit, job.units_per_assignment) == (20, 2, 3)
    assert (int(job.req_ttl_in_seconds), int(job.reject_at)) == (1200, 70)
    assert (job.auto_launch, job.instructions) == (False, "<p>Positive or negative?</p>")

    job.upload_csv(ROWS, convert_test_questions=True, match_cml=True)
    assert job.cml == CML
    status = job.status
    assert (status["all_units"], status["golden_units"], status["ordered_units"]) == (8, 2, 0)

    job.launch(on_demand=True)
    assert (_state(server, job.id), job.status["ordered_units"]) == ("running", 6)
    job.pause()
    assert _state(server, job.id) == "paused"
    job.resume()
    for _ in range(48):
        if _state(server, job.id) == "finished":
            break
        clock.advance(1800)
    assert _state(server, job.id) == "finished"

    aggregated, full = job.get_report(aggregated=True, full=True)
    assert len(aggregated) == 6
    assert set(aggregated["sentiment"]) <= {"pos", "neg"}
    assert len(full) >= 12 and {"_worker_id", "_trust", "sentiment"} <= set(full.columns)

    job.add_tags("sentiment", "tweets")
    job.delete_tags("tweets")
    assert _sandbox(server, f"jobs/{job.id}/tags") == (200, [{"name": "sentiment"}])

    golds = client.copy_job(job.id, units="gold")
    assert (golds.status["all_units"], golds.status["golden_units"]) == (2, 2)
    everything = client.copy_job(job.id, units="all")
    assert everything.status["all_units"] == 8
    assert everything.title == "Tweet sentiment"
    golds.cancel()

    deleted = client.delete_job(everything.id)
    assert deleted.status_code == 200
    assert _sandbox(server, f"jobs/{everything.id}.json")[0] == 404
    assert vendor_hosts.hosts == {"api.figure-eight.com"}
    assert vendor_hosts.refused() == []


def test_running_out_of_funds_is_its_not_enough_funds_error(
    py_figure_eight: ModuleType, server: ServerThread, vendor_hosts: Calls
) -> None:
    poor = "pfe1e0000000000000000"
    setup = {"account": {"balance_cents": 100}}
    httpx.post(
        f"{server.url}/_mock/tenants",
        json={"vendor": "crowdflower", "credential": poor, "setup": setup},
    ).raise_for_status()
    job = py_figure_eight.FigureEightClient(poor).create_job("Pricey", "<p>Judge.</p>", CML)
    job.payment_cents = 500
    job.upload_csv(ROWS)

    with pytest.raises(py_figure_eight.NotEnoughFunds, match=r"Your team has \$1\.00, but"):
        job.launch(on_demand=True, internal=True)
    assert _state(server, job.id, poor) == "unordered"
    assert _sandbox(server, "account", poor)[1]["balance"] == 100

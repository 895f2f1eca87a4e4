"""adapapi 0.1.1 (PyPI, Appen's own client), unmodified, against a live sandbox.

It calls https://api.appen.com/v1 (https://api.eu.appen.com/v1 for an EU account) with
``Authorization: Token token=<key>`` and JSON bodies, logs a refusal instead of raising
it, and waits for reports with ``time.sleep``. Its requests reach the sandbox with
their own host (``vendor_hosts``, which also notes every status), and its sleeping
moves the sandbox's clock.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import adapapi.adapapi
import httpx
import pandas as pd
import pytest
from adapapi import Appen
from client_kit import Calls, SimClock

from mockserver.testing import ServerThread

KEY = "adap0e000000000000000"
CML = (
    '<cml:radios label="Sentiment" name="sentiment" validates="required" gold="true">'
    '<cml:radio label="Positive" value="pos"/><cml:radio label="Negative" value="neg"/>'
    "</cml:radios>"
)
DESIGN = {"title": "Tweet sentiment", "instructions": "<p>Judge the tweet.</p>", "cml": CML}
ROWS = pd.DataFrame(
    {
        "tweet": [f"tweet {n}" for n in range(6)] + ["I love it", "I hate it"],
        "_golden": [False] * 6 + [True, True],
        "sentiment_gold": [""] * 6 + ["pos", "neg"],
    }
)


class Sandbox:
    """The sandbox read directly (under its prefix), beside the client."""

    def __init__(self, server: ServerThread) -> None:
        self.url = server.url

    def get(self, path: str) -> Any:
        response = httpx.get(f"{self.url}/crowdflower/v1/{path}", params={"key": KEY})
        assert response.status_code == 200, response.text
        return response.json()


@pytest.fixture
def appen(
    server: ServerThread,
    clock: SimClock,
    vendor_hosts: Calls,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> Iterator[Appen]:
    # adapapi reads time.sleep through its module's ``time``; its reports land in the cwd.
    monkeypatch.setattr(adapapi.adapapi, "time", SimpleNamespace(sleep=clock.sleep))
    monkeypatch.chdir(tmp_path)
    yield Appen(KEY)
    assert vendor_hosts.hosts <= {"api.appen.com", "api.eu.appen.com"}


def _finish(sandbox: Sandbox, clock: SimClock, job_id: int) -> None:
    for _ in range(48):
        if sandbox.get(f"jobs/{job_id}")["state"] == "finished":
            return
        clock.advance(1800)
    raise AssertionError("the job never finished")


def test_a_job_launched_internally_and_its_results(
    appen: Appen, server: ServerThread, clock: SimClock, vendor_hosts: Calls
) -> None:
    sandbox = Sandbox(server)
    job_id = appen.create_job(DESIGN)
    appen.update_job_json(job_id, {"judgments_per_unit": 2, "units_per_assignment": 3})
    job = appen.job_json(job_id)
    assert (job["title"], job["judgments_per_unit"], job["units_per_assignment"]) == (
        "Tweet sentiment",
        2,
        3,
    )

    appen.upload(ROWS, job_id)
    summary = appen.job_summary(job_id)
    assert (summary["all_units"], summary["golden_units"]) == (8, 2)
    appen.tag_add(job_id, "sentiment, tweets")
    assert appen.tag_get(job_id) == [{"name": "sentiment"}, {"name": "tweets"}]
    appen.tag_replace(job_id, "adap")
    assert appen.tag_get(job_id) == [{"name": "adap"}]

    assert appen.internal_launch(job_id, "all") == 6
    assert sandbox.get(f"jobs/{job_id}/channels")["enabled_channels"] == [
        "cf_internal",
        "on_demand",
    ]
    _finish(sandbox, clock, job_id)

    unit_id = next(iter(sandbox.get(f"jobs/{job_id}/units")))
    unit = appen.unit_json(job_id, unit_id)
    assert appen.get_unit_state(job_id, unit_id) == {
        "_unit_id": unit_id,
        "_unit_state": unit["state"],
    }
    worker_id = unit["results"]["judgments"][0]["worker_id"]
    balance = sandbox.get("account")["balance"]
    appen.bonus_contributor(job_id, worker_id, 2500)
    assert sandbox.get("account")["balance"] == balance - 2500

    appen.regenerate_jobid(job_id, "aggregated")
    aggregated = appen.download_jobid(job_id, "aggregated")
    assert len(aggregated) == 6 and set(aggregated["sentiment"]) <= {"pos", "neg"}
    rows = appen.download_jobid(job_id, "json")
    assert len(rows) == 6 and all(row["results"]["sentiment"]["agg"] for row in rows)
    full = appen.download_jobid(job_id, "full")
    assert len(full) == appen.job_json(job_id)["judgments_count"]
    assert clock.slept > 0  # regenerated, the report was generated again while it waited
    assert vendor_hosts.refused() == []


def test_copies_units_and_deprecation(
    appen: Appen, server: ServerThread, vendor_hosts: Calls
) -> None:
    sandbox = Sandbox(server)
    job_id = appen.create_job(DESIGN)
    appen.upload(ROWS, job_id)
    golds = appen.duplicate_job(job_id, include_tq=True)
    everything = appen.duplicate_job(job_id, include_uploaded_rows=True)
    assert appen.job_summary(golds)["all_units"] == 2
    assert appen.job_summary(everything)["all_units"] == 8
    assert appen.job_json(golds)["copied_from"] == job_id

    unit_id = next(iter(sandbox.get(f"jobs/{everything}/units")))
    appen.update_unit_state(everything, unit_id, "golden")
    assert appen.get_unit_state(everything, unit_id)["_unit_state"] == "golden"
    appen.delete_unit(everything, unit_id)
    assert appen.job_summary(everything)["all_units"] == 7

    split = pd.DataFrame({"keywords": ["red,green", "blue"]})
    appen.upload(split, golds)
    appen.split_column(golds, "keywords", ",")
    keywords = [
        u["keywords"] for u in sandbox.get(f"jobs/{golds}/units").values() if "keywords" in u
    ]
    assert sorted(keywords) == ["blue", "green", "red"]

    gone = appen.deprecate_job(everything)
    assert gone == {"message": {"success": f"Job {everything} has been deleted."}}
    assert Appen(KEY, eu=True).job_json(job_id)["id"] == job_id
    assert vendor_hosts.refused() == []


def test_a_job_made_by_uploading_records(appen: Appen, server: ServerThread) -> None:
    before = {job["id"] for job in Sandbox(server).get("jobs")}
    appen.upload([{"tweet": "first", "lang": "en"}, {"tweet": "second", "lang": "fr"}])
    (made,) = [job for job in Sandbox(server).get("jobs") if job["id"] not in before]
    assert made["units_count"] == 2
    units = Sandbox(server).get(f"jobs/{made['id']}/units")
    assert sorted(u["tweet"] for u in units.values()) == ["first", "second"]


def test_listing_and_filtering_jobs(appen: Appen) -> None:
    first = appen.create_job(DESIGN)
    copies = [appen.duplicate_job(first) for _ in range(11)]
    appen.tag_add(first, "keep")
    other = appen.create_job({**DESIGN, "title": "Image boxes"})

    listed = appen.get_all_jobs()
    assert sorted(job["id"] for job in listed) == sorted([first, *copies, other])
    assert appen.filter_jobs_by_tag("keep") == [first]
    assert [job["id"] for job in appen.filter_jobs_by_title("image")] == [other]
    copied = appen.filter_jobs_by_copied_from(first)
    assert sorted(job["id"] for job in copied) == sorted(copies)
    json.dumps(listed)  # every job is plain JSON

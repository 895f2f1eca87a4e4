"""Ordering a CrowdFlower job and the crowd that judges it, on a manual clock."""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import json
import zipfile
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs

import httpx
import pytest
from starlette.testclient import TestClient

from mockserver.app import create_app
from mockserver.settings import Settings
from mockserver.vendors.crowdflower.backend import CrowdFlowerWorld
from mockserver.vendors.crowdflower.backend.aggregation import aggregate
from mockserver.vendors.crowdflower.backend.judgments import WorkerRecord
from mockserver.vendors.crowdflower.cml import parse

KEY = "K"
CML = (
    '<cml:radios label="Sentiment" validates="required" gold="true">'
    '<cml:radio label="Positive" value="pos"/><cml:radio label="Negative" value="neg"/>'
    "</cml:radios>"
)
DESIGN = {
    "job[title]": "Rate the tweets",
    "job[instructions]": "Read, then judge.",
    "job[cml]": CML,
}


class Sandbox:
    def __init__(self, client: TestClient, received: list[httpx.Request]) -> None:
        self.client = client
        self.received = received

    def url(self, path: str) -> str:
        return f"/crowdflower/v1/{path}?key={KEY}"

    def world(self) -> CrowdFlowerWorld:
        app = self.client.app
        tenant = app.sandbox.tenants.get(f"crowdflower:{KEY}")  # type: ignore[attr-defined]
        assert tenant is not None
        world: CrowdFlowerWorld = tenant.world
        return world

    def job_with_units(self, rows: int, golds: int = 0, **attrs: str) -> int:
        given = {f"job[{name}]": value for name, value in attrs.items()}
        job = self.client.post(self.url("jobs"), data={**DESIGN, **given}).json()
        world = self.world()
        found = world.jobs.find(job["id"])
        assert found is not None
        for index in range(rows):
            world.add_unit(found, {"tweet": f"tweet {index}"})
        for _ in range(golds):
            world.add_unit(found, {"tweet": "gold", "sentiment_gold": "pos"}, "golden")
        job_id: int = job["id"]
        return job_id

    def order(self, job_id: int, count: int | None, **extra: str) -> httpx.Response:
        form = {"channels[0]": "on_demand", **extra}
        if count is not None:
            form["debit[units_count]"] = str(count)
        return self.client.post(self.url(f"jobs/{job_id}/orders"), data=form)

    def advance(self, seconds: float) -> None:
        assert self.client.post("/_mock/clock/advance", json={"seconds": seconds}).is_success

    def get(self, path: str) -> Any:
        return self.client.get(self.url(path)).json()


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    received: list[httpx.Request] = []

    def receiver(request: httpx.Request) -> httpx.Response:
        received.append(request)
        return httpx.Response(200)

    settings = Settings(clock="manual", seed=5, rate_limits=False, epoch="2014-07-22T12:00:00Z")
    app = create_app(settings, webhook_transport=httpx.MockTransport(receiver))
    with TestClient(app) as client:
        yield Sandbox(client, received)


def _state(sandbox: Sandbox, job_id: int) -> tuple[Any, ...]:
    job = sandbox.get(f"jobs/{job_id}")
    return job["state"], sandbox.get("account")["balance"], sandbox.get(f"jobs/{job_id}/ping")


def test_an_order_without_units_count_is_the_recorded_400(sandbox: Sandbox) -> None:
    job_id = sandbox.job_with_units(3)
    before = _state(sandbox, job_id)
    response = sandbox.order(job_id, None)
    assert response.status_code == 400
    assert response.json() == {"error": {"message": "Your request is missing required parameters."}}
    assert _state(sandbox, job_id) == before


def test_a_job_without_its_design_cannot_launch(sandbox: Sandbox) -> None:
    job = sandbox.client.post(sandbox.url("jobs")).json()
    response = sandbox.order(job["id"], 1)
    assert response.status_code == 422
    messages = response.json()["errors"]
    assert any("Title" in m for m in messages) and any("CML" in m for m in messages)


def test_an_order_that_costs_more_than_the_balance_is_402(sandbox: Sandbox) -> None:
    sandbox.client.post(
        "/_mock/tenants",
        json={
            "vendor": "crowdflower",
            "credential": KEY,
            "setup": {"account": {"balance_cents": 50}},
        },
    )
    job_id = sandbox.job_with_units(10, payment_cents="100")
    before = _state(sandbox, job_id)
    response = sandbox.order(job_id, 10)
    assert response.status_code == 402
    assert response.json()["error"]["message"].startswith(
        "You have $0.50 available but this order will cost $"
    )
    assert _state(sandbox, job_id) == before


def test_an_order_launches_the_job_and_debits_the_account(sandbox: Sandbox) -> None:
    job_id = sandbox.job_with_units(12)
    balance = sandbox.get("account")["balance"]
    order = sandbox.order(job_id, 10).json()
    assert order["meta"]["units_count"] == 10
    job = sandbox.get(f"jobs/{job_id}")
    assert job["state"] == "running"
    assert sandbox.get(f"jobs/{job_id}/channels")["enabled_channels"] == ["on_demand"]
    assert sandbox.get("account")["balance"] == balance - order["meta"]["cost_cents"] > 0
    assert sandbox.get(f"jobs/{job_id}/ping")["ordered_units"] == 10
    assert sandbox.get(f"jobs/{job_id}/orders/{order['id']}")["id"] == order["id"]
    assert sandbox.client.get(sandbox.url(f"jobs/{job_id}/orders/1")).status_code == 404


def test_the_crowd_judges_every_ordered_unit_and_the_job_finishes(sandbox: Sandbox) -> None:
    job_id = sandbox.job_with_units(12, golds=1, gold_per_assignment="1")
    sandbox.order(job_id, 10)
    sandbox.advance(60)
    partial = sandbox.get(f"jobs/{job_id}/ping")
    assert 0 < partial["all_judgments"]
    sandbox.advance(6 * 3600)
    ping = sandbox.get(f"jobs/{job_id}/ping")
    assert ping["completed_units_estimate"] == 10 and ping["golden_units"] == 1
    job = sandbox.get(f"jobs/{job_id}")
    assert (job["state"], job["completed"]) == ("finished", True)
    assert job["judgments_count"] == ping["all_judgments"] >= 30
    page = sandbox.get(f"jobs/{job_id}/judgments")
    assert len(page) == 10
    row = next(iter(page.values()))
    assert len(row["_ids"]) == 3
    assert row["sentiment"]["agg"] in ("pos", "neg") and 0 < row["sentiment"]["confidence"] <= 1
    assert row["tweet"].startswith("tweet")
    second = sandbox.client.get(
        f"/crowdflower/v1/jobs/{job_id}/judgments", params={"key": KEY, "page": 2}
    )
    assert second.json() == {}
    judgment = sandbox.get(f"jobs/{job_id}/judgments/{row['_ids'][0]}")
    assert list(judgment)[:6] == ["id", "job_id", "unit_id", "worker_id", "judgment", "data"]
    assert len(judgment["country"]) == 3 and judgment["unit_state"] == "finalized"


def test_pause_stops_the_crowd_and_resume_brings_it_back(sandbox: Sandbox) -> None:
    job_id = sandbox.job_with_units(30)
    sandbox.order(job_id, 30)
    sandbox.advance(60)
    assert sandbox.client.get(sandbox.url(f"jobs/{job_id}/pause")).json() == {
        "success": "Your job is being paused."
    }
    judged = sandbox.get(f"jobs/{job_id}/ping")["all_judgments"]
    sandbox.advance(3600)
    assert sandbox.get(f"jobs/{job_id}/ping")["all_judgments"] == judged
    sandbox.client.get(sandbox.url(f"jobs/{job_id}/resume"))
    sandbox.advance(600)
    assert sandbox.get(f"jobs/{job_id}/ping")["all_judgments"] > judged


def test_cancel_refunds_the_judgments_not_received(sandbox: Sandbox) -> None:
    job_id = sandbox.job_with_units(40, payment_cents="50")
    before = sandbox.get("account")["balance"]
    cost = sandbox.order(job_id, 40).json()["meta"]["cost_cents"]
    sandbox.advance(60)
    canceled = sandbox.client.put(sandbox.url(f"jobs/{job_id}/cancel")).json()
    assert canceled == {"success": "Your job is being canceled."}
    after = sandbox.get("account")["balance"]
    assert before - cost < after < before
    judged = sandbox.get(f"jobs/{job_id}/ping")["all_judgments"]
    sandbox.advance(3600)
    assert sandbox.get(f"jobs/{job_id}/ping")["all_judgments"] == judged


def _form(request: httpx.Request) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(request.content.decode()).items()}


def test_webhooks_are_signed_form_posts_with_basic_auth_from_the_uri(sandbox: Sandbox) -> None:
    job_id = sandbox.job_with_units(3, golds=1, webhook_uri="http://ann:s3cret@hooks.example/cf")
    sandbox.order(job_id, 3)
    sandbox.advance(6 * 3600)
    signals = [_form(r)["signal"] for r in sandbox.received]
    assert signals == ["unit_complete"] * 3 + ["job_complete"]
    first = sandbox.received[0]
    form = _form(first)
    assert form["signature"] == hashlib.sha1((form["payload"] + KEY).encode()).hexdigest()
    assert first.headers["authorization"] == "Basic " + base64.b64encode(b"ann:s3cret").decode()
    assert first.headers["content-type"] == "application/x-www-form-urlencoded"
    deliveries = sandbox.client.get("/_mock/webhooks/deliveries").json()["deliveries"]
    assert {d["state"] for d in deliveries} == {"delivered"}


def test_judgment_webhooks_only_when_asked(sandbox: Sandbox) -> None:
    job_id = sandbox.job_with_units(
        2, webhook_uri="http://hooks.example/cf", send_judgments_webhook="true"
    )
    sandbox.order(job_id, 2)
    sandbox.advance(6 * 3600)
    signals = {_form(r)["signal"] for r in sandbox.received}
    assert signals == {"new_judgments", "unit_complete", "job_complete"}


def test_the_same_seed_gives_the_same_judgments() -> None:
    def run() -> list[Any]:
        app = create_app(Settings(clock="manual", seed=9, rate_limits=False))
        with TestClient(app) as client:
            sandbox = Sandbox(client, [])
            job_id = sandbox.job_with_units(5)
            sandbox.order(job_id, 5)
            sandbox.advance(6 * 3600)
            return list(sandbox.get(f"jobs/{job_id}/judgments").values())

    assert run() == run()


# -- aggregation and trust, without HTTP ----------------------------------------------------

FORM = parse(
    '<cml:radios name="pick" validates="required"><cml:radio label="a"/><cml:radio label="b"/>'
    '</cml:radios><cml:text name="note"/><cml:ratings name="score" points="5"/>'
    '<cml:radios name="top" aggregation="agg_2"><cml:radio label="a"/><cml:radio label="b"/>'
    '<cml:radio label="c"/></cml:radios>'
    '<cml:radios name="sure" aggregation="cagg_0.3"><cml:radio label="a"/><cml:radio label="b"/>'
    "</cml:radios>"
)


def test_agg_weighs_answers_by_trust() -> None:
    result = aggregate(FORM.fields[0], [("a", 0.9), ("b", 0.5), ("b", 0.5)])
    assert result == {"agg": "b", "confidence": round(1.0 / 1.9, 4)}


def test_all_avg_top_x_and_confident_answers() -> None:
    assert aggregate(FORM.fields[1], [("x", 1.0), ("y", 0.8)]) == {
        "agg": ["x", "y"],
        "confidence": 1.0,
    }
    average = aggregate(FORM.fields[2], [("4", 1.0), ("2", 1.0)])
    assert average == {"agg": 3.0, "confidence": 1.0, "variance": 1.0}
    top = aggregate(FORM.fields[3], [("a", 1.0), ("b", 0.6), ("c", 0.2)])
    assert top is not None and top["agg"] == ["a", "b"]
    sure = aggregate(FORM.fields[4], [("a", 0.8), ("b", 0.2)])
    assert sure is not None and sure["agg"] == ["a"]
    assert aggregate(FORM.fields[0], []) is None


def test_trust_follows_test_questions_and_taints_below_the_threshold() -> None:
    record = WorkerRecord(standing=0.9)
    assert not record.tainted
    record.golds_seen, record.golds_missed = 6, 5
    assert record.tainted and record.trust == pytest.approx((0.9 * 4 + 1) / 10)


# -- reports --------------------------------------------------------------------------------


def _report(sandbox: Sandbox, job_id: int, **params: str) -> httpx.Response:
    return sandbox.client.get(f"/crowdflower/v1/jobs/{job_id}.csv", params={"key": KEY, **params})


def _member(response: httpx.Response) -> tuple[str, str]:
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        (name,) = archive.namelist()
        return name, archive.read(name).decode()


def test_a_finished_jobs_reports_are_ready_at_once(sandbox: Sandbox) -> None:
    job_id = sandbox.job_with_units(4, golds=1, gold_per_assignment="1")
    sandbox.order(job_id, 4)
    sandbox.advance(6 * 3600)
    full = _report(sandbox, job_id, type="full")
    assert full.status_code == 200 and full.headers["content-type"] == "application/zip"
    name, text = _member(full)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert name == f"f{job_id}.csv"
    assert list(rows[0])[:3] == ["_unit_id", "_created_at", "_golden"]
    assert len(rows) == sandbox.get(f"jobs/{job_id}")["judgments_count"]
    assert {r["_golden"] for r in rows} == {"true", "false"}
    aggregated_text = _member(_report(sandbox, job_id, type="aggregated"))[1]
    aggregated = list(csv.DictReader(io.StringIO(aggregated_text)))
    assert len(aggregated) == 4 and {"sentiment", "sentiment:confidence"} <= set(aggregated[0])
    lines = _member(_report(sandbox, job_id, type="json"))[1].splitlines()
    assert len(lines) == 4 and "sentiment" in json.loads(lines[0])["results"]
    for kind in ("gold_report", "workset", "source"):
        assert _report(sandbox, job_id, type=kind).status_code == 200
    assert _report(sandbox, job_id, type="nonsense").status_code == 422


def _listed_answer(sandbox: Sandbox, job_id: int, unit_id: str, judgment_id: int) -> Any:
    """A judgment's answer as the job's judgments listing shows it."""
    row = sandbox.get(f"jobs/{job_id}/judgments")[unit_id]
    return row["sentiment"]["res"][row["_ids"].index(judgment_id)]


def test_a_report_or_listing_read_again_shows_what_changed_in_between(
    sandbox: Sandbox,
) -> None:
    job_id = sandbox.job_with_units(2, judgments_per_unit="1")
    sandbox.order(job_id, 2)
    sandbox.advance(6 * 3600)
    full = _report(sandbox, job_id, type="full").content
    assert _report(sandbox, job_id, type="full").content == full
    unit_id = next(iter(sandbox.get(f"jobs/{job_id}/units")))
    judgment = sandbox.client.post(
        sandbox.url(f"jobs/{job_id}/judgments"),
        data={"judgment[unit_id]": unit_id, "judgment[data][sentiment]": "pos"},
    ).json()
    rows = list(csv.DictReader(io.StringIO(_member(_report(sandbox, job_id, type="full"))[1])))
    assert [r["sentiment"] for r in rows if r["_id"] == str(judgment["id"])] == ["pos"]
    assert _listed_answer(sandbox, job_id, unit_id, judgment["id"]) == "pos"
    sandbox.client.put(
        sandbox.url(f"jobs/{job_id}/judgments/{judgment['id']}"),
        data={"judgment[data][sentiment]": "neg"},
    )
    rows = list(csv.DictReader(io.StringIO(_member(_report(sandbox, job_id, type="full"))[1])))
    assert [r["sentiment"] for r in rows if r["_id"] == str(judgment["id"])] == ["neg"]
    assert _listed_answer(sandbox, job_id, unit_id, judgment["id"]) == "neg"
    assert "edited" not in _member(_report(sandbox, job_id, type="source"))[1]
    sandbox.client.put(
        sandbox.url(f"jobs/{job_id}/units/{unit_id}"), data={"unit[data][tweet]": "edited"}
    )
    assert "edited" in _member(_report(sandbox, job_id, type="source"))[1]


def test_while_a_job_runs_a_report_is_generated_on_the_clock(sandbox: Sandbox) -> None:
    job_id = sandbox.job_with_units(200)
    sandbox.order(job_id, 200)
    sandbox.advance(60)
    first = _report(sandbox, job_id, type="aggregated")
    assert first.status_code == 202
    assert first.json() == {
        "notice": {"message": "Your CSV is being generated.  Try again in 10 seconds."}
    }
    assert _report(sandbox, job_id, type="aggregated").status_code == 202
    sandbox.advance(10)
    assert _report(sandbox, job_id, type="aggregated").status_code == 200
    regenerate = sandbox.client.post(
        f"/crowdflower/v1/jobs/{job_id}/regenerate", params={"key": KEY, "type": "aggregated"}
    )
    assert regenerate.text == "OK"
    assert _report(sandbox, job_id, type="aggregated").status_code == 202


def test_ping_counts_the_judgments_still_needed(sandbox: Sandbox) -> None:
    job_id = sandbox.job_with_units(20)
    sandbox.order(job_id, 20)
    assert sandbox.get(f"jobs/{job_id}/ping")["needed_judgments"] == 60
    sandbox.advance(60)
    ping = sandbox.get(f"jobs/{job_id}/ping")
    trusted = ping["all_judgments"] - ping["tainted_judgments"]
    assert ping["needed_judgments"] == 60 - trusted < 60
    sandbox.advance(6 * 3600)
    assert sandbox.get(f"jobs/{job_id}/ping")["needed_judgments"] == 0


def test_an_upload_fires_job_data_processed_signed_with_the_setup_token(
    sandbox: Sandbox,
) -> None:
    sandbox.client.post(
        "/_mock/tenants",
        json={"vendor": "crowdflower", "credential": KEY, "setup": {"webhook_token": "tok"}},
    )
    job = sandbox.client.post(
        sandbox.url("jobs"), data={"job[webhook_uri]": "http://hooks.example/cf"}
    ).json()
    uploaded = sandbox.client.put(
        sandbox.url(f"jobs/{job['id']}/upload"),
        content=b"tweet\nhello\nworld\n",
        headers={"Content-Type": "text/csv"},
    )
    assert uploaded.status_code == 200
    sandbox.advance(0)
    (request,) = sandbox.received
    form = _form(request)
    assert form["signal"] == "job_data_processed"
    assert json.loads(form["payload"])["units_count"] == 2
    assert form["signature"] == hashlib.sha1((form["payload"] + "tok").encode()).hexdigest()


# -- judgments sent through the API (legacy) ----------------------------------------------


def test_a_judgment_sent_through_the_api_counts_and_can_be_changed_and_deleted(
    sandbox: Sandbox,
) -> None:
    job_id = sandbox.job_with_units(1, judgments_per_unit="1")
    sandbox.order(job_id, 1)
    unit_id = next(iter(sandbox.get(f"jobs/{job_id}/units")))
    created = sandbox.client.post(
        sandbox.url(f"jobs/{job_id}/judgments"),
        data={"judgment[unit_id]": unit_id, "judgment[data][sentiment]": "pos"},
    )
    assert created.status_code == 200
    judgment = created.json()
    assert (judgment["data"], judgment["external_type"]) == ({"sentiment": "pos"}, "api")
    assert sandbox.get(f"jobs/{job_id}/units/{unit_id}")["state"] == "finalized"

    changed = sandbox.client.put(
        sandbox.url(f"jobs/{job_id}/judgments/{judgment['id']}"),
        data={"judgment[data][sentiment]": "neg"},
    ).json()
    assert changed["data"] == {"sentiment": "neg"}

    deleted = sandbox.client.delete(sandbox.url(f"jobs/{job_id}/judgments/{judgment['id']}"))
    assert deleted.json() == {
        "message": {"success": f"Judgment {judgment['id']} has been deleted."}
    }
    unit = sandbox.get(f"jobs/{job_id}/units/{unit_id}")
    assert (unit["state"], unit["judgments_count"]) == ("judging", 0)
    assert sandbox.get(f"jobs/{job_id}/ping")["needed_judgments"] == 1
    assert (
        sandbox.client.get(sandbox.url(f"jobs/{job_id}/judgments/{judgment['id']}")).status_code
        == 404
    )


def test_a_judgment_needs_its_unit_and_data(sandbox: Sandbox) -> None:
    job_id = sandbox.job_with_units(1)
    missing = sandbox.client.post(
        sandbox.url(f"jobs/{job_id}/judgments"), data={"judgment[unit_id]": "1"}
    )
    assert missing.status_code == 400
    unknown = sandbox.client.post(
        sandbox.url(f"jobs/{job_id}/judgments"),
        data={"judgment[unit_id]": "1", "judgment[data][a]": "b"},
    )
    assert unknown.status_code == 404
    assert sandbox.get(f"jobs/{job_id}/ping")["all_judgments"] == 0

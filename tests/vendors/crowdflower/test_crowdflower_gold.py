"""CrowdFlower test questions through the HTTP API: J23 convert and reset, J24 the list,
J25 their ``unit_complete`` webhooks, and how test questions take part in an order."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs

import httpx
import pytest
from starlette.testclient import TestClient

from mockserver.app import create_app
from mockserver.settings import Settings
from mockserver.vendors.crowdflower.backend import CrowdFlowerWorld
from mockserver.vendors.crowdflower.backend.jobs import Job

KEY = "Gq3vT8mXc2LpW5sZb1Nd"
PREFIX = "/crowdflower/v1"
NOT_FOUND = {"error": {"message": "We couldn't find what you were looking for."}}
MISSING = {"error": {"message": "Your request is missing required parameters."}}
CML = (
    '<cml:radios label="Sentiment" validates="required" gold="true">'
    '<cml:radio label="Positive" value="pos"/><cml:radio label="Negative" value="neg"/>'
    "</cml:radios>"
)
DESIGN = {"job[title]": "Rate the tweets", "job[instructions]": "Judge.", "job[cml]": CML}
ROWS = (
    "tweet,sentiment_gold,answer\none,pos,\ntwo,,neg\nthree,neg,\nfour,   ,\nfive,pos,pos\nsix,,\n"
)


class Sandbox:
    def __init__(self, client: TestClient, received: list[httpx.Request]) -> None:
        self.client = client
        self.received = received

    def call(self, method: str, path: str, **params: str) -> httpx.Response:
        return self.client.request(method, f"{PREFIX}/{path}", params={"key": KEY, **params})

    def get(self, path: str, **params: str) -> Any:
        response = self.call("GET", path, **params)
        assert response.status_code == 200, response.text
        return response.json()

    def world(self) -> CrowdFlowerWorld:
        tenant = self.client.app.sandbox.tenants.get(f"crowdflower:{KEY}")  # type: ignore[attr-defined]
        assert tenant is not None
        world: CrowdFlowerWorld = tenant.world
        return world

    def new_job(self, rows: str = ROWS, **attrs: str) -> int:
        given = {f"job[{name}]": value for name, value in attrs.items()}
        job = self.client.post(f"{PREFIX}/jobs", params={"key": KEY}, data={**DESIGN, **given})
        assert job.status_code == 200, job.text
        job_id: int = job.json()["id"]
        if rows:
            uploaded = self.client.put(
                f"{PREFIX}/jobs/{job_id}/upload",
                params={"key": KEY},
                content=rows.encode(),
                headers={"content-type": "text/csv"},
            )
            assert uploaded.status_code == 200, uploaded.text
        return job_id

    def job(self, job_id: int) -> Job:
        found = self.world().jobs.find(job_id)
        assert found is not None
        return found

    def states(self, job_id: int) -> dict[str, str]:
        """Each unit's state, by its ``tweet``, read through ``GET unit``."""
        units = self.get(f"jobs/{job_id}/units")
        return {
            data["tweet"]: self.get(f"jobs/{job_id}/units/{uid}")["state"]
            for uid, data in units.items()
        }

    def snapshot(self, job_id: int) -> tuple[Any, ...]:
        return (
            self.states(job_id),
            self.get(f"jobs/{job_id}/units"),
            self.get(f"jobs/{job_id}/ping"),
            self.get(f"jobs/{job_id}/test_questions"),
        )

    def advance(self, seconds: float) -> None:
        assert self.client.post("/_mock/clock/advance", json={"seconds": seconds}).is_success


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    received: list[httpx.Request] = []

    def receiver(request: httpx.Request) -> httpx.Response:
        received.append(request)
        return httpx.Response(200)

    settings = Settings(clock="manual", seed=11, rate_limits=False, epoch="2014-07-22T12:00:00Z")
    with TestClient(
        create_app(settings, webhook_transport=httpx.MockTransport(receiver))
    ) as client:
        yield Sandbox(client, received)


def _form(request: httpx.Request) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(request.content.decode()).items()}


# -- J23: converting rows --------------------------------------------------------------------


def test_gold_without_parameters_converts_the_rows_marked_golden(sandbox: Sandbox) -> None:
    job_id = sandbox.new_job(rows="")
    world, job = sandbox.world(), sandbox.job(job_id)
    for name, marked in (("a", "true"), ("b", "TRUE"), ("c", "false"), ("d", None)):
        world.add_unit(
            job, {"tweet": name} if marked is None else {"tweet": name, "_golden": marked}
        )
    response = sandbox.call("PUT", f"jobs/{job_id}/gold")
    assert response.status_code == 200
    assert response.json() == {
        "success": {"message": "2 units are now test questions."},
        "gold": {},
        "units_count": 4,
        "golds_count": 2,
    }
    assert sandbox.states(job_id) == {"a": "golden", "b": "golden", "c": "new", "d": "new"}
    units = sandbox.get(f"jobs/{job_id}/units")
    assert [data for data in units.values() if data["tweet"] in "ab"] == [
        {"tweet": "a"},
        {"tweet": "b"},
    ]
    again = sandbox.call("POST", f"jobs/{job_id}/gold.json").json()
    assert again["success"] == {"message": "0 units are now test questions."}
    assert (again["units_count"], again["golds_count"]) == (4, 2)


def test_an_upload_converts_golden_rows_itself_so_gold_finds_none(sandbox: Sandbox) -> None:
    job_id = sandbox.new_job(rows="tweet,_golden\nx,true\ny,false\n")
    before = sandbox.snapshot(job_id)
    assert before[0] == {"x": "golden", "y": "new"}
    answer = sandbox.call("PUT", f"jobs/{job_id}/gold").json()
    assert answer["success"] == {"message": "0 units are now test questions."}
    assert answer["golds_count"] == 1
    assert sandbox.snapshot(job_id) == before


def test_check_with_convert_units_turns_answered_rows_into_test_questions(
    sandbox: Sandbox,
) -> None:
    job_id = sandbox.new_job()
    response = sandbox.call("PUT", f"jobs/{job_id}/gold", check="sentiment", convert_units="true")
    assert response.status_code == 200
    assert response.json() == {
        "success": {"message": "3 units are now test questions."},
        "gold": {"sentiment": "sentiment_gold"},
        "units_count": 6,
        "golds_count": 3,
    }
    states = sandbox.states(job_id)
    assert [t for t, s in states.items() if s == "golden"] == ["one", "three", "five"]
    ping = sandbox.get(f"jobs/{job_id}/ping")
    assert (ping["golden_units"], ping["all_units"]) == (3, 6)
    job = sandbox.get(f"jobs/{job_id}")
    assert (job["golds_count"], job["units_count"]) == (3, 6)


def test_check_reads_the_column_named_by_with(sandbox: Sandbox) -> None:
    job_id = sandbox.new_job()
    answer = sandbox.call(
        "PUT", f"jobs/{job_id}/gold", check="sentiment", convert_units="True", **{"with": "answer"}
    ).json()
    assert answer["success"] == {"message": "2 units are now test questions."}
    assert answer["gold"] == {"sentiment": "answer"}
    golden = [t for t, s in sandbox.states(job_id).items() if s == "golden"]
    assert golden == ["two", "five"]


def test_one_converted_row_is_one_test_question(sandbox: Sandbox) -> None:
    job_id = sandbox.new_job(rows="tweet,sentiment_gold\nx,pos\ny,\n")
    converted = sandbox.call(
        "PUT", f"jobs/{job_id}/gold", check="sentiment", convert_units="true"
    ).json()
    assert converted["success"] == {"message": "1 unit is now a test question."}
    reset = sandbox.call("PUT", f"jobs/{job_id}/gold", reset="true").json()
    assert reset["success"] == {"message": "1 unit is no longer a test question."}


def test_check_without_convert_units_only_sets_the_checked_column(sandbox: Sandbox) -> None:
    job_id = sandbox.new_job()
    before = sandbox.snapshot(job_id)
    answer = sandbox.call("PUT", f"jobs/{job_id}/gold", check="sentiment").json()
    assert answer == {
        "success": {"message": "0 units are now test questions."},
        "gold": {"sentiment": "sentiment_gold"},
        "units_count": 6,
        "golds_count": 0,
    }
    assert sandbox.snapshot(job_id) == before


def test_only_new_rows_are_converted(sandbox: Sandbox) -> None:
    job_id = sandbox.new_job()
    order = sandbox.client.post(
        f"{PREFIX}/jobs/{job_id}/orders",
        params={"key": KEY},
        data={"debit[units_count]": "2", "channels[0]": "on_demand"},
    )
    assert order.status_code == 200, order.text
    answer = sandbox.call(
        "PUT", f"jobs/{job_id}/gold", check="sentiment", convert_units="true"
    ).json()
    assert answer["success"] == {"message": "2 units are now test questions."}
    states = sandbox.states(job_id)
    assert (states["one"], states["three"], states["five"]) == ("judgable", "golden", "golden")


@pytest.mark.parametrize(
    ("params", "status", "body"),
    [
        ({"check": "mood", "convert_units": "true"}, 422, None),
        ({"check": "sentiment", "with": "verdict", "convert_units": "true"}, 422, None),
        ({"check": "  ", "convert_units": "true"}, 400, MISSING),
        ({"with": "sentiment_gold", "convert_units": "true"}, 400, MISSING),
    ],
)
def test_refused_conversions_change_nothing(
    sandbox: Sandbox, params: dict[str, str], status: int, body: Any
) -> None:
    job_id = sandbox.new_job()
    sandbox.call("PUT", f"jobs/{job_id}/gold", check="sentiment", **{"with": "answer"})
    before = sandbox.snapshot(job_id)
    response = sandbox.call("PUT", f"jobs/{job_id}/gold", **params)
    assert response.status_code == status
    if body is None:
        (message,) = response.json()["errors"]
        assert ("mood" if "mood" in params.values() else "verdict") in message
    else:
        assert response.json() == body
    assert sandbox.snapshot(job_id) == before
    unchanged = sandbox.call("PUT", f"jobs/{job_id}/gold").json()
    assert unchanged["gold"] == {"sentiment": "answer"}


def test_a_job_without_cml_has_no_field_to_check(sandbox: Sandbox) -> None:
    job = sandbox.client.post(f"{PREFIX}/jobs", params={"key": KEY}).json()
    response = sandbox.call("PUT", f"jobs/{job['id']}/gold", check="sentiment")
    assert response.status_code == 422
    assert "sentiment" in response.json()["errors"][0]


def test_gold_endpoints_of_an_unknown_job_are_404(sandbox: Sandbox) -> None:
    for method, path in (
        ("PUT", "jobs/1/gold"),
        ("GET", "jobs/1/gold"),
        ("GET", "jobs/1/test_questions"),
        ("GET", "jobs/1/golds/fire_webhooks"),
    ):
        response = sandbox.call(method, path)
        assert (response.status_code, response.json()) == (404, NOT_FOUND)


# -- reset -------------------------------------------------------------------------------------


def test_reset_makes_every_test_question_an_ordinary_row(sandbox: Sandbox) -> None:
    job_id = sandbox.new_job()
    sandbox.call("PUT", f"jobs/{job_id}/gold", check="sentiment", convert_units="true")
    units = sandbox.get(f"jobs/{job_id}/units")
    six = next(uid for uid, data in units.items() if data["tweet"] == "six")
    hidden = sandbox.client.put(
        f"{PREFIX}/jobs/{job_id}/units/{six}",
        params={"key": KEY},
        data={"unit[state]": "hidden_gold"},
    )
    assert hidden.json()["state"] == "hidden_gold"
    assert len(sandbox.get(f"jobs/{job_id}/test_questions")) == 4
    answer = sandbox.call("PUT", f"jobs/{job_id}/gold", reset="true").json()
    assert answer == {
        "success": {"message": "4 units are no longer test questions."},
        "gold": {},
        "units_count": 6,
        "golds_count": 0,
    }
    assert set(sandbox.states(job_id).values()) == {"new"}
    assert sandbox.get(f"jobs/{job_id}/test_questions") == []
    assert sandbox.get(f"jobs/{job_id}/ping")["golden_units"] == 0
    again = sandbox.call("PUT", f"jobs/{job_id}/gold", reset="1").json()
    assert again["success"] == {"message": "0 units are no longer test questions."}


# -- J24: the list -----------------------------------------------------------------------------


def test_test_questions_are_listed_as_unit_objects(sandbox: Sandbox) -> None:
    job_id = sandbox.new_job()
    assert sandbox.get(f"jobs/{job_id}/test_questions") == []
    sandbox.call("PUT", f"jobs/{job_id}/gold", check="sentiment", convert_units="true")
    listed = sandbox.get(f"jobs/{job_id}/test_questions.json")
    assert [u["data"]["tweet"] for u in listed] == ["one", "three", "five"]
    assert listed == [sandbox.get(f"jobs/{job_id}/units/{u['id']}") for u in listed]
    assert {u["state"] for u in listed} == {"golden"}
    assert sandbox.get(f"jobs/{job_id}/gold") == listed


# -- test questions in an order ------------------------------------------------------------------


def test_test_questions_are_not_ordered_and_test_the_workers(sandbox: Sandbox) -> None:
    job_id = sandbox.new_job(gold_per_assignment="1")
    sandbox.call("PUT", f"jobs/{job_id}/gold", check="sentiment", convert_units="true")
    order = sandbox.client.post(
        f"{PREFIX}/jobs/{job_id}/orders",
        params={"key": KEY},
        data={"debit[units_count]": "6", "channels[0]": "on_demand"},
    ).json()
    assert order["meta"]["units_count"] == 3
    ping = sandbox.get(f"jobs/{job_id}/ping")
    assert (ping["ordered_units"], ping["golden_units"]) == (3, 3)
    sandbox.advance(6 * 3600)
    states = sandbox.states(job_id)
    assert states == {
        "one": "golden",
        "two": "finalized",
        "three": "golden",
        "four": "finalized",
        "five": "golden",
        "six": "finalized",
    }
    assert sandbox.get(f"jobs/{job_id}")["state"] == "finished"
    golds = sandbox.get(f"jobs/{job_id}/test_questions")
    seen = [j for unit in golds for j in sandbox.get(f"jobs/{job_id}/units/{unit['id']}/judgments")]
    assert seen and all(j["golden"] and j["missed"] in (True, False) for j in seen)
    assert {u["judgments_count"] for u in golds} == {0}
    listing = sandbox.get(f"jobs/{job_id}/judgments")
    assert sorted(row["tweet"] for row in listing.values()) == ["four", "six", "two"]


# -- J25: webhooks for test questions -------------------------------------------------------------


def test_fire_webhooks_sends_one_signed_unit_complete_per_test_question(
    sandbox: Sandbox,
) -> None:
    job_id = sandbox.new_job(webhook_uri="http://hooks.example/cf")
    sandbox.call("PUT", f"jobs/{job_id}/gold", check="sentiment", convert_units="true")
    sandbox.client.post(
        f"{PREFIX}/jobs/{job_id}/orders",
        params={"key": KEY},
        data={"debit[units_count]": "3", "channels[0]": "on_demand"},
    )
    sandbox.advance(6 * 3600)
    plain = [_form(r) for r in sandbox.received if _form(r)["signal"] == "unit_complete"]
    golds = sandbox.get(f"jobs/{job_id}/test_questions")
    gold_ids = {u["id"] for u in golds}
    assert len(plain) == 3
    assert not gold_ids & {json.loads(f["payload"])["id"] for f in plain}
    sandbox.received.clear()
    response = sandbox.call("GET", f"jobs/{job_id}/golds/fire_webhooks.json")
    assert response.status_code == 200
    assert response.json() == {"success": {"message": "Webhooks fired for 3 test questions."}}
    sandbox.advance(0)
    forms = [_form(r) for r in sandbox.received]
    assert [f["signal"] for f in forms] == ["unit_complete"] * 3
    payloads = [json.loads(f["payload"]) for f in forms]
    assert {p["id"] for p in payloads} == gold_ids
    assert all(p["state"] == "golden" and p["job_id"] == job_id for p in payloads)
    for form in forms:
        assert form["signature"] == hashlib.sha1((form["payload"] + KEY).encode()).hexdigest()
    assert all(r.url == "http://hooks.example/cf" for r in sandbox.received)


def test_fire_webhooks_without_a_webhook_uri_sends_nothing(sandbox: Sandbox) -> None:
    job_id = sandbox.new_job()
    sandbox.call("PUT", f"jobs/{job_id}/gold", check="sentiment", convert_units="true")
    response = sandbox.call("POST", f"jobs/{job_id}/golds/fire_webhooks")
    assert response.json() == {"success": {"message": "Webhooks fired for 0 test questions."}}
    sandbox.advance(0)
    assert sandbox.received == []


def test_fire_webhooks_without_test_questions_sends_nothing(sandbox: Sandbox) -> None:
    job_id = sandbox.new_job(webhook_uri="http://hooks.example/cf")
    sandbox.advance(0)
    sandbox.received.clear()
    single = sandbox.call("PUT", f"jobs/{job_id}/gold", check="sentiment", **{"with": "answer"})
    assert single.status_code == 200
    response = sandbox.call("GET", f"jobs/{job_id}/golds/fire_webhooks")
    assert response.json() == {"success": {"message": "Webhooks fired for 0 test questions."}}
    sandbox.advance(0)
    assert sandbox.received == []

"""``/_mock/faults``: adding, listing and removing rules, and what a faulted client sees.

Everything here runs in process; a dropped connection and a real delay seen by a
real client are in ``tests/e2e/test_e2e_faults.py``.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from typing import Any

import pytest
from admin_kit import THROUGHPUT, WS
from starlette.testclient import TestClient

from mockserver.app import create_app
from mockserver.settings import Settings

EPOCH = "2024-05-01T10:00:00Z"
CF_KEY = {"x-api-key": "a"}
PROJECT = "0123456789abcdef0123456789abcdef"


def app(seed: int = 3) -> TestClient:
    return TestClient(
        create_app(Settings(clock="manual", seed=seed, epoch=EPOCH, rate_limits=False))
    )


@pytest.fixture
def client() -> Iterator[TestClient]:
    with app() as running:
        yield running


def add(client: TestClient, **rule: Any) -> dict[str, Any]:
    response = client.post("/_mock/faults", json=rule)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def rules(client: TestClient) -> list[dict[str, Any]]:
    listed: list[dict[str, Any]] = client.get("/_mock/faults").json()["faults"]
    return listed


def report(client: TestClient, key: dict[str, str] = CF_KEY) -> int:
    return client.post(WS, json=THROUGHPUT, headers=key).status_code


def records(client: TestClient, tenant: str = "cloudfactory:a") -> list[Any]:
    response = client.get(
        "/_mock/cloudfactory/workstreams/ws-1/records",
        params={"tenant": tenant, "kind": "throughput"},
    )
    assert response.status_code == 200, response.text
    found: list[Any] = response.json()["records"]
    return found


def journal(client: TestClient) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = client.get("/_mock/journal").json()["entries"]
    return entries


# -- the rules -------------------------------------------------------------------------------


def test_a_rule_is_added_listed_with_its_hits_and_removed(client: TestClient) -> None:
    created = add(client, vendor="cloudfactory", method="post", path="/tasks", status=503)
    assert created == {
        "id": "1",
        "direction": "inbound",
        "vendor": "cloudfactory",
        "tenant": None,
        "method": "POST",
        "path": "/tasks",
        "latency": None,
        "status": 503,
        "drop": False,
        "odds": 1.0,
        "count": None,
        "hits": 0,
        "spent": False,
    }
    second = add(client, direction="outbound", latency={"min": 0.5, "max": 2}, count=3)
    assert second["latency"] == {"min": 0.5, "max": 2} and second["id"] == "2"
    assert [r["id"] for r in rules(client)] == ["1", "2"]

    removed = client.delete("/_mock/faults/1")
    assert removed.status_code == 200 and removed.json()["status"] == 503
    assert [r["id"] for r in rules(client)] == ["2"]
    missing = client.delete("/_mock/faults/1")
    assert missing.status_code == 404 and missing.json() == {"error": "no fault rule '1'"}

    add(client, drop=True)
    assert client.delete("/_mock/faults").json() == {"cleared": 2}
    assert rules(client) == []


@pytest.mark.parametrize(
    ("rule", "field"),
    [
        ({"status": 503, "path": "(unclosed"}, "path"),
        ({"status": 503, "drop": True}, "drop"),
        ({"vendor": "cloudfactory"}, "body"),
        ({"drop": False}, "body"),
        ({"latency": {"min": 3, "max": 1}}, "latency"),
        ({"latency": {"seconds": 1, "min": 0}}, "latency"),
        ({"latency": {"seconds": -1}}, "latency.seconds"),
        ({"status": 200}, "status"),
        ({"status": 503, "odds": 1.5}, "odds"),
        ({"status": 503, "count": 0}, "count"),
        ({"status": 503, "direction": "sideways"}, "direction"),
        ({"status": 503, "method": "GET /"}, "method"),
        ({"status": 503, "vendor": "acme"}, "vendor"),
        ({"status": 503, "tenant": "no-vendor"}, "tenant"),
        ({"status": 503, "vendor": "crowdflower", "tenant": "cloudfactory:a"}, "tenant"),
        ({"status": 503, "colour": "red"}, "colour"),
    ],
)
def test_a_bad_rule_is_refused_naming_the_field(
    client: TestClient, rule: dict[str, Any], field: str
) -> None:
    response = client.post("/_mock/faults", json=rule)
    assert response.status_code == 400, response.text
    assert field in [e["field"] for e in response.json()["errors"]]
    assert rules(client) == []


def test_a_full_reset_clears_the_rules_and_a_tenant_reset_keeps_them(client: TestClient) -> None:
    assert report(client) == 202
    add(client, status=503, vendor="crowdflower")
    assert client.post("/_mock/reset", params={"tenant": "cloudfactory:a"}).status_code == 200
    assert len(rules(client)) == 1
    client.post("/_mock/reset")
    assert rules(client) == []


# -- inbound: what a client sees --------------------------------------------------------------


def test_a_faulted_request_changes_nothing_and_is_journaled_with_its_status(
    client: TestClient,
) -> None:
    assert report(client) == 202
    add(client, vendor="cloudfactory", method="POST", path="task_completed$", status=503)
    response = client.post(WS, json=THROUGHPUT, headers=CF_KEY)
    assert response.status_code == 503
    assert response.json() == {"message": "Service Unavailable"}
    assert len(records(client)) == 1
    entry = journal(client)[-1]
    assert (entry["status"], entry["vendor"], entry["tenant"], entry["path"]) == (
        503,
        "cloudfactory",
        "cloudfactory:a",
        WS,
    )
    assert rules(client)[0]["hits"] == 1


def test_a_counted_rule_fails_that_many_requests_then_lets_them_through(
    client: TestClient,
) -> None:
    add(client, vendor="cloudfactory", status=500, count=2)
    assert [report(client) for _ in range(3)] == [500, 500, 202]
    assert len(records(client)) == 1
    [rule] = rules(client)
    assert (rule["hits"], rule["spent"]) == (2, True)


def test_rules_match_the_tenant_method_and_path(client: TestClient) -> None:
    add(client, tenant="cloudfactory:b", status=429)
    add(client, method="GET", path=r"/v1/tasks/[^/]+$", status=502)
    assert report(client) == 202
    assert report(client, {"x-api-key": "b"}) == 429
    assert client.get("/cloudfactory/v1/tasks", headers=CF_KEY).status_code == 200
    assert client.get("/cloudfactory/v1/tasks/t-1", headers=CF_KEY).status_code == 502


def test_odds_give_the_same_outcomes_for_the_same_seed() -> None:
    def outcomes(seed: int) -> list[int]:
        with app(seed) as client:
            add(client, vendor="cloudfactory", status=503, odds=0.5)
            return [report(client) for _ in range(24)]

    first = outcomes(3)
    assert first == outcomes(3)
    assert {503, 202} == set(first)
    assert first != outcomes(4)


def test_latency_delays_the_answer_and_is_journaled(client: TestClient) -> None:
    add(client, vendor="cloudfactory", latency={"seconds": 0.2})
    assert report(client) == 202
    assert journal(client)[-1]["duration_ms"] >= 200


def test_a_drop_answers_nothing_complete_and_is_journaled_with_status_0(
    client: TestClient,
) -> None:
    assert report(client) == 202  # the tenant exists: a dropped first request keeps none
    add(client, vendor="cloudfactory", drop=True)
    response = client.post(WS, json=THROUGHPUT, headers=CF_KEY)
    assert response.content == b""  # in process; a real client sees the connection cut
    assert len(records(client)) == 1
    entry = journal(client)[-1]
    assert (entry["status"], entry["response_body"], entry["tenant"]) == (0, "", "cloudfactory:a")


def test_the_control_api_and_its_storage_urls_are_never_faulted(client: TestClient) -> None:
    add(client, method="PUT", status=503)
    add(client, path="^/_mock", status=503)
    media = client.post(
        "/cloudfactory/v1/media",
        json={"configuration_id": "cfg-1", "content_type": "image/png"},
        headers=CF_KEY,
    )
    assert media.status_code == 200, media.text
    put = client.put(
        media.json()["media_upload_url"], content=b"png", headers={"content-type": "image/png"}
    )
    assert put.status_code == 200
    assert client.get("/_mock/health").status_code == 200
    assert [r["hits"] for r in rules(client)] == [0, 0]


def modelarts_token(client: TestClient) -> dict[str, str]:
    body = {"auth": {
        "identity": {"methods": ["password"], "password": {"user": {
            "name": "owner", "password": "pw", "domain": {"name": "acme"}}}},
        "scope": {"project": {"id": PROJECT}},
    }}  # fmt: skip
    response = client.post("/modelarts/v3/auth/tokens", json=body)
    assert response.status_code == 201, response.text
    return {"X-Auth-Token": response.headers["x-subject-token"]}


def test_a_status_is_answered_in_each_vendors_own_error_dialect(client: TestClient) -> None:
    modelarts = modelarts_token(client)
    add(client, status=503)
    basic = base64.b64encode(b"user:pw").decode()

    cloudfactory = client.get("/cloudfactory/v1/tasks", headers=CF_KEY)
    assert cloudfactory.json() == {"message": "Service Unavailable"}
    crowdflower = client.get("/crowdflower/v1/jobs.json", params={"key": "k"})
    assert crowdflower.json() == {"error": {"message": "Service Unavailable"}}
    clickworker = client.get(
        "/clickworker/api/marketplace/v2/customer/tasks",
        headers={"Authorization": f"Basic {basic}", "Accept": "application/json"},
    )
    status = clickworker.json()["tasks_response"]["request_status"]
    assert (status["valid"], status["status_code"]) == (False, 503)
    huawei = client.get(f"/modelarts/v2/{PROJECT}/datasets", headers=modelarts)
    assert huawei.json()["error_msg"] == "Service Unavailable"
    assert "x-request-id" in huawei.headers

    answered = [cloudfactory, crowdflower, clickworker, huawei]
    assert [r.status_code for r in answered] == [503] * 4
    assert [e["status"] for e in journal(client)[-4:]] == [503] * 4
    assert [e["vendor"] for e in journal(client)[-4:]] == [
        "cloudfactory",
        "crowdflower",
        "clickworker",
        "modelarts",
    ]

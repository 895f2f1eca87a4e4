"""/_mock/fixtures and --fixture: bundled scenarios that leave the state their name promises."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from mockserver.app import create_app
from mockserver.settings import Settings

PROJECT = "0123456789abcdef0123456789abcdef"
CLICKWORKER = "/clickworker/api/marketplace/v2"
CW_AUTH = ("fixture-customer", "fixture-secret")
JSON = {"Accept": "application/json"}
REQUIRED = {
    "tenants",
    "cloudfactory-workstream",
    "crowdflower-running-job",
    "clickworker-buyoff",
    "modelarts-acceptance",
}


def _app(**changes: Any) -> Any:
    return create_app(Settings(clock="manual", seed=9, rate_limits=False, **changes))


@pytest.fixture
def client() -> Iterator[TestClient]:
    with TestClient(_app()) as running:
        yield running


def _load(client: TestClient, name: str) -> dict[str, Any]:
    response = client.post(f"/_mock/fixtures/{name}")
    assert response.status_code == 201, response.text
    loaded: dict[str, Any] = response.json()
    return loaded


def _tenants(client: TestClient) -> list[str]:
    return [t["id"] for t in client.get("/_mock/tenants").json()["tenants"]]


def check_tenants(client: TestClient, captured: dict[str, Any]) -> None:
    cf = client.get("/cloudfactory/v1/tasks", headers={"x-api-key": "cf-fixture-key"})
    assert cf.json() == {"tasks": []}
    account = client.get("/crowdflower/v1/account.json", params={"key": "crowdflower-fixture-key"})
    assert account.status_code == 200
    customer = client.get(f"{CLICKWORKER}/customer", auth=CW_AUTH, headers=JSON)
    assert customer.status_code == 200
    refused = client.get(
        f"{CLICKWORKER}/customer", auth=("fixture-customer", "wrong"), headers=JSON
    )
    assert refused.status_code == 401


def check_cloudfactory_workstream(client: TestClient, captured: dict[str, Any]) -> None:
    params = {"tenant": "cloudfactory:cf-fixture-key"}
    path = "/_mock/cloudfactory/workstreams/ws-1/records"
    throughput = client.get(path, params={**params, "kind": "throughput"}).json()["records"]
    quality = client.get(path, params={**params, "kind": "quality"}).json()["records"]
    assert (len(throughput), len(quality)) == (2, 1)
    foreign = client.post(
        "/cloudfactory/v1/workstreams/ws-2/task_completed",
        headers={"x-api-key": "cf-fixture-key"},
        json=throughput[0],
    )
    assert foreign.status_code == 403  # a strict tenant: only its own workstream


def check_crowdflower_running_job(client: TestClient, captured: dict[str, Any]) -> None:
    path = f"/crowdflower/v1/jobs/{captured['job_id']}"
    params = {"key": "crowdflower-fixture-key"}
    assert client.get(f"{path}.json", params=params).json()["state"] == "running"
    ping = client.get(f"{path}/ping.json", params=params).json()
    assert ping["ordered_units"] == 8 and 0 < ping["all_judgments"] < 24


def check_clickworker_buyoff(client: TestClient, captured: dict[str, Any]) -> None:
    path = f"{CLICKWORKER}/customer/jobs/{captured['job_id']}"
    job = client.get(path, auth=CW_AUTH, headers=JSON).json()["job_response"]["job"]
    assert job["state"] == "open"
    assert [e["code"] for e in job["form"]["elements"]][0] == "accepted"


def check_modelarts_acceptance(client: TestClient, captured: dict[str, Any]) -> None:
    path = f"/modelarts/v2/{PROJECT}/datasets/{captured['dataset_id']}/workforce-tasks"
    headers = {"X-Auth-Token": captured["token"]}
    task = client.get(f"{path}/{captured['task_id']}", headers=headers).json()
    assert task["status"] == 2  # under acceptance
    assert task["checking_task_desc"]["checking_task_id"] == captured["checking_task_id"]


CHECKS: dict[str, Callable[[TestClient, dict[str, Any]], None]] = {
    "tenants": check_tenants,
    "cloudfactory-workstream": check_cloudfactory_workstream,
    "crowdflower-running-job": check_crowdflower_running_job,
    "clickworker-buyoff": check_clickworker_buyoff,
    "modelarts-acceptance": check_modelarts_acceptance,
}


def test_the_list_names_every_fixture_with_a_description(client: TestClient) -> None:
    listed = client.get("/_mock/fixtures").json()["fixtures"]
    assert REQUIRED <= {f["name"] for f in listed}
    assert all(f["description"] for f in listed)


@pytest.mark.parametrize("name", sorted(REQUIRED))
def test_each_fixture_leaves_the_state_its_name_promises(client: TestClient, name: str) -> None:
    loaded = _load(client, name)
    assert loaded["fixture"] == name
    assert sorted(loaded["tenants"]) == sorted(_tenants(client))
    CHECKS[name](client, loaded["captured"])


def test_the_same_seed_gives_the_same_ids() -> None:
    def captured() -> list[dict[str, Any]]:
        with TestClient(_app()) as client:
            return [_load(client, name)["captured"] for name in sorted(REQUIRED)]

    assert captured() == captured()


def test_an_unknown_fixture_is_404(client: TestClient) -> None:
    response = client.post("/_mock/fixtures/nosuch")
    assert response.status_code == 404
    assert "crowdflower-running-job" in response.json()["error"]


def test_fixtures_named_at_start_are_loaded_before_the_first_request() -> None:
    with TestClient(_app(fixture="tenants, crowdflower-running-job")) as client:
        assert sorted(_tenants(client)) == [
            "clickworker:fixture-customer",
            "cloudfactory:cf-fixture-key",
            "crowdflower:crowdflower-fixture-key",
            f"modelarts:{PROJECT}",
        ]
        jobs = client.get("/crowdflower/v1/jobs.json", params={"key": "crowdflower-fixture-key"})
        assert [job["state"] for job in jobs.json()] == ["running"]


def test_an_unknown_fixture_at_start_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown fixture 'nosuch'"):
        _app(fixture="tenants,nosuch")


def test_an_existing_state_file_wins_over_fixtures(tmp_path: Path) -> None:
    state_file = tmp_path / "state.bin"
    with TestClient(_app(state_file=str(state_file))) as client:
        _load(client, "cloudfactory-workstream")
    with TestClient(_app(state_file=str(state_file), fixture="tenants")) as client:
        assert _tenants(client) == ["cloudfactory:cf-fixture-key"]

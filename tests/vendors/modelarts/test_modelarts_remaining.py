"""ModelArts: team task notices, statistics and label submissions; search terms."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient

from mockserver.app import create_app
from mockserver.settings import Settings

PROJECT = "0123456789abcdef0123456789abcdef"
ROOT = "/modelarts"
DATA = base64.b64encode(b"\x89PNG fake image bytes").decode()


class Api:
    """A client holding one project's token."""

    def __init__(self, client: TestClient, project: str) -> None:
        self.client = client
        self.project = project
        self.base = f"{ROOT}/v2/{project}"
        body = {"auth": {
            "identity": {"methods": ["password"], "password": {"user": {
                "name": "owner", "password": "pw", "domain": {"name": "acme"}}}},
            "scope": {"project": {"id": project}},
        }}  # fmt: skip
        response = client.post(f"{ROOT}/v3/auth/tokens", json=body)
        assert response.status_code == 201
        self.headers = {"X-Auth-Token": response.headers["x-subject-token"]}

    def call(self, method: str, path: str, body: Any = None, **query: Any) -> Any:
        return self.client.request(
            method, self.base + path, json=body, params=query, headers=self.headers
        )

    def ok(self, method: str, path: str, body: Any = None, **query: Any) -> Any:
        response = self.call(method, path, body, **query)
        assert response.is_success, response.text
        return response.json() if response.content else None

    def advance(self, seconds: float) -> None:
        response = self.client.post(
            "/_mock/clock/advance", json={"seconds": seconds, "tenant": f"modelarts:{self.project}"}
        )
        assert response.status_code == 200, response.text

    def dataset(self, name: str = "flowers", samples: int = 0, **fields: Any) -> str:
        body = {
            "dataset_name": name,
            "data_sources": [{"data_type": 0, "data_path": "/bucket/input/flowers/"}],
            "work_path": "/bucket/output/",
            "work_path_type": 0,
            **fields,
        }
        response = self.call("POST", "/datasets", body)
        assert response.status_code == 201, response.text
        dataset_id: str = response.json()["dataset_id"]
        if samples:
            items = [{"name": f"s{index:03d}.png", "data": DATA} for index in range(samples)]
            path = f"/datasets/{dataset_id}/data-annotations/samples"
            assert self.ok("POST", path, {"samples": items})["success"] is True
        return dataset_id

    def team(self, name: str, *people: tuple[str, int]) -> str:
        workforce_id: str = self.ok("POST", "/workforces", {"workforce_name": name})["workforce_id"]
        for email, role in people:
            self.ok("POST", f"/workforces/{workforce_id}/workers", {"emails": email, "role": role})
        return workforce_id

    def task(self, dataset_id: str, name: str, workforce_id: str) -> str:
        body = {"task_name": name,
                "workforces_config": {"workforces": [{"workforce_id": workforce_id}]}}  # fmt: skip
        task_id: str = self.ok("POST", f"/datasets/{dataset_id}/workforce-tasks", body)["task_id"]
        return task_id

    def start(self, dataset_id: str, task_id: str, body: Any = None) -> Any:
        return self.call("POST", f"/datasets/{dataset_id}/workforce-tasks/{task_id}", body)

    def samples(self, dataset_id: str) -> list[dict[str, Any]]:
        path = f"/datasets/{dataset_id}/data-annotations/samples"
        listed: list[dict[str, Any]] = self.ok("GET", path, limit=100)["samples"]
        return listed

    def worker_tasks(self, **query: Any) -> Any:
        return self.ok("GET", "/workforces/worker-tasks", **query)


def refused(response: Any, status: int, code: str, *words: str) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["error_code"] == code, body
    for word in words:
        assert word in body["error_msg"], body


@pytest.fixture
def client() -> Iterator[TestClient]:
    with TestClient(create_app(Settings(clock="manual", seed=1, rate_limits=False))) as running:
        yield running


@pytest.fixture
def api(client: TestClient) -> Api:
    return Api(client, PROJECT)


def started(api: Api, samples: int = 5) -> tuple[str, str]:
    dataset_id = api.dataset(samples=samples)
    team = api.team("team", ("ann@x.io", 0), ("bob@x.io", 0))
    task_id = api.task(dataset_id, "round-1", team)
    assert api.start(dataset_id, task_id).status_code == 200
    api.advance(5)
    return dataset_id, task_id


def test_send_emails_answers_batch_success(api: Api) -> None:
    dataset_id, task_id = started(api, samples=2)
    path = f"/datasets/{dataset_id}/workforce-tasks/{task_id}/notify"
    assert api.ok("POST", path, {"emails": ["ann@x.io"]}) == {"success": True}
    refused(api.call("POST", path, {"emails": []}), 400, "ModelArts.4396", "emails")
    refused(api.call("POST", path, {"emails": [3]}), 400, "ModelArts.4396", "emails")
    refused(api.call("POST", path, {}), 400, "ModelArts.4396", "emails")
    missing = f"/datasets/{dataset_id}/workforce-tasks/nope/notify"
    refused(api.call("POST", missing, {"emails": ["ann@x.io"]}), 400, "ModelArts.4619")


def test_workforce_task_stats_count_the_task_samples(api: Api) -> None:
    dataset_id, task_id = started(api, samples=4)
    base = f"/datasets/{dataset_id}/workforce-tasks/{task_id}/data-annotations/stats"
    stats = api.ok("GET", base)
    assert stats["sample_stats"]["__NONE__"] == 4
    assert stats["data_spliting_enable"] is False and "label_stats" in stats
    assert (
        api.ok("GET", f"/datasets/{dataset_id}/data-annotations/stats")["sample_stats"]
        == (stats["sample_stats"])
    )
    idle = api.task(dataset_id, "idle", api.team("other", ("cy@x.io", 0)))
    empty = api.ok("GET", f"/datasets/{dataset_id}/workforce-tasks/{idle}/data-annotations/stats")
    assert sum(empty["sample_stats"].values()) == 0
    refused(api.call("GET", base, sample_state="__BOGUS__"), 400, "ModelArts.0104")
    missing = f"/datasets/{dataset_id}/workforce-tasks/nope/data-annotations/stats"
    refused(api.call("GET", missing), 400, "ModelArts.4619")


def test_update_workforce_task_samples_touches_only_task_samples(api: Api) -> None:
    dataset_id, task_id = started(api, samples=2)
    base = f"/datasets/{dataset_id}/workforce-tasks/{task_id}/data-annotations/samples"
    one = api.ok("GET", base)["samples"][0]["sample_id"]
    label = {"name": "rose", "type": 0}
    body = {"email": "ann@x.io", "samples": [
        {"sample_id": one, "labels": [label]}, {"sample_id": "0" * 32, "labels": [label]},
    ]}  # fmt: skip
    result = api.ok("PUT", base, body)
    assert result["success"] is False
    assert result["results"][0] == {"success": True}
    assert result["results"][1]["error_code"] == "ModelArts.4420"
    sample = api.ok("GET", f"/datasets/{dataset_id}/data-annotations/samples/{one}")
    assert sample["labels"][0]["name"] == "rose"
    refused(api.call("PUT", base, {"samples": "x"}), 400, "ModelArts.0104")
    missing = f"/datasets/{dataset_id}/workforce-tasks/nope/data-annotations/samples"
    refused(api.call("PUT", missing, {"samples": [{"sample_id": one}]}), 400, "ModelArts.4619")


def test_list_search_names_labels_and_labelers(api: Api) -> None:
    dataset_id = api.dataset(samples=1, labels=[{"name": "rose", "type": 0}])
    path = f"/datasets/{dataset_id}/data-annotations/search-condition"
    found = api.ok("GET", path)
    assert [label["name"] for label in found["labels"]] == ["rose"]
    assert found["metadata"] == {} and found["labelers"] == []
    (sample,) = api.samples(dataset_id)
    item = {"sample_id": sample["sample_id"],
            "labels": [{"name": "rose", "type": 0, "annotated_by": "human"}]}  # fmt: skip
    assert api.ok("PUT", f"/datasets/{dataset_id}/data-annotations/samples", {"samples": [item]})[
        "success"
    ]
    assert api.ok("GET", path)["labelers"] == ["human"]
    refused(
        api.call("GET", "/datasets/nope/data-annotations/search-condition"), 400, "ModelArts.4352"
    )

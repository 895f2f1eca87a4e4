"""What the ModelArts team-task tests share: a client holding a project's token, and helpers."""

from __future__ import annotations

import base64
from typing import Any

from starlette.testclient import TestClient

PROJECT = "0123456789abcdef0123456789abcdef"
ROOT = "/modelarts"
DATA = base64.b64encode(b"\x89PNG fake image bytes").decode()


INPUT = "/bucket/input/flowers/"


def holds_files(client: TestClient, project: str, path: str = INPUT, count: int = 0) -> None:
    """Says the OBS directory holds ``count`` files (none: a new dataset imports nothing)."""
    body = {"project_id": project, "path": path, "file_count": count}
    response = client.put("/_mock/modelarts/obs", json=body)
    assert response.status_code == 200, response.text


def token_headers(client: TestClient, project: str) -> dict[str, str]:
    """Logs in to IAM for ``project`` and answers the headers that carry its token."""
    body = {"auth": {
        "identity": {"methods": ["password"], "password": {"user": {
            "name": "owner", "password": "pw", "domain": {"name": "acme"}}}},
        "scope": {"project": {"id": project}},
    }}  # fmt: skip
    response = client.post(f"{ROOT}/v3/auth/tokens", json=body)
    assert response.status_code == 201, response.text
    return {"X-Auth-Token": response.headers["x-subject-token"]}


class Api:
    """A client holding one project's token."""

    def __init__(self, client: TestClient, project: str) -> None:
        self.client = client
        self.project = project
        self.base = f"{ROOT}/v2/{project}"
        self.headers = token_headers(client, project)
        holds_files(client, project)

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


def started(api: Api, samples: int = 5) -> tuple[str, str]:
    dataset_id = api.dataset(samples=samples)
    team = api.team("team", ("ann@x.io", 0), ("bob@x.io", 0))
    task_id = api.task(dataset_id, "round-1", team)
    assert api.start(dataset_id, task_id).status_code == 200
    api.advance(5)
    return dataset_id, task_id

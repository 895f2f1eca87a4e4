"""ModelArts export tasks: queued, running and succeeded on the clock with the exported count."""

from __future__ import annotations

import base64
import re
from collections.abc import Iterator
from typing import Any

import pytest
from modelarts_kit import token_headers
from starlette.testclient import TestClient

from mockserver.app import create_app
from mockserver.settings import Settings

PROJECT = "0123456789abcdef0123456789abcdef"
OTHER = "fedcba9876543210fedcba9876543210"
ROOT = "/modelarts"
ID19 = re.compile(r"^[A-Za-z0-9]{19}$")
DONE = 3 + 10 + 1


class Api:
    def __init__(self, client: TestClient, project: str) -> None:
        self.client = client
        self.base = f"{ROOT}/v2/{project}/datasets"
        self.headers = token_headers(client, project)
        self.dataset = ""

    def make_dataset(self) -> str:
        body = {
            "dataset_name": "pets",
            "dataset_type": 0,
            "data_sources": [{"data_type": 0, "data_path": "/bucket/input/pets/"}],
            "work_path": "/bucket/output/",
            "work_path_type": 0,
            "labels": [{"name": "cat", "type": 0}],
        }
        response = self.client.post(self.base, json=body, headers=self.headers)
        assert response.status_code == 201, response.text
        self.dataset = response.json()["dataset_id"]
        return self.dataset

    def upload(self, labeled: int, unlabeled: int) -> None:
        data = base64.b64encode(b"img").decode()
        samples = [
            {"name": f"l{n}.jpg", "data": data, "labels": [{"name": "cat", "type": 0}]}
            for n in range(labeled)
        ] + [{"name": f"u{n}.jpg", "data": data} for n in range(unlabeled)]
        url = f"{self.base}/{self.dataset}/data-annotations/samples"
        response = self.client.post(url, json={"samples": samples}, headers=self.headers)
        assert response.status_code == 200, response.text

    def url(self, *rest: str) -> str:
        return "/".join([f"{self.base}/{self.dataset}/export-tasks", *rest])

    def create(self, body: Any) -> Any:
        return self.client.post(self.url(), json=body, headers=self.headers)

    def started(self, path: str = "obs://bucket/out/", **body: Any) -> str:
        response = self.create({"path": path, **body})
        assert response.status_code == 200, response.text
        return str(response.json()["task_id"])

    def describe(self, task_id: str) -> Any:
        return self.client.get(self.url(task_id), headers=self.headers)

    def task(self, task_id: str) -> dict[str, Any]:
        response = self.describe(task_id)
        assert response.status_code == 200, response.text
        return dict(response.json())

    def list(self, **query: Any) -> Any:
        return self.client.get(self.url(), params=query, headers=self.headers)

    def advance(self, seconds: float) -> None:
        response = self.client.post("/_mock/clock/advance", json={"seconds": seconds})
        assert response.status_code == 200, response.text


@pytest.fixture
def client() -> Iterator[TestClient]:
    settings = Settings(clock="manual", seed=1, rate_limits=False)
    with TestClient(create_app(settings)) as running:
        yield running


@pytest.fixture
def api(client: TestClient) -> Api:
    made = Api(client, PROJECT)
    made.make_dataset()
    made.upload(labeled=3, unlabeled=5)
    return made


def refused(response: Any, code: str, *words: str) -> None:
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["error_code"] == code, body
    for word in words:
        assert word in body["error_msg"], body


def test_an_export_runs_and_succeeds_only_as_the_clock_moves(api: Api) -> None:
    response = api.create({"path": "obs://bucket/out/", "export_type": 2})
    assert response.status_code == 200, response.text
    assert response.headers["x-request-id"]
    task_id = response.json()["task_id"]
    assert ID19.match(task_id)
    task = api.task(task_id)
    assert task["status"] == "INIT" and task["progress"] == 0
    assert task["path"] == "obs://bucket/out/" and task["dataset_id"] == api.dataset
    assert task["export_type"] == 2 and task["export_format"] == 1
    api.advance(3)
    assert api.task(task_id)["status"] == "RUNNING"
    api.advance(9)
    assert api.task(task_id)["status"] == "RUNNING"
    api.advance(1)
    task = api.task(task_id)
    assert task["status"] == "SUCCESSED" and task["progress"] == 100
    assert task["total_sample_count"] == 8 and task["finished_sample_count"] == 8
    assert "total_sample" not in task and "finished_sample" not in task


@pytest.mark.parametrize(("export_type", "count"), [(0, 3), (1, 5), (2, 8)])
def test_the_export_type_picks_the_samples(api: Api, export_type: int, count: int) -> None:
    task_id = api.started(export_type=export_type)
    api.advance(DONE)
    assert api.task(task_id)["finished_sample_count"] == count


def test_list_pages_newest_first_and_filters_by_type(api: Api) -> None:
    made = [api.started(export_type=index % 2) for index in range(3)]
    answer = api.list().json()
    assert answer["total_count"] == 3
    assert [t["task_id"] for t in answer["export_tasks"]] == made[::-1]
    page = api.list(offset=1, limit=1).json()
    assert [t["task_id"] for t in page["export_tasks"]] == [made[1]]
    unlabeled = api.list(export_type=1).json()
    assert unlabeled["total_count"] == 1 and unlabeled["export_tasks"][0]["task_id"] == made[1]
    refused(api.list(limit=101), "ModelArts.0104", "limit")


@pytest.mark.parametrize(
    ("body", "code", "field"),
    [
        ({}, "ModelArts.0104", "path"),
        ({"path": "bucket/out/"}, "ModelArts.4358", "path"),
        ({"path": "/bucket/"}, "ModelArts.4358", "path"),
        ({"path": "/bucket/out/", "export_type": 7}, "ModelArts.4384", "export_type"),
        ({"path": "/bucket/out/", "export_format": 3}, "ModelArts.4384", "export_format"),
        ({"path": "/bucket/out/", "annotation_format": "YOLO"}, "ModelArts.4384", "annotation"),
        ({"path": "/bucket/out/", "export_type": "0"}, "ModelArts.0104", "export_type"),
    ],
)
def test_a_bad_body_is_refused_naming_the_field_and_changes_nothing(
    api: Api, body: dict[str, Any], code: str, field: str
) -> None:
    refused(api.create(body), code, field)
    assert api.list().json() == {"total_count": 0, "export_tasks": []}


@pytest.mark.parametrize(
    "body",
    [
        {"path": "/test-obs/daoChu/", "export_type": 3,
         "export_params": {"sample_state": "", "export_dest": "DIR"}},
        {"path": "/test-obs/classify/input/", "export_type": 3,
         "export_params": {"sample_state": "", "export_dest": "NEW_DATASET",
                           "export_new_dataset_name": "dataset-export-test",
                           "export_new_dataset_work_path": "/test-obs/classify/output/"}},
    ],
)  # fmt: skip
def test_the_documented_exports_by_search_without_conditions_run(
    api: Api, body: dict[str, Any]
) -> None:
    """Both examples of the ExportTask reference ask export_type 3 and give no condition."""
    response = api.create(body)
    assert response.status_code == 200, response.text
    task_id = response.json()["task_id"]
    api.advance(DONE)
    task = api.task(task_id)
    assert task["status"] == "SUCCESSED" and task["export_type"] == 3
    assert task["path"] == body["path"]


def test_an_unknown_task_or_dataset_is_refused(api: Api) -> None:
    refused(api.describe("a" * 19), "ModelArts.4359", "task_id")
    api.dataset = "b" * 19
    refused(api.create({"path": "/bucket/out/"}), "ModelArts.4352")
    refused(api.list(), "ModelArts.4352")


def test_another_project_cannot_see_the_tasks(client: TestClient, api: Api) -> None:
    task_id = api.started()
    other = Api(client, OTHER)
    other.dataset = api.dataset
    refused(other.list(), "ModelArts.4352")
    refused(other.describe(task_id), "ModelArts.4352")
    api.advance(DONE)
    assert api.task(task_id)["status"] == "SUCCESSED"


def test_an_export_of_a_deleted_dataset_ends_with_it(client: TestClient, api: Api) -> None:
    api.started()
    response = client.delete(f"{api.base}/{api.dataset}", headers=api.headers)
    assert response.status_code == 204
    api.advance(DONE)

"""ModelArts auto-labeling tasks: samples labeled to confirm on the clock, stop, refusals."""

from __future__ import annotations

import base64
import re
from collections.abc import Iterator
from typing import Any

import pytest
from modelarts_kit import holds_files, token_headers
from starlette.testclient import TestClient

from mockserver.app import create_app
from mockserver.settings import Settings

PROJECT = "0123456789abcdef0123456789abcdef"
OTHER = "fedcba9876543210fedcba9876543210"
ROOT = "/modelarts"
ID19 = re.compile(r"^[A-Za-z0-9]{19}$")
UNLABELED = 40
DONE = 5 + max(10, 0.1 * UNLABELED) + 1
LABELS = [{"name": "cat", "type": 0}, {"name": "dog", "type": 0}]


class Api:
    def __init__(self, client: TestClient, project: str) -> None:
        self.client = client
        self.base = f"{ROOT}/v2/{project}/datasets"
        self.headers = token_headers(client, project)
        holds_files(client, project, "/bucket/input/pets/")
        self.dataset = ""

    def make_dataset(self, labels: list[dict[str, Any]]) -> str:
        body = {
            "dataset_name": "pets",
            "dataset_type": 0,
            "data_sources": [{"data_type": 0, "data_path": "/bucket/input/pets/"}],
            "work_path": "/bucket/output/",
            "work_path_type": 0,
            "labels": labels,
        }
        response = self.client.post(self.base, json=body, headers=self.headers)
        assert response.status_code == 201, response.text
        self.dataset = response.json()["dataset_id"]
        data = base64.b64encode(b"img").decode()
        samples = [{"name": "kept.jpg", "data": data, "labels": [{"name": "cat", "type": 0}]}]
        samples += [{"name": f"u{n}.jpg", "data": data} for n in range(UNLABELED)]
        url = f"{self.base}/{self.dataset}/data-annotations/samples"
        response = self.client.post(url, json={"samples": samples}, headers=self.headers)
        assert response.status_code == 200, response.text
        return self.dataset

    def url(self, *rest: str) -> str:
        return "/".join([f"{self.base}/{self.dataset}/tasks", *rest])

    def create(self, body: Any) -> Any:
        return self.client.post(self.url(), json=body, headers=self.headers)

    def started(self, **body: Any) -> str:
        response = self.create({"task_type": "auto-label", **body})
        assert response.status_code == 200, response.text
        return str(response.json()["task_id"])

    def describe(self, task_id: str) -> Any:
        return self.client.get(self.url(task_id), headers=self.headers)

    def task(self, task_id: str) -> dict[str, Any]:
        response = self.describe(task_id)
        assert response.status_code == 200, response.text
        return dict(response.json())

    def stop(self, task_id: str) -> Any:
        return self.client.post(self.url(task_id, "stop"), headers=self.headers)

    def list(self, **query: Any) -> Any:
        return self.client.get(self.url(), params=query, headers=self.headers)

    def samples(self, **query: Any) -> dict[str, Any]:
        url = f"{self.base}/{self.dataset}/data-annotations/samples"
        response = self.client.get(url, params={"limit": 100, **query}, headers=self.headers)
        assert response.status_code == 200, response.text
        return dict(response.json())

    def advance(self, seconds: float) -> None:
        response = self.client.post("/_mock/clock/advance", json={"seconds": seconds})
        assert response.status_code == 200, response.text


def app_client(seed: int) -> TestClient:
    return TestClient(create_app(Settings(clock="manual", seed=seed, rate_limits=False)))


@pytest.fixture
def client() -> Iterator[TestClient]:
    with app_client(1) as running:
        yield running


@pytest.fixture
def api(client: TestClient) -> Api:
    made = Api(client, PROJECT)
    made.make_dataset(LABELS)
    return made


def refused(response: Any, code: str, *words: str, status: int = 400) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["error_code"] == code, body
    for word in words:
        assert word in body["error_msg"], body


def test_a_task_labels_unlabeled_samples_to_confirm_as_the_clock_moves(api: Api) -> None:
    response = api.create({"task_type": "auto-label", "config": {"algorithm_type": "fast"}})
    assert response.status_code == 200, response.text
    task_id = response.json()["task_id"]
    assert ID19.match(task_id)
    task = api.task(task_id)
    assert task["status"] == -1 and task["progress"] == 0
    assert task["resource_id"] == api.dataset and task["task_type"] == "auto-label"
    api.advance(5)
    assert api.task(task_id)["status"] == 1
    assert api.samples(sample_state="__AUTO_ANNOTATION__")["sample_count"] == 0
    api.advance(DONE)
    task = api.task(task_id)
    assert task["status"] == 3 and task["progress"] == 100
    labeled = task["result"]["annotated_sample_count"]
    assert 0 < labeled <= UNLABELED and task["result"]["total_sample_count"] == UNLABELED
    auto = api.samples(sample_state="__AUTO_ANNOTATION__")
    assert auto["sample_count"] == labeled
    assert api.samples(sample_state="__NONE__")["sample_count"] == UNLABELED - labeled
    assert api.samples(sample_state="__ALL__")["sample_count"] == 1
    for sample in auto["samples"]:
        assert sample["sample_status"] == "__AUTO_ANNOTATION__"
        [label] = sample["labels"]
        assert label["name"] in ("cat", "dog") and label["annotated_by"] == "auto"
        assert 0 <= label["score"] <= 1


def test_the_same_seed_labels_the_same_samples() -> None:
    def run(seed: int) -> list[tuple[str, str]]:
        with app_client(seed) as client:
            api = Api(client, PROJECT)
            api.make_dataset(LABELS)
            api.started()
            api.advance(DONE)
            samples = api.samples(sample_state="__AUTO_ANNOTATION__")["samples"]
            return [(s["sample_name"], s["labels"][0]["name"]) for s in samples]

    assert run(3) == run(3)
    assert run(3) != run(4)


def test_a_stopped_task_labels_nothing(api: Api) -> None:
    task_id = api.started()
    api.advance(6)
    response = api.stop(task_id)
    assert response.status_code == 204 and response.headers["x-request-id"]
    assert api.task(task_id)["status"] == 5
    api.advance(DONE)
    assert api.task(task_id)["status"] == 5
    assert api.samples(sample_state="__AUTO_ANNOTATION__")["sample_count"] == 0
    assert api.stop(task_id).status_code == 204
    api.started()


def test_one_task_of_a_type_at_a_time(api: Api) -> None:
    first = api.started()
    refused(api.create({"task_type": "auto-label"}), "ModelArts.4386", first, status=501)
    pre = api.started(task_type="pre-label")
    refused(api.create({"task_type": "pre-label"}), "ModelArts.4387", pre, status=501)
    api.advance(DONE)
    second = api.started()
    assert [t["task_id"] for t in api.list().json()["tasks"]] == [second, pre, first]


def test_a_dataset_without_labels_cannot_be_auto_labeled(client: TestClient) -> None:
    api = Api(client, PROJECT)
    api.make_dataset([])
    refused(api.create({"task_type": "auto-label"}), "ModelArts.4405", "labels")
    assert api.list().json() == {"exist_running_deploy_task": False, "total_count": 0, "tasks": []}


def test_list_pages_and_filters(api: Api) -> None:
    first = api.started(task_name="first")
    grouping = api.started(task_type="auto-grouping", task_name="grouping")
    answer = api.list().json()
    assert answer["total_count"] == 2
    assert [t["task_id"] for t in answer["tasks"]] == [grouping, first]
    assert [t["task_id"] for t in api.list(offset=1, limit=1).json()["tasks"]] == [first]
    assert [t["task_id"] for t in api.list(type="auto-label").json()["tasks"]] == [first]
    assert [t["task_id"] for t in api.list(task_name="group").json()["tasks"]] == [grouping]
    refused(api.list(limit=0), "ModelArts.0104", "limit")
    api.advance(DONE)
    assert api.task(grouping)["result"]["annotated_sample_count"] == 0


def test_a_task_reports_the_documented_code_and_message_of_its_kind(api: Api) -> None:
    first = api.started()
    running = api.task(first)
    assert (running["code"], running["message"]) == (
        "ModelArts.4914",
        "Auto labeling task submitted.",
    )
    assert running["export_type"] == 0
    api.advance(DONE)
    done = api.task(first)
    assert done["status"] == 3
    assert (done["code"], done["message"]) == ("ModelArts.4916", "Auto labeling task executed.")


def test_a_running_pre_labeling_task_is_a_running_deployment(api: Api) -> None:
    api.started()
    assert api.list().json()["exist_running_deploy_task"] is False
    pre = api.started(task_type="pre-label")
    assert api.list().json()["exist_running_deploy_task"] is True
    assert api.task(pre)["code"] == "ModelArts.4950"
    api.advance(DONE)
    assert api.list().json()["exist_running_deploy_task"] is False
    assert api.task(pre)["code"] == "ModelArts.4952"


def test_bad_bodies_and_unknown_ids_are_refused(api: Api) -> None:
    refused(api.create({"task_type": "guess"}), "ModelArts.0104", "task_type")
    refused(api.describe("a" * 19), "ModelArts.4612", "task_id")
    refused(api.stop("a" * 19), "ModelArts.4612", "task_id")
    api.dataset = "b" * 19
    refused(api.create({"task_type": "auto-label"}), "ModelArts.4352")
    refused(api.list(), "ModelArts.4352")


def test_another_project_cannot_see_the_tasks(client: TestClient, api: Api) -> None:
    task_id = api.started()
    other = Api(client, OTHER)
    other.dataset = api.dataset
    refused(other.list(), "ModelArts.4352")
    refused(other.describe(task_id), "ModelArts.4352")
    refused(other.stop(task_id), "ModelArts.4352")
    response = client.delete(f"{api.base}/{api.dataset}", headers=api.headers)
    assert response.status_code == 204
    api.advance(DONE)


def test_auto_annotation_samples_are_listed_and_described(api: Api) -> None:
    api.started()
    api.advance(5 + DONE)
    auto = api.samples(sample_state="__AUTO_ANNOTATION__")["samples"]
    base = f"{api.base}/{api.dataset}/auto-annotations/samples"
    listed = api.client.get(base, params={"limit": 100}, headers=api.headers).json()
    assert listed["sample_count"] == len(auto) > 0
    assert {s["sample_id"] for s in listed["samples"]} == {s["sample_id"] for s in auto}
    cats = api.client.get(base, params={"label_name": "cat"}, headers=api.headers).json()
    assert all(s["labels"][0]["name"] == "cat" for s in cats["samples"])
    none = api.client.get(base, params={"low_score": 1.0, "high_score": 1.0},
                          headers=api.headers).json()  # fmt: skip
    assert none["sample_count"] <= listed["sample_count"]
    one = api.client.get(f"{base}/{auto[0]['sample_id']}", headers=api.headers)
    assert one.status_code == 200 and one.json()["sample_status"] == "__AUTO_ANNOTATION__"
    human = api.samples(sample_state="__ALL__")["samples"][0]["sample_id"]
    refused(api.client.get(f"{base}/{human}", headers=api.headers), "ModelArts.4420", "auto")
    refused(api.client.get(base, params={"low_score": 2}, headers=api.headers),
            "ModelArts.0104", "low_score")  # fmt: skip

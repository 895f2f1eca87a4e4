"""ModelArts dataset versions: publishing on the clock, numbering, the once-a-minute rule."""

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
DATA = base64.b64encode(b"fake image").decode()


class Api:
    def __init__(self, client: TestClient, project: str) -> None:
        self.client = client
        self.project = project
        self.base = f"{ROOT}/v2/{project}/datasets"
        self.headers = token_headers(client, project)
        self.dataset = ""

    def make_dataset(self, name: str = "pets") -> str:
        body = {
            "dataset_name": name,
            "data_sources": [{"data_type": 0, "data_path": "/bucket/input/pets/"}],
            "work_path": "/bucket/output/",
            "work_path_type": 0,
        }
        response = self.client.post(self.base, json=body, headers=self.headers)
        assert response.status_code == 201, response.text
        self.dataset = response.json()["dataset_id"]
        return self.dataset

    def url(self, *rest: str) -> str:
        return "/".join([f"{self.base}/{self.dataset}/versions", *rest])

    def create(self, body: Any = None) -> Any:
        return self.client.post(self.url(), json=body or {}, headers=self.headers)

    def created(self, body: Any = None) -> str:
        response = self.create(body)
        assert response.status_code == 201, response.text
        return str(response.json()["version_id"])

    def list(self, **query: Any) -> Any:
        return self.client.get(self.url(), params=query, headers=self.headers)

    def describe(self, version_id: str) -> Any:
        return self.client.get(self.url(version_id), headers=self.headers)

    def dataset_view(self) -> dict[str, Any]:
        response = self.client.get(f"{self.base}/{self.dataset}", headers=self.headers)
        assert response.status_code == 200, response.text
        return dict(response.json())

    def advance(self, seconds: float) -> None:
        response = self.client.post("/_mock/clock/advance", json={"seconds": seconds})
        assert response.status_code == 200, response.text


@pytest.fixture
def client() -> Iterator[TestClient]:
    with TestClient(create_app(Settings(clock="manual", seed=1, rate_limits=False))) as running:
        yield running


@pytest.fixture
def api(client: TestClient) -> Api:
    made = Api(client, PROJECT)
    made.make_dataset()
    return made


def refused(response: Any, code: str, *words: str) -> None:
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["error_code"] == code, body
    for word in words:
        assert word in body["error_msg"], body


def test_a_version_is_creating_until_the_clock_moves_then_normal_and_current(api: Api) -> None:
    response = api.create({"description": "first cut"})
    assert response.status_code == 201, response.text
    assert response.headers["x-request-id"]
    version_id = response.json()["version_id"]
    assert ID19.match(version_id)
    view = api.describe(version_id).json()
    assert view["version_name"] == "V001" and view["status"] == 0
    assert view["description"] == "first cut" and view["manifest_path"] == ""
    dataset = api.dataset_view()
    assert dataset["current_version_id"] == "" and dataset["current_version_name"] == ""
    assert dataset["next_version_num"] == 2 and dataset["dataset_version_count"] == 1
    api.advance(29)
    assert api.describe(version_id).json()["status"] == 0
    api.advance(2)
    view = api.describe(version_id).json()
    assert view["status"] == 1 and view["is_current"] is True
    assert view["manifest_path"].endswith("/annotation/V001/V001.manifest")
    dataset = api.dataset_view()
    assert dataset["current_version_id"] == version_id
    assert dataset["current_version_name"] == "V001"


def test_versions_are_numbered_and_one_per_minute(api: Api) -> None:
    first = api.created()
    api.advance(59)
    refused(api.create(), "ModelArts.4370", "per minute")
    assert api.dataset_view()["next_version_num"] == 2
    assert api.list().json()["total_number"] == 1
    api.advance(1)
    second = api.created()
    api.advance(60)
    third = api.created({"version_name": "release-a"})
    api.advance(60)
    fourth = api.created()
    names = {v["version_id"]: v["version_name"] for v in api.list().json()["versions"]}
    assert names == {first: "V001", second: "V002", third: "release-a", fourth: "V004"}
    dataset = api.dataset_view()
    assert dataset["current_version_name"] == "release-a"
    api.advance(30)
    dataset = api.dataset_view()
    assert dataset["current_version_name"] == "V004"
    assert dataset["next_version_num"] == 5 and dataset["dataset_version_count"] == 4
    assert api.describe(second).json()["previous_version_id"] == first


def test_a_version_keeps_the_sample_counts_it_was_made_with(api: Api) -> None:
    samples = f"{api.base}/{api.dataset}/data-annotations/samples"
    body = {"samples": [{"name": f"{n}.png", "data": DATA} for n in "abc"]}
    assert api.client.post(samples, json=body, headers=api.headers).status_code == 200
    version_id = api.created()
    body = {"samples": [{"name": "d.png", "data": DATA}]}
    assert api.client.post(samples, json=body, headers=api.headers).status_code == 200
    view = api.describe(version_id).json()
    assert view["total_sample_count"] == 3 and view["annotated_sample_count"] == 0


def test_list_is_newest_first_pages_and_filters(api: Api) -> None:
    made = []
    for _ in range(3):
        made.append(api.created())
        api.advance(61)
    newer = api.created({"version_format": "CSV"})
    answer = api.list().json()
    assert answer["total_number"] == 4
    assert [v["version_id"] for v in answer["versions"]] == [newer, *reversed(made)]
    page = api.list(offset=1, limit=2).json()
    assert [v["version_id"] for v in page["versions"]] == [made[1], made[0]]
    assert [v["version_id"] for v in api.list(status=0).json()["versions"]] == [newer]
    assert api.list(status=1).json()["total_number"] == 3
    assert [v["version_id"] for v in api.list(version_format=2).json()["versions"]] == [newer]
    refused(api.list(limit=1001), "ModelArts.0104", "limit")
    refused(api.list(status=9), "ModelArts.0104", "status")
    refused(api.list(version_format="XML"), "ModelArts.0104", "version_format")


def test_delete_answers_204_and_moves_the_current_version_back(api: Api) -> None:
    first = api.created()
    api.advance(61)
    second = api.created()
    api.advance(61)
    assert api.dataset_view()["current_version_id"] == second
    response = api.client.delete(api.url(second), headers=api.headers)
    assert response.status_code == 204 and response.content == b""
    refused(api.describe(second), "ModelArts.4353", "version_id")
    dataset = api.dataset_view()
    assert dataset["current_version_id"] == first and dataset["current_version_name"] == "V001"
    assert dataset["dataset_version_count"] == 1 and dataset["next_version_num"] == 3
    assert api.client.delete(api.url(first), headers=api.headers).status_code == 204
    dataset = api.dataset_view()
    assert dataset["current_version_id"] == "" and dataset["dataset_version_count"] == 0
    refused(api.client.delete(api.url(first), headers=api.headers), "ModelArts.4353", first)


def test_a_version_deleted_while_publishing_never_becomes_current(api: Api) -> None:
    version_id = api.created()
    assert api.client.delete(api.url(version_id), headers=api.headers).status_code == 204
    api.advance(120)
    dataset = api.dataset_view()
    assert dataset["current_version_id"] == "" and dataset["dataset_version_count"] == 0


@pytest.mark.parametrize(
    ("body", "code", "field"),
    [
        ({"version_name": ""}, "ModelArts.4396", "version_name"),
        ({"version_name": "x" * 33}, "ModelArts.4396", "version_name"),
        ({"train_evaluate_sample_ratio": "1.5"}, "ModelArts.4396", "train_evaluate_sample_ratio"),
        ({"train_evaluate_sample_ratio": "half"}, "ModelArts.4396", "train_evaluate_sample_ratio"),
        ({"version_format": "XML"}, "ModelArts.0104", "version_format"),
        ({"export_images": "yes"}, "ModelArts.0104", "export_images"),
    ],
)
def test_a_bad_body_is_refused_naming_the_field_and_changes_nothing(
    api: Api, body: dict[str, Any], code: str, field: str
) -> None:
    refused(api.create(body), code, field)
    dataset = api.dataset_view()
    assert dataset["next_version_num"] == 1 and dataset["dataset_version_count"] == 0
    assert api.list().json() == {"total_number": 0, "versions": []}


def test_a_name_in_use_is_refused(api: Api) -> None:
    api.created({"version_name": "V002"})
    api.advance(61)
    refused(api.create(), "ModelArts.4371", "V002")
    assert api.dataset_view()["dataset_version_count"] == 1


def test_an_unknown_dataset_or_version_is_refused(api: Api) -> None:
    refused(api.describe("a" * 19), "ModelArts.4353", "version_id")
    api.dataset = "b" * 19
    refused(api.create(), "ModelArts.4352")
    refused(api.list(), "ModelArts.4352")


def test_another_project_cannot_see_the_versions(client: TestClient, api: Api) -> None:
    version_id = api.created()
    other = Api(client, OTHER)
    other.dataset = api.dataset
    refused(other.list(), "ModelArts.4352")
    refused(other.describe(version_id), "ModelArts.4352")
    refused(other.client.delete(other.url(version_id), headers=other.headers), "ModelArts.4352")
    cross = client.get(api.url(version_id), headers=other.headers)
    assert cross.status_code == 403 and cross.json()["error_code"] == "ModelArts.0210"
    assert api.describe(version_id).status_code == 200


def test_update_dataset_switches_to_a_published_version_only(api: Api) -> None:
    first = api.created()
    api.advance(60)
    second = api.created()
    switch = f"{api.base}/{api.dataset}"
    publishing = api.client.put(switch, json={"current_version_id": second}, headers=api.headers)
    refused(publishing, "ModelArts.4353", "current_version_id", "not published")
    api.advance(30)
    assert api.dataset_view()["current_version_id"] == second
    back = api.client.put(switch, json={"current_version_id": first}, headers=api.headers)
    assert back.status_code == 200
    view = api.dataset_view()
    assert (view["current_version_id"], view["current_version_name"]) == (first, "V001")

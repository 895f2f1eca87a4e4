"""ModelArts samples: upload, list pages, describe, update, delete, and the dataset's counts."""

from __future__ import annotations

import base64
import json
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
HEX32 = re.compile(r"^[0-9a-f]{32}$")
DATA = base64.b64encode(b"\x89PNG fake image bytes").decode()
CAT = {"name": "cat", "type": 0}
DOG = {"name": "dog", "type": 0}


class Api:
    """A client holding one project's token, working on one dataset."""

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

    def samples_url(self, dataset: str | None = None) -> str:
        return f"{self.base}/{dataset or self.dataset}/data-annotations/samples"

    def upload(self, body: Any, dataset: str | None = None) -> Any:
        return self.client.post(self.samples_url(dataset), json=body, headers=self.headers)

    def uploaded(self, *names: str, labels: list[dict[str, Any]] | None = None) -> list[str]:
        body = {"samples": [{"name": n, "data": DATA, "labels": labels or []} for n in names]}
        response = self.upload(body)
        assert response.status_code == 200, response.text
        assert response.json()["success"] is True, response.text
        return [result["info"] for result in response.json()["results"]]

    def list(self, dataset: str | None = None, **query: Any) -> Any:
        return self.client.get(self.samples_url(dataset), params=query, headers=self.headers)

    def names(self, **query: Any) -> list[str]:
        response = self.list(**query)
        assert response.status_code == 200, response.text
        return [sample["sample_name"] for sample in response.json()["samples"]]

    def describe(self, sample_id: str, dataset: str | None = None) -> Any:
        url = f"{self.samples_url(dataset)}/{sample_id}"
        return self.client.get(url, headers=self.headers)

    def update(self, body: Any, dataset: str | None = None) -> Any:
        return self.client.put(self.samples_url(dataset), json=body, headers=self.headers)

    def delete(self, body: Any, dataset: str | None = None) -> Any:
        url = f"{self.samples_url(dataset)}/delete"
        return self.client.post(url, json=body, headers=self.headers)

    def counts(self) -> tuple[int, int, int]:
        response = self.client.get(f"{self.base}/{self.dataset}", headers=self.headers)
        assert response.status_code == 200, response.text
        view = response.json()
        return (
            view["total_sample_count"],
            view["annotated_sample_count"],
            view["unconfirmed_sample_count"],
        )


@pytest.fixture
def client() -> Iterator[TestClient]:
    with TestClient(create_app(Settings(clock="manual", seed=1, rate_limits=False))) as running:
        yield running


@pytest.fixture
def api(client: TestClient) -> Api:
    made = Api(client, PROJECT)
    made.make_dataset()
    return made


def refused(response: Any, status: int, code: str, *words: str) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["error_code"] == code, body
    for word in words:
        assert word in body["error_msg"], body
    assert response.headers["x-request-id"]


def test_upload_answers_one_result_per_sample_with_its_id(api: Api) -> None:
    clock = api.client.get("/_mock/clock", params={"tenant": f"modelarts:{PROJECT}"})
    now_ms = int(clock.json()["epoch_seconds"] * 1000)
    body = {"samples": [{"name": "a.png", "data": DATA}, {"name": "b.png", "data": DATA}]}
    response = api.upload(body)
    assert response.status_code == 200, response.text
    assert response.headers["x-request-id"]
    answer = response.json()
    assert answer["success"] is True
    assert [r["name"] for r in answer["results"]] == [
        "obs://bucket/input/pets/a.png",
        "obs://bucket/input/pets/b.png",
    ]
    ids = [r["info"] for r in answer["results"]]
    assert all(r["success"] is True for r in answer["results"])
    assert all(HEX32.match(i) for i in ids) and ids[0] != ids[1]
    view = api.describe(ids[0]).json()
    assert view["sample_id"] == ids[0] and view["sample_name"] == "a.png"
    assert view["sample_status"] == "__NONE__" and view["labels"] == []
    assert view["sample_size"] == len(base64.b64decode(DATA))
    assert view["sample_dir"] == "/bucket/input/pets/"
    assert isinstance(view["sample_time"], int) and abs(view["sample_time"] - now_ms) <= 1


def test_upload_reports_duplicate_names_and_bad_data_per_item(api: Api) -> None:
    api.uploaded("a.png")
    body = {
        "samples": [
            {"name": "a.png", "data": DATA},
            {"name": "c.png", "data": "not base64!"},
            {"name": "d.png", "data": DATA},
        ]
    }
    response = api.upload(body)
    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["success"] is False
    first, second, third = answer["results"]
    assert first["success"] is False and first["error_code"] == "ModelArts.4422"
    assert "samples.0.name" in first["error_msg"] and first["name"] == "a.png"
    assert second["success"] is False and second["error_code"] == "ModelArts.4421"
    assert "samples.1.data" in second["error_msg"]
    assert third["success"] is True and HEX32.match(third["info"])
    assert api.names() == ["a.png", "d.png"]
    assert api.counts() == (2, 0, 0)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"samples": [{"name": "x.png", "data": DATA, "sample_type": 3}]}, "samples.0.sample_type"),
        ({"samples": [{"name": "x" * 1025, "data": DATA}]}, "samples.0.name"),
        ({"samples": [{"data": DATA, "labels": [{"type": 0}]}]}, "samples.0.labels.0.name"),
    ],
)
def test_upload_refuses_a_bad_body_whole_naming_the_field(api: Api, body: Any, field: str) -> None:
    api.uploaded("keep.png")
    refused(api.upload(body), 400, "ModelArts.0104", field)
    assert api.names() == ["keep.png"]
    assert api.counts() == (1, 0, 0)


def test_list_pages_are_slices_in_upload_order(api: Api) -> None:
    api.uploaded(*(f"{n:02}.png" for n in range(25)))
    first = api.list()
    assert first.status_code == 200
    assert first.json()["sample_count"] == 25
    assert [s["sample_name"] for s in first.json()["samples"]] == [f"{n:02}.png" for n in range(10)]
    assert api.names(offset=2, limit=10) == [f"{n:02}.png" for n in range(20, 25)]
    assert api.names(offset=3, limit=2) == ["06.png", "07.png"]
    assert api.names(offset=3) == []


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"limit": 0}, "limit"),
        ({"limit": 101}, "limit"),
        ({"offset": -1}, "offset"),
        ({"search_conditions": "{not json"}, "search_conditions"),
    ],
)
def test_list_refuses_bad_parameters_naming_them(api: Api, query: Any, field: str) -> None:
    refused(api.list(**query), 400, "ModelArts.0104", field)


def test_list_filters_by_state_label_and_search(api: Api) -> None:
    api.uploaded("cat1.png", "cat2.png", labels=[CAT])
    api.uploaded("both.png", labels=[CAT, DOG])
    api.uploaded("plain1.png", "plain2.png")
    labeled = api.list(sample_state="__ALL__").json()
    assert labeled["sample_count"] == 3
    assert [s["sample_name"] for s in labeled["samples"]] == ["cat1.png", "cat2.png", "both.png"]
    assert api.names(sample_state="__NONE__") == ["plain1.png", "plain2.png"]
    assert api.names(sample_state="__none__") == ["plain1.png", "plain2.png"]
    assert api.names(sample_state="LABELED") == []
    assert api.names(sample_state="__NONE__", offset=1, limit=1) == ["plain2.png"]
    assert api.names(label_name="dog") == ["both.png"]
    by_name = json.dumps([{"sample_name": "PLAIN"}])
    assert api.names(search_conditions=by_name) == ["plain1.png", "plain2.png"]
    both = json.dumps([{"label_list": {"labels": [CAT, DOG], "op": "AND"}}])
    assert api.names(search_conditions=both) == ["both.png"]
    either = json.dumps([{"label_list": {"labels": [CAT, DOG], "op": "OR"}}])
    answer = api.list(search_conditions=either, limit=2).json()
    assert answer["sample_count"] == 3
    assert [s["sample_name"] for s in answer["samples"]] == ["cat1.png", "cat2.png"]


def test_update_relabels_and_clears_with_per_item_results(api: Api) -> None:
    plain, labeled = api.uploaded("plain.png"), api.uploaded("cat.png", labels=[CAT])
    assert api.counts() == (2, 1, 0)
    body = {
        "samples": [
            {"sample_id": plain[0], "labels": [DOG], "sample_usage": "TRAIN"},
            {"sample_id": "0" * 32, "labels": [DOG]},
            {"sample_id": labeled[0]},
        ]
    }
    response = api.update(body)
    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["success"] is False
    first, missing, cleared = answer["results"]
    assert first == {"success": True} and cleared == {"success": True}
    assert missing["success"] is False and missing["error_code"] == "ModelArts.4420"
    assert "samples.1.sample_id" in missing["error_msg"]
    now_dog = api.describe(plain[0]).json()
    assert now_dog["labels"] == [DOG] and now_dog["sample_status"] == "__ALL__"
    assert now_dog["sample_usage"] == "TRAIN"
    now_clear = api.describe(labeled[0]).json()
    assert now_clear["labels"] == [] and now_clear["sample_status"] == "__NONE__"
    assert api.names(sample_state="__ALL__") == ["plain.png"]
    assert api.names(sample_state="__NONE__") == ["cat.png"]
    assert api.counts() == (2, 1, 0)


def test_update_refuses_a_bad_body_and_changes_nothing(api: Api) -> None:
    sample_id = api.uploaded("cat.png", labels=[CAT])[0]
    bad_usage = {"samples": [{"sample_id": sample_id, "sample_usage": "PLAY"}]}
    refused(api.update(bad_usage), 400, "ModelArts.0104", "samples.0.sample_usage")
    assert api.describe(sample_id).json()["labels"] == [CAT]
    assert api.counts() == (1, 1, 0)


def test_labels_awaiting_confirmation_count_as_unconfirmed(api: Api) -> None:
    body = {"samples": [{"name": "pre.png", "data": DATA, "labels": [CAT]}]}
    response = api.upload({**body, "final_annotation": False})
    sample_id = response.json()["results"][0]["info"]
    assert api.describe(sample_id).json()["sample_status"] == "__AUTO_ANNOTATION__"
    assert api.counts() == (1, 0, 1)
    assert api.update({"samples": [{"sample_id": sample_id, "labels": [CAT]}]}).status_code == 200
    assert api.counts() == (1, 1, 0)


def test_delete_removes_samples_and_reports_unknown_ids(api: Api) -> None:
    ids = api.uploaded("a.png", "b.png", "c.png", labels=[CAT])
    assert api.counts() == (3, 3, 0)
    response = api.delete({"samples": [ids[1], "f" * 32, ids[1]], "delete_source": False})
    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["success"] is False
    gone, unknown, again = answer["results"]
    assert gone == {"success": True}
    assert unknown["error_code"] == "ModelArts.4420" and "samples.1" in unknown["error_msg"]
    assert again["success"] is False and again["error_code"] == "ModelArts.4420"
    assert api.names() == ["a.png", "c.png"]
    assert api.names(sample_state="__ALL__") == ["a.png", "c.png"]
    refused(api.describe(ids[1]), 400, "ModelArts.4420", ids[1])
    assert api.counts() == (2, 2, 0)
    whole = api.delete({"samples": [ids[0], ids[2]]})
    assert whole.json() == {"success": True, "results": [{"success": True}, {"success": True}]}
    assert api.counts() == (0, 0, 0)
    assert api.list().json() == {"sample_count": 0, "samples": []}


def test_a_deleted_name_can_be_uploaded_again(api: Api) -> None:
    first = api.uploaded("a.png")[0]
    assert api.delete({"samples": [first]}).json()["success"] is True
    second = api.uploaded("a.png")[0]
    assert second != first and api.names() == ["a.png"]


def test_delete_refuses_a_bad_body_and_changes_nothing(api: Api) -> None:
    sample_id = api.uploaded("a.png")[0]
    refused(api.delete({"samples": [sample_id, 7]}), 400, "ModelArts.0104", "samples.1")
    assert api.names() == ["a.png"] and api.counts() == (1, 0, 0)


def test_unknown_sample_is_refused_with_4420(api: Api) -> None:
    refused(api.describe("a" * 32), 400, "ModelArts.4420", "a" * 32)


def test_every_operation_on_an_unknown_dataset_is_refused_with_4352(api: Api) -> None:
    missing = "NoSuchDataset123456"
    upload = {"samples": [{"name": "a.png", "data": DATA}]}
    refused(api.upload(upload, missing), 400, "ModelArts.4352", missing)
    refused(api.list(missing), 400, "ModelArts.4352", missing)
    refused(api.describe("a" * 32, missing), 400, "ModelArts.4352")
    update = {"samples": [{"sample_id": "a" * 32}]}
    refused(api.update(update, missing), 400, "ModelArts.4352")
    refused(api.delete({"samples": ["a" * 32]}, missing), 400, "ModelArts.4352")


def test_samples_belong_to_their_dataset(api: Api) -> None:
    first = api.dataset
    sample_id = api.uploaded("a.png")[0]
    second = api.make_dataset("other")
    assert api.names() == []
    refused(api.describe(sample_id), 400, "ModelArts.4420")
    assert api.delete({"samples": [sample_id]}).json()["success"] is False
    assert api.counts() == (0, 0, 0)
    api.dataset = first
    assert api.names() == ["a.png"] and api.counts() == (1, 0, 0)
    assert second != first


def test_another_project_cannot_see_the_samples(api: Api, client: TestClient) -> None:
    sample_id = api.uploaded("a.png")[0]
    other = Api(client, OTHER)
    refused(other.list(api.dataset), 400, "ModelArts.4352")
    refused(other.describe(sample_id, api.dataset), 400, "ModelArts.4352")
    refused(other.delete({"samples": [sample_id]}, api.dataset), 400, "ModelArts.4352")
    foreign = f"{ROOT}/v2/{OTHER}/datasets/{api.dataset}/data-annotations/samples"
    refused(client.get(foreign, headers=api.headers), 403, "ModelArts.0210")
    assert api.names() == ["a.png"]


def test_samples_need_a_token(api: Api) -> None:
    response = api.client.get(api.samples_url())
    assert response.status_code == 401
    assert response.json()["error_code"] == "ModelArts.0205"


def test_sample_ids_follow_the_seed() -> None:
    def run() -> list[str]:
        with TestClient(create_app(Settings(clock="manual", seed=7, rate_limits=False))) as fresh:
            made = Api(fresh, PROJECT)
            made.make_dataset()
            return made.uploaded("a.png", "b.png")

    assert run() == run()

"""ModelArts dataset labels (list, batch create/update/delete, one label) and statistics."""

from __future__ import annotations

import base64
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
DAISY = {"name": "daisy", "type": 0, "property": {"@modelarts:color": "#266b5e"}}
ROSE = {"name": "rose", "type": 0, "property": {"@modelarts:color": "#ff0000"}}


class Api:
    """A client holding one project's token, with one dataset to label."""

    def __init__(self, client: TestClient, project: str) -> None:
        self.client = client
        self.base = f"{ROOT}/v2/{project}/datasets"
        self.headers = token_headers(client, project)

    def dataset(self, name: str = "flowers", labels: list[dict[str, Any]] | None = None) -> str:
        body = {
            "dataset_name": name,
            "data_sources": [{"data_type": 0, "data_path": "/bucket/input/flowers/"}],
            "work_path": "/bucket/output/",
            "work_path_type": 0,
            "labels": labels or [],
        }
        response = self.client.post(self.base, json=body, headers=self.headers)
        assert response.status_code == 201, response.text
        dataset_id: str = response.json()["dataset_id"]
        return dataset_id

    def call(self, method: str, dataset_id: str, tail: str, **kwargs: Any) -> Any:
        url = f"{self.base}/{dataset_id}/data-annotations/{tail}"
        return self.client.request(method, url, headers=self.headers, **kwargs)

    def labels(self, dataset_id: str, **query: Any) -> list[dict[str, Any]]:
        response = self.call("GET", dataset_id, "labels", params=query)
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["total_number"] == len(self.call("GET", dataset_id, "labels").json()["labels"])
        labels: list[dict[str, Any]] = body["labels"]
        return labels

    def names(self, dataset_id: str) -> list[str]:
        return [label["name"] for label in self.labels(dataset_id)]

    def stats(self, dataset_id: str, **query: Any) -> Any:
        response = self.call("GET", dataset_id, "stats", params=query)
        assert response.status_code == 200, response.text
        return response.json()


@pytest.fixture
def client() -> Iterator[TestClient]:
    with TestClient(create_app(Settings(clock="manual", seed=1, rate_limits=False))) as running:
        yield running


@pytest.fixture
def api(client: TestClient) -> Api:
    return Api(client, PROJECT)


def refused(response: Any, status: int, code: str, *words: str) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["error_code"] == code, body
    for word in words:
        assert word in body["error_msg"], body
    assert response.headers["x-request-id"]


def test_list_shows_the_labels_the_dataset_was_created_with(api: Api) -> None:
    dataset_id = api.dataset(labels=[DAISY, ROSE])
    response = api.call("GET", dataset_id, "labels")
    assert response.status_code == 200
    assert response.json() == {"total_number": 2, "labels": [DAISY, ROSE]}
    assert response.headers["x-request-id"]


def test_list_pages_with_offset_and_limit_and_counts_all(api: Api) -> None:
    labels = [{"name": f"l{i}", "type": 0} for i in range(5)]
    dataset_id = api.dataset(labels=labels)
    body = api.call("GET", dataset_id, "labels", params={"offset": 1, "limit": 2}).json()
    assert body["total_number"] == 5
    assert [label["name"] for label in body["labels"]] == ["l2", "l3"]


@pytest.mark.parametrize(
    ("query", "field"),
    [({"limit": 0}, "limit"), ({"limit": 100001}, "limit"), ({"offset": -1}, "offset")],
)
def test_list_refuses_bad_paging(api: Api, query: dict[str, Any], field: str) -> None:
    dataset_id = api.dataset()
    refused(api.call("GET", dataset_id, "labels", params=query), 400, "ModelArts.0104", field)


def test_list_refuses_an_unknown_version(api: Api) -> None:
    dataset_id = api.dataset(labels=[DAISY])
    response = api.call("GET", dataset_id, "labels", params={"version_id": "nope"})
    refused(response, 400, "ModelArts.4353", "version_id")


def test_create_adds_labels_and_answers_a_batch_response(api: Api) -> None:
    dataset_id = api.dataset()
    response = api.call("POST", dataset_id, "labels", json={"labels": [DAISY, ROSE]})
    assert response.status_code == 200
    assert response.json() == {"success": True, "results": [{"success": True}] * 2}
    assert api.labels(dataset_id) == [DAISY, ROSE]
    described = api.client.get(f"{api.base}/{dataset_id}", headers=api.headers).json()
    assert described["labels"] == [DAISY, ROSE]


def test_create_reports_an_existing_label_per_item_and_adds_the_rest(api: Api) -> None:
    dataset_id = api.dataset(labels=[DAISY])
    tulip = {"name": "tulip", "type": 0}
    body = {"labels": [{"name": "daisy", "type": 0}, tulip, {"name": "tulip"}]}
    response = api.call("POST", dataset_id, "labels", json=body)
    assert response.status_code == 200
    answer = response.json()
    assert answer["success"] is False
    first, second, third = answer["results"]
    assert first["success"] is False and first["error_code"] == "ModelArts.4411"
    assert "labels.0.name" in first["error_msg"] and "daisy" in first["error_msg"]
    assert second == {"success": True}
    assert third["success"] is False and "labels.2.name" in third["error_msg"]
    assert api.labels(dataset_id) == [DAISY, tulip]


def test_create_reports_a_label_type_that_does_not_exist(api: Api) -> None:
    dataset_id = api.dataset()
    response = api.call("POST", dataset_id, "labels", json={"labels": [{"name": "x", "type": 400}]})
    result = response.json()["results"][0]
    assert result["error_code"] == "ModelArts.4396" and "labels.0.type" in result["error_msg"]
    assert api.labels(dataset_id) == []


@pytest.mark.parametrize(
    ("body", "field"),
    [({"labels": [{"type": 0}]}, "labels.0.name")],
)
def test_batch_writes_refuse_a_bad_body_whole(api: Api, body: Any, field: str) -> None:
    dataset_id = api.dataset(labels=[DAISY])
    for method, tail in (("POST", "labels"), ("PUT", "labels"), ("POST", "labels/delete")):
        refused(api.call(method, dataset_id, tail, json=body), 400, "ModelArts.0104", field)
    assert api.labels(dataset_id) == [DAISY]


def test_batch_writes_refuse_an_unknown_dataset(api: Api) -> None:
    for method, tail in (("POST", "labels"), ("PUT", "labels"), ("POST", "labels/delete")):
        response = api.call(method, "A" * 19, tail, json={"labels": [DAISY]})
        refused(response, 400, "ModelArts.4352", "A" * 19)
    refused(api.call("GET", "A" * 19, "labels"), 400, "ModelArts.4352")
    refused(api.call("GET", "A" * 19, "stats"), 400, "ModelArts.4352")


def test_update_merges_fields_and_property(api: Api) -> None:
    dataset_id = api.dataset(labels=[DAISY, ROSE])
    change = {"name": "daisy", "property": {"@modelarts:shortcut": "d"}}
    response = api.call("PUT", dataset_id, "labels", json={"labels": [change]})
    assert response.status_code == 200
    assert response.json() == {"success": True, "results": [{"success": True}]}
    daisy = api.labels(dataset_id)[0]
    assert daisy == {
        "name": "daisy",
        "type": 0,
        "property": {"@modelarts:color": "#266b5e", "@modelarts:shortcut": "d"},
    }


def test_update_renames_with_rename_to(api: Api) -> None:
    dataset_id = api.dataset(labels=[DAISY, ROSE])
    change = {"name": "daisy", "property": {"@modelarts:rename_to": "bellis"}}
    response = api.call("PUT", dataset_id, "labels", json={"labels": [change]})
    assert response.json()["success"] is True
    assert api.labels(dataset_id)[0] == {**DAISY, "name": "bellis"}
    assert api.names(dataset_id) == ["bellis", "rose"]


def test_update_reports_missing_labels_and_rename_clashes_per_item(api: Api) -> None:
    dataset_id = api.dataset(labels=[DAISY, ROSE])
    body = {
        "labels": [
            {"name": "lily", "property": {"@modelarts:color": "#000000"}},
            {"name": "daisy", "property": {"@modelarts:rename_to": "rose"}},
            {"name": "rose", "property": {"@modelarts:color": "#00ff00"}},
        ]
    }
    answer = api.call("PUT", dataset_id, "labels", json=body).json()
    assert answer["success"] is False
    missing, clash, done = answer["results"]
    assert missing["error_code"] == "ModelArts.4410" and "labels.0.name" in missing["error_msg"]
    assert clash["error_code"] == "ModelArts.4411"
    assert "labels.1.property.@modelarts:rename_to" in clash["error_msg"]
    assert done == {"success": True}
    assert api.labels(dataset_id) == [DAISY, {**ROSE, "property": {"@modelarts:color": "#00ff00"}}]


def test_delete_removes_labels_per_item(api: Api) -> None:
    dataset_id = api.dataset(labels=[DAISY, ROSE])
    body = {"labels": [{"name": "daisy"}, {"name": "lily"}]}
    response = api.call("POST", dataset_id, "labels/delete", json=body)
    assert response.status_code == 200
    answer = response.json()
    assert answer["success"] is False
    assert answer["results"][0] == {"success": True}
    assert answer["results"][1]["error_code"] == "ModelArts.4410"
    assert "labels.1.name" in answer["results"][1]["error_msg"]
    assert api.names(dataset_id) == ["rose"]


def test_delete_with_a_type_must_match_the_label(api: Api) -> None:
    dataset_id = api.dataset(labels=[DAISY])
    body = {"labels": [{"name": "daisy", "type": 1}]}
    answer = api.call("POST", dataset_id, "labels/delete", json=body).json()
    assert answer["results"][0]["error_code"] == "ModelArts.4410"
    assert api.names(dataset_id) == ["daisy"]


@pytest.mark.parametrize("policy", ["3", "x", "-1"])
def test_delete_refuses_an_unknown_policy(api: Api, policy: str) -> None:
    dataset_id = api.dataset(labels=[DAISY])
    response = api.call(
        "POST",
        dataset_id,
        "labels/delete",
        params={"delete_policy": policy},
        json={"labels": [DAISY]},
    )
    refused(response, 400, "ModelArts.0104", "delete_policy")
    assert api.names(dataset_id) == ["daisy"]


def upload(api: Api, dataset_id: str, name: str, labels: list[dict[str, Any]]) -> None:
    sample = {"name": name, "data": base64.b64encode(name.encode()).decode(), "labels": labels}
    response = api.call("POST", dataset_id, "samples", json={"samples": [sample]})
    assert response.status_code == 200 and response.json()["success"] is True, response.text


def test_delete_policy_1_also_deletes_samples_carrying_only_that_label(api: Api) -> None:
    dataset_id = api.dataset(labels=[DAISY, ROSE])
    upload(api, dataset_id, "a.jpg", [{"name": "daisy", "type": 0}])
    upload(api, dataset_id, "b.jpg", [{"name": "daisy", "type": 0}, {"name": "rose", "type": 0}])
    body = {"labels": [{"name": "daisy"}]}
    response = api.call("POST", dataset_id, "labels/delete", params={"delete_policy": 1}, json=body)
    assert response.json()["success"] is True
    samples = api.call("GET", dataset_id, "samples").json()
    assert [sample["sample_name"] for sample in samples["samples"]] == ["b.jpg"]


def test_delete_policy_0_keeps_the_samples(api: Api) -> None:
    dataset_id = api.dataset(labels=[DAISY])
    upload(api, dataset_id, "a.jpg", [{"name": "daisy", "type": 0}])
    api.call("POST", dataset_id, "labels/delete", json={"labels": [{"name": "daisy"}]})
    assert api.call("GET", dataset_id, "samples").json()["sample_count"] == 1


def test_update_one_label_sets_its_property_and_answers_204(api: Api) -> None:
    dataset_id = api.dataset(labels=[DAISY, ROSE])
    response = api.call(
        "PUT",
        dataset_id,
        "labels/daisy",
        params={"label_type": 0},
        json={"@modelarts:color": "#93c47d"},
    )
    assert response.status_code == 204 and response.content == b""
    assert response.headers["x-request-id"]
    assert api.labels(dataset_id) == [{**DAISY, "property": {"@modelarts:color": "#93c47d"}}, ROSE]


def test_update_one_label_takes_a_percent_encoded_name(api: Api) -> None:
    dataset_id = api.dataset(labels=[{"name": "花", "type": 0}])
    response = api.call("PUT", dataset_id, "labels/%E8%8A%B1", json={"@modelarts:color": "#ffffff"})
    assert response.status_code == 204
    assert api.labels(dataset_id) == [
        {"name": "花", "type": 0, "property": {"@modelarts:color": "#ffffff"}}
    ]


@pytest.mark.parametrize(
    ("tail", "query", "code", "field"),
    [
        ("labels/lily", {}, "ModelArts.4410", "label_name"),
        ("labels/daisy", {"label_type": 1}, "ModelArts.4410", "label_name"),
        ("labels/daisy", {"label_type": 400}, "ModelArts.0104", "label_type"),
    ],
)
def test_one_label_writes_refuse_and_change_nothing(
    api: Api, tail: str, query: dict[str, Any], code: str, field: str
) -> None:
    dataset_id = api.dataset(labels=[DAISY])
    put = api.call("PUT", dataset_id, tail, params=query, json={"@modelarts:color": "#000000"})
    refused(put, 400, code, field)
    refused(api.call("DELETE", dataset_id, tail, params=query), 400, code, field)
    assert api.labels(dataset_id) == [DAISY]


def test_delete_one_label_answers_204_and_deletes_its_only_samples(api: Api) -> None:
    dataset_id = api.dataset(labels=[DAISY, ROSE])
    upload(api, dataset_id, "a.jpg", [{"name": "daisy", "type": 0}])
    upload(api, dataset_id, "b.jpg", [{"name": "rose", "type": 0}])
    response = api.call("DELETE", dataset_id, "labels/daisy", params={"label_type": 0})
    assert response.status_code == 204
    assert api.names(dataset_id) == ["rose"]
    samples = api.call("GET", dataset_id, "samples").json()["samples"]
    assert [sample["sample_name"] for sample in samples] == ["b.jpg"]


def test_delete_one_label_refuses_a_bad_delete_source(api: Api) -> None:
    dataset_id = api.dataset(labels=[DAISY])
    response = api.call("DELETE", dataset_id, "labels/daisy", params={"delete_source": "maybe"})
    refused(response, 400, "ModelArts.0104", "delete_source")
    assert api.names(dataset_id) == ["daisy"]


def test_stats_without_samples_list_every_label_with_zero_counts(api: Api) -> None:
    dataset_id = api.dataset(labels=[DAISY, ROSE])
    stats = api.stats(dataset_id)
    assert stats["label_stats"] == [
        {**DAISY, "count": 0, "sample_count": 0},
        {**ROSE, "count": 0, "sample_count": 0},
    ]
    assert stats["sample_stats"] == {"__ALL__": 0, "__NONE__": 0, "__AUTO_ANNOTATION__": 0}
    assert stats["data_path"] == "/bucket/input/flowers/"
    assert stats["data_spliting_enable"] is False
    for key in ("key_sample_stats", "hard_detail_stats", "metadata_stats", "grouped_label_stats"):
        assert stats[key] == {}


def test_stats_follow_label_writes(api: Api) -> None:
    dataset_id = api.dataset(labels=[DAISY])
    api.call("POST", dataset_id, "labels", json={"labels": [ROSE]})
    api.call("POST", dataset_id, "labels/delete", json={"labels": [{"name": "daisy"}]})
    names = [label["name"] for label in api.stats(dataset_id)["label_stats"]]
    assert names == ["rose"] == api.names(dataset_id)


def test_stats_count_samples_per_label_and_state(api: Api) -> None:
    dataset_id = api.dataset(labels=[DAISY, ROSE])
    twice = [{"name": "daisy", "type": 0}, {"name": "daisy", "type": 0}]
    upload(api, dataset_id, "a.jpg", twice)
    upload(api, dataset_id, "b.jpg", [{"name": "daisy", "type": 0}, {"name": "rose", "type": 0}])
    upload(api, dataset_id, "c.jpg", [])
    stats = api.stats(dataset_id)
    counts = {s["name"]: (s["count"], s["sample_count"]) for s in stats["label_stats"]}
    assert counts == {"daisy": (3, 2), "rose": (1, 1)}
    assert stats["sample_stats"]["__ALL__"] == 2 and stats["sample_stats"]["__NONE__"] == 1
    described = api.client.get(f"{api.base}/{dataset_id}", headers=api.headers).json()
    assert described["annotated_sample_count"] == stats["sample_stats"]["__ALL__"]
    narrowed = api.stats(dataset_id, sample_state="__NONE__")["label_stats"]
    assert [(s["count"], s["sample_count"]) for s in narrowed] == [(0, 0), (0, 0)]


def test_stats_in_an_undocumented_sample_state_count_nothing(api: Api) -> None:
    dataset_id = api.dataset(labels=[DAISY])
    response = api.call("GET", dataset_id, "stats", params={"sample_state": "__DONE__"})
    assert response.status_code == 200
    assert [label["count"] for label in response.json()["label_stats"]] == [0]


def test_another_project_cannot_see_or_change_the_labels(client: TestClient, api: Api) -> None:
    dataset_id = api.dataset(labels=[DAISY])
    other = Api(client, OTHER)
    refused(other.call("GET", dataset_id, "labels"), 400, "ModelArts.4352")
    refused(
        other.call("POST", dataset_id, "labels", json={"labels": [ROSE]}), 400, "ModelArts.4352"
    )
    refused(other.call("DELETE", dataset_id, "labels/daisy"), 400, "ModelArts.4352")
    refused(other.call("GET", dataset_id, "stats"), 400, "ModelArts.4352")
    assert api.labels(dataset_id) == [DAISY]


def test_labels_need_a_token(client: TestClient, api: Api) -> None:
    dataset_id = api.dataset(labels=[DAISY])
    url = f"{api.base}/{dataset_id}/data-annotations/labels"
    response = client.post(url, json={"labels": [ROSE]})
    assert response.status_code == 401
    assert api.labels(dataset_id) == [DAISY]

"""ModelArts datasets: create, list (paging, sorting, search), describe, update, delete."""

from __future__ import annotations

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
DATASETS = f"{ROOT}/v2/{PROJECT}/datasets"
ID = re.compile(r"^[A-Za-z0-9]{19}$")


class Api:
    """A client holding one project's token."""

    def __init__(self, client: TestClient, project: str) -> None:
        self.client = client
        self.project = project
        self.base = f"{ROOT}/v2/{project}/datasets"
        self.headers = token_headers(client, project)

    def create(self, name: str | None = "flowers", **fields: Any) -> Any:
        """Posts a valid body changed by ``fields``; a ``None`` value leaves that field out."""
        body: dict[str, Any] = {
            "dataset_name": name,
            "data_sources": [{"data_type": 0, "data_path": "/bucket/input/flowers/"}],
            "work_path": "/bucket/output/",
            "work_path_type": 0,
            **fields,
        }
        sent = {key: value for key, value in body.items() if value is not None}
        return self.client.post(self.base, json=sent, headers=self.headers)

    def made(self, name: str = "flowers", **fields: Any) -> str:
        response = self.create(name, **fields)
        assert response.status_code == 201, response.text
        dataset_id: str = response.json()["dataset_id"]
        return dataset_id

    def list(self, **query: Any) -> Any:
        return self.client.get(self.base, params=query, headers=self.headers)

    def names(self, **query: Any) -> list[str]:
        response = self.list(**query)
        assert response.status_code == 200, response.text
        return [item["dataset_name"] for item in response.json()["datasets"]]

    def describe(self, dataset_id: str) -> Any:
        return self.client.get(f"{self.base}/{dataset_id}", headers=self.headers)

    def update(self, dataset_id: str, body: Any) -> Any:
        return self.client.put(f"{self.base}/{dataset_id}", json=body, headers=self.headers)

    def delete(self, dataset_id: str) -> Any:
        return self.client.delete(f"{self.base}/{dataset_id}", headers=self.headers)

    def advance(self, seconds: float) -> None:
        response = self.client.post(
            "/_mock/clock/advance", json={"seconds": seconds, "tenant": f"modelarts:{self.project}"}
        )
        assert response.status_code == 200, response.text


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


def test_create_answers_201_with_a_19_char_id_and_the_request_id(api: Api) -> None:
    response = api.create()
    assert response.status_code == 201
    assert list(response.json()) == ["dataset_id", "import_task_id"]
    assert ID.match(response.json()["dataset_id"]) and ID.match(response.json()["import_task_id"])
    assert re.fullmatch(r"[0-9a-f]{32}", response.headers["x-request-id"])


def test_describe_shows_the_documented_fields(api: Api) -> None:
    clock = api.client.get("/_mock/clock", params={"tenant": f"modelarts:{PROJECT}"})
    now_ms = int(clock.json()["epoch_seconds"] * 1000)
    labels = [{"name": "daisy", "type": 0, "property": {"@modelarts:color": "#266b5e"}}]
    dataset_id = api.made("flowers", dataset_type=1, description="five kinds", labels=labels)
    response = api.describe(dataset_id)
    assert response.status_code == 200
    assert response.headers["x-request-id"]
    view = response.json()
    assert view["dataset_id"] == dataset_id and view["dataset_name"] == "flowers"
    assert view["dataset_type"] == 1 and view["dataset_format"] == 0
    assert view["data_format"] == "Default" and view["status"] == 1
    assert view["description"] == "five kinds"
    assert view["data_sources"] == [{"data_type": 0, "data_path": "/bucket/input/flowers/"}]
    assert view["work_path"] == "/bucket/output/" and view["work_path_type"] == 0
    assert view["workspace_id"] == "0"
    assert view["labels"] == labels
    assert view["total_sample_count"] == 0 and view["annotated_sample_count"] == 0
    assert view["versions"] == [] and view["dataset_version_count"] == 0
    assert isinstance(view["create_time"], int) and view["create_time"] == view["update_time"]
    assert abs(view["create_time"] - now_ms) <= 1
    assert view["inner_work_path"] == f"/bucket/output/flowers-{dataset_id}/"
    assert view["inner_annotation_path"] == f"/bucket/output/flowers-{dataset_id}/annotation/"
    assert view["inner_log_path"] == f"/bucket/output/flowers-{dataset_id}/logs/"


def test_a_table_dataset_has_the_table_format(api: Api) -> None:
    dataset_id = api.made("table", dataset_type=400, data_format="CarbonData")
    view = api.describe(dataset_id).json()
    assert view["dataset_format"] == 1 and view["data_format"] == "CarbonData"


def test_list_offset_is_a_page_number_newest_first(api: Api) -> None:
    for index in range(12):
        api.made(f"set-{index:02d}")
        api.advance(1)
    first = api.list()
    assert first.status_code == 200 and first.headers["x-request-id"]
    assert first.json()["total_number"] == 12
    assert [d["dataset_name"] for d in first.json()["datasets"]] == [
        f"set-{i:02d}" for i in range(11, 1, -1)
    ]
    assert api.names(offset=1) == ["set-01", "set-00"]
    assert api.names(offset=1, limit=2) == ["set-09", "set-08"]
    assert api.names(offset=2) == []
    assert api.list(offset=2).json()["total_number"] == 12
    times = [d["create_time"] for d in api.list(limit=100).json()["datasets"]]
    assert times == sorted(times, reverse=True) and len(set(times)) == 12


def test_list_sorts_by_name_or_time_either_way(api: Api) -> None:
    for name in ("beta", "alpha", "gamma"):
        api.made(name)
    assert api.names(order="asc") == ["beta", "alpha", "gamma"]
    assert api.names(sort_by="create_time") == ["gamma", "alpha", "beta"]
    assert api.names(sort_by="dataset_name", order="asc") == ["alpha", "beta", "gamma"]
    assert api.names(sort_by="dataset_name") == ["gamma", "beta", "alpha"]
    assert api.names(sort_by="dataset_name", offset=1, limit=1) == ["beta"]
    assert api.names(sort_by="dataset_name", order="asc", offset=2, limit=1) == ["gamma"]


def test_search_content_matches_part_of_the_name_and_counts_the_matches(api: Api) -> None:
    for name in ("cats-2024", "dogs-2024", "Cats-old", "birds"):
        api.made(name)
    response = api.list(search_content="cat", sort_by="dataset_name", order="asc")
    assert response.json()["total_number"] == 2
    assert [d["dataset_name"] for d in response.json()["datasets"]] == ["Cats-old", "cats-2024"]
    assert api.names(search_content="2024", limit=1) == ["dogs-2024"]
    assert api.list(search_content="2024", limit=1).json()["total_number"] == 2
    assert api.names(search_content="fish") == []


def test_list_filters_by_dataset_type(api: Api) -> None:
    api.made("images", dataset_type=0)
    api.made("texts", dataset_type=100)
    assert api.names(dataset_type=100) == ["texts"]
    assert api.list(dataset_type=100).json()["total_number"] == 1


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"limit": 0}, "limit"),
        ({"limit": 101}, "limit"),
        ({"limit": "ten"}, "limit"),
        ({"offset": -1}, "offset"),
        ({"sort_by": "status"}, "sort_by"),
        ({"order": "up"}, "order"),
        ({"dataset_type": 7}, "dataset_type"),
    ],
)
def test_bad_list_parameters_are_refused_by_name(
    api: Api, query: dict[str, Any], field: str
) -> None:
    refused(api.list(**query), 400, "ModelArts.0104", field)


def test_limit_100_is_accepted(api: Api) -> None:
    api.made()
    assert api.names(limit=100) == ["flowers"]


@pytest.mark.parametrize(
    ("fields", "status", "code", "field"),
    [
        ({"name": None}, 400, "ModelArts.0104", "dataset_name"),
        ({"name": ""}, 400, "ModelArts.4396", "dataset_name"),
        ({"name": "x" * 101}, 400, "ModelArts.4396", "dataset_name"),
        ({"name": "has space"}, 400, "ModelArts.4396", "dataset_name"),
        ({"name": "dot.name"}, 400, "ModelArts.4396", "dataset_name"),
        ({"description": "a" * 257}, 400, "ModelArts.4396", "description"),
        ({"description": "x<y"}, 400, "ModelArts.4396", "description"),
        ({"description": "it's"}, 400, "ModelArts.4396", "description"),
        ({"dataset_type": 2}, 400, "ModelArts.0104", "dataset_type"),
        ({"work_path_type": 1}, 400, "ModelArts.0104", "work_path_type"),
        ({"data_sources": [{"data_type": 9, "data_path": "/b/a/"}]}, 400, "ModelArts.0104",
         "data_sources.0.data_type"),
        ({"work_path": "/bucket/"}, 400, "ModelArts.4205", "work_path"),
        ({"work_path": "bucket/out/"}, 400, "ModelArts.4313", "work_path"),
        ({"work_path": "/bucket/input/flowers/out/"}, 400, "ModelArts.4313", "work_path"),
        ({"data_sources": [{"data_path": "/bucket/"}]}, 400, "ModelArts.4205",
         "data_sources.0.data_path"),
        ({"data_format": "Parquet"}, 400, "ModelArts.0104", "data_format"),
        ({"labels": [{"type": 0}]}, 400, "ModelArts.0104", "labels.0.name"),
        ({"labels": [{"name": "a"}, {"name": "a"}]}, 400, "ModelArts.4411", "labels.1.name"),
        ({"managed": "yes"}, 400, "ModelArts.0104", "managed"),
        ({"work_path": None}, 400, "ModelArts.0104", "work_path"),
    ],
)  # fmt: skip
def test_invalid_create_bodies_are_refused_by_field_and_store_nothing(
    api: Api, fields: dict[str, Any], status: int, code: str, field: str
) -> None:
    api.made("kept")
    response = api.create(**{"name": "fine", **fields})
    refused(response, status, code, field)
    assert api.names() == ["kept"]
    assert api.list().json()["total_number"] == 1


def test_each_missing_required_field_is_named(api: Api) -> None:
    response = api.client.post(api.base, json={}, headers=api.headers)
    refused(response, 400, "ModelArts.0104", "dataset_name", "data_sources", "work_path_type")
    assert api.list().json()["total_number"] == 0


def test_a_body_that_is_not_json_is_refused(api: Api) -> None:
    response = api.client.post(
        api.base, content=b"{", headers={**api.headers, "Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert response.json()["error_code"].startswith("ModelArts.")
    assert api.list().json()["total_number"] == 0


def test_a_duplicate_name_is_refused_with_4351(api: Api) -> None:
    api.made("flowers")
    refused(api.create("flowers"), 400, "ModelArts.4351", "dataset_name")
    assert api.list().json()["total_number"] == 1
    assert api.create("Flowers").status_code == 201


def test_obs_scheme_paths_are_accepted(api: Api) -> None:
    dataset_id = api.made(
        "obs-style",
        data_sources=[{"data_path": "obs://bucket/in/"}],
        work_path="obs://bucket/out",
    )
    view = api.describe(dataset_id).json()
    assert view["work_path"] == "obs://bucket/out"
    assert view["inner_work_path"] == f"/bucket/out/obs-style-{dataset_id}/"


def test_update_renames_describes_and_moves_update_time(api: Api) -> None:
    dataset_id = api.made("flowers", description="old")
    created = api.describe(dataset_id).json()
    api.advance(5)
    response = api.update(dataset_id, {"dataset_name": "blossoms", "description": "new"})
    assert response.status_code == 200 and response.headers["x-request-id"]
    assert response.json() == {"dataset_id": dataset_id}
    view = api.describe(dataset_id).json()
    assert view["dataset_name"] == "blossoms" and view["description"] == "new"
    assert view["create_time"] == created["create_time"]
    assert view["update_time"] == created["update_time"] + 5000
    assert api.names(sort_by="dataset_name") == ["blossoms"]
    assert api.names(search_content="flowers") == []
    assert api.create("flowers").status_code == 201


def test_update_adds_changes_and_deletes_labels(api: Api) -> None:
    dataset_id = api.made("flowers", labels=[{"name": "daisy", "type": 0}, {"name": "rose"}])
    response = api.update(
        dataset_id,
        {
            "add_labels": [{"name": "tulip", "type": 0}],
            "update_labels": [{"name": "daisy", "property": {"@modelarts:color": "#fff000"}}],
            "delete_labels": [{"name": "rose"}],
        },
    )
    assert response.status_code == 200, response.text
    labels = api.describe(dataset_id).json()["labels"]
    assert labels == [
        {"name": "daisy", "type": 0, "property": {"@modelarts:color": "#fff000"}},
        {"name": "tulip", "type": 0},
    ]


@pytest.mark.parametrize(
    ("body", "code", "field"),
    [
        ({"dataset_name": "bad name"}, "ModelArts.4396", "dataset_name"),
        ({"dataset_name": "other"}, "ModelArts.4351", "dataset_name"),
        ({"dataset_name": 5}, "ModelArts.0104", "dataset_name"),
        ({"description": "a&b"}, "ModelArts.4396", "description"),
        ({"current_version_id": "NoSuchVersion123456"}, "ModelArts.4353", "current_version_id"),
        ({"add_labels": [{"name": "daisy"}]}, "ModelArts.4411", "add_labels.0.name"),
        ({"update_labels": [{"name": "rose"}]}, "ModelArts.4410", "update_labels.0.name"),
        ({"delete_labels": [{"name": "rose"}]}, "ModelArts.4410", "delete_labels.0.name"),
        ({"delete_labels": [{}]}, "ModelArts.0104", "delete_labels.0.name"),
    ],
)
def test_invalid_updates_are_refused_by_field_and_change_nothing(
    api: Api, body: dict[str, Any], code: str, field: str
) -> None:
    dataset_id = api.made("flowers", description="kept", labels=[{"name": "daisy"}])
    api.made("other")
    before = api.describe(dataset_id).json()
    # a valid change riding along must not be applied either
    refused(api.update(dataset_id, {"description": "changed", **body}), 400, code, field)
    assert api.describe(dataset_id).json() == before
    assert api.names(sort_by="dataset_name", order="asc") == ["flowers", "other"]


def test_delete_answers_204_empty_and_the_dataset_is_gone(api: Api) -> None:
    dataset_id = api.made("flowers")
    kept = api.made("kept")
    response = api.delete(dataset_id)
    assert response.status_code == 204
    assert response.content == b""
    assert response.headers["x-request-id"]
    refused(api.describe(dataset_id), 400, "ModelArts.4352", dataset_id)
    refused(api.delete(dataset_id), 400, "ModelArts.4352")
    refused(api.update(dataset_id, {"description": "x"}), 400, "ModelArts.4352")
    assert api.names() == ["kept"] and api.list().json()["total_number"] == 1
    assert api.describe(kept).status_code == 200
    assert api.create("flowers").status_code == 201


def test_an_unknown_dataset_is_400_4352(api: Api) -> None:
    refused(api.describe("AAAAAAAAAAAAAAAAAAA"), 400, "ModelArts.4352")


def test_another_projects_token_cannot_reach_the_dataset(client: TestClient) -> None:
    owner, stranger = Api(client, PROJECT), Api(client, OTHER)
    dataset_id = owner.made("private")
    url = f"{DATASETS}/{dataset_id}"
    for method in ("GET", "PUT", "DELETE"):
        kwargs: dict[str, Any] = {"json": {"description": "x"}} if method == "PUT" else {}
        response = client.request(method, url, headers=stranger.headers, **kwargs)
        refused(response, 403, "ModelArts.0210")
    refused(client.get(DATASETS, headers=stranger.headers), 403, "ModelArts.0210")
    refused(stranger.describe(dataset_id), 400, "ModelArts.4352")
    assert stranger.list().json() == {"total_number": 0, "datasets": []}
    assert stranger.made("private") != dataset_id
    assert owner.names() == ["private"] and stranger.names() == ["private"]
    assert owner.describe(dataset_id).json()["description"] == ""


def test_calls_without_a_token_are_refused(client: TestClient) -> None:
    refused(client.get(DATASETS), 401, "ModelArts.0205")


def test_the_same_seed_gives_the_same_ids() -> None:
    ids = []
    for _ in range(2):
        settings = Settings(clock="manual", seed=7, rate_limits=False)
        with TestClient(create_app(settings)) as running:
            ids.append(Api(running, PROJECT).made())
    assert ids[0] == ids[1]


def test_the_tenant_summary_counts_datasets(api: Api) -> None:
    api.made("one")
    api.made("two")
    tenants = api.client.get("/_mock/tenants").json()["tenants"]
    mine = next(t for t in tenants if t["credential"] == PROJECT)
    assert mine["resources"]["datasets"] == 2

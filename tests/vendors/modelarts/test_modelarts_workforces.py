"""ModelArts labeling teams and members: workforces and workers through the ASGI app."""

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
ID = re.compile(r"^[A-Za-z0-9]{19}$")
WORKER_ID = re.compile(r"^[0-9a-f]{32}$")


class Api:
    """A client holding one project's token."""

    def __init__(self, client: TestClient, project: str) -> None:
        self.client = client
        self.project = project
        self.base = f"{ROOT}/v2/{project}/workforces"
        self.headers = token_headers(client, project)

    def call(self, method: str, path: str = "", body: Any = None, **query: Any) -> Any:
        return self.client.request(
            method, self.base + path, json=body, params=query, headers=self.headers
        )

    def made(self, name: str = "team", **fields: Any) -> str:
        response = self.call("POST", body={"workforce_name": name, **fields})
        assert response.status_code == 201, response.text
        workforce_id: str = response.json()["workforce_id"]
        return workforce_id

    def hired(self, workforce_id: str, email: str, role: Any = 0, **fields: Any) -> str:
        body = {"emails": email, "role": role, **fields}
        response = self.call("POST", f"/{workforce_id}/workers", body)
        assert response.status_code == 201, response.text
        assert response.json() == {}
        listed = self.call("GET", f"/{workforce_id}/workers", limit=100).json()["workers"]
        worker_id: str = next(w["worker_id"] for w in listed if w["email"] == email)
        return worker_id

    def names(self, **query: Any) -> list[str]:
        response = self.call("GET", **query)
        assert response.status_code == 200, response.text
        return [item["workforce_name"] for item in response.json()["workforces"]]

    def emails(self, path: str, **query: Any) -> list[str]:
        response = self.call("GET", path, **query)
        assert response.status_code == 200, response.text
        return [item["email"] for item in response.json()["workers"]]

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


def now_ms(api: Api) -> int:
    clock = api.client.get("/_mock/clock", params={"tenant": f"modelarts:{api.project}"})
    return int(clock.json()["epoch_seconds"] * 1000)


# Workforces


def test_create_answers_201_with_a_19_char_id_and_describe_shows_it(api: Api) -> None:
    started = now_ms(api)
    response = api.call("POST", body={"workforce_name": "team-1", "description": "first"})
    assert response.status_code == 201
    assert list(response.json()) == ["workforce_id"]
    workforce_id = response.json()["workforce_id"]
    assert ID.match(workforce_id)
    assert WORKER_ID.match(response.headers["x-request-id"])
    view = api.call("GET", f"/{workforce_id}").json()
    assert view == {
        "workforce_id": workforce_id,
        "workforce_name": "team-1",
        "description": "first",
        "worker_count": 0,
        "workspace_id": "0",
        "create_time": view["create_time"],
        "update_time": view["create_time"],
    }
    assert isinstance(view["create_time"], int) and abs(view["create_time"] - started) <= 1


@pytest.mark.parametrize(
    ("body", "code", "word"),
    [
        ({}, "ModelArts.0104", "workforce_name"),
        ({"workforce_name": 7}, "ModelArts.0104", "workforce_name"),
        ({"workforce_name": ""}, "ModelArts.4396", "workforce_name"),
        ({"workforce_name": "x" * 65}, "ModelArts.4396", "workforce_name"),
        ({"workforce_name": "has space"}, "ModelArts.4396", "workforce_name"),
        ({"workforce_name": "ok", "description": "a<b"}, "ModelArts.4396", "description"),
        ({"workforce_name": "ok", "description": "d" * 257}, "ModelArts.4396", "description"),
    ],
)
def test_create_refuses_bad_bodies_naming_the_field(
    api: Api, body: dict[str, Any], code: str, word: str
) -> None:
    refused(api.call("POST", body=body), 400, code, word)
    assert api.call("GET").json() == {"total_number": 0, "workforces": []}


def test_name_limits_are_accepted(api: Api) -> None:
    api.made("x" * 64, description="d" * 256)
    api.made("Équipe_2-b")
    assert api.call("GET").json()["total_number"] == 2


def test_a_duplicate_name_is_4602_and_changes_nothing(api: Api) -> None:
    api.made("team")
    refused(api.call("POST", body={"workforce_name": "team"}), 400, "ModelArts.4602", "team")
    assert api.names() == ["team"]


def test_update_renames_and_redescribes(api: Api) -> None:
    workforce_id = api.made("team", description="old")
    created = api.call("GET", f"/{workforce_id}").json()["create_time"]
    api.advance(5)
    response = api.call("PUT", f"/{workforce_id}", {"workforce_name": "crew", "description": "new"})
    assert response.status_code == 200, response.text
    view = api.call("GET", f"/{workforce_id}").json()
    assert view["workforce_name"] == "crew" and view["description"] == "new"
    assert view["update_time"] == created + 5000 and view["create_time"] == created
    api.made("team")  # the old name is free again
    assert sorted(api.names()) == ["crew", "team"]


def test_update_refusals_change_nothing(api: Api) -> None:
    workforce_id = api.made("team", description="old")
    api.made("other")
    before = api.call("GET", f"/{workforce_id}").json()
    path = f"/{workforce_id}"
    refused(api.call("PUT", path, {"workforce_name": "other"}), 400, "ModelArts.4602", "other")
    bad = {"workforce_name": "fine", "description": "bad'quote"}
    refused(api.call("PUT", path, bad), 400, "ModelArts.4396", "description")
    refused(api.call("PUT", path, {"workforce_name": "a b"}), 400, "ModelArts.4396", "name")
    refused(api.call("PUT", "/" + "Z" * 19, {"description": "x"}), 400, "ModelArts.4601", "Z" * 19)
    assert api.call("GET", f"/{workforce_id}").json() == before


def test_delete_answers_204_and_the_workforce_and_its_workers_are_gone(api: Api) -> None:
    workforce_id = api.made("team")
    kept = api.made("kept")
    api.hired(workforce_id, "a@example.com")
    api.hired(kept, "b@example.com")
    response = api.call("DELETE", f"/{workforce_id}")
    assert response.status_code == 204 and response.content == b""
    assert response.headers["x-request-id"]
    refused(api.call("GET", f"/{workforce_id}"), 400, "ModelArts.4601", workforce_id)
    refused(api.call("DELETE", f"/{workforce_id}"), 400, "ModelArts.4601", workforce_id)
    refused(api.call("GET", f"/{workforce_id}/workers"), 400, "ModelArts.4601")
    assert api.names() == ["kept"]
    assert api.emails("/workers") == ["b@example.com"]


def test_unknown_workforce_is_4601_on_every_route(api: Api) -> None:
    missing = "/" + "A" * 19
    for method, path, body in [
        ("GET", missing, None),
        ("DELETE", missing, None),
        ("GET", missing + "/workers", None),
        ("POST", missing + "/workers", {"emails": "a@example.com", "role": 0}),
        ("GET", missing + "/workers/" + "0" * 32, None),
        ("POST", missing + "/workers/batch-delete", {"workers": ["0" * 32]}),
    ]:
        refused(api.call(method, path, body), 400, "ModelArts.4601", "A" * 19)


def test_list_pages_by_offset_and_limit_newest_first(api: Api) -> None:
    for index in range(12):
        api.made(f"team{index:02}")
        api.advance(1)
    first = api.call("GET").json()
    assert first["total_number"] == 12
    assert [w["workforce_name"] for w in first["workforces"]] == [
        f"team{index:02}" for index in range(11, 1, -1)
    ]
    assert api.names(offset=1) == ["team01", "team00"]
    assert api.names(offset=1, limit=2) == ["team09", "team08"]
    assert api.names(offset=2) == []
    assert api.names(order="asc", limit=3) == ["team00", "team01", "team02"]


def test_list_sorts_by_name_and_searches(api: Api) -> None:
    for name in ["beta", "Alpha-team", "gamma", "alphabet"]:
        api.made(name)
    assert api.names(sort_by="workforce_name", order="asc") == [
        "Alpha-team",
        "alphabet",
        "beta",
        "gamma",
    ]
    assert api.names(sort_by="workforce_name") == ["gamma", "beta", "alphabet", "Alpha-team"]
    found = api.call("GET", search_content="ALPHA").json()
    assert found["total_number"] == 2
    assert sorted(w["workforce_name"] for w in found["workforces"]) == ["Alpha-team", "alphabet"]
    assert api.call("GET", workforce_task_id="T" * 19).json()["total_number"] == 0


@pytest.mark.parametrize(
    ("query", "word"),
    [
        ({"limit": "0"}, "limit"),
        ({"limit": "101"}, "limit"),
        ({"offset": "-1"}, "offset"),
        ({"sort_by": "email"}, "sort_by"),
        ({"order": "up"}, "order"),
    ],
)
def test_list_refuses_bad_parameters(api: Api, query: dict[str, str], word: str) -> None:
    refused(api.call("GET", **query), 400, "ModelArts.0104", word)


def test_worker_count_follows_members(api: Api) -> None:
    workforce_id = api.made()
    api.hired(workforce_id, "a@example.com")
    api.hired(workforce_id, "b@example.com", 1)
    assert api.call("GET", f"/{workforce_id}").json()["worker_count"] == 2
    assert api.call("GET").json()["workforces"][0]["worker_count"] == 2


# Workers


def test_create_worker_then_describe_it(api: Api) -> None:
    workforce_id = api.made()
    started = now_ms(api)
    worker_id = api.hired(workforce_id, "Ann@Example.com", "2", description="lead")
    assert WORKER_ID.match(worker_id)
    view = api.call("GET", f"/{workforce_id}/workers/{worker_id}").json()
    assert view == {
        "worker_id": worker_id,
        "workforce_id": workforce_id,
        "email": "Ann@Example.com",
        "role": 2,
        "status": 0,
        "description": "lead",
        "create_time": view["create_time"],
        "update_time": view["create_time"],
    }
    assert abs(view["create_time"] - started) <= 1
    api.advance(3600)
    assert api.call("GET", f"/{workforce_id}/workers/{worker_id}").json()["status"] == 0


@pytest.mark.parametrize(
    ("body", "code", "word"),
    [
        ({"role": 0}, "ModelArts.0104", "emails"),
        ({"emails": "a@example.com"}, "ModelArts.0104", "role"),
        ({"emails": ["a@example.com"], "role": 0}, "ModelArts.0104", "emails"),
        ({"emails": "not-an-address", "role": 0}, "ModelArts.4396", "emails"),
        ({"emails": "a@example.com", "role": 3}, "ModelArts.4396", "role"),
        ({"emails": "a@example.com", "role": "x"}, "ModelArts.4396", "role"),
        ({"emails": "a@example.com", "role": True}, "ModelArts.0104", "role"),
        ({"emails": "a@example.com", "role": 0, "description": "<"}, "ModelArts.4396", "descr"),
    ],
)
def test_create_worker_refuses_bad_bodies(
    api: Api, body: dict[str, Any], code: str, word: str
) -> None:
    workforce_id = api.made()
    refused(api.call("POST", f"/{workforce_id}/workers", body), 400, code, word)
    assert api.call("GET", f"/{workforce_id}/workers").json() == {"total_number": 0, "workers": []}


def test_a_member_twice_is_4605(api: Api) -> None:
    workforce_id = api.made()
    other = api.made("other")
    api.hired(workforce_id, "a@example.com")
    body = {"emails": "A@example.com", "role": 1}
    refused(api.call("POST", f"/{workforce_id}/workers", body), 400, "ModelArts.4605", "emails")
    assert api.emails(f"/{workforce_id}/workers") == ["a@example.com"]
    api.hired(other, "a@example.com")  # another team may have the same member


def test_update_worker_changes_role_and_description(api: Api) -> None:
    workforce_id = api.made()
    worker_id = api.hired(workforce_id, "a@example.com")
    path = f"/{workforce_id}/workers/{worker_id}"
    api.advance(2)
    response = api.call("PUT", path, {"role": 3, "description": "owner"})
    assert response.status_code == 200, response.text
    view = api.call("GET", path).json()
    assert view["role"] == 3 and view["description"] == "owner"
    assert view["update_time"] == view["create_time"] + 2000


def test_update_worker_refusals_change_nothing(api: Api) -> None:
    workforce_id = api.made()
    worker_id = api.hired(workforce_id, "a@example.com", 1, description="d")
    path = f"/{workforce_id}/workers/{worker_id}"
    before = api.call("GET", path).json()
    refused(api.call("PUT", path, {"role": 4, "description": "x"}), 400, "ModelArts.4396", "role")
    refused(api.call("PUT", path, {"role": 0, "description": "&"}), 400, "ModelArts.4396", "descr")
    refused(api.call("PUT", path, {"role": []}), 400, "ModelArts.0104", "role")
    missing = f"/{workforce_id}/workers/{'f' * 32}"
    refused(api.call("PUT", missing, {"role": 0}), 400, "ModelArts.4604", "f" * 32)
    assert api.call("GET", path).json() == before


def test_delete_worker_answers_204(api: Api) -> None:
    workforce_id = api.made()
    worker_id = api.hired(workforce_id, "a@example.com")
    api.hired(workforce_id, "b@example.com")
    path = f"/{workforce_id}/workers/{worker_id}"
    response = api.call("DELETE", path)
    assert response.status_code == 204 and response.content == b""
    refused(api.call("GET", path), 400, "ModelArts.4604", worker_id)
    refused(api.call("DELETE", path), 400, "ModelArts.4604", worker_id)
    assert api.emails(f"/{workforce_id}/workers") == ["b@example.com"]


def test_a_worker_is_only_found_in_its_own_workforce(api: Api) -> None:
    workforce_id = api.made()
    other = api.made("other")
    worker_id = api.hired(workforce_id, "a@example.com")
    refused(api.call("GET", f"/{other}/workers/{worker_id}"), 400, "ModelArts.4604")
    refused(api.call("DELETE", f"/{other}/workers/{worker_id}"), 400, "ModelArts.4604")
    assert api.emails(f"/{workforce_id}/workers") == ["a@example.com"]


def test_batch_delete_answers_one_result_per_id(api: Api) -> None:
    workforce_id = api.made()
    first = api.hired(workforce_id, "a@example.com")
    second = api.hired(workforce_id, "b@example.com")
    api.hired(workforce_id, "c@example.com")
    body = {"workers": [first, "0" * 32, second, first]}
    response = api.call("POST", f"/{workforce_id}/workers/batch-delete", body)
    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["success"] is False
    results = answer["results"]
    assert [r["success"] for r in results] == [True, False, True, False]
    assert results[1]["error_code"] == "ModelArts.4604" and "workers.1" in results[1]["error_msg"]
    assert results[3]["error_code"] == "ModelArts.4604" and "workers.3" in results[3]["error_msg"]
    assert api.emails(f"/{workforce_id}/workers") == ["c@example.com"]


def test_batch_delete_all_found_is_a_success(api: Api) -> None:
    workforce_id = api.made()
    first = api.hired(workforce_id, "a@example.com")
    response = api.call("POST", f"/{workforce_id}/workers/batch-delete", {"workers": [first]})
    assert response.json() == {"success": True, "results": [{"success": True}]}
    assert api.call("GET", f"/{workforce_id}").json()["worker_count"] == 0


def test_batch_delete_refuses_a_bad_body_whole(api: Api) -> None:
    workforce_id = api.made()
    api.hired(workforce_id, "a@example.com")
    path = f"/{workforce_id}/workers/batch-delete"
    refused(api.call("POST", path, {}), 400, "ModelArts.0104", "workers")  # documented: Yes
    refused(api.call("POST", path, {"workers": [3]}), 400, "ModelArts.0104", "workers.0")
    assert api.emails(f"/{workforce_id}/workers") == ["a@example.com"]


def test_workers_page_sort_and_order(api: Api) -> None:
    workforce_id = api.made()
    for email in ["c@x.io", "a@x.io", "d@x.io", "b@x.io"]:
        api.hired(workforce_id, email)
        api.advance(1)
    path = f"/{workforce_id}/workers"
    listed = api.call("GET", path, limit=2).json()
    assert listed["total_number"] == 4
    assert [w["email"] for w in listed["workers"]] == ["b@x.io", "d@x.io"]
    assert api.emails(path, offset=1, limit=2) == ["a@x.io", "c@x.io"]
    assert api.emails(path, sort_by="email", order="asc") == [
        "a@x.io",
        "b@x.io",
        "c@x.io",
        "d@x.io",
    ]
    assert api.emails(path, sort_by="email") == ["d@x.io", "c@x.io", "b@x.io", "a@x.io"]
    refused(api.call("GET", path, sort_by="workforce_name"), 400, "ModelArts.0104", "sort_by")
    refused(api.call("GET", path, limit=101), 400, "ModelArts.0104", "limit")


def test_list_all_workers_spans_workforces_and_filters_by_role(api: Api) -> None:
    one = api.made("one")
    two = api.made("two")
    api.hired(one, "a@x.io", 0)
    api.hired(two, "b@x.io", 0)
    api.hired(two, "boss@x.io", 2)
    listed = api.call("GET", "/workers", sort_by="email", order="asc").json()
    assert listed["total_number"] == 2  # role defaults to 0
    assert [(w["email"], w["workforce_id"]) for w in listed["workers"]] == [
        ("a@x.io", one),
        ("b@x.io", two),
    ]
    assert api.emails("/workers", role=2) == ["boss@x.io"]
    assert api.emails("/workers", role=1) == []
    assert api.emails("/workers", sort_by="email", order="asc", offset=1, limit=1) == ["b@x.io"]
    refused(api.call("GET", "/workers", role=5), 400, "ModelArts.0104", "role")
    refused(api.call("GET", "/workers", role="x"), 400, "ModelArts.0104", "role")


# Isolation and bookkeeping


def test_another_project_sees_nothing(client: TestClient, api: Api) -> None:
    workforce_id = api.made()
    worker_id = api.hired(workforce_id, "a@example.com")
    stranger = Api(client, OTHER)
    assert stranger.call("GET").json() == {"total_number": 0, "workforces": []}
    assert stranger.call("GET", "/workers").json() == {"total_number": 0, "workers": []}
    refused(stranger.call("GET", f"/{workforce_id}"), 400, "ModelArts.4601")
    refused(stranger.call("DELETE", f"/{workforce_id}"), 400, "ModelArts.4601")
    stranger.made("team")  # names are per project
    response = api.client.get(f"{stranger.base}/{workforce_id}/workers/{worker_id}")
    assert response.status_code == 401  # no token at all
    assert api.names() == ["team"] and api.emails("/workers") == ["a@example.com"]


def test_a_token_cannot_reach_another_projects_path(client: TestClient, api: Api) -> None:
    stranger = Api(client, OTHER)
    response = client.get(stranger.base, headers=api.headers)
    refused(response, 403, "ModelArts.0210")


def test_the_tenant_summary_counts_workforces_and_workers(api: Api) -> None:
    one = api.made("one")
    api.made("two")
    api.hired(one, "a@x.io")
    api.hired(one, "b@x.io")
    tenants = api.client.get("/_mock/tenants").json()["tenants"]
    mine = next(t for t in tenants if t["credential"] == PROJECT)
    assert mine["resources"]["workforces"] == 2 and mine["resources"]["workers"] == 2
    assert api.call("DELETE", f"/{one}").status_code == 204
    tenants = api.client.get("/_mock/tenants").json()["tenants"]
    mine = next(t for t in tenants if t["credential"] == PROJECT)
    assert mine["resources"]["workforces"] == 1 and mine["resources"]["workers"] == 0


def test_ids_follow_the_seed(tmp_path: Any) -> None:
    ids = []
    for _ in range(2):
        settings = Settings(clock="manual", seed=7, rate_limits=False)
        with TestClient(create_app(settings)) as running:
            api = Api(running, PROJECT)
            workforce_id = api.made()
            ids.append((workforce_id, api.hired(workforce_id, "a@x.io")))
    assert ids[0] == ids[1]


# Team labeling tasks


def dataset(api: Api, name: str = "flowers", **fields: Any) -> str:
    body = {
        "dataset_name": name,
        "data_sources": [{"data_type": 0, "data_path": "/bucket/input/flowers/"}],
        "work_path": "/bucket/output/",
        "work_path_type": 0,
        **fields,
    }
    response = api.client.post(f"{ROOT}/v2/{api.project}/datasets", json=body, headers=api.headers)
    assert response.status_code == 201, response.text
    dataset_id: str = response.json()["dataset_id"]
    return dataset_id


def tasks_of(api: Api, dataset_id: str) -> str:
    return f"{ROOT}/v2/{api.project}/datasets/{dataset_id}/workforce-tasks"


def test_create_workforce_task_then_describe_and_list_it(api: Api) -> None:
    dataset_id = dataset(api, labels=[{"name": "daisy", "type": 0}])
    team = api.made("team")
    ann = api.hired(team, "ann@x.io", 0)
    api.hired(team, "bob@x.io", 1)
    api.hired(team, "cid@x.io", 0)
    body = {
        "task_name": "round-1",
        "description": "first pass",
        "repetition": 2,
        "workforces_config": {
            "agency": "owner",
            "workforces": [
                {
                    "workforce_id": team,
                    "workers": [{"email": "ann@x.io"}, {"email": "BOB@x.io"}, {"worker_id": ann}],
                }
            ],
        },
    }
    base = tasks_of(api, dataset_id)
    response = api.client.post(base, json=body, headers=api.headers)
    assert response.status_code == 200, response.text
    assert list(response.json()) == ["task_id"]
    task_id = response.json()["task_id"]
    assert ID.match(task_id)
    view = api.client.get(f"{base}/{task_id}", headers=api.headers).json()
    assert view["task_id"] == task_id and view["task_name"] == "round-1"
    assert view["dataset_id"] == dataset_id and view["description"] == "first pass"
    assert view["status"] == 6 and view["repetition"] == 2
    assert view["auto_sync_dataset"] is True and view["synchronize_data"] is False
    assert view["worker_stats"] == []
    # as the documented example (sent without flags) answers: both stats, no label_stats
    assert view["workforce_stats"]["labeler_count"] == 1
    assert view["sample_stats"]["total_sample_count"] == 0
    assert "label_stats" not in view and view["checking_task_desc"] is None
    unflagged = api.client.get(
        f"{base}/{task_id}",
        params={"workforce_stats": "false", "sample_stats": "false"},
        headers=api.headers,
    ).json()
    assert "workforce_stats" not in unflagged and "sample_stats" not in unflagged
    config = view["workforces_config"]
    assert config["agency"] == "owner"
    assert [w["workforce_id"] for w in config["workforces"]] == [team]
    members = config["workforces"][0]["workers"]
    assert [(m["email"], m["role"]) for m in members] == [("ann@x.io", 0), ("bob@x.io", 1)]
    assert members[0]["worker_id"] == ann
    flagged = api.client.get(
        f"{base}/{task_id}",
        params={"workforce_stats": "true", "sample_stats": "true", "label_stats": "true"},
        headers=api.headers,
    ).json()
    assert flagged["workforce_stats"] == {
        "workforce_count": 1,
        "labeler_count": 1,
        "reviewer_count": 1,
    }
    assert flagged["sample_stats"]["total_sample_count"] == 0
    assert [label["name"] for label in flagged["label_stats"]] == ["daisy"]
    listed = api.client.get(base, headers=api.headers).json()
    assert listed["count"] == 1 and [t["task_id"] for t in listed["tasks"]] == [task_id]
    assert api.names(workforce_task_id=task_id) == ["team"]


def test_a_workforce_without_workers_brings_every_member_and_tasks_page(api: Api) -> None:
    dataset_id = dataset(api)
    team = api.made("team")
    api.hired(team, "ann@x.io")
    api.hired(team, "bob@x.io")
    base = tasks_of(api, dataset_id)
    ids = []
    for _ in range(3):
        body = {"workforces_config": {"workforces": [{"workforce_name": "team"}]}}
        response = api.client.post(base, json=body, headers=api.headers)
        assert response.status_code == 200, response.text
        ids.append(response.json()["task_id"])
        api.advance(1)
    view = api.client.get(f"{base}/{ids[0]}", headers=api.headers).json()
    assert view["task_name"] == f"task_{ids[0]}"
    assert len(view["workforces_config"]["workforces"][0]["workers"]) == 2
    page = api.client.get(base, params={"offset": 1, "limit": 1}, headers=api.headers).json()
    assert page["count"] == 3 and [t["task_id"] for t in page["tasks"]] == [ids[1]]
    listed = api.client.get(base, headers=api.headers).json()["tasks"]
    assert [t["task_id"] for t in listed] == ids[::-1]  # newest first
    refused(api.client.get(base, params={"limit": 1001}, headers=api.headers), 400,
            "ModelArts.0104", "limit")  # fmt: skip


@pytest.mark.parametrize(
    ("body", "code", "word"),
    [
        ({"repetition": 0}, "ModelArts.4396", "repetition"),
        ({"data_sync_type": 4}, "ModelArts.4396", "data_sync_type"),
        ({"repetition": "2"}, "ModelArts.0104", "repetition"),
        ({"workforces_config": {"workforces": [{}]}}, "ModelArts.0104", "workforces"),
        (
            {"workforces_config": {"workforces": [{"workforce_id": "Q" * 19}]}},
            "ModelArts.4601",
            "workforces_config.workforces.0.workforce_id",
        ),
        (
            {"workforces_config": {"workforces": [{"workforce_name": "team",
                                                   "workers": [{"email": "zed@x.io"}]}]}},
            "ModelArts.4604",
            "workforces_config.workforces.0.workers.0.email",
        ),
    ],
)  # fmt: skip
def test_create_workforce_task_refusals_change_nothing(
    api: Api, body: dict[str, Any], code: str, word: str
) -> None:
    dataset_id = dataset(api)
    team = api.made("team")
    api.hired(team, "ann@x.io")
    base = tasks_of(api, dataset_id)
    refused(api.client.post(base, json=body, headers=api.headers), 400, code, word)
    assert api.client.get(base, headers=api.headers).json() == {"count": 0, "tasks": []}


def test_task_names_are_unique_per_dataset(api: Api) -> None:
    first, second = dataset(api, "one"), dataset(api, "two")
    body = {"task_name": "round"}
    assert api.client.post(tasks_of(api, first), json=body, headers=api.headers).status_code == 200
    again = api.client.post(tasks_of(api, first), json=body, headers=api.headers)
    refused(again, 400, "ModelArts.4620", "task_name")
    assert api.client.post(tasks_of(api, second), json=body, headers=api.headers).status_code == 200
    assert api.client.get(tasks_of(api, first), headers=api.headers).json()["count"] == 1


def test_unknown_dataset_and_task_are_refused(api: Api) -> None:
    dataset_id = dataset(api)
    other = dataset(api, "other")
    missing = tasks_of(api, "D" * 19)
    refused(api.client.get(missing, headers=api.headers), 400, "ModelArts.4352")
    refused(api.client.post(missing, json={}, headers=api.headers), 400, "ModelArts.4352")
    created = api.client.post(tasks_of(api, dataset_id), json={}, headers=api.headers)
    task_id = created.json()["task_id"]
    response = api.client.get(f"{tasks_of(api, other)}/{task_id}", headers=api.headers)
    refused(response, 400, "ModelArts.4619", task_id)
    flag = {"sample_stats": "yes"}
    response = api.client.get(f"{tasks_of(api, dataset_id)}/{task_id}", params=flag,
                              headers=api.headers)  # fmt: skip
    refused(response, 400, "ModelArts.0104", "sample_stats")


def test_a_member_with_a_task_cannot_be_deleted(api: Api) -> None:
    dataset_id = dataset(api)
    team = api.made("team")
    busy = api.hired(team, "ann@x.io")
    free = api.hired(team, "bob@x.io")
    body = {"workforces_config": {"workforces": [{"workforce_id": team,
                                                  "workers": [{"worker_id": busy}]}]}}  # fmt: skip
    assert api.client.post(tasks_of(api, dataset_id), json=body, headers=api.headers).is_success
    refused(api.call("DELETE", f"/{team}/workers/{busy}"), 400, "ModelArts.4628", busy)
    batch = api.call("POST", f"/{team}/workers/batch-delete", {"workers": [busy, free]}).json()
    assert [r["success"] for r in batch["results"]] == [False, True]
    assert batch["results"][0]["error_code"] == "ModelArts.4628"
    assert api.emails(f"/{team}/workers") == ["ann@x.io"]


def test_another_project_cannot_see_workforce_tasks(client: TestClient, api: Api) -> None:
    dataset_id = dataset(api)
    created = api.client.post(tasks_of(api, dataset_id), json={}, headers=api.headers)
    task_id = created.json()["task_id"]
    stranger = Api(client, OTHER)
    refused(client.get(tasks_of(stranger, dataset_id), headers=stranger.headers), 400,
            "ModelArts.4352")  # fmt: skip
    assert stranger.names(workforce_task_id=task_id) == []
    tenants = api.client.get("/_mock/tenants").json()["tenants"]
    mine = next(t for t in tenants if t["credential"] == PROJECT)
    assert mine["resources"]["workforce_tasks"] == 1

"""CloudFactory through the ASGI app: the documented example, routing, keys and tenants."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

# The Quality example of the documentation, byte for byte.
SEED_QUALITY_JSON = (
    '{"workstream_id":"345d6802-0efa-46de-a73c-6c24f094dfcf",'
    '"use_case_id":"rr3d6802-0efa-46de-a73c-6c24f094dfcf",'
    '"task_definition_id":"032d6802-0efa-46de-a73c-6c24f094dfcf",'
    '"dataset_id":"6c24f094dfcf","asset_id":"6c24f094dfcf",'
    '"task_id":"032d6802-0efa-46de-a73c-6c24f094dfcf",'
    '"unique_id":"032d6802-0efa-46de-a73c-6c24f094dfcf","replace_duplicate":true,'
    '"task_url":"https://taskus.com/annotate/123412",'
    '"task_completed_at":"2020-12-22T10:13:24.127Z","worker_id":"test_worker@cf.com",'
    '"review_completed_at":"2020-12-22T10:13:24.127Z","review_duration":120,'
    '"reviewed_by":"test_worker@cf.com","review_score":0.78,'
    '"review_explanation":"Some of the fields are filled wrong",'
    '"errors":{"missing_label":24,"incorrect_label":12,"boundary_not_captured":1},'
    '"review_type":"QA","task_review_count":120,"subtask_review_count":240,'
    '"review_metadata":{"Person accuracy":"0.9","Date accuracy":"1",'
    '"Organization accuracy":"0.85","Address accuracy":"0.25","Vendor accuracy":"0.9"},'
    '"review_measurements":{"attribute_1_count":0.5,"attribute_1_label":"Header"}}'
)
KEY = "loAwlMCCxv4TlpLWR8a2e6"
WORKSTREAM = "345d6802-0efa-46de-a73c-6c24f094dfcf"
RECEIVED = {"message": "Data successfully received."}

MakeCF = Callable[..., Any]

# The three ways a request reaches CloudFactory: its path prefix, its real host, or
# a server that serves CloudFactory alone.
ROUTINGS = {
    "prefix": {},
    "host": {"prefix": "", "host": "api.cloudfactory.app"},
    "single": {"prefix": "", "vendor": "cloudfactory"},
}


@pytest.fixture(params=list(ROUTINGS))
def routed(request: pytest.FixtureRequest, make_cf: MakeCF) -> Any:
    return make_cf(**ROUTINGS[request.param])


def test_the_documented_quality_example_is_received_and_stored(
    routed: Any, seed_quality: dict[str, Any]
) -> None:
    assert json.loads(SEED_QUALITY_JSON) == seed_quality
    response = routed.call(
        "POST",
        f"/v1/workstreams/{WORKSTREAM}/task_reviewed",
        key=KEY,
        content=SEED_QUALITY_JSON,
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 202
    assert response.json() == RECEIVED
    assert response.headers["content-type"] == "application/json"
    records = routed.client.get(
        f"/_mock/cloudfactory/workstreams/{WORKSTREAM}/records",
        params={"tenant": f"cloudfactory:{KEY}"},
    ).json()["records"]
    assert len(records) == 1
    (record,) = records
    assert record["fields"] == seed_quality
    assert record["kind"] == "quality"
    assert record["workstream_id"] == WORKSTREAM
    assert record["data_source"] == "api"
    assert record["received_at"] == "2024-01-01T00:00:00.000Z"
    assert record["replaced"] == 0


def test_a_throughput_report_is_received_and_stored_with_its_duration(
    cf: Any, throughput: dict[str, Any]
) -> None:
    response = cf.throughput(throughput)
    assert (response.status_code, response.json()) == (202, RECEIVED)
    (record,) = cf.records()
    assert record["kind"] == "throughput"
    assert record["fields"] == {
        **throughput,
        "duration": 3600.0,
        "task_count": 1,
        "subtask_count": None,
        "data_source": "api",
    }


def test_a_repeated_unique_id_replaces_the_record_and_still_answers_202(
    seeded: Any, seed_quality: dict[str, Any]
) -> None:
    response = seeded.quality({**seed_quality, "review_score": 0.5})
    assert (response.status_code, response.json()) == (202, RECEIVED)
    (record,) = seeded.records()
    assert (record["replaced"], record["fields"]["review_score"]) == (1, 0.5)
    kept = {**seed_quality, "review_score": 0.1, "replace_duplicate": False}
    assert seeded.quality(kept).status_code == 202
    (record,) = seeded.records()
    assert (record["replaced"], record["fields"]["review_score"]) == (1, 0.5)


def test_the_records_view_narrows_by_kind(
    seeded: Any, throughput: dict[str, Any], seed_quality: dict[str, Any]
) -> None:
    assert seeded.throughput(throughput).status_code == 202
    path = f"/workstreams/{seeded.workstream}/records"
    assert [r["kind"] for r in seeded.mock(path, kind="throughput")["records"]] == ["throughput"]
    assert [r["kind"] for r in seeded.mock(path, kind="quality")["records"]] == ["quality"]
    assert len(seeded.records()) == 2


# -- routing ---------------------------------------------------------------------------------


def test_a_trailing_slash_is_accepted(routed: Any, seed_quality: dict[str, Any]) -> None:
    response = routed.call(
        "POST", f"/v1/workstreams/{WORKSTREAM}/task_reviewed/", json=seed_quality
    )
    assert (response.status_code, response.json()) == (202, RECEIVED)
    assert len(routed.records()) == 1
    listing = routed.call("GET", "/v1/tasks/")
    assert (listing.status_code, listing.json()) == (200, {"tasks": []})


@pytest.mark.parametrize("path", ["/v1/nope", "/v2/tasks", "/v1/workstreams/w/task_deleted"])
def test_an_unknown_path_is_404_not_found(
    routed: Any, seed_quality: dict[str, Any], path: str
) -> None:
    assert routed.quality(seed_quality).status_code == 202
    response = routed.refused(lambda: routed.call("POST", path, json=seed_quality), 404)
    assert response.json() == {"message": "Not Found"}


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("GET", f"/v1/workstreams/{WORKSTREAM}/task_reviewed", {"POST"}),
        ("PUT", f"/v1/workstreams/{WORKSTREAM}/task_completed", {"POST"}),
        ("DELETE", f"/v1/workstreams/{WORKSTREAM}/upload_url", {"GET", "POST"}),
        ("GET", "/v1/media", {"POST"}),
        ("DELETE", "/v1/tasks", {"GET", "POST"}),
        ("PUT", "/v1/tasks/some-task", {"GET"}),
    ],
)
def test_a_wrong_method_is_405_with_the_allowed_methods(
    routed: Any, seed_quality: dict[str, Any], method: str, path: str, allowed: set[str]
) -> None:
    assert routed.quality(seed_quality).status_code == 202
    response = routed.refused(lambda: routed.call(method, path, json={}), 405)
    assert response.json() == {"message": "Method Not Allowed"}
    listed = {m.strip() for m in response.headers["allow"].split(",")}
    assert allowed <= listed <= allowed | {"HEAD"}


def test_an_unknown_vendor_prefix_is_404(cf: Any) -> None:
    response = cf.client.post("/nowhere/v1/tasks", headers={"x-api-key": KEY})
    assert (response.status_code, response.json()) == (404, {"message": "Not Found"})
    assert cf.client.get("/_mock/tenants").json() == {"tenants": []}


def test_a_single_vendor_server_serves_cloudfactory_at_the_root_only(make_cf: MakeCF) -> None:
    single = make_cf(prefix="", vendor="cloudfactory")
    assert single.call("GET", "/v1/tasks").status_code == 200
    response = single.refused(
        lambda: single.client.get("/cloudfactory/v1/tasks", headers={"x-api-key": KEY}), 404
    )
    assert response.json() == {"message": "Not Found"}


# -- keys ------------------------------------------------------------------------------------

PERFORMANCE_PATHS = [
    ("POST", f"/v1/workstreams/{WORKSTREAM}/task_reviewed"),
    ("POST", f"/v1/workstreams/{WORKSTREAM}/task_completed"),
    ("POST", f"/v1/workstreams/{WORKSTREAM}/upload_url"),
    ("GET", f"/v1/workstreams/{WORKSTREAM}/upload_url"),
]
OVERSIGHT_PATHS = [
    ("POST", "/v1/media"),
    ("POST", "/v1/tasks"),
    ("GET", "/v1/tasks"),
    ("GET", "/v1/tasks/some-task"),
]
KEYLESS = [(m, p, 403, "Forbidden") for m, p in PERFORMANCE_PATHS] + [
    (m, p, 401, "Unauthorized") for m, p in OVERSIGHT_PATHS
]


@pytest.mark.parametrize("sent", [None, "", "   "], ids=["missing", "empty", "blank"])
@pytest.mark.parametrize(("method", "path", "status", "message"), KEYLESS)
def test_a_call_without_a_key_is_refused_by_its_family(
    routed: Any,
    seed_quality: dict[str, Any],
    sent: str | None,
    method: str,
    path: str,
    status: int,
    message: str,
) -> None:
    assert routed.quality(seed_quality).status_code == 202
    headers = {} if sent is None else {"x-api-key": sent}
    if routed.host:
        headers["host"] = routed.host

    def send() -> Any:
        return routed.client.request(
            method, routed.prefix + path, headers=headers, json=seed_quality
        )

    response = routed.refused(send, status)
    assert response.json() == {"message": message}


@pytest.mark.parametrize("name", ["X-API-KEY", "X-Api-Key", "x-api-key"])
def test_the_key_header_name_is_case_insensitive(
    cf: Any, seed_quality: dict[str, Any], name: str
) -> None:
    response = cf.client.post(
        f"/cloudfactory/v1/workstreams/{WORKSTREAM}/task_reviewed",
        json=seed_quality,
        headers={name: KEY},
    )
    assert response.status_code == 202
    assert len(cf.records()) == 1


@pytest.fixture
def strict(make_cf: MakeCF, seed_quality: dict[str, Any]) -> Any:
    """A server refusing unregistered keys, with two keys of two workstreams."""
    cf = make_cf(strict_auth=True)
    cf.register(
        KEY, {"workstreams": [{"id": WORKSTREAM, "use_case_ids": [seed_quality["use_case_id"]]}]}
    )
    cf.register("other-key", {"workstreams": [{"id": "other-workstream"}]})
    assert cf.quality(seed_quality).status_code == 202
    return cf


@pytest.mark.parametrize(("method", "path", "status", "message"), KEYLESS)
def test_strict_mode_refuses_an_unregistered_key(
    strict: Any, seed_quality: dict[str, Any], method: str, path: str, status: int, message: str
) -> None:
    response = strict.refused(
        lambda: strict.call(method, path, key="unregistered", json=seed_quality), status
    )
    assert response.json() == {"message": message}


def test_strict_mode_refuses_the_key_of_another_workstream(
    strict: Any, seed_quality: dict[str, Any], throughput: dict[str, Any]
) -> None:
    strict.refused(lambda: strict.quality(seed_quality, key="other-key"), 403, "Forbidden")
    strict.refused(lambda: strict.throughput(throughput, key="other-key"), 403, "Forbidden")
    strict.refused(lambda: strict.upload_url(key="other-key"), 403, "Forbidden")


def test_strict_mode_refuses_a_use_case_the_workstream_does_not_have(
    strict: Any, seed_quality: dict[str, Any]
) -> None:
    body = {**seed_quality, "use_case_id": "not-configured", "unique_id": "another"}
    response = strict.refused(lambda: strict.quality(body), 400, "Validation failed")
    assert [e["field"] for e in response.json()["errors"]] == ["use_case_id"]


def test_a_registered_strict_tenant_on_an_open_server_is_checked(
    cf: Any, seed_quality: dict[str, Any]
) -> None:
    cf.register(KEY, {"workstreams": [{"id": "only-this-one"}]})
    cf.refused(lambda: cf.quality(seed_quality), 403, "Forbidden")
    body = {**seed_quality, "workstream_id": "only-this-one"}
    assert cf.quality(body, workstream="only-this-one").status_code == 202
    assert cf.call("GET", "/v1/tasks", key="any-new-key").status_code == 200


def test_open_mode_provisions_a_workstream_on_first_use(
    cf: Any, seed_quality: dict[str, Any], throughput: dict[str, Any]
) -> None:
    assert cf.throughput(throughput, workstream="ws-first").status_code == 202
    assert cf.mock("/workstreams") == {
        "workstreams": [{"id": "ws-first", "quality_records": 0, "throughput_records": 1}]
    }
    assert cf.quality(seed_quality).status_code == 202
    assert [w["id"] for w in cf.mock("/workstreams")["workstreams"]] == ["ws-first", WORKSTREAM]


# -- tenants ---------------------------------------------------------------------------------


def test_two_keys_see_only_their_own_records_and_tasks(
    cf: Any, seed_quality: dict[str, Any]
) -> None:
    assert cf.quality({**seed_quality, "review_score": 0.1}, key="key-a").status_code == 202
    assert cf.quality({**seed_quality, "review_score": 0.9}, key="key-b").status_code == 202
    assert [r["fields"]["review_score"] for r in cf.records(key="key-a")] == [0.1]
    assert [r["fields"]["review_score"] for r in cf.records(key="key-b")] == [0.9]
    media_key = cf.uploaded_media(key="key-a")
    task_id = cf.submit({"media_key": media_key, "configuration_id": "cfg-1"}, key="key-a").json()[
        "task_id"
    ]
    assert [t["task_id"] for t in cf.call("GET", "/v1/tasks", key="key-a").json()["tasks"]] == [
        task_id
    ]
    assert cf.call("GET", "/v1/tasks", key="key-b").json() == {"tasks": []}
    other = cf.refused(lambda: cf.task(task_id, key="key-b"), 404)
    assert other.json() == {"message": "Task not found"}


def test_advancing_one_tenant_leaves_the_others_tasks_where_they_were(cf: Any) -> None:
    task_ids = {}
    for key in ("key-a", "key-b"):
        media_key = cf.uploaded_media(key=key)
        submitted = cf.submit({"media_key": media_key, "configuration_id": "cfg-1"}, key=key)
        task_ids[key] = submitted.json()["task_id"]
    cf.advance(4 * 3600, key="key-a")
    assert cf.task(task_ids["key-a"], key="key-a").json()["state"] == "completed"
    assert cf.task(task_ids["key-b"], key="key-b").json()["state"] == "created"
    clock = cf.client.get("/_mock/clock", params={"tenant": "cloudfactory:key-b"}).json()
    assert clock["now"] == "2024-01-01T00:00:00.000Z"


def test_resetting_one_tenant_empties_only_that_tenant(
    cf: Any, seed_quality: dict[str, Any]
) -> None:
    for key in ("key-a", "key-b"):
        assert cf.quality(seed_quality, key=key).status_code == 202
    upload = cf.upload_url(key="key-a").json()
    response = cf.client.post("/_mock/reset", params={"tenant": "cloudfactory:key-a"})
    assert response.status_code == 200
    assert [t["id"] for t in cf.client.get("/_mock/tenants").json()["tenants"]] == [
        "cloudfactory:key-b"
    ]
    assert len(cf.records(key="key-b")) == 1
    cf.refused(lambda: cf.client.put(upload["upload_url"], content=b"worker_id\n"), 404)
    assert cf.call("GET", "/v1/tasks", key="key-a").status_code == 200
    assert cf.mock("/workstreams", key="key-a") == {"workstreams": []}


def test_the_journal_lists_each_call_with_its_vendor_and_tenant(
    cf: Any, seed_quality: dict[str, Any]
) -> None:
    assert cf.quality(seed_quality).status_code == 202
    assert cf.call("GET", "/v1/tasks").status_code == 200
    assert cf.client.get("/cloudfactory/v1/tasks").status_code == 401
    entries = cf.client.get("/_mock/journal", params={"vendor": "cloudfactory"}).json()["entries"]
    seen = [(e["vendor"], e["tenant"], e["method"], e["path"], e["status"]) for e in entries]
    tenant = f"cloudfactory:{KEY}"
    assert seen == [
        (
            "cloudfactory",
            tenant,
            "POST",
            f"/cloudfactory/v1/workstreams/{WORKSTREAM}/task_reviewed",
            202,
        ),
        ("cloudfactory", tenant, "GET", "/cloudfactory/v1/tasks", 200),
        ("cloudfactory", None, "GET", "/cloudfactory/v1/tasks", 401),
    ]
    assert json.loads(entries[0]["request_body"]) == seed_quality
    assert json.loads(entries[0]["response_body"]) == RECEIVED
    mine = cf.client.get("/_mock/journal", params={"tenant": tenant}).json()["entries"]
    assert [e["status"] for e in mine] == [202, 200]

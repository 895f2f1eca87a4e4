"""The /_mock control API: what a test harness sees when it drives the sandbox."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from admin_kit import THROUGHPUT, WS, report
from starlette.testclient import TestClient

from mockserver.app import create_app, vendor_names
from mockserver.settings import Settings

EPOCH = "2024-05-01T10:00:00Z"


@pytest.fixture
def client() -> Iterator[TestClient]:
    app = create_app(Settings(clock="manual", seed=3, epoch=EPOCH, journal_size=5))
    with TestClient(app) as running:
        yield running


def test_health_names_the_vendors_and_counts_tenants(client: TestClient) -> None:
    report(client, "a")
    body = client.get("/_mock/health").json()
    assert body["status"] == "ok"
    assert body["vendors"] == sorted(vendor_names())
    assert body["tenants"] == 1


def test_settings_are_those_the_server_started_with(client: TestClient) -> None:
    settings = client.get("/_mock/settings").json()
    assert (settings["clock"], settings["seed"], settings["journal_size"]) == ("manual", 3, 5)


def test_register_then_list_and_show_a_tenant(client: TestClient) -> None:
    created = client.post(
        "/_mock/tenants",
        json={
            "vendor": "cloudfactory",
            "credential": "k1",
            "strict": True,
            "setup": {"workstreams": [{"id": "ws-1"}]},
        },
    )
    assert created.status_code == 201
    assert created.json()["id"] == "cloudfactory:k1"
    assert created.json()["strict"] is True
    listed = client.get("/_mock/tenants", params={"vendor": "cloudfactory"}).json()["tenants"]
    assert [t["id"] for t in listed] == ["cloudfactory:k1"]
    shown = client.get("/_mock/tenants/cloudfactory:k1").json()
    assert shown["resources"]["workstreams"] == 0


@pytest.mark.parametrize("content_type", ["application/x-www-form-urlencoded", "text/plain", None])
def test_a_json_body_is_read_whatever_curl_calls_it(
    client: TestClient, content_type: str | None
) -> None:
    """``curl -d '{...}'`` sends ``application/x-www-form-urlencoded``."""
    headers = {"Content-Type": content_type} if content_type else {}
    body = b'{"vendor": "cloudfactory", "credential": "k2"}'
    created = client.post("/_mock/tenants", content=body, headers=headers)
    assert created.status_code == 201, created.text
    assert created.json()["id"] == "cloudfactory:k2"
    key = b'{"ak": "AK1", "sk": "SK1", "project_id": "0123456789abcdef0123456789abcdef"}'
    registered = client.post("/_mock/modelarts/credentials", content=key, headers=headers)
    assert registered.status_code == 201, registered.text  # a vendor's control routes alike


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"credential": "k"}, "vendor"),
        ({"vendor": "cloudfactory"}, "credential"),
        ({"vendor": "cloudfactory", "credential": "k", "colour": "red"}, "colour"),
        (
            {"vendor": "cloudfactory", "credential": "k", "setup": {"workstreams": [{}]}},
            "workstreams.0.id",
        ),
        ({"vendor": "nosuch", "credential": "k"}, "vendor"),
    ],
)
def test_a_bad_registration_names_the_field_and_creates_nothing(
    client: TestClient, body: dict[str, object], field: str
) -> None:
    response = client.post("/_mock/tenants", json=body)
    assert response.status_code == 400
    assert field in [e["field"] for e in response.json()["errors"]]
    assert client.get("/_mock/tenants").json()["tenants"] == []


def test_unknown_tenant_is_404(client: TestClient) -> None:
    assert client.get("/_mock/tenants/cloudfactory:nobody").status_code == 404
    assert client.post("/_mock/reset", params={"tenant": "cloudfactory:nobody"}).status_code == 404
    advance = client.post("/_mock/clock/advance", json={"seconds": 1, "tenant": "x:y"})
    assert advance.status_code == 404


def test_reset_of_one_tenant_leaves_the_others(client: TestClient) -> None:
    report(client, "a")
    report(client, "b")
    assert client.post("/_mock/reset", params={"tenant": "cloudfactory:a"}).status_code == 200
    resources = {
        t["id"]: t["resources"]["throughput_records"]
        for t in client.get("/_mock/tenants").json()["tenants"]
    }
    assert resources == {"cloudfactory:b": 1}


def test_reset_of_everything_forgets_tenants_and_the_journal(client: TestClient) -> None:
    report(client, "a")
    client.post("/_mock/reset")
    assert client.get("/_mock/tenants").json()["tenants"] == []
    assert client.get("/_mock/journal").json()["entries"] == []


def test_clock_advance_moves_the_named_tenant_only(client: TestClient) -> None:
    report(client, "a")
    report(client, "b")
    moved = client.post(
        "/_mock/clock/advance", json={"seconds": 90, "tenant": "cloudfactory:a"}
    ).json()
    assert [t["now"] for t in moved["tenants"]] == ["2024-05-01T10:01:30.000Z"]
    clocks = {c["tenant"]: c["now"] for c in client.get("/_mock/clock").json()["tenants"]}
    assert clocks == {
        "cloudfactory:a": "2024-05-01T10:01:30.000Z",
        "cloudfactory:b": "2024-05-01T10:00:00.000Z",
    }


def test_clock_advance_without_tenant_moves_every_tenant(client: TestClient) -> None:
    report(client, "a")
    report(client, "b")
    client.post("/_mock/clock/advance", json={"seconds": 60})
    clocks = {c["now"] for c in client.get("/_mock/clock").json()["tenants"]}
    assert clocks == {"2024-05-01T10:01:00.000Z"}


@pytest.mark.parametrize(
    ("body", "field"),
    [({}, "seconds"), ({"seconds": -1}, "seconds"), ({"seconds": "soon"}, "seconds")],
)
def test_a_bad_advance_is_refused(client: TestClient, body: dict[str, object], field: str) -> None:
    response = client.post("/_mock/clock/advance", json=body)
    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == [field]


def test_clock_mode_and_speed_apply_to_new_tenants_too(client: TestClient) -> None:
    response = client.post("/_mock/clock", json={"mode": "realtime", "speed": 5})
    assert response.json()["defaults"] == {"mode": "realtime", "speed": 5}
    report(client, "late")
    (clock,) = client.get("/_mock/clock").json()["tenants"]
    assert (clock["mode"], clock["speed"]) == ("realtime", 5)
    refused = client.post("/_mock/clock", json={"speed": 0})
    assert refused.status_code == 400


def test_ratelimits_show_and_change_per_vendor(client: TestClient) -> None:
    shown = client.get("/_mock/ratelimits").json()["vendors"]["cloudfactory"]
    assert shown["enabled"] is True
    assert shown["policies"] == [{"name": "per_second", "limit": 10, "window": 1.0, "burst": 20}]
    changed = client.put(
        "/_mock/ratelimits",
        json={
            "vendor": "cloudfactory",
            "policies": [{"name": "per_second", "limit": 2, "burst": 2}],
        },
    )
    assert changed.json()["policies"][0]["burst"] == 2
    for _ in range(2):
        report(client, "a")
    limited = client.post(WS, json=THROUGHPUT, headers={"x-api-key": "a"})
    assert limited.status_code == 429


def test_ratelimits_refuse_unknown_policies_and_vendors(client: TestClient) -> None:
    unknown_policy = client.put(
        "/_mock/ratelimits",
        json={"vendor": "cloudfactory", "policies": [{"name": "per_day", "limit": 1}]},
    )
    assert unknown_policy.status_code == 400
    assert "per_day" in unknown_policy.json()["errors"][0]["message"]
    assert client.put("/_mock/ratelimits", json={"vendor": "nosuch"}).status_code == 400


def test_journal_filters_and_is_bounded(client: TestClient) -> None:
    for key in ("a", "b", "c"):
        report(client, key)
    client.get("/cloudfactory/v1/tasks/none", headers={"x-api-key": "a"})
    client.get("/cloudfactory/v1/tasks")
    entries = client.get("/_mock/journal").json()["entries"]
    assert [e["status"] for e in entries] == [202, 202, 202, 404, 401]
    by_tenant = client.get("/_mock/journal", params={"tenant": "cloudfactory:a"}).json()
    assert [e["path"] for e in by_tenant["entries"]] == [WS, "/cloudfactory/v1/tasks/none"]
    by_status = client.get("/_mock/journal", params={"status": 404, "method": "get"}).json()
    assert len(by_status["entries"]) == 1
    by_path = client.get("/_mock/journal", params={"path": r"/tasks$"}).json()
    assert [e["status"] for e in by_path["entries"]] == [401]
    newest = client.get("/_mock/journal", params={"limit": 1}).json()["entries"]
    assert [e["status"] for e in newest] == [401]
    for _ in range(3):
        report(client, "a")
    assert len(client.get("/_mock/journal").json()["entries"]) == 5  # journal_size


def test_journal_refuses_a_bad_pattern_and_can_be_cleared(client: TestClient) -> None:
    report(client, "a")
    assert client.get("/_mock/journal", params={"path": "("}).status_code == 400
    assert client.get("/_mock/journal", params={"status": "ok"}).status_code == 400
    client.delete("/_mock/journal")
    assert client.get("/_mock/journal").json()["entries"] == []


def test_deliveries_unknown_id_and_unknown_storage_token(client: TestClient) -> None:
    assert client.get("/_mock/webhooks/deliveries").json() == {"deliveries": []}
    assert client.get("/_mock/webhooks/deliveries/99").status_code == 404
    assert client.post("/_mock/webhooks/deliveries/99/replay").status_code == 404
    assert client.put("/_mock/storage/not-a-token", content=b"x").status_code == 404


def test_control_api_errors_are_json_for_unknown_routes_and_methods(client: TestClient) -> None:
    missing = client.get("/_mock/nothing-here")
    assert missing.status_code == 404 and "error" in missing.json()
    wrong = client.delete("/_mock/health")
    assert wrong.status_code == 405 and "error" in wrong.json()
    broken = client.post(
        "/_mock/tenants", content=b"{", headers={"content-type": "application/json"}
    )
    assert broken.status_code == 400 and "not valid JSON" in broken.json()["error"]

"""``/_mock/journal``: filters, verification with near misses, and the ring's size."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from admin_kit import report
from starlette.testclient import TestClient

from mockserver.app import create_app
from mockserver.settings import Settings


@pytest.fixture
def client() -> Iterator[TestClient]:
    with TestClient(create_app(Settings(clock="manual", rate_limits=False))) as running:
        yield running


def _verify(client: TestClient, **pattern: object) -> dict[str, object]:
    response = client.post("/_mock/journal/verify", json=pattern)
    assert response.status_code == 200, response.text
    answer: dict[str, object] = response.json()
    return answer


def test_verify_counts_matching_requests(client: TestClient) -> None:
    report(client, "a")
    report(client, "a", worker_id="x@example.com")
    report(client, "b")
    outcome = _verify(client, tenant="cloudfactory:a", method="post", path="task_completed$")
    assert (outcome["ok"], outcome["matched"], outcome["near_misses"]) == (True, 2, [])
    by_json = _verify(client, json={"worker_id": "x@example.com"}, count=1)
    assert by_json["ok"] is True and by_json["entries"] == [2]
    by_header = _verify(client, headers={"X-API-KEY": "b"}, status=202, count=1)
    assert by_header["ok"] is True and by_header["entries"] == [3]
    assert _verify(client, body_contains="uc", at_least=3, at_most=3)["ok"] is True


def test_a_wrong_count_answers_with_the_near_misses(client: TestClient) -> None:
    report(client, "a")
    client.get("/cloudfactory/v1/tasks/t-9", headers={"x-api-key": "a"})
    outcome = _verify(client, method="GET", path="/v1/workstreams/", tenant="cloudfactory:a")
    assert (outcome["ok"], outcome["matched"]) == (False, 0)
    near = outcome["near_misses"]
    assert isinstance(near, list) and [miss["id"] for miss in near] == [2, 1]  # ties: newest
    assert len(near[0]["differences"]) == 1 and near[0]["differences"][0].startswith("path:")
    assert near[1]["differences"] == ["method: expected 'GET', was 'POST'"]
    too_many = _verify(client, tenant="cloudfactory:a", count=1)
    assert too_many["ok"] is False and too_many["matched"] == 2


def test_since_looks_only_at_later_requests(client: TestClient) -> None:
    report(client, "a")
    report(client, "a")
    assert _verify(client, tenant="cloudfactory:a", since=1, count=1)["entries"] == [2]
    listed = client.get("/_mock/journal", params={"since": 1}).json()["entries"]
    assert [entry["id"] for entry in listed] == [2]
    everything = client.get("/_mock/journal", params={"since": "2000-01-01T00:00:00Z"}).json()
    assert len(everything["entries"]) == 2
    future = client.get("/_mock/journal", params={"since": "2999-01-01T00:00:00Z"}).json()
    assert future["entries"] == []


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"path": "("}, "path"),
        ({"count": -1}, "count"),
        ({"count": 1, "at_least": 1}, ""),
        ({"since": "yesterday"}, "since"),
        ({"color": "red"}, "color"),
    ],
)
def test_verify_refuses_a_bad_pattern_naming_the_field(
    client: TestClient, body: dict[str, object], field: str
) -> None:
    response = client.post("/_mock/journal/verify", json=body)
    assert response.status_code == 400, response.text
    assert field in response.text


def test_the_ring_can_be_resized_keeping_the_newest(client: TestClient) -> None:
    for key in ("a", "b", "c"):
        report(client, key)
    resized = client.put("/_mock/journal", json={"size": 2})
    assert resized.json() == {"size": 2, "entries": 2}
    listed = client.get("/_mock/journal").json()
    assert listed["size"] == 2
    assert [entry["tenant"] for entry in listed["entries"]] == ["cloudfactory:b", "cloudfactory:c"]
    report(client, "d")
    ids = [entry["id"] for entry in client.get("/_mock/journal").json()["entries"]]
    assert ids == [3, 4]
    assert client.put("/_mock/journal", json={"size": 0}).json()["size"] == 0
    report(client, "e")
    assert client.get("/_mock/journal").json()["entries"] == []
    assert client.put("/_mock/journal", json={"size": -1}).status_code == 400


def test_pages_back_with_before_and_counts_what_matched(client: TestClient) -> None:
    for key in ("a", "b", "c", "a", "b"):
        report(client, key)
    newest = client.get("/_mock/journal", params={"limit": 2}).json()
    assert ([e["id"] for e in newest["entries"]], newest["matched"]) == ([4, 5], 5)
    older = client.get("/_mock/journal", params={"limit": 2, "before": 4}).json()
    assert ([e["id"] for e in older["entries"]], older["matched"]) == ([2, 3], 3)
    filtered = client.get("/_mock/journal", params={"tenant": "cloudfactory:a", "before": 5})
    assert [e["id"] for e in filtered.json()["entries"]] == [1, 4]
    refused = client.get("/_mock/journal", params={"before": "soon"})
    assert refused.status_code == 400 and "before" in refused.text


def test_tenants_show_the_credential_as_the_journal_shows_it() -> None:
    for view, shown in (("masked", "****7890"), ("shown", "key-1234567890")):
        settings = Settings(clock="manual", journal_credentials=view)
        with TestClient(create_app(settings)) as client:
            body = {"vendor": "cloudfactory", "credential": "key-1234567890"}
            assert client.post("/_mock/tenants", json=body).status_code == 201
            [tenant] = client.get("/_mock/tenants").json()["tenants"]
            assert (tenant["credential"], tenant["credential_shown"]) == (body["credential"], shown)

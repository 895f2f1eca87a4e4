"""In open mode a tenant is kept only if the request that opened it succeeded.

A refused first request, whatever refused it (validation, an id that does not exist, a
credential the vendor refuses after looking it up, an injected fault, a rate limit),
leaves no tenant behind: a fuzzer or a typo cannot fill the server with tenants, and
the next good request under the key starts from an empty world.
"""

from __future__ import annotations

import asyncio
import base64
import itertools
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from input_kit import CLOUDFACTORY_REPORT, PROJECT, THROUGHPUT, report
from starlette.testclient import TestClient

from mockserver.app import create_app
from mockserver.core.clock import wall_time
from mockserver.settings import Settings

EPOCH = "2024-05-01T10:00:00Z"


def _app(**changes: Any) -> Any:
    return create_app(Settings(clock="manual", seed=5, epoch=EPOCH, **changes))


@pytest.fixture
def client() -> Iterator[TestClient]:
    with TestClient(_app(rate_limits=False)) as running:
        yield running


def tenant_ids(client: TestClient) -> list[str]:
    listed = client.get("/_mock/tenants")
    assert listed.status_code == 200, listed.text
    return [t["id"] for t in listed.json()["tenants"]]


def basic(username: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{username}:pw".encode()).decode()}


def bad_signature() -> dict[str, str]:
    """A well-formed ModelArts signature with a fresh date that no secret produces."""
    date = datetime.fromtimestamp(wall_time(), UTC).strftime("%Y%m%dT%H%M%SZ")
    return {
        "host": "testserver",
        "x-sdk-date": date,
        "Authorization": "SDK-HMAC-SHA256 Access=AK1, SignedHeaders=host;x-sdk-date, "
        "Signature=" + "0" * 64,
    }


Refusal = Callable[[TestClient], httpx.Response]

REFUSED_FIRST_REQUESTS: dict[str, tuple[str, Refusal]] = {
    "cloudfactory, invalid body": (
        "cloudfactory:new",
        lambda c: c.post(CLOUDFACTORY_REPORT, json={"worker_id": 5}, headers={"x-api-key": "new"}),
    ),
    "cloudfactory, unknown task": (
        "cloudfactory:new",
        lambda c: c.get("/cloudfactory/v1/tasks/nope", headers={"x-api-key": "new"}),
    ),
    "crowdflower, unknown job": (
        "crowdflower:new",
        lambda c: c.get("/crowdflower/v1/jobs/999.json", params={"key": "new"}),
    ),
    "crowdflower, invalid job": (
        "crowdflower:new",
        lambda c: c.post(
            "/crowdflower/v1/jobs.json", params={"key": "new"}, data={"job[title]": "abc"}
        ),
    ),
    "crowdflower, broken JSON": (
        "crowdflower:new",
        lambda c: c.post(
            "/crowdflower/v1/jobs/1/units.json",
            params={"key": "new"},
            content=b'{"unit": [',
            headers={"content-type": "application/json"},
        ),
    ),
    "clickworker, unknown task": (
        "clickworker:new",
        lambda c: c.get("/clickworker/api/marketplace/v2/customer/tasks/999", headers=basic("new")),
    ),
    "modelarts, refused after the lookup": (
        f"modelarts:{PROJECT}",
        lambda c: c.get(f"/modelarts/v2/{PROJECT}/datasets", headers=bad_signature()),
    ),
}


@pytest.mark.parametrize("case", REFUSED_FIRST_REQUESTS)
def test_a_refused_first_request_leaves_no_tenant(client: TestClient, case: str) -> None:
    tid, refused = REFUSED_FIRST_REQUESTS[case]
    response = refused(client)
    assert 400 <= response.status_code < 500, response.text
    assert tenant_ids(client) == []
    assert client.get(f"/_mock/tenants/{tid}").status_code == 404
    assert all(entry["status"] >= 400 for entry in client.get("/_mock/journal").json()["entries"])


def test_the_first_good_request_keeps_its_tenant_and_a_refusal_later_does_not_drop_it(
    client: TestClient,
) -> None:
    report(client, "k")
    assert tenant_ids(client) == ["cloudfactory:k"]
    assert client.get("/cloudfactory/v1/tasks/nope", headers={"x-api-key": "k"}).status_code == 404
    assert tenant_ids(client) == ["cloudfactory:k"]


def test_a_tenant_refused_first_starts_empty_when_it_is_finally_used(client: TestClient) -> None:
    refused = client.post(
        "/crowdflower/v1/jobs.json", params={"key": "late"}, data={"job[title]": ""}
    )
    assert refused.status_code >= 400
    created = client.post(
        "/crowdflower/v1/jobs.json", params={"key": "late"}, data={"job[title]": "Rate the tweets"}
    )
    assert created.status_code == 200, created.text
    listed = client.get("/crowdflower/v1/jobs.json", params={"key": "late"})
    assert [job["title"] for job in listed.json()] == ["Rate the tweets"]


@pytest.mark.parametrize("rule", [{"status": 503}, {"status": 429}, {"drop": True}])
def test_a_faulted_first_request_leaves_no_tenant(client: TestClient, rule: dict[str, Any]) -> None:
    added = client.post("/_mock/faults", json={"vendor": "cloudfactory", **rule})
    assert added.status_code == 201, added.text
    client.post(CLOUDFACTORY_REPORT, json=THROUGHPUT, headers={"x-api-key": "faulted"})
    assert tenant_ids(client) == []


def test_concurrent_first_requests_keep_the_tenant_if_one_succeeds() -> None:
    """Two first requests under one key share the tenant being opened: the one that the
    rate limit refuses (the bucket holds one request) does not undo the other."""

    async def scenario() -> tuple[list[int], list[str]]:
        app = _app()
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
            limits = {"vendor": "crowdflower", "policies": [{"name": "per_second", "limit": 1}]}
            configured = await c.put("/_mock/ratelimits", json=limits)
            assert configured.status_code == 200, configured.text
            delay = {"vendor": "crowdflower", "latency": {"seconds": 0.05}}
            assert (await c.post("/_mock/faults", json=delay)).status_code == 201
            path, params = "/crowdflower/v1/jobs.json", {"key": "shared"}
            answers = await asyncio.gather(*(c.get(path, params=params) for _ in range(2)))
            listed = (await c.get("/_mock/tenants")).json()["tenants"]
        return sorted(a.status_code for a in answers), [t["id"] for t in listed]

    statuses, tenants = asyncio.run(scenario())
    assert statuses == [200, 429]
    assert tenants == ["crowdflower:shared"]


KEYS = itertools.count()
METHODS = st.sampled_from(["GET", "POST", "PUT", "DELETE", "PATCH"])
SEGMENTS = st.lists(
    st.sampled_from(["jobs", "units", "tasks", "1", "x", "999.json", "v1", "v2", "%C2%B3"]),
    max_size=4,
)
BODIES = st.one_of(
    st.none(),
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=5),
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner),
        max_leaves=8,
    ),
)
PREFIXES = {
    "cloudfactory": ("/cloudfactory/v1", lambda key: ({"x-api-key": key}, {})),
    "crowdflower": ("/crowdflower/v1", lambda key: ({}, {"key": key})),
    "clickworker": ("/clickworker/api/marketplace/v2", lambda key: (basic(key), {})),
}


@pytest.fixture(scope="module")
def shared_client() -> Iterator[TestClient]:
    with TestClient(_app(rate_limits=False)) as running:
        yield running


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(vendor=st.sampled_from(sorted(PREFIXES)), method=METHODS, segments=SEGMENTS, body=BODIES)
def test_any_refused_request_under_a_new_key_opens_no_tenant(
    shared_client: TestClient, vendor: str, method: str, segments: list[str], body: Any
) -> None:
    prefix, credentials = PREFIXES[vendor]
    key = f"fuzz-{next(KEYS)}"
    headers, params = credentials(key)
    path = "/".join([prefix, *segments])
    response = shared_client.request(
        method, path, headers=headers, params=params, json=body if body is not None else None
    )
    known = shared_client.get(f"/_mock/tenants/{vendor}:{key}").status_code == 200
    assert known == (response.status_code < 400), (response.status_code, response.text)

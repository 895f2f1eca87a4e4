"""Repeated slashes in a path are served as one, for every vendor.

CrowdFlower's Ruby gem joins ``https://api.crowdflower.com/v1`` and ``/jobs.json`` with
a slash of its own, so every request it sends reads ``/v1//jobs.json``; the live API
served them, and so does the sandbox, for each vendor alike.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient

from mockserver.app import create_app
from mockserver.core.routing import merge_slashes
from mockserver.settings import Settings

CROWDFLOWER_KEY = "Rq7vT2mXc9LpW4sZb8Nd"
CLOUDFACTORY_KEY = "loAwlMCCxv4TlpLWR8a2e6"
WORKSTREAM = "345d6802-0efa-46de-a73c-6c24f094dfcf"
PROJECT = "0123456789abcdef0123456789abcdef"


@pytest.fixture
def client() -> Iterator[TestClient]:
    settings = Settings(clock="manual", seed=3, rate_limits=False)
    with TestClient(create_app(settings)) as test_client:
        yield test_client


def same_answer(client: TestClient, single: str, doubled: str, **kwargs: Any) -> None:
    """``doubled`` is answered as ``single`` is: with success, and the same body."""
    expected = client.get(single, **kwargs)
    assert expected.status_code == 200, expected.text
    got = client.get(doubled, **kwargs)
    assert got.status_code == 200, got.text
    assert got.json() == expected.json()


def test_crowdflower_serves_the_ruby_gems_doubled_slash(client: TestClient) -> None:
    created = client.post(
        f"/crowdflower/v1//jobs.json?key={CROWDFLOWER_KEY}&job%5Btitle%5D=Doubled",
        headers={"content-length": "0"},
    )
    assert created.status_code == 200, created.text
    assert created.json()["title"] == "Doubled"
    job = created.json()["id"]

    same_answer(
        client,
        f"/crowdflower/v1/jobs/{job}.json?key={CROWDFLOWER_KEY}",
        f"/crowdflower/v1//jobs/{job}.json?key={CROWDFLOWER_KEY}",
    )


def test_crowdflower_on_its_own_host_merges_slashes_anywhere_in_the_path(
    client: TestClient,
) -> None:
    headers = {"host": "api.crowdflower.com"}
    listed = client.get(f"///v1///jobs.json?key={CROWDFLOWER_KEY}", headers=headers)
    assert listed.status_code == 200, listed.text
    assert listed.json() == []


def test_cloudfactory_merges_slashes(client: TestClient) -> None:
    path = f"/workstreams/{WORKSTREAM}/upload_url"
    headers = {"x-api-key": CLOUDFACTORY_KEY}
    single = client.get(f"/cloudfactory/v1{path}", headers=headers)
    doubled = client.get(f"/cloudfactory/v1/{path}", headers=headers)
    assert single.status_code == doubled.status_code == 200, doubled.text
    assert set(doubled.json()) == set(single.json())


def test_clickworker_merges_slashes(client: TestClient) -> None:
    options: dict[str, Any] = {
        "auth": ("alice", "secret"),
        "headers": {"accept": "application/json"},
    }
    single = client.get("/clickworker/api/marketplace/v2/customer", **options)
    doubled = client.get("/clickworker/api//marketplace/v2//customer", **options)
    assert single.status_code == doubled.status_code == 200, doubled.text
    customer = doubled.json()["customer_response"]["customer"]
    assert customer == single.json()["customer_response"]["customer"]


def test_modelarts_merges_slashes(client: TestClient) -> None:
    login = {"auth": {
        "identity": {"methods": ["password"], "password": {"user": {
            "name": "owner", "password": "pw", "domain": {"name": "acme"}}}},
        "scope": {"project": {"id": PROJECT}},
    }}  # fmt: skip
    token = client.post("/modelarts/v3//auth/tokens", json=login)
    assert token.status_code == 201, token.text
    headers = {"X-Auth-Token": token.headers["x-subject-token"]}
    same_answer(
        client,
        f"/modelarts/v2/{PROJECT}/datasets",
        f"/modelarts/v2//{PROJECT}//datasets",
        headers=headers,
    )


def test_an_escaped_slash_is_data_and_stays() -> None:
    """A ``%2F%2F`` inside a segment decodes to ``//`` but was never a separator."""
    scope: dict[str, Any] = {"path": "/labels/a//b", "raw_path": b"/labels/a%2F%2Fb"}
    merge_slashes(scope)
    assert scope["path"] == "/labels/a//b"

    scope = {"path": "/v1//labels/a//b", "raw_path": b"/v1//labels/a%2F%2Fb?x=1"}
    merge_slashes(scope)
    assert scope["path"] == "/v1/labels/a/b"  # a client writing both gets the lenient reading
    assert scope["raw_path"] == b"/v1//labels/a%2F%2Fb?x=1"  # signatures are over this

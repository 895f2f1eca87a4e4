"""ModelArts authentication: IAM tokens on the project's clock, and AK/SK signatures."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from starlette.testclient import TestClient

from mockserver.app import create_app
from mockserver.core.clock import wall_time
from mockserver.settings import Settings
from mockserver.vendors.modelarts import signing
from mockserver.vendors.modelarts.auth import project_id_of_name

PROJECT = "0123456789abcdef0123456789abcdef"
OTHER = "fedcba9876543210fedcba9876543210"
ROOT = "/modelarts"


def token_request(project: dict[str, str]) -> dict[str, Any]:
    return {"auth": {
        "identity": {"methods": ["password"], "password": {"user": {
            "name": "labeler", "password": "pw", "domain": {"name": "acme"}}}},
        "scope": {"project": project},
    }}  # fmt: skip


@pytest.fixture
def client() -> Iterator[TestClient]:
    with TestClient(create_app(Settings(clock="manual", seed=4, rate_limits=False))) as running:
        yield running


def token_for(client: TestClient, project: str = PROJECT) -> str:
    response = client.post(f"{ROOT}/v3/auth/tokens", json=token_request({"id": project}))
    assert response.status_code == 201
    token: str = response.headers["x-subject-token"]
    return token


def test_a_token_is_issued_in_its_header_with_the_documented_body(client: TestClient) -> None:
    response = client.post(
        f"{ROOT}/v3/auth/tokens?nocatalog=true", json=token_request({"id": PROJECT})
    )
    assert response.status_code == 201
    assert response.headers["x-subject-token"].startswith("MII")
    assert response.headers["x-request-id"]
    token = response.json()["token"]
    assert "catalog" not in token
    assert token["project"]["id"] == PROJECT and token["methods"] == ["password"]
    issued = datetime.strptime(token["issued_at"], "%Y-%m-%dT%H:%M:%S.%fZ")
    expires = datetime.strptime(token["expires_at"], "%Y-%m-%dT%H:%M:%S.%fZ")
    assert (expires - issued).total_seconds() == 24 * 3600


def test_a_project_may_be_named_instead_of_given_by_id(client: TestClient) -> None:
    response = client.post(f"{ROOT}/v3/auth/tokens", json=token_request({"name": "cn-north-4"}))
    assert response.json()["token"]["project"]["id"] == project_id_of_name("cn-north-4")
    assert "catalog" in response.json()["token"]


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({}, 400),
        ({"auth": {"identity": {}, "scope": {"project": {}}}}, 400),
        (token_request({}), 400),
    ],
)
def test_a_bad_token_request_is_refused(client: TestClient, body: Any, status: int) -> None:
    response = client.post(f"{ROOT}/v3/auth/tokens", json=body)
    assert response.status_code == status
    assert response.json()["error_code"].startswith("ModelArts.")


def test_the_token_opens_its_project_only(client: TestClient) -> None:
    token = token_for(client)
    unknown_route = client.get(f"{ROOT}/v2/{PROJECT}/nothing", headers={"X-Auth-Token": token})
    assert unknown_route.status_code == 404  # authenticated, then no such route
    other = client.get(f"{ROOT}/v2/{OTHER}/nothing", headers={"X-Auth-Token": token})
    assert (other.status_code, other.json()["error_code"]) == (403, "ModelArts.0210")


def test_a_token_expires_after_24_hours_of_the_projects_time(client: TestClient) -> None:
    token = token_for(client)
    client.post("/_mock/clock/advance", json={"seconds": 24 * 3600 - 1})
    alive = client.get(f"{ROOT}/v2/{PROJECT}/nothing", headers={"X-Auth-Token": token})
    assert alive.status_code == 404
    client.post("/_mock/clock/advance", json={"seconds": 1})
    expired = client.get(f"{ROOT}/v2/{PROJECT}/nothing", headers={"X-Auth-Token": token})
    assert (expired.status_code, expired.json()["error_code"]) == (401, "ModelArts.0202")


@pytest.mark.parametrize(
    ("headers", "status", "code"),
    [
        ({}, 401, "ModelArts.0205"),
        ({"X-Auth-Token": "MIIEnotatoken"}, 401, "ModelArts.0203"),
        ({"X-Auth-Token": "MIIE" + PROJECT + "forged"}, 401, "ModelArts.0203"),
        ({"Authorization": "Basic abc"}, 401, "ModelArts.0206"),
        ({"Authorization": "SDK-HMAC-SHA256 Access=AK"}, 401, "ModelArts.0206"),
    ],
)
def test_missing_or_bad_credentials_get_the_documented_codes(
    client: TestClient, headers: dict[str, str], status: int, code: str
) -> None:
    response = client.get(f"{ROOT}/v2/{PROJECT}/datasets", headers=headers)
    assert (response.status_code, response.json()["error_code"]) == (status, code)
    assert response.headers["x-request-id"]


def signed_headers(method: str, path: str, query: str, secret: str, *, date: str | None = None,
                   access: str = "AK1", body: bytes = b"") -> dict[str, str]:  # fmt: skip
    date = date or datetime.fromtimestamp(wall_time(), UTC).strftime("%Y%m%dT%H%M%SZ")
    headers = {"content-type": "application/json", "host": "testserver", "x-sdk-date": date}
    names = tuple(sorted(headers))
    canonical = signing.canonical_request(method, path, query, headers, names, body)
    signature = signing.expected_signature(secret, date, canonical)
    return {**headers, "Authorization":
            f"SDK-HMAC-SHA256 Access={access}, SignedHeaders={';'.join(names)}, "
            f"Signature={signature}"}  # fmt: skip


def register(client: TestClient, access: str = "AK1", secret: str = "SK1") -> None:
    response = client.post(
        "/_mock/modelarts/credentials", json={"ak": access, "sk": secret, "project_id": PROJECT}
    )
    assert response.status_code == 201


def test_a_signature_with_the_registered_secret_is_accepted(client: TestClient) -> None:
    register(client)
    path = f"{ROOT}/v2/{PROJECT}/nothing"
    headers = signed_headers("GET", path, "limit=1&name=a%20b", "SK1")
    response = client.get(f"{path}?name=a%20b&limit=1", headers=headers)
    assert response.status_code == 404  # authenticated, then no such route


@pytest.mark.parametrize(
    "change",
    ["secret", "path", "query", "stale date", "body"],
)
def test_a_tampered_or_stale_signature_is_403(client: TestClient, change: str) -> None:
    register(client)
    path = f"{ROOT}/v2/{PROJECT}/nothing"
    stale = datetime.fromtimestamp(wall_time() - 3600, UTC).strftime("%Y%m%dT%H%M%SZ")
    headers = signed_headers(
        "POST",
        path,
        "a=1",
        "wrong" if change == "secret" else "SK1",
        date=stale if change == "stale date" else None,
        body=b"{}",
    )
    sent_path = path + ("x" if change == "path" else "")
    query = "a=2" if change == "query" else "a=1"
    content = b'{"x":1}' if change == "body" else b"{}"
    response = client.post(f"{sent_path}?{query}", headers=headers, content=content)
    assert (response.status_code, response.json()["error_code"]) == (403, "ModelArts.0206")


def test_open_mode_checks_an_unregistered_ak_against_the_default_secret(
    client: TestClient,
) -> None:
    path = f"{ROOT}/v2/{PROJECT}/nothing"
    good = signed_headers("GET", path, "", "mockserver-secret-key", access="ANY")
    assert client.get(path, headers=good).status_code == 404
    bad = signed_headers("GET", path, "", "guess", access="ANY")
    assert client.get(path, headers=bad).status_code == 403


def test_strict_mode_refuses_an_unregistered_ak() -> None:
    with TestClient(create_app(Settings(clock="manual", strict_auth=True))) as client:
        path = f"{ROOT}/v2/{PROJECT}/nothing"
        headers = signed_headers("GET", path, "", "mockserver-secret-key", access="ANY")
        assert client.get(path, headers=headers).status_code == 403
        register(client)
        known = signed_headers("GET", path, "", "SK1")
        assert client.get(path, headers=known).status_code == 404


def test_the_canonical_request_follows_the_sdk_rules() -> None:
    canonical = signing.canonical_request(
        "get",
        "/v2/p/data sets",
        "b=2&a=x%2Fy",
        {"Host": " h ", "X-Sdk-Date": "d"},
        ("host", "x-sdk-date"),
        b"",
    )
    assert canonical.split("\n") == [
        "GET",
        "/v2/p/data%20sets/",
        "a=x%2Fy&b=2",
        "host:h",
        "x-sdk-date:d",
        "",
        "host;x-sdk-date",
        hashlib.sha256(b"").hexdigest(),
    ]


def test_a_date_once_fresh_goes_stale_as_the_wall_clock_moves(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Parsed dates are remembered, their freshness is not."""
    register(client)
    path = f"{ROOT}/v2/{PROJECT}/nothing"
    headers = signed_headers("GET", path, "", "SK1")
    assert client.get(path, headers=headers).status_code == 404
    later = wall_time() + 16 * 60
    monkeypatch.setattr("mockserver.vendors.modelarts.auth.wall_time", lambda: later)
    response = client.get(path, headers=headers)
    assert (response.status_code, response.json()["error_code"]) == (403, "ModelArts.0206")

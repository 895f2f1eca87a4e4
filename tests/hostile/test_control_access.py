"""Who may call ``/_mock``: with an admin token set, only who presents it, but for health
and the pre-signed storage URLs the vendors hand their clients."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from starlette.testclient import TestClient

from mockserver.app import create_app
from mockserver.cli import build_settings
from mockserver.settings import Settings
from mockserver.testing import ServerThread
from mockserver.testing.handle import MockServerHandle

TOKEN = "s3cret-admin-token-7f3a"
BEARER = {"Authorization": f"Bearer {TOKEN}"}
PROTECTED = [
    ("GET", "/_mock/settings"),
    ("GET", "/_mock/tenants"),
    ("POST", "/_mock/reset"),
    ("GET", "/_mock/journal"),
    ("DELETE", "/_mock/journal"),
    ("POST", "/_mock/clock/advance"),
    ("GET", "/_mock/faults"),
    ("POST", "/_mock/snapshot"),
    ("GET", "/_mock/openapi.json"),
    ("GET", "/_mock/cloudfactory/workstreams"),
    ("POST", "/_mock/modelarts/credentials"),
    ("GET", "/_mock/no-such-route"),
]


@pytest.fixture
def client() -> Iterator[TestClient]:
    settings = Settings(clock="manual", rate_limits=False, admin_token=TOKEN)
    with TestClient(create_app(settings)) as running:
        yield running


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer wrong"},
        {"X-Admin-Token": TOKEN[:-1]},
        {"Authorization": f"Basic {TOKEN}"},
    ],
    ids=["none", "wrong bearer", "wrong header", "not bearer"],
)
@pytest.mark.parametrize(("method", "path"), PROTECTED)
def test_every_control_route_refuses_without_the_token_as_json_401(
    client: TestClient, method: str, path: str, headers: dict[str, str]
) -> None:
    response = client.request(method, path, headers=headers)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert "admin token" in response.json()["error"]


def test_a_refused_call_changes_nothing(client: TestClient) -> None:
    client.post("/_mock/faults", json={"status": 503})
    assert client.get("/_mock/faults", headers=BEARER).json()["faults"] == []


@pytest.mark.parametrize(
    "headers", [BEARER, {"authorization": f"bearer {TOKEN}"}, {"X-Admin-Token": TOKEN}]
)
def test_the_token_opens_every_route(client: TestClient, headers: dict[str, str]) -> None:
    added = client.post("/_mock/faults", json={"status": 503, "count": 1}, headers=headers)
    assert added.status_code == 201
    assert client.get("/_mock/tenants", headers=headers).status_code == 200


def test_health_needs_no_token(client: TestClient) -> None:
    assert client.get("/_mock/health").json()["status"] == "ok"


def test_settings_show_the_token_masked(client: TestClient) -> None:
    shown = client.get("/_mock/settings", headers=BEARER).json()
    assert shown["admin_token"] == "****7f3a"


def test_a_pre_signed_storage_url_is_called_without_the_token(client: TestClient) -> None:
    media = client.post(
        "/cloudfactory/v1/media",
        json={"configuration_id": "cfg-1", "content_type": "image/png"},
        headers={"x-api-key": "k"},
    )
    assert media.status_code == 200, media.text
    url = media.json()["media_upload_url"]
    put = client.put(url, content=b"png", headers={"content-type": "image/png"})
    assert put.status_code == 200
    assert client.put("/_mock/storage/not-a-token", content=b"x").status_code == 404


def test_fixtures_load_at_start_on_a_server_with_a_token() -> None:
    settings = Settings(clock="manual", fixture="tenants", admin_token=TOKEN)
    with TestClient(create_app(settings)) as client:
        tenants = client.get("/_mock/tenants", headers=BEARER).json()["tenants"]
        assert tenants
        loaded = client.post("/_mock/fixtures/tenants", headers=BEARER)
        assert loaded.status_code == 201, loaded.text


def test_the_token_is_a_flag_and_an_environment_variable() -> None:
    assert build_settings(["--admin-token", TOKEN], {}).admin_token == TOKEN
    assert build_settings([], {"MOCKSERVER_ADMIN_TOKEN": TOKEN}).admin_token == TOKEN
    assert build_settings([], {"MOCKSERVER_ADMIN_TOKEN": ""}).admin_token is None
    with pytest.raises(ValueError, match="admin-token"):
        Settings(admin_token="  ")


def test_the_handle_of_a_server_with_a_token_calls_it() -> None:
    with ServerThread(Settings(clock="manual", admin_token=TOKEN)) as server:
        assert server.admin_token == TOKEN
        assert httpx.get(f"{server.url}/_mock/tenants").status_code == 401
        handle = MockServerHandle(server.url, admin_token=server.admin_token)
        try:
            tenant = handle.tenant("cloudfactory")
            handle.advance(60, tenant=tenant)
            assert handle.journal() == []
        finally:
            handle.close()


def test_the_control_document_declares_the_token_where_the_server_asks_for_it(
    client: TestClient,
) -> None:
    """A generated client or a fuzzer reading the document sends the token exactly where
    a request without it is refused."""
    document = client.get("/_mock/openapi.json", headers=BEARER).json()
    schemes = document["components"]["securitySchemes"]
    assert schemes["adminBearer"] == {"type": "http", "scheme": "bearer"}
    assert schemes["adminHeader"] == {"type": "apiKey", "in": "header", "name": "X-Admin-Token"}
    operations = [
        (method.upper(), path, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
    ]
    assert len(operations) > 20
    for method, path, operation in operations:
        url = path.replace("{", "").replace("}", "")  # every path parameter as its own name
        refused = client.request(method, url).status_code == 401
        assert refused == (operation.get("security") != []), (method, path)


def test_without_a_token_the_control_document_declares_none() -> None:
    with TestClient(create_app(Settings(clock="manual"))) as open_server:
        document = open_server.get("/_mock/openapi.json").json()
    assert "securitySchemes" not in document["components"]
    assert "security" not in document

"""clickworker's wire: Basic auth, XML or JSON by Accept, the envelope, paths and hosts."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from mockserver.app import create_app
from mockserver.core.xmlwire import parse_xml
from mockserver.settings import Settings

CUSTOMER = "/clickworker/api/marketplace/v2/customer"
AUTH = ("alice", "secret")


@pytest.fixture
def client() -> Iterator[TestClient]:
    with TestClient(create_app(Settings(clock="manual", seed=2, rate_limits=False))) as running:
        yield running


def test_xml_is_the_default_with_the_envelope_first(client: TestClient) -> None:
    response = client.get(CUSTOMER, auth=AUTH)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/xml")
    assert response.text.startswith('<?xml version="1.0"?>\n<customer_response><request_status>')
    document = parse_xml(response.content, lists=("link",))["customer_response"]
    status = document["request_status"]
    assert (status["valid"], status["status_code"], status["status_text"]) == ("true", "200", "OK")
    assert len(status["id"]) == 28 and status["id"].endswith("=")
    customer = document["customer"]
    assert customer["balance"]["balance_amount"] == "1000.00"
    assert customer["link"][0] == {
        "href": "http://testserver/clickworker/api/marketplace/v2/customer",
        "rel": "self",
        "type": "application/xml",
    }


def test_json_when_asked_with_link_as_an_array(client: TestClient) -> None:
    response = client.get(CUSTOMER, auth=AUTH, headers={"Accept": "application/json"})
    body = response.json()["customer_response"]
    assert body["request_status"]["valid"] is True
    assert body["customer"]["link"][0]["type"] == "application/json"
    assert body["customer"]["balance"]["currency_code"] == "EUR"
    assert body["customer"]["balance_amount"] == "1000.00"  # flat, as the plugin reads it


@pytest.mark.parametrize(
    "path",
    [
        "/clickworker/de/api/marketplace/v2/customer",
        "/clickworker/en/api/marketplace/v2/customer/",
        "/clickworker/marketplace/v2/customer",
    ],
)
def test_locale_segment_alias_and_trailing_slash_never_redirect(
    client: TestClient, path: str
) -> None:
    response = client.get(path, auth=AUTH, follow_redirects=False)
    assert response.status_code == 200


@pytest.mark.parametrize("host", ["api.clickworker.com", "sandbox.clickworker.com"])
def test_the_real_hosts_route_at_the_root(client: TestClient, host: str) -> None:
    response = client.get("/api/marketplace/v2/customer", auth=AUTH, headers={"Host": host})
    assert response.status_code == 200
    assert f"http://{host}/api/marketplace/v2/customer" in response.text


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer x"},
        {"Authorization": "Basic !!!"},
        {"Authorization": "Basic bm9jb2xvbg=="},
    ],
)
def test_missing_or_malformed_credentials_are_401(
    client: TestClient, headers: dict[str, str]
) -> None:
    response = client.get(CUSTOMER, headers=headers)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == 'Basic realm="clickworker"'
    status = parse_xml(response.content)["customer_response"]["request_status"]
    assert (status["valid"], status["status_code"]) == ("false", "401")


def test_a_registered_password_is_checked(client: TestClient) -> None:
    client.post(
        "/_mock/tenants",
        json={"vendor": "clickworker", "credential": "bob", "setup": {"password": "right"}},
    )
    assert client.get(CUSTOMER, auth=("bob", "wrong")).status_code == 401
    assert client.get(CUSTOMER, auth=("bob", "right")).status_code == 200


def test_strict_mode_refuses_unknown_usernames() -> None:
    with TestClient(create_app(Settings(clock="manual", strict_auth=True))) as client:
        assert client.get(CUSTOMER, auth=AUTH).status_code == 401


def test_an_unknown_resource_is_the_envelope_404(client: TestClient) -> None:
    response = client.get(
        "/clickworker/api/marketplace/v2/customer/nothing/5",
        auth=AUTH,
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 404
    assert response.json()["customer_response"]["request_status"]["valid"] is False


def test_accounts_are_isolated_and_setup_sets_the_balance(client: TestClient) -> None:
    client.post(
        "/_mock/tenants",
        json={
            "vendor": "clickworker",
            "credential": "carol",
            "setup": {"balance": "12.50", "currency": "USD"},
        },
    )
    carol = client.get(CUSTOMER, auth=("carol", "x"), headers={"Accept": "application/json"})
    assert carol.json()["customer_response"]["customer"]["balance"] == {
        "balance_amount": "12.50",
        "reserved_amount": "0.00",
        "credit_limit": "0.00",
        "currency_code": "USD",
    }
    alice = client.get(CUSTOMER, auth=AUTH, headers={"Accept": "application/json"})
    assert alice.json()["customer_response"]["customer"]["balance_amount"] == "1000.00"

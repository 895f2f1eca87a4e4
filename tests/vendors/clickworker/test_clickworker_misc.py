"""clickworker ``prices/create`` quotes and ``clickworkers`` counts."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient

from mockserver.app import create_app
from mockserver.core.xmlwire import parse_xml
from mockserver.settings import Settings
from mockserver.vendors.clickworker.backend import crowdmap

BASE = "/clickworker/api/marketplace/v2"
PRICES = f"{BASE}/prices/create"
COUNT = f"{BASE}/clickworkers"
AUTH = ("alice", "secret")
JSON = {"Accept": "application/json"}
LISTS = ("link", "errors")


@pytest.fixture
def client() -> Iterator[TestClient]:
    with TestClient(create_app(Settings(clock="manual", seed=2, rate_limits=False))) as running:
        yield running


def xml(response: Any, root: str) -> dict[str, Any]:
    document: dict[str, Any] = parse_xml(response.content, lists=LISTS)[root]
    return document


def template_xml(length: str = "10#55", proof: str = "no", code: str = "q1") -> str:
    return f"""<task_template>
  <code>{code}</code><name>Quote {code}</name>
  <titles><en>Quote</en></titles>
  <product>
    <link href="/api/marketplace/v2/products/TextCreate" rel="product" type="application/xml"/>
    <attributes><code>textcreate_language</code><value>en</value></attributes>
    <attributes><code>textcreate_text_length</code><value>{length}</value></attributes>
    <attributes><code>textcreate_proof_read</code><value>textcreate_proof_{proof}</value></attributes>
  </product>
</task_template>"""


def plugin_body(length: str, proof: str) -> dict[str, Any]:
    return {
        "task_template": {
            "code": "tpl_text_create_keywords_de_1",
            "name": "Wordpress APIClient SEO-Text (de)",
            "titles": {"en": "Topic", "de": "Topic"},
            "descriptions": {"en": "Instructions", "de": "Instructions"},
            "product": {
                "link": {
                    "href": "/api/marketplace/v2/products/TextCreateWithKeywords",
                    "rel": "product",
                    "type": "application/json",
                },
                "attributes": [
                    {"code": "textcreatewithkeywords_language", "value": "de"},
                    {"code": "textcreatewithkeywords_text_length", "value": length},
                    {"code": "textcreatewithkeywords_proof_read", "value": proof},
                ],
            },
            "form": {
                "elements": [
                    {
                        "type": "text_area",
                        "titles": {"en": "Your Text"},
                        "item_code": "seotext",
                        "is_output": True,
                        "is_mandatory": True,
                    }
                ]
            },
        }
    }


def quote_xml(client: TestClient, **kwargs: str) -> dict[str, Any]:
    response = client.post(PRICES, content=template_xml(**kwargs), auth=AUTH)
    assert response.status_code == 200, response.text
    price: dict[str, Any] = xml(response, "price_response")["price"]
    return price


def test_a_quote_in_xml_has_after_tax_and_currency(client: TestClient) -> None:
    price = quote_xml(client)
    # 55 words at 0.012 EUR, 19% VAT
    assert price == {"net": "0.66", "tax": "0.13", "after_tax": "0.79", "currency": "EUR"}


def test_a_quote_grows_with_text_length_and_proof_reading(client: TestClient) -> None:
    short = float(quote_xml(client, length="10#55")["after_tax"])
    longer = float(quote_xml(client, length="1001#1210")["after_tax"])
    proofed = float(quote_xml(client, length="1001#1210", proof="yes")["after_tax"])
    assert short < longer < proofed


def test_the_plugin_json_quote_with_a_trailing_slash(client: TestClient) -> None:
    def after_tax(length: str, proof: str) -> str:
        response = client.post(
            f"{PRICES}/", json=plugin_body(length, proof), auth=AUTH, headers=JSON
        )
        assert response.status_code == 200, response.text
        body = response.json()["price_response"]
        assert body["request_status"]["valid"] is True
        assert body["price"]["currency"] == "EUR"
        value: str = body["price"]["after_tax"]
        return value

    assert after_tax("201#255", "textcreate_proof_no") == "3.64"
    assert after_tax("201#255", "textcreate_proof_yes") == "4.86"


def test_a_quote_stores_nothing_and_ignores_taken_codes(client: TestClient) -> None:
    created = client.post(f"{BASE}/customer/task_templates", content=template_xml(), auth=AUTH)
    assert created.status_code == 200
    assert quote_xml(client)["after_tax"] == "0.79"  # same code and name: still a quote
    listed = client.get(f"{BASE}/customer/task_templates", auth=AUTH, headers=JSON)
    assert len(listed.json()["task_templates_response"]["task_templates"]) == 1


def test_a_quote_in_the_account_currency(client: TestClient) -> None:
    client.post(
        "/_mock/tenants",
        json={"vendor": "clickworker", "credential": "dan", "setup": {"currency": "USD"}},
    )
    response = client.post(PRICES, content=template_xml(), auth=("dan", "x"))
    assert xml(response, "price_response")["price"]["currency"] == "USD"


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        (template_xml(length="3#4"), 422, "product.attributes.textcreate_text_length"),
        (template_xml().replace("<en>Quote</en>", "<de>Zitat</de>"), 422, "titles.en"),
        (template_xml().replace('TextCreate"', 'Nothing"'),
         422, "product.link"),
        ("<task_template><code>x</code>", 400, "MalformedBody"),
        ('<!DOCTYPE t [<!ENTITY x SYSTEM "file:///etc/passwd">]><task_template/>',
         400, "MalformedBody"),
    ],
)  # fmt: skip
def test_a_bad_quote_is_refused_in_the_price_envelope(
    client: TestClient, body: str, status: int, field: str
) -> None:
    response = client.post(PRICES, content=body, auth=AUTH)
    assert response.status_code == status, response.text
    document = xml(response, "price_response")
    assert document["request_status"]["valid"] == "false"
    assert field in [e["code"] for e in document["errors"]]


def count(client: TestClient, user: str = "alice", json: bool = False, **params: Any) -> Any:
    query = {"api_method": "count_in_radius", **params}
    return client.get(COUNT, params=query, auth=(user, "x"), headers=JSON if json else {})


def test_a_count_in_xml_and_json(client: TestClient) -> None:
    response = count(client, latitude=52.52, longitude=13.40, r=25)
    assert response.status_code == 200
    document = xml(response, "clickworkers_response")
    assert document["request_status"]["valid"] == "true"
    as_xml = int(document["clickworker_count"])
    body = count(client, json=True, latitude=52.52, longitude=13.40, r=25).json()
    assert set(body["clickworkers_response"]) == {"request_status", "clickworker_count"}
    assert body["clickworkers_response"]["clickworker_count"] == as_xml


def test_counts_are_deterministic_and_grow_with_the_radius(client: TestClient) -> None:
    place = {"latitude": 48.14, "longitude": 11.58}
    first = count(client, json=True, r=50, **place).json()["clickworkers_response"]
    again = count(client, json=True, r=50, **place).json()["clickworkers_response"]
    assert first["clickworker_count"] == again["clickworker_count"]
    with TestClient(create_app(Settings(clock="manual", seed=2, rate_limits=False))) as other:
        elsewhere = count(other, json=True, r=50, **place).json()["clickworkers_response"]
    assert elsewhere["clickworker_count"] == first["clickworker_count"]
    sizes = [
        count(client, json=True, r=r, **place).json()["clickworkers_response"]["clickworker_count"]
        for r in (10, 100, 1000)
    ]
    assert sizes == sorted(sizes)


def test_a_radius_below_ten_counts_as_ten(client: TestClient) -> None:
    place = {"latitude": 40.0, "longitude": -3.7}
    ten = count(client, json=True, r=10, **place).json()["clickworkers_response"]
    small = count(client, json=True, r=0.5, **place).json()["clickworkers_response"]
    assert small["clickworker_count"] == ten["clickworker_count"]
    assert crowdmap.count_in_radius("s", 40.0, -3.7, 2) == crowdmap.count_in_radius(
        "s", 40.0, -3.7, 10
    )


def test_an_empty_place_counts_zero_with_200(client: TestClient) -> None:
    seed = "clickworker:alice"
    empty = next(
        (lat, lon)
        for lat in range(-60, 60)
        for lon in range(-170, 170, 7)
        if crowdmap.density(seed, lat + 0.5, lon + 0.5) == 0.0
    )
    response = count(client, json=True, latitude=empty[0] + 0.5, longitude=empty[1] + 0.5, r=30)
    assert response.status_code == 200
    assert response.json()["clickworkers_response"]["clickworker_count"] == 0


@pytest.mark.parametrize(
    ("params", "fields"),
    [
        ({}, ["latitude", "longitude", "r"]),
        ({"latitude": 10}, ["longitude", "r"]),
        ({"latitude": 91, "longitude": 0, "r": 10}, ["latitude"]),
        ({"latitude": 0, "longitude": -180.5, "r": 10}, ["longitude"]),
        ({"latitude": "north", "longitude": 0, "r": 10}, ["latitude"]),
        ({"latitude": 0, "longitude": 0, "r": 0}, ["r"]),
        ({"latitude": 0, "longitude": 0, "r": -5}, ["r"]),
        ({"latitude": 0, "longitude": 0, "r": "nan"}, ["r"]),
        ({"latitude": 0, "longitude": 0, "r": "far"}, ["r"]),
    ],
)
def test_each_bad_parameter_is_named(
    client: TestClient, params: dict[str, Any], fields: list[str]
) -> None:
    response = count(client, json=True, **params)
    assert response.status_code == 422
    body = response.json()["clickworkers_response"]
    assert body["request_status"]["valid"] is False
    assert [e["code"] for e in body["errors"]] == fields


@pytest.mark.parametrize("method", ["count_in_country", None])
def test_an_unknown_or_missing_api_method_is_422(client: TestClient, method: str | None) -> None:
    params = {"latitude": 0, "longitude": 0, "r": 10}
    if method is not None:
        params["api_method"] = method
    response = client.get(COUNT, params=params, auth=AUTH)
    assert response.status_code == 422
    document = xml(response, "clickworkers_response")
    assert [e["code"] for e in document["errors"]] == ["api_method"]

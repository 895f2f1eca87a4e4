"""clickworker products: the index, the detail with attributes and options, 404s."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient

from mockserver.app import create_app
from mockserver.core.errors import NotFound
from mockserver.core.xmlwire import parse_xml
from mockserver.settings import Settings
from mockserver.vendors.clickworker.backend.catalog import Catalog

PRODUCTS = "/clickworker/api/marketplace/v2/products"
AUTH = ("alice", "secret")
JSON = {"Accept": "application/json"}
LISTS = ("link", "products", "attributes", "options", "errors")
LANGUAGES = ["en", "de", "fr", "es", "pl", "pt", "tr", "it", "cs", "nl", "ru", "hu", "ro"]
LENGTHS = [
    "10#55", "50#110", "100#160", "151#205", "201#255", "251#305", "301#355", "351#405",
    "451#505", "501#555", "551#605", "601#710", "701#810", "801#910", "901#1010", "1001#1210",
]  # fmt: skip


@pytest.fixture
def client() -> Iterator[TestClient]:
    with TestClient(create_app(Settings(clock="manual", seed=2, rate_limits=False))) as running:
        yield running


def xml(response: Any, root: str) -> dict[str, Any]:
    document: dict[str, Any] = parse_xml(response.content, lists=LISTS)[root]
    return document


def by_code(attributes: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {a["code"]: a for a in attributes}


def test_the_index_in_xml(client: TestClient) -> None:
    response = client.get(PRODUCTS, auth=AUTH)
    assert response.status_code == 200
    document = xml(response, "products_response")
    assert document["request_status"]["valid"] == "true"
    products = {p["code"]: p for p in document["products"]}
    assert {"TextCreate", "TextCreateWithKeywords", "ExternalForm", "AddressResearch"} <= set(
        products
    )
    text = products["TextCreate"]
    assert text["link"][0] == {
        "href": f"http://testserver{PRODUCTS}/TextCreate",
        "rel": "self",
        "type": "application/xml",
    }
    assert set(text["titles"]) == {"en", "de", "fr"}
    assert text["available"] == "true"
    assert products["CustomSolution"]["available"] == "false"


def test_the_index_in_json_with_a_trailing_slash(client: TestClient) -> None:
    response = client.get(f"{PRODUCTS}/", auth=AUTH, headers=JSON)
    products = response.json()["products_response"]["products"]
    entry = next(p for p in products if p["code"] == "TextCreateWithKeywords")
    assert entry["available"] is True
    assert entry["titles"]["de"] == "Texterstellung mit Keywords"
    assert entry["link"][0]["type"] == "application/json"
    assert set(entry) == {"link", "code", "titles", "available"}


def test_text_create_offers_the_documented_attributes_and_options(client: TestClient) -> None:
    response = client.get(f"{PRODUCTS}/TextCreate", auth=AUTH)
    assert response.status_code == 200
    product = xml(response, "product_response")["product"]
    assert (product["code"], product["available"]) == ("TextCreate", "true")
    assert product["title"] == "Text creation"
    assert product["description"]
    attributes = by_code(product["attributes"])
    assert list(attributes) == [
        "textcreate_language",
        "textcreate_text_length",
        "textcreate_proof_read",
    ]
    language = attributes["textcreate_language"]
    assert language["is_mandatory"] == "true"
    assert set(language["titles"]) == set(language["helps"]) == {"en", "de", "fr"}
    assert [o["value"] for o in language["options"]] == LANGUAGES
    assert language["options"][1]["titles"]["de"] == "Deutsch"
    lengths = attributes["textcreate_text_length"]["options"]
    assert [o["value"] for o in lengths] == LENGTHS
    proof = attributes["textcreate_proof_read"]["options"]
    assert [o["value"] for o in proof] == ["textcreate_proof_yes", "textcreate_proof_no"]


def test_text_create_with_keywords_in_json(client: TestClient) -> None:
    response = client.get(f"{PRODUCTS}/TextCreateWithKeywords", auth=AUTH, headers=JSON)
    product = response.json()["product_response"]["product"]
    attributes = by_code(product["attributes"])
    prefix = "textcreatewithkeywords"
    assert [code.removeprefix(f"{prefix}_") for code in attributes] == [
        "language",
        "text_length",
        "proof_read",
        "sample",
        "description",
        "team_whitelist",
        "team_blacklist",
    ]
    assert attributes[f"{prefix}_language"]["is_mandatory"] is True
    assert attributes[f"{prefix}_sample"]["is_mandatory"] is False
    assert attributes[f"{prefix}_sample"]["options"] == []
    proof = [o["value"] for o in attributes[f"{prefix}_proof_read"]["options"]]
    assert proof == ["textcreate_proof_yes", "textcreate_proof_no"]
    assert [o["value"] for o in attributes[f"{prefix}_text_length"]["options"]] == LENGTHS
    assert product["link"][0]["href"].endswith("/products/TextCreateWithKeywords")


@pytest.mark.parametrize("code", ["ExternalForm", "AddressResearch"])
def test_the_other_documented_products_are_available(client: TestClient, code: str) -> None:
    product = client.get(f"{PRODUCTS}/{code}", auth=AUTH, headers=JSON).json()["product_response"]
    assert (product["product"]["code"], product["product"]["available"]) == (code, True)
    assert product["product"]["attributes"]


@pytest.mark.parametrize(
    ("language", "title"),
    [("de-DE,de;q=0.9", "Texterstellung"), ("fr", "Création de texte"), ("ja", "Text creation")],
)
def test_the_detail_speaks_the_accept_language(
    client: TestClient, language: str, title: str
) -> None:
    headers = {**JSON, "Accept-Language": language}
    response = client.get(f"{PRODUCTS}/TextCreate", auth=AUTH, headers=headers)
    assert response.json()["product_response"]["product"]["title"] == title


@pytest.mark.parametrize("json", [False, True])
def test_an_unknown_product_is_404_in_its_envelope(client: TestClient, json: bool) -> None:
    response = client.get(f"{PRODUCTS}/Nothing", auth=AUTH, headers=JSON if json else {})
    assert response.status_code == 404
    if json:
        status = response.json()["product_response"]["request_status"]
        assert (status["valid"], status["status_code"]) == (False, 404)
    else:
        status = xml(response, "product_response")["request_status"]
        assert (status["valid"], status["status_code"]) == ("false", "404")


def test_products_need_credentials(client: TestClient) -> None:
    assert client.get(PRODUCTS).status_code == 401


def test_the_catalog_checks_values_only_for_selections() -> None:
    catalog = Catalog()
    product = catalog.require("TextCreateWithKeywords")
    assert product.by_code["textcreatewithkeywords_language"].accepts("ro")
    assert not product.by_code["textcreatewithkeywords_language"].accepts("xx")
    assert product.by_code["textcreatewithkeywords_sample"].accepts("any text at all")
    assert [a.code for a in product.mandatory] == [
        "textcreatewithkeywords_language",
        "textcreatewithkeywords_text_length",
        "textcreatewithkeywords_proof_read",
    ]
    with pytest.raises(NotFound):
        catalog.require("Nothing")


def test_a_product_answers_each_language_host_and_format_it_is_asked_in(
    client: TestClient,
) -> None:
    def title(language: str, host: str = "testserver", json: bool = True) -> Any:
        headers = {"Accept-Language": language, "Host": host, **(JSON if json else {})}
        response = client.get(f"{PRODUCTS}/TextCreate", auth=AUTH, headers=headers)
        if not json:
            return xml(response, "product_response")["product"]["title"]
        product = response.json()["product_response"]["product"]
        return product["title"], product["link"][0]["href"].split("/")[2]

    assert title("de") == ("Texterstellung", "testserver")
    assert title("en") == ("Text creation", "testserver")
    assert title("de", host="other.example") == ("Texterstellung", "other.example")
    assert title("fr", json=False) == "Création de texte"
    assert title("de", json=False) == "Texterstellung"

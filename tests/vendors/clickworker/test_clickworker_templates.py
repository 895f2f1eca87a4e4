"""clickworker task templates: create (XML and JSON), list, show, update, delete, refusals."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient

from mockserver.app import create_app
from mockserver.core.errors import InvalidInput
from mockserver.core.xmlwire import parse_xml
from mockserver.settings import Settings
from mockserver.vendors.clickworker.backend import ClickworkerWorld
from mockserver.vendors.clickworker.backend.catalog import Catalog
from mockserver.vendors.clickworker.backend.templates import (
    FormElement,
    Template,
    TemplateInUse,
    Templates,
)

CONTEXT = "/api/marketplace/v2"
BASE = f"/clickworker{CONTEXT}"
TEMPLATES = f"{BASE}/customer/task_templates"
AUTH = ("alice", "secret")
JSON_HEADERS = {"Accept": "application/json", "Content-Type": "application/json; charset=utf-8"}
LISTS = ("link", "attributes", "elements", "options", "task_templates", "errors")

# Shaped like the documentation's order walkthrough: no prolog, a relative product href.
SEED_XML = """<task_template>
  <code>hotel_texts_1</code>
  <name>Hotel descriptions</name>
  <titles>
    <de>Hotelbeschreibung</de>
    <en>Hotel description</en>
  </titles>
  <descriptions>
    <de>Beschreiben Sie das Hotel.</de> <en>Describe the hotel.</en> </descriptions>
  <product>
    <link href="/api/marketplace/v2/products/TextCreate" rel="product" type="application/xml"/>
    <attributes><code>textcreate_language</code><value>de</value></attributes>
    <attributes><code>textcreate_text_length</code><value>100#160</value></attributes>
    <attributes><code>textcreate_proof_read</code><value>textcreate_proof_yes</value></attributes>
  </product>
  <form>
    <elements>
      <type>url</type><code>link_to_hotel</code>
      <titles><en>Link to the hotel</en><de>Link zum Hotel</de></titles>
      <is_output>false</is_output><is_mandatory>true</is_mandatory>
    </elements>
    <elements>
      <type>text_field</type><code>title_top</code>
      <titles><en>Title</en></titles>
      <is_output>true</is_output><is_mandatory>1</is_mandatory>
      <options><code>min_length</code><value>5</value></options>
      <options><code>max_length</code><value>100</value></options>
    </elements>
    <elements>
      <type>text_area</type><code>paragraph_bottom</code>
      <titles><en>Paragraph</en></titles>
      <is_output>true</is_output><is_mandatory>true</is_mandatory>
    </elements>
  </form>
</task_template>"""


def plugin_template(code: str = "tpl_text_create_keywords_en_1") -> dict[str, Any]:
    """Shaped like the WordPress plugin's body: one ``link`` object, item codes only."""
    return {
        "task_template": {
            "code": code,
            "name": f"Wordpress APIClient SEO-Text (en) {code}",
            "titles": {"en": "Garden tips", "de": "Garden tips"},
            "descriptions": {"en": "Write about gardens.", "de": "Write about gardens."},
            "product": {
                "link": {
                    "href": "/api/marketplace/v2/products/TextCreateWithKeywords",
                    "rel": "product",
                    "type": "application/json",
                },
                "attributes": [
                    {"code": "textcreatewithkeywords_language", "value": "en"},
                    {"code": "textcreatewithkeywords_text_length", "value": "201#255"},
                    {"code": "textcreatewithkeywords_proof_read", "value": "textcreate_proof_no"},
                ],
            },
            "form": {
                "elements": [
                    {
                        "type": "text_field",
                        "titles": {"en": "Title", "de": "Titel"},
                        "item_code": "title",
                        "is_output": False,
                        "is_mandatory": True,
                        "options": [
                            {"code": "min_length", "value": 5},
                            {"code": "max_length", "value": 100},
                        ],
                    },
                    {
                        "type": "text_area",
                        "titles": {"en": "Your Text", "de": "Ihr Text"},
                        "item_code": "seotext",
                        "is_output": True,
                        "is_mandatory": True,
                        "options": [
                            {"code": "min_length", "value": "201"},
                            {"code": "max_length", "value": "255"},
                        ],
                    },
                    {
                        "type": "keyword",
                        "titles": {"en": "Keyword A", "de": "Keyword A"},
                        "item_code": "keyword_a",
                        "is_output": False,
                        "is_mandatory": True,
                        "options": [
                            {"code": "reference_slug", "value": "seotext"},
                            {"code": "min_occurrence_ref", "value": "keyword_a_min"},
                            {"code": "max_occurrence_ref", "value": "keyword_a_max"},
                        ],
                    },
                ]
            },
        }
    }


@pytest.fixture
def client() -> Iterator[TestClient]:
    with TestClient(create_app(Settings(clock="manual", seed=2, rate_limits=False))) as running:
        yield running


def world_of(client: TestClient, user: str = "alice") -> ClickworkerWorld:
    tenant = client.app.sandbox.tenants.get(f"clickworker:{user}")  # type: ignore[attr-defined]
    assert tenant is not None
    world: ClickworkerWorld = tenant.world
    return world


def post_xml(client: TestClient, body: str | bytes, path: str = TEMPLATES) -> Any:
    return client.post(path, content=body, auth=AUTH, headers={"Content-Type": "application/xml"})


def post_json(client: TestClient, body: Any) -> Any:
    return client.post(f"{TEMPLATES}/", json=body, auth=AUTH, headers=JSON_HEADERS)


def xml_of(response: Any, root: str) -> dict[str, Any]:
    document: dict[str, Any] = parse_xml(response.content, lists=LISTS)[root]
    return document


def stored_codes(client: TestClient) -> list[str]:
    response = client.get(TEMPLATES, auth=AUTH, headers=JSON_HEADERS)
    assert response.status_code == 200
    body = response.json()["task_templates_response"]
    return [t["code"] for t in body["task_templates"]]


def test_the_walkthrough_xml_creates_a_template(client: TestClient) -> None:
    response = post_xml(client, SEED_XML)
    assert response.status_code == 200, response.text
    document = xml_of(response, "task_template_response")
    assert document["request_status"]["valid"] == "true"
    template = document["task_template"]
    assert template["link"][0]["href"] == f"http://testserver{TEMPLATES}/hotel_texts_1"
    assert template["link"][0]["rel"] == "self"
    assert template["product"]["link"][0] == {
        "href": f"http://testserver{BASE}/products/TextCreate",
        "rel": "product",
        "type": "application/xml",
    }
    assert template["titles"] == {"de": "Hotelbeschreibung", "en": "Hotel description"}
    assert [a["value"] for a in template["product"]["attributes"]] == [
        "de",
        "100#160",
        "textcreate_proof_yes",
    ]
    elements = template["form"]["elements"]
    assert [(e["code"], e["is_output"], e["is_mandatory"]) for e in elements] == [
        ("link_to_hotel", "false", "true"),
        ("title_top", "true", "true"),
        ("paragraph_bottom", "true", "true"),
    ]
    assert elements[1]["options"] == [
        {"code": "min_length", "value": "5"},
        {"code": "max_length", "value": "100"},
    ]
    stored = world_of(client).templates.require("hotel_texts_1")
    assert [e.code for e in stored.inputs] == ["link_to_hotel"]
    assert [e.code for e in stored.outputs] == ["title_top", "paragraph_bottom"]


def test_the_plugin_json_creates_a_template_read_back_by_its_link(client: TestClient) -> None:
    response = post_json(client, plugin_template())
    assert response.status_code == 200, response.text
    template = response.json()["task_template_response"]["task_template"]
    href = template["link"][0]["href"]
    assert href.endswith("/customer/task_templates/tpl_text_create_keywords_en_1")
    assert template["link"][0]["type"] == "application/json"
    elements = template["form"]["elements"]
    assert [(e["code"], e["item_code"]) for e in elements] == [
        ("title", "title"),
        ("seotext", "seotext"),
        ("keyword_a", "keyword_a"),
    ]
    assert elements[0]["options"][0] == {"code": "min_length", "value": "5"}
    assert elements[0]["is_output"] is False and elements[1]["is_output"] is True
    shown = client.get(href, auth=AUTH, headers=JSON_HEADERS)
    assert shown.status_code == 200
    assert shown.json()["task_template_response"]["task_template"] == template


def test_an_absolute_product_href_and_free_text_attributes_are_taken(client: TestClient) -> None:
    body = plugin_template()
    product = body["task_template"]["product"]
    product["link"]["href"] = (
        "https://sandbox.clickworker.com/api/marketplace/v2/products/TextCreateWithKeywords"
    )
    product["attributes"].append(
        {"code": "textcreatewithkeywords_sample", "value": "Anything at all, really."}
    )
    response = post_json(client, body)
    assert response.status_code == 200, response.text
    stored = world_of(client).templates.require("tpl_text_create_keywords_en_1")
    assert stored.product == "TextCreateWithKeywords"
    assert stored.attributes["textcreatewithkeywords_sample"] == "Anything at all, really."


def test_list_and_show_in_both_formats(client: TestClient) -> None:
    assert post_xml(client, SEED_XML).status_code == 200
    assert post_json(client, plugin_template()).status_code == 200
    listed = xml_of(client.get(TEMPLATES, auth=AUTH), "task_templates_response")
    assert [t["code"] for t in listed["task_templates"]] == [
        "hotel_texts_1",
        "tpl_text_create_keywords_en_1",
    ]
    assert stored_codes(client) == ["hotel_texts_1", "tpl_text_create_keywords_en_1"]
    shown = xml_of(client.get(f"{TEMPLATES}/hotel_texts_1", auth=AUTH), "task_template_response")
    assert shown["task_template"]["name"] == "Hotel descriptions"
    missing = client.get(f"{TEMPLATES}/nothing", auth=AUTH, headers=JSON_HEADERS)
    assert missing.status_code == 404
    assert missing.json()["task_template_response"]["request_status"]["valid"] is False


Mutation = Callable[[dict[str, Any]], None]


def _set(path: str, value: Any) -> Mutation:
    def mutate(body: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node: Any = body["task_template"]
        for part in parents:
            node = node[int(part)] if isinstance(node, list) else node[part]
        if value is _DELETE:
            del node[last]
        elif isinstance(node, list):
            node[int(last)] = value
        else:
            node[last] = value

    return mutate


_DELETE = object()
ELEMENTS = "form.elements"


@pytest.mark.parametrize(
    ("mutate", "field"),
    [
        (_set("code", _DELETE), "code"),
        (_set("code", "has space"), "code"),
        (_set("titles", {"de": "Nur Deutsch"}), "titles.en"),
        (_set("product.link", {"href": f"{CONTEXT}/products/Nothing"}), "product.link"),
        (_set("product.link", {"href": f"{CONTEXT}/products/CustomSolution"}), "product.link"),
        (_set("product.link", _DELETE), "product.link"),
        (_set("product.attributes.0", {"code": "textcreatewithkeywords_sample", "value": "x"}),
         "product.attributes.textcreatewithkeywords_language"),
        (_set("product.attributes.1.value", "5#10"),
         "product.attributes.textcreatewithkeywords_text_length"),
        (_set("product.attributes.2.value", "maybe"),
         "product.attributes.textcreatewithkeywords_proof_read"),
        (_set("product.attributes.0.code", "textcreate_colour"),
         "product.attributes.textcreatewithkeywords_language"),
        (_set("product.attributes.2.code", "textcreatewithkeywords_language"),
         "product.attributes.textcreatewithkeywords_language"),
        (_set(f"{ELEMENTS}.0.type", "slider"), f"{ELEMENTS}.0.type"),
        (_set(f"{ELEMENTS}.0.item_code", _DELETE), f"{ELEMENTS}.0.code"),
        (_set(f"{ELEMENTS}.1.item_code", "title"), f"{ELEMENTS}.1.code"),
        (_set(f"{ELEMENTS}.0.is_output", "perhaps"), f"{ELEMENTS}.0.is_output"),
        (_set(f"{ELEMENTS}.0.titles", {"de": "Titel"}), f"{ELEMENTS}.0.titles.en"),
    ],
)  # fmt: skip
def test_each_refusal_names_its_field_and_stores_nothing(
    client: TestClient, mutate: Mutation, field: str
) -> None:
    body = plugin_template()
    mutate(body)
    response = post_json(client, body)
    assert response.status_code == 422, response.text
    document = response.json()["task_template_response"]
    assert document["request_status"] == {
        **document["request_status"],
        "valid": False,
        "status_code": 422,
    }
    assert field in [e["code"] for e in document["errors"]], document["errors"]
    assert stored_codes(client) == []


def test_an_xml_refusal_is_the_xml_envelope(client: TestClient) -> None:
    body = SEED_XML.replace("<value>100#160</value>", "<value>3#4</value>")
    response = post_xml(client, body)
    assert response.status_code == 422
    document = xml_of(response, "task_template_response")
    assert document["request_status"]["valid"] == "false"
    assert document["errors"] == [
        {
            "code": "product.attributes.textcreate_text_length",
            "message": document["errors"][0]["message"],
        }
    ]
    assert "10#55" in document["errors"][0]["message"]
    assert stored_codes(client) == []


def test_every_failing_field_is_named_at_once(client: TestClient) -> None:
    body = plugin_template()
    body["task_template"]["product"]["attributes"] = []
    body["task_template"]["form"]["elements"][0]["type"] = "slider"
    response = post_json(client, body)
    codes = [e["code"] for e in response.json()["task_template_response"]["errors"]]
    assert codes == [
        "product.attributes.textcreatewithkeywords_language",
        "product.attributes.textcreatewithkeywords_text_length",
        "product.attributes.textcreatewithkeywords_proof_read",
        "form.elements.0.type",
    ]


def test_a_taken_code_is_a_conflict(client: TestClient) -> None:
    assert post_json(client, plugin_template("one")).status_code == 200
    again = post_json(client, plugin_template("one"))
    assert again.status_code == 409
    status = again.json()["task_template_response"]["request_status"]
    assert (status["valid"], status["status_code"]) == (False, 409)
    assert again.json()["task_template_response"]["errors"][0]["code"] == "TemplateExists"
    assert stored_codes(client) == ["one"]


def test_templates_may_share_a_name(client: TestClient) -> None:
    """clickworker's WordPress plugin names every template of a language alike."""
    first, second = plugin_template("one"), plugin_template("two")
    second["task_template"]["name"] = first["task_template"]["name"]
    assert post_json(client, first).status_code == 200
    assert post_json(client, second).status_code == 200
    assert stored_codes(client) == ["one", "two"]


@pytest.mark.parametrize("name", [_DELETE, "", None])
def test_a_template_without_a_name_or_titles_is_named_by_its_code(
    client: TestClient, name: object
) -> None:
    body = plugin_template("unnamed")
    _set("name", name)(body)
    _set("titles", _DELETE)(body)
    for element in body["task_template"]["form"]["elements"]:
        del element["titles"]
    response = post_json(client, body)
    assert response.status_code == 200, response.text
    shown = response.json()["task_template_response"]["task_template"]
    assert (shown["name"], shown["titles"]) == ("unnamed", {"en": "unnamed"})
    elements = shown["form"]["elements"]
    assert [e["titles"] for e in elements] == [
        {"en": "title"},
        {"en": "seotext"},
        {"en": "keyword_a"},
    ]


def test_accounts_do_not_share_templates_or_names(client: TestClient) -> None:
    assert post_json(client, plugin_template("one")).status_code == 200
    bob = client.post(
        TEMPLATES, json=plugin_template("one"), auth=("bob", "x"), headers=JSON_HEADERS
    )
    assert bob.status_code == 200
    assert client.get(f"{TEMPLATES}/one", auth=("carol", "x")).status_code == 404


def test_update_changes_the_read_write_fields(client: TestClient) -> None:
    assert post_xml(client, SEED_XML).status_code == 200
    read = xml_of(client.get(f"{TEMPLATES}/hotel_texts_1", auth=AUTH), "task_template_response")
    assert read["task_template"]["name"] != "Renamed"
    body = """<task_template><name>Renamed</name>
      <titles><en>New title</en></titles>
      <form><elements><type>text_area</type><code>only</code><titles><en>Only</en></titles>
      <is_output>true</is_output></elements></form></task_template>"""
    response = client.put(f"{TEMPLATES}/hotel_texts_1", content=body, auth=AUTH)
    assert response.status_code == 200, response.text
    shown = xml_of(client.get(f"{TEMPLATES}/hotel_texts_1", auth=AUTH), "task_template_response")
    template = shown["task_template"]
    assert (template["name"], template["titles"]) == ("Renamed", {"en": "New title"})
    assert [e["code"] for e in template["form"]["elements"]] == ["only"]
    assert template["descriptions"]["en"] == "Describe the hotel."  # untouched
    assert template["product"]["attributes"][1]["value"] == "100#160"


def test_a_template_as_read_can_be_put_back_with_a_change(client: TestClient) -> None:
    created = post_json(client, plugin_template("one")).json()["task_template_response"]
    template = copy.deepcopy(created["task_template"])
    template["descriptions"] = {"en": "Write about roses."}
    response = client.put(
        template["link"][0]["href"],
        json={"task_template": template},
        auth=AUTH,
        headers=JSON_HEADERS,
    )
    assert response.status_code == 200, response.text
    updated = response.json()["task_template_response"]["task_template"]
    assert updated == {**created["task_template"], "descriptions": {"en": "Write about roses."}}


@pytest.mark.parametrize(
    ("change", "status", "field"),
    [
        ({"code": "other"}, 422, "code"),
        ({"product": {"link": {"href": f"{CONTEXT}/products/TextCreate"}}}, 422,
         "product.attributes.textcreate_language"),
        ({"form": {"elements": [{"type": "slider", "code": "x", "titles": {"en": "X"}}]}},
         422, "form.elements.0.type"),
    ],
)  # fmt: skip
def test_update_refusals_leave_the_template_as_it_was(
    client: TestClient, change: dict[str, Any], status: int, field: str
) -> None:
    assert post_json(client, plugin_template("one")).status_code == 200
    before = world_of(client).templates.require("one")
    snapshot = copy.deepcopy(before)
    response = client.put(
        f"{TEMPLATES}/one", json={"task_template": change}, auth=AUTH, headers=JSON_HEADERS
    )
    assert response.status_code == status, response.text
    assert field in [e["code"] for e in response.json()["task_template_response"]["errors"]]
    assert world_of(client).templates.require("one") == snapshot


def test_update_of_an_unknown_template_is_404(client: TestClient) -> None:
    response = client.put(f"{TEMPLATES}/nothing", content="<task_template/>", auth=AUTH)
    assert response.status_code == 404
    assert xml_of(response, "task_template_response")["request_status"]["status_code"] == "404"


@pytest.mark.parametrize("json", [False, True])
def test_delete_answers_the_deleted_template(client: TestClient, json: bool) -> None:
    assert post_xml(client, SEED_XML).status_code == 200
    headers = JSON_HEADERS if json else {}
    response = client.delete(f"{TEMPLATES}/hotel_texts_1/", auth=AUTH, headers=headers)
    assert response.status_code == 200
    if json:
        deleted = response.json()["task_template_response"]["task_template"]
    else:
        deleted = xml_of(response, "task_template_response")["task_template"]
    assert deleted["code"] == "hotel_texts_1"
    assert stored_codes(client) == []
    assert client.delete(f"{TEMPLATES}/hotel_texts_1", auth=AUTH).status_code == 404
    assert post_xml(client, SEED_XML).status_code == 200  # the code and name are free again


def test_a_template_in_use_is_not_deleted(client: TestClient) -> None:
    assert post_xml(client, SEED_XML).status_code == 200
    order = {"task": {
        "template": {"link": {"href": f"{CONTEXT}/customer/task_templates/hotel_texts_1"}},
        "input": {"items": [{"code": "link_to_hotel", "content": "http://hotel.example"}]},
    }}  # fmt: skip
    created = client.post(f"{BASE}/customer/tasks", json=order, auth=AUTH, headers=JSON_HEADERS)
    task_id = created.json()["task_response"]["task"]["id"]
    response = client.delete(f"{TEMPLATES}/hotel_texts_1", auth=AUTH, headers=JSON_HEADERS)
    assert response.status_code == 409
    assert response.json()["task_template_response"]["errors"][0]["code"] == "TemplateInUse"
    assert stored_codes(client) == ["hotel_texts_1"]
    assert client.delete(f"{BASE}/customer/tasks/{task_id}", auth=AUTH).status_code == 200
    assert client.delete(f"{TEMPLATES}/hotel_texts_1", auth=AUTH).status_code == 200


BOMB = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<task_template><code>&lol3;</code></task_template>"""
EXTERNAL = """<?xml version="1.0"?>
<!DOCTYPE t [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<task_template><code>&xxe;</code></task_template>"""


@pytest.mark.parametrize(
    "body", [BOMB, EXTERNAL, "<task_template><code>x</code>", "<task_template><a></b>"]
)
def test_hostile_or_broken_xml_is_a_400_envelope(client: TestClient, body: str) -> None:
    response = post_xml(client, body)
    assert response.status_code == 400
    document = xml_of(response, "task_template_response")
    assert (document["request_status"]["valid"], document["request_status"]["status_code"]) == (
        "false",
        "400",
    )
    assert "passwd" not in response.text and "root:" not in response.text
    assert stored_codes(client) == []


def test_broken_json_and_a_missing_entity(client: TestClient) -> None:
    broken = client.post(TEMPLATES, content=b'{"task_template": ', auth=AUTH, headers=JSON_HEADERS)
    assert broken.status_code == 400
    assert broken.json()["task_template_response"]["request_status"]["valid"] is False
    wrong = post_json(client, {"template": {}})  # read bare: it has no code, no product
    assert wrong.status_code == 422
    assert wrong.json()["task_template_response"]["errors"][0]["code"] == "code"


def test_a_bare_template_and_one_sent_as_text_are_read(client: TestClient) -> None:
    bare = plugin_template("bare")["task_template"]
    assert post_json(client, bare).status_code == 200
    as_text = client.post(
        TEMPLATES,
        content=SEED_XML.encode(),
        auth=AUTH,
        headers={"Content-Type": "text/plain"},
    )
    assert as_text.status_code == 200, as_text.text
    assert stored_codes(client) == ["bare", "hotel_texts_1"]


@pytest.mark.parametrize(
    "mutate",
    [
        lambda body: body["task_template"]["product"]["attributes"].append(
            {"code": "textcreate_colour", "value": "blue"}
        ),
        _set(f"{ELEMENTS}.0", {"type": "drop_box", "item_code": "pick"}),
        _set(f"{ELEMENTS}.0.options.0.value", "five"),
        _set(f"{ELEMENTS}.0.options.0.value", 500),
        lambda body: body["task_template"]["product"]["attributes"].append(
            {"code": "textcreatewithkeywords_language", "value": "de"}
        ),
    ],
    ids=["unknown-attribute", "selection-without-options", "length-not-a-number",
         "min-over-max", "attribute-twice"],
)  # fmt: skip
def test_what_the_worker_cannot_use_is_kept_as_sent(client: TestClient, mutate: Mutation) -> None:
    body = plugin_template("kept")
    mutate(body)
    assert post_json(client, body).status_code == 200
    assert stored_codes(client) == ["kept"]


def test_an_update_may_change_the_product(client: TestClient) -> None:
    """The template reference marks ``product`` read/write."""
    assert post_json(client, plugin_template("one")).status_code == 200
    product = {
        "link": {"href": f"{CONTEXT}/products/TextCreate"},
        "attributes": [
            {"code": "textcreate_language", "value": "de"},
            {"code": "textcreate_text_length", "value": "100#160"},
            {"code": "textcreate_proof_read", "value": "textcreate_proof_no"},
        ],
    }
    response = client.put(
        f"{TEMPLATES}/one", json={"task_template": {"product": product}}, auth=AUTH,
        headers=JSON_HEADERS,
    )  # fmt: skip
    assert response.status_code == 200, response.text
    assert world_of(client).templates.require("one").product == "TextCreate"


def _template(code: str = "t", name: str = "T") -> Template:
    return Template(
        code=code,
        name=name,
        product="TextCreate",
        attributes={
            "textcreate_language": "en",
            "textcreate_text_length": "10#55",
            "textcreate_proof_read": "textcreate_proof_no",
        },
        elements=[FormElement("out", "text_area", is_output=True, is_mandatory=True)],
        titles={"en": "T"},
    )


def test_the_backend_refuses_deleting_a_used_template_and_keeps_it() -> None:
    templates, catalog = Templates(), Catalog()
    templates.create(_template(), catalog)
    with pytest.raises(TemplateInUse):
        templates.delete("t", lambda code: code == "t")
    assert templates.get("t") is not None
    assert templates.delete("t", lambda code: False).code == "t"
    assert len(templates) == 0


def test_the_backend_replace_keeps_the_creation_time() -> None:
    templates, catalog = Templates(), Catalog()
    first = _template()
    first.created_at = 5.0
    templates.create(first, catalog)
    templates.replace(_template(name="Other"), catalog)
    stored = templates.require("t")
    assert (stored.name, stored.created_at) == ("Other", 5.0)
    broken = _template()
    broken.attributes["textcreate_language"] = "xx"
    with pytest.raises(InvalidInput):
        templates.replace(broken, catalog)
    assert templates.require("t").attributes["textcreate_language"] == "en"

"""clickworker over real HTTP: the documented order walkthrough, with a real notification receiver.

Step 3 of the walkthrough end to end, once in XML with the documentation's own bodies
and once in JSON shaped like the WordPress plugin's: the sign-off notification
arrives, the job shows the texts, a rejection sends them back for rework, a second
rejection clones the task, ``show_cloned_task=true`` finds the clone through the
original id, and the approval finishes it with ``TASK_COMPLETED`` and the texts.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx

from mockserver.core.xmlwire import parse_xml
from mockserver.testing import Receiver, ServerThread
from mockserver.vendors.clickworker.envelope import LISTS

API = "/api/marketplace/v2"
AUTH = ("hotelier", "secret")
HOUR = 3600.0
GRADES = ("gr", "sppu", "sest", "st", "cocl", "foin", "sein")

TEMPLATE_XML = b"""<task_template>
  <code>my_tpl</code>
  <name>Hotel descriptions</name>
  <titles><de>Hotelbeschreibung</de><en>Hotel description</en></titles>
  <descriptions><de>Beschreiben Sie das Hotel.</de><en>Describe the hotel.</en></descriptions>
  <product>
    <link href="/api/marketplace/v2/products/TextCreate" rel="product" type="application/xml"/>
    <attributes><code>textcreate_language</code><value>en</value></attributes>
    <attributes><code>textcreate_text_length</code><value>50#110</value></attributes>
    <attributes><code>textcreate_proof_read</code><value>textcreate_proof_no</value></attributes>
  </product>
  <form>
    <elements><type>url</type><code>link_to_hotel</code><titles><en>Hotel</en></titles>
      <is_output>false</is_output><is_mandatory>true</is_mandatory></elements>
    <elements><type>text_field</type><code>title_top</code><titles><en>Title</en></titles>
      <is_output>true</is_output><is_mandatory>true</is_mandatory></elements>
    <elements><type>text_area</type><code>paragraph_bottom</code><titles><en>Text</en></titles>
      <is_output>true</is_output><is_mandatory>true</is_mandatory></elements>
  </form>
</task_template>"""

TASK_XML = """<task>
  <customer_ref>ref-1</customer_ref>
  <template>
    <link href="/api/marketplace/v2/customer/task_templates/my_tpl" rel="task_template"
          type="application/xml"/>
  </template>
  <input><items><code>link_to_hotel</code><content>http://www.myhotel.com</content></items></input>
  <notifications><event>CUSTOMER_INPUT_REQUIRED</event><callback_url>{hook}</callback_url>
    <callback_method>POST</callback_method><payload_format>XML</payload_format></notifications>
  <notifications><event>TASK_COMPLETED</event><callback_url>{hook}</callback_url>
    <callback_method>POST</callback_method><payload_format>XML</payload_format></notifications>
</task>"""

APPROVAL_XML = b"""<job>
  <input>
  <items>
    <code>accepted</code>
    <content>1</content>
  </items>
  </input>
</job>"""


def rejection_xml() -> bytes:
    """The documentation's rejection: every grade 2, each with its comment, and a comment."""
    graded = "".join(
        f"""
  <!--Judge: 4=Perfect, 3=Very good, 2 = Ok, 0 = poor -->
  <items>
    <code>grade_{g}</code>
    <content>2</content>
  </items>
  <!--Comment your judge. This is obliged if you judged it with a value < 3 -->
  <items>
    <code>grade_{g}_comment</code>
    <content>Here is my grade_{g} comment</content>
  </items>"""
        for g in GRADES
    )
    return f"""<job>
  <input>
  <!-- Text is rejected: accepted=0 -->
  <items>
    <code>accepted</code>
    <content> 0 </content>
  </items>{graded}
  <!--Comment for the author. This is obliged.-->
  <items>
    <code>comment</code>
    <content>Text ist in Ordnung.</content>
  </items>
</input>
</job>""".encode()


class Flow:
    """One customer's calls in one format, and the notifications the receiver got."""

    def __init__(self, server: ServerThread, receiver: Receiver, fmt: str) -> None:
        self.server, self.receiver, self.fmt = server, receiver, fmt
        media = "application/json" if fmt == "JSON" else "application/xml"
        self.api = httpx.Client(
            base_url=f"{server.url}/clickworker{API}",
            auth=AUTH,
            headers={"Accept": media, "Content-Type": f"{media}; charset=utf-8"},
        )
        self.mock = httpx.Client(base_url=server.url)

    def read(self, response: httpx.Response, entity: str) -> Any:
        assert response.status_code == 200, response.text
        if self.fmt == "JSON":
            document = response.json()[f"{entity}_response"]
            assert document["request_status"]["valid"] is True
        else:
            assert response.text.startswith('<?xml version="1.0"?>')
            document = parse_xml(response.content, lists=LISTS)[f"{entity}_response"]
            assert document["request_status"]["valid"] == "true"
        return document.get(entity)

    def send(self, method: str, url: str, entity: str, body: bytes | dict[str, Any]) -> Any:
        content = json.dumps(body).encode() if isinstance(body, dict) else body
        return self.read(self.api.request(method, url, content=content), entity)

    def notifications(self) -> list[dict[str, Any]]:
        found = []
        for request in self.receiver.requests:
            if self.fmt == "JSON":
                assert request.headers["Content-Type"].startswith("application/json")
                found.append(json.loads(request.body)["notification"])
            else:
                assert request.headers["Content-Type"].startswith("application/xml")
                found.append(parse_xml(request.body, lists=LISTS)["notification"])
        return found

    def wait_for(self, count: int) -> dict[str, Any]:
        """Advances the clock an hour at a time until the ``count``-th notification is in."""
        for _ in range(48):
            if len(self.receiver.requests) >= count:
                break
            response = self.mock.post("/_mock/clock/advance", json={"seconds": HOUR})
            assert response.status_code == 200, response.text
        assert len(self.receiver.requests) == count
        return self.notifications()[-1]

    def settle(self) -> None:
        self.mock.post("/_mock/clock/advance", json={"seconds": 0})

    def close(self) -> None:
        self.api.close()
        self.mock.close()


def href(element: dict[str, Any]) -> str:
    link: str = element["link"][0]["href"]
    return link


def walkthrough(
    flow: Flow,
    task_id: str,
    reject: Callable[[str], Any],
    approve: Callable[[str], Any],
    outputs: tuple[str, ...],
    items: tuple[str, ...],
) -> None:
    """Step 3 from the first sign-off notification to the completed clone; a job's
    ``items`` come in the template's form order (clients read them by position)."""
    task_url = f"{flow.server.url}/clickworker{API}/customer/tasks/{task_id}"
    first = flow.wait_for(1)
    assert first["event"] == "CUSTOMER_INPUT_REQUIRED"
    assert href(first["task"]) == task_url
    assert href(first) == f"{task_url}/notifications/19265"
    job = flow.read(flow.api.get(href(first["job"])), "job")
    assert href(job["task"]) == task_url
    assert [i["code"] for i in job["items"]] == list(items)
    assert (
        flow.read(flow.api.put(href(first["job"]), content=reject("first")), "job")["state"]
        == "rejected"
    )

    second = flow.wait_for(2)  # the same worker reworked the text
    assert second["event"] == "CUSTOMER_INPUT_REQUIRED"
    assert href(second["job"]) != href(first["job"])
    assert flow.read(flow.api.put(href(second["job"]), content=reject("second")), "job")
    original = flow.read(flow.api.get(task_url), "task")
    assert original["state"] == "cancelled"
    clone_url = href(original["cloned_task"])
    shown = flow.read(flow.api.get(task_url, params={"show_cloned_task": "true"}), "task")
    assert str(shown["id"]) == task_id and href(shown) == task_url
    assert shown["state"] in ("new", "in_progress")
    assert href(shown["cloned_task"]) == clone_url

    third = flow.wait_for(3)  # another worker wrote the clone's text
    assert href(third["task"]) == task_url
    job = flow.read(flow.api.get(href(third["job"])), "job")
    assert href(job["task"]) == clone_url
    written = {i["code"]: i["content"] for i in job["items"] if i["code"] in outputs}
    assert (
        flow.read(flow.api.put(href(third["job"]), content=approve("clone")), "job")["state"]
        == "accepted"
    )
    flow.settle()

    completed = flow.wait_for(4)
    assert completed["event"] == "TASK_COMPLETED"
    assert href(completed["task"]) == task_url
    assert "job" not in completed
    assert completed["customer_output"] == written
    assert list(completed["customer_output"]) == list(outputs)
    final = flow.read(flow.api.get(task_url, params={"show_cloned_task": "true"}), "task")
    assert final["state"] == "finished"
    assert {r["code"]: r["content"] for r in final["results"]} == written
    listed = flow.read(flow.api.get("customer/tasks", params={"state": "finished"}), "tasks")
    assert [href(t) for t in listed] == [clone_url]
    account = flow.read(flow.api.get("customer"), "customer")["balance"]
    assert account["reserved_amount"] == "0.00"


def test_step_three_in_xml_with_the_documented_bodies(
    server: ServerThread, receiver: Receiver
) -> None:
    flow = Flow(server, receiver, "XML")
    try:
        assert flow.read(flow.api.get("customer"), "customer")["balance"]["balance_amount"]
        flow.send("POST", "customer/task_templates", "task_template", TEMPLATE_XML)
        hook = f"{receiver.url}/hooks/clickworker"
        task = flow.send("POST", "customer/tasks", "task", TASK_XML.format(hook=hook).encode())
        assert (task["state"], task["id"]) == ("new", "2405829")
        walkthrough(
            flow,
            task["id"],
            reject=lambda _: rejection_xml(),
            approve=lambda _: APPROVAL_XML,
            outputs=("title_top", "paragraph_bottom"),
            items=("link_to_hotel", "title_top", "paragraph_bottom"),
        )
        assert {r.path for r in receiver.requests} == {"/hooks/clickworker"}
        assert {r.method for r in receiver.requests} == {"POST"}
    finally:
        flow.close()


def plugin_template() -> dict[str, Any]:
    """Shaped like the WordPress plugin's template: item codes and a keyword element."""
    return {
        "task_template": {
            "code": "tpl_text_create_keywords_en_1",
            "name": "Wordpress APIClient SEO-Text (en)",
            "titles": {"en": "Garden tips", "de": "Garden tips"},
            "descriptions": {"en": "Write about gardens.", "de": "Write about gardens."},
            "product": {
                "link": {"href": f"{API}/products/TextCreateWithKeywords", "rel": "product",
                         "type": "application/json"},
                "attributes": [
                    {"code": "textcreatewithkeywords_language", "value": "en"},
                    {"code": "textcreatewithkeywords_text_length", "value": "201#255"},
                    {"code": "textcreatewithkeywords_proof_read", "value": "textcreate_proof_no"},
                ],
            },
            "form": {"elements": [
                {"type": "text_field", "titles": {"en": "Title"}, "item_code": "title",
                 "is_output": False, "is_mandatory": True},
                {"type": "text_area", "titles": {"en": "Your Text"}, "item_code": "seotext",
                 "is_output": True, "is_mandatory": True},
                {"type": "keyword", "titles": {"en": "Keyword A"}, "item_code": "keyword_a",
                 "is_output": False, "is_mandatory": True,
                 "options": [{"code": "reference_slug", "value": "seotext"},
                             {"code": "min_occurrence_ref", "value": "keyword_a_min"},
                             {"code": "max_occurrence_ref", "value": "keyword_a_max"}]},
            ]},
        }
    }  # fmt: skip


def test_step_three_in_json_as_the_plugin_sends_it(
    server: ServerThread, receiver: Receiver
) -> None:
    flow = Flow(server, receiver, "JSON")
    try:
        template = flow.send("POST", "customer/task_templates/", "task_template",
                             plugin_template())  # fmt: skip
        hook = f"{receiver.url}/hooks/clickworker"
        task = flow.send("POST", "customer/tasks/", "task", {"task": {
            "customer_ref": "Garden tips 1",
            "template": {"link": {"href": href(template), "rel": "task_template",
                                  "type": "application/json"}},
            "input": {"items": [
                {"code": "title", "content": "Garden tips"},
                {"code": "keyword_a", "content": "compost"},
                {"code": "keyword_a_min", "content": "1"},
                {"code": "keyword_a_max", "content": "5"},
            ]},
            "notifications": [
                {"event": event, "callback_url": hook, "callback_method": "POST",
                 "payload_format": "JSON"}
                for event in ("CUSTOMER_INPUT_REQUIRED", "TASK_COMPLETED")
            ],
        }})  # fmt: skip
        assert task["state"] == "new" and task["id"] == 2405829
        grades = {f"grade_{g}": "3" for g in GRADES}

        def reject(round_: str) -> bytes:
            items = {"accepted": "0", **grades, "comment": f"Rework ({round_})"}
            body = {"job": {"input": {"items": [{"code": c, "content": v}
                                                for c, v in items.items()]}}}  # fmt: skip
            return json.dumps(body).encode()

        def approve(_: str) -> bytes:
            return json.dumps({"job": {"input": {"items": [
                {"code": "accepted", "content": "1"}, {"code": "signoff", "content": "yes"},
            ]}}}).encode()  # fmt: skip

        in_form_order = ("title", "seotext", "keyword_a", "keyword_a_min", "keyword_a_max")
        walkthrough(flow, str(task["id"]), reject, approve, ("seotext",), in_form_order)
        text = flow.notifications()[-1]["customer_output"]["seotext"]
        assert "compost" in text.split() and "Garden tips" in text
        assert 201 <= len(text.split()) <= 260
    finally:
        flow.close()

"""clickworker tasks: create, list, show, update, cancel, the clock-driven lifecycle, the texts."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal

import pytest
from clickworker_kit import (
    API,
    DAY,
    HOOK,
    HOST,
    SEED_ITEM,
    Customer,
    Hooks,
    hotel_template,
    make_client,
)
from starlette.testclient import TestClient

from mockserver.vendors.clickworker.backend.templates import FormElement
from mockserver.vendors.clickworker.backend.writer import MAX_WORDS


@pytest.fixture
def client() -> Iterator[TestClient]:
    with make_client(Hooks()) as running:
        yield running


@pytest.fixture(params=["XML", "JSON"])
def cw(request: pytest.FixtureRequest, client: TestClient) -> Customer:
    customer = Customer(client, request.param)
    customer.add_template()
    return customer


def to_feedback(cw: Customer, task_id: str) -> None:
    cw.advance(DAY)
    assert cw.task(task_id)["state"] == "feedback"


# -- create ------------------------------------------------------------------------------------


def test_a_created_task_is_new_priced_and_its_price_reserved(cw: Customer) -> None:
    task = cw.create(ref="hotel-42")
    media = "application/json" if cw.fmt == "JSON" else "application/xml"
    assert task["link"] == [{"href": f"{HOST}/customer/tasks/2405829", "rel": "self",
                             "type": media}]  # fmt: skip
    assert (task["id"], task["customer_ref"], task["state"]) == ("2405829", "hotel-42", "new")
    assert task["template"]["link"][0]["href"] == f"{HOST}/customer/task_templates/hotel_text"
    assert task["template"]["link"][0]["rel"] == "task_template"
    assert task["template"]["product"]["link"][0]["href"] == f"{HOST}/products/TextCreate"
    # 110 words at 0.012 EUR, plus 19% VAT
    amounts = (task["net_amount"], task["tax_amount"], task["amount"], task["currency"])
    assert amounts == ("1.32", "0.25", "1.57", "EUR")
    assert task["input"]["items"] == [
        {"code": "link_to_hotel", "content": "http://www.myhotel.com"}
    ]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", task["created_at"])
    assert [n["event"] for n in task["notifications"]] == [
        "CUSTOMER_INPUT_REQUIRED",
        "TASK_COMPLETED",
    ]
    assert task["notifications"][0] == {
        "event": "CUSTOMER_INPUT_REQUIRED",
        "callback_url": HOOK,
        "callback_method": "POST",
        "payload_format": cw.fmt,
    }
    assert "results" not in task and "cloned_task" not in task
    assert cw.account()["reserved_amount"] == "1.57"
    assert cw.account()["balance_amount"] == "998.43"
    assert cw.create()["id"] == "2405830"


def test_an_absolute_href_and_a_single_subscription_object_are_taken(client: TestClient) -> None:
    cw = Customer(client, "JSON")
    cw.add_template()
    body = cw.task_body(events=("TASK_COMPLETED",))
    body["template"]["link"]["href"] = (
        f"https://api.clickworker.com{API}/customer/task_templates/hotel_text/"
    )
    body["notifications"] = body["notifications"][0]  # as the WordPress plugin sends it
    task = cw.ok(cw.call("POST", "customer/tasks/", "task", body), "task")
    assert [n["event"] for n in task["notifications"]] == ["TASK_COMPLETED"]


def test_the_documented_xml_request_without_prolog(client: TestClient) -> None:
    cw = Customer(client, "XML")
    cw.add_template(hotel_template("my_tpl"))
    body = b"""<task>
  <customer_ref>ref-1</customer_ref>
  <template>
    <link href="/api/marketplace/v2/customer/task_templates/my_tpl" rel="task_template"
          type="application/xml"/>
  </template>
  <input><items><code>link_to_hotel</code><content>http://www.myhotel.com</content></items></input>
  <notifications><event>CUSTOMER_INPUT_REQUIRED</event>
    <callback_url>http://hook.example/cw</callback_url>
    <callback_method>POST</callback_method><payload_format>XML</payload_format></notifications>
  <notifications><event>TASK_COMPLETED</event>
    <callback_url>http://hook.example/cw</callback_url>
    <callback_method>POST</callback_method><payload_format>XML</payload_format></notifications>
</task>"""
    task = cw.ok(cw.call("POST", "customer/tasks", body=body), "task")
    assert task["template"]["link"][0]["href"].endswith("/customer/task_templates/my_tpl")
    assert len(task["notifications"]) == 2


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"template": "nothing_here"}, {"template"}),
        ({"hook": "not a url"}, {"notifications[0].callback_url", "notifications[1].callback_url"}),
        ({"payload_format": "YAML"},
         {"notifications[0].payload_format", "notifications[1].payload_format"}),
        ({"events": ("TASK_DONE",)}, {"notifications[0].event"}),
    ],
)  # fmt: skip
def test_a_bad_task_is_refused_naming_the_fields_and_reserves_nothing(
    cw: Customer, change: dict[str, object], named: set[str]
) -> None:
    body = cw.task_body(**change)  # type: ignore[arg-type]
    assert cw.refused(cw.call("POST", "customer/tasks", "task", body), "task", 422) == named
    assert cw.account()["reserved_amount"] == "0.00"
    assert cw.ok(cw.call("GET", "customer/tasks"), "tasks") in (None, [])


def test_every_problem_is_named_at_once(cw: Customer) -> None:
    body = cw.task_body(items=(), hook="ftp://x", events=("NOPE",))
    body["notifications"][0]["callback_method"] = "GET"
    named = cw.refused(cw.call("POST", "customer/tasks", "task", body), "task", 422)
    assert named == {
        "notifications[0].event",
        "notifications[0].callback_url",
        "notifications[0].callback_method",
    }


@pytest.mark.parametrize("items", [(), (("link_to_hotel", "  "),), (("", "no code"),)])
def test_a_task_without_its_mandatory_input_is_taken(
    cw: Customer, items: tuple[tuple[str, str], ...]
) -> None:
    """The documented task of order step 2 carries no input; ``is_mandatory`` is the
    worker's duty. An item without a code names nothing and is left out."""
    task = cw.create(items=items)
    assert task["state"] == "new"
    kept = (task.get("input") or {}).get("items") or []
    assert [i["code"] for i in kept] == [c for c, _ in items if c]


def test_a_task_the_balance_cannot_pay_is_402(client: TestClient) -> None:
    client.post("/_mock/tenants", json={"vendor": "clickworker", "credential": "poor",
                                        "setup": {"balance": "1.00"}})  # fmt: skip
    cw = Customer(client, "XML", user="poor")
    cw.add_template()
    assert cw.refused(cw.call("POST", "customer/tasks", "task", cw.task_body()), "task", 402)
    assert cw.account() == {"balance_amount": "1.00", "reserved_amount": "0.00",
                            "credit_limit": "0.00", "currency_code": "EUR"}  # fmt: skip
    assert not cw.world().tasks.tasks


# -- list, show, update, cancel ------------------------------------------------------------------


def test_the_list_filters_by_state_reference_and_date_and_pages(cw: Customer) -> None:
    first = cw.create(ref="a")
    cw.advance(DAY)
    second = cw.create(ref="b")
    tasks = cw.ok(cw.call("GET", "customer/tasks"), "tasks")
    assert [t["link"][0]["href"].rsplit("/", 1)[1] for t in tasks] == [first["id"], second["id"]]
    entry = tasks[0]
    assert set(entry) == {"link", "customer_ref", "template", "state", "created_at"}
    assert entry["link"][0]["rel"] == "task"
    assert entry["template"]["product"]["link"][0]["rel"] == "product"
    assert entry["state"] == "feedback"

    def refs(**params: str) -> list[str]:
        found = cw.ok(cw.call("GET", "customer/tasks", **params), "tasks") or []
        return [t["customer_ref"] for t in found]

    assert refs(state="feedback") == ["a"]
    assert refs(state="new") == ["b"]
    assert refs(customer_ref="b") == ["b"]
    day = datetime.fromisoformat(second["created_at"]).strftime("%d.%m.%Y")
    assert refs(**{"from": day}) == ["b"]
    assert refs(to=day) == ["a", "b"]
    assert refs(**{"from": datetime.fromisoformat(second["created_at"]).strftime("%Y-%m-%d")}) == [
        "b"
    ]
    assert refs(state="done") == [] and refs(state="FEEDBACK") == ["a"]
    assert refs(per_page="1", page="2") == ["b"]
    assert refs(per_page="1") == ["a"]


@pytest.mark.parametrize(
    ("params", "named"),
    [({"from": "May 1st"}, "from"), ({"to": "32.01.2024"}, "to"),
     ({"per_page": "0"}, "per_page"), ({"page": "x"}, "page")],
)  # fmt: skip
def test_bad_list_parameters_are_422(cw: Customer, params: dict[str, str], named: str) -> None:
    assert cw.refused(cw.call("GET", "customer/tasks", **params), "tasks", 422) == {named}


def test_unknown_and_foreign_tasks_are_404(client: TestClient) -> None:
    alice, bob = Customer(client, "XML"), Customer(client, "JSON", user="bob")
    alice.add_template()
    task_id = alice.create()["id"]
    assert alice.refused(alice.call("GET", "customer/tasks/999"), "task", 404)
    assert alice.refused(alice.call("GET", "customer/tasks/abc"), "task", 404)
    assert bob.refused(bob.call("GET", f"customer/tasks/{task_id}"), "task", 404)
    assert bob.refused(bob.call("DELETE", f"customer/tasks/{task_id}"), "task", 404)
    assert bob.ok(bob.call("GET", "customer/tasks"), "tasks") in (None, [])
    assert alice.task(task_id)["state"] == "new"


def test_put_changes_the_reference_and_cancels_only(cw: Customer) -> None:
    task_id = cw.create(ref="old")["id"]
    path = f"customer/tasks/{task_id}"
    updated = cw.ok(cw.call("PUT", path, "task", {"customer_ref": "new"}), "task")
    assert updated["customer_ref"] == "new"
    refused = cw.call("PUT", path, "task", {"state": "finished", "customer_ref": "x"})
    assert cw.refused(refused, "task", 422) == {"state"}
    assert cw.task(task_id)["customer_ref"] == "new"
    cancelled = cw.ok(cw.call("PUT", path, "task", {"state": "cancelled"}), "task")
    assert cancelled["state"] == "cancelled"
    assert cw.account()["reserved_amount"] == "0.00"


def test_delete_cancels_releases_the_money_and_stops_the_work(cw: Customer) -> None:
    task_id = cw.create()["id"]
    cw.advance(DAY)  # in feedback: a sign-off job waits
    job_id = cw.open_job(task_id)
    assert cw.account()["reserved_amount"] == "1.57"
    deleted = cw.ok(cw.call("DELETE", f"customer/tasks/{task_id}"), "task")
    assert deleted["state"] == "cancelled"
    assert cw.account() == {"balance_amount": "1000.00", "reserved_amount": "0.00",
                            "credit_limit": "0.00", "currency_code": "EUR"}  # fmt: skip
    assert cw.job(job_id)["state"] == "cancelled"
    assert cw.refused(cw.buyoff(job_id, {"accepted": "1"}), "job", 409)
    again = cw.ok(cw.call("DELETE", f"customer/tasks/{task_id}"), "task")
    assert again["state"] == "cancelled"
    cw.advance(8 * DAY)
    assert cw.task(task_id)["state"] == "cancelled"
    assert cw.account()["balance_amount"] == "1000.00"


def test_a_finished_task_stays_finished_when_cancelled(cw: Customer) -> None:
    task_id = cw.create()["id"]
    to_feedback(cw, task_id)
    assert cw.buyoff(cw.open_job(task_id), {"accepted": "1"}).status_code == 200
    assert cw.ok(cw.call("DELETE", f"customer/tasks/{task_id}"), "task")["state"] == "finished"
    put = cw.call("PUT", f"customer/tasks/{task_id}", "task", {"state": "cancelled"})
    assert cw.ok(put, "task")["state"] == "finished"
    assert cw.task(task_id)["state"] == "finished"
    assert cw.account()["balance_amount"] == "998.43"


def test_a_polled_task_shows_every_change_however_it_came(cw: Customer) -> None:
    """A task's answer is written once and then reused: it must follow every change,
    made by a request, by the clock or by the world itself."""
    task_id = cw.create(ref="old")["id"]
    assert cw.task(task_id) == cw.task(task_id)
    cw.world().tasks.rename(int(task_id), "renamed")
    assert cw.task(task_id)["customer_ref"] == "renamed"
    cw.advance(DAY)
    assert cw.task(task_id)["state"] == "feedback"
    assert cw.buyoff(cw.open_job(task_id), {"accepted": "1"}).status_code == 200
    finished = cw.task(task_id)
    assert finished["state"] == "finished"
    assert [item["code"] for item in finished["results"]] == ["title_top", "paragraph_bottom"]


def test_a_task_is_answered_in_the_format_and_on_the_host_of_each_request(
    client: TestClient,
) -> None:
    xml, json = Customer(client, "XML"), Customer(client, "JSON")
    xml.add_template()
    task_id = xml.create()["id"]
    assert xml.task(task_id)["link"][0]["type"] == "application/xml"
    assert json.task(task_id)["link"][0]["type"] == "application/json"
    elsewhere = client.get(
        f"{API}/customer/tasks/{task_id}",
        auth=xml.auth,
        headers={"Host": "sandbox.clickworker.com"},
    )
    for path in (f"customer/tasks/{task_id}", "customer/task_templates/hotel_text"):
        assert f"http://sandbox.clickworker.com{API}/{path}" in elsewhere.text
    assert xml.task(task_id)["link"][0]["href"] == f"{HOST}/customer/tasks/{task_id}"


# -- the lifecycle -------------------------------------------------------------------------------


def test_a_worker_picks_the_task_up_then_submits_for_feedback(cw: Customer) -> None:
    task_id = cw.create()["id"]
    task = cw.world().tasks.get(int(task_id))
    cw.advance(299)
    assert cw.task(task_id)["state"] == "new"  # the queue wait is at least five minutes
    cw.advance(DAY)
    assert [state for state, _ in task.history] == ["new", "in_progress", "feedback"]
    assert task.worker_id is not None
    assert cw.world().context.crowd.get(task.worker_id) is not None
    started, submitted = task.history[1][1], task.history[2][1]
    assert task.created_at + 300 <= started <= task.created_at + 3600
    assert started < submitted


def test_a_template_is_in_use_while_its_tasks_run(cw: Customer) -> None:
    task_id = cw.create()["id"]
    assert cw.world().tasks.uses_template("hotel_text")
    assert not cw.world().tasks.uses_template("other")
    cw.call("DELETE", f"customer/tasks/{task_id}")
    assert not cw.world().tasks.uses_template("hotel_text")


def test_the_summary_counts_tasks_jobs_and_notifications(cw: Customer) -> None:
    cw.create()
    cw.advance(DAY)
    tenants = cw.client.get("/_mock/tenants").json()["tenants"]
    (mine,) = [t for t in tenants if t["id"] == cw.tenant]
    assert mine["resources"] == {"templates": 1, "tasks": 1, "jobs": 1, "notifications": 1}


# -- the texts ----------------------------------------------------------------------------------


def outputs(cw: Customer, task_id: str) -> dict[str, str]:
    job = cw.job(cw.open_job(task_id))
    return {i["code"]: i["content"] for i in job["items"]}


def test_the_worker_writes_a_title_and_a_paragraph_of_the_ordered_length(cw: Customer) -> None:
    task_id = cw.create()["id"]
    to_feedback(cw, task_id)
    items = outputs(cw, task_id)
    assert list(items) == ["link_to_hotel", "title_top", "paragraph_bottom"]
    assert items["link_to_hotel"] == SEED_ITEM[1]
    assert items["title_top"].startswith("Myhotel: ")
    assert 50 <= len(items["paragraph_bottom"].split()) <= 110
    assert "Myhotel" in items["paragraph_bottom"]
    assert items["paragraph_bottom"].endswith(".")


def test_keywords_appear_as_often_as_ordered_in_the_referenced_output(client: TestClient) -> None:
    cw = Customer(client, "JSON")
    template = hotel_template(
        "seo",
        product="TextCreateWithKeywords",
        attributes={"textcreatewithkeywords_language": "en",
                    "textcreatewithkeywords_text_length": "151#205"},
        elements=[
            FormElement("title", "text_field", False, True),
            FormElement("", "text_area", True, True, item_code="seotext"),
            FormElement("", "keyword", False, True, item_code="keyword_a",
                        options=[{"code": "reference_slug", "value": "seotext"},
                                 {"code": "min_occurrence_ref", "value": "keyword_a_min"},
                                 {"code": "max_occurrence_ref", "value": "keyword_a_max"}]),
        ],
    )  # fmt: skip
    cw.add_template(template)
    items = (("title", "Garden tools"), ("keyword_a", "rake"), ("keyword_a_min", "2"),
             ("keyword_a_max", "3"))  # fmt: skip
    task_id = cw.create("seo", items=items)["id"]
    to_feedback(cw, task_id)
    text = outputs(cw, task_id)["seotext"]
    assert 2 <= text.split().count("rake") <= 3
    assert "Garden tools" in text
    assert 151 <= len(text.split()) <= 210


def test_element_length_options_win_and_the_language_is_the_templates(client: TestClient) -> None:
    cw = Customer(client, "XML")
    template = hotel_template(
        "de_short",
        attributes={"textcreate_language": "de", "textcreate_text_length": "50#110"},
        elements=[
            FormElement("link_to_hotel", "url", False, True),
            FormElement("paragraph_bottom", "text_area", True, True,
                        options=[{"code": "min_length", "value": "20"},
                                 {"code": "max_length", "value": "25"}]),
        ],
    )  # fmt: skip
    cw.add_template(template)
    task_id = cw.create("de_short")["id"]
    to_feedback(cw, task_id)
    text = outputs(cw, task_id)["paragraph_bottom"]
    assert 20 <= len(text.split()) <= 25
    from faker import Faker

    german = {w.lower() for w in Faker("de_DE").get_words_list()}
    words = [w.strip(".").lower() for w in text.split()]
    assert all(w in german or w == "myhotel" for w in words), words


def test_the_same_seed_writes_the_same_text_however_often_the_client_polls() -> None:
    def written(polls: int) -> str:
        with make_client(Hooks()) as other:
            cw = Customer(other, "XML")
            cw.add_template()
            task_id = cw.create()["id"]
            for _ in range(polls):  # each answer draws a request id
                cw.task(task_id)
            cw.advance(DAY)
            return outputs(cw, task_id)["paragraph_bottom"]

    assert written(0) == written(5)


def test_amounts_follow_the_templates_length_and_proof_reading(client: TestClient) -> None:
    cw = Customer(client, "JSON")
    attributes = {"textcreate_language": "en", "textcreate_text_length": "100#160",
                  "textcreate_proof_read": "textcreate_proof_yes"}  # fmt: skip
    cw.add_template(hotel_template("long", attributes=attributes))
    task = cw.create("long")
    assert Decimal(task["net_amount"]) == Decimal("2.56")  # 160 words at 0.016
    assert Decimal(task["amount"]) == Decimal(task["net_amount"]) + Decimal(task["tax_amount"])


def test_a_text_ordered_longer_than_any_writer_writes_stops_at_the_longest(
    client: TestClient,
) -> None:
    cw = Customer(client, "JSON")
    huge = str(10**18)
    template = hotel_template(
        "endless",
        elements=[
            FormElement("link_to_hotel", "url", False, True),
            FormElement("paragraph_bottom", "text_area", True, True,
                        options=[{"code": "min_length", "value": huge},
                                 {"code": "max_length", "value": huge}]),
        ],
    )  # fmt: skip
    cw.add_template(template)
    task_id = cw.create("endless")["id"]
    to_feedback(cw, task_id)
    assert len(outputs(cw, task_id)["paragraph_bottom"].split()) == MAX_WORDS

"""clickworker notifications: the documented bodies in XML and JSON, retries, reading them back."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from clickworker_kit import (
    DAY,
    HOOK,
    HOST,
    OUTPUTS,
    Customer,
    Hooks,
    make_client,
    plain,
    read_notification,
)
from starlette.testclient import TestClient

from mockserver.core.xmlwire import parse_xml


@pytest.fixture
def hooks() -> Hooks:
    return Hooks()


@pytest.fixture
def client(hooks: Hooks) -> Iterator[TestClient]:
    with make_client(hooks) as running:
        yield running


@pytest.fixture(params=["XML", "JSON"])
def cw(request: pytest.FixtureRequest, client: TestClient) -> Customer:
    customer = Customer(client, request.param)
    customer.add_template()
    return customer


def finish(cw: Customer) -> tuple[str, str]:
    """A task taken through feedback and approval; its id and its job's."""
    task_id = cw.create()["id"]
    cw.advance(DAY)
    job_id = cw.open_job(task_id)
    assert cw.buyoff(job_id, {"accepted": "1"}).status_code == 200
    cw.settle()
    return task_id, job_id


def test_the_input_required_body_in_xml_is_the_documented_one(
    client: TestClient, hooks: Hooks
) -> None:
    cw = Customer(client, "XML")
    cw.add_template()
    task_id = cw.create()["id"]
    cw.advance(DAY)
    (request,) = hooks.requests
    assert (request.method, str(request.url)) == ("POST", HOOK)
    assert request.headers["content-type"].startswith("application/xml")
    assert request.content.startswith(b'<?xml version="1.0"?>\n<notification><link ')
    document = parse_xml(request.content, lists=("link",))
    assert list(document) == ["notification"]
    notification = document["notification"]
    assert list(notification) == ["link", "event", "task", "job"]
    job_id = cw.open_job(task_id)
    assert notification == {
        "link": [{"href": f"{HOST}/customer/tasks/{task_id}/notifications/19265",
                  "rel": "self", "type": "application/xml"}],
        "event": "CUSTOMER_INPUT_REQUIRED",
        "task": {"link": [{"href": f"{HOST}/customer/tasks/{task_id}", "rel": "self",
                           "type": "application/xml"}]},
        "job": {"link": [{"href": f"{HOST}/customer/jobs/{job_id}", "rel": "self",
                          "type": "application/xml"}]},
    }  # fmt: skip


def test_the_input_required_body_in_json(client: TestClient, hooks: Hooks) -> None:
    cw = Customer(client, "JSON")
    cw.add_template()
    task_id = cw.create()["id"]
    cw.advance(DAY)
    (request,) = hooks.requests
    assert request.headers["content-type"].startswith("application/json")
    body = json.loads(request.content)
    link = {"rel": "self", "type": "application/json"}
    assert body == {
        "notification": {
            "link": [{"href": f"{HOST}/customer/tasks/{task_id}/notifications/19265", **link}],
            "event": "CUSTOMER_INPUT_REQUIRED",
            "task": {"link": [{"href": f"{HOST}/customer/tasks/{task_id}", **link}]},
            "job": {"link": [{"href": f"{HOST}/customer/jobs/5968545", **link}]},
        }
    }


def test_task_completed_carries_one_element_per_output_code(cw: Customer, hooks: Hooks) -> None:
    task_id, _ = finish(cw)
    results = {r["code"]: r["content"] for r in cw.task(task_id)["results"]}
    request = hooks.requests[-1]
    notification = read_notification(request.content, request.headers["content-type"])
    assert list(notification) == ["link", "event", "task", "customer_output"]
    assert notification["event"] == "TASK_COMPLETED"
    assert notification["link"][0]["href"] == (
        f"{HOST}/customer/tasks/{task_id}/notifications/19266"
    )
    assert notification["task"]["link"][0]["href"] == f"{HOST}/customer/tasks/{task_id}"
    assert list(notification["customer_output"]) == list(OUTPUTS)
    assert notification["customer_output"] == results
    if cw.fmt == "XML":
        assert b"<customer_output><title_top>" in request.content


def test_only_subscribed_events_are_sent_each_in_its_own_format(
    client: TestClient, hooks: Hooks
) -> None:
    cw = Customer(client, "XML")
    cw.add_template()
    body = cw.task_body(events=("TASK_COMPLETED",))
    body["notifications"].append({"event": "TASK_COMPLETED", "callback_url": f"{HOOK}/json",
                                  "payload_format": "JSON"})  # fmt: skip
    task_id = cw.ok(cw.call("POST", "customer/tasks", "task", body), "task")["id"]
    cw.advance(DAY)
    assert hooks.requests == []
    cw.buyoff(cw.open_job(task_id), {"accepted": "1"})
    cw.settle()
    kinds = {str(r.url): r.headers["content-type"].split(";")[0] for r in hooks.requests}
    assert kinds == {HOOK: "application/xml", f"{HOOK}/json": "application/json"}
    assert [n["event"] for n in hooks.notifications()] == ["TASK_COMPLETED"] * 2


def test_a_task_without_subscriptions_sends_nothing(cw: Customer, hooks: Hooks) -> None:
    task_id = cw.create(events=())["id"]
    cw.advance(DAY)
    cw.buyoff(cw.open_job(task_id), {"accepted": "1"})
    cw.settle()
    assert cw.task(task_id)["state"] == "finished"
    assert hooks.requests == [] and cw.deliveries() == []


def test_a_failed_notification_is_retried_after_60_300_and_1800_seconds(
    cw: Customer, hooks: Hooks
) -> None:
    task_id = cw.create(events=("CUSTOMER_INPUT_REQUIRED",))["id"]
    hooks.answers = [500, 503, 404]
    cw.step_until(lambda: len(hooks.requests) > 0)
    assert len(hooks.requests) == 1
    (delivery,) = cw.deliveries()
    assert (delivery["state"], delivery["event"]) == ("pending", "CUSTOMER_INPUT_REQUIRED")
    assert delivery["payload"]["task_id"] == int(task_id)
    cw.advance(59)
    assert len(hooks.requests) == 1
    cw.advance(1)
    assert len(hooks.requests) == 2
    cw.advance(300)
    assert len(hooks.requests) == 3
    cw.advance(1799)
    assert len(hooks.requests) == 3
    cw.advance(1)
    assert len(hooks.requests) == 4
    (delivery,) = cw.deliveries()
    assert delivery["state"] == "delivered"
    assert [a["status"] for a in delivery["attempts"]] == [500, 503, 404, 200]
    assert len({r.content for r in hooks.requests}) == 1


def test_after_the_last_retry_the_delivery_fails(cw: Customer, hooks: Hooks) -> None:
    cw.create(events=("CUSTOMER_INPUT_REQUIRED",))
    hooks.answers = [500] * 4
    cw.advance(DAY)
    cw.advance(DAY)
    (delivery,) = cw.deliveries()
    assert delivery["state"] == "failed"
    assert len(delivery["attempts"]) == 4 == len(hooks.requests)


def test_links_point_to_the_host_the_task_was_created_on(client: TestClient, hooks: Hooks) -> None:
    cw = Customer(client, "XML")
    cw.add_template()
    response = client.post(
        "/de/api/marketplace/v2/customer/tasks",
        content=cw.encode("task", cw.task_body()),
        headers={**cw.headers(), "Host": "sandbox.clickworker.com"},
        auth=cw.auth,
    )
    task_id = cw.ok(response, "task")["id"]
    cw.advance(DAY)
    (notification,) = hooks.notifications()
    base = "http://sandbox.clickworker.com/api/marketplace/v2"
    assert notification["task"]["link"][0]["href"] == f"{base}/customer/tasks/{task_id}"
    assert notification["job"]["link"][0]["href"].startswith(f"{base}/customer/jobs/")


def test_notifications_can_be_read_back(cw: Customer, hooks: Hooks) -> None:
    task_id, _ = finish(cw)
    listed = cw.ok(cw.call("GET", f"customer/tasks/{task_id}/notifications"), "notifications")
    assert [n["event"] for n in listed] == ["CUSTOMER_INPUT_REQUIRED", "TASK_COMPLETED"]
    assert listed == hooks.notifications()
    shown = cw.ok(cw.call("GET", f"customer/tasks/{task_id}/notifications/19266"), "notification")
    assert shown == listed[1]
    self_link = shown["link"][0]["href"]
    assert self_link == f"{HOST}/customer/tasks/{task_id}/notifications/19266"


def test_read_back_answers_in_the_requests_format(client: TestClient, hooks: Hooks) -> None:
    xml, as_json = Customer(client, "XML"), Customer(client, "JSON")
    xml.add_template()
    task_id, _ = finish(xml)
    shown = as_json.ok(
        as_json.call("GET", f"customer/tasks/{task_id}/notifications/19265"), "notification"
    )
    sent = plain(hooks.notifications()[0])
    assert shown["link"][0]["type"] == "application/json"
    assert shown["link"][0]["href"] == sent["link"][0]["href"]
    assert shown["event"] == sent["event"]


def test_unknown_foreign_or_mismatched_notifications_are_404(client: TestClient) -> None:
    alice, bob = Customer(client, "XML"), Customer(client, "JSON", user="bob")
    alice.add_template()
    task_id, _ = finish(alice)
    other = alice.create()["id"]
    path = f"customer/tasks/{task_id}/notifications"
    assert alice.refused(alice.call("GET", f"{path}/1"), "notification", 404)
    assert alice.refused(alice.call("GET", f"{path}/x"), "notification", 404)
    assert alice.refused(
        alice.call("GET", f"customer/tasks/{other}/notifications/19265"), "notification", 404
    )
    assert bob.refused(bob.call("GET", f"{path}/19265"), "notification", 404)
    assert bob.refused(bob.call("GET", path), "notifications", 404)
    assert alice.ok(
        alice.call("GET", f"customer/tasks/{other}/notifications"), "notifications"
    ) in (
        None,
        [],
    )

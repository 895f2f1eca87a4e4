"""clickworker's documented examples, sent as the documentation writes them.

The requests are data files in ``clickworker_examples/`` (see its ``SOURCES.md``),
sent in XML to the documented sandbox host, and every answer is held against the
documented answer of the same step: each element the documentation shows must be
there, in the same place (values differ: ids, links, the text a worker writes), and
a job's items come in the documented order. The walkthrough is the documentation's
own: a template and a task (steps 1 and 2), the buyoff notification and the job it
names (step 3), the rejection and the approval as written, the completion
notification, the task read with ``show_cloned_task=true`` (step 4), the polling
list (specific usage) and the crowd count (clickworkers reference).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import hooks_kit
import httpx
import pytest
from starlette.testclient import TestClient

from mockserver.app import create_app
from mockserver.core.xmlwire import parse_xml
from mockserver.settings import Settings
from mockserver.vendors.clickworker.envelope import LISTS

EXAMPLES = Path(__file__).parent / "clickworker_examples"
HOST = "https://sandbox.clickworker.com"
BARE_ROOT = "http://localhost:8080"  # every vendor mounted; clickworker known by its paths
API = "/api/marketplace/v2"
AUTH = ("docs-customer", "docs-password")
TENANT = f"clickworker:{AUTH[0]}"
XML = {"Content-Type": "application/xml"}
HOUR = 3600.0


def example(name: str) -> bytes:
    return (EXAMPLES / name).read_bytes()


def documented(name: str) -> dict[str, Any]:
    return parse_xml(example(name), lists=LISTS)


def read(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/xml")
    assert response.content.startswith(b'<?xml version="1.0"?>')  # as every documented answer
    return parse_xml(response.content, lists=LISTS)


def shape(value: Any, at: str = "") -> Iterator[str]:
    """Every element path of a document (``job.items[].code``), values left out."""
    if isinstance(value, dict):
        for key, child in value.items():
            yield from shape(child, f"{at}.{key}" if at else key)
    elif isinstance(value, list):
        for child in value:
            yield from shape(child, f"{at}[]")
    else:
        yield at


def assert_shaped_like(answer: dict[str, Any], documented_answer: dict[str, Any]) -> None:
    missing = set(shape(documented_answer)) - set(shape(answer))
    assert not missing, f"documented but not answered: {sorted(missing)}"


class Hooks(hooks_kit.Hooks):
    """``http://notification.example.com``, the documentation's callback URL."""

    def notifications(self) -> list[dict[str, Any]]:
        return [parse_xml(r.content, lists=LISTS) for r in self.requests]


@pytest.fixture
def hooks() -> Hooks:
    return Hooks()


@pytest.fixture(params=[HOST, BARE_ROOT], ids=["sandbox-host", "bare-root"])
def client(hooks: Hooks, request: pytest.FixtureRequest) -> TestClient:
    """The sandbox on the documented host, or at the bare root of a server on localhost."""
    settings = Settings(clock="manual", seed=11, rate_limits=False)
    app = create_app(settings, webhook_transport=httpx.MockTransport(hooks))
    return TestClient(app, base_url=request.param)


def post(client: TestClient, path: str, body: bytes) -> dict[str, Any]:
    return read(client.post(f"{API}/{path}", content=body, headers=XML, auth=AUTH))


def advance(client: TestClient, seconds: float) -> None:
    response = client.post("/_mock/clock/advance", json={"seconds": seconds, "tenant": TENANT})
    assert response.status_code == 200, response.text


def wait_for(client: TestClient, hooks: Hooks, count: int) -> dict[str, Any]:
    """Lets the crowd work until the ``count``-th notification has come."""
    for _ in range(200):
        if len(hooks.requests) >= count:
            break
        advance(client, HOUR)
    assert len(hooks.requests) >= count, "the notification never came"
    notification: dict[str, Any] = hooks.notifications()[count - 1]
    return notification


def walkthrough_template(code: str) -> bytes:
    """Step 1's template with the walkthrough's form, under its own code."""
    body = example("step1_task_template.xml").replace(b"unique_template_id_1234", code.encode())
    return body.replace(b"</task_template>", example("step3_form.xml") + b"</task_template>")


def walkthrough_task(code: str) -> bytes:
    """Step 2's task on that template, with the walkthrough's input."""
    body = example("step2_task.xml").replace(b"unique_template_id_1234", code.encode())
    return body.replace(b"</task>", example("step3_input.xml") + b"</task>")


def test_step_1_and_2_as_written_make_a_template_and_a_task(
    client: TestClient, hooks: Hooks
) -> None:
    created = post(client, "customer/task_templates", example("step1_task_template.xml"))
    template = created["task_template_response"]["task_template"]
    assert template["code"] == "unique_template_id_1234"
    assert template["link"][0]["href"].endswith("/customer/task_templates/unique_template_id_1234")
    ordered = post(client, "customer/tasks", example("step2_task.xml"))["task_response"]["task"]
    assert ordered["customer_ref"] == "hotel-4711"
    assert ordered["state"] == "new"
    assert [n["event"] for n in ordered["notifications"]] == [
        "CUSTOMER_INPUT_REQUIRED",
        "TASK_COMPLETED",
    ]
    link = ordered["link"][0]["href"]
    assert re.fullmatch(rf"{client.base_url}{API}/customer/tasks/\d+", link)


def test_the_walkthrough_from_order_to_buyoff(client: TestClient, hooks: Hooks) -> None:
    post(client, "customer/task_templates", walkthrough_template("hotel_walkthrough"))
    task = post(client, "customer/tasks", walkthrough_task("hotel_walkthrough"))
    task_href = task["task_response"]["task"]["link"][0]["href"]

    # Step 3: the buyoff notification names the job; a GET on its link shows the texts.
    notice = wait_for(client, hooks, 1)
    assert_shaped_like(notice, documented("step3_notification_customer_input_required.xml"))
    assert notice["notification"]["event"] == "CUSTOMER_INPUT_REQUIRED"
    assert str(hooks.requests[0].url).rstrip("/") == "http://notification.example.com"
    job_href = notice["notification"]["job"]["link"][0]["href"]
    job = read(client.get(job_href, auth=AUTH))
    assert_shaped_like(job, documented("step3_job_response.xml"))
    items = job["job_response"]["job"]["items"]
    documented_items = documented("step3_job_response.xml")["job_response"]["job"]["items"]
    assert [i["code"] for i in items] == [i["code"] for i in documented_items]
    assert items[0]["content"] == "http://www.myhotel.com"

    # The rejection as written: the same worker reworks, and a new buyoff is asked for.
    rejected = client.put(job_href, content=example("step3_rejection.xml"), headers=XML, auth=AUTH)
    assert read(rejected)["job_response"]["job"]["state"] == "rejected"
    second = wait_for(client, hooks, 2)
    assert second["notification"]["event"] == "CUSTOMER_INPUT_REQUIRED"
    second_job = second["notification"]["job"]["link"][0]["href"]
    assert second_job != job_href

    # The approval as written finishes the task and sends its outputs.
    approved = client.put(second_job, content=example("step3_approval.xml"), headers=XML, auth=AUTH)
    assert read(approved)["job_response"]["job"]["state"] == "accepted"
    completed = wait_for(client, hooks, 3)
    assert_shaped_like(completed, documented("step3_notification_task_completed.xml"))
    output = completed["notification"]["customer_output"]
    assert list(output) == ["title_top", "paragraph_bottom"]

    # Step 4: the results, read by the original id as the documentation advises.
    final = read(client.get(task_href, params={"show_cloned_task": "true"}, auth=AUTH))
    results = final["task_response"]["task"]["results"]
    assert {r["code"]: r["content"] for r in results} == output


def test_polling_lists_the_tasks_as_documented(client: TestClient, hooks: Hooks) -> None:
    post(client, "customer/task_templates", walkthrough_template("hotel_walkthrough"))
    post(client, "customer/tasks", walkthrough_task("hotel_walkthrough"))
    wait_for(client, hooks, 1)
    waiting = read(client.get(f"{API}/customer/tasks", params={"state": "feedback"}, auth=AUTH))
    assert_shaped_like(waiting["tasks_response"], documented("usage_task_list_entry.xml"))
    (entry,) = waiting["tasks_response"]["tasks"]
    assert entry["state"] == "feedback"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", entry["created_at"])
    finished = read(client.get(f"{API}/customer/tasks", params={"state": "finished"}, auth=AUTH))
    assert finished["tasks_response"].get("tasks", []) == []
    day = entry["created_at"][:10].split("-")
    written = f"{day[2]}.{day[1]}.{day[0]}"  # the documented dd.mm.yyyy
    same_day = client.get(
        f"{API}/customer/tasks", params={"from": written, "to": written}, auth=AUTH
    )
    assert len(read(same_day)["tasks_response"]["tasks"]) == 1


def test_the_crowd_count_answers_a_count(client: TestClient) -> None:
    """``clickworkers?api_method=count_in_radius&latitude=&longitude=&r=``."""
    response = client.get(
        f"{API}/clickworkers",
        params={
            "api_method": "count_in_radius",
            "latitude": "50.94",
            "longitude": "6.96",
            "r": "10",
        },  # fmt: skip
        auth=AUTH,
    )
    document = read(response)["clickworkers_response"]
    assert document["request_status"]["status_code"] == "200"
    assert int(document["clickworker_count"]) >= 0

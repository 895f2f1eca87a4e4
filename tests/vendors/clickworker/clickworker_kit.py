"""Shared set-up of the clickworker task tests: a customer with a template, in XML or JSON.

Outgoing notifications go to an ``httpx.MockTransport`` (:class:`Hooks`), which
records them and answers with the statuses a test queues (200 once none is queued).
Every document read back is made plain (:func:`plain`: scalars as strings), so one
assertion holds for the XML and the JSON form alike.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import hooks_kit
import httpx
from starlette.testclient import TestClient

from mockserver.app import create_app
from mockserver.core.xmlwire import parse_xml, render_xml
from mockserver.settings import Settings
from mockserver.vendors.clickworker.backend import ClickworkerWorld
from mockserver.vendors.clickworker.backend.templates import FormElement, Template
from mockserver.vendors.clickworker.envelope import LISTS

API = "/api/marketplace/v2"
BASE = f"/clickworker{API}"
HOST = f"http://testserver{BASE}"
HOOK = "https://receiver.example/clickworker"
DAY = 86400.0
FORMATS = ("XML", "JSON")
MEDIA = {"XML": "application/xml", "JSON": "application/json"}
BOTH_EVENTS = ("CUSTOMER_INPUT_REQUIRED", "TASK_COMPLETED")
SEED_ITEM = ("link_to_hotel", "http://www.myhotel.com")
OUTPUTS = ("title_top", "paragraph_bottom")
GRADES = ("grade_gr", "grade_sppu", "grade_sest", "grade_st", "grade_cocl", "grade_foin",
          "grade_sein")  # fmt: skip


class Hooks(hooks_kit.Hooks):
    """Records every notification and answers with the queued statuses, then 200."""

    def notifications(self) -> list[dict[str, Any]]:
        """Each body's ``notification``, plain, whatever its format."""
        return [read_notification(r.content, r.headers["content-type"]) for r in self.requests]

    def events(self) -> list[str]:
        return [n["event"] for n in self.notifications()]


def read_notification(content: bytes, content_type: str) -> dict[str, Any]:
    if "json" in content_type:
        document = json.loads(content)
    else:
        document = parse_xml(content, lists=LISTS)
    return plain(document["notification"])


def plain(value: Any) -> Any:
    """Scalars as the XML form gives them: strings, booleans as ``true``/``false``."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, bool):
        return "true" if value else "false"
    return None if value is None else str(value)


def hotel_template(code: str = "hotel_text", **changes: Any) -> Template:
    """The documentation's walkthrough template: a hotel URL in, a title and a text out."""
    fields: dict[str, Any] = {
        "code": code,
        "name": f"Hotel descriptions {code}",
        "product": "TextCreate",
        "attributes": {
            "textcreate_language": "en",
            "textcreate_text_length": "50#110",
            "textcreate_proof_read": "textcreate_proof_no",
        },
        "elements": [
            FormElement("link_to_hotel", "url", is_output=False, is_mandatory=True),
            FormElement("title_top", "text_field", True, True),
            FormElement("paragraph_bottom", "text_area", True, True),
        ],
        "titles": {"en": "Hotel description"},
    }
    fields.update(changes)
    return Template(**fields)


class Customer:
    """One clickworker customer talking one format (``XML`` or ``JSON``)."""

    def __init__(self, client: TestClient, fmt: str = "XML", user: str = "alice") -> None:
        self.client = client
        self.fmt = fmt
        self.user = user
        self.auth = (user, "secret")

    @property
    def tenant(self) -> str:
        return f"clickworker:{self.user}"

    def world(self) -> ClickworkerWorld:
        sandbox = self.client.app.sandbox  # type: ignore[attr-defined]
        tenant = sandbox.tenants.resolve(sandbox.vendors["clickworker"], self.user)
        world: ClickworkerWorld = tenant.world
        return world

    def add_template(self, template: Template | None = None) -> Template:
        return self.world().templates.add(template or hotel_template())

    # -- the wire ------------------------------------------------------------------------------

    def headers(self) -> dict[str, str]:
        media = MEDIA[self.fmt]
        return {"Accept": media, "Content-Type": f"{media}; charset=utf-8"}

    def encode(self, entity: str, body: dict[str, Any]) -> bytes:
        if self.fmt == "JSON":
            return json.dumps({entity: body}).encode()
        return render_xml(entity, body)

    def call(
        self,
        method: str,
        path: str,
        entity: str | None = None,
        body: dict[str, Any] | bytes | None = None,
        **params: Any,
    ) -> httpx.Response:
        content = (
            body if isinstance(body, bytes) or body is None else self.encode(entity or "", body)
        )
        return self.client.request(
            method,
            f"{BASE}/{path}",
            content=content,
            params=params or None,
            headers=self.headers(),
            auth=self.auth,
        )

    def read(self, response: httpx.Response, root: str) -> dict[str, Any]:
        """The ``{root}_response`` document, plain."""
        if self.fmt == "JSON":
            assert response.headers["content-type"].startswith("application/json"), response.text
            document = response.json()
        else:
            assert response.headers["content-type"].startswith("application/xml"), response.text
            document = parse_xml(response.content, lists=LISTS)
        result: dict[str, Any] = plain(document[f"{root}_response"])
        return result

    def ok(self, response: httpx.Response, entity: str) -> Any:
        assert response.status_code == 200, response.text
        document = self.read(response, entity)
        assert document["request_status"]["status_code"] == "200"
        return document.get(entity)  # an empty list has no element in XML

    def refused(self, response: httpx.Response, entity: str, status: int) -> set[str]:
        """The codes of a refusal's ``errors``, after checking its status and envelope."""
        assert response.status_code == status, response.text
        document = self.read(response, entity)
        assert document["request_status"]["valid"] == "false"
        return {e["code"] for e in document.get("errors", [])}

    # -- tasks ---------------------------------------------------------------------------------

    def task_body(
        self,
        template: str = "hotel_text",
        *,
        ref: str = "ref-1",
        items: tuple[tuple[str, str], ...] = (SEED_ITEM,),
        events: tuple[str, ...] = BOTH_EVENTS,
        hook: str = HOOK,
        payload_format: str | None = None,
    ) -> dict[str, Any]:
        return {
            "customer_ref": ref,
            "template": {
                "link": {
                    "href": f"{API}/customer/task_templates/{template}",
                    "rel": "task_template",
                    "type": MEDIA[self.fmt],
                }
            },
            "input": {"items": [{"code": c, "content": v} for c, v in items]},
            "notifications": [
                {
                    "event": event,
                    "callback_url": hook,
                    "callback_method": "POST",
                    "payload_format": payload_format or self.fmt,
                }
                for event in events
            ],
        }

    def create(self, template: str = "hotel_text", **options: Any) -> dict[str, Any]:
        response = self.call("POST", "customer/tasks", "task", self.task_body(template, **options))
        task: dict[str, Any] = self.ok(response, "task")
        return task

    def task(self, task_id: str | int, **params: Any) -> dict[str, Any]:
        task: dict[str, Any] = self.ok(
            self.call("GET", f"customer/tasks/{task_id}", **params), "task"
        )
        return task

    def job(self, job_id: str | int) -> dict[str, Any]:
        job: dict[str, Any] = self.ok(self.call("GET", f"customer/jobs/{job_id}"), "job")
        return job

    def buyoff(self, job_id: str | int, items: dict[str, str]) -> httpx.Response:
        body = {"input": {"items": [{"code": c, "content": v} for c, v in items.items()]}}
        return self.call("PUT", f"customer/jobs/{job_id}", "job", body)

    def open_job(self, task_id: str | int) -> str:
        """The id of the one open sign-off job of a task (or of its clone)."""
        jobs = self.ok(self.call("GET", "customer/jobs", task_id=task_id), "jobs")
        assert isinstance(jobs, list) and len(jobs) == 1, jobs
        return str(jobs[0]["id"])

    def account(self) -> dict[str, str]:
        customer = self.ok(self.call("GET", "customer"), "customer")
        balance: dict[str, str] = customer["balance"]
        return balance

    def advance(self, seconds: float) -> None:
        response = self.client.post(
            "/_mock/clock/advance", json={"seconds": seconds, "tenant": self.tenant}
        )
        assert response.status_code == 200, response.text

    def step_until(self, done: Callable[[], bool], limit: int = 50) -> None:
        """Advances from one scheduled event to the next until ``done()`` holds."""
        context = self.world().context
        for _ in range(limit):
            if done():
                return
            due = context.scheduler.next_due()
            assert due is not None, "nothing left to happen"
            self.advance(max(0.0, due - context.clock.now()))
        assert done()

    def settle(self) -> None:
        """Fires what is due now and waits for the notifications it sends."""
        self.advance(0)

    def deliveries(self) -> list[dict[str, Any]]:
        response = self.client.get("/_mock/webhooks/deliveries", params={"tenant": self.tenant})
        return list(response.json()["deliveries"])


def rejection(**changes: str) -> dict[str, str]:
    """A complete, valid rejection (every grade 2, so every comment is needed)."""
    items = {"accepted": "0"}
    for grade in GRADES:
        items[grade] = "2"
        items[f"{grade}_comment"] = f"Here is my {grade} comment"
    items["comment"] = "Please rework the text."
    items.update(changes)
    return items


def make_client(hooks: Hooks | None = None, **settings: Any) -> TestClient:
    config = Settings(clock="manual", seed=3, rate_limits=False, **settings)
    transport = httpx.MockTransport(hooks) if hooks is not None else None
    return TestClient(create_app(config, webhook_transport=transport))

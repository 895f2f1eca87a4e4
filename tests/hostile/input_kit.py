"""What the hostile-input tests share: one sandbox with a tenant of every vendor, the
routes each vendor publishes, and what "refused cleanly" means for each of them.

A :class:`Vendor` knows how to call its API (credentials, the ids its paths need),
what its own refusal looks like (status range and body format), and what its tenant
looks like from outside (:meth:`Vendor.state`: its listings and the tenant's
resources as ``/_mock`` shows them). A hostile request must be refused in the
vendor's format, leave that state as it was, and leave the server answering.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
from starlette.testclient import TestClient

from mockserver.app import create_app
from mockserver.settings import Settings

PROJECT = "0123456789abcdef0123456789abcdef"
CLICKWORKER = "/clickworker/api/marketplace/v2"
HOOK = "https://receiver.example/hooks"
METHODS = ("get", "post", "put", "patch", "delete")
BODY_METHODS = ("POST", "PUT", "PATCH")
CLOUDFACTORY_REPORT = "/cloudfactory/v1/workstreams/ws-1/task_completed"
THROUGHPUT = {
    "worker_id": "w@example.com",
    "use_case_id": "uc",
    "task_definition_id": "td",
    "task_started_at": "2024-05-01T09:00:00Z",
    "task_completed_at": "2024-05-01T09:30:00Z",
}
"""A CloudFactory Throughput report: the simplest request that opens a tenant."""


def report(client: TestClient, key: str) -> None:
    """Reports a completed task to CloudFactory under the API key ``key``."""
    response = client.post(CLOUDFACTORY_REPORT, json=THROUGHPUT, headers={"x-api-key": key})
    assert response.status_code == 202, response.text


Document = Any


@dataclass
class Vendor:
    """One vendor's tenant, as a client and as ``/_mock`` sees it."""

    name: str
    headers: dict[str, str]
    ids: dict[str, str]
    tenant: str
    listings: list[str]
    refusal: Callable[[httpx.Response], bool]
    json_routes: list[tuple[str, str]] = field(default_factory=list)

    def url(self, path: str, **override: str) -> str:
        """``path`` of the vendor's OpenAPI document with its ids filled in."""

        def fill(match: re.Match[str]) -> str:
            name = match.group(1)
            return override.get(name, self.ids.get(name, "1"))

        return f"/{self.name}" + re.sub(r"\{(\w+)\}", fill, path)

    def state(self, client: TestClient) -> list[Document]:
        """Every listing of the tenant (request ids aside) and its resources in ``/_mock``."""
        seen: list[Document] = []
        for listing in self.listings:
            response = client.get(listing, headers=self.headers)
            assert response.status_code == 200, (listing, response.status_code, response.text)
            seen.append(_without_request_ids(response.json()))
        described = client.get(f"/_mock/tenants/{self.tenant}")
        assert described.status_code == 200, described.text
        seen.append(described.json())
        return seen


def _without_request_ids(document: Document) -> Document:
    """clickworker's envelope carries a fresh request id in every answer."""
    if isinstance(document, dict):
        return {
            key: _without_request_ids(value)
            for key, value in document.items()
            if key != "request_status"
        }
    if isinstance(document, list):
        return [_without_request_ids(item) for item in document]
    return document


# -- each vendor's own refusal ---------------------------------------------------------------


def cloudfactory_refusal(response: httpx.Response) -> bool:
    body = response.json()
    return 400 <= response.status_code < 500 and isinstance(body.get("message"), str)


def crowdflower_refusal(response: httpx.Response) -> bool:
    body = response.json()
    if not 400 <= response.status_code < 500:
        return False
    error = body.get("error") if isinstance(body, dict) else None
    return (isinstance(error, dict) and isinstance(error.get("message"), str)) or isinstance(
        body.get("errors"), list
    )


def clickworker_refusal(response: httpx.Response) -> bool:
    if not 400 <= response.status_code < 500:
        return False
    body = response.json()
    (envelope,) = body.values()
    status = envelope["request_status"]
    return (
        status["valid"] is False
        and status["status_code"] == response.status_code
        and isinstance(envelope["errors"], list)
        and all(isinstance(e["message"], str) for e in envelope["errors"])
    )


def modelarts_refusal(response: httpx.Response) -> bool:
    body = response.json()
    return (
        400 <= response.status_code < 500
        and str(body.get("error_code", "")).startswith("ModelArts.")
        and isinstance(body.get("error_msg"), str)
        and "X-Request-Id" in response.headers
    )


def admin_refusal(response: httpx.Response) -> bool:
    body = response.json()
    return 400 <= response.status_code < 500 and isinstance(body.get("error"), str)


TEMPLATE = b"""<task_template>
  <code>hostile_tpl</code><name>Hostile descriptions</name>
  <titles><en>Hotel description</en></titles>
  <product>
    <link href="/api/marketplace/v2/products/TextCreate" rel="product" type="application/xml"/>
    <attributes><code>textcreate_language</code><value>en</value></attributes>
    <attributes><code>textcreate_text_length</code><value>100#160</value></attributes>
    <attributes><code>textcreate_proof_read</code><value>textcreate_proof_no</value></attributes>
  </product>
  <form>
    <elements><type>url</type><code>link_to_hotel</code><titles><en>Link</en></titles>
      <is_output>false</is_output><is_mandatory>true</is_mandatory></elements>
    <elements><type>text_area</type><code>paragraph_bottom</code><titles><en>Text</en></titles>
      <is_output>true</is_output><is_mandatory>true</is_mandatory></elements>
  </form>
</task_template>"""


def clickworker_task(**changes: Any) -> dict[str, Any]:
    """A task of the sandbox's template, as a JSON client sends it (fields changed as given)."""
    task = {
        "customer_ref": "ref-1",
        "template": {"link": {"href": "/api/marketplace/v2/customer/task_templates/hostile_tpl",
                              "rel": "task_template", "type": "application/json"}},
        "input": {"items": [{"code": "link_to_hotel", "content": "http://hotel.example"}]},
        **changes,
    }  # fmt: skip
    return {"task": task}


# -- the sandbox -----------------------------------------------------------------------------


class Sandbox:
    """A running app with a tenant of every vendor holding a resource or two."""

    def __init__(self, client: TestClient) -> None:
        self.client = client
        self.vendors = {
            vendor.name: vendor
            for vendor in (self._cloudfactory(), self._crowdflower(), self._clickworker())
        }
        self.vendors["modelarts"] = self._modelarts()
        for vendor in self.vendors.values():
            vendor.json_routes = list(json_routes(client, vendor.name))

    def _ok(self, response: httpx.Response) -> Document:
        assert response.status_code < 300, response.text
        return response.json()

    def _cloudfactory(self) -> Vendor:
        c = self.client
        headers = {"x-api-key": "cf-key"}
        media = self._ok(
            c.post("/cloudfactory/v1/media", json={"configuration_id": "cfg-1"}, headers=headers)
        )
        uploaded = c.put(media["media_upload_url"], content=b"\x89PNG hostile")
        assert uploaded.status_code == 200, uploaded.text
        task = self._ok(
            c.post(
                "/cloudfactory/v1/tasks",
                json={
                    "configuration_id": "cfg-1",
                    "media_key": media["media_key"],
                    "callback_url": HOOK,
                    "context_metadata": [{"key": "batch", "value": "one"}],
                },
                headers=headers,
            )
        )
        ids = {"workstream_id": "ws-1", "task_id": task["task_id"]}
        return Vendor(
            "cloudfactory",
            headers,
            ids,
            "cloudfactory:cf-key",
            [
                "/cloudfactory/v1/tasks",
                f"/cloudfactory/v1/tasks/{task['task_id']}",
                "/_mock/cloudfactory/workstreams/ws-1/records?tenant=cloudfactory:cf-key",
            ],
            cloudfactory_refusal,
        )

    def _crowdflower(self) -> Vendor:
        c = self.client
        headers = {"Authorization": 'Token token="cf-hostile"'}
        job = self._ok(
            c.post(
                "/crowdflower/v1/jobs.json",
                json={"job": {"title": "A hostile job"}},
                headers=headers,
            )
        )
        base = f"/crowdflower/v1/jobs/{job['id']}"
        unit = self._ok(
            c.post(f"{base}/units.json", json={"unit": {"data": {"text": "a"}}}, headers=headers)
        )
        ids = {"job_id": str(job["id"]), "unit_id": str(unit["id"])}
        return Vendor(
            "crowdflower",
            headers,
            ids,
            "crowdflower:cf-hostile",
            ["/crowdflower/v1/jobs.json", f"{base}.json", f"{base}/units.json"],
            crowdflower_refusal,
        )

    def _clickworker(self) -> Vendor:
        c = self.client
        token = base64.b64encode(b"hostile:secret").decode()
        headers = {"Authorization": f"Basic {token}", "Accept": "application/json"}
        xml = {**headers, "Content-Type": "application/xml"}
        self._ok(c.post(f"{CLICKWORKER}/customer/task_templates", content=TEMPLATE, headers=xml))
        task = self._ok(
            c.post(f"{CLICKWORKER}/customer/tasks", json=clickworker_task(), headers=headers)
        )
        return Vendor(
            "clickworker",
            headers,
            {"task_id": str(task["task_response"]["task"]["id"]), "code": "hostile_tpl"},
            "clickworker:hostile",
            [
                f"{CLICKWORKER}/customer",
                f"{CLICKWORKER}/customer/tasks",
                f"{CLICKWORKER}/customer/task_templates",
                f"{CLICKWORKER}/customer/jobs",
            ],
            clickworker_refusal,
        )

    def _modelarts(self) -> Vendor:
        c = self.client
        identity = {"methods": ["password"], "password": {"user": {
            "name": "owner", "password": "pw", "domain": {"name": "acme"}}}}  # fmt: skip
        issued = c.post(
            "/modelarts/v3/auth/tokens",
            json={"auth": {"identity": identity, "scope": {"project": {"id": PROJECT}}}},
        )
        assert issued.status_code == 201, issued.text
        headers = {"X-Auth-Token": issued.headers["X-Subject-Token"]}
        base = f"/modelarts/v2/{PROJECT}/datasets"
        dataset = self._ok(
            c.post(
                base,
                json={
                    "dataset_name": "hostile",
                    "data_sources": [{"data_type": 0, "data_path": "/bucket/input/hostile/"}],
                    "work_path": "/bucket/output/",
                    "work_path_type": 0,
                },
                headers=headers,
            )
        )
        dataset_id = dataset["dataset_id"]
        samples = f"{base}/{dataset_id}/data-annotations/samples"
        self._ok(
            c.post(
                samples,
                json={"samples": [{"name": "one.jpg", "data": base64.b64encode(b"jpg").decode()}]},
                headers=headers,
            )
        )
        return Vendor(
            "modelarts",
            headers,
            {"project_id": PROJECT, "dataset_id": dataset_id},
            f"modelarts:{PROJECT}",
            [base, f"{base}/{dataset_id}", samples, f"/modelarts/v2/{PROJECT}/workforces"],
            modelarts_refusal,
        )

    # -- whole-server checks -------------------------------------------------------------------

    def everything(self) -> dict[str, list[Document]]:
        """Every tenant's state, and the deliveries of every tenant."""
        seen = {name: vendor.state(self.client) for name, vendor in self.vendors.items()}
        deliveries = self.client.get("/_mock/webhooks/deliveries")
        assert deliveries.status_code == 200, deliveries.text
        seen["deliveries"] = [deliveries.json()]
        return seen

    def assert_healthy(self) -> None:
        """The server answers, lists every tenant's deliveries and can be snapshotted."""
        c = self.client
        assert c.get("/_mock/health").status_code == 200
        assert c.get("/_mock/webhooks/deliveries").status_code == 200
        snapshot = c.post("/_mock/snapshot", json={"name": "hostile"})
        assert snapshot.status_code == 201, snapshot.text
        for vendor in self.vendors.values():
            vendor.state(c)


def json_routes(client: TestClient, vendor: str) -> Iterator[tuple[str, str]]:
    """(method, path) of every route of ``vendor`` that reads a JSON body.

    Routes come from the vendor's published OpenAPI document. CrowdFlower takes a JSON
    body of the same shape as its form parameters on every route (its document
    declares none), so each of its POST and PUT routes counts.
    """
    document = client.get(f"/{vendor}/openapi.json").json()
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            if method not in METHODS or method.upper() not in BODY_METHODS:
                continue
            content = operation.get("requestBody", {}).get("content", {})
            if vendor == "crowdflower" or any("json" in kind for kind in content):
                yield method.upper(), path


def admin_json_routes(client: TestClient) -> list[tuple[str, str]]:
    document = client.get("/_mock/openapi.json").json()
    return [
        (method.upper(), path)
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
        if method in METHODS
        and any("json" in k for k in operation.get("requestBody", {}).get("content", {}))
    ]


def sandbox() -> Iterator[Sandbox]:
    """A fresh sandbox on a manual clock, without rate limits (the tests send thousands
    of requests), with webhooks answered 200 in-process."""
    app = create_app(
        Settings(clock="manual", seed=13, epoch="2024-05-01T10:00:00Z", rate_limits=False),
        webhook_transport=httpx.MockTransport(lambda request: httpx.Response(200)),
    )
    with TestClient(app, raise_server_exceptions=False) as client:
        yield Sandbox(client)

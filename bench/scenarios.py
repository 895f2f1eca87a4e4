"""What each vendor is benchmarked on, as its real clients call it.

For every vendor: :meth:`VendorBench.prepare` creates a tenant and a resource and
answers the two requests that load runs repeat (a stateful GET, a validated
state-changing POST), and :meth:`VendorBench.lifecycle` walks one resource from
creation to its final webhook on the simulated clock. The lifecycles use a tenant of
their own, so advancing its clock never wakes the thousands of resources the POST runs
created.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import itertools
import json
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import httpx

from mockserver.core.xmlwire import parse_xml
from mockserver.vendors.clickworker.envelope import LISTS
from mockserver.vendors.modelarts.signing import ALGORITHM, canonical_request

from .load import RequestSpec

VENDORS = ("cloudfactory", "crowdflower", "clickworker", "modelarts")
_SERIAL = itertools.count()  # lifecycle tenants are new every time, across runs of a server


def check_status(response: httpx.Response, *statuses: int) -> httpx.Response:
    if response.status_code not in (statuses or (200,)):
        raise RuntimeError(
            f"{response.request.method} {response.request.url} answered "
            f"{response.status_code}: {response.text[:300]}"
        )
    return response


def root(client: httpx.Client) -> str:
    """The server's URL without a trailing slash, for absolute URLs a load generator sends."""
    return str(client.base_url).rstrip("/")


def advance(client: httpx.Client, tenant: str, seconds: float) -> None:
    check_status(client.post("/_mock/clock/advance", json={"seconds": seconds, "tenant": tenant}))


def hooks_received(client: httpx.Client, receiver: str, since: int = 0) -> tuple[int, list[str]]:
    answer = check_status(client.get(f"{receiver}/received", params={"since": since})).json()
    return answer["count"], answer["bodies"]


def wait_for_hooks(
    client: httpx.Client, receiver: str, tenant: str, count: int, step: float, steps: int = 48
) -> list[str]:
    """Advances ``tenant``'s clock ``step`` at a time until ``count`` webhooks are in."""
    for _ in range(steps):
        received, bodies = hooks_received(client, receiver)
        if received >= count:
            return bodies
        advance(client, tenant, step)
    raise RuntimeError(f"{tenant}: {count} webhooks expected, {received} arrived")


class VendorBench:
    """One vendor's scenarios; subclasses fill in the vendor's own calls."""

    name = ""

    def prepare(self, client: httpx.Client) -> dict[str, RequestSpec]:
        """Answers ``{"get": ..., "post": ...}`` against a prepared tenant."""
        raise NotImplementedError

    def lifecycle(self, client: httpx.Client, receiver: str, index: int) -> int:
        """One full lifecycle; answers how many webhooks it received."""
        raise NotImplementedError

    def refresh(self, spec: RequestSpec) -> RequestSpec:
        """The spec to load next; a signed request is signed again (see ModelArts)."""
        return spec


# -- CloudFactory ----------------------------------------------------------------------------------

CF_CONFIGURATION = "e3404e84-db35-43a4-9144-d3588a4beb28"
CF_WORKSTREAM = "345d6802-0efa-46de-a73c-6c24f094dfcf"
CF_REVIEW = {
    "workstream_id": CF_WORKSTREAM,
    "use_case_id": "rr3d6802-0efa-46de-a73c-6c24f094dfcf",
    "task_definition_id": "032d6802-0efa-46de-a73c-6c24f094dfcf",
    "worker_id": "test_worker@cf.com",
    "review_completed_at": "2020-12-22T10:13:24.127Z",
    "review_score": 0.78,
}


class CloudFactory(VendorBench):
    name = "cloudfactory"

    def register(self, client: httpx.Client, key: str) -> None:
        setup = {"configurations": [{"id": CF_CONFIGURATION, "webhook_secret": "whsec-bench"}]}
        check_status(
            client.post(
                "/_mock/tenants", json={"vendor": self.name, "credential": key, "setup": setup}
            ),
            201,
        )

    def task(self, client: httpx.Client, key: str, callback: str) -> str:
        headers = {"x-api-key": key}
        media = check_status(
            client.post(
                "/cloudfactory/v1/media",
                headers=headers,
                json={"configuration_id": CF_CONFIGURATION, "content_type": "image/png"},
            )
        ).json()
        check_status(
            client.put(
                media["media_upload_url"],
                content=b"\x89PNG bench",
                headers={"Content-Type": "image/png"},
            )
        )
        task = check_status(
            client.post(
                "/cloudfactory/v1/tasks",
                headers=headers,
                json={
                    "media_key": media["media_key"],
                    "configuration_id": CF_CONFIGURATION,
                    "callback_url": callback,
                    "media_type": "image",
                    "tags": [{"confidence_score": 0.8, "value": "Pothole"}],
                    "context_metadata": [{"key": "uid", "value": "img-1"}],
                },
            )
        ).json()
        task_id: str = task["task_id"]
        return task_id

    def prepare(self, client: httpx.Client) -> dict[str, RequestSpec]:
        key = "BENCHCFLOAD0000000001"
        self.register(client, key)
        task = self.task(client, key, "http://127.0.0.1:9/unused")
        base = f"{root(client)}/cloudfactory/v1"
        headers = {"x-api-key": key}
        return {
            "get": RequestSpec("GET", f"{base}/tasks/{task}", headers),
            "post": RequestSpec(
                "POST",
                f"{base}/workstreams/{CF_WORKSTREAM}/task_reviewed",
                {**headers, "Content-Type": "application/json"},
                json.dumps(CF_REVIEW).encode(),
                expect=202,
            ),
        }

    def lifecycle(self, client: httpx.Client, receiver: str, index: int) -> int:
        key = f"BENCHCFLIFE{index:010d}"
        self.register(client, key)
        before, _ = hooks_received(client, receiver)
        task = self.task(client, key, f"{receiver}/hooks/cloudfactory")
        tenant = f"{self.name}:{key}"
        for _ in range(18):
            advance(client, tenant, 600)
            state = check_status(
                client.get(f"/cloudfactory/v1/tasks/{task}", headers={"x-api-key": key})
            ).json()["state"]
            if state == "completed":
                break
        else:
            raise RuntimeError(f"cloudfactory task {task} did not complete")
        after, _ = hooks_received(client, receiver)
        return after - before


# -- CrowdFlower -----------------------------------------------------------------------------------

CF8_CML = (
    '<cml:radios label="Sentiment" validates="required">'
    '<cml:radio label="Positive" value="pos"/><cml:radio label="Negative" value="neg"/>'
    "</cml:radios>"
)
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


class CrowdFlower(VendorBench):
    name = "crowdflower"

    def register(self, client: httpx.Client, key: str, unit_limit: int) -> None:
        check_status(
            client.post(
                "/_mock/tenants",
                json={"vendor": self.name, "credential": key, "setup": {"unit_limit": unit_limit}},
            ),
            201,
        )

    def job(self, client: httpx.Client, key: str, hook: str | None = None) -> int:
        form = {
            "job[title]": "Tweet sentiment",
            "job[instructions]": "Is it positive?",
            "job[cml]": CF8_CML,
        }
        if hook:
            form["job[webhook_uri]"] = hook
        job = check_status(client.post("/crowdflower/v1/jobs.json", params={"key": key}, data=form))
        job_id: int = job.json()["id"]
        return job_id

    def prepare(self, client: httpx.Client) -> dict[str, RequestSpec]:
        key = "benchcrowdflowerload01"
        self.register(client, key, 10_000_000)
        job = self.job(client, key)
        unit = check_status(
            client.post(
                f"/crowdflower/v1/jobs/{job}/units.json",
                params={"key": key},
                data={"unit[data][text]": "first row"},
            )
        ).json()
        base = f"{root(client)}/crowdflower/v1/jobs/{job}"
        return {
            "get": RequestSpec("GET", f"{base}/units/{unit['id']}.json?key={key}"),
            "post": RequestSpec(
                "POST",
                f"{base}/units.json?key={key}",
                FORM,
                b"unit%5Bdata%5D%5Btext%5D=a+new+row&unit%5Bdata%5D%5Bn%5D=7",
            ),
        }

    def lifecycle(self, client: httpx.Client, receiver: str, index: int) -> int:
        key = f"benchcf8life{index:010d}"
        self.register(client, key, 1000)
        before, _ = hooks_received(client, receiver)
        job = self.job(client, key, f"{receiver}/hooks/crowdflower")
        rows = "tweet\n" + "".join(f"tweet {i}\n" for i in range(3))
        check_status(
            client.put(
                f"/crowdflower/v1/jobs/{job}/upload.json",
                params={"key": key, "force": "true"},
                content=rows,
                headers={"Content-Type": "text/csv"},
            )
        )
        check_status(
            client.post(
                f"/crowdflower/v1/jobs/{job}/orders.json",
                params={"key": key},
                data={"channels[0]": "on_demand", "debit[units_count]": "3"},
            )
        )
        tenant = f"{self.name}:{key}"
        for _ in range(48):
            advance(client, tenant, 1800)
            shown = check_status(
                client.get(f"/crowdflower/v1/jobs/{job}.json", params={"key": key})
            )
            if shown.json()["state"] == "finished":
                break
        else:
            raise RuntimeError(f"crowdflower job {job} did not finish")
        after, _ = hooks_received(client, receiver)
        return after - before


# -- clickworker -----------------------------------------------------------------------------------

CW_API = "/clickworker/api/marketplace/v2"
CW_XML = {"Accept": "application/xml", "Content-Type": "application/xml; charset=utf-8"}
CW_TEMPLATE = b"""<task_template>
  <code>bench_tpl</code>
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
CW_TASK = """<task>
  <customer_ref>ref-1</customer_ref>
  <template>
    <link href="/api/marketplace/v2/customer/task_templates/bench_tpl" rel="task_template"
          type="application/xml"/>
  </template>
  <input><items><code>link_to_hotel</code><content>http://www.myhotel.com</content></items></input>
  <notifications><event>CUSTOMER_INPUT_REQUIRED</event><callback_url>{hook}</callback_url>
    <callback_method>POST</callback_method><payload_format>XML</payload_format></notifications>
  <notifications><event>TASK_COMPLETED</event><callback_url>{hook}</callback_url>
    <callback_method>POST</callback_method><payload_format>XML</payload_format></notifications>
</task>"""
CW_APPROVAL = b"<job><input><items><code>accepted</code><content>1</content></items></input></job>"


def clickworker_task(client: httpx.Client, headers: dict[str, str], hook: str) -> str:
    """A task of template ``bench_tpl`` notifying ``hook``; answers its id."""
    body = CW_TASK.format(hook=hook).encode()
    created = check_status(client.post(f"{CW_API}/customer/tasks", content=body, headers=headers))
    task: str = parse_xml(created.content, lists=LISTS)["task_response"]["task"]["id"]
    return task


def _basic(user: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:secret".encode()).decode()


class Clickworker(VendorBench):
    name = "clickworker"

    def _customer(self, client: httpx.Client, user: str) -> dict[str, str]:
        check_status(
            client.post(
                "/_mock/tenants",
                json={"vendor": self.name, "credential": user, "setup": {"balance": 10**9}},
            ),
            201,
        )
        headers = {**CW_XML, "Authorization": _basic(user)}
        check_status(
            client.post(f"{CW_API}/customer/task_templates", content=CW_TEMPLATE, headers=headers)
        )
        return headers

    def prepare(self, client: httpx.Client) -> dict[str, RequestSpec]:
        headers = self._customer(client, "benchload")
        task = clickworker_task(client, headers, "http://127.0.0.1:9/unused")
        body = CW_TASK.format(hook="http://127.0.0.1:9/unused").encode()
        base = f"{root(client)}{CW_API}/customer/tasks"
        return {
            "get": RequestSpec("GET", f"{base}/{task}", headers),
            "post": RequestSpec("POST", base, headers, body),
        }

    def lifecycle(self, client: httpx.Client, receiver: str, index: int) -> int:
        user = f"benchlife{index}"
        headers = self._customer(client, user)
        tenant = f"{self.name}:{user}"
        before, _ = hooks_received(client, receiver)
        body = CW_TASK.format(hook=f"{receiver}/hooks/clickworker").encode()
        check_status(client.post(f"{CW_API}/customer/tasks", content=body, headers=headers))
        bodies = wait_for_hooks(client, receiver, tenant, before + 1, 3600)
        note = parse_xml(bodies[before].encode(), lists=LISTS)["notification"]
        job_url = note["job"]["link"][0]["href"]
        check_status(client.put(job_url, content=CW_APPROVAL, headers=headers))
        wait_for_hooks(client, receiver, tenant, before + 2, 3600)
        after, _ = hooks_received(client, receiver)
        return after - before


# -- ModelArts -------------------------------------------------------------------------------------

MA_PROJECT = "0123456789abcdef0123456789abcdef"
MA_AK, MA_SK = "BENCHACCESSKEY", "bench-secret-key"
MA_DATASET = {
    "dataset_name": "bench",
    "dataset_type": 0,
    "work_path_type": 0,
    "data_sources": [{"data_type": 0, "data_path": "/bench/in/"}],
    "work_path": "/bench/out/",
    "labels": [{"name": "cat", "type": 0}, {"name": "dog", "type": 0}],
}
MA_SAMPLE = base64.b64encode(b"\x89PNG tiny").decode()


def modelarts_token(client: httpx.Client, project: str = MA_PROJECT) -> str:
    issued = check_status(
        client.post(
            "/modelarts/v3/auth/tokens",
            json={
                "auth": {
                    "identity": {
                        "methods": ["password"],
                        "password": {
                            "user": {"name": "bench", "password": "x", "domain": {"name": "bench"}}
                        },
                    },
                    "scope": {"project": {"id": project}},
                }
            },
        ),
        201,
    )
    return issued.headers["x-subject-token"]


def sign(method: str, url: str, body: bytes, headers: dict[str, str]) -> dict[str, str]:
    """SDK-HMAC-SHA256 as the Huawei SDK signs, with ``X-Sdk-Date`` = now.

    wrk cannot re-sign each request, so the load runs replay this one signature; the
    server accepts a date up to 15 minutes off, and every run signs afresh.
    """
    parts = urlsplit(url)
    date = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    signed_headers = {**headers, "Host": parts.netloc, "X-Sdk-Date": date}
    names = tuple(sorted(k.lower() for k in signed_headers))
    canonical = canonical_request(method, parts.path, parts.query, signed_headers, names, body)
    digest = hashlib.sha256(canonical.encode()).hexdigest()
    to_sign = f"{ALGORITHM}\n{date}\n{digest}"
    signature = hmac.new(MA_SK.encode(), to_sign.encode(), hashlib.sha256).hexdigest()
    authorization = (
        f"{ALGORITHM} Access={MA_AK}, SignedHeaders={';'.join(names)}, Signature={signature}"
    )
    return {**signed_headers, "Authorization": authorization}


class ModelArts(VendorBench):
    name = "modelarts"

    def _dataset(
        self, client: httpx.Client, headers: dict[str, str], project: str = MA_PROJECT
    ) -> str:
        created = check_status(
            client.post(f"/modelarts/v2/{project}/datasets", json=MA_DATASET, headers=headers),
            200,
            201,
        )
        dataset: str = created.json()["dataset_id"]
        return dataset

    def prepare(self, client: httpx.Client) -> dict[str, RequestSpec]:
        check_status(
            client.post(
                "/_mock/modelarts/credentials",
                json={"ak": MA_AK, "sk": MA_SK, "project_id": MA_PROJECT},
            ),
            201,
        )
        token = {"X-Auth-Token": modelarts_token(client)}
        dataset = self._dataset(client, token)
        base = f"{root(client)}/modelarts/v2/{MA_PROJECT}/datasets/{dataset}"
        return {"get": RequestSpec("GET", base, token), "post": self.signed_post(base)}

    def refresh(self, spec: RequestSpec) -> RequestSpec:
        if spec.method != "POST":
            return spec
        return self.signed_post(spec.url.removesuffix("/data-annotations/samples"))

    @staticmethod
    def signed_post(base: str) -> RequestSpec:
        """UploadSamplesJson of one labeled sample, signed now (see :func:`sign`).

        The sample has no name, so it is named after its new id: every request stores
        one more sample (a named one would be refused as existing from the second on).
        """
        url = f"{base}/data-annotations/samples"
        body = json.dumps({"samples": [{"data": MA_SAMPLE, "labels": [{"name": "cat"}]}]}).encode()
        headers = sign("POST", url, body, {"Content-Type": "application/json"})
        return RequestSpec("POST", url, headers, body, showing=b'"results":[{"success":true')

    def lifecycle(self, client: httpx.Client, receiver: str, index: int) -> int:
        """ModelArts sends no webhooks: a dataset (whose creation imports its input path),
        advance, poll the import, list the samples."""
        project = f"{index:032x}"
        headers = {"X-Auth-Token": modelarts_token(client, project)}
        tenant = f"{self.name}:{project}"
        base = f"/modelarts/v2/{project}/datasets"
        created = check_status(client.post(base, json=MA_DATASET, headers=headers), 201).json()
        dataset, task = created["dataset_id"], created["import_task_id"]
        for _ in range(48):
            advance(client, tenant, 60)
            shown = check_status(
                client.get(f"{base}/{dataset}/import-tasks/{task}", headers=headers)
            )
            if shown.json()["status"] == "COMPLETED":
                break
        else:
            raise RuntimeError(f"modelarts import {task} did not complete")
        check_status(
            client.get(
                f"{base}/{dataset}/data-annotations/samples", headers=headers, params={"limit": 10}
            )
        )
        return 0


BENCHES: dict[str, VendorBench] = {
    b.name: b for b in (CloudFactory(), CrowdFlower(), Clickworker(), ModelArts())
}


def lifecycles_per_second(
    bench: VendorBench,
    client: httpx.Client,
    receiver: str,
    duration: float,
    clock: Callable[[], float] = time.perf_counter,
) -> dict[str, Any]:
    """Lifecycles back to back, one client, for ``duration`` (at least one)."""
    started = clock()
    count = hooks = 0
    while count == 0 or clock() - started < duration:
        hooks += bench.lifecycle(client, receiver, next(_SERIAL))
        count += 1
    elapsed = clock() - started
    return {
        "generator": "httpx",
        "lifecycles": count,
        "seconds": elapsed,
        "lifecycles_per_s": count / elapsed,
        "webhooks": hooks,
    }


def webhook_deliveries(client: httpx.Client, receiver: str, units: int, key: str) -> dict[str, Any]:
    """A CrowdFlower job of ``units`` rows run to the end: its webhooks per second.

    The clock is advanced half an hour at a time until the job finishes; each advance
    returns once the webhooks it caused had their first attempt, so the summed advance
    time bounds the delivery rate from below (it includes simulating the crowd).
    """
    check_status(
        client.post(
            "/_mock/tenants",
            json={"vendor": "crowdflower", "credential": key, "setup": {"unit_limit": units + 1}},
        ),
        201,
    )
    job = CrowdFlower().job(client, key, f"{receiver}/hooks/deliveries")
    rows = "tweet\n" + "".join(f"tweet {i}\n" for i in range(units))
    check_status(
        client.put(
            f"/crowdflower/v1/jobs/{job}/upload.json",
            params={"key": key},
            content=rows,
            headers={"Content-Type": "text/csv"},
        )
    )
    check_status(
        client.post(
            f"/crowdflower/v1/jobs/{job}/orders.json",
            params={"key": key},
            data={"channels[0]": "on_demand", "debit[units_count]": str(units)},
        )
    )
    before, _ = hooks_received(client, receiver)
    tenant, seconds = f"crowdflower:{key}", 0.0
    for _ in range(200):
        started = time.perf_counter()
        advance(client, tenant, 1800)
        seconds += time.perf_counter() - started
        shown = check_status(client.get(f"/crowdflower/v1/jobs/{job}.json", params={"key": key}))
        if shown.json()["state"] == "finished":
            break
    after, _ = hooks_received(client, receiver)
    delivered = after - before
    return {
        "generator": "httpx",
        "units": units,
        "deliveries": delivered,
        "advance_seconds": seconds,
        "deliveries_per_s": delivered / seconds,
    }

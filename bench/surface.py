"""Every GET each vendor serves, set up on a server and recorded for the load runs.

The rows are read from the vendors' own route tables: each GET route, and each public
path a vendor answers without a credential, in every media type the route answers
(clickworker's XML and JSON, chosen by ``Accept``). A route added to a vendor becomes
a row here without anyone listing it; what this module knows per vendor is only how to
set up one tenant holding one of each resource (the bundled fixtures, loaded through
``POST /_mock/fixtures/NAME``, and the vendor's own create calls) and where the ids of
those resources are found.

A path parameter is filled from the context's values by the longest key that the
route, up to and including the parameter, ends with: ``{task_id}`` serves any route,
``import-tasks/{task_id}`` only an import task's. A row whose parameter has no value,
or whose repeated call answers other than 200, is kept as *not measured* with the
reason, never dropped.

A GET that changes what it shows (CrowdFlower's ``pause``, ``copy``, ``units/split``)
runs in a tenant of its own, so repeating it during a load run never changes what
another row's recorded answer says. Each row records the answer to a *repeated* call,
which is what the load sends over and over.
"""

from __future__ import annotations

import base64
import itertools
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from starlette.routing import Route

from mockserver.app import VENDORS
from mockserver.core.contract import JSON, contract_of
from mockserver.core.vendor import Vendor

from . import scenarios
from .load import RequestSpec

PLACEHOLDER = re.compile(r"\{(\w+)(?::\w+)?\}")
_SERIAL = itertools.count(1)


@dataclass(frozen=True)
class Recorded:
    """What the mock answered, for the bare app to answer byte for byte."""

    status: int
    content_type: str
    body: bytes


@dataclass
class Row:
    """One GET of one vendor in one media type, measured or not (then ``reason`` says why)."""

    vendor: str
    route: str
    media: str  # json, xml, ...: the subtype the request's Accept asks for
    spec: RequestSpec | None = None
    recorded: Recorded | None = None
    reason: str = ""
    note: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "vendor": self.vendor,
            "route": self.route,
            "media": self.media,
            "url": self.spec.url if self.spec else None,
            "measured": self.recorded is not None,
            "reason": self.reason,
            "note": self.note,
        }


@dataclass
class Context:
    """A tenant's credentials, the ids of its resources, and the queries some routes need."""

    headers: dict[str, str]
    values: Mapping[str, str | int]
    credential_query: str = ""

    def fill(self, route: str) -> str:
        """The route with every parameter filled in; ``KeyError`` names one that has none."""

        def value(match: re.Match[str]) -> str:
            upto = route[: match.end()]
            keys = [k for k in self.values if upto.endswith(k)]
            if not keys:
                raise KeyError(match.group(1))
            return str(self.values[max(keys, key=len)])

        return PLACEHOLDER.sub(value, route)


def get_routes(vendor: Vendor) -> list[tuple[str, tuple[str, ...]]]:
    """Every GET the vendor serves, with the media types to ask it for.

    Where the vendor answers in the type ``Accept`` asks for (its API's media types),
    each is a row; a route answering a type of its own (a CSV, a zip) is one row.
    """
    found = []
    for route in vendor.routes:
        if isinstance(route, Route) and "GET" in (route.methods or ()):
            produces = contract_of(route.endpoint).produces
            found.append((route.path, produces[:1] or vendor.api.media_types))
    found += [(path, vendor.api.media_types[:1]) for path in vendor.public_paths]
    return found


def vendor(name: str) -> Vendor:
    return next(ref for ref in VENDORS if ref.name == name).load()


def route_of(vendor: Vendor, method: str, url: str) -> str:
    """The route template a request to ``url`` is served by (for the report's rows)."""
    path = httpx.URL(url).path.removeprefix(f"/{vendor.name}")
    for pattern, replacement in vendor.path_rewrites:
        path = pattern.sub(replacement, path)
    for route in vendor.routes:
        if isinstance(route, Route) and method in (route.methods or ()):
            if route.path_regex.fullmatch(path):
                return route.path
    return path


def _ok(response: httpx.Response, *statuses: int) -> Any:
    """The answer's JSON, once its status is one of ``statuses`` (200 when none)."""
    return scenarios.check_status(response, *statuses).json()


def load_fixture(client: httpx.Client, name: str) -> dict[str, Any]:
    captured: dict[str, Any] = _ok(client.post(f"/_mock/fixtures/{name}"), 201)["captured"]
    return captured


class VendorSurface:
    """How one vendor's GETs are set up; subclasses know the vendor's resources."""

    name = ""
    queries: dict[str, str] = {}  # route -> what its query must hold to answer 200
    changing: frozenset[str] = frozenset()  # GETs that change what other GETs show

    def shared(self, client: httpx.Client) -> Context:
        raise NotImplementedError

    def own(self, client: httpx.Client) -> Context:
        """A tenant of its own, for one of the ``changing`` routes."""
        raise NotImplementedError

    def path(self, route: str) -> str:
        """The route's path as clients send it below the vendor's mount."""
        return route

    def status(self, route: str) -> int:
        """The status the route answers when it serves what was asked."""
        return 200


class CloudFactory(VendorSurface):
    name = "cloudfactory"
    changing = frozenset({"/v1/workstreams/{workstream_id}/upload_url"})  # a new upload each

    def shared(self, client: httpx.Client) -> Context:
        return self._tenant(client, "BENCHCFGETS")

    def own(self, client: httpx.Client) -> Context:
        return self._tenant(client, "BENCHCFOWN")

    def _tenant(self, client: httpx.Client, prefix: str) -> Context:
        bench = scenarios.CloudFactory()
        key = f"{prefix}{next(_SERIAL):010d}"
        bench.register(client, key)
        task = bench.task(client, key, "http://127.0.0.1:9/unused")
        values = {"{task_id}": task, "{workstream_id}": scenarios.CF_WORKSTREAM}
        return Context({"x-api-key": key}, values)


class CrowdFlower(VendorSurface):
    name = "crowdflower"
    queries = {"/v1/jobs/{job_id}/units/split": "on=text"}
    changing = frozenset(
        {
            "/v1/jobs/{job_id}/copy",
            "/v1/jobs/{job_id}/pause",
            "/v1/jobs/{job_id}/resume",
            "/v1/jobs/{job_id}/cancel",
            "/v1/jobs/{job_id}/units/split",
            "/v1/jobs/{job_id}/units/{unit_id}/cancel",
            "/v1/jobs/{job_id}/units/{unit_id}/copy",
        }
    )
    KEY = "crowdflower-fixture-key"  # the tenants fixture's

    def shared(self, client: httpx.Client) -> Context:
        """The running job of the bundled fixture, an hour on: judgments in, CSV made."""
        captured = load_fixture(client, "crowdflower-running-job")
        job = captured["job_id"]
        scenarios.advance(client, f"{self.name}:{self.KEY}", 3600)
        query = {"key": self.KEY}
        units = _ok(client.get(f"/crowdflower/v1/jobs/{job}/units.json", params=query))
        judged = _ok(client.get(f"/crowdflower/v1/jobs/{job}/judgments.json", params=query))
        values = {
            "{job_id}": job,
            "{order_id}": captured["order_id"],
            "{unit_id}": next(iter(units)),
            "{judgment_id}": next(iter(judged.values()))["_ids"][0],
        }
        return Context({}, values, f"key={self.KEY}")

    def own(self, client: httpx.Client) -> Context:
        """A new job of one unit, in a tenant that opens with its key."""
        key = f"benchcfown{next(_SERIAL):010d}"
        job = scenarios.CrowdFlower().job(client, key)
        unit = _ok(
            client.post(
                f"/crowdflower/v1/jobs/{job}/units.json",
                params={"key": key},
                data={"unit[data][text]": "first row"},
            )
        )
        return Context({}, {"{job_id}": job, "{unit_id}": unit["id"]}, f"key={key}")

    def path(self, route: str) -> str:
        """As the vendor's clients call it: ``.json`` unless the route names its format."""
        return route if route.endswith(".csv") else f"{route}.json"


class Clickworker(VendorSurface):
    name = "clickworker"
    queries = {
        "/api/marketplace/v2/clickworkers": "api_method=count_in_radius&latitude=52.52"
        "&longitude=13.40&r=50"
    }

    def shared(self, client: httpx.Client) -> Context:
        """The bundled buyoff (a job waiting for its customer), and a task with
        notifications (the fixture's has none), six hours on: its worker has written."""
        captured = load_fixture(client, "clickworker-buyoff")
        auth = "Basic " + base64.b64encode(b"fixture-customer:fixture-secret").decode()
        headers = {**scenarios.CW_XML, "Authorization": auth}
        api = scenarios.CW_API
        scenarios.check_status(
            client.post(
                f"{api}/customer/task_templates", content=scenarios.CW_TEMPLATE, headers=headers
            )  # fmt: skip
        )
        task = scenarios.clickworker_task(client, headers, "http://127.0.0.1:9/unused")
        scenarios.advance(client, f"{self.name}:fixture-customer", 6 * 3600)  # notified
        listed = client.get(
            f"{api}/customer/tasks/{task}/notifications",
            headers={**headers, "Accept": JSON},
        )
        notes = _ok(listed)["notifications_response"]["notifications"]
        values = {
            "{task_id}": task,
            "{job_id}": captured["job_id"],
            "products/{code}": "TextCreate",
            "task_templates/{code}": "bench_tpl",
            # a notification is known by its self link only
            "{notification_id}": notes[0]["link"][0]["href"].rsplit("/", 1)[1] if notes else "",
        }
        return Context({"Authorization": auth}, {k: v for k, v in values.items() if v})


class ModelArts(VendorSurface):
    name = "modelarts"
    PROJECT = "0123456789abcdef0123456789abcdef"  # the tenants fixture's

    def status(self, route: str) -> int:
        """IAM's version discovery answers 300 Multiple Choices, as Keystone does."""
        return 300 if route in ("", "/") else 200

    def shared(self, client: httpx.Client) -> Context:
        """The bundled team task under acceptance, and one of each other task kind on
        its dataset, run to the end on the tenant's clock."""
        captured = load_fixture(client, "modelarts-acceptance")
        headers = {"X-Auth-Token": captured["token"]}
        base = f"/modelarts/v2/{self.PROJECT}"
        dataset = captured["dataset_id"]
        workforce = captured["workforce_id"]

        def post(path: str, body: dict[str, Any]) -> Any:
            return _ok(client.post(base + path, json=body, headers=headers), 200, 201)

        def get(path: str) -> Any:
            return _ok(client.get(base + path, headers=headers))

        on = f"/datasets/{dataset}"
        version = post(f"{on}/versions", {})["version_id"]
        export = post(f"{on}/export-tasks", {"path": "obs://bucket/out/"})["task_id"]
        auto = post(f"{on}/tasks", {"task_type": "auto-label"})["task_id"]
        processing = {
            "name": "bench",
            "template": {"id": "sys_data_validation"},
            "inputs": [{"type": "DATASET", "source": dataset}],
        }
        processor = post("/processor-tasks", processing)["task_id"]
        processor_version = post(f"/processor-tasks/{processor}/versions", {})["version_id"]
        scenarios.advance(client, f"{self.name}:{self.PROJECT}", 3600)
        labeled = get(f"{on}/auto-annotations/samples")["samples"]
        values = {
            "{project_id}": self.PROJECT,
            "{dataset_id}": dataset,
            "{resource_id}": dataset,
            "{workforce_id}": workforce,
            "{workforce_task_id}": captured["task_id"],
            "{sample_id}": captured["sample_0"],
            "auto-annotations/samples/{sample_id}": labeled[0]["sample_id"] if labeled else "",
            "{worker_id}": get(f"/workforces/{workforce}/workers")["workers"][0]["worker_id"],
            "datasets/{dataset_id}/versions/{version_id}": version,
            "import-tasks/{task_id}": get(f"{on}/import-tasks")["import_tasks"][0]["task_id"],
            "export-tasks/{task_id}": export,
            "tasks/{task_id}": auto,
            "processor-tasks/{task_id}": processor,
            "processor-tasks/{task_id}/versions/{version_id}": processor_version,
        }
        return Context(headers, {k: v for k, v in values.items() if v})


SURFACES: dict[str, VendorSurface] = {
    s.name: s for s in (CloudFactory(), CrowdFlower(), Clickworker(), ModelArts())
}


def every_get(client: httpx.Client, vendors: list[str]) -> Iterator[Row]:
    """Every GET row of ``vendors``, set up on the server ``client`` talks to and recorded."""
    load_fixture(client, "tenants")
    for name in vendors:
        surface = SURFACES[name]
        shared = surface.shared(client)
        for route, media in get_routes(vendor(name)):
            context = surface.own(client) if route in surface.changing else shared
            for kind in media:
                yield _recorded(client, surface, context, route, kind)


def _recorded(
    client: httpx.Client, surface: VendorSurface, context: Context, route: str, media: str
) -> Row:
    row = Row(surface.name, route, media.rsplit("/", 1)[-1])
    try:
        path = context.fill(surface.path(route))
    except KeyError as missing:
        row.reason = f"no {{{missing.args[0]}}} was set up"
        return row
    query = "&".join(q for q in (context.credential_query, surface.queries.get(route)) if q)
    url = f"{scenarios.root(client)}/{surface.name}{path}" + (f"?{query}" if query else "")
    headers = {**context.headers, "Accept": media}
    row.spec = RequestSpec("GET", url, headers, expect=surface.status(route))
    first = _send(client, row.spec)
    again = _send(client, row.spec)
    if again.status_code != row.spec.expect:
        row.reason = f"a repeated call answers {again.status_code}: {again.text[:160]}"
        return row
    if first.status_code != again.status_code:
        row.note = f"the first call answered {first.status_code}; the load repeats it"
    elif first.content != again.content:
        row.note = "varies per call"  # a new id or copy each time; the bare app replays one
    row.recorded = record(again)
    return row


def record(response: httpx.Response) -> Recorded:
    return Recorded(
        response.status_code, response.headers.get("content-type", ""), response.content
    )


def _send(client: httpx.Client, spec: RequestSpec) -> httpx.Response:
    return client.request(spec.method, spec.url, headers=spec.headers, content=spec.body)


@dataclass
class Table:
    """What the bare app answers: the recorded answer of each (method, path, Accept)."""

    entries: list[dict[str, Any]] = field(default_factory=list)

    def add(self, spec: RequestSpec, recorded: Recorded) -> None:
        path = httpx.URL(spec.url).path
        self.entries.append(
            {
                "method": spec.method,
                "path": path,
                "accept": spec.headers.get("Accept", ""),
                "status": recorded.status,
                "content_type": recorded.content_type,
                "body": base64.b64encode(recorded.body).decode(),
            }
        )

    def write(self, path: Path) -> Path:
        path.write_text(json.dumps(self.entries))
        return path

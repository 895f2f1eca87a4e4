"""The request pipeline and the dispatcher, driven over HTTP with fake vendors.

Every refusal must come back in the vendor's own dialect (the fake vendor answers
``{"error": <class>, "message": ...}``), never as Starlette's plain text or a trace.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any

import pytest
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.testclient import TestClient
from starlette.types import Message, Receive, Scope, Send

from mockserver.core.context import SANDBOX, raw_header, route_path, tenant_of, vendor_of
from mockserver.core.errors import (
    Conflict,
    InternalError,
    MethodNotAllowed,
    MockError,
    NotFound,
    PayloadTooLarge,
)
from mockserver.core.journal import Journal
from mockserver.core.pipeline import (
    Journaling,
    VendorPipeline,
    VendorRouter,
    as_mock_error,
    read_body,
)
from mockserver.core.ratelimit import Policy
from mockserver.core.routing import ADMIN_PREFIX, VendorDispatch, host_name
from mockserver.core.sandbox import Sandbox
from mockserver.core.tenancy import TenantDefaults
from mockserver.core.vendor import Vendor
from mockserver.core.wire import JSONBody, read_json_object

KEY = {"x-api-key": "k"}

# -- the fake vendors' api ---------------------------------------------------------------


async def list_items(request: Request) -> Response:
    tenant = tenant_of(request)
    return JSONBody(
        {
            "vendor": vendor_of(request).name,
            "tenant": tenant.id,
            "root_path": request.scope.get("root_path", ""),
            "route_path": route_path(request.scope),
            "handled": [h[0] for h in tenant.world.handled],  # type: ignore[attr-defined]
        }
    )


async def create_item(request: Request) -> Response:
    body = await request.body()
    return JSONBody({"received": len(body)}, status_code=201)


async def echo(request: Request) -> Response:
    return JSONBody(await read_json_object(request))


async def boom(request: Request) -> Response:
    raise RuntimeError("kaboom: secret internals")


async def conflict(request: Request) -> Response:
    raise Conflict("item already exists")


async def vendor_root(request: Request) -> Response:
    return JSONBody({"root": True})


ROUTES = [
    Route("/", vendor_root, methods=["GET"]),
    Route("/v1/items", list_items, methods=["GET"]),
    Route("/v1/items", create_item, methods=["PUT"]),
    Route("/v1/uploads", create_item, methods=["POST"]),
    Route("/v1/echo", echo, methods=["POST"]),
    Route("/v1/boom", boom),
    Route("/v1/conflict", conflict, methods=["POST"]),
]


async def admin(scope: Scope, receive: Receive, send: Send) -> None:
    await JSONBody({"admin": scope["path"]})(scope, receive, send)


class App:
    """What ``create_app`` assembles, reduced to the dispatcher and a lifespan."""

    def __init__(self, sandbox: Sandbox, dispatch: VendorDispatch) -> None:
        self.sandbox = sandbox
        self.dispatch = dispatch

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                else:
                    await self.sandbox.aclose()
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        scope["app"] = self
        scope[SANDBOX] = self.sandbox
        await self.dispatch(scope, receive, send)


@dataclass
class Served:
    client: TestClient
    sandbox: Sandbox


@contextmanager
def serve(
    vendors: Sequence[Vendor],
    defaults: TenantDefaults,
    *,
    single: str | None = None,
    pipelines: Sequence[str] | None = None,
    journal_size: int = 100,
) -> Iterator[Served]:
    sandbox = Sandbox(vendors, defaults, journal_size=journal_size)
    names = [v.name for v in vendors] if pipelines is None else list(pipelines)
    dispatch = VendorDispatch(
        admin=admin,
        vendors={v.name: v for v in vendors},
        served=vendors,
        pipelines={
            v.name: VendorPipeline(v, sandbox.tenants, sandbox.journal)
            for v in vendors
            if v.name in names
        },
        not_found=JSONBody({"message": "Not Found"}, status_code=404),
        single=single,
    )
    with TestClient(App(sandbox, dispatch)) as client:
        yield Served(client, sandbox)


@pytest.fixture
def alpha(make_vendor: Any) -> Vendor:
    return make_vendor(
        "alpha",
        routes=ROUTES,
        hosts=("api.alpha.example",),
        max_body_bytes=16,
        rate_limits=(Policy("hourly", 1000, 3600.0),),
    )


@pytest.fixture
def beta(make_vendor: Any) -> Vendor:
    return make_vendor(
        "beta",
        routes=ROUTES,
        host_patterns=(re.compile(r"[a-z0-9-]+\.beta-region\.example"),),
        optional_trailing_slash=False,
    )


@pytest.fixture
def both(alpha: Vendor, beta: Vendor, defaults: TenantDefaults) -> Iterator[Served]:
    with serve([alpha, beta], defaults) as served:
        yield served


# -- choosing the vendor -----------------------------------------------------------------


def test_prefix_routing_picks_the_vendor_and_sets_root_path(both: Served) -> None:
    for name in ("alpha", "beta"):
        response = both.client.get(f"/{name}/v1/items", headers=KEY)
        assert response.status_code == 200
        assert response.json()["vendor"] == name
        assert response.json()["tenant"] == f"{name}:k"
        assert response.json()["root_path"] == f"/{name}"
        assert response.json()["route_path"] == "/v1/items"


def test_the_vendor_root_is_served_under_its_prefix(both: Served) -> None:
    assert both.client.get("/alpha/", headers=KEY).json() == {"root": True}


def test_host_header_routes_at_the_root_path(both: Served) -> None:
    response = both.client.get("http://API.alpha.example:8443/v1/items", headers=KEY)
    assert response.status_code == 200
    assert response.json()["vendor"] == "alpha"
    assert response.json()["root_path"] == ""
    assert response.json()["route_path"] == "/v1/items"


def test_host_patterns_route_too(both: Served) -> None:
    response = both.client.get("http://eu-1.beta-region.example/v1/items", headers=KEY)
    assert response.json()["vendor"] == "beta"
    response = both.client.get("http://beta-region.example/v1/items", headers=KEY)
    assert response.status_code == 404
    assert response.json() == {"message": "Not Found"}


def test_host_wins_over_a_path_prefix(both: Served) -> None:
    response = both.client.get("http://api.alpha.example/beta/v1/items", headers=KEY)
    assert response.status_code == 404
    assert response.json()["error"] == "NotFound"
    [entry] = both.sandbox.journal
    assert entry.vendor == "alpha"


def test_a_host_of_a_vendor_not_served_falls_back_to_the_prefix(
    alpha: Vendor, beta: Vendor, defaults: TenantDefaults
) -> None:
    with serve([alpha, beta], defaults, pipelines=["beta"]) as served:
        response = served.client.get("http://api.alpha.example/beta/v1/items", headers=KEY)
        assert response.json()["vendor"] == "beta"
        response = served.client.get("/alpha/v1/items", headers=KEY)
        assert response.status_code == 404
        assert response.json() == {"message": "Not Found"}


def test_single_vendor_mode_serves_that_vendor_at_the_root(
    alpha: Vendor, beta: Vendor, defaults: TenantDefaults
) -> None:
    with serve([alpha], defaults, single="alpha") as served:
        response = served.client.get("/v1/items", headers=KEY)
        assert response.status_code == 200
        assert response.json()["vendor"] == "alpha"
        assert response.json()["root_path"] == ""
        response = served.client.get("/alpha/v1/items", headers=KEY)
        assert response.status_code == 404
        assert response.json()["error"] == "NotFound"
        assert served.client.get("/_mock/health").json() == {"admin": "/_mock/health"}


@pytest.mark.parametrize("path", ["/_mock", "/_mock/", "/_mock/tenants"])
def test_admin_paths_go_to_the_admin_app(both: Served, path: str) -> None:
    response = both.client.get(path)
    assert response.json() == {"admin": path}
    assert len(both.sandbox.journal) == 0


@pytest.mark.parametrize("path", ["/_mockery", "/gamma/v1/items", "/", "/v1/items"])
def test_unknown_prefixes_get_the_not_found_app(both: Served, path: str) -> None:
    response = both.client.get(path, headers=KEY)
    assert response.status_code == 404
    assert response.json() == {"message": "Not Found"}
    assert len(both.sandbox.journal) == 0


def test_admin_prefix_constant() -> None:
    assert ADMIN_PREFIX == "/_mock"


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        (b"api.alpha.example", "api.alpha.example"),
        (b"API.Alpha.Example:8443", "api.alpha.example"),
        (b"[::1]:8000", "[::1]"),
        (b"[::1]", "[::1]"),
        (b"127.0.0.1:80", "127.0.0.1"),
    ],
)
def test_host_name_strips_the_port_and_lowercases(host: bytes, expected: str) -> None:
    scope = {"headers": [(b"accept", b"*/*"), (b"host", host)]}
    assert host_name(raw_header(scope, b"host")) == expected


def test_without_a_host_header_the_host_name_is_empty() -> None:
    assert host_name(raw_header({"headers": []}, b"host")) == ""


# -- routes inside a vendor --------------------------------------------------------------


def test_a_trailing_slash_is_tolerated(both: Served) -> None:
    response = both.client.get("/alpha/v1/items/", headers=KEY)
    assert response.status_code == 200
    assert response.json()["vendor"] == "alpha"


def test_a_trailing_slash_is_refused_where_the_vendor_says_so(both: Served) -> None:
    response = both.client.get("/beta/v1/items/", headers=KEY)
    assert response.status_code == 404
    assert response.json() == {"error": "NotFound", "message": "Not Found"}


def test_an_unknown_route_is_the_vendors_not_found(both: Served) -> None:
    response = both.client.get("/alpha/v1/nothing", headers=KEY)
    assert response.status_code == 404
    assert response.json() == {"error": "NotFound", "message": "Not Found"}


def test_a_wrong_method_is_the_vendors_405(both: Served) -> None:
    response = both.client.delete("/alpha/v1/items", headers=KEY)
    assert response.status_code == 405
    assert response.json() == {"error": "MethodNotAllowed", "message": "Method Not Allowed"}
    assert set(response.headers["allow"].split(", ")) == {"GET", "HEAD", "PUT"}


def test_a_mock_error_in_a_handler_is_rendered_by_the_vendor(both: Served) -> None:
    response = both.client.post("/alpha/v1/conflict", headers=KEY)
    assert response.status_code == 409
    assert response.json() == {"error": "Conflict", "message": "item already exists"}


def test_an_exception_in_a_handler_is_the_vendors_500_not_a_trace(
    both: Served, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger="mockserver"):
        response = both.client.get("/alpha/v1/boom", headers=KEY)
    assert response.status_code == 500
    assert response.json() == {"error": "InternalError", "message": "Internal server error"}
    assert "kaboom" not in response.text
    assert "Traceback" not in response.text
    assert any("unexpected error serving GET /alpha/v1/boom" in r.message for r in caplog.records)
    [entry] = both.sandbox.journal
    assert entry.status == 500


def test_a_malformed_body_is_rendered_by_the_vendor(both: Served) -> None:
    response = both.client.post(
        "/alpha/v1/echo", content=b"[1]", headers={**KEY, "content-type": "application/json"}
    )
    assert response.status_code == 400
    assert response.json()["error"] == "MalformedBody"


# -- authentication ----------------------------------------------------------------------


def test_a_missing_credential_is_refused_by_the_vendor(both: Served) -> None:
    response = both.client.get("/alpha/v1/items")
    assert response.status_code == 401
    assert response.json() == {"error": "Unauthenticated", "message": "missing x-api-key"}
    [entry] = both.sandbox.journal
    assert (entry.vendor, entry.tenant, entry.status) == ("alpha", None, 401)
    assert len(both.sandbox.tenants) == 0


def test_each_credential_is_its_own_tenant(both: Served) -> None:
    both.client.get("/alpha/v1/items", headers={"x-api-key": "one"})
    both.client.get("/alpha/v1/items", headers={"x-api-key": "two"})
    assert {t.id for t in both.sandbox.tenants} == {"alpha:one", "alpha:two"}


def test_strict_mode_refuses_unregistered_credentials(
    alpha: Vendor, defaults: TenantDefaults
) -> None:
    with serve([alpha], replace(defaults, strict_auth=True)) as served:
        response = served.client.get("/alpha/v1/items", headers={"x-api-key": "stranger"})
        assert response.status_code == 401
        assert response.json()["message"] == "unknown x-api-key"
        served.sandbox.tenants.register("alpha", "known")
        response = served.client.get("/alpha/v1/items", headers={"x-api-key": "known"})
        assert response.status_code == 200
        assert response.json()["tenant"] == "alpha:known"


def test_a_request_fires_the_tenants_due_events_first(both: Served) -> None:
    both.client.get("/alpha/v1/items", headers=KEY)
    tenant = both.sandbox.tenants.get("alpha:k")
    assert tenant is not None
    tenant.world.plan(0, "due-now")  # type: ignore[attr-defined]
    tenant.world.plan(60, "later")  # type: ignore[attr-defined]
    response = both.client.get("/alpha/v1/items", headers=KEY)
    assert response.json()["handled"] == ["due-now"]


# -- body limit --------------------------------------------------------------------------


def test_a_body_at_the_limit_is_accepted(both: Served) -> None:
    response = both.client.post("/alpha/v1/uploads", content=b"x" * 16, headers=KEY)
    assert response.status_code == 201
    assert response.json() == {"received": 16}


def test_a_body_over_the_limit_by_content_length_is_413(both: Served) -> None:
    response = both.client.post("/alpha/v1/uploads", content=b"x" * 17, headers=KEY)
    assert response.status_code == 413
    assert response.json() == {
        "error": "PayloadTooLarge",
        "message": "Request Entity Too Large",
        "limit": 16,
    }


def test_content_length_is_refused_before_any_handler_or_credential_check(
    both: Served,
) -> None:
    # GET /v1/items never reads its body, and no credential is sent: the header alone refuses
    response = both.client.request("GET", "/alpha/v1/items", content=b"x" * 17)
    assert response.status_code == 413
    assert response.json()["error"] == "PayloadTooLarge"
    assert len(both.sandbox.tenants) == 0


def test_a_streamed_body_over_the_limit_is_413(both: Served) -> None:
    def chunks() -> Iterator[bytes]:
        yield b"x" * 10
        yield b"y" * 10

    response = both.client.post("/alpha/v1/uploads", content=chunks(), headers=KEY)
    assert response.status_code == 413
    assert response.json()["limit"] == 16
    [entry] = both.sandbox.journal
    assert "content-length" not in entry.request_headers
    assert entry.status == 413


def _receive_from(chunks: list[bytes]) -> Receive:
    messages = [
        {"type": "http.request", "body": c, "more_body": i < len(chunks) - 1}
        for i, c in enumerate(chunks)
    ]

    async def receive() -> Message:
        return messages.pop(0)

    return receive


def test_the_body_is_read_whole_across_chunks_and_refused_past_the_limit() -> None:
    scope: Scope = {"type": "http", "headers": [(b"transfer-encoding", b"chunked")]}
    body = asyncio.run(read_body(scope, _receive_from([b"1234", b"5678", b"90"]), 10))
    assert body == b"1234567890"
    with pytest.raises(PayloadTooLarge) as caught:
        asyncio.run(read_body(scope, _receive_from([b"1234", b"5678", b"901"]), 10))
    assert caught.value.limit == 10


def test_a_request_without_framing_headers_has_an_empty_body_and_is_not_read() -> None:
    """HTTP/1.1: no Content-Length and no Transfer-Encoding (or a length of 0) means no body."""

    async def receive() -> Message:
        raise AssertionError("the body should not be read")

    for headers in ([], [(b"content-length", b"0")]):
        scope: Scope = {"type": "http", "headers": headers}
        assert asyncio.run(read_body(scope, receive, 10)) == b""


def test_a_handler_reading_the_body_again_gets_it(both: Served) -> None:
    """The pipeline reads the body first; ``await request.body()`` still returns it."""
    response = both.client.post("/alpha/v1/uploads", content=b"0123456789", headers=KEY)
    assert response.status_code == 201
    assert response.json() == {"received": 10}


# -- rate limits -------------------------------------------------------------------------


def test_a_rate_limit_refusal_is_the_vendors_429(
    make_vendor: Any, defaults: TenantDefaults
) -> None:
    limited = make_vendor("limited", routes=ROUTES, rate_limits=(Policy("hourly", 2, 3600.0),))
    with serve([limited], defaults) as served:
        for _ in range(2):
            assert served.client.get("/limited/v1/items", headers=KEY).status_code == 200
        response = served.client.get("/limited/v1/items", headers=KEY)
        assert response.status_code == 429
        assert response.json()["error"] == "RateLimited"
        assert response.json()["policy"] == "hourly"
        assert int(response.headers["retry-after"]) > 0
        other = served.client.get("/limited/v1/items", headers={"x-api-key": "other"})
        assert other.status_code == 200
        assert [e.status for e in served.sandbox.journal] == [200, 200, 429, 200]


def test_unauthenticated_requests_spend_no_token(
    make_vendor: Any, defaults: TenantDefaults
) -> None:
    limited = make_vendor("limited", routes=ROUTES, rate_limits=(Policy("hourly", 1, 3600.0),))
    with serve([limited], defaults) as served:
        for _ in range(3):
            assert served.client.get("/limited/v1/items").status_code == 401
        assert served.client.get("/limited/v1/items", headers=KEY).status_code == 200


# -- the journal -------------------------------------------------------------------------


def test_the_journal_records_vendor_tenant_status_and_bodies(both: Served) -> None:
    response = both.client.post(
        "/alpha/v1/echo?dry=1",
        json={"name": "café"},
        headers=KEY,
    )
    assert response.status_code == 200
    both.client.get("/beta/v1/items", headers={"x-api-key": "b"})
    first, second = list(both.sandbox.journal)
    assert first.id < second.id
    assert (first.vendor, first.tenant, first.method, first.status) == (
        "alpha",
        "alpha:k",
        "POST",
        200,
    )
    assert first.path == "/alpha/v1/echo"
    assert first.query == "dry=1"
    assert first.request_headers["x-api-key"] == "k"
    assert first.request_body == '{"name":"café"}'
    assert first.response_body == '{"name":"café"}'
    assert first.response_headers["content-type"] == "application/json"
    assert first.duration_ms >= 0
    assert (second.vendor, second.tenant, second.status) == ("beta", "beta:b", 200)


def test_a_disabled_journal_records_nothing_and_serving_goes_on(
    alpha: Vendor, defaults: TenantDefaults
) -> None:
    with serve([alpha], defaults, journal_size=0) as served:
        assert served.client.get("/alpha/v1/items", headers=KEY).status_code == 200
        assert served.client.get("/alpha/v1/boom", headers=KEY).status_code == 500
        assert len(served.sandbox.journal) == 0


# -- answers that fail on the way out ---------------------------------------------------


class HalfAnswer(Response):
    """An answer whose body never goes out (what a client gone mid-response looks like)."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": []})
        raise RuntimeError("mid-stream")


async def half_answer(request: Request) -> Response:
    return HalfAnswer()


def test_an_answer_that_fails_on_the_way_out_is_journaled_without_a_status(
    make_vendor: Any, defaults: TenantDefaults, caplog: pytest.LogCaptureFixture
) -> None:
    sent: list[Message] = []
    vendor = make_vendor("alpha", routes=[Route("/half", half_answer)])
    sandbox = Sandbox([vendor], defaults, journal_size=10)
    pipeline = VendorPipeline(vendor, sandbox.tenants, sandbox.journal)
    scope: Scope = {
        "type": "http",
        "method": "GET",
        "path": "/half",
        "headers": [(b"x-api-key", b"k")],
        SANDBOX: sandbox,
    }

    async def send(message: Message) -> None:
        sent.append(message)

    async def receive() -> Message:
        return {"type": "http.disconnect"}

    with caplog.at_level(logging.ERROR, logger="mockserver"):
        asyncio.run(pipeline(scope, receive, send))
    assert [m["type"] for m in sent] == ["http.response.start"]  # no error answer after it
    [entry] = sandbox.journal
    assert (entry.tenant, entry.status) == ("alpha:k", 0)
    assert "sending the answer to GET /half failed" in caplog.text


@pytest.mark.parametrize(
    ("exc", "kind", "status"),
    [
        (Conflict("x"), Conflict, 409),
        (HTTPException(404), NotFound, 404),
        (HTTPException(405, headers={"Allow": "GET, POST"}), MethodNotAllowed, 405),
        (HTTPException(418), InternalError, 500),
        (ValueError("oops"), InternalError, 500),
    ],
)
def test_as_mock_error(exc: Exception, kind: type[MockError], status: int) -> None:
    error = as_mock_error(exc)
    assert type(error) is kind
    assert error.status == status


def test_as_mock_error_keeps_the_allowed_methods() -> None:
    error = as_mock_error(HTTPException(405, headers={"Allow": "GET, POST"}))
    assert isinstance(error, MethodNotAllowed)
    assert error.allow == ("GET", "POST")
    plain = as_mock_error(HTTPException(405))
    assert isinstance(plain, MethodNotAllowed)
    assert plain.allow == ()


@pytest.mark.parametrize(
    ("path", "root", "expected"),
    [
        ("/cloudfactory/v1/tasks", "/cloudfactory", "/v1/tasks"),
        ("/v1/tasks", "", "/v1/tasks"),
        ("/other/v1", "/cloudfactory", "/other/v1"),
    ],
)
def test_route_path_is_the_path_below_the_mount(path: str, root: str, expected: str) -> None:
    assert route_path({"path": path, "root_path": root}) == expected
    assert route_path({"path": path}) == path


def test_journaling_only_under_a_prefix() -> None:
    journal = Journal(10)

    async def ok(scope: Scope, receive: Receive, send: Send) -> None:
        await JSONBody({"ok": True})(scope, receive, send)

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        pass

    app = Journaling(ok, journal, only_under="/_mock/storage/")
    for path in ("/_mock/storage/tok", "/_mock/clock", "/_mock/storage"):
        scope = {"type": "http", "method": "PUT", "path": path, "headers": []}
        asyncio.run(app(scope, receive, send))
    assert [(e.path, e.status, e.response_body) for e in journal] == [
        ("/_mock/storage/tok", 200, '{"ok":true}')
    ]


# -- path rewrites --------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/sfx/v1/items.json", "/sfx/v1/items.json/", "/sfx/v1.json/items.json"]
)
def test_a_vendors_optional_suffix_is_dropped_from_every_segment(
    make_vendor: Any, defaults: TenantDefaults, path: str
) -> None:
    vendor = make_vendor("sfx", routes=ROUTES, path_rewrites=((re.compile(r"\.json(?=/|$)"), ""),))
    with serve([vendor], defaults) as served:
        response = served.client.get(path, headers=KEY)
    assert response.status_code == 200
    assert response.json()["route_path"] == "/v1/items"


def test_without_declared_suffixes_a_suffixed_path_is_unknown(both: Served) -> None:
    assert both.client.get("/alpha/v1/items.json", headers=KEY).status_code == 404


# -- remembered routes -----------------------------------------------------------------


async def show_item(request: Request) -> Response:
    params = request.path_params
    answer = {"item": params["item_id"], "path": route_path(request.scope)}
    params["item_id"] = "changed by the handler"  # must not reach the next request
    return JSONBody(answer)


def test_a_remembered_route_gives_each_request_its_own_parameters(
    make_vendor: Any, defaults: TenantDefaults, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(VendorRouter, "REMEMBERED", 2)  # so the memory also starts over
    vendor = make_vendor(
        "gamma",
        routes=[Route("/v1/items/{item_id}", show_item, methods=["GET"])],
        path_rewrites=((re.compile(r"\.json$"), ""),),
    )
    with serve([vendor], defaults) as served:
        for path, item in [("1", "1"), ("2.json", "2"), ("1", "1"), ("3/", "3"), ("1.json", "1")]:
            response = served.client.get(f"/gamma/v1/items/{path}", headers=KEY)
            assert response.json() == {"item": item, "path": f"/v1/items/{item}"}
        assert served.client.post("/gamma/v1/items/1", headers=KEY).status_code == 405
        assert served.client.get("/gamma/v1/items/1/x", headers=KEY).status_code == 404
        assert [e.path for e in served.sandbox.journal][:2] == [
            "/gamma/v1/items/1",
            "/gamma/v1/items/2",
        ]

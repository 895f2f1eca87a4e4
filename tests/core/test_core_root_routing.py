"""Vendors at the root of the multi-vendor server, told apart by their paths' shape.

Three fake vendors: alpha and beta share ``/v1`` (alpha's credential is an ``x-api-key``
header, beta's a ``key`` query parameter or an ``Authorization: Token`` header), gamma
owns ``/api/g`` and its locale form ``/<locale>/api/g``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.testclient import TestClient

from mockserver.core.context import route_path, vendor_of
from mockserver.core.errors import Unauthenticated
from mockserver.core.pipeline import VendorPipeline
from mockserver.core.registry import VendorRef
from mockserver.core.rootpaths import Ambiguity, Credential, RootPaths
from mockserver.core.routing import VendorDispatch
from mockserver.core.sandbox import Sandbox
from mockserver.core.tenancy import Tenant, TenantDefaults
from mockserver.core.vendor import Lookup, Vendor
from mockserver.core.wire import JSONBody

ALPHA_KEY = {"x-api-key": "k"}
BETA_KEY = {"key": "k"}


async def where(request: Request) -> Response:
    root = request.scope.get("root_path", "")
    vendor = vendor_of(request).name
    return JSONBody({"vendor": vendor, "root_path": root, "route_path": route_path(request.scope)})


def any_credential(request: Request, lookup: Lookup) -> Tenant:
    """Whatever credential came: a routing test cares where a request went, not who sent it."""
    tenant = lookup("k")
    if tenant is None:
        raise Unauthenticated()
    return tenant


TOKEN = Credential(header="Authorization", scheme="Token")
REFS = (
    VendorRef("alpha", "unused", root_shapes=("/v1",), credentials=(Credential("x-api-key"),)),
    VendorRef("beta", "unused", root_shapes=("/v1",), credentials=(Credential(query="key"), TOKEN)),
    VendorRef("gamma", "unused", root_shapes=("/api/g", "/{locale}/api/g")),
)


class Loading(dict[str, Vendor]):
    """The vendors by name, noting each lookup: a lookup is what imports a real vendor."""

    def __init__(self, vendors: dict[str, Vendor]) -> None:
        super().__init__(vendors)
        self.looked_up: list[str] = []

    def __getitem__(self, name: str) -> Vendor:
        self.looked_up.append(name)
        return super().__getitem__(name)


@pytest.fixture
def vendors(make_vendor: Any) -> dict[str, Vendor]:
    def routes(*paths: str) -> list[Route]:
        return [Route(path, where, methods=["GET"]) for path in paths]

    return {
        "alpha": make_vendor("alpha", routes=routes("/v1/items", "/v1/items/{id}", "/v1/shared"),
                             authenticate=any_credential, hosts=("api.alpha.example",)),
        "beta": make_vendor("beta", routes=routes("/v1/things/{id:int}/parts", "/v1/shared"),
                            authenticate=any_credential,
                            path_rewrites=((re.compile(r"\.json(?=/|$)"), ""),)),
        "gamma": make_vendor("gamma", routes=routes("/api/g/x"), authenticate=any_credential,
                             path_rewrites=((re.compile(r"^/[a-z]{2}(?=/api/)"), ""),)),
    }  # fmt: skip


@pytest.fixture
def loading(vendors: dict[str, Vendor]) -> Loading:
    return Loading(vendors)


def dispatcher(
    vendors: dict[str, Vendor], loading: Loading, sandbox: Sandbox, single: str | None = None
) -> VendorDispatch:
    served = [vendors[single]] if single else list(vendors.values())
    return VendorDispatch(
        admin=JSONBody({"admin": True}),
        vendors=vendors,
        served=served,
        pipelines={v.name: VendorPipeline(v, sandbox.tenants, sandbox.journal) for v in served},
        not_found=JSONBody({"message": "Not Found"}, status_code=404),
        single=single,
        root=RootPaths([ref for ref in REFS if ref.name in {v.name for v in served}], loading),
    )


class App:
    def __init__(self, sandbox: Sandbox, dispatch: VendorDispatch) -> None:
        self.sandbox, self.dispatch = sandbox, dispatch

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            scope["app"] = self
            scope["mockserver.sandbox"] = self.sandbox
            await self.dispatch(scope, receive, send)


@pytest.fixture
def sandbox(vendors: dict[str, Vendor], defaults: TenantDefaults) -> Sandbox:
    return Sandbox(list(vendors.values()), defaults, journal_size=100)


@pytest.fixture
def client(vendors: dict[str, Vendor], loading: Loading, sandbox: Sandbox) -> Iterator[TestClient]:
    yield TestClient(App(sandbox, dispatcher(vendors, loading, sandbox)))


def went_to(client: TestClient, path: str, **sent: Any) -> str:
    response = client.get(path, **sent)
    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["root_path"] == ""  # served at the root, as by its own host
    return str(answer["vendor"])


@pytest.mark.parametrize(
    ("path", "vendor"),
    [
        ("/api/g/x", "gamma"),
        ("/de/api/g/x", "gamma"),  # the locale form, rewritten by gamma itself
        ("/v1/items", "alpha"),
        ("/v1/items/7", "alpha"),
        ("/v1/things/7/parts", "beta"),
        ("/v1/things.json/7/parts", "beta"),  # a resource as the vendor's rewrites read it
    ],
)
def test_a_path_of_one_vendors_shape_or_resource_is_that_vendors_at_the_root(
    client: TestClient, path: str, vendor: str
) -> None:
    assert went_to(client, path) == vendor


def test_the_resource_decides_before_the_credential(client: TestClient) -> None:
    assert went_to(client, "/v1/items", params=BETA_KEY) == "alpha"
    assert went_to(client, "/v1/things/1/parts", headers=ALPHA_KEY) == "beta"


@pytest.mark.parametrize(
    ("sent", "vendor"),
    [
        ({"headers": ALPHA_KEY}, "alpha"),
        ({"params": BETA_KEY}, "beta"),
        ({"headers": {"Authorization": "Token token=k"}}, "beta"),
    ],
)
@pytest.mark.parametrize("path", ["/v1/shared", "/v1/nothing/here", "/v1"])
def test_a_path_either_vendor_may_serve_goes_by_the_credentials_form(
    client: TestClient, path: str, sent: dict[str, Any], vendor: str, sandbox: Sandbox
) -> None:
    """A resource both have, one neither has (its vendor's own 404), the bare shape."""
    response = client.get(path, **sent)
    assert response.status_code == (200 if path == "/v1/shared" else 404)
    [entry] = sandbox.journal
    assert entry.vendor == vendor


@pytest.mark.parametrize(
    "sent",
    [
        {},
        {"headers": {"Authorization": "Basic dTpw"}},  # a scheme neither vendor takes
        {"headers": ALPHA_KEY, "params": BETA_KEY},  # both forms
    ],
    ids=["no-credential", "other-scheme", "both-forms"],
)
def test_an_ambiguous_path_is_a_404_naming_both_and_how_to_choose(
    client: TestClient, sent: dict[str, Any], sandbox: Sandbox
) -> None:
    response = client.get("/v1/nothing", **sent)
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert body["candidates"] == ["alpha", "beta"]
    message = body["message"]
    assert message.startswith("Not Found: /v1/nothing could be alpha's or beta's.")
    for how in ("header x-api-key", "query parameter key", "header Authorization: Token"):
        assert how in message
    assert "/alpha/v1/nothing or /beta/v1/nothing" in message
    assert len(sandbox.journal) == 0  # no vendor answered


@pytest.mark.parametrize("path", ["/", "/v2/items", "/api", "/api/h/x", "/de/api", "/openapi.json"])
def test_a_path_of_no_vendors_shape_is_the_plain_404(client: TestClient, path: str) -> None:
    response = client.get(path, headers=ALPHA_KEY)
    assert (response.status_code, response.json()) == (404, {"message": "Not Found"})


def test_the_control_api_host_and_prefix_come_before_the_shape(
    client: TestClient, sandbox: Sandbox
) -> None:
    assert client.get("/_mock/v1/items").json() == {"admin": True}
    # beta's resource, but alpha's host, then beta's prefix with alpha's resource: each
    # is the named vendor's own 404
    assert client.get("http://api.alpha.example/v1/things/1/parts").status_code == 404
    assert client.get("/beta/v1/items", headers=ALPHA_KEY).status_code == 404
    assert [entry.vendor for entry in sandbox.journal] == ["alpha", "beta"]
    assert client.get("/gamma/api/g/x").json()["root_path"] == "/gamma"


def test_single_vendor_mode_serves_only_that_vendor_whatever_the_shape(
    vendors: dict[str, Vendor], loading: Loading, sandbox: Sandbox
) -> None:
    client = TestClient(App(sandbox, dispatcher(vendors, loading, sandbox, single="alpha")))
    assert went_to(client, "/v1/items") == "alpha"
    assert client.get("/api/g/x").status_code == 404
    [_, entry] = sandbox.journal
    assert entry.vendor == "alpha"


def test_only_a_shared_shape_loads_vendors_and_once_per_resource(
    client: TestClient, loading: Loading
) -> None:
    went_to(client, "/api/g/x")
    assert loading.looked_up == []
    for _ in range(3):
        went_to(client, "/v1/items")
    assert loading.looked_up == ["alpha", "beta"]


def test_an_ambiguity_names_a_candidate_of_no_known_credential_form() -> None:
    unknown = VendorRef("delta", "unused", root_shapes=("/v1",))
    message = Ambiguity("/v1/x", (REFS[0], unknown)).body()["message"]
    assert "(alpha: header x-api-key; delta: none known)" in message

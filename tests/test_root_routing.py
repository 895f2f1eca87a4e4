"""The real vendors at the bare root of the default server, by their paths' shape.

Every path each vendor serves must lead to that vendor at the root (so the shapes its
reference declares cannot fall behind its routes), the ``/v1`` the two vendors share
must be told apart as the README says, and what a vendor hands out (links, upload URLs)
must point back at the root it was reached on.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from mockserver.app import VENDORS, create_app
from mockserver.core.registry import Vendors
from mockserver.core.rootpaths import RootPaths
from mockserver.core.vendor import Vendor
from mockserver.settings import Settings


def served_paths(vendor: Vendor) -> set[str]:
    """The vendor's route paths, and its public ones below ``/`` (which is the index)."""
    public = {path for path in vendor.public_paths if path.strip("/")}
    return {getattr(route, "path", "") for route in vendor.routes} | public


ROUTES = [(ref.name, path) for ref in VENDORS for path in sorted(served_paths(ref.load()))]


def filled(template: str) -> str:
    """A path the template matches: each parameter a digit, which any converter takes."""
    return re.sub(r"\{[^}]+\}", "1", template)


@pytest.fixture(scope="module")
def root() -> RootPaths:
    return RootPaths(VENDORS, Vendors(VENDORS))


@pytest.mark.parametrize(("vendor", "template"), ROUTES)
def test_every_path_a_vendor_serves_is_that_vendors_at_the_root(
    root: RootPaths, vendor: str, template: str
) -> None:
    scope = {"path": filled(template), "headers": [], "query_string": b""}
    assert root.vendor_of(scope) == vendor


@pytest.mark.parametrize(
    ("path", "vendor"),
    [
        ("/de/api/marketplace/v2/customer", "clickworker"),  # a notification link's locale
        ("/marketplace/v2/products/TextCreate", "clickworker"),  # the alias without /api
        ("/v1/jobs/1.json", "crowdflower"),
        ("/v1/account.json", "crowdflower"),
        ("/v1/upload-media", "cloudfactory"),
    ],
)
def test_the_documented_variants_of_a_path_are_its_vendors_too(
    root: RootPaths, path: str, vendor: str
) -> None:
    assert root.vendor_of({"path": path, "headers": [], "query_string": b""}) == vendor


@pytest.fixture
def client() -> Iterator[TestClient]:
    settings = Settings(clock="manual", rate_limits=False)
    with TestClient(create_app(settings), base_url="http://localhost:8080") as running:
        yield running


def test_a_v1_path_neither_vendor_has_is_a_404_naming_both(client: TestClient) -> None:
    response = client.get("/v1/projects")
    assert response.status_code == 404
    body = response.json()
    assert body["candidates"] == ["cloudfactory", "crowdflower"]
    assert "call /cloudfactory/v1/projects or /crowdflower/v1/projects" in body["message"]
    assert "header x-api-key" in body["message"]
    assert "query parameter key" in body["message"]


def test_the_credentials_form_names_the_vendor_of_an_unknown_v1_path(client: TestClient) -> None:
    cloudfactory = client.get("/v1/projects", headers={"x-api-key": "k"})
    assert (cloudfactory.status_code, cloudfactory.json()) == (404, {"message": "Not Found"})
    crowdflower = client.get("/v1/projects.json", params={"key": "k"})
    assert crowdflower.status_code == 404
    assert "couldn't find" in crowdflower.json()["error"]["message"]
    journal = client.get("/_mock/journal").json()["entries"]
    assert [(e["vendor"], e["path"]) for e in journal] == [
        ("cloudfactory", "/v1/projects"),
        ("crowdflower", "/v1/projects.json"),
    ]


def test_what_a_vendor_hands_out_points_at_the_root(client: TestClient) -> None:
    media = client.post(
        "/v1/media",
        headers={"x-api-key": "k"},
        json={"configuration_id": "cfg-1", "content_type": "image/jpeg"},
    )
    assert media.status_code == 200, media.text
    upload = media.json()["media_upload_url"]
    assert upload.startswith("http://localhost:8080/_mock/storage/")
    put = client.put(upload, content=b"\xff\xd8jpeg", headers={"content-type": "image/jpeg"})
    assert put.status_code == 200, put.text
    version = client.get("/v3").json()["version"]
    assert version["links"][0]["href"] == "http://localhost:8080/v3/"
    customer = client.get("/api/marketplace/v2/customer", auth=("u", "p"),
                          headers={"Accept": "application/json"})  # fmt: skip
    links = customer.json()["customer_response"]["customer"]["link"]
    assert links[0]["href"] == "http://localhost:8080/api/marketplace/v2/customer"


def test_the_root_itself_is_still_the_index_and_openapi_json_there_names_no_vendor(
    client: TestClient,
) -> None:
    assert client.get("/").json()["service"] == "mockserver"
    assert client.get("/openapi.json").status_code == 404
    assert client.get("/crowdflower/openapi.json").json()["servers"] == [{"url": "/crowdflower"}]

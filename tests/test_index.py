"""``GET /``: an index of where everything is, every URL in it answering."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from mockserver.app import create_app, vendor_names
from mockserver.settings import Settings


@pytest.fixture
def client() -> Iterator[TestClient]:
    settings = Settings(clock="manual", rate_limits=False)
    with TestClient(create_app(settings), base_url="http://sandbox.test:9000") as running:
        yield running


def test_the_index_names_every_vendor_and_its_urls_answer(client: TestClient) -> None:
    index = client.get("/").json()
    assert [v["name"] for v in index["vendors"]] == list(vendor_names())
    by_name = {v["name"]: v for v in index["vendors"]}
    assert by_name["crowdflower"]["base_url"] == "http://sandbox.test:9000/crowdflower/v1"
    assert by_name["crowdflower"]["root_url"] == "http://sandbox.test:9000/v1"
    assert by_name["modelarts"]["root_url"] == "http://sandbox.test:9000"
    assert "api.cloudfactory.app" in by_name["cloudfactory"]["hosts"]
    for vendor in index["vendors"]:
        assert client.get(vendor["openapi"]).json()["openapi"].startswith("3.1")
    for base in ("base_url", "root_url"):
        listed = client.get(f"{by_name['crowdflower'][base]}/jobs.json", params={"key": "k"})
        assert listed.status_code == 200
    assert client.get(index["control"]["health"]).json()["status"] == "ok"
    assert client.get(index["control"]["openapi"]).status_code == 200


def test_other_paths_that_name_no_vendor_are_still_the_404(client: TestClient) -> None:
    for method, path in (("GET", "/nothing"), ("POST", "/"), ("GET", "/v9/")):
        response = client.request(method, path)
        assert (response.status_code, response.json()) == (404, {"message": "Not Found"})


def test_one_vendor_mounted_at_the_root_answers_at_the_root() -> None:
    settings = Settings(clock="manual", rate_limits=False, vendor="cloudfactory")
    with TestClient(create_app(settings)) as single:
        assert "service" not in single.get("/", headers={"x-api-key": "k"}).json()

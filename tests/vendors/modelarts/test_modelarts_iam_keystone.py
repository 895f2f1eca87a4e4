"""ModelArts IAM as Keystone clients use it: version discovery with no credential, the
caller's projects (what the Huawei SDK asks for a region), and domain-scoped tokens."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient

from mockserver.app import create_app
from mockserver.settings import Settings
from mockserver.vendors.modelarts.auth import project_id_of_name

ROOT = "/modelarts"
PROJECT = "0123456789abcdef0123456789abcdef"


def token_body(scope: dict[str, Any] | None) -> dict[str, Any]:
    auth: dict[str, Any] = {"identity": {"methods": ["password"], "password": {"user": {
        "name": "labeler", "password": "pw", "domain": {"name": "acme"}}}}}  # fmt: skip
    if scope is not None:
        auth["scope"] = scope
    return {"auth": auth}


@pytest.fixture(params=[False, True], ids=["open", "strict"])
def client(request: pytest.FixtureRequest) -> Iterator[TestClient]:
    settings = Settings(clock="manual", seed=2, rate_limits=False, strict_auth=request.param)
    with TestClient(create_app(settings)) as running:
        yield running


@pytest.mark.parametrize("path", ["/v3", "/v3/"])
def test_version_discovery_needs_no_credential_and_links_back_to_v3(
    client: TestClient, path: str
) -> None:
    response = client.get(ROOT + path)
    assert response.status_code == 200, response.text
    version = response.json()["version"]
    assert version["status"] == "stable" and version["id"].startswith("v3")
    assert version["links"] == [{"rel": "self", "href": f"http://testserver{ROOT}/v3/"}]
    assert version["media-types"][0]["type"] == "application/vnd.openstack.identity-v3+json"


@pytest.mark.parametrize("path", ["", "/"])
def test_the_identity_root_lists_its_versions(client: TestClient, path: str) -> None:
    response = client.get(ROOT + path)
    assert response.status_code == 300, response.text
    (version,) = response.json()["versions"]["values"]
    assert version["links"][0]["href"] == f"http://testserver{ROOT}/v3/"


def test_version_discovery_at_the_root_in_single_vendor_mode() -> None:
    settings = Settings(clock="manual", vendor="modelarts", strict_auth=True)
    with TestClient(create_app(settings)) as client:
        response = client.get("/v3")
    assert response.status_code == 200
    assert response.json()["version"]["links"][0]["href"] == "http://testserver/v3/"


def test_the_project_list_answers_the_tokens_project_under_the_name_asked() -> None:
    with TestClient(create_app(Settings(clock="manual", seed=2))) as client:
        login = client.post(ROOT + "/v3/auth/tokens", json=token_body({"project": {"id": PROJECT}}))
        headers = {"X-Auth-Token": login.headers["x-subject-token"]}
        for path in ("/v3/projects", "/v3/auth/projects"):
            response = client.get(ROOT + path, params={"name": "eu-de"}, headers=headers)
            assert response.status_code == 200, response.text
            body = response.json()
            assert set(body["links"]) == {"self", "previous", "next"}
            (project,) = body["projects"]
            assert project["id"] == PROJECT and project["name"] == "eu-de"
            assert project["enabled"] is True and project["is_domain"] is False
            assert {"domain_id", "parent_id", "description", "links"} <= set(project)
        assert client.get(ROOT + "/v3/projects").status_code == 401


def test_a_domain_scoped_token_is_issued_but_serves_no_project() -> None:
    with TestClient(create_app(Settings(clock="manual", seed=2))) as client:
        response = client.post(
            ROOT + "/v3/auth/tokens", json=token_body({"domain": {"name": "acme"}})
        )
        assert response.status_code == 201, response.text
        token = response.json()["token"]
        assert token["domain"]["name"] == "acme" and "project" not in token
        headers = {"X-Auth-Token": response.headers["x-subject-token"]}
        refused = client.get(f"{ROOT}/v2/{PROJECT}/datasets", headers=headers)
        assert refused.status_code == 403
        assert refused.json()["error_code"] == "ModelArts.0210"
        unscoped = client.post(ROOT + "/v3/auth/tokens", json=token_body(None))
        assert unscoped.status_code == 201, unscoped.text
        assert unscoped.headers["x-subject-token"].startswith("MII")
        assert project_id_of_name("domain:acme") in unscoped.headers["x-subject-token"]

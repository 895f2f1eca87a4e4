"""A strict ModelArts project issues IAM tokens to the users of its setup only, by name
and password; an open project to any password identity."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient

from mockserver.app import create_app
from mockserver.settings import Settings

PROJECT = "0123456789abcdef0123456789abcdef"
TOKENS = "/modelarts/v3/auth/tokens"
USERS = {"labeler": "correct horse", "reviewer": "battery staple"}


def token_request(name: str, password: str, project: str = PROJECT) -> dict[str, Any]:
    return {"auth": {
        "identity": {"methods": ["password"], "password": {"user": {
            "name": name, "password": password, "domain": {"name": "acme"}}}},
        "scope": {"project": {"id": project}},
    }}  # fmt: skip


@pytest.fixture
def client() -> Iterator[TestClient]:
    with TestClient(create_app(Settings(clock="manual", rate_limits=False))) as running:
        yield running


def register(client: TestClient, *, strict: bool, users: dict[str, str] | None = None) -> None:
    setup = {} if users is None else {"users": users}
    body = {"vendor": "modelarts", "credential": PROJECT, "strict": strict, "setup": setup}
    response = client.post("/_mock/tenants", json=body)
    assert response.status_code == 201, response.text


def test_a_registered_user_gets_a_token_that_opens_the_project(client: TestClient) -> None:
    register(client, strict=True, users=USERS)
    issued = client.post(TOKENS, json=token_request("reviewer", "battery staple"))
    assert issued.status_code == 201, issued.text
    assert issued.json()["token"]["user"]["name"] == "reviewer"
    token = issued.headers["x-subject-token"]
    listed = client.get(f"/modelarts/v2/{PROJECT}/datasets", headers={"X-Auth-Token": token})
    assert listed.status_code == 200


@pytest.mark.parametrize(
    ("name", "password"),
    [("labeler", "battery staple"), ("labeler", "correct horse "), ("intruder", "correct horse")],
    ids=["another user's password", "almost the password", "unknown user"],
)
def test_a_wrong_password_or_unknown_user_is_iams_401(
    client: TestClient, name: str, password: str
) -> None:
    register(client, strict=True, users=USERS)
    refused = client.post(TOKENS, json=token_request(name, password))
    assert refused.status_code == 401
    assert "x-subject-token" not in refused.headers
    assert refused.json() == {
        "error_code": "ModelArts.0203",
        "error_msg": "The username or password is wrong.",
    }


def test_a_strict_project_without_users_issues_no_token(client: TestClient) -> None:
    register(client, strict=True)
    assert client.post(TOKENS, json=token_request("labeler", "pw")).status_code == 401


def test_an_open_project_accepts_any_password(client: TestClient) -> None:
    register(client, strict=False, users=USERS)
    assert client.post(TOKENS, json=token_request("anyone", "anything")).status_code == 201


def test_a_malformed_identity_in_a_strict_project_is_a_400(client: TestClient) -> None:
    register(client, strict=True, users=USERS)
    body = token_request("labeler", "correct horse")
    body["auth"]["identity"]["password"]["user"] = ["not", "an", "object"]
    refused = client.post(TOKENS, json=body)
    assert refused.status_code == 400
    assert refused.json()["error_code"] == "ModelArts.0104"


def test_users_in_the_setup_must_have_passwords(client: TestClient) -> None:
    body = {"vendor": "modelarts", "credential": PROJECT, "setup": {"users": {"labeler": ""}}}
    assert client.post("/_mock/tenants", json=body).status_code == 400

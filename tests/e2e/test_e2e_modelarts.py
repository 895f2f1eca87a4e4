"""ModelArts end to end: the unmodified Huawei Cloud SDK signing real requests to a real
server on loopback, and the same calls with an IAM token instead."""

from __future__ import annotations

import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from huaweicloudsdkcore.auth.credentials import BasicCredentials
from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException
from huaweicloudsdkcore.sdk_response import SdkResponse
from huaweicloudsdkmodelarts.v1 import ModelArtsClient

from mockserver.settings import Settings
from mockserver.testing import ServerThread

PROJECT = "0a1b2c3d4e5f60718293a4b5c6d7e8f9"
AK, SK = "E2EACCESSKEY", "e2e-secret-key"
DATASET = {
    "dataset_name": "dogs-and-cats",
    "dataset_type": 0,
    "data_sources": [{"data_type": 0, "data_path": "/pets-bucket/input/"}],
    "work_path": "/pets-bucket/output/",
    "work_path_type": 0,
    "description": "pets",
}


class RawResponse(SdkResponse):  # type: ignore[misc]
    """Keeps the JSON as sent: the SDK's generic call needs a response model."""

    openapi_types: dict[str, str] = {}
    attribute_map: dict[str, str] = {}


@pytest.fixture
def server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[ServerThread]:
    monkeypatch.setenv("HOME", str(tmp_path))  # the SDK writes an application id under HOME
    with ServerThread(Settings(clock="manual", vendor="modelarts", seed=3)) as running:
        yield running


def sdk_client(server: ServerThread, secret: str) -> Any:
    client = (
        ModelArtsClient.new_builder()
        .with_credentials(BasicCredentials(AK, secret, PROJECT))
        .with_endpoint(server.url)
        .build()
    )
    client.model_package = types.SimpleNamespace(RawResponse=RawResponse)
    return client


def call(client: Any, method: str, path: str, body: Any = None, **query: Any) -> Any:
    response = client.call_api(
        resource_path=path, method=method, query_params=list(query.items()),
        body=body, header_params={"Content-Type": "application/json"},
        response_type="RawResponse",
    )  # fmt: skip
    return response


def test_the_sdk_signs_real_requests_and_a_tampered_signature_is_refused(
    server: ServerThread,
) -> None:
    registered = httpx.post(
        f"{server.url}/_mock/modelarts/credentials",
        json={"ak": AK, "sk": SK, "project_id": PROJECT},
    )
    assert registered.status_code == 201
    client = sdk_client(server, SK)

    created = call(client, "POST", "/v2/{project_id}/datasets", body=DATASET)
    assert created.status_code == 201
    dataset_id = created.to_json_object()["dataset_id"]
    listed = call(client, "GET", "/v2/{project_id}/datasets", offset=0, limit=10)
    names = [d["dataset_name"] for d in listed.to_json_object()["datasets"]]
    assert names == ["dogs-and-cats"]
    shown = call(client, "GET", "/v2/{project_id}/datasets/" + dataset_id)
    assert shown.to_json_object()["dataset_id"] == dataset_id

    with pytest.raises(ClientRequestException) as refused:
        call(sdk_client(server, "not-the-secret"), "GET", "/v2/{project_id}/datasets")
    error = refused.value
    assert (error.status_code, error.error_code) == (403, "ModelArts.0206")
    assert error.request_id


def test_the_same_calls_with_an_iam_token(server: ServerThread) -> None:
    issued = httpx.post(f"{server.url}/v3/auth/tokens", json={"auth": {
        "identity": {"methods": ["password"], "password": {"user": {
            "name": "labeler", "password": "secret", "domain": {"name": "acme"}}}},
        "scope": {"project": {"id": PROJECT}},
    }})  # fmt: skip
    assert issued.status_code == 201
    headers = {"X-Auth-Token": issued.headers["X-Subject-Token"]}
    with httpx.Client(base_url=f"{server.url}/v2/{PROJECT}", headers=headers) as api:
        created = api.post("/datasets", json=DATASET)
        assert created.status_code == 201
        listed = api.get("/datasets", params={"offset": 0, "limit": 10}).json()
        assert [d["dataset_name"] for d in listed["datasets"]] == ["dogs-and-cats"]
        other = api.get("/datasets", headers={"X-Auth-Token": "MIIE" + "0" * 40})
        assert (other.status_code, other.json()["error_code"]) == (401, "ModelArts.0203")

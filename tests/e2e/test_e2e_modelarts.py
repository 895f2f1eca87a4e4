"""ModelArts end to end: the unmodified Huawei Cloud SDK signing real requests to a real
server on loopback, and the same calls with an IAM token instead."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from huawei_sdk_kit import answering_raw
from huaweicloudsdkcore.auth.credentials import BasicCredentials
from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException
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
    return answering_raw(client)


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


LABELS = [{"name": "cat", "type": 0}, {"name": "dog", "type": 0}]
WORKER_TASK_FIELDS = {
    "task_id", "workforce_task_name", "dataset_id", "dataset_type", "worker_id", "email",
    "role", "task_status", "email_status", "last_notify_time", "sample_stats", "pass_rate",
    "score", "create_time", "update_time",
}  # fmt: skip


class Sdk:
    """The team-labeling calls through the unmodified SDK (AK/SK) or over HTTP with a token."""

    def __init__(self, server: ServerThread, *, token: str | None = None) -> None:
        self.server = server
        self.token = token
        self.client = None if token else sdk_client(server, SK)

    def __call__(self, method: str, path: str, body: Any = None, **query: Any) -> Any:
        if self.client is not None:
            response = call(self.client, method, "/v2/{project_id}" + path, body=body, **query)
            return response.to_json_object() if response.status_code != 204 else None
        answer = httpx.request(
            method, f"{self.server.url}/v2/{PROJECT}{path}", json=body, params=query,
            headers={"X-Auth-Token": self.token or ""},
        )  # fmt: skip
        assert answer.is_success, answer.text
        return answer.json() if answer.content else None

    def advance(self, seconds: float) -> None:
        httpx.post(f"{self.server.url}/_mock/clock/advance", json={"seconds": seconds})


def team_labeling_flow(api: Sdk) -> None:
    created = api("POST", "/datasets", {**DATASET, "labels": LABELS})
    dataset = created["dataset_id"]  # its creation imports the input path's files
    api.advance(600)
    imported = api("GET", f"/datasets/{dataset}/import-tasks/{created['import_task_id']}")
    assert imported["status"] == "COMPLETED"
    samples = api("GET", f"/datasets/{dataset}/data-annotations/samples", limit=100)
    assert samples["sample_count"] >= 20

    team = api("POST", "/workforces", {"workforce_name": "labelers"})["workforce_id"]
    for email, role in (("ann@pets.example", 0), ("bob@pets.example", 0),
                        ("rev@pets.example", 1)):  # fmt: skip
        api("POST", f"/workforces/{team}/workers", {"emails": email, "role": role})
    task_body = {"task_name": "pets-round-1",
                 "workforces_config": {"workforces": [{"workforce_id": team}]}}  # fmt: skip
    task = api("POST", f"/datasets/{dataset}/workforce-tasks", task_body)["task_id"]
    path = f"/datasets/{dataset}/workforce-tasks/{task}"
    api("POST", path, {})
    api.advance(6 * 3600)  # labelers finish well within it; a token lasts 24 h

    listed = api("GET", "/workforces/worker-tasks", limit=10)
    rows = listed["worker_tasks"]
    assert listed["count"] == 3 and WORKER_TASK_FIELDS <= set(rows[0])
    labeled = sum(r["sample_stats"]["unreviewed_sample_count"] for r in rows if r["role"] == 0)
    assert labeled == samples["sample_count"]

    unreviewed = []  # every page of them: offset is the page number
    while page := api("GET", f"/datasets/{dataset}/data-annotations/samples",
                      sample_state="__UNREVIEWED__", offset=len(unreviewed) // 100,
                      limit=100)["samples"]:  # fmt: skip
        unreviewed += page
        if len(page) < 100:
            break
    api(
        "POST",
        f"{path}/data-annotations/review",
        {
            "comments": [
                {"sample_id": s["sample_id"], "accept": True, "comment": "ok"} for s in unreviewed
            ]
        },
    )
    checking = api("POST", f"{path}/acceptance", {"sampling_num": 5})["task_id"]
    drawn = api("GET", f"/datasets/{dataset}/data-annotations/samples",
                sample_state="__WORKFORCE_SAMPLED__", limit=100)["samples"]  # fmt: skip
    api(
        "POST",
        f"{path}/acceptance/batch-comment",
        {"comments": [{"sample_id": s["sample_id"], "accept": True, "score": "A"} for s in drawn]},
    )
    report = api("GET", f"{path}/acceptance/report", checking_task_id=checking)
    assert report["checking_stats"]["pass_rate"] == 1.0
    api("PUT", f"{path}/acceptance/status", {"action": 0}, locale="en-us")

    finished = api("GET", path, sample_stats="true")
    assert finished["status"] == 3 and finished["pass_rate"] == 1.0
    described = api("GET", f"/datasets/{dataset}")
    assert described["annotated_sample_count"] == samples["sample_count"]
    stats = api("GET", f"/datasets/{dataset}/data-annotations/stats")
    assert sum(label["sample_count"] for label in stats["label_stats"]) == samples["sample_count"]


def test_team_labeling_end_to_end_with_real_signatures(server: ServerThread) -> None:
    httpx.post(f"{server.url}/_mock/modelarts/credentials",
               json={"ak": AK, "sk": SK, "project_id": PROJECT})  # fmt: skip
    team_labeling_flow(Sdk(server))
    with pytest.raises(ClientRequestException) as tampered:
        call(sdk_client(server, SK + "x"), "GET", "/v2/{project_id}/workforces/worker-tasks")
    assert (tampered.value.status_code, tampered.value.error_code) == (403, "ModelArts.0206")


def test_team_labeling_end_to_end_with_an_iam_token(server: ServerThread) -> None:
    issued = httpx.post(f"{server.url}/v3/auth/tokens", json={"auth": {
        "identity": {"methods": ["password"], "password": {"user": {
            "name": "owner", "password": "secret", "domain": {"name": "acme"}}}},
        "scope": {"project": {"id": PROJECT}},
    }})  # fmt: skip
    team_labeling_flow(Sdk(server, token=issued.headers["X-Subject-Token"]))

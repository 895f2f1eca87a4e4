"""The README's JSON is what the server takes and answers: the request body it shows is
accepted and does what the README says, the answer it shows is the answer, and the
webhook it sketches has the headers and keys it lists."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import httpx
import pytest
from readme_kit import all_blocks, blocks

from mockserver.settings import Settings
from mockserver.testing import Receiver, ServerThread

THROUGHPUT = {
    "worker_id": "w@example.com",
    "use_case_id": "uc-1",
    "task_definition_id": "td-1",
    "task_started_at": "2024-05-01T09:00:00Z",
    "task_completed_at": "2024-05-01T09:30:00Z",
}
CHECKED = {"Control API (/_mock)", "CloudFactory"}
"""The sections whose JSON blocks the tests below hold to the server."""


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    with ServerThread(Settings(clock="manual", seed=1)) as server:
        with httpx.Client(base_url=server.url) as http:
            yield http


def test_every_json_block_is_checked() -> None:
    for block in all_blocks():
        if block.lang in ("json", ""):  # a plain block sketches a message
            assert block.section in CHECKED, f"no test checks {block}"


def test_the_near_miss_answer_is_the_servers(client: httpx.Client) -> None:
    (shown,) = blocks("Control API (/_mock)", "json")
    reported = client.post(
        "/cloudfactory/v1/workstreams/ws-1/task_completed",
        headers={"x-api-key": "my-key"},
        json=THROUGHPUT,
    )
    assert reported.status_code == 202
    verified = client.post(
        "/_mock/journal/verify", json={"method": "GET", "path": "task_completed$"}
    )
    assert verified.status_code == 200
    assert verified.json() == json.loads(shown.text)


def test_the_cloudfactory_setup_registers_a_strict_tenant(client: httpx.Client) -> None:
    (setup,) = blocks("CloudFactory", "json")
    registered = client.post("/_mock/tenants", content=setup.text)
    assert registered.status_code == 201
    assert registered.json()["id"] == "cloudfactory:my-key" and registered.json()["strict"]
    key = {"x-api-key": "my-key"}
    path = "/cloudfactory/v1/workstreams/{}/task_completed"
    assert client.post(path.format("ws-1"), headers=key, json=THROUGHPUT).status_code == 202
    # A strict tenant's key on a workstream of no setup, and a use case of none, are refused.
    assert client.post(path.format("ws-2"), headers=key, json=THROUGHPUT).status_code == 403
    other_use_case = {**THROUGHPUT, "use_case_id": "uc-2"}
    assert client.post(path.format("ws-1"), headers=key, json=other_use_case).status_code == 400


def _sketched_webhook() -> tuple[list[str], set[str], set[str]]:
    """The header names, envelope keys and ``data`` keys of the CloudFactory sketch."""
    (sketch,) = blocks("CloudFactory", "")
    head, body = sketch.text.split("\n\n", 1)
    headers = [line.split(":", 1)[0] for line in head.splitlines()]
    envelope, data = body.split('"data":', 1)
    return (
        headers,
        set(re.findall(r'"(\w+)":', envelope)) | {"data"},
        set(re.findall(r'"(\w+)"', data)),
    )


def test_the_oversight_webhook_is_as_sketched(client: httpx.Client) -> None:
    headers, envelope, data = _sketched_webhook()
    key = {"x-api-key": "hooked"}
    with Receiver() as receiver:
        media = client.post("/cloudfactory/v1/media", headers=key, json={"configuration_id": "c"})
        assert client.put(media.json()["media_upload_url"], content=b"\x89PNG").status_code == 200
        task = {"configuration_id": "c", "media_key": media.json()["media_key"]}
        submitted = client.post(
            "/cloudfactory/v1/tasks", headers=key, json={**task, "callback_url": receiver.url}
        )
        assert submitted.status_code == 200
        client.post("/_mock/clock/advance", json={"seconds": 3600})  # picked up, then done
        (hook,) = receiver.requests
    sent = {name.lower(): value for name, value in hook.headers.items()}
    assert {name.lower() for name in headers} <= set(sent)
    assert sent["content-type"] == "application/json"
    assert re.fullmatch(r"t=\d+;v1=[0-9a-f]{64}", sent["x-cf-signature"])
    body = json.loads(hook.body)
    assert set(body) == envelope
    assert set(body["data"]) == data

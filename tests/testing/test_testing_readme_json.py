"""The README's JSON is what the server takes and answers: the request body it shows is
accepted and does what the README says, the answers it shows (in blocks and in the
tables' cells) are the answers, and the webhook it sketches has the headers and keys it
lists."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import httpx
import pytest
from readme_kit import all_blocks, blocks, table_rows

from mockserver.settings import Settings
from mockserver.testing import Receiver, ServerThread

THROUGHPUT = {
    "worker_id": "w@example.com",
    "use_case_id": "uc-1",
    "task_definition_id": "td-1",
    "task_started_at": "2024-05-01T09:00:00Z",
    "task_completed_at": "2024-05-01T09:30:00Z",
}
QUALITY = {
    "workstream_id": "ws-1",
    "use_case_id": "uc-1",
    "task_definition_id": "td-1",
    "worker_id": "w@example.com",
    "review_completed_at": "2024-05-01T09:30:00Z",
    "review_score": 0.9,
}
ANSWER = re.compile(r"`(\d{3})(?: (\{.*?\}))?`")
"""An answer as the README's tables write it: `200 {"key", "other": "value"}`."""


CHECKED = {"Control API (/_mock)", "CloudFactory"}
"""The sections whose JSON blocks the tests below hold to the server."""


def _keys(shape: str) -> set[str]:
    """The keys of a shape the README writes (`{"key", "other": "value"}`)."""
    return set(re.findall(r'(?<!: )"(\w+)"', shape))


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


def _cloudfactory_answers(client: httpx.Client) -> dict[str, list[httpx.Response]]:
    """A request for each row of the README's CloudFactory table, by the row's first cell."""
    key = {"x-api-key": "table"}
    configuration = {"configuration_id": "c"}
    media = client.post("/cloudfactory/v1/media", headers=key, json=configuration)
    client.put(media.json()["media_upload_url"], content=b"\x89PNG")
    task = {"configuration_id": "c", "media_key": media.json()["media_key"]}
    submitted = client.post("/cloudfactory/v1/tasks", headers=key, json=task)
    workstream = "/cloudfactory/v1/workstreams/ws-1"
    tasks = "/cloudfactory/v1/tasks"
    return {
        "`POST /v1/workstreams/{id}/task_reviewed` (Quality)": [
            client.post(f"{workstream}/task_reviewed", headers=key, json=QUALITY)
        ],
        "`POST /v1/workstreams/{id}/task_completed` (Throughput)": [
            client.post(f"{workstream}/task_completed", headers=key, json=THROUGHPUT)
        ],
        "`POST` or `GET /v1/workstreams/{id}/upload_url` (Secure Upload)": [
            client.post(f"{workstream}/upload_url", headers=key, json={}),
            client.get(f"{workstream}/upload_url", headers=key),
        ],
        "`POST /v1/media` (Upload Media; also `/v1/media/upload`, `/v1/upload-media`)": [
            media,
            client.post("/cloudfactory/v1/media/upload", headers=key, json=configuration),
            client.post("/cloudfactory/v1/upload-media", headers=key, json=configuration),
        ],
        "`POST /v1/tasks` (Submit Task)": [submitted],
        "`GET /v1/tasks/{id}` (Task Status)": [
            client.get(f"{tasks}/{submitted.json()['task_id']}", headers=key),
            client.get(f"{tasks}/no-such-task", headers=key),
        ],
        "`GET /v1/tasks`": [client.get(tasks, headers=key)],
    }


def test_the_cloudfactory_table_shows_the_answers(client: httpx.Client) -> None:
    rows = table_rows("CloudFactory")
    answers = _cloudfactory_answers(client)
    assert set(rows) - {"endpoint"} == set(answers)
    for endpoint, responses in answers.items():
        claims = ANSWER.findall(rows[endpoint][1])
        if len(claims) == 1:  # one answer for each way in
            claims *= len(responses)
        for (status, shape), response in zip(claims, responses, strict=True):
            assert response.status_code == int(status), (endpoint, response.text)
            if shape:  # the keys it names, and the values it gives
                assert set(response.json()) == _keys(shape), (endpoint, response.text)
            for name, value in re.findall(r'"(\w+)": "([^"]*)"', shape):
                assert response.json()[name] == value, (endpoint, response.text)


def test_the_control_table_shows_the_answers(client: httpx.Client) -> None:
    rows = table_rows("Control API (/_mock)")
    health, fixtures = (
        "`GET /_mock/health`",
        "`GET /_mock/fixtures` · `POST /_mock/fixtures/{name}`",
    )
    shown = {row: re.findall(r"`(\{.*?\})`", rows[row][1])[-1] for row in (health, fixtures)}
    answered = client.get("/_mock/health")
    assert set(answered.json()) == _keys(shown[health]) and answered.json()["status"] == "ok"
    loaded = client.post("/_mock/fixtures/tenants")
    assert loaded.status_code == 201
    assert set(loaded.json()) == _keys(shown[fixtures])

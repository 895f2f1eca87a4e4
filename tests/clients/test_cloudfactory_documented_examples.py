"""CloudFactory's documented examples, sent as the documentation writes them.

The bodies are data files in ``cloudfactory_examples/`` (see its ``SOURCES.md``),
sent byte for byte with the documented headers, to the documented host; each answer
is checked against the fields the documentation gives it. No public client of the
Public API was found (CloudFactory's own Python packages call other APIs: Hasty's
and the AI Platform's), so the documentation's examples are the client here.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.testclient import TestClient

from mockserver.app import create_app
from mockserver.settings import Settings

EXAMPLES = Path(__file__).parent / "cloudfactory_examples"
HOST = "https://api.cloudfactory.app"
BARE_ROOT = "http://localhost:8080"  # every vendor mounted; CloudFactory known by its paths
WORKSTREAM = "345d6802-0efa-46de-a73c-6c24f094dfcf"  # the Quality example's own ids
PERFORMANCE_KEY = "loAwlMCCxv4TlpLWR8a2e6"
SUBMIT_KEY = "V7TIDI7C8CZ5NF1794"


def example(name: str) -> bytes:
    return (EXAMPLES / name).read_bytes()


@pytest.fixture
def callbacks() -> list[httpx.Request]:
    return []


@pytest.fixture(params=[HOST, BARE_ROOT], ids=["documented-host", "bare-root"])
def client(callbacks: list[httpx.Request], request: pytest.FixtureRequest) -> TestClient:
    """The sandbox on the documented host, or at the bare root of a server on localhost;
    its webhooks land in ``callbacks``."""

    def receive(request: httpx.Request) -> httpx.Response:
        callbacks.append(request)
        return httpx.Response(200)

    settings = Settings(clock="manual", seed=5, rate_limits=False)
    app = create_app(settings, webhook_transport=httpx.MockTransport(receive))
    return TestClient(app, base_url=request.param)


def test_the_quality_example_is_received(client: TestClient) -> None:
    response = client.post(
        f"/v1/workstreams/{WORKSTREAM}/task_reviewed",
        content=example("quality_task_reviewed.json"),
        headers={
            "x-api-key": PERFORMANCE_KEY,
            "Content-Type": "application/json",
            "Accept": "*/*",
        },  # fmt: skip
    )
    assert response.status_code == 202, response.text
    assert response.headers["content-type"] == "application/json"
    assert response.json() == json.loads(example("quality_task_reviewed.answer.json"))
    tenant = f"cloudfactory:{PERFORMANCE_KEY}"
    records = client.get(
        f"/_mock/cloudfactory/workstreams/{WORKSTREAM}/records", params={"tenant": tenant}
    ).json()["records"]
    (record,) = records
    sent = json.loads(example("quality_task_reviewed.json"))
    assert record["fields"] == sent  # every documented field kept, review_measurements too


def test_the_quality_example_sent_twice_replaces_its_first_record(client: TestClient) -> None:
    """``unique_id`` with ``replace_duplicate: true``: the second call replaces the first."""
    for _ in range(2):
        response = client.post(
            f"/v1/workstreams/{WORKSTREAM}/task_reviewed",
            content=example("quality_task_reviewed.json"),
            headers={"x-api-key": PERFORMANCE_KEY, "Content-Type": "application/json"},
        )
        assert response.status_code == 202
    tenant = f"cloudfactory:{PERFORMANCE_KEY}"
    records = client.get(
        f"/_mock/cloudfactory/workstreams/{WORKSTREAM}/records", params={"tenant": tenant}
    ).json()["records"]
    assert len(records) == 1 and records[0]["replaced"]


def submit(client: TestClient) -> dict[str, Any]:
    response = client.post(
        "/v1/tasks",
        content=example("submit_task.json"),
        headers={"x-api-key": SUBMIT_KEY, "Content-Type": "application/json", "Accept": "*/*"},
    )
    assert response.status_code == 200, response.text
    created: dict[str, Any] = response.json()
    return created


def test_the_submit_task_example_answers_a_task_id(client: TestClient) -> None:
    created = submit(client)
    assert isinstance(created["task_id"], str) and created["task_id"]


def test_the_task_status_call_answers_the_documented_fields(
    client: TestClient, callbacks: list[httpx.Request]
) -> None:
    task_id = submit(client)["task_id"]
    response = client.get(f"/v1/tasks/{task_id}", headers={"x-api-key": SUBMIT_KEY})
    assert response.status_code == 200, response.text
    status = response.json()
    assert set(status) == {"task_id", "state", "updated_inferences"}
    assert status["task_id"] == task_id and isinstance(status["state"], str)
    tenant = f"cloudfactory:{SUBMIT_KEY}"
    for _ in range(50):  # the crowd's turn: step the clock until the task is done
        if client.get(f"/v1/tasks/{task_id}", headers={"x-api-key": SUBMIT_KEY}).json()[
            "updated_inferences"
        ]:
            break
        advanced = client.post("/_mock/clock/advance", json={"seconds": 3600, "tenant": tenant})
        assert advanced.status_code == 200, advanced.text
    done = client.get(f"/v1/tasks/{task_id}", headers={"x-api-key": SUBMIT_KEY}).json()
    inferences = done["updated_inferences"]["inferences"]
    assert inferences, done
    for inference in inferences:
        assert set(inference) >= {"external_id", "classes", "bbox", "mask", "polygon"}
        for found in inference["classes"]:
            assert isinstance(found["class"], str)
            assert 0 <= found["confidence_score"] <= 1
        assert all(len(box) == 4 for box in inference["bbox"])
    (callback,) = callbacks  # the example's callback_url hears of the completion
    assert str(callback.url) == "https://example.com/callback"
    assert "X-CF-Signature" in callback.headers


def test_the_authentication_example_lists_tasks(client: TestClient) -> None:
    """``curl -H "x-api-key: YOUR_API_KEY" https://api.cloudfactory.app/v1/tasks``."""
    response = client.get("/v1/tasks", headers={"x-api-key": "YOUR_API_KEY"})
    assert response.status_code == 200, response.text
    assert response.json() == {"tasks": []}

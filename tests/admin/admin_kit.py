"""What the control-API tests share: a CloudFactory Throughput report, the simplest
request that opens a tenant and lands in the journal."""

from __future__ import annotations

from starlette.testclient import TestClient

WS = "/cloudfactory/v1/workstreams/ws-1/task_completed"
THROUGHPUT = {
    "worker_id": "w@example.com",
    "use_case_id": "uc",
    "task_definition_id": "td",
    "task_started_at": "2024-05-01T09:00:00Z",
    "task_completed_at": "2024-05-01T09:30:00Z",
}


def report(client: TestClient, key: str, **changes: str) -> None:
    """Reports a completed task with the API key ``key`` (fields changed as given)."""
    response = client.post(WS, json={**THROUGHPUT, **changes}, headers={"x-api-key": key})
    assert response.status_code == 202, response.text

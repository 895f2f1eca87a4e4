"""Fault injection over real HTTP: a dropped connection, a delay a client's timeout trips
on, and a receiver outage the webhook retries ride out."""

from __future__ import annotations

import time

import httpx
import pytest

from mockserver.testing import Receiver, ServerThread

KEY = "fault-key"
CONFIGURATION = "cfg-faults"


def test_a_dropped_request_is_a_connection_error_and_the_next_one_is_served(
    server: ServerThread,
) -> None:
    with (
        httpx.Client(base_url=server.url) as mock,
        httpx.Client(base_url=f"{server.url}/cloudfactory", headers={"x-api-key": KEY}) as api,
    ):
        mock.post("/_mock/faults", json={"vendor": "cloudfactory", "drop": True, "count": 1})
        with pytest.raises(httpx.RemoteProtocolError):
            api.get("/v1/tasks")
        assert api.get("/v1/tasks").json() == {"tasks": []}

        entries = mock.get("/_mock/journal", params={"vendor": "cloudfactory"}).json()["entries"]
        assert [e["status"] for e in entries] == [0, 200]


def test_latency_is_a_real_delay_that_trips_a_client_timeout(server: ServerThread) -> None:
    with (
        httpx.Client(base_url=server.url) as mock,
        httpx.Client(base_url=f"{server.url}/cloudfactory", headers={"x-api-key": KEY}) as api,
    ):
        rule = {"vendor": "cloudfactory", "path": "/v1/tasks$", "latency": {"seconds": 0.3}}
        mock.post("/_mock/faults", json=rule)
        with pytest.raises(httpx.ReadTimeout):
            api.get("/v1/tasks", timeout=0.05)
        started = time.monotonic()
        assert api.get("/v1/tasks").status_code == 200
        assert time.monotonic() - started >= 0.3


def _submit_task(mock: httpx.Client, api: httpx.Client, callback_url: str) -> str:
    registered = mock.post(
        "/_mock/tenants",
        json={
            "vendor": "cloudfactory",
            "credential": KEY,
            "setup": {"configurations": [{"id": CONFIGURATION}]},
        },
    )
    assert registered.status_code == 201, registered.text
    media = api.post(
        "/v1/media", json={"configuration_id": CONFIGURATION, "content_type": "image/png"}
    ).json()
    upload = httpx.put(
        media["media_upload_url"], content=b"\x89PNG", headers={"Content-Type": "image/png"}
    )
    assert upload.status_code == 200
    task = api.post(
        "/v1/tasks",
        json={
            "media_key": media["media_key"],
            "configuration_id": CONFIGURATION,
            "callback_url": callback_url,
        },
    )
    assert task.status_code == 200, task.text
    task_id: str = task.json()["task_id"]
    return task_id


def test_an_outbound_outage_is_logged_attempt_by_attempt_until_the_retry_gets_through(
    server: ServerThread, receiver: Receiver
) -> None:
    with (
        httpx.Client(base_url=server.url) as mock,
        httpx.Client(base_url=f"{server.url}/cloudfactory", headers={"x-api-key": KEY}) as api,
    ):
        for effect in ({"drop": True}, {"status": 503}):
            rule = {"direction": "outbound", "path": "^/hooks/", "count": 1, **effect}
            assert mock.post("/_mock/faults", json=rule).status_code == 201
        task_id = _submit_task(mock, api, f"{receiver.url}/hooks/cf")

        for _ in range(18):  # ten-minute steps: a step never reaches the hourly retry
            mock.post("/_mock/clock/advance", json={"seconds": 600})
            state = api.get(f"/v1/tasks/{task_id}").json()["state"]
            if state == "completed":
                break
        assert state == "completed"
        assert receiver.requests == []  # the first attempt was dropped
        mock.post("/_mock/clock/advance", json={"seconds": 3600})
        assert receiver.requests == []  # the first retry met a 503
        mock.post("/_mock/clock/advance", json={"seconds": 7200})
        assert [r.path for r in receiver.requests] == ["/hooks/cf"]

        [delivery] = mock.get("/_mock/webhooks/deliveries").json()["deliveries"]
        assert delivery["state"] == "delivered"
        assert [(a["status"], a["error"]) for a in delivery["attempts"]] == [
            (None, "connection dropped (injected by fault 1)"),
            (503, "injected by fault 2"),
            (200, None),
        ]
        assert [r["hits"] for r in mock.get("/_mock/faults").json()["faults"]] == [1, 1]

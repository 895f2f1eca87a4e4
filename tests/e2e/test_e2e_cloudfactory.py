"""CloudFactory over real HTTP: a uvicorn server on loopback and a real webhook receiver."""

from __future__ import annotations

import hashlib
import hmac
import json

import httpx

from mockserver.testing import Receiver, ServerThread

KEY = "V7TIDI7C8CZ5NF1794"
CONFIGURATION = "e3404e84-db35-43a4-9144-d3588a4beb28"
SECRET = "whsec-e2e"
QUALITY = {
    "workstream_id": "345d6802-0efa-46de-a73c-6c24f094dfcf",
    "use_case_id": "rr3d6802-0efa-46de-a73c-6c24f094dfcf",
    "task_definition_id": "032d6802-0efa-46de-a73c-6c24f094dfcf",
    "worker_id": "test_worker@cf.com",
    "review_completed_at": "2020-12-22T10:13:24.127Z",
    "review_score": 0.78,
}


def _register(mock: httpx.Client) -> None:
    response = mock.post(
        "/_mock/tenants",
        json={
            "vendor": "cloudfactory",
            "credential": KEY,
            "setup": {"configurations": [{"id": CONFIGURATION, "webhook_secret": SECRET}]},
        },
    )
    assert response.status_code == 201, response.text


def _submit_uploaded_task(api: httpx.Client, callback_url: str) -> str:
    media = api.post(
        "/v1/media", json={"configuration_id": CONFIGURATION, "content_type": "image/png"}
    )
    assert media.status_code == 200, media.text
    upload = httpx.put(
        media.json()["media_upload_url"],
        content=b"\x89PNG...",
        headers={"Content-Type": "image/png"},
    )
    assert upload.status_code == 200 and upload.headers["etag"]
    task = api.post(
        "/v1/tasks",
        json={
            "media_key": media.json()["media_key"],
            "configuration_id": CONFIGURATION,
            "callback_url": callback_url,
            "media_type": "image",
            "tags": [{"confidence_score": 0.8, "value": "Pothole"}],
            "context_metadata": [{"key": "my_image_uid", "value": "img_67890_xyz"}],
        },
    )
    assert task.status_code == 200, task.text
    task_id: str = task.json()["task_id"]
    return task_id


def test_oversight_task_completes_and_its_signed_webhook_is_retried(
    server: ServerThread, receiver: Receiver
) -> None:
    receiver.respond(500, 200)
    with (
        httpx.Client(base_url=server.url) as mock,
        httpx.Client(base_url=f"{server.url}/cloudfactory", headers={"x-api-key": KEY}) as api,
    ):
        _register(mock)
        task_id = _submit_uploaded_task(api, f"{receiver.url}/hooks/cf")
        assert api.get(f"/v1/tasks/{task_id}").json()["state"] == "created"

        for _ in range(18):  # ten-minute steps: a step never reaches the hourly retry
            mock.post("/_mock/clock/advance", json={"seconds": 600})
            status = api.get(f"/v1/tasks/{task_id}").json()
            if status["state"] == "completed":
                break
        assert status["state"] == "completed"
        assert status["updated_inferences"]["inferences"][0]["classes"][0]["class"] == "Pothole"
        assert len(receiver.requests) == 1  # answered 500: the retry waits an hour

        mock.post("/_mock/clock/advance", json={"seconds": 3600})
        assert len(receiver.requests) == 2

    first, retry = receiver.requests
    assert first.path == "/hooks/cf" and first.method == "POST"
    for request in (first, retry):
        timestamp, v1 = (
            part.split("=", 1)[1] for part in request.headers["X-CF-Signature"].split(";")
        )
        expected = hmac.new(
            SECRET.encode(), f"{timestamp}.".encode() + request.body, hashlib.sha256
        ).hexdigest()
        assert v1 == expected
    event = json.loads(retry.body)
    assert event["event"] == "task.completed"
    assert event["data"]["task_id"] == task_id
    assert event["data"]["context_metadata"] == [{"key": "my_image_uid", "value": "img_67890_xyz"}]

    deliveries = httpx.get(f"{server.url}/_mock/webhooks/deliveries").json()["deliveries"]
    assert [d["state"] for d in deliveries] == ["delivered"]
    assert [a["status"] for a in deliveries[0]["attempts"]] == [500, 200]


def test_quality_report_by_host_header_is_journaled_and_readable(server: ServerThread) -> None:
    with httpx.Client(base_url=server.url) as client:
        response = client.post(
            f"/v1/workstreams/{QUALITY['workstream_id']}/task_reviewed",
            json=QUALITY,
            headers={"Host": "api.cloudfactory.app", "x-api-key": "loAwlMCCxv4TlpLWR8a2e6"},
        )
        assert response.status_code == 202
        assert response.json() == {"message": "Data successfully received."}

        records = client.get(
            f"/_mock/cloudfactory/workstreams/{QUALITY['workstream_id']}/records",
            params={"tenant": "cloudfactory:loAwlMCCxv4TlpLWR8a2e6"},
        ).json()["records"]
        assert [r["fields"]["review_score"] for r in records] == [0.78]

        journal = client.get("/_mock/journal", params={"vendor": "cloudfactory"}).json()
        (entry,) = journal["entries"]
        assert entry["status"] == 202
        assert entry["tenant"] == "cloudfactory:loAwlMCCxv4TlpLWR8a2e6"
        assert json.loads(entry["request_body"]) == QUALITY


def test_bulk_csv_upload_over_http(server: ServerThread) -> None:
    workstream = "ws-csv"
    with (
        httpx.Client(base_url=server.url) as mock,
        httpx.Client(base_url=f"{server.url}/cloudfactory", headers={"x-api-key": KEY}) as api,
    ):
        grant = api.post(f"/v1/workstreams/{workstream}/upload_url", json={"type": "throughput"})
        assert grant.status_code == 200
        csv = (
            "worker_id,use_case_id,task_definition_id,task_started_at,task_completed_at\n"
            "a@x.com,uc,td,2020-12-22T09:13:24.127Z,2020-12-22T10:13:24.127Z\n"
            "b@x.com,uc,td,2020-12-22T09:13:24.127Z,not a date\n"
        )
        put = httpx.put(
            grant.json()["upload_url"], content=csv.encode(), headers={"Content-Type": "text/csv"}
        )
        assert put.status_code == 200
        outcome = mock.get(
            f"/_mock/cloudfactory/uploads/{grant.json()['file_key']}",
            params={"tenant": f"cloudfactory:{KEY}"},
        ).json()
        assert (outcome["accepted"], outcome["errors"]) == (
            1,
            [{"line": 3, "field": "task_completed_at", "error": "must be a valid date-time"}],
        )
        records = mock.get(
            f"/_mock/cloudfactory/workstreams/{workstream}/records",
            params={"tenant": f"cloudfactory:{KEY}"},
        ).json()["records"]
        assert [(r["data_source"], r["fields"]["duration"]) for r in records] == [
            ("csv_automated", 3600.0)
        ]
        puts = mock.get("/_mock/journal", params={"method": "PUT"}).json()["entries"]
        assert [(e["tenant"], e["status"], e["request_body"]) for e in puts] == [
            (f"cloudfactory:{KEY}", 200, csv)
        ]

"""Oversight over HTTP: upload media, PUT the bytes, submit a task, poll it to completion."""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

import pytest

INFERENCES = [
    {
        "external_id": "box-1",
        "classes": [{"class": "car", "confidence_score": 0.8}],
        "bbox": [[10, 20, 110, 220]],
    }
]


def seconds_to_next_event(cf: Any) -> float:
    clock = cf.client.get("/_mock/clock", params={"tenant": cf.tenant()}).json()
    due = datetime.fromisoformat(clock["next_event_at"]).timestamp()
    return due - clock["epoch_seconds"] + 0.001  # next_event_at is shown to the millisecond


@pytest.fixture
def task_id(cf: Any) -> str:
    media_key = cf.uploaded_media()
    body = {"media_key": media_key, "configuration_id": "cfg-1", "inferences": INFERENCES}
    response = cf.submit(body)
    assert response.status_code == 200
    return str(response.json()["task_id"])


@pytest.mark.parametrize("path", ["/v1/media", "/v1/media/upload", "/v1/upload-media"])
def test_upload_media_answers_where_to_put_the_bytes_and_their_key(cf: Any, path: str) -> None:
    response = cf.call(
        "POST", path, json={"configuration_id": "cfg-1", "content_type": "image/png"}
    )
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"media_upload_url", "media_key"}
    assert body["media_upload_url"].startswith("http://testserver/_mock/storage/")
    assert body["media_key"].startswith("https://oversight-media.s3.amazonaws.com/")
    assert body["media_key"].endswith(".png")


def test_media_put_answers_200_with_the_etag_of_the_bytes(cf: Any) -> None:
    media = cf.new_media(content_type="image/jpeg")
    data = b"\xff\xd8\xff\xe0 some jpeg"
    response = cf.client.put(
        media["media_upload_url"], content=data, headers={"content-type": "image/jpeg"}
    )
    assert (response.status_code, response.content) == (200, b"")
    assert response.headers["etag"] == f'"{hashlib.md5(data).hexdigest()}"'


def test_a_task_goes_from_created_to_completed_as_sim_time_passes(cf: Any, task_id: str) -> None:
    assert cf.task(task_id).json() == {
        "task_id": task_id,
        "state": "created",
        "updated_inferences": None,
    }
    cf.advance(seconds_to_next_event(cf))
    assert cf.task(task_id).json()["state"] == "in_progress"
    cf.advance(4 * 3600)
    status = cf.task(task_id).json()
    assert status["state"] == "completed"
    (inference,) = status["updated_inferences"]["inferences"]
    assert inference["external_id"] == "box-1"
    assert [c["class"] for c in inference["classes"]] == ["car"]
    (box,) = inference["bbox"]
    assert len(box) == 4
    detail = cf.mock(f"/tasks/{task_id}")
    assert [h["state"] for h in detail["history"]] == ["created", "in_progress", "completed"]
    assert detail["worker_id"]


def test_nothing_moves_until_the_clock_is_advanced(cf: Any, task_id: str) -> None:
    for _ in range(3):
        assert cf.task(task_id).json()["state"] == "created"
    cf.advance(29)
    assert cf.task(task_id).json()["state"] == "created"


def test_another_keys_poll_of_a_task_is_404(cf: Any, task_id: str) -> None:
    assert cf.call("GET", "/v1/tasks", key="someone-else").status_code == 200
    response = cf.refused(lambda: cf.task(task_id, key="someone-else"), 404)
    assert response.json() == {"message": "Task not found"}
    response = cf.refused(lambda: cf.task("no-such-task"), 404)
    assert response.json() == {"message": "Task not found"}


def test_the_task_list_holds_the_callers_tasks_oldest_first(cf: Any, task_id: str) -> None:
    second = cf.submit({"media_key": cf.uploaded_media(), "configuration_id": "cfg-1"})
    listing = cf.call("GET", "/v1/tasks").json()["tasks"]
    assert [t["task_id"] for t in listing] == [task_id, second.json()["task_id"]]
    assert cf.call("GET", "/v1/tasks", key="someone-else").json() == {"tasks": []}


def test_a_mounted_bucket_image_needs_no_upload(cf: Any) -> None:
    body = {"media_key": "images/cat.jpg", "configuration_id": "cfg-1", "bucket_id": "bucket-1"}
    response = cf.submit(body)
    assert response.status_code == 200
    cf.advance(4 * 3600)
    assert cf.task(response.json()["task_id"]).json()["state"] == "completed"


def test_an_empty_upload_fails_the_task(cf: Any) -> None:
    media_key = cf.uploaded_media(data=b"")
    task_id = cf.submit({"media_key": media_key, "configuration_id": "cfg-1"}).json()["task_id"]
    cf.advance(4 * 3600)
    assert cf.task(task_id).json() == {
        "task_id": task_id,
        "state": "failed",
        "updated_inferences": None,
    }


# -- refusals --------------------------------------------------------------------------------


def field_names(response: Any) -> list[str]:
    assert response.json()["message"] == "Validation failed"
    return [e["field"] for e in response.json()["errors"]]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "configuration_id"),
        ({"configuration_id": ""}, "configuration_id"),
        ({"configuration_id": "cfg-1", "content_type": "jpeg"}, "content_type"),
        ({"configuration_id": "cfg-1", "media_type": "audio"}, "media_type"),
    ],
)
def test_upload_media_validates_its_body(task_id: str, cf: Any, body: Any, field: str) -> None:
    response = cf.refused(lambda: cf.call("POST", "/v1/media", json=body), 400)
    assert field_names(response) == [field]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"media_key": None}, "media_key"),
        ({"configuration_id": None}, "configuration_id"),
        ({"callback_url": "not a url"}, "callback_url"),
        ({"callback_url": "ftp://files.example/x"}, "callback_url"),
        ({"tags": [{"value": "car", "confidence_score": 1.5}]}, "tags.0.confidence_score"),
        ({"inferences": [{"bbox": [[1, 2, 3]]}]}, "inferences.0.bbox.0"),
        ({"media_type": "audio"}, "media_type"),
        ({"configuration_id": "cfg-2"}, "configuration_id"),
        ({"bucket_id": "bucket-1", "media_type": "video"}, "media_type"),
    ],
)
def test_submit_refuses_a_bad_task(
    task_id: str, cf: Any, change: dict[str, Any], field: str
) -> None:
    body = {"media_key": cf.uploaded_media(), "configuration_id": "cfg-1", **change}
    body = {k: v for k, v in body.items() if v is not None}
    response = cf.refused(lambda: cf.submit(body), 400)
    assert field_names(response) == [field]


def test_submit_refuses_media_whose_bytes_never_arrived(cf: Any, task_id: str) -> None:
    media = cf.new_media(content_type="image/jpeg")
    body = {"media_key": media["media_key"], "configuration_id": "cfg-1"}
    response = cf.refused(lambda: cf.submit(body), 400)
    assert field_names(response) == ["media_key"]


def test_a_put_with_another_content_type_does_not_match_the_signature(
    cf: Any, task_id: str
) -> None:
    media = cf.new_media(content_type="image/jpeg")

    def send() -> Any:
        return cf.client.put(
            media["media_upload_url"], content=b"png", headers={"content-type": "image/png"}
        )

    response = cf.refused(send, 403)
    assert "<Code>SignatureDoesNotMatch</Code>" in response.text
    body = {"media_key": media["media_key"], "configuration_id": "cfg-1"}
    assert field_names(cf.refused(lambda: cf.submit(body), 400)) == ["media_key"]


def test_a_media_url_expires_after_an_hour(cf: Any, task_id: str) -> None:
    media = cf.new_media(content_type="image/jpeg")
    cf.advance(3601)

    def send() -> Any:
        return cf.client.put(
            media["media_upload_url"], content=b"jpg", headers={"content-type": "image/jpeg"}
        )

    response = cf.refused(send, 403)
    assert "<Message>Request has expired</Message>" in response.text


STRICT_SETUP = {"configurations": [{"id": "cfg-1"}], "buckets": ["bucket-1"]}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (
            {"media_key": "a.jpg", "configuration_id": "cfg-x", "bucket_id": "bucket-1"},
            "configuration_id",
        ),
        ({"media_key": "a.jpg", "configuration_id": "cfg-1", "bucket_id": "bucket-x"}, "bucket_id"),
        (
            {"media_key": "https://elsewhere.example/a.jpg", "configuration_id": "cfg-1"},
            "media_key",
        ),
    ],
)
def test_a_strict_tenant_refuses_what_it_was_not_provisioned(
    cf: Any, body: dict[str, Any], field: str
) -> None:
    cf.register(cf.key, STRICT_SETUP)
    bucket_task = {"media_key": "a.jpg", "configuration_id": "cfg-1", "bucket_id": "bucket-1"}
    assert cf.submit(bucket_task).status_code == 200
    response = cf.refused(lambda: cf.submit(body), 400)
    assert field_names(response) == [field]
    media = {"configuration_id": "cfg-x"}
    response = cf.refused(lambda: cf.call("POST", "/v1/media", json=media), 400)
    assert field_names(response) == ["configuration_id"]

"""Bodies whatever their Content-Type: JSON as text/plain, and forms as the same fields.

A browser's ``fetch()`` sends a string body as ``text/plain;charset=UTF-8`` unless told
otherwise, and HTML forms and ``curl -d`` send ``application/x-www-form-urlencoded``.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

import pytest

RECEIVED = {"message": "Data successfully received."}
FORM = {"content-type": "application/x-www-form-urlencoded"}


@pytest.mark.parametrize(
    "content_type", ["text/plain;charset=UTF-8", "text/plain", "application/octet-stream"]
)
def test_json_sent_as_another_type_is_read_as_json(
    cf: Any, seed_quality: dict[str, Any], content_type: str
) -> None:
    url = f"/v1/workstreams/{cf.workstream}/task_reviewed"
    content = json.dumps(seed_quality).encode()
    response = cf.call("POST", url, content=content, headers={"content-type": content_type})
    assert (response.status_code, response.json()) == (202, RECEIVED)
    (record,) = cf.records()
    assert record["fields"]["review_score"] == 0.78
    assert record["fields"]["errors"] == seed_quality["errors"]


def multipart_form(fields: dict[str, str]) -> tuple[bytes, dict[str, str]]:
    """``fields`` as the parts of a ``multipart/form-data`` body, as ``curl -F`` sends them."""
    boundary = "------------------------d74496d66958873e"
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        for name, value in fields.items()
    ]
    body = ("".join(parts) + f"--{boundary}--\r\n").encode()
    return body, {"content-type": f"multipart/form-data; boundary={boundary}"}


@pytest.mark.parametrize("encoding", ["urlencoded", "multipart"])
def test_a_form_is_read_as_the_same_fields_typed_as_the_json_body(
    cf: Any, seed_quality: dict[str, Any], encoding: str
) -> None:
    fields = {
        "workstream_id": seed_quality["workstream_id"],
        "use_case_id": seed_quality["use_case_id"],
        "task_definition_id": seed_quality["task_definition_id"],
        "worker_id": "test_worker@cf.com",
        "review_completed_at": "2020-12-22T10:13:24.127Z",
        "review_score": "0.78",
        "review_duration": "120",
        "replace_duplicate": "false",
        "unique_id": "form-1",
        "errors[missing_label]": "24",
        "review_metadata[Date accuracy]": "1",
    }
    url = f"/v1/workstreams/{cf.workstream}/task_reviewed"
    if encoding == "urlencoded":
        content, headers = urlencode(fields).encode(), FORM
    else:
        content, headers = multipart_form(fields)
    response = cf.call("POST", url, content=content, headers=headers)
    assert (response.status_code, response.json()) == (202, RECEIVED), response.text
    (record,) = cf.records()
    stored = record["fields"]
    assert (stored["review_score"], stored["review_duration"]) == (0.78, 120)
    assert stored["replace_duplicate"] is False
    assert stored["errors"] == {"missing_label": 24}
    assert stored["review_metadata"] == {"Date accuracy": "1"}  # a string field stays one


def test_a_form_field_that_is_not_its_type_is_refused_by_name(cf: Any) -> None:
    fields = {"worker_id": "w", "use_case_id": "u", "task_definition_id": "t",
              "task_started_at": "2020-12-22T09:13:24.127Z",
              "task_completed_at": "2020-12-22T10:13:24.127Z", "task_count": "many"}  # fmt: skip
    url = f"/v1/workstreams/{cf.workstream}/task_completed"
    response = cf.refused(
        lambda: cf.call("POST", url, content=urlencode(fields).encode(), headers=FORM), 400
    )
    assert [e["field"] for e in response.json()["errors"]] == ["task_count"]


def test_an_oversight_task_may_come_as_a_form(cf: Any) -> None:
    fields = {
        "media_key": cf.uploaded_media(),
        "configuration_id": "cfg-1",
        "media_type": "image",
        "tags[0][value]": "Pothole",
        "tags[0][confidence_score]": "0.8",
        "context_metadata[0][key]": "my_image_uid",
        "context_metadata[0][value]": "12345",
    }
    response = cf.call("POST", "/v1/tasks", content=urlencode(fields).encode(), headers=FORM)
    assert response.status_code == 200, response.text
    task_id = response.json()["task_id"]
    detail = cf.mock(f"/tasks/{task_id}")
    assert detail["tags"] == [{"value": "Pothole", "confidence_score": 0.8}]
    assert detail["context_metadata"] == [{"key": "my_image_uid", "value": "12345"}]


def test_a_media_upload_may_be_asked_for_in_plain_text(cf: Any) -> None:
    response = cf.call(
        "POST",
        "/v1/media",
        content=b'{"configuration_id": "cfg-1"}',
        headers={"content-type": "text/plain;charset=UTF-8"},
    )
    assert response.status_code == 200, response.text
    assert set(response.json()) == {"media_upload_url", "media_key"}

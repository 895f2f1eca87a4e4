"""WorkStream Performance over HTTP: every documented refusal, and the bodies it refuses.

Each refused call is made after one accepted record, and must leave every tenant's
observable state (records, uploads, tasks, resource counts) exactly as it was.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from mockserver.core.validation import load_schema

QUALITY_REQUIRED = load_schema("cloudfactory", "task_reviewed")["required"]
THROUGHPUT_REQUIRED = load_schema("cloudfactory", "task_completed")["required"]
SIX_MIB = 6 * 1024 * 1024
RECEIVED = {"message": "Data successfully received."}


def field_errors(response: Any) -> list[tuple[str, str]]:
    body = response.json()
    assert body["message"] == "Validation failed"
    return [(e["field"], e["error"]) for e in body["errors"]]


@pytest.mark.parametrize("missing", QUALITY_REQUIRED)
def test_quality_without_a_required_field_is_400_naming_it(
    seeded: Any, seed_quality: dict[str, Any], missing: str
) -> None:
    del seed_quality[missing]
    response = seeded.refused(lambda: seeded.quality(seed_quality), 400)
    assert field_errors(response) == [(missing, "is required")]


@pytest.mark.parametrize("missing", THROUGHPUT_REQUIRED)
def test_throughput_without_a_required_field_is_400_naming_it(
    seeded: Any, throughput: dict[str, Any], missing: str
) -> None:
    del throughput[missing]
    response = seeded.refused(lambda: seeded.throughput(throughput), 400)
    assert field_errors(response) == [(missing, "is required")]


@pytest.mark.parametrize(
    ("field", "value", "named", "error"),
    [
        ("review_score", "high", "review_score", "must be a number"),
        ("review_score", True, "review_score", "must be a number"),
        ("worker_id", 5, "worker_id", "must be a string"),
        ("worker_id", "", "worker_id", "must not be empty"),
        ("replace_duplicate", "yes", "replace_duplicate", "must be a boolean"),
        ("errors", {"missing_label": "many"}, "errors.missing_label", "must be a number"),
        ("review_metadata", [], "review_metadata", "must be an object"),
        ("task_review_count", "120", "task_review_count", "must be a number"),
        ("review_duration", -1, "review_duration", "must be at least 0"),
        ("review_completed_at", 20201222, "review_completed_at", "must be a string"),
    ],
)
def test_quality_with_a_wrong_type_is_400_naming_the_field(
    seeded: Any, seed_quality: dict[str, Any], field: str, value: Any, named: str, error: str
) -> None:
    seed_quality[field] = value
    response = seeded.refused(lambda: seeded.quality(seed_quality), 400)
    assert field_errors(response) == [(named, error)]


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("task_count", "3", "must be a number"),
        ("task_count", 0, "must be at least 1"),
        ("duration", -1, "must be at least 0"),
        ("subtask_count", "x", "must be a number or a null"),
        ("data_source", "web", 'must be one of "api", "csv_manual", "csv_automated", "csv_auto"'),
    ],
)
def test_throughput_with_a_wrong_value_is_400_naming_the_field(
    seeded: Any, throughput: dict[str, Any], field: str, value: Any, error: str
) -> None:
    throughput[field] = value
    response = seeded.refused(lambda: seeded.throughput(throughput), 400)
    assert field_errors(response) == [(field, error)]


@pytest.mark.parametrize("score", [-0.1, 1.01])
def test_a_review_score_outside_0_to_1_is_refused(
    seeded: Any, seed_quality: dict[str, Any], score: float
) -> None:
    seed_quality["review_score"] = score
    response = seeded.refused(lambda: seeded.quality(seed_quality), 400)
    assert field_errors(response) == [("review_score", "must be between 0 and 1")]


@pytest.mark.parametrize("score", [0, 1])
def test_the_review_score_bounds_are_accepted(
    cf: Any, seed_quality: dict[str, Any], score: int
) -> None:
    assert cf.quality({**seed_quality, "review_score": score}).status_code == 202
    assert cf.records()[0]["fields"]["review_score"] == score


@pytest.mark.parametrize("review_type", ["QA", "QC", "Spot Check", "Others"])
def test_every_documented_review_type_is_accepted(
    cf: Any, seed_quality: dict[str, Any], review_type: str
) -> None:
    assert cf.quality({**seed_quality, "review_type": review_type}).status_code == 202


@pytest.mark.parametrize("review_type", ["QB", "qa", ""])
def test_a_review_type_outside_the_enum_is_refused(
    seeded: Any, seed_quality: dict[str, Any], review_type: str
) -> None:
    seed_quality["review_type"] = review_type
    response = seeded.refused(lambda: seeded.quality(seed_quality), 400)
    assert field_errors(response) == [
        ("review_type", 'must be one of "QA", "QC", "Spot Check", "Others"')
    ]


NOT_ISO = ["2020-12-22", "22/12/2020 10:13", "2020-13-01T00:00:00Z", "yesterday"]


@pytest.mark.parametrize("value", NOT_ISO)
@pytest.mark.parametrize("field", ["review_completed_at", "task_completed_at"])
def test_quality_dates_must_be_iso_8601(
    seeded: Any, seed_quality: dict[str, Any], field: str, value: str
) -> None:
    seed_quality[field] = value
    response = seeded.refused(lambda: seeded.quality(seed_quality), 400)
    assert field_errors(response) == [(field, "must be a valid date-time")]


@pytest.mark.parametrize("value", NOT_ISO)
@pytest.mark.parametrize("field", ["task_started_at", "task_completed_at", "task_created_at"])
def test_throughput_dates_must_be_iso_8601(
    seeded: Any, throughput: dict[str, Any], field: str, value: str
) -> None:
    throughput[field] = value
    response = seeded.refused(lambda: seeded.throughput(throughput), 400)
    assert field_errors(response) == [(field, "must be a valid date-time")]


def test_completed_before_started_is_refused(seeded: Any, throughput: dict[str, Any]) -> None:
    throughput["task_completed_at"] = "2020-12-22T09:13:24.126Z"
    response = seeded.refused(lambda: seeded.throughput(throughput), 400)
    assert [f for f, _ in field_errors(response)] == ["task_completed_at"]


def test_a_body_naming_another_workstream_is_refused(
    seeded: Any, seed_quality: dict[str, Any], throughput: dict[str, Any]
) -> None:
    seed_quality["workstream_id"] = "another-workstream"
    response = seeded.refused(lambda: seeded.quality(seed_quality), 400)
    assert [f for f, _ in field_errors(response)] == ["workstream_id"]
    throughput["workstream_id"] = "another-workstream"
    response = seeded.refused(lambda: seeded.throughput(throughput), 400)
    assert [f for f, _ in field_errors(response)] == ["workstream_id"]


# -- bodies that are not a JSON object ----------------------------------------------------------

JSON = {"content-type": "application/json"}


@pytest.mark.parametrize("path", ["task_reviewed", "task_completed"])
@pytest.mark.parametrize(
    ("content", "headers", "status", "message"),
    [
        (b'{"worker_id": ', JSON, 400, "Request body is not valid JSON: "),
        (b"[]", JSON, 400, "Request body must be a JSON object"),
        (b'"text"', JSON, 400, "Request body must be a JSON object"),
        (b"", JSON, 400, "Request body is empty"),
        (b"  \n", JSON, 400, "Request body is empty"),
        (b'{"worker_id": "\xff"}', JSON, 400, "Request body is not valid UTF-8"),
        (b"[]", {"content-type": "text/plain"}, 400, "Request body must be a JSON object"),
        (
            b"worker_id=\xff",
            {"content-type": "application/x-www-form-urlencoded"},
            400,
            "Request body is not valid UTF-8",
        ),
    ],
    ids=["malformed", "array", "string", "empty", "blank", "utf8", "text", "form"],
)
def test_a_body_that_is_not_a_json_object_is_refused(
    seeded: Any, path: str, content: bytes, headers: dict[str, str], status: int, message: str
) -> None:
    url = f"/v1/workstreams/{seeded.workstream}/{path}"
    response = seeded.refused(
        lambda: seeded.call("POST", url, content=content, headers=headers), status
    )
    assert response.json()["message"].startswith(message)


def test_json_without_a_content_type_is_accepted(cf: Any, seed_quality: dict[str, Any]) -> None:
    url = f"/v1/workstreams/{cf.workstream}/task_reviewed"
    response = cf.call("POST", url, content=json.dumps(seed_quality).encode())
    assert (response.status_code, response.json()) == (202, RECEIVED)


def padded(body: dict[str, Any], size: int) -> bytes:
    """``body`` as JSON of exactly ``size`` bytes, padded in review_explanation."""
    base = json.dumps({**body, "review_explanation": ""}).encode()
    return json.dumps({**body, "review_explanation": "x" * (size - len(base))}).encode()


def test_a_body_of_6_mib_is_accepted_and_one_byte_more_is_413(
    seeded: Any, seed_quality: dict[str, Any]
) -> None:
    url = f"/v1/workstreams/{seeded.workstream}/task_reviewed"
    over = padded({**seed_quality, "unique_id": "big"}, SIX_MIB + 1)
    assert len(over) == SIX_MIB + 1
    response = seeded.refused(lambda: seeded.call("POST", url, content=over, headers=JSON), 413)
    assert response.json() == {"message": "Request Entity Too Large"}
    at_limit = padded({**seed_quality, "unique_id": "big"}, SIX_MIB)
    response = seeded.call("POST", url, content=at_limit, headers=JSON)
    assert response.status_code == 202
    assert len(seeded.records()) == 2


def test_an_oversized_body_is_413_even_without_a_key(
    seeded: Any, seed_quality: dict[str, Any]
) -> None:
    url = f"/cloudfactory/v1/workstreams/{seeded.workstream}/task_reviewed"
    over = padded(seed_quality, SIX_MIB + 1)
    response = seeded.refused(lambda: seeded.client.post(url, content=over, headers=JSON), 413)
    assert response.json() == {"message": "Request Entity Too Large"}

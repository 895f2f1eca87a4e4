"""Secure Upload over HTTP: a pre-signed URL takes one performance CSV, row by row.

Good rows become records (``data_source`` ``csv_automated``); bad rows are reported
by line under ``/_mock/cloudfactory/uploads/{file_key}``; an unreadable file is
rejected whole. The URL itself answers like an object store: 200 + ETag, or XML.
"""

from __future__ import annotations

import hashlib
from typing import Any

import pytest

THROUGHPUT_HEADER = "worker_id,use_case_id,task_definition_id,task_started_at,task_completed_at"


def csv(*lines: str) -> bytes:
    return ("\r\n".join(lines) + "\r\n").encode()


def new_upload(cf: Any, **kw: Any) -> dict[str, Any]:
    response = cf.upload_url(**kw)
    assert response.status_code == 200, response.text
    return dict(response.json())


def put(cf: Any, url: str, data: bytes) -> Any:
    return cf.client.put(url, content=data, headers={"content-type": "text/csv"})


def test_post_upload_url_hands_out_a_url_for_an_hour(cf: Any) -> None:
    upload = new_upload(cf)
    assert upload["upload_url"].startswith("http://testserver/_mock/storage/")
    assert upload["file_key"].startswith(f"{cf.workstream}/")
    assert upload["file_key"].endswith(".csv")
    assert upload["expires_in"] == 3600
    view = cf.upload(upload["file_key"])
    assert (view["state"], view["type"], view["workstream_id"]) == ("waiting", None, cf.workstream)
    assert view["expires_at"] == "2024-01-01T01:00:00.000Z"


def test_get_upload_url_takes_its_options_from_the_query(cf: Any) -> None:
    path = f"/v1/workstreams/{cf.workstream}/upload_url"
    response = cf.call("GET", path, params={"type": "quality", "file_name": "scores.csv"})
    assert response.status_code == 200
    view = cf.upload(response.json()["file_key"])
    assert (view["type"], view["file_name"]) == ("quality", "scores.csv")


@pytest.mark.parametrize(
    ("options", "field"), [({"type": "speed"}, "type"), ({"file_name": ""}, "file_name")]
)
def test_upload_url_options_are_validated(seeded: Any, options: dict[str, Any], field: str) -> None:
    response = seeded.refused(lambda: seeded.upload_url(json=options), 400, "Validation failed")
    assert [e["field"] for e in response.json()["errors"]] == [field]


def test_a_throughput_csv_becomes_records_from_csv_automated(cf: Any) -> None:
    upload = new_upload(cf, json={"type": "throughput"})
    data = csv(
        THROUGHPUT_HEADER + ",task_count,unique_id",
        "a@cf.com,uc-1,td-1,2020-12-22T09:00:00Z,2020-12-22T09:30:00Z,3,u-1",
        "b@cf.com,uc-1,td-1,2020-12-22T09:00:00Z,2020-12-22T10:00:00Z,,u-2",
    )
    response = put(cf, upload["upload_url"], data)
    assert response.status_code == 200
    assert response.headers["etag"] == f'"{hashlib.md5(data).hexdigest()}"'
    records = cf.records()
    assert [r["data_source"] for r in records] == ["csv_automated"] * 2
    assert [r["upload"] for r in records] == [upload["file_key"]] * 2
    first, second = (r["fields"] for r in records)
    assert (first["worker_id"], first["task_count"], first["duration"]) == ("a@cf.com", 3, 1800.0)
    assert (second["task_count"], second["duration"]) == (1, 3600.0)
    assert first["data_source"] == "csv_automated"
    view = cf.upload(upload["file_key"])
    assert (view["state"], view["rows"], view["accepted"], view["errors"]) == (
        "processed",
        2,
        2,
        [],
    )
    assert view["size"] == len(data)


def test_a_quality_csv_is_recognised_by_its_header_and_its_cells_typed(cf: Any) -> None:
    upload = new_upload(cf)
    data = csv(
        "use_case_id,task_definition_id,worker_id,review_completed_at,review_score,"
        "review_type,errors,replace_duplicate",
        'uc-1,td-1,w@cf.com,2020-12-22T10:13:24.127Z,0.78,Spot Check,"{""missing_label"": 2}",no',
    )
    assert put(cf, upload["upload_url"], data).status_code == 200
    (record,) = cf.records()
    assert (record["kind"], record["data_source"]) == ("quality", "csv_automated")
    assert record["fields"] == {
        "use_case_id": "uc-1",
        "task_definition_id": "td-1",
        "worker_id": "w@cf.com",
        "review_completed_at": "2020-12-22T10:13:24.127Z",
        "review_score": 0.78,
        "review_type": "Spot Check",
        "errors": {"missing_label": 2},
        "replace_duplicate": False,
        "workstream_id": cf.workstream,
    }
    assert cf.upload(upload["file_key"])["type"] == "quality"


def test_a_csv_row_replaces_an_api_record_of_the_same_unique_id(
    cf: Any, throughput: dict[str, Any]
) -> None:
    assert cf.throughput({**throughput, "unique_id": "u-1"}).status_code == 202
    upload = new_upload(cf)
    row = f"w@cf.com,{throughput['use_case_id']},{throughput['task_definition_id']},"
    data = csv(
        THROUGHPUT_HEADER + ",unique_id", row + "2020-12-22T09:00:00Z,2020-12-22T09:10:00Z,u-1"
    )
    assert put(cf, upload["upload_url"], data).status_code == 200
    (record,) = cf.records()
    assert (record["replaced"], record["upload"]) == (1, upload["file_key"])
    assert record["data_source"] == record["fields"]["data_source"] == "csv_automated"
    assert record["fields"]["duration"] == 600.0


def test_bad_rows_are_reported_by_line_and_good_rows_kept(cf: Any) -> None:
    upload = new_upload(cf)
    good = "w@cf.com,uc-1,td-1,2020-12-22T09:00:00Z,2020-12-22T10:00:00Z"
    data = csv(
        THROUGHPUT_HEADER + ",task_count",
        "w@cf.com,uc-1,td-1",
        good + ",1",
        good + ",many",
        "w@cf.com,uc-1,td-1,2020-12-22,2020-12-22T10:00:00Z,1",
        ",uc-1,td-1,2020-12-22T09:00:00Z,2020-12-22T10:00:00Z,1",
        "w@cf.com,uc-1,td-1,2020-12-22T11:00:00Z,2020-12-22T10:00:00Z,1",
        "",
        good + ",2",
    )
    assert put(cf, upload["upload_url"], data).status_code == 200
    view = cf.upload(upload["file_key"])
    assert [(e["line"], e["field"], e["error"]) for e in view["errors"]] == [
        (2, "row", "has 3 fields; the header has 6"),
        (4, "task_count", "must be a number"),
        (5, "task_started_at", "must be a valid date-time"),
        (6, "worker_id", "is required"),
        (7, "task_completed_at", "must not be before task_started_at"),
    ]
    assert (view["state"], view["rows"], view["accepted"], view["rejected_rows"]) == (
        "processed",
        7,
        2,
        5,
    )
    assert [r["fields"]["task_count"] for r in cf.records()] == [1, 2]


def test_a_quoted_cell_spanning_lines_moves_the_line_numbers_on(cf: Any) -> None:
    upload = new_upload(cf)
    data = csv(
        THROUGHPUT_HEADER + ",task_url",
        'w@cf.com,uc-1,td-1,2020-12-22T09:00:00Z,2020-12-22T10:00:00Z,"https://x.example/1',
        'second line of the url"',
        "w@cf.com,uc-1,td-1,2020-12-22T09:00:00Z,noon,https://x.example/2",
    )
    assert put(cf, upload["upload_url"], data).status_code == 200
    view = cf.upload(upload["file_key"])
    assert [(e["line"], e["field"]) for e in view["errors"]] == [(4, "task_completed_at")]
    (record,) = cf.records()
    assert record["fields"]["task_url"] == "https://x.example/1\r\nsecond line of the url"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"worker_id,use_case_id\nw,u\nw\xff,u\n", "line 3: the file is not valid UTF-8"),
        (b"", "line 1: the file is empty; a header row is required"),
        (b"\n\n", "line 1: the file is empty; a header row is required"),
        (b"worker_id,use_case_id,worker_id\nw,u,w\n", "line 1: duplicate column worker_id"),
        (b'worker_id,use_case_id\n"w"x,u\n', "line 2: "),
    ],
    ids=["utf8", "empty", "blank", "duplicate-header", "quoting"],
)
def test_an_unreadable_file_is_rejected_whole(seeded: Any, data: bytes, message: str) -> None:
    upload = new_upload(seeded)
    records = seeded.records()
    assert put(seeded, upload["upload_url"], data).status_code == 200
    view = seeded.upload(upload["file_key"])
    assert view["state"] == "rejected"
    assert view["message"].startswith(message)
    assert (view["accepted"], view["size"]) == (0, len(data))
    assert seeded.records() == records


def test_a_second_put_to_the_same_url_replaces_the_file_and_is_processed(cf: Any) -> None:
    """As an object store takes PUTs to a pre-signed URL until it expires."""
    upload = new_upload(cf)
    first = csv(THROUGHPUT_HEADER, "w@cf.com,uc-1,td-1,2020-12-22T09:00:00Z,2020-12-22T10:00:00Z")
    assert put(cf, upload["upload_url"], first).status_code == 200
    second = csv(
        THROUGHPUT_HEADER,
        "v@cf.com,uc-1,td-1,2020-12-22T09:00:00Z,2020-12-22T10:00:00Z",
        "u@cf.com,uc-1,td-1,2020-12-22T09:00:00Z,2020-12-22T10:00:00Z",
    )
    assert put(cf, upload["upload_url"], second).status_code == 200
    view = cf.upload(upload["file_key"])
    assert (view["state"], view["rows"], view["accepted"]) == ("processed", 2, 2)
    assert [r["fields"]["worker_id"] for r in cf.records()] == ["w@cf.com", "v@cf.com", "u@cf.com"]


def test_a_url_expires_after_an_hour_of_sim_time(cf: Any) -> None:
    on_time, late = new_upload(cf), new_upload(cf)
    data = csv(THROUGHPUT_HEADER, "w@cf.com,uc-1,td-1,2020-12-22T09:00:00Z,2020-12-22T10:00:00Z")
    cf.advance(3600)
    assert put(cf, on_time["upload_url"], data).status_code == 200
    cf.advance(1)
    response = cf.refused(lambda: put(cf, late["upload_url"], data), 403)
    assert "<Code>AccessDenied</Code>" in response.text
    assert "<Message>Request has expired</Message>" in response.text
    assert cf.upload(late["file_key"])["state"] == "waiting"


def test_an_unknown_upload_url_is_404(seeded: Any) -> None:
    response = seeded.refused(lambda: put(seeded, "/_mock/storage/no-such-token", b"x"), 404)
    assert response.status_code == 404

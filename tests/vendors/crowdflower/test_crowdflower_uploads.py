"""CrowdFlower uploads: ``POST /jobs/upload`` (a new job) and ``PUT|POST /jobs/{id}/upload``.

CSV and JSON Lines, raw or multipart; gold rows; the column check and ``force``; the
unit limit; and every unreadable file, refused whole with the line named.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from starlette.testclient import TestClient

from mockserver.app import create_app
from mockserver.core.errors import MalformedBody
from mockserver.settings import Settings
from mockserver.vendors.crowdflower.rows import parse_csv, parse_json_lines, read_upload

KEY = "Up7vT2mXc9LpW4sZb8Nd"
PREFIX = "/crowdflower/v1"
CSV = {"content-type": "text/csv"}
JSON = {"content-type": "application/json"}


class CrowdFlower:
    def __init__(self, client: TestClient, key: str = KEY) -> None:
        self.client = client
        self.key = key

    def call(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        url = PREFIX + path + ("&" if "?" in path else "?") + "key=" + self.key
        return self.client.request(method, url, **kwargs)

    def upload(
        self, path: str, body: bytes | str, headers: dict[str, str] | None = None, **kw: Any
    ) -> httpx.Response:
        content = body.encode() if isinstance(body, str) else body
        method = kw.pop("method", "POST")
        return self.call(method, path, content=content, headers=CSV if headers is None else headers)

    def new_job(self, body: str = "text\nhello\nworld\n", **kw: Any) -> dict[str, Any]:
        response = self.upload("/jobs/upload", body, **kw)
        assert response.status_code == 200, response.text
        job: dict[str, Any] = response.json()
        return job

    def units(self, job_id: int) -> dict[str, Any]:
        """Every unit's data, paging until ``{}``."""
        found: dict[str, Any] = {}
        page = 1
        while True:
            response = self.call("GET", f"/jobs/{job_id}/units?page={page}")
            assert response.status_code == 200, response.text
            if not response.json():
                return found
            found.update(response.json())
            page += 1

    def unit(self, job_id: int, unit_id: str) -> dict[str, Any]:
        response = self.call("GET", f"/jobs/{job_id}/units/{unit_id}")
        assert response.status_code == 200, response.text
        unit: dict[str, Any] = response.json()
        return unit

    def ping(self, job_id: int) -> dict[str, Any]:
        response = self.call("GET", f"/jobs/{job_id}/units/ping")
        assert response.status_code == 200, response.text
        ping: dict[str, Any] = response.json()
        return ping

    def job_ids(self) -> list[int]:
        return [j["id"] for j in self.call("GET", "/jobs").json()]

    def snapshot(self, job_id: int | None) -> Any:
        jobs = self.job_ids()
        if job_id is None:
            return jobs
        return jobs, self.ping(job_id), self.units(job_id)

    def refused(
        self,
        send: Callable[[], httpx.Response],
        status: int,
        message: str | None,
        job_id: int | None = None,
    ) -> httpx.Response:
        before = self.snapshot(job_id)
        response = send()
        assert response.status_code == status, response.text
        if message is not None:
            assert response.json() == {"error": {"message": message}}
        assert self.snapshot(job_id) == before
        return response


@pytest.fixture
def client() -> Iterator[TestClient]:
    settings = Settings(clock="manual", seed=1, epoch="2014-07-22T12:56:09Z", rate_limits=False)
    with TestClient(create_app(settings)) as test_client:
        yield test_client


@pytest.fixture
def cf(client: TestClient) -> CrowdFlower:
    return CrowdFlower(client)


def register(client: TestClient, key: str, setup: dict[str, Any]) -> CrowdFlower:
    response = client.post(
        "/_mock/tenants", json={"vendor": "crowdflower", "credential": key, "setup": setup}
    )
    assert response.status_code == 201, response.text
    return CrowdFlower(client, key)


# -- J3: a new job from a file --------------------------------------------------------------------


@pytest.mark.parametrize("suffix", ["", ".json"])
def test_a_csv_upload_makes_a_new_job_holding_its_rows(cf: CrowdFlower, suffix: str) -> None:
    body = 'text,url\nhello,http://a.example/1\n"Hi, there",http://a.example/2\n'
    response = cf.upload(f"/jobs/upload{suffix}?job[title]=Tweets+to+judge", body)
    assert response.status_code == 200, response.text
    job = response.json()
    assert (job["title"], job["state"], job["units_count"], job["golds_count"]) == (
        "Tweets to judge",
        "unordered",
        2,
        0,
    )
    assert job["id"] in cf.job_ids()
    assert list(cf.units(job["id"]).values()) == [
        {"text": "hello", "url": "http://a.example/1"},
        {"text": "Hi, there", "url": "http://a.example/2"},
    ]
    assert cf.ping(job["id"]) == {"count": 2, "done": True}


@pytest.mark.parametrize("media", ["application/json", "text/json", "application/x-ndjson"])
def test_json_lines_keep_their_json_values(cf: CrowdFlower, media: str) -> None:
    body = '{"text": "a", "n": 1, "tags": ["x", "y"], "meta": {"k": null}}\n\n{"text": "b"}\n'
    job = cf.new_job(body, headers={"content-type": media})
    assert job["units_count"] == 2
    assert list(cf.units(job["id"]).values()) == [
        {"text": "a", "n": 1, "tags": ["x", "y"], "meta": {"k": None}},
        {"text": "b"},
    ]


@pytest.mark.parametrize(
    ("body", "expected"),
    [("text\nplain\n", {"text": "plain"}), ('{"text": "json"}\n', {"text": "json"})],
)
@pytest.mark.parametrize("headers", [{}, {"content-type": "application/octet-stream"}])
def test_a_body_without_a_useful_type_is_read_by_its_first_byte(
    cf: CrowdFlower, body: str, expected: dict[str, Any], headers: dict[str, str]
) -> None:
    response = cf.call("POST", "/jobs/upload", content=body.encode(), headers=headers)
    assert response.status_code == 200, response.text
    assert list(cf.units(response.json()["id"]).values()) == [expected]


def test_a_multipart_upload_takes_its_first_file(cf: CrowdFlower) -> None:
    files = [
        ("upload_file", ("rows.csv", b"text\nfrom a file\n", "text/csv")),
        ("second", ("other.csv", b"text\nignored\n", "text/csv")),
    ]
    response = cf.call("POST", "/jobs/upload", files=files, data={"job[title]": "From a form"})
    assert response.status_code == 200, response.text
    job = response.json()
    assert (job["title"], job["units_count"]) == ("From a form", 1)
    assert list(cf.units(job["id"]).values()) == [{"text": "from a file"}]


def test_a_multipart_file_without_a_type_is_read_by_its_name(cf: CrowdFlower) -> None:
    job = cf.new_job()
    files = {"upload_file": ("rows.json", b'{"text": "from json"}\n', "application/octet-stream")}
    response = cf.call("POST", f"/jobs/{job['id']}/upload.json?force=true", files=files)
    assert response.status_code == 200, response.text
    assert list(cf.units(job["id"]).values())[-1] == {"text": "from json"}


def test_a_multipart_body_without_a_file_is_refused(cf: CrowdFlower) -> None:
    message = "the multipart body has no file part; send the rows as a file"
    cf.refused(
        lambda: cf.call("POST", "/jobs/upload", files={"note": (None, b"text\nx\n")}),
        400,
        message,
    )


def test_gold_rows_become_test_questions(cf: CrowdFlower) -> None:
    body = "text,_golden,sentiment_gold\na,true,positive\nb,FALSE,\nc,,\nd,TRUE,negative\n"
    job = cf.new_job(body)
    assert (job["units_count"], job["golds_count"]) == (4, 2)
    units = cf.units(job["id"])
    assert list(units.values())[0] == {"text": "a", "sentiment_gold": "positive"}
    states = [cf.unit(job["id"], uid)["state"] for uid in units]
    assert states == ["golden", "new", "new", "golden"]


def test_gold_json_lines_become_test_questions(cf: CrowdFlower) -> None:
    job = cf.new_job('{"text": "a", "_golden": true}\n{"text": "b"}\n', headers=JSON)
    assert (job["units_count"], job["golds_count"]) == (2, 1)
    assert list(cf.units(job["id"]).values()) == [{"text": "a"}, {"text": "b"}]


def test_bad_job_attributes_make_no_job(cf: CrowdFlower) -> None:
    before = cf.job_ids()
    response = cf.upload("/jobs/upload?job[title]=abc", "text\nx\n")
    assert response.status_code == 422
    assert response.json() == {"errors": ["Title is too short (minimum is 5 characters)"]}
    assert cf.job_ids() == before


# -- J8: rows added to a job ---------------------------------------------------------------------


@pytest.mark.parametrize("method", ["PUT", "POST"])
@pytest.mark.parametrize("suffix", ["", ".json"])
def test_an_upload_adds_rows_to_the_job(cf: CrowdFlower, method: str, suffix: str) -> None:
    job = cf.new_job("text,lang\na,en\n")
    response = cf.upload(
        f"/jobs/{job['id']}/upload{suffix}", "lang,text\nfr,b\nde,c\n", method=method
    )
    assert response.status_code == 200, response.text
    assert (response.json()["id"], response.json()["units_count"]) == (job["id"], 3)
    units = cf.units(job["id"])
    assert list(units.values())[1:] == [{"lang": "fr", "text": "b"}, {"lang": "de", "text": "c"}]
    ids = [int(uid) for uid in units]
    assert ids == list(range(ids[0], ids[0] + 3))


def test_an_empty_job_takes_any_columns(cf: CrowdFlower) -> None:
    created = cf.call("POST", "/jobs", data={"job[title]": "An empty job"}).json()
    response = cf.upload(f"/jobs/{created['id']}/upload", '{"anything": 1}\n', headers=JSON)
    assert (response.status_code, response.json()["units_count"]) == (200, 1)


def test_other_columns_are_refused_without_force(cf: CrowdFlower) -> None:
    job = cf.new_job("text,lang\na,en\n")
    message = (
        "The uploaded columns do not match the columns of this job's rows "
        "(missing lang; unexpected url, title). Send force=true to upload them anyway."
    )
    cf.refused(
        lambda: cf.upload(f"/jobs/{job['id']}/upload", "text,url,title\nb,u,t\n"),
        400,
        message,
        job["id"],
    )


@pytest.mark.parametrize("force", ["true", "True", "1"])
def test_force_takes_other_columns(cf: CrowdFlower, force: str) -> None:
    job = cf.new_job("text\na\n")
    response = cf.upload(f"/jobs/{job['id']}/upload.json?force={force}", "title\nt\n", method="PUT")
    assert (response.status_code, response.json()["units_count"]) == (200, 2)
    assert list(cf.units(job["id"]).values()) == [{"text": "a"}, {"title": "t"}]


def test_an_upload_to_an_unknown_job_is_not_found(cf: CrowdFlower) -> None:
    response = cf.upload("/jobs/999/upload", "text\na\n", method="PUT")
    assert response.status_code == 404
    assert response.json() == {"error": {"message": "We couldn't find what you were looking for."}}


# -- the unit limit ------------------------------------------------------------------------------


def test_uploads_past_the_unit_limit_are_refused_whole(client: TestClient) -> None:
    cf = register(client, "Lm7vT2mXc9LpW4sZb8Nd", {"unit_limit": 3})
    message = "This job has reached its limit of 3 units."
    cf.refused(lambda: cf.upload("/jobs/upload", "text\na\nb\nc\nd\n"), 422, message)
    job = cf.new_job("text\na\nb\n")
    path = f"/jobs/{job['id']}/upload"
    cf.refused(lambda: cf.upload(path, "text\nc\nd\n"), 422, message, job["id"])
    assert cf.upload(path, "text\nc\n").json()["units_count"] == 3
    cf.refused(lambda: cf.upload(path, "text\ne\n"), 422, message, job["id"])


# -- unreadable files ----------------------------------------------------------------------------

BAD_FILES = [
    ("text\nok\n\xff\n", CSV, "line 3: the file is not valid UTF-8"),
    ("", CSV, "line 1: the file is empty; a header row is required"),
    ("", {}, "line 1: the file is empty; a header row is required"),
    ("\n\n", CSV, "line 1: the file is empty; a header row is required"),
    ("a,b,a\n1,2,3\n", CSV, "line 1: duplicate column a"),
    ("a,,b\n1,2,3\n", CSV, "line 1: column 2 has no name"),
    ("a,b,c\n1,2,3\n1,2,3,4\n", CSV, "line 3: has 4 fields, the header has 3"),
    ('a,b\n"two\nlines",1\n1\n', CSV, "line 4: has 1 fields, the header has 2"),
    ("a,b\n1\n", CSV, "line 2: has 1 fields, the header has 2"),
    ('{"a": 1}\n[1, 2]\n', JSON, "line 2: is not a JSON object"),
    ('"text"\n', JSON, "line 1: is not a JSON object"),
    (
        '{"a": 1}\n{"a": }\n',
        JSON,
        "line 2 is not valid JSON: Expecting value at line 1 column 7",
    ),
    (
        '\n[{"a": 1}, {"a": 2}]',
        JSON,
        "line 2: a JSON array is not accepted; send JSON Lines, one object per line",
    ),
    ("  \n", JSON, "line 1: the file is empty; send one JSON object per line"),
    (
        '{"a": 1}\r\n{"a": 2} {"a": 3}\r\n',
        JSON,
        "line 2 is not valid JSON: Extra data at line 1 column 10",
    ),
]


@pytest.mark.parametrize(("body", "headers", "message"), BAD_FILES)
def test_an_unreadable_file_makes_no_job(
    cf: CrowdFlower, body: str, headers: dict[str, str], message: str | None
) -> None:
    data = body.encode("latin-1") if "\xff" in body else body.encode()
    response = cf.refused(lambda: cf.upload("/jobs/upload", data, headers), 400, message)
    assert response.json()["error"]["message"].startswith("line ")


@pytest.mark.parametrize(("body", "headers", "message"), BAD_FILES)
def test_an_unreadable_file_adds_no_rows(
    cf: CrowdFlower, body: str, headers: dict[str, str], message: str | None
) -> None:
    job = cf.new_job("a\nx\n")
    data = body.encode("latin-1") if "\xff" in body else body.encode()
    path = f"/jobs/{job['id']}/upload?force=true"
    cf.refused(lambda: cf.upload(path, data, headers, method="PUT"), 400, message, job["id"])


def test_a_bad_quote_names_its_line(cf: CrowdFlower) -> None:
    response = cf.refused(lambda: cf.upload("/jobs/upload", 'a,b\n1,2\n"x"y,1\n'), 400, None)
    assert response.json()["error"]["message"].startswith("line 3: ")


@pytest.mark.parametrize("media", ["application/vnd.ms-excel", "application/xml", "text/html"])
def test_other_media_types_are_read_by_their_first_byte(cf: CrowdFlower, media: str) -> None:
    """A browser sends a ``.csv`` file as ``application/vnd.ms-excel``; CrowdFlower
    documents no 415, so any type is read as a body without one is."""
    csv = cf.new_job("text\nfrom a spreadsheet type\n", headers={"content-type": media})
    assert list(cf.units(csv["id"]).values()) == [{"text": "from a spreadsheet type"}]
    lines = cf.new_job('{"text": "a JSON line"}\n', headers={"content-type": media})
    assert list(cf.units(lines["id"]).values()) == [{"text": "a JSON line"}]


def test_a_binary_file_of_any_type_is_400(cf: CrowdFlower) -> None:
    job = cf.new_job()

    def send() -> httpx.Response:
        return cf.upload(f"/jobs/{job['id']}/upload", b"\x89PNG\xff", {"content-type": "image/png"})

    response = cf.refused(send, 400, None, job["id"])
    assert "UTF-8" in response.json()["error"]["message"]


# -- the parsers themselves ------------------------------------------------------------------------


def test_csv_keeps_quoted_text_and_skips_blank_records() -> None:
    data = '\ufefftext, url \r\n"a, ""quoted""\r\nvalue",u1\r\n\r\n,\r\nb,\r\n'.encode()
    upload = parse_csv(data)
    assert upload.columns == ["text", "url"]
    assert upload.rows == [{"text": 'a, "quoted"\r\nvalue', "url": "u1"}, {"text": "b", "url": ""}]


def test_a_header_alone_is_a_file_of_no_rows() -> None:
    upload = parse_csv(b"text,url\n")
    assert (upload.columns, upload.rows) == (["text", "url"], [])


def test_json_lines_columns_are_the_union_of_keys_in_order() -> None:
    upload = parse_json_lines(b'{"b": 1, "a": 2}\r\n{"c": 3}\r\n\r\n{"a": 4, "d": 5}')
    assert upload.columns == ["b", "a", "c", "d"]
    assert upload.rows == [{"b": 1, "a": 2}, {"c": 3}, {"a": 4, "d": 5}]


def test_one_pretty_printed_object_is_one_row() -> None:
    upload = parse_json_lines(b'{\n  "text": "a",\n  "n": 1\n}\n')
    assert (upload.columns, upload.rows) == (["text", "n"], [{"text": "a", "n": 1}])


def test_two_objects_on_one_line_are_refused() -> None:
    with pytest.raises(MalformedBody, match=r"^line 2 is not valid JSON: Extra data"):
        parse_json_lines(b'{"a": 1}\n{"a": 2}, {"a": 3}\n')


@pytest.mark.parametrize(
    ("content_type", "body", "rows"),
    [
        ("text/csv; charset=utf-8", b"a\n1\n", [{"a": "1"}]),
        ("application/csv", b"a\n1\n", [{"a": "1"}]),
        ("TEXT/JSON", b'{"a": 1}', [{"a": 1}]),
        ("text/plain", b'\xef\xbb\xbf {"a": 1}', [{"a": 1}]),
        ("", b"a\n1\n", [{"a": "1"}]),
    ],
)
def test_the_media_type_chooses_the_parser(content_type: str, body: bytes, rows: Any) -> None:
    upload, fields = read_upload(content_type, body)
    assert (upload.rows, fields) == (rows, [])


def test_a_multipart_body_without_a_boundary_is_malformed() -> None:
    with pytest.raises(MalformedBody, match="no boundary"):
        read_upload("multipart/form-data", b"--x\r\n")


def test_an_unknown_media_type_is_sniffed() -> None:
    upload, fields = read_upload("image/png", b"a\n1\n")
    assert (upload.columns, upload.rows, fields) == (["a"], [{"a": "1"}], [])

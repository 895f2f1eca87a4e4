"""Uploads cost work and memory in proportion to what they may add, never more.

A CSV or JSON Lines file over the unit limit is refused before its rows are built;
JSON nested past the limit inside a line or a CSV cell is a refusal naming the line;
a 100,000-column header is checked in one pass; files are parsed off the event loop,
so the server answers others meanwhile; a storage URL refuses a body past the
vendor's size limit with the vendor's 413.
"""

from __future__ import annotations

import threading
import tracemalloc
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from starlette.testclient import TestClient

from mockserver.app import create_app
from mockserver.settings import Settings
from mockserver.testing import ServerThread
from mockserver.vendors.cloudfactory import csvfile
from mockserver.vendors.crowdflower.api import units as crowdflower_units
from mockserver.vendors.crowdflower.rows import TooManyRows, read_upload

CF_KEY = "Hb7vT2mXc9LpW4sZb8Nd"
CF = "/crowdflower/v1"
CLOUDFACTORY_KEY = "loAwlMCCxv4TlpLWR8a2e6"
WORKSTREAM = "345d6802-0efa-46de-a73c-6c24f094dfcf"
THROUGHPUT = "worker_id,use_case_id,task_definition_id,task_started_at,task_completed_at"
QUALITY_HEADER = (
    "workstream_id,use_case_id,task_definition_id,task_id,worker_id,"
    "review_completed_at,review_score,review_metadata"
)
ROWS = 300_000
DEEP = "[" * 1000 + "]" * 1000


def csv_rows(count: int) -> bytes:
    return b"text,n\n" + b"".join(b"row %d,%d\n" % (i, i) for i in range(count))


def json_lines(count: int) -> bytes:
    return b"".join(b'{"text": "row %d", "n": %d}\n' % (i, i) for i in range(count))


@pytest.fixture
def client() -> Iterator[TestClient]:
    settings = Settings(clock="manual", seed=3, epoch="2024-01-01T00:00:00Z", rate_limits=False)
    with TestClient(create_app(settings)) as running:
        yield running


def crowdflower(client: TestClient, method: str, path: str, **kw: Any) -> httpx.Response:
    return client.request(method, f"{CF}{path}", params={"key": CF_KEY}, **kw)


def job_ids(client: TestClient) -> list[int]:
    return [job["id"] for job in crowdflower(client, "GET", "/jobs").json()]


# -- the unit limit refuses before the rows are built ------------------------------------------


@pytest.mark.parametrize(
    ("media", "body"), [("text/csv", csv_rows(ROWS)), ("application/json", json_lines(ROWS))]
)
def test_a_file_over_the_limit_is_refused_having_built_no_row(media: str, body: bytes) -> None:
    """Counted while read: refusing 300,000 rows at a limit of 250,000 costs a sliver of
    the body (building them first took 70 times the body)."""
    tracemalloc.start()
    try:
        with pytest.raises(TooManyRows):
            read_upload(media, body, max_rows=250_000)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < len(body) / 10


@pytest.mark.parametrize(
    ("media", "body"), [("text/csv", csv_rows(ROWS)), ("application/json", json_lines(ROWS))]
)
def test_an_upload_over_the_unit_limit_is_the_vendors_422_and_makes_no_job(
    client: TestClient, media: str, body: bytes
) -> None:
    before = job_ids(client)
    response = crowdflower(
        client, "POST", "/jobs/upload", content=body, headers={"content-type": media}
    )
    assert response.status_code == 422
    assert "250,000" in response.json()["error"]["message"]
    assert job_ids(client) == before


def test_rows_near_the_limit_are_counted_exactly(client: TestClient) -> None:
    """Line ends are only a bound: blank lines and quoted line breaks are no rows."""
    register = {"vendor": "crowdflower", "credential": "Ql7vT2mXc9LpW4sZb8Nd"}
    assert client.post("/_mock/tenants", json={**register, "setup": {"unit_limit": 3}}).is_success
    params = {"key": register["credential"]}
    body = b'text\n"one\nline"\n\n\ntwo\n\r\nthree\n'
    response = client.post(
        f"{CF}/jobs/upload", params=params, content=body, headers={"content-type": "text/csv"}
    )
    assert response.status_code == 200, response.text
    assert response.json()["units_count"] == 3
    response = client.post(
        f"{CF}/jobs/upload",
        params=params,
        content=body + b"four\n",
        headers={"content-type": "text/csv"},
    )
    assert response.status_code == 422


# -- JSON nested past the limit, inside lines and cells ----------------------------------------


@pytest.mark.parametrize(
    "line", ['{"a": ' + DEEP + "}", '{"a": ' + "[" * 100_000], ids=["1000-levels", "100k-open"]
)
def test_a_json_lines_line_nested_too_deep_is_a_400_naming_the_line(
    client: TestClient, line: str
) -> None:
    before = job_ids(client)
    response = crowdflower(
        client,
        "POST",
        "/jobs/upload",
        content=('{"a": 1}\n' + line + "\n").encode(),
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 400
    assert response.json() == {"error": {"message": "line 2 is nested more than 100 levels deep"}}
    assert job_ids(client) == before
    assert client.get("/_mock/health").status_code == 200


def cloudfactory_put(client: TestClient, data: bytes, kind: str = "quality") -> dict[str, Any]:
    headers = {"x-api-key": CLOUDFACTORY_KEY}
    made = client.post(
        f"/cloudfactory/v1/workstreams/{WORKSTREAM}/upload_url",
        json={"type": kind},
        headers=headers,
    )
    assert made.status_code == 200, made.text
    upload = made.json()
    put = client.put(upload["upload_url"], content=data, headers={"content-type": "text/csv"})
    assert put.status_code == 200, put.text
    view = client.get(
        f"/_mock/cloudfactory/uploads/{upload['file_key']}",
        params={"tenant": f"cloudfactory:{CLOUDFACTORY_KEY}"},
    )
    result: dict[str, Any] = view.json()
    return result


def test_a_csv_cell_nested_too_deep_is_a_row_error_naming_line_and_column(
    client: TestClient,
) -> None:
    good = '"{""Person accuracy"": ""0.9""}"'
    deep = '"{""a"": ' + DEEP + '}"'
    row = f"{WORKSTREAM},uc-1,td-1,t-{{n}},w@cf.com,2020-12-22T10:13:24Z,0.5,{{cell}}"
    data = "\n".join(
        [QUALITY_HEADER, row.format(n=1, cell=good), row.format(n=2, cell=deep)]
    ).encode()
    view = cloudfactory_put(client, data)
    assert (view["state"], view["accepted"]) == ("processed", 1)
    assert view["errors"] == [
        {
            "line": 3,
            "field": "review_metadata",
            "error": "The value is nested more than 100 levels deep",
        }
    ]
    assert client.post("/_mock/snapshot", json={}).status_code == 201


# -- wide headers -----------------------------------------------------------------------------


def test_a_header_of_100000_columns_is_checked_in_one_pass(client: TestClient) -> None:
    """A pairwise check of the names held the server for minutes at this width."""
    names = ",".join(f"c{i}" for i in range(100_000))
    response = crowdflower(
        client,
        "POST",
        "/jobs/upload",
        content=f"{names},c7\n".encode(),
        headers={"content-type": "text/csv"},
    )
    assert response.status_code == 400
    assert response.json() == {"error": {"message": "line 1: duplicate column c7"}}
    view = cloudfactory_put(client, f"{names},c7\n".encode(), kind="throughput")
    assert (view["state"], view["message"]) == ("rejected", "line 1: duplicate column c7")


# -- parsing off the event loop ----------------------------------------------------------------


class Gate:
    """Wraps a parser so it waits, in whatever thread runs it, until the test opens it."""

    def __init__(self, parse: Callable[..., Any]) -> None:
        self.parse = parse
        self.entered = threading.Event()
        self.opened = threading.Event()

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self.entered.set()
        assert self.opened.wait(30), "the test never opened the gate"
        return self.parse(*args, **kwargs)


def _health_while_parsing(
    server: ServerThread, gate: Gate, send: Callable[[httpx.Client], httpx.Response]
) -> httpx.Response:
    """Sends an upload, and while its parse waits asks for ``/_mock/health``: a parse on
    the event loop would hold the health check until the gate's wait gave up."""
    outcome: list[httpx.Response] = []
    with httpx.Client(base_url=server.url, timeout=60) as uploading:
        thread = threading.Thread(target=lambda: outcome.append(send(uploading)))
        thread.start()
        try:
            assert gate.entered.wait(30), "the upload never reached its parser"
            with httpx.Client(base_url=server.url, timeout=20) as other:
                assert other.get("/_mock/health").status_code == 200
        finally:
            gate.opened.set()
            thread.join(60)
    return outcome[0]


def test_the_server_answers_while_a_crowdflower_upload_is_parsed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    gate = Gate(read_upload)
    monkeypatch.setattr(crowdflower_units, "read_upload", gate)
    with ServerThread(Settings(clock="manual", rate_limits=False)) as server:
        response = _health_while_parsing(
            server,
            gate,
            lambda http: http.post(
                f"{CF}/jobs/upload",
                params={"key": CF_KEY},
                content=csv_rows(1000),
                headers={"content-type": "text/csv"},
            ),
        )
    assert response.status_code == 200
    assert response.json()["units_count"] == 1000


def test_the_server_answers_while_a_cloudfactory_csv_is_parsed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    gate = Gate(csvfile.parse)
    monkeypatch.setattr(csvfile, "parse", gate)
    headers = {"x-api-key": CLOUDFACTORY_KEY}
    with ServerThread(Settings(clock="manual", rate_limits=False)) as server:
        with httpx.Client(base_url=server.url) as http:
            made = http.post(
                f"/cloudfactory/v1/workstreams/{WORKSTREAM}/upload_url", json={}, headers=headers
            )
        url = made.json()["upload_url"]
        data = f"{THROUGHPUT}\nw@cf.com,uc-1,td-1,2020-12-22T09:00:00Z,2020-12-22T10:00:00Z\n"
        response = _health_while_parsing(
            server, gate, lambda http: http.put(url, content=data.encode())
        )
    assert response.status_code == 200


# -- storage URLs ------------------------------------------------------------------------------


def test_a_storage_put_past_the_vendors_limit_is_its_413(client: TestClient) -> None:
    """CloudFactory takes 6 MB a request; a chunked body is cut off past that, and the
    URL still waits for its file."""
    headers = {"x-api-key": CLOUDFACTORY_KEY}
    made = client.post(
        f"/cloudfactory/v1/workstreams/{WORKSTREAM}/upload_url", json={}, headers=headers
    )
    upload = made.json()

    def chunks() -> Iterator[bytes]:
        for _ in range(64):  # 64 MiB offered
            yield b"x" * (1024 * 1024)

    response = client.put(upload["upload_url"], content=chunks())
    assert response.status_code == 413
    assert "message" in response.json()
    view = client.get(
        f"/_mock/cloudfactory/uploads/{upload['file_key']}",
        params={"tenant": f"cloudfactory:{CLOUDFACTORY_KEY}"},
    ).json()
    assert view["state"] == "waiting"


def test_a_job_deleted_while_its_upload_is_parsed_takes_no_rows(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    gate = Gate(read_upload)
    with ServerThread(Settings(clock="manual", rate_limits=False)) as server:
        with httpx.Client(base_url=server.url, params={"key": CF_KEY}) as http:
            job = http.post(
                f"{CF}/jobs/upload", content=csv_rows(2), headers={"content-type": "text/csv"}
            ).json()
            monkeypatch.setattr(crowdflower_units, "read_upload", gate)
            outcome: list[httpx.Response] = []
            uploading = threading.Thread(
                target=lambda: outcome.append(
                    http.post(
                        f"{CF}/jobs/{job['id']}/upload",
                        content=csv_rows(5),
                        headers={"content-type": "text/csv"},
                    )
                )
            )
            uploading.start()
            try:
                assert gate.entered.wait(30), "the upload never reached its parser"
                with httpx.Client(base_url=server.url, params={"key": CF_KEY}) as other:
                    assert other.delete(f"{CF}/jobs/{job['id']}").status_code == 200
            finally:
                gate.opened.set()
                uploading.join(60)
            assert outcome[0].status_code == 404
            assert http.get(f"{CF}/jobs/{job['id']}").status_code == 404

"""``/_mock`` never falls over: failures are JSON, bad bodies and patterns are JSON 400s,
and the connection a client keeps alive survives them."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from mockserver.core.faults import Faults
from mockserver.settings import Settings
from mockserver.testing import ServerThread

BODY_ROUTES = [
    ("POST", "/_mock/tenants"),
    ("POST", "/_mock/clock"),
    ("POST", "/_mock/clock/advance"),
    ("PUT", "/_mock/ratelimits"),
    ("PUT", "/_mock/journal"),
    ("POST", "/_mock/journal/verify"),
    ("POST", "/_mock/faults"),
    ("POST", "/_mock/snapshot"),
    ("POST", "/_mock/restore"),
    ("POST", "/_mock/modelarts/credentials"),
]

BAD_BODIES = {
    "broken": b'{"vendor": ',
    "deep": b"[" * 100_000,
    "surrogate": b'{"name": "x \\ud800"}',
    "nan": b'{"seconds": NaN}',
    "huge integer": b'{"seconds": 1' + b"0" * 5000 + b"}",
}

RUNAWAY = "/x/(a+)+$"  # exponential for a backtracking engine on /x/aaaa…a!
LONG_PATH = "/cloudfactory/x/" + "a" * 60 + "!"


@pytest.fixture
def server() -> Iterator[ServerThread]:
    with ServerThread(Settings(clock="manual", rate_limits=False)) as running:
        yield running


@pytest.fixture
def http(server: ServerThread) -> Iterator[httpx.Client]:
    """One keep-alive connection: a second request can only go where the first went."""
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    with httpx.Client(base_url=server.url, limits=limits, timeout=30.0) as client:
        yield client


def _local_port(response: httpx.Response) -> int:
    stream = response.extensions["network_stream"]
    port: int = stream.get_extra_info("socket").getsockname()[1]
    return port


def test_an_internal_error_is_json_and_the_connection_serves_the_next_request(
    http: httpx.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(self: Faults) -> int:
        raise RuntimeError("a bug in the control API")

    monkeypatch.setattr(Faults, "clear", broken)
    failed = http.delete("/_mock/faults")
    assert failed.status_code == 500
    assert failed.headers["content-type"] == "application/json"
    assert failed.json() == {"error": "Internal server error"}
    assert failed.headers.get("connection") != "close"
    healthy = http.get("/_mock/health")
    assert healthy.status_code == 200 and healthy.json()["status"] == "ok"
    assert _local_port(healthy) == _local_port(failed)


@pytest.mark.parametrize("kind", sorted(BAD_BODIES))
@pytest.mark.parametrize(("method", "path"), BODY_ROUTES)
def test_a_bad_json_body_is_a_json_400_naming_the_problem(
    http: httpx.Client, method: str, path: str, kind: str
) -> None:
    response = http.request(
        method, path, content=BAD_BODIES[kind], headers={"content-type": "application/json"}
    )
    assert response.status_code == 400, response.text
    assert response.json()["error"].startswith("Request body")
    assert http.get("/_mock/health").status_code == 200


@pytest.mark.parametrize("pattern", ["(a)\\1", "(?=x)/v1", "(", "a{2000}"])
def test_a_path_pattern_re2_cannot_compile_is_a_400_naming_it(
    http: httpx.Client, pattern: str
) -> None:
    for response in (
        http.get("/_mock/journal", params={"path": pattern}),
        http.post("/_mock/journal/verify", json={"path": pattern}),
        http.post("/_mock/faults", json={"path": pattern, "status": 503}),
    ):
        assert response.status_code == 400, response.text
        (error,) = response.json()["errors"]
        assert error["field"] == "path" and repr(pattern) in error["message"]
    assert http.get("/_mock/faults").json()["faults"] == []


def test_a_runaway_journal_filter_is_answered(http: httpx.Client) -> None:
    http.get(LONG_PATH)
    http.get("/cloudfactory/x/aaa")
    listed = http.get("/_mock/journal", params={"path": RUNAWAY})
    assert [entry["path"] for entry in listed.json()["entries"]] == ["/cloudfactory/x/aaa"]
    verified = http.post("/_mock/journal/verify", json={"path": RUNAWAY, "count": 2}).json()
    assert (verified["ok"], verified["matched"]) == (False, 1)
    assert verified["near_misses"][0]["path"] == LONG_PATH


def test_a_runaway_fault_rule_is_tried_on_every_request_and_answers(http: httpx.Client) -> None:
    rule = http.post("/_mock/faults", json={"path": RUNAWAY, "status": 503})
    assert rule.status_code == 201 and rule.json()["path"] == RUNAWAY
    missed = http.get(LONG_PATH, headers={"x-api-key": "k"})
    hit = http.get("/cloudfactory/x/aa", headers={"x-api-key": "k"})
    assert (missed.status_code, hit.status_code) == (404, 503)
    assert http.get("/_mock/faults").json()["faults"][0]["hits"] == 1


@pytest.mark.parametrize(
    "pattern",
    [
        "^/cloudfactory/v1/tasks/[^/]+$",
        "(?i)/V1/TASKS/",
        r"/t-\d+$",
        r"/tasks/(?P<id>t-\d)",
        "workstreams|tasks",
        r"\.json$|t-7",
        "/caf\u00e9/|t-7$",
    ],
)
def test_the_patterns_users_write_are_supported(http: httpx.Client, pattern: str) -> None:
    http.get("/cloudfactory/v1/tasks/t-7", headers={"x-api-key": "k"})
    http.get("/cloudfactory/v1/other", headers={"x-api-key": "k"})
    listed = http.get("/_mock/journal", params={"path": pattern})
    assert listed.status_code == 200, listed.text
    assert [e["path"] for e in listed.json()["entries"]] == ["/cloudfactory/v1/tasks/t-7"]

"""The sandbox against CrowdFlower's own answers, recorded in July 2014.

Each file in ``recorded/`` (provenance in its README) is one real exchange. The same
request, with the sandbox's key and ids in place of the recorded ones, must get the
recorded status and a body of the recorded shape: the keys in the recorded order, each
value of the recorded JSON type, and the recorded value wherever the value is not an
id, a secret, a timestamp or CrowdFlower's internal ``options.ramuh2_url``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.testclient import TestClient

from mockserver.app import create_app
from mockserver.settings import Settings

RECORDED = Path(__file__).parent / "recorded"
KEY = "Rq7vT2mXc9LpW4sZb8Nd"  # 20 characters, as CrowdFlower's keys are
PREFIX = "/crowdflower"
EPOCH_STAMP = "2014-07-22T12:56:09+00:00"
TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+00:00")
SECRET = re.compile(r"[A-Za-z0-9+/=_-]{44}")
INTERNAL_OPTIONS = ("ramuh2_url",)
# Compared by kind, not by value: ids, the secret, timestamps; options without the
# internal URL; copied_from (an id) by the tests of its own below.
NOT_BY_VALUE = {"id", "secret", "created_at", "updated_at", "copied_from", "options"}


def recorded(name: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads((RECORDED / f"{name}.json").read_text("utf-8"))
    return document


@pytest.fixture
def client() -> Iterator[TestClient]:
    settings = Settings(clock="manual", seed=1, epoch="2014-07-22T12:56:09Z", rate_limits=False)
    with TestClient(create_app(settings)) as test_client:
        yield test_client


def send(client: TestClient, method: str, path: str, body: str | None = None) -> httpx.Response:
    """A request as recorded: same method, path and raw body, this test's key appended."""
    separator = "&" if "?" in path else "?"
    return client.request(
        method,
        f"{PREFIX}{path}{separator}key={KEY}",
        content=body.encode("utf-8") if body is not None else None,
    )


def replay(client: TestClient, name: str, ids: dict[int, int] | None = None) -> httpx.Response:
    """Sends the recorded request of ``name``, recorded job ids swapped for the sandbox's."""
    request = recorded(name)["request"]
    path = request["path"]
    for old, new in (ids or {}).items():
        path = path.replace(f"/{old}.", f"/{new}.").replace(f"/{old}/", f"/{new}/")
        assert str(old) not in path, path
    return send(client, request["method"], path, request["body"])


def create_job(client: TestClient) -> dict[str, Any]:
    response = send(client, "POST", "/v1/jobs.json")
    assert response.status_code == 200, response.text
    job: dict[str, Any] = response.json()
    return job


def recorded_job_id(name: str) -> int:
    match = re.search(r"/jobs/(\d+)", recorded(name)["request"]["path"])
    assert match is not None
    return int(match.group(1))


def json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "float"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    assert isinstance(value, dict), value
    return "object"


def without(keys: list[str], name: str) -> list[str]:
    return [k for k in keys if k != name]


def with_copied_from(keys: list[str]) -> list[str]:
    """The recorded keys, with ``copied_from`` where the 24 July recordings put it."""
    if "copied_from" in keys:
        return list(keys)
    at = keys.index("max_work_per_network") + 1
    return [*keys[:at], "copied_from", *keys[at:]]


def assert_like_recorded_job(
    job: dict[str, Any], expected: dict[str, Any], overrides: dict[str, Any] | None = None
) -> None:
    """``job`` has the recorded job's keys (order included), types and plain values."""
    # The order of every key; copied_from is left to the tests of its own.
    assert without(list(job), "copied_from") == without(list(expected), "copied_from")
    for name, value in expected.items():
        if name == "copied_from":
            continue
        wanted = (overrides or {}).get(name, value)
        assert json_type(job[name]) == json_type(wanted), name
        if name not in NOT_BY_VALUE:
            assert job[name] == wanted, name
    public = {k: v for k, v in expected["options"].items() if k not in INTERNAL_OPTIONS}
    assert job["options"] == public
    assert list(job["options"]) == list(public)
    assert job["id"] > 0
    assert SECRET.fullmatch(job["secret"]), job["secret"]
    assert TIMESTAMP.fullmatch(job["created_at"]), job["created_at"]
    assert TIMESTAMP.fullmatch(job["updated_at"]), job["updated_at"]


# -- creating, reading and listing jobs ----------------------------------------------------


def test_creating_an_empty_job_answers_the_recorded_job(client: TestClient) -> None:
    exchange = recorded("create_empty_job")

    response = replay(client, "create_empty_job")

    assert response.status_code == exchange["response"]["status"] == 200
    job = response.json()
    assert_like_recorded_job(job, exchange["response"]["body"])
    assert job["created_at"] == job["updated_at"] == EPOCH_STAMP
    assert job["state"] == "unordered"


def test_creating_a_job_with_a_title_answers_the_recorded_job_with_that_title(
    client: TestClient,
) -> None:
    exchange = recorded("create_job_with_title")
    assert exchange["request"]["body"] == "job[title]=This+is+my+new+job"

    response = replay(client, "create_job_with_title")

    assert response.status_code == exchange["response"]["status"] == 200
    # The real API answered "title": null to this very request; the sandbox keeps the
    # title it was given, as the documented job[<attribute>] parameters of create say.
    assert exchange["response"]["body"]["title"] is None
    assert_like_recorded_job(
        response.json(), exchange["response"]["body"], {"title": "This is my new job"}
    )


def test_getting_a_job_answers_the_recorded_job_and_what_create_answered(
    client: TestClient,
) -> None:
    exchange = recorded("get_job")
    created = create_job(client)

    response = replay(client, "get_job", {recorded_job_id("get_job"): created["id"]})

    assert response.status_code == exchange["response"]["status"] == 200
    assert_like_recorded_job(response.json(), exchange["response"]["body"])
    assert response.json() == created


def test_the_first_page_of_jobs_answers_the_recorded_list(client: TestClient) -> None:
    exchange = recorded("list_jobs")
    expected = exchange["response"]["body"]
    assert len(expected) == 10
    # Oldest first, as recorded: four jobs, a copy of the fourth, five more.
    made = [create_job(client)["id"] for _ in range(4)]
    copy = send(client, "GET", f"/v1/jobs/{made[-1]}/copy.json?all_units=false&gold=false")
    assert copy.status_code == 200
    made.append(copy.json()["id"])
    made += [create_job(client)["id"] for _ in range(5)]

    response = replay(client, "list_jobs")

    assert response.status_code == exchange["response"]["status"] == 200
    jobs = response.json()
    assert [j["id"] for j in jobs] == made[::-1]
    assert len(jobs) == len(expected)
    for job, recorded_job in zip(jobs, expected, strict=True):
        assert_like_recorded_job(job, recorded_job)


# -- refusals --------------------------------------------------------------------------------


def test_a_post_to_a_job_url_is_the_recorded_404_and_changes_nothing(client: TestClient) -> None:
    exchange = recorded("update_job_via_post")
    job = create_job(client)

    response = replay(
        client, "update_job_via_post", {recorded_job_id("update_job_via_post"): job["id"]}
    )

    assert response.status_code == exchange["response"]["status"] == 404
    assert response.json() == exchange["response"]["body"]
    again = send(client, "GET", f"/v1/jobs/{job['id']}.json")
    assert again.json() == job
    assert (again.json()["title"], again.json()["instructions"]) == (None, "")


@pytest.mark.parametrize("method", ["GET", "DELETE"])
def test_an_unknown_job_is_the_recorded_404(client: TestClient, method: str) -> None:
    exchange = recorded("get_unknown_job")
    assert exchange["request"]["method"] == "GET"
    create_job(client)

    response = send(client, method, exchange["request"]["path"])

    assert response.status_code == exchange["response"]["status"] == 404
    assert response.json() == exchange["response"]["body"]
    assert list(response.json()["error"]) == ["message"]


@pytest.mark.parametrize(
    "name", ["pause_unordered_job", "resume_unordered_job", "cancel_unordered_job"]
)
def test_a_state_action_on_an_unordered_job_is_the_recorded_200_with_an_error(
    client: TestClient, name: str
) -> None:
    exchange = recorded(name)
    job = create_job(client)

    response = replay(client, name, {recorded_job_id(name): job["id"]})

    assert response.status_code == exchange["response"]["status"] == 200
    assert response.json() == exchange["response"]["body"]
    assert send(client, "GET", f"/v1/jobs/{job['id']}.json").json()["state"] == "unordered"


# -- copy, delete, ping ---------------------------------------------------------------------


def test_copying_a_job_answers_the_recorded_job_and_notice(client: TestClient) -> None:
    exchange = recorded("copy_job")
    expected = exchange["response"]["body"]
    source = create_job(client)

    response = replay(client, "copy_job", {recorded_job_id("copy_job"): source["id"]})

    assert response.status_code == exchange["response"]["status"] == 200
    body = response.json()
    assert list(body)[-1] == "message"
    assert body["message"] == expected["message"]
    job = {k: v for k, v in body.items() if k != "message"}
    assert_like_recorded_job(job, {k: v for k, v in expected.items() if k != "message"})
    assert job["id"] != source["id"]
    assert send(client, "GET", f"/v1/jobs/{job['id']}.json").status_code == 200


def test_deleting_a_job_answers_the_recorded_message(client: TestClient) -> None:
    exchange = recorded("delete_job")
    old = recorded_job_id("delete_job")
    job = create_job(client)

    response = replay(client, "delete_job", {old: job["id"]})

    assert response.status_code == exchange["response"]["status"] == 200
    message = exchange["response"]["body"]["message"]["success"]
    assert message == f"Job {old} has been deleted."
    assert response.json() == {"message": {"success": f"Job {job['id']} has been deleted."}}
    assert send(client, "GET", f"/v1/jobs/{job['id']}.json").status_code == 404


def test_the_ping_of_a_new_job_is_the_recorded_body(client: TestClient) -> None:
    exchange = recorded("ping_new_job")
    job = create_job(client)

    response = replay(client, "ping_new_job", {recorded_job_id("ping_new_job"): job["id"]})

    assert response.status_code == exchange["response"]["status"] == 200
    assert response.json() == exchange["response"]["body"]
    assert list(response.json()) == list(exchange["response"]["body"])
    assert all(json_type(v) == "integer" for v in response.json().values())


# -- copied_from -----------------------------------------------------------------------------


def _created(client: TestClient) -> tuple[dict[str, Any], dict[str, Any]]:
    job = replay(client, "create_empty_job").json()
    return job, recorded("create_empty_job")["response"]["body"]


def _fetched(client: TestClient) -> tuple[dict[str, Any], dict[str, Any]]:
    job = create_job(client)
    shown = replay(client, "get_job", {recorded_job_id("get_job"): job["id"]}).json()
    return shown, recorded("get_job")["response"]["body"]


def _listed(client: TestClient) -> tuple[dict[str, Any], dict[str, Any]]:
    create_job(client)
    listed = replay(client, "list_jobs").json()
    return listed[0], recorded("list_jobs")["response"]["body"][0]


def _copied(client: TestClient) -> tuple[dict[str, Any], dict[str, Any]]:
    job = create_job(client)
    copy = replay(client, "copy_job", {recorded_job_id("copy_job"): job["id"]}).json()
    expected = recorded("copy_job")["response"]["body"]
    copy.pop("message")
    expected.pop("message")
    return copy, expected


@pytest.mark.parametrize("answer", [_created, _fetched, _listed, _copied])
def test_job_objects_carry_copied_from_where_the_recordings_do(
    client: TestClient, answer: Any
) -> None:
    job, expected = answer(client)

    assert list(job) == with_copied_from(list(expected))


def test_a_copy_names_its_source_in_copied_from(client: TestClient) -> None:
    source = create_job(client)

    copy = replay(client, "copy_job", {recorded_job_id("copy_job"): source["id"]}).json()

    assert copy.get("copied_from") == source["id"]
    shown = send(client, "GET", f"/v1/jobs/{copy['id']}.json").json()
    assert shown.get("copied_from") == source["id"]
    # As recorded in the list: the copy (535375) names the job it came from (535374).
    listed = replay(client, "list_jobs").json()
    assert [j["copied_from"] for j in listed] == [source["id"], None]
    recorded_list = recorded("list_jobs")["response"]["body"]
    assert {j["id"]: j["copied_from"] for j in recorded_list}[535375] == 535374

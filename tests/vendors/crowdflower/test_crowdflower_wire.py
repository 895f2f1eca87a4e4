"""Where CrowdFlower requests carry their parameters, through real requests.

Clients send ``job[...]``, ``channels[]`` and the key in the query string even for
POST and PUT, in a form body, or as a JSON body; the sandbox merges query and body,
the body winning a conflict. A raw upload (JSON Lines, CSV) is data, never parameters.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from starlette.testclient import TestClient

from mockserver.app import create_app
from mockserver.settings import Settings

KEY = "Rq7vT2mXc9LpW4sZb8Nd"
OTHER_KEY = "Hn4kB6yQw1Ej5Ua3Fo0G"
PREFIX = "/crowdflower/v1"
FORM = "application/x-www-form-urlencoded"


@pytest.fixture
def client() -> Iterator[TestClient]:
    settings = Settings(clock="manual", seed=1, epoch="2014-07-22T12:56:09Z", rate_limits=False)
    with TestClient(create_app(settings)) as test_client:
        yield test_client


def post(
    client: TestClient,
    path: str,
    body: bytes | None = None,
    content_type: str | None = None,
    **kwargs: Any,
) -> httpx.Response:
    headers = {"content-type": content_type} if content_type else {}
    return client.post(PREFIX + path, content=body, headers=headers, **kwargs)


def job_ids(client: TestClient, key: str) -> list[int]:
    response = client.get(f"{PREFIX}/jobs?key={key}")
    assert response.status_code == 200, response.text
    return [job["id"] for job in response.json()]


def created(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 200, response.text
    job: dict[str, Any] = response.json()
    return job


# -- query and body together -----------------------------------------------------------------


def test_query_and_form_body_merge_and_the_body_wins(client: TestClient) -> None:
    job = created(
        post(
            client,
            f"/jobs?key={KEY}&job[title]=Title+from+the+query&job[judgments_per_unit]=4",
            b"job[title]=Title+from+the+body&job[instructions]=Only+in+the+body",
            FORM,
        )
    )

    assert job["title"] == "Title from the body"
    assert job["judgments_per_unit"] == 4
    assert job["instructions"] == "Only in the body"


def test_nested_objects_of_query_and_body_merge_key_by_key(client: TestClient) -> None:
    job = created(
        post(
            client,
            f"/jobs?key={KEY}&job[options][confidence_fields]=from_query"
            "&job[options][only_query]=q",
            b"job[options][confidence_fields]=from_body&job[options][only_body]=b",
            FORM,
        )
    )

    assert job["options"]["confidence_fields"] == "from_body"
    assert job["options"]["only_query"] == "q"
    assert job["options"]["only_body"] == "b"
    assert job["options"]["after_gold"] == 10


def test_query_and_json_body_merge_and_the_body_wins(client: TestClient) -> None:
    job = created(
        client.post(
            f"{PREFIX}/jobs?key={KEY}&job[title]=Title+from+the+query&job[payment_cents]=20",
            json={"job": {"title": "Title from JSON", "judgments_per_unit": 6}},
        )
    )

    assert (job["title"], job["payment_cents"], job["judgments_per_unit"]) == (
        "Title from JSON",
        20,
        6,
    )


def test_a_list_in_the_body_replaces_the_same_list_in_the_query(client: TestClient) -> None:
    job = created(post(client, f"/jobs?key={KEY}"))

    response = post(
        client,
        f"/jobs/{job['id']}/channels?key={KEY}&channels[]=on_demand",
        b"channels[]=cf_internal",
        FORM,
    )

    assert response.status_code == 200
    assert response.json()["enabled_channels"] == ["cf_internal"]


def test_a_form_body_with_a_charset_is_read(client: TestClient) -> None:
    job = created(
        post(
            client,
            f"/jobs?key={KEY}",
            "job[title]=Café+über+alles".encode(),
            f"{FORM}; charset=UTF-8",
        )
    )

    assert job["title"] == "Café über alles"


def test_utf8_in_the_query_is_read(client: TestClient) -> None:
    job = created(post(client, f"/jobs?key={KEY}&job[title]=Caf%C3%A9+%C3%BCber+alles"))

    assert job["title"] == "Café über alles"


def test_an_untyped_form_body_is_read_as_a_form(client: TestClient) -> None:
    # The 2014 recordings show form bodies sent with no content type at all.
    job = created(post(client, f"/jobs.json?key={KEY}", b"job[title]=Sent+without+a+type"))

    assert job["title"] == "Sent without a type"


@pytest.mark.parametrize("content_type", ["application/json", "text/json", None])
def test_a_json_object_body_is_read(client: TestClient, content_type: str | None) -> None:
    job = created(
        post(
            client,
            f"/jobs?key={KEY}",
            b'{"job": {"title": "Sent as a=b JSON", "auto_order": true}}',
            content_type,
        )
    )

    assert job["title"] == "Sent as a=b JSON"
    assert job["auto_order"] is True


# -- the key ---------------------------------------------------------------------------------


def test_the_key_in_the_body_wins_over_the_key_in_the_query(client: TestClient) -> None:
    job = created(
        post(
            client,
            f"/jobs?key={OTHER_KEY}",
            f"key={KEY}&job[title]=Whose+job+is+this".encode(),
            FORM,
        )
    )

    assert job_ids(client, KEY) == [job["id"]]
    assert job_ids(client, OTHER_KEY) == []


def test_the_key_may_ride_in_a_json_body(client: TestClient) -> None:
    job = created(client.post(f"{PREFIX}/jobs", json={"key": KEY, "job": {"title": "JSON key"}}))

    assert job_ids(client, KEY) == [job["id"]]


def test_a_body_key_is_read_once_and_the_handler_still_sees_the_body(client: TestClient) -> None:
    body = f"key={KEY}&job[title]=Read+twice&job[judgments_per_unit]=8".encode()

    job = created(post(client, "/jobs", body, FORM))

    assert (job["title"], job["judgments_per_unit"]) == ("Read twice", 8)
    assert job_ids(client, KEY) == [job["id"]]


# -- raw bodies are data -----------------------------------------------------------------------

JSON_LINES = (
    f'{{"key": "{OTHER_KEY}", "job": {{"title": "Row one"}}}}\n'
    '{"job": {"title": "Row two"}, "note": "a=b&c=d"}\n'
).encode()


@pytest.mark.parametrize("content_type", ["application/json", "text/json", None])
def test_a_json_lines_body_is_not_read_as_parameters(
    client: TestClient, content_type: str | None
) -> None:
    job = created(
        post(client, f"/jobs?key={KEY}&job[title]=Title+from+the+query", JSON_LINES, content_type)
    )

    assert job["title"] == "Title from the query"
    assert job_ids(client, KEY) == [job["id"]]
    assert job_ids(client, OTHER_KEY) == []


def test_a_key_inside_json_lines_does_not_authenticate(client: TestClient) -> None:
    response = post(client, "/jobs", JSON_LINES, "application/json")

    assert response.status_code == 401
    assert response.json() == {"error": {"message": "Authorization failed, check your key."}}


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"key,job[title]\nother,Row+title\n", "text/csv"),
        (f"key={OTHER_KEY}&job[title]=Not+a+form".encode(), "text/csv"),
        (f"key={OTHER_KEY}&job[title]=Not+a+form".encode(), "text/plain"),
        (b'[{"job": {"title": "In an array"}}]', "application/json"),
        (b"\n\n  \n", "application/json"),
    ],
)
def test_other_raw_bodies_are_not_read_as_parameters(
    client: TestClient, body: bytes, content_type: str
) -> None:
    job = created(
        post(client, f"/jobs?key={KEY}&job[title]=Title+from+the+query", body, content_type)
    )

    assert job["title"] == "Title from the query"
    assert job_ids(client, KEY) == [job["id"]]
    assert job_ids(client, OTHER_KEY) == []

"""The examples of CrowdFlower's "Integrating with the API" guide, sent as written.

The guide (CrowdFlower's help centre, 2014–2016) shows each step four ways: cURL, Ruby
HTTParty, the Ruby gem and Python ``requests``. The gem is replayed on its own
(``test_crowdflower_ruby_gem.py``); the other three are here, each request built as
that tool builds it from the guide's code (only the key and the job id changed), and
answered as the guide says: ``unit[data]`` becomes the unit's data, a CSV body becomes
units.

What each tool sends, as the guide's code has it:
- cURL ``-d a -d b``: the fields joined by ``&``, ``application/x-www-form-urlencoded``.
- HTTParty ``:query => {...}``: Rails-style nested keys in the query string, no body.
- Python ``requests.post(url, data=json.dumps(payload), headers=...)``: the key inside
  the JSON body, not the query.
- The CSV examples: ``PUT .../upload.json`` (cURL) and ``PUT .../upload`` with no
  ``.json`` and no ``Accept`` header (HTTParty, ``requests``), ``Content-Type: text/csv``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from urllib.parse import urlencode

import httpx
import pytest
from starlette.testclient import TestClient

from mockserver.app import create_app
from mockserver.settings import Settings

KEY = "Rq7vT2mXc9LpW4sZb8Nd"
DATA = {"column1": "helloworld", "column2": "helloworld2"}
SAMPLE_CSV = b"column1,column2\nhelloworld,helloworld2\nhello again,world again\n"


@pytest.fixture
def client() -> Iterator[TestClient]:
    settings = Settings(clock="manual", seed=1, rate_limits=False)
    with TestClient(create_app(settings), base_url="https://api.crowdflower.com") as test:
        yield test


@pytest.fixture
def job_id(client: TestClient) -> int:
    created = client.post(f"/v1/jobs.json?key={KEY}", data={"job[title]": "Guide"})
    assert created.status_code == 200, created.text
    job: int = created.json()["id"]
    return job


def units_of(client: TestClient, job_id: int) -> list[dict[str, object]]:
    listed = client.get(f"/v1/jobs/{job_id}/units.json?key={KEY}")
    assert listed.status_code == 200, listed.text
    return [
        client.get(f"/v1/jobs/{job_id}/units/{unit_id}.json?key={KEY}").json()
        for unit_id in listed.json()
    ]


def assert_one_unit_with_the_guides_data(
    response: httpx.Response, client: TestClient, job_id: int
) -> None:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/json")
    unit = response.json()
    assert (unit["job_id"], unit["data"]) == (job_id, DATA)
    assert [u["data"] for u in units_of(client, job_id)] == [DATA]


def test_curl_posts_a_unit_as_form_fields(client: TestClient, job_id: int) -> None:
    # curl -d 'unit[data][column1]=helloworld' -d 'unit[data][column2]=helloworld2' URL
    body = b"unit[data][column1]=helloworld&unit[data][column2]=helloworld2"
    response = client.post(
        f"/v1/jobs/{job_id}/units.json?key={KEY}",
        content=body,
        headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": "*/*"},
    )
    assert_one_unit_with_the_guides_data(response, client, job_id)


def test_httparty_posts_a_unit_in_the_query_string(client: TestClient, job_id: int) -> None:
    # HTTParty.post(url, :query => {:key => KEY, :unit => {:data => data, :state => :new}})
    query = urlencode(
        {
            "key": KEY,
            "unit[data][column1]": DATA["column1"],
            "unit[data][column2]": DATA["column2"],
            "unit[state]": "new",
        }
    )
    response = client.post(f"/v1/jobs/{job_id}/units.json?{query}", content=b"")
    assert_one_unit_with_the_guides_data(response, client, job_id)


def test_python_requests_posts_a_unit_as_json_with_the_key_inside(
    client: TestClient, job_id: int
) -> None:
    # requests.post(url, data=json.dumps({'key': KEY, 'unit': {'data': data}}), headers=...)
    payload = json.dumps({"key": KEY, "unit": {"data": DATA}})
    response = client.post(
        f"/v1/jobs/{job_id}/units.json",
        content=payload.encode(),
        headers={"content-type": "application/json", "Accept": "*/*"},
    )
    assert_one_unit_with_the_guides_data(response, client, job_id)


@pytest.mark.parametrize(
    ("path", "accept"),
    [
        ("upload.json", "*/*"),  # curl -X PUT -T sampledata.csv -H 'Content-Type: text/csv'
        ("upload", None),  # HTTParty.put(url, :body => csv, :headers => {...}, :query => ...)
        ("upload", "*/*"),  # requests.put(url, data=csv_file, params=payload, headers=...)
    ],
)
def test_a_csv_put_makes_a_unit_per_row(
    client: TestClient, job_id: int, path: str, accept: str | None
) -> None:
    headers = {"Content-Type": "text/csv"}
    if accept is not None:
        headers["Accept"] = accept
    response = client.put(
        f"/v1/jobs/{job_id}/{path}?key={KEY}", content=SAMPLE_CSV, headers=headers
    )
    assert response.status_code == 200, response.text
    assert response.json()["id"] == job_id
    assert sorted(u["data"]["column1"] for u in units_of(client, job_id)) == [
        "hello again",
        "helloworld",
    ]

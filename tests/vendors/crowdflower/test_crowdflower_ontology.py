"""CrowdFlower (Appen) J28: a job's ontology, with the documented example sent as written."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from starlette.testclient import TestClient

from mockserver.app import create_app
from mockserver.settings import Settings

KEY = "On7vT2mXc9LpW4sZb8Qa"
# FOUND: Appen's OpenAPI document, the curl example of PUT /jobs/{job_id}/ontology.
DOCUMENTED = """[
  {
    "description": "Ego vehicle, parking, static objects (trash bins), dynamic (garbage on sidewalk), bridge... etc. (see job description if unsure)",
    "class_name": "void",
    "display_color": "#000000",
    "children": [
            {
                "description": "Children of the void class",
                "class_name": "children",
                "display_color": "#ca03fc"
            }
        ]
  }
]"""  # noqa: E501
CSV = (
    "description,class_name,display_color\n"
    '"NOT Ego vehicle, parking, static objects (trash bins)",not_void,#000000\n'
    "Cars,car,#F42069\n"
)


class Api:
    def __init__(self, client: TestClient) -> None:
        self.client = client
        self.job = client.post("/crowdflower/v1/jobs.json", params={"key": KEY}).json()["id"]

    def call(self, method: str, path: str, host: str | None = None, **kw: Any) -> httpx.Response:
        headers = {"Authorization": f"Token token={KEY}", **kw.pop("headers", {})}
        if host is None:
            url = f"/crowdflower/v1/jobs/{self.job}/{path}"
        else:
            url, headers["host"] = f"/v1/jobs/{self.job}/{path}", host
        return self.client.request(method, url, headers=headers, **kw)


@pytest.fixture
def api() -> Iterator[Api]:
    settings = Settings(clock="manual", seed=3, rate_limits=False)
    with TestClient(create_app(settings)) as client:
        yield Api(client)


def test_a_job_has_no_ontology_until_one_is_put(api: Api) -> None:
    response = api.call("GET", "ontology")
    assert (response.status_code, response.json()) == (200, [])


def test_the_documented_example_is_stored_and_read_back_on_the_proxy_host(api: Api) -> None:
    put = api.call(
        "PUT",
        "ontology",
        host="api-proxy.appen.com",
        content=DOCUMENTED.encode(),
        headers={"content-type": "application/x-www-form-urlencoded"},  # curl's --data-raw
    )
    assert put.status_code == 200, put.text
    read = api.call("GET", "ontology", host="api-proxy.appen.com")
    assert read.json() == json.loads(DOCUMENTED)
    assert read.json()[0]["children"][0]["display_color"] == "#ca03fc"


def test_the_ontology_reads_as_csv(api: Api) -> None:
    api.call("PUT", "ontology", json=json.loads(DOCUMENTED))
    response = api.call("GET", "ontology.csv")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    lines = response.text.splitlines()
    assert lines[0] == "description,class_name,display_color"
    assert lines[1].endswith(",void,#000000")


def test_a_csv_file_sent_as_the_documented_multipart_form_replaces_it(api: Api) -> None:
    api.call("PUT", "ontology", json=json.loads(DOCUMENTED))
    put = api.call("PUT", "ontology", files={"file": ("ontology.csv", CSV, "text/csv")})
    assert put.status_code == 200, put.text
    assert api.call("GET", "ontology").json() == [
        {
            "description": "NOT Ego vehicle, parking, static objects (trash bins)",
            "class_name": "not_void",
            "display_color": "#000000",
        },
        {"description": "Cars", "class_name": "car", "display_color": "#F42069"},
    ]
    raw = api.call(
        "PUT", "ontology.csv", content=CSV.encode(), headers={"content-type": "text/csv"}
    )
    assert [c["class_name"] for c in raw.json()] == ["not_void", "car"]


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ('[{"display_color": "#000000"}]', "class_name can't be blank"),
        ('[{"class_name": "car", "display_color": "red"}]', "display_color must be a hex color"),
        ('[{"class_name": "car", "children": [{"class_name": ""}]}]', "children[0] class_name"),
        ('{"class_name": "car"}', "must be a JSON array"),
    ],
)
def test_a_class_out_of_the_documented_shape_is_refused_and_nothing_changes(
    api: Api, body: str, says: str
) -> None:
    api.call("PUT", "ontology", json=json.loads(DOCUMENTED))
    response = api.call("PUT", "ontology", content=body.encode())
    assert response.status_code == 422
    assert any(says in message for message in response.json()["errors"])
    assert api.call("GET", "ontology").json() == json.loads(DOCUMENTED)


def test_a_put_without_a_body_is_the_missing_parameters_400(api: Api) -> None:
    response = api.call("PUT", "ontology")
    assert response.status_code == 400
    assert response.json() == {"error": {"message": "Your request is missing required parameters."}}


def test_an_unknown_job_has_no_ontology(api: Api) -> None:
    response = api.client.get(
        "/crowdflower/v1/jobs/1/ontology", headers={"Authorization": f"Token token={KEY}"}
    )
    assert response.status_code == 404

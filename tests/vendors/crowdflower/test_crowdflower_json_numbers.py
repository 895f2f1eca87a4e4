"""Numbers in a JSON body are numbers: ``{"page": 2}`` is page 2, as ``page=2`` is.

A client paging with a JSON body until it gets ``[]`` (or ``{}``) must get there; were
the number read as no page at all, every request would answer page 1 and the loop
would never end.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient

from mockserver.app import create_app
from mockserver.settings import Settings

KEY = "Jn6vT8mXc2LpW5sZb1Nd"
PREFIX = "/crowdflower/v1"


@pytest.fixture
def client() -> Iterator[TestClient]:
    settings = Settings(clock="manual", seed=5, rate_limits=False)
    with TestClient(create_app(settings)) as test_client:
        yield test_client


def json_get(client: TestClient, path: str, body: dict[str, Any]) -> Any:
    response = client.request("GET", f"{PREFIX}/{path}", params={"key": KEY}, json=body)
    assert response.status_code == 200, response.text
    return response.json()


def pages(client: TestClient, path: str, **body: Any) -> list[Any]:
    """Every page up to the first empty one, as a paging client reads them (at most 10)."""
    found = []
    for page in range(1, 11):
        answer = json_get(client, path, {"page": page, **body})
        if not answer:
            return found
        found.append(answer)
    raise AssertionError(f"{path}: still not empty after 10 pages")


def test_jobs_page_by_a_json_number_to_the_end(client: TestClient) -> None:
    for n in range(12):
        created = client.post(f"{PREFIX}/jobs", params={"key": KEY, "job[title]": f"Job {n:02}"})
        assert created.status_code == 200, created.text

    listed = pages(client, "jobs.json")

    assert [len(page) for page in listed] == [10, 2]
    titles = sorted(job["title"] for page in listed for job in page)
    assert titles == [f"Job {n:02}" for n in range(12)]


def test_units_page_by_json_numbers_and_numeric_strings(client: TestClient) -> None:
    job = client.post(f"{PREFIX}/jobs", params={"key": KEY}).json()["id"]
    rows = "text\n" + "".join(f"row {n}\n" for n in range(7))
    uploaded = client.put(
        f"{PREFIX}/jobs/{job}/upload",
        params={"key": KEY},
        content=rows.encode(),
        headers={"content-type": "text/csv"},
    )
    assert uploaded.status_code == 200, uploaded.text

    by_number = pages(client, f"jobs/{job}/units.json", limit=3)
    assert [len(page) for page in by_number] == [3, 3, 1]
    assert json_get(client, f"jobs/{job}/units", {"page": " 2 ", "limit": "3"}) == by_number[1]
    unit_ids = [unit_id for page in by_number for unit_id in page]
    assert len(set(unit_ids)) == 7

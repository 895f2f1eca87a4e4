"""The benchmark's GET rows are every GET each vendor serves, and each one answers.

The rows are read from the vendors' route tables; these tests hold them against the
vendors' generated OpenAPI documents, so a GET route cannot go unbenchmarked, and
against a server started as the benchmark starts it, so every row is set up (no row
is "not measured") and answers the status the bare app is to replay.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import servers, surface  # noqa: E402
from bench.scenarios import VENDORS  # noqa: E402
from mockserver.app import VENDORS as REFS  # noqa: E402


@pytest.fixture(scope="module")
def mock() -> Iterator[httpx.Client]:
    with (
        servers.running(servers.mock_server()) as (server,),
        httpx.Client(base_url=server.url, timeout=60) as client,
    ):
        yield client


@pytest.fixture(scope="module")
def rows(mock: httpx.Client) -> list[surface.Row]:
    return list(surface.every_get(mock, list(VENDORS)))


def test_every_get_in_each_vendors_openapi_document_is_a_row(
    mock: httpx.Client, rows: list[surface.Row]
) -> None:
    for ref in REFS:
        document = mock.get(f"/{ref.name}/openapi.json").json()
        documented = {path for path, item in document["paths"].items() if "get" in item}
        benched = {row.route for row in rows if row.vendor == ref.name}
        public = set(ref.load().public_paths)
        assert documented and documented <= benched, documented - benched
        assert benched <= documented | public, benched - documented - public


def test_the_clickworker_gets_come_in_xml_and_in_json(rows: list[surface.Row]) -> None:
    media = {(row.route, row.media) for row in rows if row.vendor == "clickworker"}
    routes = {route for route, _ in media}
    assert media == {(route, kind) for route in routes for kind in ("xml", "json")}


def test_every_row_is_set_up_and_answers_on_the_server_as_users_start_it(
    mock: httpx.Client, rows: list[surface.Row]
) -> None:
    assert {row.vendor for row in rows} == set(VENDORS)
    for row in rows:
        assert row.reason == "" and row.spec is not None and row.recorded is not None, row
        answered = row.spec.check(mock)  # the status the bare app replays, again
        assert answered.status_code == row.recorded.status == row.spec.expect, row
        discovery = row.vendor == "modelarts" and row.route in ("", "/")  # 300, as Keystone
        assert row.spec.expect == (300 if discovery else 200), row


def test_the_routes_a_vendor_names_for_special_handling_are_its_gets() -> None:
    """A renamed route cannot leave a stale entry (its GET would then share a tenant)."""
    for ref in REFS:
        known = {route for route, _ in surface.get_routes(ref.load())}
        named = surface.SURFACES[ref.name]
        assert set(named.changing) | set(named.queries) <= known, ref.name


def test_a_parameter_takes_the_value_of_the_longest_key_its_route_ends_with() -> None:
    context = surface.Context({}, {"{task_id}": "t", "import-tasks/{task_id}": "i"})
    assert context.fill("/d/{task_id}/import-tasks/{task_id}") == "/d/t/import-tasks/i"
    with pytest.raises(KeyError, match="job_id"):
        context.fill("/jobs/{job_id}")

"""Any query value on a ``/_mock`` read is answered, never with a server error: a value
that cannot be used (an unknown vendor or tenant, a pattern RE2 refuses) is a JSON 4xx."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.testclient import TestClient

from mockserver.app import create_app
from mockserver.settings import Settings

READS = {
    "/_mock/journal": ("path", "vendor", "tenant", "method"),
    "/_mock/tenants": ("vendor",),
    "/_mock/clock": ("tenant",),
    "/_mock/ratelimits": ("vendor", "tenant"),
    "/_mock/webhooks/deliveries": ("vendor", "tenant", "state"),
    "/_mock/cloudfactory/workstreams": ("tenant",),
}
HOSTILE = st.sampled_from(
    ["\u00b3", "9" * 5000, "1e200", "NaN", "(a)\\1", "(?<=a)b", "[", "\x00", "%ff", "a" * 10_000]
)


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    app = create_app(Settings(clock="manual", rate_limits=False))
    with TestClient(app, raise_server_exceptions=False) as running:
        running.get("/cloudfactory/v1/tasks/t-1", headers={"x-api-key": "k"})
        yield running


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    route=st.sampled_from(sorted(READS)),
    data=st.data(),
    value=st.one_of(HOSTILE, st.text(max_size=40)),
)
def test_a_hostile_query_value_is_answered_as_json_below_500(
    client: TestClient, route: str, data: st.DataObject, value: str
) -> None:
    name = data.draw(st.sampled_from(READS[route]))
    response = client.get(route, params={name: value})
    assert response.status_code < 500, (route, name, value, response.text)
    assert response.headers["content-type"] == "application/json"
    if response.status_code >= 400:
        assert "error" in response.json()

"""The body strategies: what they draw meets the schema, and the sandbox takes it calmly."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from starlette.testclient import TestClient

from mockserver.app import create_app, vendor_names
from mockserver.core.validation import field_errors
from mockserver.settings import Settings
from mockserver.testing import strategies

CREDENTIALS = {
    "cloudfactory": {"x-api-key": "bodies"},
    "crowdflower": {"Authorization": 'Token token="bodies"'},
    "clickworker": {"Authorization": "Basic Ym9kaWVzOnB3", "Accept": "application/json"},
}
DOCUMENTED_REFUSALS = (400, 401, 402, 403, 404, 409, 413, 415, 422)
BOUNDED = settings(
    max_examples=5, derandomize=True, database=None, deadline=None,
    suppress_health_check=list(HealthCheck),
)  # fmt: skip


def test_every_schema_named_by_a_route_has_a_strategy() -> None:
    found = {(v, o.schema) for v in vendor_names() for o in strategies.operations(v).values()}
    assert ("modelarts", "create_dataset") in found
    assert ("clickworker", "task") in found
    assert {v for v, _ in found} >= {"cloudfactory", "clickworker", "modelarts"}


@pytest.mark.parametrize(
    ("vendor", "schema"),
    [("modelarts", "create_dataset"), ("cloudfactory", "submit_task"), ("clickworker", "task")],
)
def test_drawn_bodies_meet_their_schema(vendor: str, schema: str) -> None:
    @BOUNDED
    @given(document=strategies.body(vendor, schema))
    def meets(document: object) -> None:
        assert field_errors(vendor, schema, document) == []

    meets()


def _answers_calmly(client: TestClient, operation: strategies.BodyOperation) -> None:
    path = re.sub(r"{\w+}", "x1", operation.path)
    headers = CREDENTIALS[operation.vendor]

    @BOUNDED
    @given(document=strategies.operation_body(operation.vendor, operation.operation_id))
    def answered(document: object) -> None:
        url = f"/{operation.vendor}{path}"
        response = client.request(operation.method, url, json=document, headers=headers)
        assert response.status_code < 500, (operation.operation_id, response.text)
        assert response.status_code < 300 or response.status_code in DOCUMENTED_REFUSALS

    answered()


@pytest.mark.parametrize("vendor", sorted(CREDENTIALS))
def test_the_sandbox_answers_every_drawn_body_without_a_server_error(vendor: str) -> None:
    with TestClient(create_app(Settings(clock="manual", rate_limits=False))) as client:
        for operation in strategies.operations(vendor).values():
            _answers_calmly(client, operation)

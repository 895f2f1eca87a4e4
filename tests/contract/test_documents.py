"""The generated OpenAPI documents: where they are served, and what they describe."""

from __future__ import annotations

import pytest
import schemathesis
from starlette.testclient import TestClient

from mockserver.app import create_app, vendor_names
from mockserver.settings import Settings


@pytest.mark.parametrize("vendor", vendor_names())
def test_each_vendor_serves_its_document_without_a_credential(vendor: str) -> None:
    with TestClient(create_app()) as client:
        response = client.get(f"/{vendor}/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["servers"] == [{"url": f"/{vendor}"}]
    assert document["components"]["securitySchemes"]
    schema = schemathesis.openapi.from_dict(document)
    assert all(result.ok() for result in schema.get_all_operations())


def test_single_vendor_mode_and_the_vendors_host_serve_it_at_the_root() -> None:
    with TestClient(create_app(Settings(vendor="crowdflower"))) as client:
        single = client.get("/openapi.json")
    with TestClient(create_app()) as client:
        by_host = client.get("/openapi.json", headers={"host": "api.cloudfactory.app"})
    assert single.json()["info"]["title"] == "CrowdFlower API v1"
    assert single.json()["servers"] == [{"url": "/"}]
    assert by_host.json()["info"]["title"] == "CloudFactory Public API"


def test_a_body_schema_and_the_error_body_come_from_the_schema_files() -> None:
    with TestClient(create_app()) as client:
        document = client.get("/cloudfactory/openapi.json").json()
    submit = document["paths"]["/v1/tasks"]["post"]
    body = submit["requestBody"]["content"]["application/json"]["schema"]
    assert body == {"$ref": "#/components/schemas/submit_task"}
    assert "configuration_id" in document["components"]["schemas"]["submit_task"]["required"]
    refused = submit["responses"]["4XX"]["content"]["application/json"]["schema"]
    assert refused == {"$ref": "#/components/schemas/error"}
    assert submit["responses"]["2XX"]["links"]["task_status_task_id"]["operationId"]


def test_clickworker_documents_xml_next_to_json() -> None:
    with TestClient(create_app()) as client:
        document = client.get("/clickworker/openapi.json").json()
    create = document["paths"]["/api/marketplace/v2/customer/tasks"]["post"]
    content = create["requestBody"]["content"]
    assert content["application/xml"]["schema"]["xml"] == {"name": "task"}
    assert content["application/json"]["schema"]["required"] == ["task"]
    assert set(create["responses"]["2XX"]["content"]) == {"application/json", "application/xml"}


def test_the_control_api_documents_whatever_it_routes() -> None:
    with TestClient(create_app()) as client:
        document = client.get("/_mock/openapi.json").json()
    advance = document["paths"]["/_mock/clock/advance"]["post"]
    assert advance["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/advance"
    }
    assert "/_mock/openapi.json" in document["paths"]
    assert "/_mock/cloudfactory/tasks" in document["paths"]

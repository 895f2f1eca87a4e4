"""The generated OpenAPI documents: where they are served, and what they describe."""

from __future__ import annotations

import re
from typing import Any

import pytest
import schemathesis
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.testclient import TestClient

from mockserver.app import create_app, vendor_names
from mockserver.core.contract import ApiContract, contract
from mockserver.core.openapi import document
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
    operations = [result.ok() for result in schema.get_all_operations()]  # ok() raises if not
    declared = sum(
        method in ("get", "put", "post", "delete", "patch")
        for methods in document["paths"].values()
        for method in methods
    )
    assert len(operations) == declared > 0


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


def _parameters(operation: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {p["name"]: p for p in operation["parameters"] if p["in"] == "query"}


def test_query_parameters_are_declared_with_their_rails_style_keys() -> None:
    with TestClient(create_app()) as client:
        crowdflower = client.get("/crowdflower/openapi.json").json()
        modelarts = client.get("/modelarts/openapi.json").json()
    jobs = _parameters(crowdflower["paths"]["/v1/jobs"]["get"])
    assert set(jobs) == {"page", "state", "tags[]"}
    assert jobs["tags[]"]["schema"]["type"] == "array"
    datasets = _parameters(modelarts["paths"]["/v2/{project_id}/datasets"]["get"])
    assert {"offset", "limit", "sort_by", "order", "search_content"} <= set(datasets)
    assert datasets["limit"]["schema"] == {"type": "integer", "minimum": 1, "maximum": 100}
    # the key rides in the query as a security scheme, on every operation
    assert crowdflower["components"]["securitySchemes"]["key"]["in"] == "query"


def test_crowdflower_takes_every_body_as_a_form_of_rails_style_keys() -> None:
    with TestClient(create_app()) as client:
        document = client.get("/crowdflower/openapi.json").json()
    content = document["paths"]["/v1/jobs/{job_id}/units"]["post"]["requestBody"]["content"]
    form = content["application/x-www-form-urlencoded"]["schema"]
    assert "unit[golden]" in form["properties"]
    (column,) = form["patternProperties"]
    assert re.fullmatch(column, "unit[data][text]") and not re.fullmatch(column, "unit[data]")
    order = document["paths"]["/v1/jobs/{job_id}/orders"]["post"]["requestBody"]["content"]
    fields = order["application/x-www-form-urlencoded"]["schema"]["properties"]
    assert set(fields) == {"debit[units_count]", "channels[]"}
    assert content["application/json"]["schema"]["required"] == ["unit"]


def test_a_create_links_to_the_reads_and_updates_of_what_it_made() -> None:
    with TestClient(create_app()) as client:
        document = client.get("/crowdflower/openapi.json").json()
    create = document["paths"]["/v1/jobs/{job_id}/units"]["post"]
    links = create["responses"]["2XX"]["links"]
    assert {"show_unit_unit_id", "update_unit_unit_id", "delete_unit_unit_id"} <= set(links)
    assert links["show_unit_unit_id"]["parameters"] == {
        "path.unit_id": "$response.body#/id",
        "path.job_id": "$request.path.job_id",  # the new unit is in the job it was made in
    }
    job_links = document["paths"]["/v1/jobs"]["post"]["responses"]["2XX"]["links"]
    assert {"show_job_job_id", "update_job_job_id", "create_unit_job_id"} <= set(job_links)


def test_forms_and_query_parameters_follow_the_schema_files_own_references() -> None:
    schemas = {
        "thing": {
            "type": "object",
            "required": ["size"],
            "properties": {"size": {"$ref": "#/$defs/size"}, "tags": {"$ref": "#/$defs/tags"}},
            "$defs": {
                "size": {"type": "integer", "minimum": 1},
                "tags": {"type": "array", "items": {"type": "string"}},
            },
        },
        "filters": {
            "type": "object",
            "properties": {
                "range": {"type": "object", "properties": {"low": {"$ref": "#/$defs/n"}}}
            },
            "$defs": {"n": {"type": "integer"}},
        },
    }

    @contract(body="thing", wrap="thing", query=("filters",))
    async def make(request: Request) -> Response:
        return Response()

    api = ApiContract(title="things", form_bodies=True)
    found = document(
        [Route("/things", make, methods=["POST"])], schemas.__getitem__, api, version="1"
    )
    operation = found["paths"]["/things"]["post"]
    form = operation["requestBody"]["content"]["application/x-www-form-urlencoded"]["schema"]
    assert form["properties"] == {
        "thing[size]": {"type": "integer", "minimum": 1},
        "thing[tags][]": {"type": "array", "items": {"type": "string"}},
    }
    assert form["required"] == ["thing[size]"]
    (low,) = operation["parameters"]
    assert low == {
        "name": "range[low]",
        "in": "query",
        "required": False,
        "schema": {"type": "integer"},
    }

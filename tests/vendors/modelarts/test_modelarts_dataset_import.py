"""ModelArts: a dataset created from an OBS input path imports its files, on the clock."""

from __future__ import annotations

from typing import Any

from modelarts_kit import INPUT, PROJECT, Api, holds_files


def created(api: Api, **fields: Any) -> dict[str, Any]:
    body = {
        "dataset_name": "animals",
        "data_sources": [{"data_type": 0, "data_path": INPUT}],
        "work_path": "/bucket/output/",
        "work_path_type": 0,
        **fields,
    }
    response = api.call("POST", "/datasets", body)
    assert response.status_code == 201, response.text
    return dict(response.json())


def test_creation_imports_the_files_of_the_input_path_as_the_clock_moves(api: Api) -> None:
    holds_files(api.client, PROJECT, INPUT, 12)
    answer = created(api)
    dataset_id, task_id = answer["dataset_id"], answer["import_task_id"]
    task_path = f"/datasets/{dataset_id}/import-tasks/{task_id}"
    task = api.ok("GET", task_path)
    assert task["status"] == "QUEUING" and task["import_path"] == INPUT
    assert api.ok("GET", f"/datasets/{dataset_id}")["total_sample_count"] == 0
    api.advance(5 + 0.25 * 12)
    assert api.ok("GET", task_path)["status"] == "COMPLETED"
    samples = api.ok("GET", f"/datasets/{dataset_id}/data-annotations/samples", limit=100)
    assert samples["sample_count"] == 12
    assert {s["sample_status"] for s in samples["samples"]} == {"__NONE__"}
    assert samples["samples"][0]["sample_name"] == "image_0001.jpg"
    listed = api.ok("GET", f"/datasets/{dataset_id}/import-tasks")["import_tasks"]
    assert [t["task_id"] for t in listed] == [task_id]


def test_an_undeclared_input_path_holds_made_up_files(api: Api) -> None:
    answer = created(api, data_sources=[{"data_type": 0, "data_path": "/bucket/elsewhere/"}])
    api.advance(5 + 0.25 * 200)
    dataset = api.ok("GET", f"/datasets/{answer['dataset_id']}")
    assert 20 <= dataset["total_sample_count"] <= 200


def test_a_source_other_than_obs_starts_no_import(api: Api) -> None:
    answer = created(api, data_sources=[{"data_type": 1, "schema_maps": []}])
    assert list(answer) == ["dataset_id"]


def test_declaring_a_directory_refuses_a_path_that_is_not_one(api: Api) -> None:
    body = {"project_id": PROJECT, "path": "bucket-only", "file_count": 1}
    response = api.client.put("/_mock/modelarts/obs", json=body)
    assert response.status_code == 400, response.text
    body = {"project_id": PROJECT, "path": INPUT, "file_count": -1}
    assert api.client.put("/_mock/modelarts/obs", json=body).status_code == 400

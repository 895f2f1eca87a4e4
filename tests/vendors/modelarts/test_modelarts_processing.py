"""ModelArts data processing: processing tasks and their versions on the clock."""

from __future__ import annotations

from modelarts_kit import Api, refused


def processor(api: Api, name: str, dataset_id: str, template: str = "sys_data_validation") -> str:
    body = {
        "name": name,
        "template": {"id": template},
        "inputs": [{"type": "DATASET", "source": dataset_id}],
    }
    task_id: str = api.ok("POST", "/processor-tasks", body)["task_id"]
    return task_id


def test_items_list_the_templates(api: Api) -> None:
    body = api.ok("GET", "/processor-tasks/items")
    assert body["total"] == 5
    assert "sys_data_cleaning" in [item["template_id"] for item in body["items"]]
    assert len(api.ok("GET", "/processor-tasks/items", limit=2)["items"]) == 2
    refused(api.call("GET", "/processor-tasks/items", limit=1001), 400, "ModelArts.0104")


def test_task_lifecycle(api: Api) -> None:
    dataset_id = api.dataset(samples=3)
    first = processor(api, "alpha", dataset_id)
    second = processor(api, "beta", dataset_id, "sys_data_analyse")
    listed = api.ok("GET", "/processor-tasks")
    assert listed["count"] == 2
    assert [task["task_id"] for task in listed["tasks"]] == [second, first]
    by_name = api.ok("GET", "/processor-tasks", sort_by="name", order="asc")
    assert [task["name"] for task in by_name["tasks"]] == ["alpha", "beta"]
    assert api.ok("GET", "/processor-tasks", task_name="alp")["count"] == 1
    view = api.ok("GET", f"/processor-tasks/{first}")
    assert view["status"] == 0 and view["template"]["id"] == "sys_data_validation"
    api.ok("PUT", f"/processor-tasks/{first}", {"description": "checked"})
    assert api.ok("GET", f"/processor-tasks/{first}")["description"] == "checked"
    api.ok("DELETE", f"/processor-tasks/{first}")
    refused(api.call("GET", f"/processor-tasks/{first}"), 400, "ModelArts.4612")


def test_create_refusals(api: Api) -> None:
    dataset_id = api.dataset()
    body = {"name": "x", "template": {"id": "sys_nope"}, "inputs": []}
    assert api.call("POST", "/processor-tasks", body).status_code == 400
    body = {"name": "x", "template": {"id": "sys_data_analyse"},
            "inputs": [{"type": "DATASET", "source": "missing"}]}  # fmt: skip
    assert api.call("POST", "/processor-tasks", body).status_code == 400
    assert api.ok("GET", "/processor-tasks")["count"] == 0
    assert processor(api, "ok", dataset_id)


def test_version_runs_on_the_clock(api: Api) -> None:
    task_id = processor(api, "run", api.dataset(samples=12))
    version_id = api.ok("POST", f"/processor-tasks/{task_id}/versions", {})["version_id"]
    path = f"/processor-tasks/{task_id}/versions/{version_id}"
    assert api.ok("GET", path)["status"] == 0
    api.advance(5)
    view = api.ok("GET", path)
    assert view["status"] == 1 and view["version_name"] == "V001"
    assert api.ok("GET", path + "/results")["count"] == 0
    api.advance(10)
    view = api.ok("GET", path)
    assert view["status"] == 2 and view["duration_seconds"] == 10
    assert view["processed_sample_count"] == 12
    assert view["passed_sample_count"] + view["failed_sample_count"] == 12
    assert api.ok("GET", f"/processor-tasks/{task_id}")["status"] == 2
    results = api.ok("GET", path + "/results", limit=5)
    assert results["count"] == 12 and results["has_more"] is True
    assert len(results["results"]) == 5
    assert api.ok("GET", f"/processor-tasks/{task_id}/versions")["count"] == 1


def test_stop_and_delete_version(api: Api) -> None:
    task_id = processor(api, "stop", api.dataset(samples=2))
    version_id = api.ok("POST", f"/processor-tasks/{task_id}/versions", {})["version_id"]
    path = f"/processor-tasks/{task_id}/versions/{version_id}"
    assert api.ok("POST", path + "/stop")["status"] == 4
    api.advance(60)
    assert api.ok("GET", path)["status"] == 4
    response = api.call("DELETE", path)
    assert response.status_code == 204
    refused(api.call("GET", path), 400, "ModelArts.4612")
    assert api.ok("GET", f"/processor-tasks/{task_id}/versions")["count"] == 0

"""ModelArts takes what its reference marks optional: missing lists are empty, fields default."""

from __future__ import annotations

from modelarts_kit import DATA, Api


def test_sample_batches_without_their_lists_change_nothing_and_succeed(api: Api) -> None:
    dataset_id = api.dataset()
    path = f"/datasets/{dataset_id}/data-annotations/samples"
    assert api.ok("POST", path, {}) == {"success": True, "results": []}
    assert api.ok("PUT", path, {})["success"] is True
    assert api.ok("POST", path + "/delete", {"samples": []})["success"] is True
    assert api.ok("GET", path)["sample_count"] == 0


def test_a_sample_without_data_is_uploaded_empty(api: Api) -> None:
    dataset_id = api.dataset()
    path = f"/datasets/{dataset_id}/data-annotations/samples"
    (result,) = api.ok("POST", path, {"samples": [{"name": "empty.png"}]})["results"]
    assert result["success"] is True
    assert api.ok("GET", f"{path}/{result['info']}")["sample_size"] == 0


def test_an_update_item_without_an_id_fails_alone(api: Api) -> None:
    dataset_id = api.dataset()
    path = f"/datasets/{dataset_id}/data-annotations/samples"
    (uploaded,) = api.ok("POST", path, {"samples": [{"name": "a.png", "data": DATA}]})["results"]
    body = {"samples": [{"labels": [{"name": "cat"}]}, {"sample_id": uploaded["info"]}]}
    answer = api.ok("PUT", path, body)
    assert [r["success"] for r in answer["results"]] == [False, True]
    assert answer["results"][0]["error_code"] == "ModelArts.4420"


def test_label_batches_without_labels_succeed(api: Api) -> None:
    dataset_id = api.dataset()
    path = f"/datasets/{dataset_id}/data-annotations/labels"
    assert api.ok("POST", path, {})["success"] is True
    assert api.ok("POST", path + "/delete", {"labels": []})["success"] is True


def test_an_auto_labeling_task_without_a_type_is_active_learning(api: Api) -> None:
    dataset_id = api.dataset(labels=[{"name": "cat", "type": 0}])
    task_id = api.ok("POST", f"/datasets/{dataset_id}/tasks", {})["task_id"]
    task = api.ok("GET", f"/datasets/{dataset_id}/tasks/{task_id}")
    assert task["task_type"] == "auto-label"


def test_a_dataset_may_have_several_sources_or_an_obs_source_without_a_path(api: Api) -> None:
    two = [{"data_type": 0, "data_path": "/bucket/a/"}, {"data_type": 0, "data_path": "/bucket/b/"}]
    assert api.dataset("two", data_sources=two)
    assert api.dataset("bare", data_sources=[{"data_type": 0}])


def test_an_empty_member_batch_delete_deletes_nobody(api: Api) -> None:
    team = api.team("team", ("ann@x.io", 0))
    answer = api.ok("POST", f"/workforces/{team}/workers/batch-delete", {"workers": []})
    assert answer["success"] is True
    assert api.ok("GET", f"/workforces/{team}/workers")["total_number"] == 1


def test_a_workforce_named_twice_in_a_task_is_taken_once_with_both_member_lists(api: Api) -> None:
    dataset_id = api.dataset()
    team = api.team("team", ("ann@x.io", 0), ("bob@x.io", 0))
    config = {"workforces": [
        {"workforce_id": team, "workers": [{"email": "ann@x.io"}]},
        {"workforce_id": team, "workers": [{"email": "bob@x.io"}]},
    ]}  # fmt: skip
    body = {"task_name": "round 1 (any name)", "workforces_config": config}
    task_id = api.ok("POST", f"/datasets/{dataset_id}/workforce-tasks", body)["task_id"]
    view = api.ok("GET", f"/datasets/{dataset_id}/workforce-tasks/{task_id}")
    (taken,) = view["workforces_config"]["workforces"]
    assert [worker["email"] for worker in taken["workers"]] == ["ann@x.io", "bob@x.io"]


def test_labels_of_a_published_version_are_listed(api: Api) -> None:
    dataset_id = api.dataset(labels=[{"name": "cat", "type": 0}])
    version_id = api.ok("POST", f"/datasets/{dataset_id}/versions", {})["version_id"]
    path = f"/datasets/{dataset_id}/data-annotations/labels"
    listed = api.ok("GET", path, version_id=version_id)
    assert [label["name"] for label in listed["labels"]] == ["cat"]
    unknown = api.call("GET", path, version_id="V" * 19)
    assert (unknown.status_code, unknown.json()["error_code"]) == (400, "ModelArts.4353")

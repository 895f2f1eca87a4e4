"""ModelArts team tasks: update, delete, metrics, task samples; data sync and dataset metrics."""

from __future__ import annotations

from modelarts_kit import Api, refused, started


def test_update_renames_and_refuses_bad_names(api: Api) -> None:
    dataset_id = api.dataset()
    team = api.team("team", ("ann@x.io", 0))
    task_id = api.task(dataset_id, "first", team)
    api.task(dataset_id, "second", team)
    path = f"/datasets/{dataset_id}/workforce-tasks/{task_id}"
    assert api.ok("PUT", path, {"task_name": "renamed", "description": "new"}) == {}
    view = api.ok("GET", path)
    assert view["task_name"] == "renamed" and view["description"] == "new"
    refused(api.call("PUT", path, {"task_name": "second"}), 400, "ModelArts.4620")
    refused(api.call("PUT", path, {"task_name": "bad name!"}), 400, "ModelArts.4396")
    missing = f"/datasets/{dataset_id}/workforce-tasks/nope"
    refused(api.call("PUT", missing, {"task_name": "x"}), 400, "ModelArts.4619")
    assert api.ok("GET", path)["task_name"] == "renamed"


def test_delete_answers_204_and_forgets_the_task(api: Api) -> None:
    dataset_id, task_id = started(api)
    path = f"/datasets/{dataset_id}/workforce-tasks/{task_id}"
    response = api.call("DELETE", path)
    assert response.status_code == 204 and response.content == b""
    refused(api.call("GET", path), 400, "ModelArts.4619")
    refused(api.call("DELETE", path), 400, "ModelArts.4619")
    assert api.worker_tasks()["count"] == 0


def test_task_samples_and_metrics(api: Api) -> None:
    dataset_id, task_id = started(api, samples=5)
    base = f"/datasets/{dataset_id}/workforce-tasks/{task_id}"
    listed = api.ok("GET", base + "/data-annotations/samples", limit=2)
    assert listed["sample_count"] == 5 and len(listed["samples"]) == 2
    assert listed["samples"][0]["sample_status"] == "__NONE__"
    metrics = api.ok("GET", base + "/metrics")["sample_stats"]
    assert metrics["ann@x.io"]["un_annotation"] == 3 and metrics["bob@x.io"]["un_annotation"] == 2
    api.advance(5 * 180)
    metrics = api.ok("GET", base + "/metrics")["sample_stats"]
    assert metrics["ann@x.io"] == {
        "un_annotation": 0, "rejected": 0, "unreviewed": 3,
        "accepted": 0, "auto_annotation": 0, "uncheck": 0,
    }  # fmt: skip
    labeled = api.ok("GET", base + "/data-annotations/samples", sample_state="__UNREVIEWED__")
    assert labeled["sample_count"] == 5
    none = api.ok("GET", base + "/data-annotations/samples", sample_state="__NONE__")
    assert none == {"sample_count": 0, "samples": []}
    one = labeled["samples"][0]
    assert api.ok("GET", base + "/data-annotations/samples/" + one["sample_id"]) == one
    refused(api.call("GET", base + "/data-annotations/samples/" + "0" * 32), 400, "ModelArts.4420")
    lower = api.ok("GET", base + "/data-annotations/samples", sample_state="__unreviewed__")
    assert lower["sample_count"] == 5
    unknown = api.ok("GET", base + "/data-annotations/samples", sample_state="__BOGUS__")
    assert unknown == {"sample_count": 0, "samples": []}
    refused(api.call("GET", base + "/data-annotations/samples", limit=0), 400, "ModelArts.0104")


def test_unstarted_task_has_no_samples(api: Api) -> None:
    dataset_id = api.dataset(samples=3)
    task_id = api.task(dataset_id, "idle", api.team("team", ("ann@x.io", 0)))
    path = f"/datasets/{dataset_id}/workforce-tasks/{task_id}/data-annotations/samples"
    assert api.ok("GET", path) == {"sample_count": 0, "samples": []}


def test_sync_data_source_and_its_state(api: Api) -> None:
    dataset_id = api.dataset(samples=2)
    state = api.ok("GET", f"/datasets/{dataset_id}/sync-data/status")
    assert state["status"] == "NOT_EXIST" and state["dataset_id"] == dataset_id
    assert api.ok("POST", f"/datasets/{dataset_id}/sync-data") == {}
    state = api.ok("GET", f"/datasets/{dataset_id}/sync-data/status")
    assert state["status"] == "COMPLETED" and len(state["task_id"]) == 19
    assert state["add_sample_count"] == 0 and state["total_sample_count"] == 2
    assert state["create_time"] > 0 and state["duration_time"] == 0
    refused(api.call("POST", "/datasets/nope/sync-data"), 400, "ModelArts.4352")


def test_dataset_metrics_by_day_and_state(api: Api) -> None:
    dataset_id = api.dataset(samples=3)
    path = f"/datasets/{dataset_id}/metrics"
    everything = api.ok("GET", path, start_time=0, end_time=2**62)["metrics"]
    assert len(everything) == 1
    (day,) = everything.values()
    assert day == {"total": 3, "__NONE__": 3}
    assert api.ok("GET", path, start_time=0, end_time=1) == {"metrics": {}}
    # The documented example sends neither time: the range is then open at that end.
    assert api.ok("GET", path)["metrics"] == everything
    assert api.ok("GET", path, end_time=5) == {"metrics": {}}
    assert api.ok("GET", path, start_time=2**62) == {"metrics": {}}
    assert api.ok("GET", path, start_time=9, end_time=5) == {"metrics": {}}
    refused(api.call("GET", path, start_time="x", end_time=5), 400, "ModelArts.0104")


def test_dataset_metrics_read_again_count_the_samples_as_they_are_now(api: Api) -> None:
    dataset_id = api.dataset(samples=3)
    path = f"/datasets/{dataset_id}/metrics"
    (day,) = api.ok("GET", path)["metrics"].values()
    assert day == {"total": 3, "__NONE__": 3}
    first = api.samples(dataset_id)[0]["sample_id"]
    api.ok("POST", f"/datasets/{dataset_id}/data-annotations/samples/delete", {"samples": [first]})
    (day,) = api.ok("GET", path)["metrics"].values()
    assert day == {"total": 2, "__NONE__": 2}

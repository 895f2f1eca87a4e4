"""ModelArts: team task notices, statistics and label submissions; search terms."""

from __future__ import annotations

from modelarts_kit import Api, refused, started


def test_send_emails_answers_batch_success(api: Api) -> None:
    dataset_id, task_id = started(api, samples=2)
    path = f"/datasets/{dataset_id}/workforce-tasks/{task_id}/notify"
    assert api.ok("POST", path, {"emails": ["ann@x.io"]}) == {"success": True}
    assert api.ok("POST", path, {"emails": []}) == {"success": True}  # notifies nobody
    refused(api.call("POST", path, {"emails": [3]}), 400, "ModelArts.4396", "emails")
    refused(api.call("POST", path, {}), 400, "ModelArts.4396", "emails")
    missing = f"/datasets/{dataset_id}/workforce-tasks/nope/notify"
    refused(api.call("POST", missing, {"emails": ["ann@x.io"]}), 400, "ModelArts.4619")


def test_workforce_task_stats_count_the_task_samples(api: Api) -> None:
    dataset_id, task_id = started(api, samples=4)
    base = f"/datasets/{dataset_id}/workforce-tasks/{task_id}/data-annotations/stats"
    stats = api.ok("GET", base)
    assert stats["sample_stats"]["__NONE__"] == 4
    assert stats["data_spliting_enable"] is False and "label_stats" in stats
    assert (
        api.ok("GET", f"/datasets/{dataset_id}/data-annotations/stats")["sample_stats"]
        == (stats["sample_stats"])
    )
    idle = api.task(dataset_id, "idle", api.team("other", ("cy@x.io", 0)))
    empty = api.ok("GET", f"/datasets/{dataset_id}/workforce-tasks/{idle}/data-annotations/stats")
    assert sum(empty["sample_stats"].values()) == 0
    lower = api.ok("GET", base, sample_state="__none__")  # the documented example's spelling
    assert lower["sample_stats"]["__NONE__"] == 4
    missing = f"/datasets/{dataset_id}/workforce-tasks/nope/data-annotations/stats"
    refused(api.call("GET", missing), 400, "ModelArts.4619")


def test_update_workforce_task_samples_touches_only_task_samples(api: Api) -> None:
    dataset_id, task_id = started(api, samples=2)
    base = f"/datasets/{dataset_id}/workforce-tasks/{task_id}/data-annotations/samples"
    one = api.ok("GET", base)["samples"][0]["sample_id"]
    label = {"name": "rose", "type": 0}
    body = {"email": "ann@x.io", "samples": [
        {"sample_id": one, "labels": [label]}, {"sample_id": "0" * 32, "labels": [label]},
    ]}  # fmt: skip
    result = api.ok("PUT", base, body)
    assert result["success"] is False
    assert result["results"][0] == {"success": True}
    assert result["results"][1]["error_code"] == "ModelArts.4420"
    sample = api.ok("GET", f"/datasets/{dataset_id}/data-annotations/samples/{one}")
    assert sample["labels"][0]["name"] == "rose"
    refused(api.call("PUT", base, {"samples": "x"}), 400, "ModelArts.0104")
    missing = f"/datasets/{dataset_id}/workforce-tasks/nope/data-annotations/samples"
    refused(api.call("PUT", missing, {"samples": [{"sample_id": one}]}), 400, "ModelArts.4619")


def test_list_search_names_labels_and_labelers(api: Api) -> None:
    dataset_id = api.dataset(samples=1, labels=[{"name": "rose", "type": 0}])
    path = f"/datasets/{dataset_id}/data-annotations/search-condition"
    found = api.ok("GET", path)
    assert [label["name"] for label in found["labels"]] == ["rose"]
    assert found["metadata"] == {} and found["labelers"] == []
    (sample,) = api.samples(dataset_id)
    item = {"sample_id": sample["sample_id"],
            "labels": [{"name": "rose", "type": 0, "annotated_by": "human"}]}  # fmt: skip
    assert api.ok("PUT", f"/datasets/{dataset_id}/data-annotations/samples", {"samples": [item]})[
        "success"
    ]
    assert api.ok("GET", path)["labelers"] == ["human"]
    refused(
        api.call("GET", "/datasets/nope/data-annotations/search-condition"), 400, "ModelArts.4352"
    )

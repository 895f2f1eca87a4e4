"""ModelArts detail answers whose documented fields follow from the project's state.

A version's ``label_stats`` and ``label_type`` are those of the labeled samples it
released, its ``analysis_status`` that of its feature analysis; a processing task is
``is_current`` while no newer one of its kind reads its dataset version.
"""

from __future__ import annotations

from typing import Any

from modelarts_kit import DATA, Api

LABELS = [{"name": "cat", "type": 0}, {"name": "dog", "type": 0}]


def labeled_dataset(api: Api, *carried: list[str]) -> str:
    """A dataset with one sample per entry of ``carried`` (its label names; [] is unlabeled)."""
    dataset_id = api.dataset(labels=LABELS)
    items = [
        {
            "name": f"s{index}.png",
            "data": DATA,
            **({"labels": [{"name": name, "type": 0} for name in names]} if names else {}),
        }
        for index, names in enumerate(carried)
    ]
    path = f"/datasets/{dataset_id}/data-annotations/samples"
    assert api.ok("POST", path, {"samples": items})["success"] is True
    return dataset_id


def published(api: Api, dataset_id: str) -> tuple[str, dict[str, Any]]:
    version_id: str = api.ok("POST", f"/datasets/{dataset_id}/versions", {})["version_id"]
    api.advance(60)
    return version_id, api.ok("GET", f"/datasets/{dataset_id}/versions/{version_id}")


def counts(view: dict[str, Any]) -> dict[str, tuple[int, int]]:
    return {row["name"]: (row["count"], row["sample_count"]) for row in view["label_stats"]}


def test_a_version_releases_the_label_stats_of_its_labeled_samples(api: Api) -> None:
    dataset_id = labeled_dataset(api, ["cat"], ["cat"], ["cat", "dog"], [])
    _, view = published(api, dataset_id)
    assert counts(view) == {"cat": (3, 3), "dog": (1, 1)}
    assert view["label_type"] == "multi"  # one sample carries two labels
    assert view["total_sample_count"] == 4 and view["annotated_sample_count"] == 3
    assert view["task_type"] == 0 and view["total_sub_sample_count"] == 0
    assert view["data_path"] == view["manifest_path"].rsplit("/", 1)[0] + "/data/"
    # a later label changes the dataset, not what the version released
    sample = next(s for s in api.samples(dataset_id) if not s.get("labels"))
    body = {"samples": [{"sample_id": sample["sample_id"], "labels": [{"name": "dog"}]}]}
    api.ok("PUT", f"/datasets/{dataset_id}/data-annotations/samples", body)
    version_id, newer = published(api, dataset_id)
    assert counts(newer) == {"cat": (3, 3), "dog": (2, 2)}
    older = api.ok("GET", f"/datasets/{dataset_id}/versions")["versions"][1]
    assert counts(older) == {"cat": (3, 3), "dog": (1, 1)}
    assert newer["is_current"] is True and older["is_current"] is False


def test_a_version_of_single_labeled_samples_is_single(api: Api) -> None:
    _, view = published(api, labeled_dataset(api, ["cat"], ["dog"]))
    assert view["label_type"] == "single"
    assert counts(view) == {"cat": (1, 1), "dog": (1, 1)}


def analysis(api: Api, dataset_id: str, version_id: str, template: str = "sys_data_analyse") -> str:
    reads = {"type": "DATASET", "source": dataset_id, "version_id": version_id}
    body = {"name": "look", "template": {"id": template}, "inputs": [reads]}
    task_id: str = api.ok("POST", "/processor-tasks", body)["task_id"]
    return task_id


def test_analysis_status_follows_the_versions_analysis_task(api: Api) -> None:
    dataset_id = labeled_dataset(api, ["cat"], ["dog"])
    version_id, view = published(api, dataset_id)
    path = f"/datasets/{dataset_id}/versions/{version_id}"
    assert view["analysis_status"] == 0  # none yet
    task_id = analysis(api, dataset_id, version_id)
    task_path = f"/processor-tasks/{task_id}"
    assert api.ok("GET", task_path)["result"] is None
    api.ok("POST", task_path + "/versions", {})
    api.advance(5)
    assert api.ok("GET", path)["analysis_status"] == 1
    api.advance(10)
    assert api.ok("GET", path)["analysis_status"] == 2
    result = api.ok("GET", task_path)["result"]
    assert result["processed_sample_count"] == 2
    assert result["passed_sample_count"] + result["failed_sample_count"] == 2


def test_only_the_newest_task_of_a_kind_on_a_version_is_current(api: Api) -> None:
    dataset_id = labeled_dataset(api, ["cat"])
    version_id, _ = published(api, dataset_id)
    first = analysis(api, dataset_id, version_id)
    assert api.ok("GET", f"/processor-tasks/{first}")["is_current"] is True
    second = analysis(api, dataset_id, version_id)
    other_kind = analysis(api, dataset_id, version_id, "sys_data_validation")
    assert api.ok("GET", f"/processor-tasks/{first}")["is_current"] is False
    assert api.ok("GET", f"/processor-tasks/{second}")["is_current"] is True
    assert api.ok("GET", f"/processor-tasks/{other_kind}")["is_current"] is True
    api.ok("DELETE", f"/processor-tasks/{second}")
    assert api.ok("GET", f"/processor-tasks/{first}")["is_current"] is True


def test_a_processing_version_carries_its_tasks_inputs_template_and_work_path(api: Api) -> None:
    dataset_id = labeled_dataset(api, ["cat"])
    version_id, _ = published(api, dataset_id)
    task_id = analysis(api, dataset_id, version_id, "sys_data_validation")
    made = api.ok("POST", f"/processor-tasks/{task_id}/versions", {})["version_id"]
    view = api.ok("GET", f"/processor-tasks/{task_id}/versions/{made}")
    assert view["task_version_id"] == made and view["task_id"] == task_id
    assert view["inputs"] == [{"type": "DATASET", "source": dataset_id, "version_id": version_id}]
    assert view["template"]["id"] == "sys_data_validation" and view["work_path"] is None
    listed = api.ok("GET", f"/processor-tasks/{task_id}/versions")["versions"]
    assert [row["task_version_id"] for row in listed] == [made]

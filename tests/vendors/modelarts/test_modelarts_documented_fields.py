"""ModelArts answers carry the fields the API reference documents, under its names."""

from __future__ import annotations

from modelarts_kit import Api, started


def test_list_workforce_tasks_items_carry_sample_stats(api: Api) -> None:
    dataset_id, task_id = started(api, samples=3)
    (task,) = api.ok("GET", f"/datasets/{dataset_id}/workforce-tasks")["tasks"]
    assert task["task_id"] == task_id
    assert task["sample_stats"]["total_sample_count"] == 3
    assert task["sample_stats"]["unannotated_sample_count"] == 3


def test_list_datasets_previews_four_files_when_asked(api: Api) -> None:
    dataset_id = api.dataset(samples=6)
    plain = api.ok("GET", "/datasets")["datasets"][0]
    assert "samples" not in plain
    (listed,) = api.ok("GET", "/datasets", file_preview="true")["datasets"]
    files = listed["samples"]
    assert [f["file_Name"] for f in files] == ["s000.png", "s001.png", "s002.png", "s003.png"]
    assert all(f["dataset_id"] == dataset_id and f["file_id"] and f["url"] for f in files)


def test_processor_task_items_are_template_ids_with_names_in_both_languages(api: Api) -> None:
    items = api.ok("GET", "/processor-tasks/items")["items"]
    cleaning = next(item for item in items if item["template_id"] == "sys_data_cleaning")
    assert set(cleaning) == {"template_id", "label_en", "label_zh"}
    assert cleaning["label_en"] and cleaning["label_zh"]


def test_describe_processor_task_keeps_its_data_source(api: Api) -> None:
    dataset_id = api.dataset(samples=1)
    source = {"type": "DATASET", "source": dataset_id}
    body = {"name": "check", "template": {"id": "sys_data_validation"}, "data_source": source}
    task_id = api.ok("POST", "/processor-tasks", body)["task_id"]
    view = api.ok("GET", f"/processor-tasks/{task_id}")
    assert view["data_source"] == source and view["inputs"] == [source]

"""DescDataset answers a document rendered once per change of the dataset: every change
shows in the next answer, and the answer is what rendering the dataset afresh gives."""

from __future__ import annotations

from dataclasses import fields
from typing import Any

import pytest
from modelarts_kit import DATA, Api

from mockserver.core.wire import dumps
from mockserver.vendors.modelarts.api.datasets import dataset_view
from mockserver.vendors.modelarts.backend.datasets import Dataset

DAISY = {"name": "daisy", "type": 0, "property": {"@modelarts:color": "#266b5e"}}
ROSE = {"name": "rose", "type": 0, "property": {"@modelarts:color": "#ff0000"}}


def a_dataset() -> Dataset:
    return Dataset(
        id="d1", name="flowers", dataset_type=0, description="", data_sources=[],
        work_path="/bucket/output/", work_path_type=0, workspace_id="0",
        data_format="Default", create_time=1, update_time=1,
    )  # fmt: skip


@pytest.mark.parametrize("name", [f.name for f in fields(Dataset) if f.name != "rendered"])
def test_assigning_any_field_drops_the_rendered_document(name: str) -> None:
    dataset = a_dataset()
    dataset.rendered = b"{}"
    setattr(dataset, name, getattr(dataset, name))
    assert dataset.rendered is None


def test_the_rendered_document_is_kept_until_a_change() -> None:
    dataset = a_dataset()
    dataset.rendered = dumps(dataset_view(dataset))
    assert dataset.rendered == dumps(dataset_view(dataset))
    dataset.total_sample_count = 3
    assert dataset.rendered is None


def test_each_change_shows_in_the_next_describe(api: Api) -> None:
    dataset_id = api.dataset(labels=[DAISY])
    path = f"/datasets/{dataset_id}"
    annotations = f"{path}/data-annotations"

    def described() -> dict[str, Any]:
        first = api.call("GET", path)
        again = api.call("GET", path)
        assert first.status_code == again.status_code == 200, first.text
        assert first.content == again.content
        assert first.headers["x-request-id"] != again.headers["x-request-id"]
        shown: dict[str, Any] = first.json()
        return shown

    assert described()["total_sample_count"] == 0
    api.ok("POST", f"{annotations}/samples", {"samples": [{"name": "a.png", "data": DATA}]})
    assert described()["total_sample_count"] == 1
    api.ok("PUT", path, {"dataset_name": "tulips", "description": "spring"})
    shown = described()
    assert (shown["dataset_name"], shown["description"]) == ("tulips", "spring")
    assert shown["inner_work_path"] == f"/bucket/output/tulips-{dataset_id}/"
    api.ok("POST", f"{annotations}/labels", {"labels": [ROSE]})
    assert described()["labels"] == [DAISY, ROSE]
    api.ok("PUT", f"{annotations}/labels", {"labels": [{"name": "rose", "type": 0,
            "property": {"@modelarts:color": "#00ff00"}}]})  # fmt: skip
    assert described()["labels"] == [DAISY, {**ROSE, "property": {"@modelarts:color": "#00ff00"}}]
    api.ok("POST", f"{annotations}/labels/delete", {"labels": [{"name": "daisy"}]})
    assert [label["name"] for label in described()["labels"]] == ["rose"]
    api.ok("POST", f"{path}/versions", {})
    api.advance(60)
    shown = described()
    assert shown["dataset_version_count"] == 1 and shown["current_version_name"] == "V001"


def test_the_answer_is_the_fresh_rendering_of_the_dataset(api: Api) -> None:
    dataset_id = api.dataset(samples=2, labels=[DAISY])
    path = f"/datasets/{dataset_id}"
    api.call("GET", path)
    api.ok("POST", f"{path}/data-annotations/labels", {"labels": [ROSE]})
    listed = api.ok("GET", "/datasets")["datasets"]
    assert api.call("GET", path).content == dumps(listed[0])

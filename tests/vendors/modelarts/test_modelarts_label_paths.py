"""ModelArts labels whose names hold a "/": made, updated and removed through the name's URL."""

from __future__ import annotations

from urllib.parse import quote

from modelarts_kit import Api


def test_a_label_with_a_slash_is_updated_then_deleted_by_its_encoded_name(api: Api) -> None:
    dataset_id = api.dataset(labels=[{"name": "cat/tabby", "type": 0}, {"name": "dog", "type": 0}])
    labels = f"/datasets/{dataset_id}/data-annotations/labels"
    path = labels + "/" + quote("cat/tabby", safe="")
    response = api.call("PUT", path, {"@modelarts:color": "#93c47d"}, label_type=0)
    assert response.status_code == 204, response.text
    listed = {label["name"]: label for label in api.ok("GET", labels)["labels"]}
    assert listed["cat/tabby"]["property"]["@modelarts:color"] == "#93c47d"
    assert api.call("DELETE", path).status_code == 204
    assert [label["name"] for label in api.ok("GET", labels)["labels"]] == ["dog"]

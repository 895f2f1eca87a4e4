"""ModelArts paging: ``offset`` is the documented "start page"; adding 1 walks each record once."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from modelarts_kit import DATA, Api


def walked(api: Api, path: str, listed: str, key: str, limit: int = 2) -> list[Any]:
    """Every item of a list, fetched the way paging clients do: offset 0, 1, 2, ... until empty."""
    seen: list[Any] = []
    page = 0
    while items := api.ok("GET", path, offset=page, limit=limit)[listed]:
        seen.extend(item[key] for item in items)
        page += 1
    return seen


def datasets(api: Api) -> tuple[str, str, str, int]:
    for index in range(5):
        api.dataset(f"set{index}")
    return "/datasets", "datasets", "dataset_id", 5


def labels(api: Api) -> tuple[str, str, str, int]:
    dataset_id = api.dataset(labels=[{"name": f"l{i}", "type": 0} for i in range(5)])
    return f"/datasets/{dataset_id}/data-annotations/labels", "labels", "name", 5


def samples(api: Api) -> tuple[str, str, str, int]:
    dataset_id = api.dataset()
    items = [{"name": f"s{index}.png", "data": DATA} for index in range(5)]
    api.ok("POST", f"/datasets/{dataset_id}/data-annotations/samples", {"samples": items})
    return f"/datasets/{dataset_id}/data-annotations/samples", "samples", "sample_id", 5


def workforces(api: Api) -> tuple[str, str, str, int]:
    for index in range(5):
        api.team(f"team{index}")
    return "/workforces", "workforces", "workforce_id", 5


def workers(api: Api) -> tuple[str, str, str, int]:
    team = api.team("team", *((f"w{index}@x.io", 0) for index in range(5)))
    return f"/workforces/{team}/workers", "workers", "email", 5


def workforce_tasks(api: Api) -> tuple[str, str, str, int]:
    dataset_id = api.dataset()
    team = api.team("team", ("ann@x.io", 0))
    for index in range(5):
        api.task(dataset_id, f"round{index}", team)
    return f"/datasets/{dataset_id}/workforce-tasks", "tasks", "task_id", 5


@pytest.mark.parametrize(
    "made",
    [datasets, labels, samples, workforces, workers, workforce_tasks],
    ids=lambda f: f.__name__,
)
def test_offset_plus_one_walks_every_record_once(
    api: Api, made: Callable[[Api], tuple[str, str, str, int]]
) -> None:
    path, listed, key, count = made(api)
    seen = walked(api, path, listed, key)
    assert len(seen) == count and len(set(seen)) == count


def test_offset_counts_pages_of_limit_records(api: Api) -> None:
    for index in range(5):
        api.team(f"team{index}")
    everything = [w["workforce_name"] for w in api.ok("GET", "/workforces")["workforces"]]
    second = api.ok("GET", "/workforces", offset=1, limit=2)["workforces"]
    assert [w["workforce_name"] for w in second] == everything[2:4]
    assert api.ok("GET", "/workforces", offset=3, limit=2) == {
        "total_number": 5,
        "workforces": [],
    }


@pytest.mark.parametrize("offset", [2**62, 2**63 - 1])
def test_a_page_far_past_the_end_is_empty(api: Api, offset: int) -> None:
    api.dataset()
    assert api.ok("GET", "/datasets", offset=offset, limit=100)["datasets"] == []

"""ModelArts team labeling as documented: a member's labels wait for review, then acceptance."""

from __future__ import annotations

from typing import Any

from modelarts_kit import Api, started


def task_path(dataset_id: str, task_id: str, tail: str = "") -> str:
    return f"/datasets/{dataset_id}/workforce-tasks/{task_id}{tail}"


def state_of(api: Api, dataset_id: str, sample_id: str) -> Any:
    path = f"/datasets/{dataset_id}/data-annotations/samples/{sample_id}"
    return api.ok("GET", path)["sample_status"]


def test_a_members_submission_is_reviewed_then_accepted(api: Api) -> None:
    dataset_id, task_id = started(api, samples=2)
    samples = task_path(dataset_id, task_id, "/data-annotations/samples")
    one = api.ok("GET", samples)["samples"][0]["sample_id"]
    body = {"email": "ann@x.io", "samples": [{"sample_id": one, "labels": [{"name": "rose"}]}]}
    assert api.ok("PUT", samples, body) == {"success": True, "results": [{"success": True}]}
    assert state_of(api, dataset_id, one) == "__UNREVIEWED__"
    listed = api.ok("GET", samples, sample_state="__UNREVIEWED__")["samples"]
    assert [s["sample_id"] for s in listed] == [one]
    members = {w["email"]: w["worker_id"] for w in api.ok("GET", "/workforces/workers")["workers"]}
    assert listed[0]["worker_id"] == members["ann@x.io"]
    review = {"comments": [{"sample_id": one, "accept": True, "score": "A"}]}
    assert api.ok("POST", task_path(dataset_id, task_id, "/data-annotations/review"), review) == {}
    assert state_of(api, dataset_id, one) == "__UNCHECK__"
    opened = api.ok("POST", task_path(dataset_id, task_id, "/acceptance"), {"sampling_num": 1})
    assert opened["task_id"]
    verdict = {"comments": [{"sample_id": one, "accept": True}]}
    api.ok("POST", task_path(dataset_id, task_id, "/acceptance/batch-comment"), verdict)
    status = task_path(dataset_id, task_id, "/acceptance/status")
    api.ok("PUT", status, {"action": 0}, locale="en-us")
    assert state_of(api, dataset_id, one) == "__ALL__"


def test_start_hands_the_work_to_the_teams_its_workforces_config_names(api: Api) -> None:
    dataset_id = api.dataset(samples=4)
    first = api.team("first", ("ann@x.io", 0), ("bob@x.io", 0))
    second = api.team("second", ("cy@x.io", 0), ("dee@x.io", 0))
    task_id = api.task(dataset_id, "round-1", first)
    body = {"workforces_config": {"workforces": [
        {"workforce_id": second, "workers": [{"email": "cy@x.io"}]},
    ]}}  # fmt: skip
    assert api.start(dataset_id, task_id, body).json() == {}
    api.advance(5)
    rows = api.worker_tasks()["worker_tasks"]
    assert [(row["email"], row["sample_stats"]["total_sample_count"]) for row in rows] == [
        ("cy@x.io", 4)
    ]
    view = api.ok("GET", task_path(dataset_id, task_id))
    assert [team["workforce_id"] for team in view["workforces_config"]["workforces"]] == [second]


def test_start_with_a_team_that_does_not_exist_changes_nothing(api: Api) -> None:
    dataset_id = api.dataset(samples=1)
    task_id = api.task(dataset_id, "round-1", api.team("first", ("ann@x.io", 0)))
    body = {"workforces_config": {"workforces": [{"workforce_id": "A" * 19}]}}
    assert api.start(dataset_id, task_id, body).json()["error_code"] == "ModelArts.4601"
    assert api.ok("GET", task_path(dataset_id, task_id))["status"] == 6


def test_start_refused_for_a_config_without_members_keeps_the_tasks_teams(api: Api) -> None:
    dataset_id = api.dataset(samples=1)
    first = api.team("first", ("ann@x.io", 0))
    empty = api.team("empty")
    task_id = api.task(dataset_id, "round-1", first)
    body = {"workforces_config": {"workforces": [{"workforce_id": empty}]}}
    assert api.start(dataset_id, task_id, body).json()["error_code"] == "ModelArts.4621"
    view = api.ok("GET", task_path(dataset_id, task_id))
    assert [team["workforce_id"] for team in view["workforces_config"]["workforces"]] == [first]

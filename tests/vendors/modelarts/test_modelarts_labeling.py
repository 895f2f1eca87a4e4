"""ModelArts team labeling: starting a task, members labeling on the clock, worker tasks."""

from __future__ import annotations

from typing import Any

from modelarts_kit import PROJECT, Api, refused
from starlette.testclient import TestClient

OTHER = "fedcba9876543210fedcba9876543210"
STATS = {
    "total_sample_count",
    "unannotated_sample_count",
    "unreviewed_sample_count",
    "uncheck_sample_count",
    "sampled_sample_count",
    "rejected_sample_count",
    "accepted_sample_count",
    "auto_annotation_sample_count",
    "deleted_sample_count",
}
FIELDS = {
    "email": str,
    "worker_id": str,
    "role": int,
    "task_id": str,
    "workforce_task_name": str,
    "dataset_id": str,
    "sample_stats": dict,
    "create_time": int,
    "update_time": int,
    "email_status": int,
    "last_notify_time": int,
    "dataset_type": int,
    "task_status": int,
    "pass_rate": float,
    "score": float,
    "user": dict,
}


def status_of(api: Api, dataset_id: str, task_id: str) -> int:
    view = api.ok("GET", f"/datasets/{dataset_id}/workforce-tasks/{task_id}")
    status: int = view["status"]
    return status


def test_start_allocates_then_members_label_on_the_clock(api: Api) -> None:
    labels = [{"name": "daisy", "type": 0}, {"name": "rose", "type": 0}]
    dataset_id = api.dataset(samples=7, labels=labels)
    team = api.team("team", ("ann@x.io", 0), ("bob@x.io", 0), ("rev@x.io", 1))
    task_id = api.task(dataset_id, "round-1", team)
    assert status_of(api, dataset_id, task_id) == 6
    response = api.start(dataset_id, task_id, {"workforces_config": {}})
    assert response.status_code == 200, response.text
    assert response.json() == {}
    assert status_of(api, dataset_id, task_id) == 0
    api.advance(5)
    assert status_of(api, dataset_id, task_id) == 1
    rows = {row["email"]: row for row in api.worker_tasks()["worker_tasks"]}
    shares = {email: row["sample_stats"]["total_sample_count"] for email, row in rows.items()}
    assert shares == {"ann@x.io": 4, "bob@x.io": 3, "rev@x.io": 0}  # round-robin to labelers
    assert rows["ann@x.io"]["sample_stats"]["unannotated_sample_count"] == 4
    api.advance(59)
    assert all(s["sample_status"] == "__NONE__" for s in api.samples(dataset_id))
    api.advance(4 * 180)
    done = api.samples(dataset_id)
    assert [s["sample_status"] for s in done] == ["__UNREVIEWED__"] * 7
    ids = {row["worker_id"] for email, row in rows.items() if email != "rev@x.io"}
    for sample in done:
        assert [label["name"] for label in sample["labels"]][0] in {"daisy", "rose"}
        assert sample["worker_id"] in ids
    rows = {row["email"]: row for row in api.worker_tasks()["worker_tasks"]}
    ann = rows["ann@x.io"]["sample_stats"]
    assert ann["unannotated_sample_count"] == 0 and ann["unreviewed_sample_count"] == 4
    assert rows["ann@x.io"]["task_status"] == 1
    assert rows["ann@x.io"]["update_time"] > rows["ann@x.io"]["create_time"]
    stats = api.ok("GET", f"/datasets/{dataset_id}/data-annotations/stats")["sample_stats"]
    assert stats.get("__UNREVIEWED__") == 7 and stats["__NONE__"] == 0
    view = api.ok("GET", f"/datasets/{dataset_id}/workforce-tasks/{task_id}", sample_stats="true")
    assert view["sample_stats"]["total_sample_count"] == 7
    assert view["sample_stats"]["unreviewed_sample_count"] == 7
    assert view["sample_stats"]["unannotated_sample_count"] == 0
    members = {row["email"]: row["sample_stats"] for row in view["worker_stats"]}
    assert members["bob@x.io"]["unreviewed_sample_count"] == 3


def test_the_labels_members_give_are_counted_and_listed_by_label(api: Api) -> None:
    labels = [{"name": "daisy", "type": 0}, {"name": "rose", "type": 0}]
    dataset_id = api.dataset(samples=9, labels=labels)
    team = api.team("team", ("ann@x.io", 0), ("bob@x.io", 0))
    task_id = api.task(dataset_id, "round-1", team)
    assert api.start(dataset_id, task_id).status_code == 200
    api.advance(5 + 5 * 180)
    given = [sample["labels"][0]["name"] for sample in api.samples(dataset_id)]
    assert len(given) == 9 and set(given) <= {"daisy", "rose"}
    view = api.ok("GET", f"/datasets/{dataset_id}/workforce-tasks/{task_id}", label_stats="true")
    counted = {label["name"]: label["sample_count"] for label in view["label_stats"]}
    assert counted == {name: given.count(name) for name in ("daisy", "rose")}
    path = f"/datasets/{dataset_id}/data-annotations/samples"
    for name in ("daisy", "rose"):
        listed = api.ok("GET", path, label_name=name, sample_state="__UNREVIEWED__", limit=100)
        assert listed["sample_count"] == given.count(name)
        assert all(s["labels"][0]["name"] == name for s in listed["samples"])
        page = api.ok("GET", path, label_name=name, offset=1, limit=2)["samples"]
        assert [s["sample_id"] for s in page] == [s["sample_id"] for s in listed["samples"]][2:4]
    stats = api.ok("GET", f"/datasets/{dataset_id}/data-annotations/stats")["label_stats"]
    assert {label["name"]: label["count"] for label in stats} == counted


def test_labeling_is_paced_one_sample_at_a_time(api: Api) -> None:
    dataset_id = api.dataset(samples=4)
    team = api.team("team", ("ann@x.io", 0))
    task_id = api.task(dataset_id, "solo", team)
    assert api.start(dataset_id, task_id).status_code == 200
    api.advance(5 + 59)
    first = api.worker_tasks()["worker_tasks"][0]["sample_stats"]
    assert first["unreviewed_sample_count"] == 0 and first["unannotated_sample_count"] == 4
    api.advance(180 - 59)  # one sample every 60 to 180 seconds
    first = api.worker_tasks()["worker_tasks"][0]["sample_stats"]
    assert 1 <= first["unreviewed_sample_count"] <= 3
    assert first["unreviewed_sample_count"] + first["unannotated_sample_count"] == 4
    api.advance(3 * 180)
    labeled = [s for s in api.samples(dataset_id) if s["sample_status"] == "__UNREVIEWED__"]
    assert len(labeled) == 4
    assert {s["labels"][0]["name"] for s in labeled} == {"default"}  # no dataset labels


def test_list_worker_tasks_has_every_documented_field(api: Api) -> None:
    dataset_id = api.dataset(samples=3, dataset_type=1)
    team = api.team("team", ("ann@x.io", 0))
    created = api.task(dataset_id, "waiting", team)
    started = api.task(dataset_id, "going", team)
    assert api.start(dataset_id, started).status_code == 200
    listed = api.worker_tasks(filePreview="false")
    assert set(listed) == {"count", "worker_tasks"} and listed["count"] == 2
    for row in listed["worker_tasks"]:
        assert set(row) == set(FIELDS)
        for name, kind in FIELDS.items():
            assert type(row[name]) is kind, (name, row[name])
        assert set(row["sample_stats"]) == STATS
        assert all(type(v) is int for v in row["sample_stats"].values())
        assert set(row["user"]) == {"domainId", "domainName", "projectId", "userId", "userName"}
        assert row["user"]["projectId"] == PROJECT and row["user"]["domainName"] == "acme"
        assert row["dataset_id"] == dataset_id and row["dataset_type"] == 1
        assert row["email"] == "ann@x.io" and row["role"] == 0
    rows = {row["task_id"]: row for row in listed["worker_tasks"]}
    assert rows[created]["task_status"] == 6 and rows[created]["email_status"] == 0
    assert rows[created]["sample_stats"]["total_sample_count"] == 0
    assert rows[started]["task_status"] == 0 and rows[started]["email_status"] == 3
    assert rows[started]["sample_stats"]["total_sample_count"] == 3
    assert rows[started]["workforce_task_name"] == "going"


def test_list_worker_tasks_pages_sorts_and_searches(api: Api) -> None:
    dataset_id = api.dataset()
    team = api.team("team", ("ann@x.io", 0))
    names = ["b-task", "a-task", "c-other"]
    for name in names:
        api.task(dataset_id, name, team)
        api.advance(1)

    def listed(**query: Any) -> list[str]:
        return [row["workforce_task_name"] for row in api.worker_tasks(**query)["worker_tasks"]]

    assert listed() == names[::-1]  # newest first
    assert listed(order="asc") == names
    assert listed(sort_by="workforce_task_name", order="asc") == sorted(names)
    page = api.worker_tasks(offset=1, limit=1)
    assert page["count"] == 3 and [r["workforce_task_name"] for r in page["worker_tasks"]] == [
        "a-task"
    ]
    assert listed(search_content="TASK") == ["a-task", "b-task"]
    for query, word in (
        ({"limit": 0}, "limit"),
        ({"limit": 101}, "limit"),
        ({"offset": -1}, "offset"),
        ({"sort_by": "name"}, "sort_by"),
        ({"order": "up"}, "order"),
    ):
        response = api.call("GET", "/workforces/worker-tasks", **query)
        refused(response, 400, "ModelArts.0104", word)


def test_starting_twice_or_an_unknown_task_is_refused(api: Api) -> None:
    dataset_id = api.dataset(samples=2)
    other = api.dataset("other")
    team = api.team("team", ("ann@x.io", 0))
    task_id = api.task(dataset_id, "round", team)
    refused(api.start(dataset_id, "T" * 19), 400, "ModelArts.4619")
    refused(api.start(other, task_id), 400, "ModelArts.4619", task_id)
    refused(api.start("D" * 19, task_id), 400, "ModelArts.4352")
    assert api.start(dataset_id, task_id).status_code == 200
    refused(api.start(dataset_id, task_id), 400, "ModelArts.4621", task_id)
    api.advance(10)
    refused(api.start(dataset_id, task_id), 400, "ModelArts.4621")
    empty = api.task(dataset_id, "nobody", api.team("empty"))
    refused(api.start(dataset_id, empty), 400, "ModelArts.4621")
    assert status_of(api, dataset_id, empty) == 6


def test_another_project_sees_nothing(client: TestClient, api: Api) -> None:
    dataset_id = api.dataset(samples=2)
    task_id = api.task(dataset_id, "round", api.team("team", ("ann@x.io", 0)))
    assert api.start(dataset_id, task_id).status_code == 200
    stranger = Api(client, OTHER)
    assert stranger.worker_tasks() == {"count": 0, "worker_tasks": []}
    refused(stranger.start(dataset_id, task_id), 400, "ModelArts.4352")
    assert api.worker_tasks()["count"] == 1

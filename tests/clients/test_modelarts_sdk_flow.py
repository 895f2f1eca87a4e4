"""The unmodified Huawei Cloud SDK (``huaweicloudsdkcore``'s generic ``call_api``) through
the whole team-labeling flow against a live server: a dataset from an OBS path, its
labels and samples, a team, a task, labeling, review, two acceptance rounds, a version
and an export. The client is built both ways people build it: with a project id, and
with only a region (the SDK then finds the project id through IAM). The SDK keeps only
the scheme and host of its endpoint, so it runs against the server's bare root: with
ModelArts alone mounted there (``--vendor modelarts``), and on the default server,
where ModelArts is known by its paths' shape (``/v2/{project_id}``, ``/v3``).

Each request is signed with AK/SK by the SDK; bodies and queries are the documented
shapes; a step is asserted only where the reference says what it answers.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from huawei_sdk_kit import answering_raw
from huaweicloudsdkcore.auth.credentials import BasicCredentials
from huaweicloudsdkcore.exceptions.exceptions import SdkException
from huaweicloudsdkcore.region.region import Region
from huaweicloudsdkmodelarts.v1 import ModelArtsClient

from mockserver.settings import Settings
from mockserver.testing import ServerThread

PROJECT = "7c0ffee5a1b2c3d4e5f60718293a4b5c"
SK = "flow-secret-key"
REGION = "sandbox-north-1"
SAMPLED_STATE = "__WORKFORCE_SAMPLED__"


@pytest.fixture(params=["modelarts", None], ids=["modelarts-alone", "every-vendor"])
def server(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> Iterator[ServerThread]:
    monkeypatch.setenv("HOME", str(tmp_path))  # the SDK writes an application id under HOME
    settings = Settings(clock="manual", vendor=request.param, seed=5, strict_auth=True)
    with ServerThread(settings) as running:
        yield running


def build(server: ServerThread, access_key: str, how: str) -> Any:
    """A ModelArts client as the SDK's documentation builds one."""
    builder = ModelArtsClient.new_builder()
    if how == "project id":
        builder = builder.with_credentials(BasicCredentials(access_key, SK, PROJECT))
        builder = builder.with_endpoint(server.url)
    else:  # a region and no project id: the SDK asks IAM for the region's project
        credentials = BasicCredentials(access_key, SK).with_iam_endpoint(server.url)
        builder = builder.with_credentials(credentials).with_region(Region(REGION, server.url))
    client = builder.build()
    return answering_raw(client)


class Flow:
    """The calls of the flow, each through ``call_api``, and the sandbox's clock."""

    def __init__(self, server: ServerThread, client: Any) -> None:
        self.server = server
        self.client = client

    def __call__(self, method: str, path: str, body: Any = None, **query: Any) -> Any:
        response = self.client.call_api(
            resource_path="/v2/{project_id}" + path, method=method,
            query_params=list(query.items()), body=body,
            header_params={"Content-Type": "application/json;charset=UTF-8"},
            response_type="RawResponse",
        )  # fmt: skip
        assert 200 <= response.status_code < 300
        return response.to_json_object() if response.status_code != 204 else None

    def advance(self, seconds: float) -> None:
        moved = httpx.post(f"{self.server.url}/_mock/clock/advance", json={"seconds": seconds})
        assert moved.status_code == 200, moved.text

    def task_samples(self, dataset: str, task: str, state: str) -> list[dict[str, Any]]:
        path = f"/datasets/{dataset}/workforce-tasks/{task}/data-annotations/samples"
        listed: list[dict[str, Any]] = self("GET", path, sample_state=state, offset=0, limit=100)[
            "samples"
        ]
        return listed

    def review_all(self, dataset: str, task: str) -> int:
        """Reviews every submitted sample, a page at a time: the reviewer's approval sends
        it on to acceptance, so the first page is always the next one."""
        reviewed = 0
        for _ in range(10):  # at most 200 samples: two pages
            waiting = self.task_samples(dataset, task, "__UNREVIEWED__")
            if not waiting:
                break
            comments = [
                {"sample_id": s["sample_id"], "worker_id": s.get("worker_id", ""),
                 "accept": True, "comment": "", "score": "A"}
                for s in waiting
            ]  # fmt: skip
            answer = self("POST", f"/datasets/{dataset}/workforce-tasks/{task}"
                          "/data-annotations/review", {"comments": comments})  # fmt: skip
            assert "error_code" not in answer, answer
            reviewed += len(waiting)
        return reviewed

    def acceptance_round(self, dataset: str, task: str, *, accept: bool, action: int) -> Any:
        path = f"/datasets/{dataset}/workforce-tasks/{task}/acceptance"
        checking = self("POST", path, {"sampling_num": 4})["task_id"]
        drawn = self("GET", f"/datasets/{dataset}/data-annotations/samples",
                     sample_state=SAMPLED_STATE, offset=0, limit=100)["samples"]  # fmt: skip
        assert 1 <= len(drawn) <= 4
        comments = [
            {"sample_id": s["sample_id"], "accept": accept, "comment": "", "score": "A"}
            for s in drawn
        ]
        self("POST", f"{path}/batch-comment", {"comments": comments})
        report = self("GET", f"{path}/report", checking_task_id=checking)
        assert {"checking_stats", "total_stats"} <= set(report)
        self("PUT", f"{path}/status", {"action": action}, locale="en-us")
        return self("GET", f"/datasets/{dataset}/workforce-tasks/{task}")


def team_labeling(flow: Flow) -> None:
    dataset = flow("POST", "/datasets", {
        "dataset_name": "flowers", "dataset_type": 0, "description": "team-labeled flowers",
        "data_sources": [{"data_type": 0, "data_path": "obs://flower-bucket/input/"}],
        "work_path": "obs://flower-bucket/output/", "work_path_type": 0,
    })["dataset_id"]  # fmt: skip

    labels = {
        "labels": [
            {"name": "tulips", "property": {"@modelarts:color": "#3399ff"}},
            {"name": "roses", "property": {"@modelarts:color": "#93c47d"}},
        ]
    }
    assert flow("POST", f"/datasets/{dataset}/data-annotations/labels", labels)["success"] is True
    listed = flow("GET", f"/datasets/{dataset}/data-annotations/labels")["labels"]
    assert {label["name"] for label in listed} == {"tulips", "roses"}

    imports = f"/datasets/{dataset}/import-tasks"
    running = flow("GET", imports, offset=0, limit=10)["import_tasks"]
    import_id = (
        running[0]["task_id"]
        if running  # a dataset made from a data source may import it by itself
        else flow(
            "POST", imports, {"import_path": "obs://flower-bucket/input/", "import_type": "dir"}
        )["task_id"]  # fmt: skip
    )
    flow.advance(600)
    assert flow("GET", f"{imports}/{import_id}")["status"] == "COMPLETED"
    total = flow("GET", f"/datasets/{dataset}")["total_sample_count"]
    assert total >= 20

    team_body = {"workforce_name": "florists", "description": "flower labelers"}
    team = flow("POST", "/workforces", team_body)["workforce_id"]
    for email, role in (("ann@flowers.example", 0), ("bob@flowers.example", 0),
                        ("rev@flowers.example", 1)):  # fmt: skip
        flow("POST", f"/workforces/{team}/workers", {"emails": email, "role": role})
    workers = flow("GET", f"/workforces/{team}/workers")["workers"]
    ann = next(w["worker_id"] for w in workers if w["email"] == "ann@flowers.example")

    created = flow("POST", f"/datasets/{dataset}/workforce-tasks", {
        "task_name": "flowers-round", "synchronize_data": False,
        "workforces_config": {"workforces": [{"workforce_id": team}]},
    })  # fmt: skip
    task = created["task_id"]
    flow("POST", f"/datasets/{dataset}/workforce-tasks/{task}", {})
    flow.advance(6)  # files are allocated; nobody has labeled yet
    assert flow("GET", f"/datasets/{dataset}/workforce-tasks/{task}")["status"] == 1

    # a member labels two samples through the API, the simulated team the rest
    mine = flow.task_samples(dataset, task, "__NONE__")[:2]
    submitted = flow("PUT", f"/datasets/{dataset}/workforce-tasks/{task}/data-annotations/samples",
                     {"samples": [{"sample_id": s["sample_id"], "worker_id": ann,
                                   "labels": [{"name": "tulips"}]} for s in mine]})  # fmt: skip
    assert submitted["success"] is True
    flow.advance(6 * 3600)
    assert flow.task_samples(dataset, task, "__NONE__") == []
    assert flow.review_all(dataset, task) > 0
    assert flow.task_samples(dataset, task, "__UNREVIEWED__") == []

    # round one: the drawn samples are rejected and the whole batch goes back
    rejected = flow.acceptance_round(dataset, task, accept=False, action=1)
    assert rejected["status"] == 4
    flow.advance(6 * 3600)  # the labelers label the rejected samples again
    assert flow.review_all(dataset, task) > 0

    # round two: accepted, and the task is done
    accepted = flow.acceptance_round(dataset, task, accept=True, action=0)
    assert accepted["status"] == 3
    described = flow("GET", f"/datasets/{dataset}")
    assert described["annotated_sample_count"] == total

    version_body = {"version_name": "V001", "version_format": "Default",
                    "description": "accepted labels", "clear_hard_property": True}  # fmt: skip
    version = flow("POST", f"/datasets/{dataset}/versions", version_body)["version_id"]
    flow.advance(600)
    published = flow("GET", f"/datasets/{dataset}/versions/{version}")
    assert published["version_name"] == "V001" and published["total_sample_count"] == total
    assert published["annotated_sample_count"] == total

    exported = flow("POST", f"/datasets/{dataset}/export-tasks",
                    {"path": "obs://flower-bucket/export/", "export_type": 0,
                     "export_format": 1})["task_id"]  # fmt: skip
    flow.advance(60)
    task_view = flow("GET", f"/datasets/{dataset}/export-tasks/{exported}")
    assert task_view["status"] == "SUCCESSED" and task_view["progress"] == 100


@pytest.mark.parametrize("how", ["project id", "region"])
def test_the_sdk_runs_the_whole_team_labeling_flow(server: ServerThread, how: str) -> None:
    access_key = "FLOW" + uuid.uuid4().hex[:12].upper()  # the SDK caches project ids by AK
    registered = httpx.post(f"{server.url}/_mock/modelarts/credentials",
                            json={"ak": access_key, "sk": SK, "project_id": PROJECT})  # fmt: skip
    assert registered.status_code == 201
    client = build(server, access_key, how)
    assert client.get_credentials().project_id == PROJECT
    team_labeling(Flow(server, client))


def test_a_region_only_client_of_an_unknown_key_cannot_be_built(server: ServerThread) -> None:
    """Strict mode knows no project for an unregistered key: IAM refuses the lookup."""
    with pytest.raises(SdkException, match="Failed to get project id"):
        build(server, "UNKNOWN" + uuid.uuid4().hex[:8].upper(), "region")

"""Every example request of the ModelArts data-management API reference, sent as written.

``modelarts_examples.json`` holds each documented example (its page, method, URL and
body exactly as the reference prints them; the IAM calls a client makes first, from
the authentication page and IAM's own reference, too) with the status and the top-level fields
of the documented answer. Only ids change: a path parameter, and each documented id
the entry's ``ids`` lists, become those of resources the test made first (the
entry's ``needs``, in order).
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from starlette.testclient import TestClient

from mockserver.app import create_app
from mockserver.settings import Settings

FIXTURE = Path(__file__).with_name("modelarts_examples.json")
EXAMPLES: list[dict[str, Any]] = json.loads(FIXTURE.read_text(encoding="utf-8"))["examples"]
PROJECT = "5d3e2c1b0a9f8e7d6c5b4a3928171615"
ROOT = "/modelarts"
PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
LABELS = ["tulips", "label", "Cat", "strawberry", "草莓", "Rabbits", "Bees", "rabbits", "bees"]
MEMBERS = [("xxx@xxx.com", 0), ("xiaozhang@163.com", 0), ("xiaoli@163.com", 0), ("rev@x.io", 1)]
IMAGE = base64.b64encode(b"\xff\xd8\xff\xe0 a documented example's image").decode()


class World:
    """A project holding the resources an example names, made through the API."""

    def __init__(self, client: TestClient) -> None:
        self.client = client
        body = {"auth": {"identity": {"methods": ["password"], "password": {"user": {
            "name": "owner", "password": "pw", "domain": {"name": "acme"}}}},
            "scope": {"project": {"id": PROJECT}}}}  # fmt: skip
        issued = client.post(ROOT + "/v3/auth/tokens", json=body)
        assert issued.status_code == 201, issued.text
        self.headers = {"X-Auth-Token": issued.headers["x-subject-token"]}
        self.ids: dict[str, str] = {"project_id": PROJECT}

    def send(self, method: str, url: str, body: Any = None, *, anonymous: bool = False) -> Any:
        content = None if body is None else json.dumps(body).encode()
        headers = {"Content-Type": "application/json", **({} if anonymous else self.headers)}
        return self.client.request(method, ROOT + url, content=content, headers=headers)

    def ok(self, method: str, path: str, body: Any = None) -> Any:
        response = self.send(method, f"/v2/{PROJECT}{path}", body)
        assert response.is_success, f"{method} {path}: {response.text}"
        return response.json() if response.content else None

    def advance(self, seconds: float) -> None:
        tenant = f"modelarts:{PROJECT}"
        moved = self.client.post(
            "/_mock/clock/advance", json={"seconds": seconds, "tenant": tenant}
        )
        assert moved.status_code == 200, moved.text

    # the stages an example needs, each reading the ids the earlier ones made

    def dataset(self) -> None:
        body = {
            "dataset_name": "examples",
            "dataset_type": 0,
            "data_sources": [{"data_type": 0, "data_path": "/test-obs/input/"}],
            "work_path": "/test-obs/out/",
            "work_path_type": 0,
            "labels": [{"name": name, "type": 0} for name in LABELS],
        }
        dataset_id = self.ok("POST", "/datasets", body)["dataset_id"]
        self.advance(3600)  # the import of its input path, which creation starts, ends
        samples = [{"name": f"{n}.jpg", "data": IMAGE} for n in range(6)]
        self.ok("POST", f"/datasets/{dataset_id}/data-annotations/samples", {"samples": samples})
        listed = self.ok("GET", f"/datasets/{dataset_id}/data-annotations/samples?limit=100")
        ids = sorted(sample["sample_id"] for sample in listed["samples"])
        self.ids.update(dataset_id=dataset_id, resource_id=dataset_id, label_name="草莓")
        self.ids.update(sample_id=ids[0], sample_id_2=ids[1])

    def workforce(self) -> None:
        made = self.ok("POST", "/workforces", {"workforce_name": "examples-team"})
        self.ids["workforce_id"] = made["workforce_id"]

    def members(self) -> None:
        path = f"/workforces/{self.ids['workforce_id']}/workers"
        for email, role in MEMBERS:
            self.ok("POST", path, {"emails": email, "role": role})
        workers = {w["email"]: w["worker_id"] for w in self.ok("GET", path)["workers"]}
        self.ids.update(worker_id=workers["xxx@xxx.com"], worker_id_2=workers["xiaozhang@163.com"])

    def task(self) -> None:
        config = {"workforces": [{"workforce_id": self.ids["workforce_id"]}]}
        body = {"task_name": "examples-task", "workforces_config": config}
        made = self.ok("POST", f"/datasets/{self.ids['dataset_id']}/workforce-tasks", body)
        self.ids["workforce_task_id"] = made["task_id"]

    def started(self) -> None:
        path = f"/datasets/{self.ids['dataset_id']}/workforce-tasks/{self.ids['workforce_task_id']}"
        self.ok("POST", path, {})
        self.advance(6)
        listed = self.ok("GET", f"{path}/data-annotations/samples?limit=100")["samples"]
        first, second = listed[0], listed[1]
        self.ids.update(task_sample_id=first["sample_id"], task_sample_id_2=second["sample_id"])
        self.ids["task_worker_id"] = first.get("worker_id") or self.ids["worker_id"]
        self.advance(6 * 3600)  # the simulated labelers label every sample
        labeled = self.ok("GET", f"{path}/data-annotations/samples?limit=100")["samples"]
        self.ids["labeled_sample_id"] = labeled[0]["sample_id"]
        self.ids["labeled_worker_id"] = labeled[0].get("worker_id") or self.ids["worker_id"]

    def reviewed(self) -> None:
        path = f"/datasets/{self.ids['dataset_id']}/workforce-tasks/{self.ids['workforce_task_id']}"
        listed = self.ok(
            "GET", f"{path}/data-annotations/samples?limit=100&sample_state=__UNREVIEWED__"
        )
        comments = [{"sample_id": s["sample_id"], "accept": True} for s in listed["samples"]]
        if comments:
            self.ok("POST", f"{path}/data-annotations/review", {"comments": comments})

    def acceptance(self) -> None:
        path = f"/datasets/{self.ids['dataset_id']}/workforce-tasks/{self.ids['workforce_task_id']}"
        self.ids["checking_task_id"] = self.ok("POST", f"{path}/acceptance", {"sampling_num": 3})[
            "task_id"
        ]
        sampled = self.ok(
            "GET",
            f"/datasets/{self.ids['dataset_id']}/data-annotations/samples"
            "?limit=100&sample_state=__WORKFORCE_SAMPLED__",
        )["samples"]
        self.ids["sampled_sample_id"] = sampled[0]["sample_id"]
        self.ids["sampled_worker_id"] = self.ids["labeled_worker_id"]

    def version(self) -> None:
        path = f"/datasets/{self.ids['dataset_id']}/versions"
        self.ids["version_id"] = self.ok("POST", path, {"version_name": "V001"})["version_id"]
        self.advance(120)

    def import_(self) -> None:
        path = f"/datasets/{self.ids['dataset_id']}/import-tasks"
        made = self.ok("POST", path, {"import_path": "/test-obs/more-images/"})
        self.ids["import_task_id"] = made["task_id"]

    def export(self) -> None:
        path = f"/datasets/{self.ids['dataset_id']}/export-tasks"
        self.ids["export_task_id"] = self.ok("POST", path, {"path": "/test-obs/export/"})["task_id"]

    def autolabel_running(self) -> None:
        path = f"/datasets/{self.ids['dataset_id']}/tasks"
        made = self.ok(
            "POST", path, {"task_type": "auto-label", "config": {"algorithm_type": "fast"}}
        )
        self.ids["auto_task_id"] = made["task_id"]

    def autolabel(self) -> None:
        self.autolabel_running()
        self.advance(3600)
        listed = self.ok("GET", f"/datasets/{self.ids['dataset_id']}/auto-annotations/samples")
        if listed["samples"]:
            self.ids["auto_sample_id"] = listed["samples"][0]["sample_id"]

    def processor(self) -> None:
        body = {"name": "examples-analysis", "template": {"id": "sys_data_analyse"},
                "inputs": [{"type": "DATASET", "source": self.ids["dataset_id"],
                            "version_id": self.ids["version_id"]}]}  # fmt: skip
        task_id = self.ok("POST", "/processor-tasks", body)["task_id"]
        self.ids["processor_task_id"] = task_id
        listed = self.ok("GET", f"/processor-tasks/{task_id}/versions")["versions"]
        if listed:
            self.ids["processor_version_id"] = listed[0]["task_version_id"]
        else:
            made = self.ok("POST", f"/processor-tasks/{task_id}/versions", {"name": "V1"})
            self.ids["processor_version_id"] = made["version_id"]

    def stage(self, name: str) -> Callable[[], None]:
        stage: Callable[[], None] = getattr(self, "import_" if name == "import" else name)
        return stage


def example_id(entry: dict[str, Any]) -> str:
    return f"{entry['method']} {entry['path']} :: {entry['example']}"


@pytest.fixture
def world() -> Iterator[World]:
    settings = Settings(clock="manual", seed=11, rate_limits=False)
    with TestClient(create_app(settings)) as client:
        yield World(client)


def written(entry: dict[str, Any], ids: dict[str, str]) -> tuple[str, Any]:
    """The example's URL and body as documented, with only its ids replaced."""
    params = {**{name: name for name in ids}, **entry.get("params", {})}

    def fill(match: re.Match[str]) -> str:
        return quote(ids[params[match.group(1)]], safe="")

    url = PLACEHOLDER.sub(fill, entry["url"])
    body = json.dumps(entry["body"], ensure_ascii=False)
    for documented, key in entry.get("ids", {}).items():
        url = url.replace(documented, quote(ids[key], safe=""))
        body = body.replace(documented, ids[key])
    return url, json.loads(body)


@pytest.mark.parametrize("entry", EXAMPLES, ids=[example_id(e) for e in EXAMPLES])
def test_the_documented_example_is_answered_as_documented(
    world: World, entry: dict[str, Any]
) -> None:
    for name in entry["needs"]:
        world.stage(name)()
    url, body = written(entry, world.ids)
    response = world.send(entry["method"], url, body, anonymous=entry.get("anonymous", False))
    assert response.status_code == entry["status"], response.text
    if entry["fields"]:
        answer = response.json()
        missing = [name for name in entry["fields"] if name not in answer]
        assert not missing, f"documented fields missing: {missing} in {answer}"


def test_every_operation_of_the_reference_has_its_examples_here() -> None:
    """The 79 data-management operations, and the IAM calls a client makes first."""
    operations = {(entry["method"], entry["path"]) for entry in EXAMPLES}
    assert len({op for op in operations if op[1].startswith("/v2/")}) == 79
    assert {("POST", "/v3/auth/tokens"), ("GET", "/v3"), ("GET", "/v3/projects")} <= operations
    assert all(entry["source"].startswith("https://") for entry in EXAMPLES)

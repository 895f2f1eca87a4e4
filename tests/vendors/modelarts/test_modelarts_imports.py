"""ModelArts import tasks: queued, running, completed on the clock, and the samples they add."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from typing import Any

import pytest
from modelarts_kit import holds_files, token_headers
from starlette.testclient import TestClient

from mockserver.app import create_app
from mockserver.settings import Settings

PROJECT = "0123456789abcdef0123456789abcdef"
OTHER = "fedcba9876543210fedcba9876543210"
ROOT = "/modelarts"
ID19 = re.compile(r"^[A-Za-z0-9]{19}$")
DONE = 5 + 0.25 * 200 + 1  # the longest queue wait and run
INPUT = "/bucket/input/pets/"


class Api:
    def __init__(self, client: TestClient, project: str) -> None:
        self.client = client
        self.project = project
        self.base = f"{ROOT}/v2/{project}/datasets"
        self.headers = token_headers(client, project)
        self.dataset = ""
        self.creation = ""  # the import a dataset's creation started

    def make_dataset(self, name: str = "pets", dataset_type: int = 0) -> str:
        """A dataset whose input path holds no files, once the import of it is done."""
        holds_files(self.client, self.project, INPUT)
        body = {
            "dataset_name": name,
            "dataset_type": dataset_type,
            "data_sources": [{"data_type": 0, "data_path": INPUT}],
            "work_path": "/bucket/output/",
            "work_path_type": 0,
        }
        response = self.client.post(self.base, json=body, headers=self.headers)
        assert response.status_code == 201, response.text
        self.dataset = response.json()["dataset_id"]
        self.creation = response.json()["import_task_id"]
        self.advance(5)
        return self.dataset

    def url(self, *rest: str) -> str:
        return "/".join([f"{self.base}/{self.dataset}/import-tasks", *rest])

    def create(self, body: Any) -> Any:
        return self.client.post(self.url(), json=body, headers=self.headers)

    def started(self, path: str = "obs://bucket/photos/", **body: Any) -> str:
        response = self.create({"import_path": path, **body})
        assert response.status_code == 200, response.text
        return str(response.json()["task_id"])

    def describe(self, task_id: str) -> Any:
        return self.client.get(self.url(task_id), headers=self.headers)

    def task(self, task_id: str) -> dict[str, Any]:
        response = self.describe(task_id)
        assert response.status_code == 200, response.text
        return dict(response.json())

    def list(self, **query: Any) -> Any:
        return self.client.get(self.url(), params=query, headers=self.headers)

    def samples(self, **query: Any) -> dict[str, Any]:
        url = f"{self.base}/{self.dataset}/data-annotations/samples"
        response = self.client.get(url, params=query, headers=self.headers)
        assert response.status_code == 200, response.text
        return dict(response.json())

    def all_names(self) -> list[str]:
        names: list[str] = []
        for number in itertools.count():
            page = self.samples(offset=number, limit=100)["samples"]
            if not page:
                break
            names.extend(sample["sample_name"] for sample in page)
        return names

    def total(self) -> int:
        response = self.client.get(f"{self.base}/{self.dataset}", headers=self.headers)
        assert response.status_code == 200, response.text
        return int(response.json()["total_sample_count"])

    def advance(self, seconds: float) -> None:
        response = self.client.post("/_mock/clock/advance", json={"seconds": seconds})
        assert response.status_code == 200, response.text


def app_client(seed: int) -> TestClient:
    return TestClient(create_app(Settings(clock="manual", seed=seed, rate_limits=False)))


@pytest.fixture
def client() -> Iterator[TestClient]:
    with app_client(1) as running:
        yield running


@pytest.fixture
def api(client: TestClient) -> Api:
    made = Api(client, PROJECT)
    made.make_dataset()
    return made


def refused(response: Any, code: str, *words: str) -> None:
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["error_code"] == code, body
    for word in words:
        assert word in body["error_msg"], body


def test_an_import_queues_runs_and_completes_only_as_the_clock_moves(api: Api) -> None:
    response = api.create({"import_path": "obs://bucket/photos/", "import_type": "dir"})
    assert response.status_code == 200, response.text
    assert response.headers["x-request-id"]
    task_id = response.json()["task_id"]
    assert ID19.match(task_id)
    task = api.task(task_id)
    assert task["status"] == "QUEUING" and task["import_type"] == 0
    assert task["import_path"] == "obs://bucket/photos/" and task["dataset_id"] == api.dataset
    assert task["total_file_count"] == 0 and task["imported_sample_count"] == 0
    api.advance(5)
    task = api.task(task_id)
    assert task["status"] == "RUNNING"
    files = task["total_file_count"]
    assert 20 <= files <= 200 and task["imported_sample_count"] == 0
    assert api.total() == 0 and api.samples()["sample_count"] == 0
    api.advance(0.25 * files - 1)
    assert api.task(task_id)["status"] == "RUNNING" and api.total() == 0
    api.advance(1)
    task = api.task(task_id)
    assert task["status"] == "COMPLETED"
    assert task["imported_sample_count"] == files and task["finished_file_count"] == files
    assert task["total_file_size"] > 0 and task["elapsed_time"] == int(0.25 * files)
    assert api.total() == files and api.samples()["sample_count"] == files


def test_imported_samples_are_named_after_the_files_of_the_path(api: Api) -> None:
    task_id = api.started("/bucket/photos/")
    api.advance(DONE)
    files = api.task(task_id)["total_file_count"]
    names = api.all_names()
    assert names == [f"image_{n:04d}.jpg" for n in range(1, files + 1)]
    sample = api.samples(limit=1)["samples"][0]
    assert sample["sample_dir"] == "/bucket/photos/"
    assert sample["source"] == "obs://bucket/photos/image_0001.jpg"
    assert sample["sample_type"] == 0 and sample["sample_status"] == "__NONE__"
    assert sample["sample_size"] > 0
    assert sample["metadata"] == {"@modelarts:import_origin": 0}
    assert api.samples(sample_state="__NONE__")["sample_count"] == files


def test_a_text_dataset_gets_text_files(client: TestClient) -> None:
    api = Api(client, PROJECT)
    api.make_dataset("notes", dataset_type=100)
    api.started("obs://bucket/notes/texts/")
    api.advance(DONE)
    sample = api.samples(limit=1)["samples"][0]
    assert sample["sample_name"] == "text_0001.txt" and sample["sample_type"] == 1


def test_a_manifest_import_reads_its_directory(api: Api) -> None:
    task_id = api.started("obs://bucket/photos/set.manifest", import_type="manifest")
    assert api.task(task_id)["import_type"] == 1
    api.advance(DONE)
    assert api.samples(limit=1)["samples"][0]["sample_dir"] == "/bucket/photos/"
    response = api.create({"import_path": "/bucket/photos/", "import_type": "manifest"})
    refused(response, "ModelArts.4313", "import_path")


def test_the_documented_imports_with_s3_paths_and_label_names_run(api: Api) -> None:
    """The ImportTask reference's two examples: an ``s3://`` directory, then a manifest
    whose ``included_labels`` are label names."""
    directory = {
        "import_type": "dir",
        "import_path": "s3://test-obs/daoLu_images/animals/",
        "included_labels": [],
        "import_annotations": False,
        "difficult_only": False,
    }
    response = api.create(directory)
    assert response.status_code == 200, response.text
    task_id = response.json()["task_id"]
    api.advance(DONE)
    task = api.task(task_id)
    assert task["status"] == "COMPLETED" and task["import_path"] == directory["import_path"]
    assert api.samples(limit=1)["samples"][0]["sample_dir"] == "/test-obs/daoLu_images/animals/"
    manifest = "s3://test-obs/classify/output/dataset-f9e8-gfghHSokody6AJigS5A/annotation/V002/V002.manifest"
    task_id = api.started(manifest, import_type="manifest",
                          included_labels=["rabbits", "bees", "Rabbits", "Bees"],
                          import_annotations=True, difficult_only=False)  # fmt: skip
    assert api.task(task_id)["import_type"] == 1


def test_the_same_seed_imports_the_same_samples() -> None:
    def run(seed: int) -> tuple[list[str], list[int]]:
        with app_client(seed) as client:
            api = Api(client, PROJECT)
            api.make_dataset()
            api.started()
            api.advance(DONE)
            samples = api.samples(limit=100)["samples"]
            return api.all_names(), [s["sample_size"] for s in samples]

    first, again, other = run(7), run(7), run(8)
    assert first == again
    assert first != other


def test_a_second_import_waits_for_the_first(api: Api) -> None:
    first = api.started()
    refused(api.create({"import_path": "/bucket/more/"}), "ModelArts.4356", "import_path", first)
    api.advance(5)
    refused(api.create({"import_path": "/bucket/more/"}), "ModelArts.4356", "import_path")
    assert api.list().json()["total_count"] == 2
    api.advance(DONE)
    second = api.started("/bucket/more/")
    assert second != first
    listed = [t["task_id"] for t in api.list().json()["import_tasks"]]
    assert listed == [second, first, api.creation]


def test_files_the_dataset_already_holds_are_not_imported_twice(api: Api) -> None:
    first = api.started("/bucket/photos/")
    api.advance(DONE)
    before = api.total()
    second = api.started("/bucket/again/")
    api.advance(DONE)
    files = api.task(second)["total_file_count"]
    assert api.task(second)["imported_sample_count"] == max(files - before, 0)
    assert api.total() == max(before, files)
    assert api.task(first)["imported_sample_count"] == before


def test_list_pages_newest_first(api: Api) -> None:
    made = []
    for index in range(3):
        made.append(api.started(f"/bucket/part{index}/"))
        api.advance(DONE)
    answer = api.list().json()
    assert answer["total_count"] == 4
    assert [t["task_id"] for t in answer["import_tasks"]] == [*made[::-1], api.creation]
    assert all(t["status"] == "COMPLETED" for t in answer["import_tasks"])
    page = api.list(offset=1, limit=1).json()
    assert page["total_count"] == 4 and [t["task_id"] for t in page["import_tasks"]] == [made[1]]
    refused(api.list(limit=101), "ModelArts.0104", "limit")


@pytest.mark.parametrize(
    ("body", "code", "field"),
    [
        ({}, "ModelArts.0104", "import_path"),
        ({"import_path": "/bucket/"}, "ModelArts.4205", "import_path"),
        ({"import_path": "bucket/dir/"}, "ModelArts.4313", "import_path"),
        ({"import_path": "/bucket/dir/", "import_type": "zip"}, "ModelArts.0104", "import_type"),
        (
            {"import_path": "/bucket/dir/", "import_origin": "ftp"},
            "ModelArts.0104",
            "import_origin",
        ),
    ],
)
def test_a_bad_body_is_refused_naming_the_field_and_changes_nothing(
    api: Api, body: dict[str, Any], code: str, field: str
) -> None:
    refused(api.create(body), code, field)
    api.advance(DONE)
    listed = api.list().json()
    assert [task["task_id"] for task in listed["import_tasks"]] == [api.creation]
    assert api.total() == 0


def test_an_unknown_task_or_dataset_is_refused(api: Api) -> None:
    refused(api.describe("a" * 19), "ModelArts.4612", "task_id")
    api.dataset = "b" * 19
    refused(api.create({"import_path": "/bucket/dir/"}), "ModelArts.4352")
    refused(api.list(), "ModelArts.4352")


def test_an_import_into_a_deleted_dataset_ends_with_it(client: TestClient, api: Api) -> None:
    api.started()
    response = client.delete(f"{api.base}/{api.dataset}", headers=api.headers)
    assert response.status_code == 204
    api.advance(DONE)
    api.make_dataset("fresh")
    assert api.total() == 0


def test_another_project_cannot_see_the_tasks(client: TestClient, api: Api) -> None:
    task_id = api.started()
    other = Api(client, OTHER)
    other.dataset = api.dataset
    refused(other.list(), "ModelArts.4352")
    refused(other.describe(task_id), "ModelArts.4352")
    refused(other.create({"import_path": "/bucket/dir/"}), "ModelArts.4352")
    cross = client.get(api.url(task_id), headers=other.headers)
    assert cross.status_code == 403 and cross.json()["error_code"] == "ModelArts.0210"
    api.advance(DONE)
    assert api.task(task_id)["status"] == "COMPLETED"

"""ModelArts team review and acceptance: verdicts, rounds, actions, rates, refusals."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from typing import Any

import pytest
from modelarts_kit import holds_files, token_headers
from starlette.testclient import TestClient

from mockserver.app import create_app
from mockserver.settings import Settings

PROJECT = "0123456789abcdef0123456789abcdef"
ROOT = "/modelarts"
DATA = base64.b64encode(b"\x89PNG fake image bytes").decode()
LABELS = [{"name": "daisy", "type": 0}, {"name": "rose", "type": 0}]


class Api:
    """A client holding one project's token, with one labeled team task."""

    def __init__(self, client: TestClient) -> None:
        self.client = client
        self.base = f"{ROOT}/v2/{PROJECT}"
        self.headers = token_headers(client, PROJECT)
        holds_files(client, PROJECT)
        self.dataset_id = ""
        self.task_id = ""

    def call(self, method: str, path: str, body: Any = None, **query: Any) -> Any:
        return self.client.request(
            method, self.base + path, json=body, params=query, headers=self.headers
        )

    def ok(self, method: str, path: str, body: Any = None, **query: Any) -> Any:
        response = self.call(method, path, body, **query)
        assert response.is_success, response.text
        return response.json() if response.content else None

    def advance(self, seconds: float) -> None:
        response = self.client.post(
            "/_mock/clock/advance", json={"seconds": seconds, "tenant": f"modelarts:{PROJECT}"}
        )
        assert response.status_code == 200, response.text

    def setup(self, samples: int = 6) -> None:
        """A dataset whose team task is running, every sample labeled (unreviewed)."""
        body = {
            "dataset_name": "flowers",
            "data_sources": [{"data_type": 0, "data_path": "/bucket/input/flowers/"}],
            "work_path": "/bucket/output/",
            "work_path_type": 0,
            "labels": LABELS,
        }
        self.dataset_id = self.ok("POST", "/datasets", body)["dataset_id"]
        items = [{"name": f"s{index:03d}.png", "data": DATA} for index in range(samples)]
        self.ok("POST", f"/datasets/{self.dataset_id}/data-annotations/samples", {"samples": items})
        team = self.ok("POST", "/workforces", {"workforce_name": "team"})["workforce_id"]
        for email, role in (("ann@x.io", 0), ("bob@x.io", 0), ("rev@x.io", 1)):
            self.ok("POST", f"/workforces/{team}/workers", {"emails": email, "role": role})
        task = {"task_name": "round", "workforces_config": {"workforces": [{"workforce_id": team}]}}
        self.task_id = self.ok("POST", f"/datasets/{self.dataset_id}/workforce-tasks", task)[
            "task_id"
        ]

    def start(self) -> None:
        self.ok("POST", self.task_path(), {})
        self.advance(5 + samples_time())

    def task_path(self, tail: str = "") -> str:
        return f"/datasets/{self.dataset_id}/workforce-tasks/{self.task_id}{tail}"

    def samples(self, state: str | None = None) -> list[dict[str, Any]]:
        path = f"/datasets/{self.dataset_id}/data-annotations/samples"
        query: dict[str, Any] = {"limit": 100}
        if state:
            query["sample_state"] = state
        listed: list[dict[str, Any]] = self.ok("GET", path, **query)["samples"]
        return listed

    def states(self) -> list[str]:
        return [sample["sample_status"] for sample in self.samples()]

    def task(self) -> dict[str, Any]:
        view: dict[str, Any] = self.ok("GET", self.task_path(), sample_stats="true")
        return view

    def dataset(self) -> dict[str, Any]:
        view: dict[str, Any] = self.ok("GET", f"/datasets/{self.dataset_id}")
        return view

    def review(self, *ids: str, accept: bool = True) -> Any:
        comments = [{"sample_id": key, "accept": accept, "comment": "ok"} for key in ids]
        return self.call("POST", self.task_path("/data-annotations/review"), {"comments": comments})

    def open_round(self, **body: Any) -> Any:
        return self.call("POST", self.task_path("/acceptance"), body)

    def comment(self, comments: list[dict[str, Any]]) -> Any:
        return self.call(
            "POST", self.task_path("/acceptance/batch-comment"), {"comments": comments}
        )

    def finish(self, action: int, **body: Any) -> Any:
        return self.call(
            "PUT", self.task_path("/acceptance/status"), {"action": action, **body}, locale="en-us"
        )


def samples_time() -> float:
    return 6 * 180.0  # every labeler is done by then


@pytest.fixture
def api() -> Iterator[Api]:
    with TestClient(create_app(Settings(clock="manual", seed=1, rate_limits=False))) as client:
        made = Api(client)
        made.setup()
        yield made


def refused(response: Any, status: int, code: str) -> None:
    assert response.status_code == status, response.text
    assert response.json()["error_code"] == code, response.text


def reviewed(api: Api) -> list[str]:
    """Starts the task and approves every sample; answers their ids."""
    api.start()
    ids = [sample["sample_id"] for sample in api.samples()]
    response = api.review(*ids)
    assert response.status_code == 200 and response.json() == {}, response.text
    return ids


def test_review_approves_and_rejected_samples_are_relabeled_on_the_clock(api: Api) -> None:
    api.start()
    ids = [sample["sample_id"] for sample in api.samples()]
    assert api.states() == ["__UNREVIEWED__"] * 6
    assert api.review(*ids[:4]).json() == {}
    response = api.review(*ids[4:], accept=False)
    assert response.status_code == 200 and response.json() == {}
    assert api.states() == ["__UNCHECK__"] * 4 + ["__REJECTED__"] * 2
    stats = api.task()["sample_stats"]
    assert stats["uncheck_sample_count"] == 4 and stats["rejected_sample_count"] == 2
    api.advance(180)
    assert api.states() == ["__UNCHECK__"] * 4 + ["__UNREVIEWED__"] * 2
    relabeled = api.samples("__UNREVIEWED__")
    assert all(sample["labels"][0]["name"] in {"daisy", "rose"} for sample in relabeled)


def test_a_batch_with_a_reviewed_sample_reviews_the_rest_and_names_it_in_a_200_4606(
    api: Api,
) -> None:
    api.start()
    ids = [sample["sample_id"] for sample in api.samples()]
    api.review(ids[0])
    response = api.review(ids[0], ids[1], accept=False)
    refused(response, 200, "ModelArts.4606")
    assert ids[0] in response.json()["error_msg"] and ids[1] not in response.json()["error_msg"]
    assert api.states() == ["__UNCHECK__", "__REJECTED__"] + ["__UNREVIEWED__"] * 4


def test_review_refusals_change_nothing(api: Api) -> None:
    refused(api.review("0" * 32), 400, "ModelArts.4615")  # not started yet
    api.start()
    ids = [sample["sample_id"] for sample in api.samples()]
    refused(api.review(ids[0], "0" * 32), 400, "ModelArts.4420")
    bad = [{"sample_id": ids[0], "accept": True, "score": "F"}]
    response = api.call("POST", api.task_path("/data-annotations/review"), {"comments": bad})
    refused(response, 400, "ModelArts.4396")
    assert api.ok("POST", api.task_path("/data-annotations/review"), {}) == {}  # none to review
    assert api.states() == ["__UNREVIEWED__"] * 6


def test_acceptance_by_number_comments_and_passes_all(api: Api) -> None:
    ids = reviewed(api)
    opened = api.open_round(sampling_num=2)
    assert opened.status_code == 200, opened.text
    checking_id = opened.json()["task_id"]
    view = api.task()
    assert view["status"] == 2
    assert view["checking_task_desc"]["checking_task_id"] == checking_id
    sampled = [s["sample_id"] for s in api.samples("__WORKFORCE_SAMPLED__")]
    assert len(sampled) == 2 and set(sampled) <= set(ids)
    assert api.task()["sample_stats"]["sampled_sample_count"] == 2
    comments = [
        {"sample_id": sampled[0], "accept": True, "score": "A", "comment": "fine"},
        {"sample_id": sampled[1], "accept": False, "score": "C"},
    ]
    assert api.comment(comments).json() == {}
    report = api.ok("GET", api.task_path("/acceptance/report"), checking_task_id=checking_id)
    checking = report["checking_stats"]
    assert checking["sampling_num"] == 2 and checking["checked_sample_count"] == 2
    assert checking["accepted_sample_count"] == 1 and checking["rejected_sample_count"] == 1
    assert checking["pass_rate"] == 0.5 and checking["score"] == "B"
    assert checking["total_score"] == 6 and checking["total_sample_count"] == 6
    conflicts = api.finish(3).json()
    assert conflicts["sample_count"] == 1 and conflicts["samples"][0]["sample_id"] == sampled[1]
    assert api.task()["status"] == 2  # listing conflicts leaves the round open
    answer = api.finish(0).json()
    assert answer["sample_count"] == 6
    assert api.states() == ["__ALL__"] * 6
    view = api.task()
    assert view["status"] == 3 and view["checking_task_desc"] is None  # no round is open
    assert view["pass_rate"] == 0.5 and view["score"] == 3.0
    assert view["check_rate"] == pytest.approx(2 / 6, abs=1e-4)
    assert view["sample_stats"]["accepted_sample_count"] == 6
    assert api.dataset()["annotated_sample_count"] == 6
    rows = api.ok("GET", "/workforces/worker-tasks")["worker_tasks"]
    rates = sorted((row["pass_rate"], row["score"]) for row in rows if row["role"] == 0)
    assert {rate for rate, _ in rates} <= {0.0, 0.5, 1.0}
    assert any(score > 0 for _, score in rates)


def test_acceptance_by_rate_and_reject_all_sends_samples_back(api: Api) -> None:
    reviewed(api)
    opened = api.open_round(sampling_rate=0.5)
    assert opened.status_code == 200, opened.text
    assert len(api.samples("__WORKFORCE_SAMPLED__")) == 3
    answer = api.finish(1).json()
    assert answer["sample_count"] == 6
    assert api.states() == ["__REJECTED__"] * 6
    assert api.task()["status"] == 4
    assert api.dataset()["annotated_sample_count"] == 0
    api.advance(180)
    assert api.states() == ["__UNREVIEWED__"] * 6


def test_pass_single_accepted_returns_the_rest_and_cancel_restores(api: Api) -> None:
    ids = reviewed(api)
    api.open_round(sampling_num=3)
    sampled = [s["sample_id"] for s in api.samples("__WORKFORCE_SAMPLED__")]
    api.comment([{"sample_id": sampled[0], "accept": True, "score": "D"}])
    assert api.finish(5).json()["sample_count"] == 6
    states = {s["sample_id"]: s["sample_status"] for s in api.samples()}
    assert states[sampled[0]] == "__ALL__"
    assert [states[key] for key in ids if key != sampled[0]] == ["__UNCHECK__"] * 5
    assert api.task()["status"] == 1
    assert api.dataset()["annotated_sample_count"] == 1
    api.open_round(sampling_num=10)  # more than there are: all five are drawn
    assert len(api.samples("__WORKFORCE_SAMPLED__")) == 5
    api.finish(2)
    assert api.states().count("__UNCHECK__") == 5 and api.task()["status"] == 1


def test_pass_unprocessed_passes_all_but_the_rejected(api: Api) -> None:
    reviewed(api)
    api.open_round(sampling_num=2)
    sampled = [s["sample_id"] for s in api.samples("__WORKFORCE_SAMPLED__")]
    api.comment([{"sample_id": sampled[0], "accept": False, "score": "D"}])
    api.finish(4)
    states = {s["sample_id"]: s["sample_status"] for s in api.samples()}
    assert states[sampled[0]] == "__REJECTED__"
    assert list(states.values()).count("__ALL__") == 5
    assert api.task()["status"] == 1  # one sample is still to be redone
    assert api.task()["pass_rate"] == 0.0


def test_acceptance_refusals_change_nothing(api: Api) -> None:
    refused(api.open_round(sampling_num=1), 400, "ModelArts.4615")  # not started
    api.start()
    refused(api.open_round(sampling_num=1), 400, "ModelArts.4625")  # nothing reviewed
    refused(api.finish(0), 400, "ModelArts.4624")  # no round open
    ids = [sample["sample_id"] for sample in api.samples()]
    refused(api.comment([{"sample_id": ids[0], "accept": True}]), 400, "ModelArts.4624")
    api.review(*ids)
    refused(api.open_round(), 400, "ModelArts.4396")
    refused(api.open_round(sampling_num=1, sampling_rate=0.5), 400, "ModelArts.4396")
    refused(api.open_round(sampling_rate=1.5), 400, "ModelArts.4396")
    assert api.states() == ["__UNCHECK__"] * 6
    api.open_round(sampling_num=1)
    sampled = api.samples("__WORKFORCE_SAMPLED__")[0]["sample_id"]
    refused(api.open_round(sampling_num=1), 400, "ModelArts.4623")
    refused(api.review(ids[0]), 400, "ModelArts.4623")
    other = next(key for key in ids if key != sampled)
    refused(api.comment([{"sample_id": other, "accept": True}]), 400, "ModelArts.4420")
    bad = [{"sample_id": sampled, "accept": True, "comment": "a<b"}]
    refused(api.comment(bad), 400, "ModelArts.4396")
    refused(api.finish(9), 400, "ModelArts.4396")
    response = api.call("GET", api.task_path("/acceptance/report"), checking_task_id="x")
    refused(response, 400, "ModelArts.4631")
    assert api.task()["status"] == 2
    assert api.states().count("__WORKFORCE_SAMPLED__") == 1


def test_the_report_and_status_examples_without_their_query_parameters(api: Api) -> None:
    """Both pages' examples leave out a parameter their tables mark Mandatory."""
    refused(api.call("GET", api.task_path("/acceptance/report")), 400, "ModelArts.4631")
    reviewed(api)
    first = api.open_round(sampling_num=2).json()["task_id"]
    report = api.ok("GET", api.task_path("/acceptance/report"))
    assert report["checking_stats"]["task_id"] == first
    assert report["checking_stats"]["sampling_num"] == 2
    moved = api.ok("PUT", api.task_path("/acceptance/status"), {"action": 0})  # no locale
    assert moved["sample_count"] == 6 and api.task()["status"] == 3
    assert (
        api.ok("GET", api.task_path("/acceptance/report"))["checking_stats"]
        == (
            api.ok("GET", api.task_path("/acceptance/report"), checking_task_id=first)[
                "checking_stats"
            ]
        )
    )


def test_the_task_answers_its_stats_without_flags_as_its_example_does(api: Api) -> None:
    api.start()  # every sample labeled, waiting for review
    view = api.ok("GET", api.task_path())
    assert view["sample_stats"]["total_sample_count"] == 6
    assert view["sample_stats"]["unreviewed_sample_count"] == 6
    assert view["workforce_stats"] == {
        "workforce_count": 1,
        "labeler_count": 2,
        "reviewer_count": 1,
    }
    assert view["checking_task_desc"] is None and "label_stats" not in view
    assert api.review(*[sample["sample_id"] for sample in api.samples()]).status_code == 200
    assert api.ok("GET", api.task_path())["sample_stats"]["uncheck_sample_count"] == 6
    opened = api.open_round(sampling_num=1).json()["task_id"]
    assert api.ok("GET", api.task_path())["checking_task_desc"]["checking_task_id"] == opened

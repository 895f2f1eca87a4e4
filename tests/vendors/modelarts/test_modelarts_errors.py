"""ModelArts refusals that come from the request itself: its body, its size, its rate."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from modelarts_kit import PROJECT, Api, refused
from starlette.testclient import TestClient

from mockserver.app import create_app
from mockserver.core.errors import InternalError
from mockserver.settings import Settings
from mockserver.vendors.modelarts.errors import error_body

DATASET = {
    "dataset_name": "flowers",
    "data_sources": [{"data_type": 0, "data_path": "/bucket/input/flowers/"}],
    "work_path": "/bucket/output/",
}


def _datasets(api: Api) -> int:
    count: int = api.ok("GET", "/datasets")["total_number"]
    return count


@pytest.mark.parametrize(
    ("content", "media_type"),
    [(b'{"dataset_name": ', "application/json"), (b"dataset_name=x", "text/plain")],
)
def test_a_body_that_is_not_json_is_0104_and_creates_nothing(
    api: Api, content: bytes, media_type: str
) -> None:
    response = api.client.post(
        f"{api.base}/datasets", content=content, headers={**api.headers, "Content-Type": media_type}
    )
    refused(response, 400, "ModelArts.0104", "JSON")
    assert response.headers["X-Request-Id"]
    assert _datasets(api) == 0


def test_a_body_over_10_mib_is_413_4104_and_creates_nothing(api: Api) -> None:
    padding = "x" * (10 * 1024 * 1024)
    response = api.call("POST", "/datasets", {**DATASET, "description": padding})
    refused(response, 413, "ModelArts.4104")
    assert _datasets(api) == 0


@pytest.fixture
def limited() -> Iterator[TestClient]:
    with TestClient(create_app(Settings(clock="manual", seed=1))) as running:
        yield running


def test_over_the_rate_limit_is_429_4395_with_retry_after(limited: TestClient) -> None:
    api = Api(limited, PROJECT)
    changed = limited.put(
        "/_mock/ratelimits",
        json={"vendor": "modelarts", "policies": [{"name": "per_second", "limit": 1, "burst": 2}]},
    )
    assert changed.status_code == 200, changed.text
    answers = [api.call("GET", "/datasets") for _ in range(3)]
    assert [response.status_code for response in answers[:2]] == [200, 200]
    refused(answers[2], 429, "ModelArts.4395")
    assert int(answers[2].headers["Retry-After"]) >= 1


def test_anything_unexpected_is_500_0010() -> None:
    status, body = error_body(InternalError("boom"))
    assert (status, body["error_code"]) == (500, "ModelArts.0010")

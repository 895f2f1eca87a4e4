"""Fixtures of the ModelArts team-task tests (modules may define their own instead)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from modelarts_kit import PROJECT, Api
from starlette.testclient import TestClient

from mockserver.app import create_app
from mockserver.settings import Settings


@pytest.fixture
def client() -> Iterator[TestClient]:
    with TestClient(create_app(Settings(clock="manual", seed=1, rate_limits=False))) as running:
        yield running


@pytest.fixture
def api(client: TestClient) -> Api:
    return Api(client, PROJECT)

from __future__ import annotations

from collections.abc import Iterator

import pytest

from mockserver.settings import Settings
from mockserver.testing import Receiver, ServerThread


@pytest.fixture
def server() -> Iterator[ServerThread]:
    with ServerThread(Settings(clock="manual", seed=7, epoch="2024-05-01T10:00:00Z")) as running:
        yield running


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with Receiver() as running:
        yield running

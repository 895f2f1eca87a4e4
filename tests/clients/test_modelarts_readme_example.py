"""The README's ModelArts SDK example runs as pasted: only its endpoint changes, to a
server started as the README says (``mockserver serve``, every vendor mounted, ModelArts
found at the bare root by its paths) on a free port."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from readme_kit import blocks, printed_by, with_address

from mockserver.settings import Settings
from mockserver.testing import ServerThread


@pytest.fixture
def server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[ServerThread]:
    monkeypatch.setenv("HOME", str(tmp_path))  # the SDK writes an application id under HOME
    with ServerThread(Settings(clock="manual")) as running:
        yield running


def test_the_readme_sdk_example_creates_and_lists_a_dataset(server: ServerThread) -> None:
    (example,) = blocks("Huawei ModelArts (data labeling, v2)", "python")
    assert 'endpoint = "http://localhost:8080"' in example.text
    code = with_address(example.text, server.port)
    created, listed = printed_by(code).splitlines()
    assert re.fullmatch(r"201 \w+", created)  # the documented status of CreateDataset
    assert listed == "['flowers']"

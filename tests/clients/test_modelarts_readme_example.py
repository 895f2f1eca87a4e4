"""The README's ModelArts SDK example runs as pasted: only its endpoint changes, to a
server started as the README says (``mockserver serve``, every vendor mounted, ModelArts
found at the bare root by its paths) on a free port."""

from __future__ import annotations

import contextlib
import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from mockserver.settings import Settings
from mockserver.testing import ServerThread

README = Path(__file__).resolve().parents[2] / "README.md"


def example() -> str:
    section = README.read_text(encoding="utf-8").split("## Huawei ModelArts", 1)[1]
    match = re.search(r"```python\n(.*?)```", section, re.DOTALL)
    assert match is not None, "the ModelArts section has no Python example"
    return match.group(1)


@pytest.fixture
def server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[ServerThread]:
    monkeypatch.setenv("HOME", str(tmp_path))  # the SDK writes an application id under HOME
    with ServerThread(Settings(clock="manual")) as running:
        yield running


def test_the_readme_sdk_example_creates_and_lists_a_dataset(server: ServerThread) -> None:
    code = example()
    assert 'endpoint = "http://localhost:8080"' in code
    code = code.replace('endpoint = "http://localhost:8080"', f'endpoint = "{server.url}"')
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(code, "README.md", "exec"), {"__name__": "readme_example"})
    created, listed = printed.getvalue().splitlines()
    assert re.fullmatch(r"201 \w+", created)  # the documented status of CreateDataset
    assert listed == "['flowers']"

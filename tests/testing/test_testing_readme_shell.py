"""The README's first-hour requests run as pasted, with curl, against a server."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from mockserver.settings import Settings
from mockserver.testing import ServerThread

README = Path(__file__).resolve().parents[2] / "README.md"


def first_hour_requests() -> str:
    section = README.read_text(encoding="utf-8").split("## The first hour", 1)[1]
    section = section.split("\n## ", 1)[0]
    blocks = [b for b in re.findall(r"```bash\n(.*?)```", section, re.DOTALL) if "curl" in b]
    assert len(blocks) == 1, "the section has one block of requests"
    return blocks[0]


@pytest.fixture
def server() -> Iterator[ServerThread]:
    with ServerThread(Settings(clock="manual", seed=1)) as running:
        yield running


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
def test_each_vendor_answers_the_readme_request(server: ServerThread) -> None:
    script = first_hour_requests().replace("localhost:8080", f"127.0.0.1:{server.port}")
    done = subprocess.run(
        ["bash", "-e", "-c", script], capture_output=True, text=True, timeout=60, check=True
    )
    out = done.stdout
    assert '{"tasks":[]}' in out  # CloudFactory
    assert re.search(r'\{"id":\d+,"options"', out)  # CrowdFlower's new job
    assert '"customer_response"' in out  # clickworker
    assert re.search(r"HTTP/1.1 201 Created.*x-subject-token: \S+", out, re.DOTALL | re.I)
    assert '"advanced_seconds":3600' in out  # the clock

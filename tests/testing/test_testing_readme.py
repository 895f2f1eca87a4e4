"""The README's Python examples run as written: the example test with nothing but the
installed plugin, a client's with only the server's address changed."""

from __future__ import annotations

import warnings
from collections.abc import Iterator

import httpx
import pytest
from readme_kit import all_blocks, blocks, printed_by, with_address

from mockserver.settings import Settings
from mockserver.testing import ServerThread

pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestAssertRewriteWarning")

RUN_BY = {
    "Testing with pytest": "test_the_readme_example_passes",
    "CrowdFlower (Figure Eight)": "test_the_crowdflower_client_lists_the_jobs",
    "Huawei ModelArts (data labeling, v2)": "tests/clients/test_modelarts_readme_example.py",
}
"""The section of each Python example and the test that runs it."""


@pytest.fixture
def server() -> Iterator[ServerThread]:
    with ServerThread(Settings(clock="manual", seed=1)) as running:
        yield running


def test_every_python_example_is_run() -> None:
    for block in all_blocks():
        if block.lang == "python":
            assert block.section in RUN_BY, f"no test runs the example at {block}"


def test_the_readme_example_passes(pytester: pytest.Pytester) -> None:
    (example,) = blocks("Testing with pytest", "python")
    pytester.makepyfile(test_example=example.text)
    result = pytester.runpytest_inprocess("-q", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)


def test_the_crowdflower_client_lists_the_jobs(server: ServerThread) -> None:
    (example,) = blocks("CrowdFlower (Figure Eight)", "python")
    made = httpx.post(
        f"{server.url}/crowdflower/v1/jobs.json",
        params={"key": "demo"},
        data={"job[title]": "First job"},  # as the first hour's request makes it
    )
    assert made.status_code == 200
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SyntaxWarning)  # the client compares strings with ``is``
        printed = printed_by(with_address(example.text, server.port))
    assert printed == "['First job']\n"

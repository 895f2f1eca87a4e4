"""The pytest plugin, as a user's suite sees it: run through pytester in a scratch project."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestAssertRewriteWarning")

REPORT = """
import httpx

BODY = {"worker_id": "w@example.com", "use_case_id": "uc", "task_definition_id": "td",
        "task_started_at": "2024-05-01T09:00:00Z", "task_completed_at": "2024-05-01T09:30:00Z"}


def report(tenant, worker_id="w@example.com"):
    return httpx.post(
        f"{tenant.base_url}/v1/workstreams/ws-1/task_completed",
        headers={"x-api-key": tenant.credential},
        json={**BODY, "worker_id": worker_id},
    )
"""


def test_each_test_gets_a_clean_sandbox_and_its_handle(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        REPORT
        + """

def test_first(mockserver):
    tenant = mockserver.tenant("cloudfactory")
    assert tenant.id == f"cloudfactory:{tenant.credential}" and len(tenant.credential) == 32
    assert report(tenant).status_code == 202
    assert [e["status"] for e in mockserver.journal(tenant=tenant)] == [202]
    mockserver.verify(tenant=tenant, method="POST", path="task_completed$", count=1)


def test_second_starts_clean(mockserver):
    assert mockserver.journal() == []
    before = mockserver.clock()["tenants"]
    assert before == []
    tenant = mockserver.tenant("cloudfactory")
    assert report(tenant).status_code == 202
    moved = mockserver.advance(3600, tenant=tenant)
    assert moved is not None
"""
    )
    result = pytester.runpytest_inprocess("-q", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=2)


def test_a_failed_verification_lists_the_near_misses(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        REPORT
        + """

def test_expects_another_worker(mockserver):
    tenant = mockserver.tenant("cloudfactory")
    report(tenant)
    mockserver.verify(tenant=tenant, method="GET", path="task_completed$")
"""
    )
    result = pytester.runpytest_inprocess("-q", "-p", "no:cacheprovider")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*expected {'at_least': 1} request(s) matching*found 0*",
            "*near misses:*",
            "*#1 POST /cloudfactory/v1/workstreams/ws-1/task_completed -> 202*",
            "*method: expected 'GET', was 'POST'*",
        ]
    )


def test_the_marker_and_options_choose_the_settings(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
import httpx
import pytest


def settings_of(mockserver):
    return httpx.get(f"{mockserver.url}/_mock/settings").json()


@pytest.mark.mockserver(seed=7, strict_auth=True)
def test_marked(mockserver):
    settings = settings_of(mockserver)
    assert (settings["seed"], settings["strict_auth"], settings["clock"]) == (7, True, "realtime")


def test_from_the_options(mockserver):
    settings = settings_of(mockserver)
    assert (settings["seed"], settings["clock"]) == (42, "realtime")
"""
    )
    result = pytester.runpytest_inprocess(
        "-q", "-p", "no:cacheprovider", "--mockserver-seed=42", "--mockserver-clock=realtime"
    )
    result.assert_outcomes(passed=2)


def test_a_misspelt_marker_setting_names_the_settings(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
import pytest


@pytest.mark.mockserver(sede=7)
def test_marked(mockserver):
    pass
"""
    )
    result = pytester.runpytest_inprocess("-q", "-p", "no:cacheprovider")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*@pytest.mark.mockserver: no setting named 'sede'*seed*"])


def test_fresh_credentials_are_the_same_for_the_same_test(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
def test_twice(mockserver):
    first, second = mockserver.tenant("modelarts"), mockserver.tenant("modelarts")
    assert first.credential != second.credential
    print("CREDENTIAL", first.credential)
"""
    )
    runs = [pytester.runpytest_inprocess("-q", "-s", "-p", "no:cacheprovider") for _ in range(2)]
    seen = [next(line for line in run.outlines if line.startswith("CREDENTIAL")) for run in runs]
    assert seen[0] == seen[1]

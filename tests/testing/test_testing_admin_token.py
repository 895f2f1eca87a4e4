"""The pytest plugin on a sandbox that asks for an admin token: the handle sends it."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestAssertRewriteWarning")

SUITE = """
import httpx
import pytest


def test_the_session_server_asks_for_the_token_and_the_handle_has_it(mockserver):
    assert httpx.get(f"{mockserver.url}/_mock/tenants").status_code == 401
    tenant = mockserver.tenant("cloudfactory")
    assert mockserver.journal(tenant=tenant) == []
    mockserver.reset()


@pytest.mark.mockserver(admin_token="own-server-token")
def test_a_marked_server_gets_its_own_token(mockserver):
    refused = httpx.get(
        f"{mockserver.url}/_mock/tenants", headers={"X-Admin-Token": "session-token"}
    )
    assert refused.status_code == 401
    assert mockserver.tenant("crowdflower").id.startswith("crowdflower:")
"""


def test_the_handle_calls_a_server_started_with_a_token(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(SUITE)
    result = pytester.runpytest_inprocess(
        "-q", "-p", "no:cacheprovider", "--mockserver-admin-token", "session-token"
    )
    result.assert_outcomes(passed=2)

"""What the server keeps of each exchange and each webhook is bounded by its settings."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from mockserver.app import create_app
from mockserver.core.journal import HEADERS_CAP
from mockserver.settings import Settings

KEY = "Jr7vT2mXc9LpW4sZb8Nd"


@pytest.fixture
def client() -> Iterator[TestClient]:
    settings = Settings(clock="manual", rate_limits=False, webhook_log_size=7)
    with TestClient(create_app(settings)) as running:
        yield running


def test_a_journal_entry_keeps_a_huge_header_only_up_to_the_cap(client: TestClient) -> None:
    """A 1 MiB header on each of the default 1,000 entries once held a gigabyte."""
    huge = "v" * (1024 * 1024)
    response = client.get(
        "/crowdflower/v1/account", params={"key": KEY}, headers={"x-huge": huge, "x-after": "1"}
    )
    assert response.status_code == 200
    [entry] = client.get("/_mock/journal").json()["entries"]
    kept = entry["request_headers"]
    assert 0 < len(kept["x-huge"]) < HEADERS_CAP
    assert sum(len(k) + len(v) for k, v in kept.items()) <= HEADERS_CAP
    assert "x-after" not in kept


def test_a_storage_put_declaring_a_body_past_the_limit_is_refused_unread(
    client: TestClient,
) -> None:
    made = client.post(
        "/cloudfactory/v1/workstreams/345d6802-0efa-46de-a73c-6c24f094dfcf/upload_url",
        json={},
        headers={"x-api-key": "loAwlMCCxv4TlpLWR8a2e6"},
    )
    url = made.json()["upload_url"]
    response = client.put(url, content=b"x" * (6 * 1024 * 1024 + 1))
    assert response.status_code == 413
    [*_, entry] = client.get("/_mock/journal").json()["entries"]
    assert (entry["status"], entry["request_body"]) == (413, "")  # never read


def test_the_webhook_bounds_are_settings(client: TestClient) -> None:
    settings = client.get("/_mock/settings").json()
    assert (settings["webhook_log_size"], settings["webhook_connections"]) == (7, 64)
    with pytest.raises(ValueError, match="webhook-log-size must be 0 or more"):
        Settings(webhook_log_size=-1)
    with pytest.raises(ValueError, match="webhook-connections must be 1 or more"):
        Settings(webhook_connections=0)

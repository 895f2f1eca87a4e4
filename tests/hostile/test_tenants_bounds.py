"""Open mode cannot be made to keep tenants without end.

``--max-tenants`` caps the unregistered tenants (the least recently used one goes to make
room) and ``--tenant-idle-expiry`` forgets those without a request for that long;
registered tenants stay whatever these say.
"""

from __future__ import annotations

from typing import Any

import pytest
from input_kit import report
from starlette.testclient import TestClient

from mockserver.app import create_app
from mockserver.core import clock as clock_module
from mockserver.settings import Settings


def _client(**changes: Any) -> tuple[Any, TestClient]:
    """The app and a client without its lifespan: no background ticker, the test ticks."""
    app = create_app(Settings(clock="manual", rate_limits=False, **changes))
    return app, TestClient(app)


def tenant_ids(client: TestClient) -> list[str]:
    return sorted(t["id"] for t in client.get("/_mock/tenants").json()["tenants"])


def register(client: TestClient, credential: str) -> None:
    body = {"vendor": "cloudfactory", "credential": credential}
    assert client.post("/_mock/tenants", json=body).status_code == 201


def test_the_settings_are_shown_with_their_defaults() -> None:
    _, client = _client()
    shown = client.get("/_mock/settings").json()
    assert (shown["max_tenants"], shown["tenant_idle_expiry"]) == (5000, 3600.0)


def test_past_the_cap_the_least_recently_used_unregistered_tenant_goes() -> None:
    _, client = _client(max_tenants=3)
    register(client, "registered")
    for key in ("a", "b", "c"):
        report(client, key)
    report(client, "a")  # b is now the least recently used
    report(client, "d")
    assert tenant_ids(client) == [
        "cloudfactory:a",
        "cloudfactory:c",
        "cloudfactory:d",
        "cloudfactory:registered",
    ]
    report(client, "b")  # a forgotten tenant comes back empty, like a new one
    shown = client.get("/_mock/tenants/cloudfactory:b").json()
    assert shown["pending_events"] == 0


def test_unregistered_tenants_idle_past_the_expiry_are_forgotten(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    reading = [1000.0]
    monkeypatch.setattr(clock_module, "monotonic", lambda: reading[0])
    app, client = _client(tenant_idle_expiry=600)
    register(client, "registered")
    report(client, "old")
    reading[0] += 400
    report(client, "recent")
    reading[0] += 300  # old: idle 700 s, recent: 300 s
    app.sandbox.tick()
    assert tenant_ids(client) == ["cloudfactory:recent", "cloudfactory:registered"]
    reading[0] += 3600
    app.sandbox.tick()
    assert tenant_ids(client) == ["cloudfactory:registered"]


def test_a_request_counts_as_use_even_when_it_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    reading = [1000.0]
    monkeypatch.setattr(clock_module, "monotonic", lambda: reading[0])
    app, client = _client(tenant_idle_expiry=600)
    report(client, "k")
    reading[0] += 500
    refused = client.get("/cloudfactory/v1/tasks/none", headers={"x-api-key": "k"})
    assert refused.status_code == 404
    reading[0] += 500
    app.sandbox.tick()
    assert tenant_ids(client) == ["cloudfactory:k"]

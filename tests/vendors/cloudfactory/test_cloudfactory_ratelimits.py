"""CloudFactory's rate limit (10 a second, bursts of 20, per key) and its switches.

Buckets refill on the monotonic wall clock; these tests freeze it (the one the
sandbox reads, in ``mockserver.core.clock``) so a burst is exactly immediate and a
refill happens only when a test moves it.
"""

from __future__ import annotations

import time as real_time
from typing import Any

import pytest

from mockserver.core import clock as clock_module

TOO_MANY = {"message": "Too Many Requests"}


class FrozenTime:
    """Stands in for the ``time`` module of the sandbox's clock: monotonic time stands still."""

    def __init__(self) -> None:
        self.monotonic_now = 1000.0

    def monotonic(self) -> float:
        return self.monotonic_now

    def time(self) -> float:
        return real_time.time()


@pytest.fixture
def frozen(monkeypatch: pytest.MonkeyPatch) -> FrozenTime:
    fake = FrozenTime()
    monkeypatch.setattr(clock_module, "time", fake)
    return fake


@pytest.fixture
def limited(make_cf: Any, frozen: FrozenTime) -> Any:
    return make_cf(rate_limits=True)


def burst(cf: Any, count: int, key: str | None = None) -> list[int]:
    return [cf.call("GET", "/v1/tasks", key=key).status_code for _ in range(count)]


def test_the_21st_immediate_request_is_429_and_changes_nothing(
    limited: Any, frozen: FrozenTime, seed_quality: dict[str, Any]
) -> None:
    assert burst(limited, 20) == [200] * 20
    response = limited.refused(lambda: limited.quality(seed_quality), 429)
    assert response.json() == TOO_MANY
    assert response.headers["retry-after"] == "1"
    assert limited.call("GET", "/v1/tasks").status_code == 429


def test_a_tenth_of_a_second_buys_one_more_request(limited: Any, frozen: FrozenTime) -> None:
    assert burst(limited, 21) == [200] * 20 + [429]
    frozen.monotonic_now += 0.1
    assert burst(limited, 2) == [200, 429]
    frozen.monotonic_now += 2.0
    assert burst(limited, 21) == [200] * 20 + [429]


def test_each_key_has_its_own_bucket(limited: Any) -> None:
    assert burst(limited, 21) == [200] * 20 + [429]
    assert burst(limited, 20, key="another-key") == [200] * 20


def test_the_limit_can_be_switched_off_for_the_vendor(limited: Any) -> None:
    assert burst(limited, 21) == [200] * 20 + [429]
    response = limited.client.put(
        "/_mock/ratelimits", json={"vendor": "cloudfactory", "enabled": False}
    )
    assert response.status_code == 200
    assert burst(limited, 50) == [200] * 50
    assert burst(limited, 50, key="new-key") == [200] * 50
    shown = limited.client.get("/_mock/ratelimits", params={"vendor": "cloudfactory"}).json()
    assert shown["vendors"]["cloudfactory"]["enabled"] is False


def test_a_tenant_override_limits_only_that_tenant(limited: Any) -> None:
    assert burst(limited, 1, key="k") == [200]
    assert burst(limited, 1, key="other") == [200]
    override = {
        "vendor": "cloudfactory",
        "tenant": "cloudfactory:k",
        "policies": [{"name": "per_second", "limit": 1, "burst": 2}],
    }
    response = limited.client.put("/_mock/ratelimits", json=override)
    assert response.status_code == 200
    assert response.json()["policies"] == [
        {"name": "per_second", "limit": 1, "window": 1.0, "burst": 2}
    ]
    statuses = burst(limited, 3, key="k")
    assert statuses == [200, 200, 429]
    refused = limited.call("GET", "/v1/tasks", key="k")
    assert (refused.json(), refused.headers["retry-after"]) == (TOO_MANY, "1")
    assert burst(limited, 19, key="other") == [200] * 19


def test_settings_can_disable_rate_limits(make_cf: Any, frozen: FrozenTime) -> None:
    unlimited = make_cf(rate_limits=False)
    assert burst(unlimited, 50) == [200] * 50

"""Token buckets counted on an injected clock: bursts, refusals, refills, reconfiguration."""

from __future__ import annotations

import pytest

from mockserver.core.errors import RateLimited
from mockserver.core.ratelimit import Limits, Policy, RateLimiter, override


class Now:
    def __init__(self) -> None:
        self.value = 500.0

    def __call__(self) -> float:
        return self.value


@pytest.fixture
def now() -> Now:
    return Now()


def spend(limiter: RateLimiter, times: int) -> None:
    for _ in range(times):
        limiter.check()


def refusal(limiter: RateLimiter) -> RateLimited:
    with pytest.raises(RateLimited) as caught:
        limiter.check()
    return caught.value


def test_burst_is_allowed_then_refused(now: Now) -> None:
    limiter = RateLimiter(Limits((Policy("per-second", limit=5, window=1.0),)), now)
    spend(limiter, 5)
    error = refusal(limiter)
    assert error.status == 429
    assert error.policy == "per-second"
    assert (error.limit, error.window) == (5, 1.0)
    assert error.retry_after == pytest.approx(0.2)


def test_bucket_refills_with_time(now: Now) -> None:
    limiter = RateLimiter(Limits((Policy("per-second", limit=4, window=1.0),)), now)
    spend(limiter, 4)
    now.value += 0.125
    error = refusal(limiter)
    assert error.retry_after == pytest.approx(0.125)
    now.value += 0.125
    limiter.check()
    refusal(limiter)
    now.value += 10
    spend(limiter, 4)  # refill is capped at the burst
    refusal(limiter)


def test_burst_smaller_than_limit(now: Now) -> None:
    limiter = RateLimiter(Limits((Policy("smooth", limit=60, window=60.0, burst=2),)), now)
    spend(limiter, 2)
    assert refusal(limiter).retry_after == pytest.approx(1.0)
    now.value += 1.0
    limiter.check()


def test_hourly_policy_refuses_while_per_second_has_room(now: Now) -> None:
    limiter = RateLimiter(
        Limits((Policy("per-second", 10, 1.0), Policy("per-hour", 12, 3600.0))),
        now,
    )
    spend(limiter, 10)
    now.value += 1.0
    spend(limiter, 2)
    error = refusal(limiter)
    assert error.policy == "per-hour"
    assert error.retry_after == pytest.approx(3600 / 12, rel=0.01)
    assert limiter.remaining()["per-second"] == 8


def test_a_refused_request_spends_no_token(now: Now) -> None:
    limiter = RateLimiter(
        Limits((Policy("per-second", 3, 1.0), Policy("per-minute", 3, 60.0))),
        now,
    )
    spend(limiter, 3)
    for _ in range(5):
        refusal(limiter)
    assert limiter.remaining() == {"per-second": 0, "per-minute": 0}
    now.value += 21.0  # one token of the minute policy back, the second one full
    limiter.check()
    assert limiter.remaining() == {"per-second": 2, "per-minute": 0}


def test_disabled_limits_never_refuse(now: Now) -> None:
    limiter = RateLimiter(Limits((Policy("tiny", 1, 3600.0),), enabled=False), now)
    spend(limiter, 1000)


def test_no_policies_never_refuse(now: Now) -> None:
    spend(RateLimiter(Limits(()), now), 100)


def test_remaining_reports_whole_tokens(now: Now) -> None:
    limiter = RateLimiter(Limits((Policy("a", 10, 10.0), Policy("b", 100, 3600.0))), now)
    assert limiter.remaining() == {"a": 10, "b": 100}
    spend(limiter, 4)
    assert limiter.remaining() == {"a": 6, "b": 96}
    now.value += 2.5
    assert limiter.remaining()["a"] == 8


def test_configure_keeps_tokens_of_kept_policies(now: Now) -> None:
    limiter = RateLimiter(Limits((Policy("kept", 5, 60.0), Policy("dropped", 5, 60.0))), now)
    spend(limiter, 4)
    limiter.configure(Limits((Policy("kept", 5, 60.0), Policy("new", 2, 60.0))))
    assert limiter.remaining() == {"kept": 1, "new": 2}
    limiter.check()
    assert refusal(limiter).policy == "kept"


def test_a_policy_dropped_and_restored_starts_full(now: Now) -> None:
    policy = Policy("p", 3, 3600.0)
    limiter = RateLimiter(Limits((policy,)), now)
    spend(limiter, 3)
    limiter.configure(Limits(()))
    limiter.configure(Limits((policy,)))
    assert limiter.remaining() == {"p": 3}
    spend(limiter, 3)


def test_configure_to_a_smaller_burst_takes_effect_at_once(now: Now) -> None:
    limiter = RateLimiter(Limits((Policy("p", 100, 3600.0),)), now)
    limiter.check()
    limiter.configure(Limits((Policy("p", 2, 3600.0),)))
    assert limiter.remaining() == {"p": 2}
    spend(limiter, 2)
    refusal(limiter)


def test_configure_can_disable(now: Now) -> None:
    policies = (Policy("p", 1, 3600.0),)
    limiter = RateLimiter(Limits(policies), now)
    limiter.check()
    refusal(limiter)
    limiter.configure(Limits(policies, enabled=False))
    spend(limiter, 10)


def test_policy_capacity_and_as_dict() -> None:
    assert Policy("x", 6200, 3600.0).capacity == 6200
    assert Policy("x", 6200, 3600.0, burst=10).capacity == 10
    assert Policy("x", 6200, 3600.0).as_dict() == {
        "name": "x",
        "limit": 6200,
        "window": 3600.0,
        "burst": 6200,
    }


def test_policy_changed_replaces_numbers_only() -> None:
    policy = Policy("x", 10, 1.0)
    changed = policy.changed({"name": "ignored", "limit": 20, "burst": 5})
    assert changed == Policy("x", 20, 1.0, burst=5)
    assert policy == Policy("x", 10, 1.0)


@pytest.mark.parametrize("change", [{"limit": 0}, {"window": 0}, {"window": -1}, {"burst": 0}])
def test_policy_changed_refuses_non_positive_numbers(change: dict[str, float]) -> None:
    with pytest.raises(ValueError, match="x"):
        Policy("x", 10, 1.0).changed(change)


def test_override_by_name_keeps_order_and_others() -> None:
    policies = (Policy("second", 10, 1.0), Policy("hour", 6200, 3600.0))
    result = override(policies, [{"name": "hour", "limit": 3}])
    assert result == (Policy("second", 10, 1.0), Policy("hour", 3, 3600.0))
    assert override(policies, []) == policies


def test_override_applies_changes_in_order() -> None:
    policies = (Policy("a", 10, 1.0),)
    result = override(policies, [{"name": "a", "limit": 3}, {"name": "a", "window": 2.0}])
    assert result == (Policy("a", 3, 2.0),)


def test_override_unknown_name_lists_known_ones() -> None:
    policies = (Policy("second", 10, 1.0), Policy("hour", 6200, 3600.0))
    with pytest.raises(ValueError, match=r"unknown policy 'minute'; known: hour, second"):
        override(policies, [{"name": "minute", "limit": 1}])


def test_override_bad_numbers_raise() -> None:
    with pytest.raises(ValueError, match="positive"):
        override((Policy("a", 10, 1.0),), [{"name": "a", "limit": -5}])

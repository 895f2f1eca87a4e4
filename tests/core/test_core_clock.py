"""Sim time: manual clocks stand still, realtime clocks run at their speed, never backwards."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mockserver.core import clock as clock_module
from mockserver.core.clock import Clock, ClockState, iso_seconds, isoformat, parse_instant

START = 1_700_000_000.0


class FakeMonotonic:
    """A monotonic source the test moves by hand."""

    def __init__(self) -> None:
        self.value = 1000.0

    def __call__(self) -> float:
        return self.value

    def tick(self, seconds: float) -> None:
        self.value += seconds


def near(seconds: float) -> object:
    """A tolerance in seconds (``approx`` on epoch-sized numbers would allow ~30 minutes)."""
    return pytest.approx(seconds, abs=1e-6)


def since_start(clock: Clock) -> float:
    return clock.now() - START


@pytest.fixture
def wall(monkeypatch: pytest.MonkeyPatch) -> FakeMonotonic:
    fake = FakeMonotonic()
    monkeypatch.setattr(clock_module, "monotonic", fake)
    return fake


# -- manual mode -------------------------------------------------------------------------


def test_manual_clock_does_not_move_by_itself(wall: FakeMonotonic) -> None:
    clock = Clock(mode="manual", start=START)
    wall.tick(3600)
    assert clock.now() == START


def test_advance_moves_forward_and_returns_new_now(wall: FakeMonotonic) -> None:
    clock = Clock(mode="manual", start=START)
    assert clock.advance(90) == START + 90
    assert clock.advance(0) == START + 90
    assert clock.now() == START + 90


def test_negative_advance_is_refused_and_changes_nothing() -> None:
    clock = Clock(mode="manual", start=START)
    with pytest.raises(ValueError, match="forward"):
        clock.advance(-1)
    assert clock.now() == START


def test_move_to_goes_forward_only() -> None:
    clock = Clock(mode="manual", start=START)
    clock.move_to(START + 50)
    assert clock.now() == START + 50
    clock.move_to(START + 10)
    assert clock.now() == START + 50


def test_start_defaults_to_wall_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock_module, "wall_time", lambda: 1234.5)
    assert Clock(mode="manual").now() == 1234.5


@pytest.mark.parametrize("speed", [0, -1.5])
def test_speed_must_be_positive(speed: float) -> None:
    with pytest.raises(ValueError, match="speed"):
        Clock(mode="realtime", speed=speed)


# -- realtime mode -----------------------------------------------------------------------


def test_realtime_clock_runs_at_its_speed(wall: FakeMonotonic) -> None:
    clock = Clock(mode="realtime", speed=60.0, start=START)
    assert clock.now() == START
    wall.tick(2.0)
    assert since_start(clock) == near(120.0)


def test_advance_in_realtime_adds_to_the_running_time(wall: FakeMonotonic) -> None:
    clock = Clock(mode="realtime", speed=2.0, start=START)
    wall.tick(5)
    assert clock.advance(100) - START == near(110)
    wall.tick(1)
    assert since_start(clock) == near(112)


def test_changing_speed_reanchors_without_a_jump(wall: FakeMonotonic) -> None:
    clock = Clock(mode="realtime", speed=2.0, start=START)
    wall.tick(10)
    before = clock.now()
    assert before - START == near(20)
    clock.configure(speed=10.0)
    assert clock.now() - before == near(0)
    assert clock.speed == 10.0
    wall.tick(1)
    assert since_start(clock) == near(30)


def test_switching_to_manual_freezes_and_back_resumes_without_a_jump(wall: FakeMonotonic) -> None:
    clock = Clock(mode="realtime", speed=1.0, start=START)
    wall.tick(7)
    clock.configure(mode="manual")
    assert clock.mode == "manual"
    wall.tick(500)
    assert since_start(clock) == near(7)
    clock.configure(mode="realtime")
    assert since_start(clock) == near(7)
    wall.tick(3)
    assert since_start(clock) == near(10)


def test_configure_refuses_a_bad_speed_and_keeps_the_old_one(wall: FakeMonotonic) -> None:
    clock = Clock(mode="realtime", speed=3.0, start=START)
    with pytest.raises(ValueError):
        clock.configure(mode="manual", speed=0)
    assert (clock.mode, clock.speed) == ("realtime", 3.0)
    wall.tick(1)
    assert since_start(clock) == near(3)


def test_state_reports_mode_speed_and_now(wall: FakeMonotonic) -> None:
    clock = Clock(mode="realtime", speed=4.0, start=START)
    wall.tick(0.5)
    assert clock.state() == ClockState(mode="realtime", speed=4.0, now=START + 2.0)


# -- rendering and parsing instants ------------------------------------------------------


def test_isoformat_renders_utc_with_milliseconds() -> None:
    assert isoformat(0) == "1970-01-01T00:00:00.000Z"
    assert isoformat(1608632004.127) == "2020-12-22T10:13:24.127Z"
    assert isoformat(1608632004.127, millis=False) == "2020-12-22T10:13:24Z"


def test_isoformat_truncates_to_milliseconds() -> None:
    assert isoformat(1608632004.1279) == "2020-12-22T10:13:24.127Z"


@pytest.mark.parametrize(
    "text",
    [
        "2020-12-22T10:13:24.127Z",
        "2020-12-22T10:13:24.000Z",
        "1999-12-31T23:59:59.999Z",
        "2038-01-19T03:14:08.500Z",
    ],
)
def test_parse_and_render_round_trip(text: str) -> None:
    assert isoformat(parse_instant(text)) == text


def test_parse_instant_honours_offsets() -> None:
    utc = parse_instant("2020-12-22T10:13:24Z")
    assert parse_instant("2020-12-22T12:13:24+02:00") == utc
    assert parse_instant("2020-12-22T05:13:24-05:00") == utc
    assert parse_instant("2020-12-22T10:13:24+00:00") == utc


def test_naive_instants_are_read_as_utc() -> None:
    assert parse_instant("2020-12-22T10:13:24") == parse_instant("2020-12-22T10:13:24Z")
    assert parse_instant("1970-01-01T00:00:00") == 0.0


def test_parse_instant_refuses_garbage() -> None:
    with pytest.raises(ValueError):
        parse_instant("yesterday")


@given(
    st.integers(min_value=-(10**9), max_value=4 * 10**9),
    st.sampled_from([0.0, 0.25, 0.9999994, 0.9999995, 0.9999996, 0.999999999]),
)
def test_seconds_read_as_datetime_writes_them_to_the_second(second: int, fraction: float) -> None:
    instant = second + fraction
    expected = datetime.fromtimestamp(instant, UTC).isoformat(timespec="seconds")
    assert iso_seconds(instant) == expected
    assert iso_seconds(instant) == expected  # the remembered answer is the same


def test_seconds_in_the_same_second_read_alike_and_whole() -> None:
    assert iso_seconds(START + 0.1) == iso_seconds(START + 0.9) == "2023-11-14T22:13:20+00:00"

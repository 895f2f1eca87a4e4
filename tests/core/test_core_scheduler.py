"""The event queue: earliest first, ties in scheduling order, nothing before it is due."""

from __future__ import annotations

from mockserver.core.scheduler import Scheduler


def drain(scheduler: Scheduler, now: float) -> list[str]:
    actions = []
    while (event := scheduler.pop_due(now)) is not None:
        actions.append(event.action)
    return actions


def test_events_come_out_in_due_order() -> None:
    scheduler = Scheduler()
    scheduler.at(30, "world", "c")
    scheduler.at(10, "world", "a")
    scheduler.at(20, "webhook", "b")
    assert drain(scheduler, 100) == ["a", "b", "c"]


def test_ties_fire_in_scheduling_order() -> None:
    scheduler = Scheduler()
    for name in ["first", "second", "third", "fourth"]:
        scheduler.at(5, "world", name)
    scheduler.at(1, "world", "earlier")
    assert drain(scheduler, 5) == ["earlier", "first", "second", "third", "fourth"]


def test_pop_due_leaves_future_events() -> None:
    scheduler = Scheduler()
    scheduler.at(10, "world", "due")
    scheduler.at(10.001, "world", "later")
    assert scheduler.pop_due(9.999) is None
    assert drain(scheduler, 10) == ["due"]
    assert len(scheduler) == 1
    assert scheduler.next_due() == 10.001


def test_event_carries_target_and_data() -> None:
    scheduler = Scheduler()
    scheduled = scheduler.at(3, "webhook", "attempt", delivery="7", n=2)
    event = scheduler.pop_due(3)
    assert event is scheduled
    assert (event.target, event.action, event.data) == (
        "webhook",
        "attempt",
        {"delivery": "7", "n": 2},
    )


def test_pending_lists_earliest_first_without_consuming() -> None:
    scheduler = Scheduler()
    scheduler.at(3, "world", "c")
    scheduler.at(1, "world", "a1")
    scheduler.at(2, "world", "b")
    scheduler.at(1, "world", "a2")
    assert [e.action for e in scheduler.pending()] == ["a1", "a2", "b", "c"]
    assert len(scheduler) == 4
    assert [e.action for e in scheduler.pending()] == ["a1", "a2", "b", "c"]


def test_len_and_next_due_of_empty_queue() -> None:
    scheduler = Scheduler()
    assert len(scheduler) == 0
    assert scheduler.next_due() is None
    assert scheduler.pop_due(float("inf")) is None
    assert list(scheduler.pending()) == []


def test_sequence_numbers_increase() -> None:
    scheduler = Scheduler()
    seqs = [scheduler.at(t, "world", "x").seq for t in (5, 1, 3)]
    assert seqs == sorted(seqs)
    assert len(set(seqs)) == 3

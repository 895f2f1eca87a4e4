"""CrowdFlower units without HTTP: the store, the state rules and every unit action."""

from __future__ import annotations

from typing import Any

import pytest
from world_kit import Context

from mockserver.core.clock import Clock, parse_instant
from mockserver.core.crowd import Crowd
from mockserver.core.errors import InvalidInput
from mockserver.core.rng import Rng
from mockserver.core.scheduler import Scheduler
from mockserver.vendors.crowdflower.backend import CrowdFlowerWorld
from mockserver.vendors.crowdflower.backend.jobs import Job, judgments_needed
from mockserver.vendors.crowdflower.backend.units import (
    DEFAULT_UNIT_LIMIT,
    Unit,
    Units,
    UnitState,
    next_state,
    state_named,
)
from mockserver.vendors.crowdflower.backend.uploads import Upload, column_problem
from mockserver.vendors.crowdflower.errors import (
    ColumnMismatch,
    MissingParameters,
    StateConflict,
    UnitLimitReached,
)

EPOCH = parse_instant("2014-07-22T12:56:09Z")


def build_world(setup: dict[str, Any] | None = None) -> CrowdFlowerWorld:
    rng = Rng("1:crowdflower:key")
    context = Context(
        tenant_id="crowdflower:key",
        credential="key",
        clock=Clock(mode="manual", start=EPOCH),
        scheduler=Scheduler(),
        rng=rng,
        crowd=Crowd(rng.child("crowd")),
        notify=lambda note: None,
        register_upload=lambda token: None,
        strict=False,
        setup=setup or {},
    )
    return CrowdFlowerWorld(context)


@pytest.fixture
def world() -> CrowdFlowerWorld:
    return build_world()


@pytest.fixture
def job(world: CrowdFlowerWorld) -> Job:
    return world.jobs.create({"title": "Sentiment of tweets"})


def rows(*texts: str, **extra: Any) -> Upload:
    return Upload(["text", *extra], [{"text": t, **extra} for t in texts])


def unit(uid: int, state: UnitState = "new", **data: Any) -> Unit:
    return Unit(uid, 1, dict(data), state, EPOCH, EPOCH)


# -- the store -----------------------------------------------------------------------------------


def test_the_store_pages_in_upload_order_and_counts_by_state() -> None:
    store = Units()
    for uid in range(1, 8):
        store.add(unit(uid, "golden" if uid % 3 == 0 else "new", text=str(uid)))
    assert [u.id for u in store.page(1, 3)] == [1, 2, 3]
    assert [u.id for u in store.page(3, 3)] == [7]
    assert store.page(4, 3) == []
    assert (len(store), store.count("new"), store.count("golden", "hidden_gold")) == (7, 5, 2)
    store.move(store.get(1) or unit(0), "canceled", EPOCH + 5)
    assert (store.count("new"), store.count("canceled")) == (4, 1)
    assert (store.get(1) or unit(0)).updated_at == EPOCH + 5


def test_the_store_remembers_columns_in_order_and_forgets_them_when_empty() -> None:
    store = Units()
    first = store.add(unit(1, text="a", _golden="true"))
    store.add_many([unit(2, text="b", url="u"), unit(3, text="c")], ["text", "url", "_golden"])
    store.remember(["lang", "text"])
    assert store.columns == ["text", "url", "lang"]
    for uid in (2, 3):
        store.remove(store.get(uid) or first)
    assert store.columns == ["text", "url", "lang"]
    store.remove(first)
    assert (len(store), store.columns, store.count("new")) == (0, [], 0)


def test_a_batch_is_listed_and_counted_like_single_units() -> None:
    store = Units()
    store.add(unit(1))
    store.add_many([unit(2), unit(3, "golden"), unit(4)], ["text"])
    assert [u.id for u in store] == [1, 2, 3, 4]
    assert (store.count("new"), store.count("golden")) == (3, 1)
    assert store.get(3) is not None and (store.get(3) or unit(0)).golden


# -- state rules ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("current", "data", "state", "golden", "expected"),
    [
        ("new", {}, None, None, "new"),
        ("new", {}, "golden", None, "golden"),
        ("new", {}, " Hidden_Gold ", None, "hidden_gold"),
        ("new", {}, None, "true", "golden"),
        ("new", {}, None, True, "golden"),
        ("new", {"_golden": "TRUE"}, None, None, "golden"),
        ("new", {"_golden": True}, None, None, "golden"),
        ("golden", {}, None, "false", "new"),
        ("hidden_gold", {"_golden": "false"}, None, None, "new"),
        ("judgable", {}, None, "false", "judgable"),
        ("golden", {}, "new", "true", "new"),
        ("new", {}, "", None, "new"),
        ("finalized", {}, "canceled", None, "canceled"),
    ],
)
def test_the_next_state_follows_state_then_golden_then_the_gold_column(
    current: UnitState, data: dict[str, Any], state: Any, golden: Any, expected: str
) -> None:
    assert next_state(current, data, state=state, golden=golden) == expected


@pytest.mark.parametrize("value", ["judging", "judgable", "bogus", ["golden"], {"a": 1}, None])
def test_only_the_documented_states_can_be_set(value: Any) -> None:
    with pytest.raises(InvalidInput) as raised:
        state_named(value)
    assert [e.message for e in raised.value.errors] == [
        "State must be one of new, golden, finalized, canceled, hidden_gold"
    ]


def test_column_problems_name_what_is_missing_and_what_is_unexpected() -> None:
    assert column_problem(["a", "b"], ["b", "a", "_golden"]) is None
    problem = column_problem(["a", "b", "c"], ["a", "x", "y"])
    assert problem is not None
    assert "(missing b, c; unexpected x, y)" in problem
    assert "force=true" in problem


# -- uploads --------------------------------------------------------------------------------------


def test_an_upload_numbers_its_units_from_the_world_sequence(
    world: CrowdFlowerWorld, job: Job
) -> None:
    first = world.add_unit(job, {"text": "by hand"})
    assert world.units.upload(job, rows("a", "b", "c"), force=False) == 3
    ids = [u.id for u in job.units]
    assert ids == [first.id + n for n in range(4)]
    assert world.new_unit_ids(2) == range(first.id + 4, first.id + 6)
    assert all(u.created_at == EPOCH and u.job_id == job.id for u in job.units)


def test_gold_rows_of_an_upload_become_test_questions_without_their_flag(
    world: CrowdFlowerWorld, job: Job
) -> None:
    upload = Upload(
        ["text", "_golden"],
        [{"text": "a", "_golden": "TRUE"}, {"text": "b", "_golden": ""}, {"text": "c"}],
    )
    world.units.upload(job, upload, force=False)
    assert [(u.data, u.state) for u in job.units] == [
        ({"text": "a"}, "golden"),
        ({"text": "b"}, "new"),
        ({"text": "c"}, "new"),
    ]
    assert job.units.columns == ["text"]


def test_an_upload_past_the_limit_adds_nothing() -> None:
    world = build_world({"unit_limit": 3})
    job = world.jobs.create({})
    world.units.upload(job, rows("a", "b"), force=False)
    with pytest.raises(UnitLimitReached) as raised:
        world.units.upload(job, rows("c", "d"), force=False)
    assert raised.value.detail == "This job has reached its limit of 3 units."
    assert len(job.units) == 2
    world.units.upload(job, rows("c"), force=False)
    assert len(job.units) == 3


def test_the_default_limit_is_the_documented_one(world: CrowdFlowerWorld) -> None:
    assert world.unit_limit == DEFAULT_UNIT_LIMIT == 250_000
    with pytest.raises(UnitLimitReached, match="250,000"):
        world.units.make_room(None, 250_001)
    world.units.make_room(None, 250_000)


def test_an_upload_with_other_columns_needs_force(world: CrowdFlowerWorld, job: Job) -> None:
    world.units.upload(job, rows("a"), force=False)
    other = Upload(["title"], [{"title": "x"}])
    with pytest.raises(ColumnMismatch, match=r"missing text; unexpected title"):
        world.units.upload(job, other, force=False)
    assert len(job.units) == 1
    world.units.upload(job, other, force=True)
    assert job.units.columns == ["text", "title"]


def test_an_empty_job_takes_any_columns(world: CrowdFlowerWorld, job: Job) -> None:
    world.units.upload(job, Upload(["title"], [{"title": "x"}]), force=False)
    assert len(job.units) == 1


# -- one unit -------------------------------------------------------------------------------------


def test_create_needs_data_and_a_settable_state(world: CrowdFlowerWorld, job: Job) -> None:
    with pytest.raises(MissingParameters):
        world.units.create(job, {}, state=None, golden=None)
    with pytest.raises(InvalidInput):
        world.units.create(job, {"text": "a"}, state="judging", golden=None)
    assert len(job.units) == 0
    made = world.units.create(job, {"text": "a", "_golden": "true"}, state=None, golden=None)
    assert (made.state, made.data, job.units.count("golden")) == ("golden", {"text": "a"}, 1)


def test_create_respects_the_limit() -> None:
    world = build_world({"unit_limit": 1})
    job = world.jobs.create({})
    world.units.create(job, {"text": "a"}, state=None, golden=None)
    with pytest.raises(UnitLimitReached):
        world.units.create(job, {"text": "b"}, state=None, golden=None)
    assert len(job.units) == 1


def test_update_merges_data_and_moves_the_counters(world: CrowdFlowerWorld, job: Job) -> None:
    made = world.units.create(job, {"text": "a", "lang": "en"}, state=None, golden=None)
    world.context.clock.advance(30)
    world.units.update(job, made, {"text": "b", "url": "u"}, state=None, golden="true")
    assert made.data == {"text": "b", "lang": "en", "url": "u"}
    assert (made.state, made.updated_at, made.created_at) == ("golden", EPOCH + 30, EPOCH)
    assert (job.units.count("new"), job.units.count("golden")) == (0, 1)
    assert job.units.columns == ["text", "lang", "url"]
    with pytest.raises(InvalidInput):
        world.units.update(job, made, {"text": "c"}, state="judged", golden=None)
    assert (made.data["text"], made.state) == ("b", "golden")


def test_a_unit_with_judgments_cannot_be_deleted(world: CrowdFlowerWorld, job: Job) -> None:
    made = world.units.create(job, {"text": "a"}, state=None, golden=None)
    made.judgments_count = 1
    with pytest.raises(StateConflict, match=f"Unit {made.id} has judgments"):
        world.units.delete(job, made)
    assert len(job.units) == 1
    made.judgments_count = 0
    world.units.delete(job, made)
    assert (len(job.units), job.units.get(made.id)) == (0, None)


@pytest.mark.parametrize(
    ("state", "judgments", "cancels"),
    [
        ("new", 0, True),
        ("judgable", 0, True),
        ("judgable", 1, False),
        ("judging", 0, False),
        ("finalized", 0, False),
        ("golden", 0, False),
        ("canceled", 0, False),
    ],
)
def test_only_new_or_judgable_units_without_judgments_cancel(
    world: CrowdFlowerWorld, job: Job, state: UnitState, judgments: int, cancels: bool
) -> None:
    made = job.units.add(unit(world.new_unit_ids(1)[0], state, text="a"))
    made.judgments_count = judgments
    result = world.units.cancel(job, made)
    if cancels:
        assert result.success == f"Unit {made.id} has been canceled."
        assert (made.state, job.units.count("canceled")) == ("canceled", 1)
    else:
        assert result.success is None and result.error is not None
        assert made.state == state


def test_a_copy_keeps_gold_and_takes_overrides(world: CrowdFlowerWorld, job: Job) -> None:
    other = world.jobs.create({})
    gold = world.units.create(job, {"text": "a", "x_gold": "1"}, state="hidden_gold", golden=None)
    plain = world.units.create(job, {"text": "b"}, state="finalized", golden=None)
    copied = world.units.copy(gold, other, {"text": "c"})
    assert (copied.job_id, copied.state, copied.data) == (
        other.id,
        "hidden_gold",
        {"text": "c", "x_gold": "1"},
    )
    assert gold.data == {"text": "a", "x_gold": "1"}
    again = world.units.copy(plain, job, {"_golden": "true"})
    assert (again.state, again.data, len(job.units)) == ("golden", {"text": "b"}, 3)
    assert world.units.copy(plain, job, {}).state == "new"


def test_split_turns_pieces_of_new_units_into_new_units(world: CrowdFlowerWorld, job: Job) -> None:
    upload = Upload(
        ["text", "n"],
        [{"text": "a b  c", "n": "1"}, {"text": "single", "n": "2"}, {"text": "d|e", "n": "3"}],
    )
    world.units.upload(job, upload, force=False)
    gold = world.units.create(job, {"text": "g h", "n": "4"}, state="golden", golden=None)
    assert world.units.split(job, "text", " ") == 2
    assert [u.data for u in job.units] == [
        {"text": "a", "n": "1"},
        {"text": "single", "n": "2"},
        {"text": "d|e", "n": "3"},
        {"text": "g h", "n": "4"},
        {"text": "b", "n": "1"},
        {"text": "c", "n": "1"},
    ]
    assert gold.data["text"] == "g h"
    assert world.units.split(job, "text", "|") == 1
    assert world.units.split(job, "missing", " ") == 0


def test_a_split_past_the_limit_changes_nothing() -> None:
    world = build_world({"unit_limit": 3})
    job = world.jobs.create({})
    world.units.upload(job, rows("a b c d"), force=False)
    with pytest.raises(UnitLimitReached):
        world.units.split(job, "text", " ")
    assert [u.data for u in job.units] == [{"text": "a b c d"}]


@pytest.mark.parametrize(("count", "error"), [("0", InvalidInput), ("x", InvalidInput)])
def test_more_judgments_need_a_positive_count(
    world: CrowdFlowerWorld, job: Job, count: Any, error: type[Exception]
) -> None:
    made = world.units.create(job, {"text": "a"}, state=None, golden=None)
    with pytest.raises(error):
        world.units.request_more_judgments(job, made, count)
    assert made.extra_judgments == 0


def test_more_judgments_add_up_on_the_unit(world: CrowdFlowerWorld, job: Job) -> None:
    made = world.units.create(job, {"text": "a"}, state=None, golden=None)
    world.units.request_more_judgments(job, made, "2")
    world.units.request_more_judgments(job, made, 3)
    world.units.request_more_judgments(job, made, None)  # the Ruby gem's default: one more
    assert made.extra_judgments == 6
    canceled = world.units.create(job, {"text": "b"}, state="canceled", golden=None)
    world.units.request_more_judgments(job, canceled, "1")
    assert (canceled.state, judgments_needed(job, canceled)) == ("canceled", 0)


def test_the_setup_chooses_strict_unit_data() -> None:
    assert build_world().strict_unit_data is False
    assert build_world({"unit_data_json": "strict"}).strict_unit_data is True
    assert build_world({"unit_data_json": "lenient"}).strict_unit_data is False


def test_a_large_upload_is_counted_and_paged_without_walking_the_job(
    world: CrowdFlowerWorld, job: Job
) -> None:
    upload = Upload(["text"], [{"text": str(i)} for i in range(20_000)])
    world.units.upload(job, upload, force=False)
    assert (len(job.units), job.units.count("new")) == (20_000, 20_000)
    last = job.units.page(20, 1000)
    assert [u.data["text"] for u in last[-2:]] == ["19998", "19999"]
    assert job.units.page(21, 1000) == []


def test_the_store_keeps_its_test_questions_indexed() -> None:
    from mockserver.vendors.crowdflower.backend.units import Unit, Units

    units = Units()
    plain = units.add(Unit(1, 9, {"a": "x"}, "new", 0.0, 0.0))
    units.add_many(
        [Unit(2, 9, {"a": "y"}, "golden", 0.0, 0.0), Unit(3, 9, {"a": "z"}, "new", 0.0, 0.0)], ["a"]
    )
    assert [u.id for u in units.golds()] == [2]
    units.move(plain, "hidden_gold", 1.0)
    assert [u.id for u in units.golds()] == [2, 1]
    gold = units.get(2)
    assert gold is not None
    units.move(gold, "new", 2.0)
    units.remove(plain)
    assert units.golds() == []

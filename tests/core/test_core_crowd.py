"""The simulated workforce: seeded identities, traits in range, answers right at ``accuracy``."""

from __future__ import annotations

import re

import pytest

from mockserver.core.crowd import POOL_SIZE, Crowd, Worker
from mockserver.core.rng import Rng


@pytest.fixture(scope="module")
def workers() -> list[Worker]:
    return Crowd(Rng(21)).workers


def test_same_seed_gives_the_same_workers(workers: list[Worker]) -> None:
    assert Crowd(Rng(21)).workers == workers


def test_different_seeds_give_different_workers(workers: list[Worker]) -> None:
    other = Crowd(Rng(22)).workers
    assert [w.id for w in other] != [w.id for w in workers]
    assert [w.email for w in other] != [w.email for w in workers]


def test_pool_size_and_unique_ids(workers: list[Worker]) -> None:
    assert len(workers) == POOL_SIZE
    assert len({w.id for w in workers}) == POOL_SIZE
    assert all(w.id.isdigit() for w in workers)


def test_pool_of_a_hundred_still_has_unique_ids() -> None:
    crowd = Crowd(Rng(23), size=100)
    assert len({w.id for w in crowd.workers}) == 100


def test_emails_use_the_name_and_domain() -> None:
    crowd = Crowd(Rng(24), size=10, domain="labelers.test")
    for worker in crowd.workers:
        first, last = worker.name.lower().split(" ", 1)
        assert worker.email == f"{first}.{last}@labelers.test"
        assert re.fullmatch(r"[^@\s]+@labelers\.test", worker.email)


def test_traits_are_in_range(workers: list[Worker]) -> None:
    for worker in workers:
        assert 0.55 <= worker.accuracy <= 0.99
        assert 0.5 <= worker.trust <= 1.0
        assert abs(worker.trust - worker.accuracy) <= 0.05 + 1e-9
        assert 20.0 <= worker.speed <= 240.0
        assert len(worker.country) == 2 and worker.country.isupper()
        assert worker.city


def test_workers_differ_in_their_traits(workers: list[Worker]) -> None:
    assert len({w.accuracy for w in workers}) > 10
    assert len({w.speed for w in workers}) > 10


def test_as_dict_has_every_field(workers: list[Worker]) -> None:
    data = workers[0].as_dict()
    assert set(data) == {
        "id",
        "name",
        "email",
        "country",
        "country3",
        "region",
        "city",
        "trust",
        "accuracy",
        "speed",
    }
    assert data["id"] == workers[0].id


def test_country_codes_are_paired(workers: list[Worker]) -> None:
    from mockserver.core.crowd import COUNTRIES

    pairs = set(COUNTRIES)
    assert all((w.country, w.country3) in pairs for w in workers)
    assert len({w.country for w in workers}) > 3


def test_get_finds_by_id() -> None:
    crowd = Crowd(Rng(25), size=5)
    target = crowd.workers[3]
    assert crowd.get(target.id) is target
    assert crowd.get("nobody") is None


def test_pick_returns_distinct_workers_of_the_pool() -> None:
    crowd = Crowd(Rng(26), size=10)
    for count in (1, 3, 10):
        picked = crowd.pick(count)
        assert len(picked) == count
        assert len({w.id for w in picked}) == count
        assert all(w in crowd.workers for w in picked)


def test_pick_more_than_the_pool_returns_the_whole_pool() -> None:
    crowd = Crowd(Rng(27), size=4)
    assert sorted(w.id for w in crowd.pick(9)) == sorted(w.id for w in crowd.workers)


def test_pick_is_seeded() -> None:
    first = [w.id for w in Crowd(Rng(28), size=8).pick(3)]
    again = [w.id for w in Crowd(Rng(28), size=8).pick(3)]
    assert first == again


def test_answers_are_right_at_about_the_worker_accuracy(workers: list[Worker]) -> None:
    crowd = Crowd(Rng(29), size=3)
    options = ["cat", "dog", "bird", "fish"]
    for worker in (min(workers, key=lambda w: w.accuracy), max(workers, key=lambda w: w.accuracy)):
        answers = [crowd.answer(worker, options, truth="dog") for _ in range(4000)]
        right = answers.count("dog") / len(answers)
        assert abs(right - worker.accuracy) < 0.03
        wrong = {a for a in answers if a != "dog"}
        assert wrong <= {"cat", "bird", "fish"}
        if worker.accuracy < 0.95:
            assert wrong == {"cat", "bird", "fish"}


def test_a_single_option_is_always_the_truth(workers: list[Worker]) -> None:
    crowd = Crowd(Rng(30), size=1)
    worst = min(workers, key=lambda w: w.accuracy)
    assert {crowd.answer(worst, ["only"], truth="only") for _ in range(200)} == {"only"}


def test_without_a_truth_any_option_may_come_back(workers: list[Worker]) -> None:
    crowd = Crowd(Rng(31), size=1)
    answers = {crowd.answer(workers[0], ["a", "b", "c"]) for _ in range(300)}
    assert answers == {"a", "b", "c"}


def test_is_right_matches_accuracy(workers: list[Worker]) -> None:
    crowd = Crowd(Rng(32), size=1)
    worker = workers[0]
    rate = sum(crowd.is_right(worker) for _ in range(4000)) / 4000
    assert abs(rate - worker.accuracy) < 0.03


def test_durations_are_positive_and_scale_with_task_size(workers: list[Worker]) -> None:
    crowd = Crowd(Rng(33), size=1)
    worker = workers[0]
    small = [crowd.duration(worker) for _ in range(2000)]
    large = [crowd.duration(worker, scale=4.0) for _ in range(2000)]
    assert min(small) >= worker.speed * 0.2
    assert min(large) >= worker.speed * 4.0 * 0.2
    mean_small = sum(small) / len(small)
    assert abs(mean_small - worker.speed) < worker.speed * 0.05
    assert sum(large) / len(large) == pytest.approx(4 * mean_small, rel=0.05)


def test_jitter_stays_within_spread() -> None:
    crowd = Crowd(Rng(34), size=1)
    values = [crowd.jitter(100.0, 5.0) for _ in range(500)]
    assert all(95.0 <= v <= 105.0 for v in values)
    assert max(values) - min(values) > 5.0


def test_workers_are_recruited_lazily_without_touching_the_rng_before() -> None:
    eager, lazy = Rng(35), Rng(35)
    Crowd(lazy)
    assert eager.uuid4() == lazy.uuid4()

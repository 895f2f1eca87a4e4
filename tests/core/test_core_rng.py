"""Seeded randomness: the same seed gives the same ids and choices, other seeds others."""

from __future__ import annotations

import string
import uuid

import pytest

from mockserver.core.rng import Rng


def draws(rng: Rng) -> list[object]:
    return [
        rng.uuid4(),
        rng.token(),
        rng.hex(12),
        rng.integer(1, 1_000_000),
        rng.uniform(0, 1),
        rng.gauss(0, 1),
        rng.chance(0.5),
        rng.choice("abcdefgh"),
        rng.sample(range(100), 5),
    ]


def test_same_seed_gives_the_same_sequence() -> None:
    assert draws(Rng(42)) == draws(Rng(42))
    assert draws(Rng("0:cloudfactory:key")) == draws(Rng("0:cloudfactory:key"))


def test_different_seeds_differ() -> None:
    assert Rng(1).uuid4() != Rng(2).uuid4()
    assert Rng("0:vendor:a").token() != Rng("0:vendor:b").token()


def test_uuid4_is_a_valid_version_4_uuid() -> None:
    rng = Rng(3)
    ids = [rng.uuid4() for _ in range(200)]
    for text in ids:
        parsed = uuid.UUID(text)
        assert parsed.version == 4
        assert parsed.variant == uuid.RFC_4122
        assert str(parsed) == text
    assert len(set(ids)) == len(ids)


def test_token_length_and_alphabet() -> None:
    rng = Rng(4)
    assert len(rng.token()) == 32
    token = rng.token(500)
    assert len(token) == 500
    assert set(token) <= set(string.ascii_letters + string.digits)


@pytest.mark.parametrize("length", [1, 8, 24, 40])
def test_hex_has_exact_length(length: int) -> None:
    rng = Rng(5)
    for _ in range(50):
        value = rng.hex(length)
        assert len(value) == length
        int(value, 16)


def test_integer_stays_within_inclusive_bounds() -> None:
    rng = Rng(6)
    values = {rng.integer(1, 3) for _ in range(300)}
    assert values == {1, 2, 3}


def test_chance_extremes() -> None:
    rng = Rng(7)
    assert not any(rng.chance(0.0) for _ in range(200))
    assert all(rng.chance(1.0) for _ in range(200))


def test_sample_is_distinct() -> None:
    picked = Rng(8).sample(list(range(10)), 10)
    assert sorted(picked) == list(range(10))


def test_child_streams_are_deterministic() -> None:
    a, b = Rng(9), Rng(9)
    assert draws(a.child("crowd")) == draws(b.child("crowd"))


def test_child_streams_differ_by_label_and_from_the_parent() -> None:
    parent = Rng(10)
    crowd = Rng(10).child("crowd")
    other = Rng(10).child("other")
    assert crowd.uuid4() != other.uuid4()
    assert Rng(10).child("crowd").uuid4() != parent.uuid4()


def test_a_child_and_its_draws_leave_the_parent_stream_as_it_was() -> None:
    plain, forked = Rng(11), Rng(11)
    child = forked.child("x")
    draws(child)
    assert draws(plain) == draws(forked)


def test_a_generator_is_made_only_by_a_first_draw() -> None:
    """An idle tenant (and its crowd) must not carry a Mersenne Twister's 2.5 KB."""
    rng = Rng(12)
    child = rng.child("crowd")
    assert (rng._random, child._random) == (None, None)
    child.hex(8)
    assert rng._random is None and child._random is not None

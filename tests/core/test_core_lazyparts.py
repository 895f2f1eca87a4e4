"""Worlds whose parts are made when first used: kept once made, exported all the same."""

from __future__ import annotations

import gc
import pickle

from mockserver.core.lazyparts import LazyParts, part


class Registry:
    def __init__(self) -> None:
        self.items: list[str] = []


class World(LazyParts):
    """A world with two parts, the second made from the first."""

    def __init__(self, name: str) -> None:
        self.name = name

    @part
    def first(self) -> Registry:
        return Registry()

    @part
    def second(self) -> tuple[Registry, str]:
        return (self.first, self.name)


def test_a_part_is_made_on_first_use_and_then_kept() -> None:
    world = World("w")
    world.first.items.append("kept")
    assert world.first.items == ["kept"]
    assert world.second[0] is world.first


def test_a_world_that_used_its_parts_makes_no_dict_for_them() -> None:
    world = World("w")
    assert world.first is not None and world.second is not None
    assert not any(type(o) is dict and o.get("name") == "w" for o in gc.get_referents(world))


def test_an_export_does_not_depend_on_which_parts_were_used() -> None:
    untouched, used = World("w"), World("w")
    assert used.second is not None  # makes both, second first
    assert pickle.dumps(untouched) == pickle.dumps(used)
    restored = pickle.loads(pickle.dumps(used))
    assert restored.second[0] is restored.first

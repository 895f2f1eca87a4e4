"""Sets of samples that keep their own order and counts.

A dataset, each label it uses, each started team task and each member's share of
one is a ``SampleView``: its samples in upload order, overall and per state, with
a tally of the labels they carry per state. Every change of a sample's state or
labels moves it in each view it belongs to, so a page is a slice and a statistic
is read off a counter: the work follows the page, not the size of the dataset.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Protocol

from mockserver.core.memo import Memo

SAMPLE_STATES = (  # FOUND: the documented sample states
    "__ALL__",
    "__NONE__",
    "__UNCHECK__",
    "__ACCEPTED__",
    "__REJECTED__",
    "__UNREVIEWED__",
    "__REVIEWED__",
    "__WORKFORCE_SAMPLED__",
    "__WORKFORCE_SAMPLED_UNCHECK__",
    "__WORKFORCE_SAMPLED_CHECKED__",
    "__WORKFORCE_SAMPLED_ACCEPTED__",
    "__WORKFORCE_SAMPLED_REJECTED__",
    "__AUTO_ANNOTATION__",
)


class Indexed(Protocol):
    """What a view needs of a sample."""

    @property
    def id(self) -> str: ...

    @property
    def seq(self) -> int: ...

    @property
    def status(self) -> str: ...

    @property
    def labels(self) -> Sequence[Mapping[str, Any]]: ...


class Ordered:
    """Ids in upload order: a page is a slice; a sample finds its place by bisection."""

    __slots__ = ("seqs", "ids")

    def __init__(self) -> None:
        self.seqs: list[int] = []
        self.ids: list[str] = []

    def __len__(self) -> int:
        return len(self.ids)

    def insert(self, sample: Indexed) -> None:
        if not self.seqs or sample.seq > self.seqs[-1]:  # uploads arrive in order
            self.seqs.append(sample.seq)
            self.ids.append(sample.id)
            return
        position = bisect.bisect_left(self.seqs, sample.seq)
        self.seqs.insert(position, sample.seq)
        self.ids.insert(position, sample.id)

    def remove(self, sample: Indexed) -> None:
        position = bisect.bisect_left(self.seqs, sample.seq)
        del self.seqs[position]
        del self.ids[position]


def label_names(sample: Indexed) -> list[str]:
    return [str(label.get("name")) for label in sample.labels]


class SampleView:
    """Samples in upload order, per state too, with label counts per state.

    ``removed`` counts members deleted from the dataset while they belonged here
    (a team task reports them as deleted samples). ``revision`` counts the changes of
    membership, state and labels, which ``shown`` keeps answers made from them by.
    """

    __slots__ = ("order", "states", "tally", "removed", "revision", "shown")

    def __init__(self) -> None:
        self.order = Ordered()
        self.states: dict[str, Ordered] = {}
        # state -> label name -> [times carried, samples carrying it]
        self.tally: dict[str, dict[str, list[int]]] = {}
        self.removed = 0
        self.revision = 0
        self.shown: Memo[Any] = Memo()

    def __len__(self) -> int:
        return len(self.order)

    def count(self, state: str) -> int:
        index = self.states.get(state)
        return len(index) if index is not None else 0

    def ids(self, state: str | None = None) -> list[str]:
        """Every member id in upload order (in ``state`` only, when given)."""
        if state is None:
            return self.order.ids
        index = self.states.get(state)
        return index.ids if index is not None else []

    def enter(self, sample: Indexed) -> None:
        self.order.insert(sample)
        self.count_in(sample)

    def leave(self, sample: Indexed) -> None:
        self.order.remove(sample)
        self.count_out(sample)

    def count_in(self, sample: Indexed) -> None:
        """Counts a member under its current state and labels."""
        self.revision += 1
        members = self.states.get(sample.status)
        if members is None:  # the first in this state: built only then, as it runs per sample
            members = self.states[sample.status] = Ordered()
        members.insert(sample)
        self._tally(sample, 1)

    def count_out(self, sample: Indexed) -> None:
        """Takes back what ``count_in`` counted (before the state or labels change)."""
        self.revision += 1
        self.states[sample.status].remove(sample)
        self._tally(sample, -1)

    def _tally(self, sample: Indexed, sign: int) -> None:
        carried = label_names(sample)
        if not carried:
            return
        counts = self.tally.setdefault(sample.status, {})
        for name in set(carried):
            pair = counts.setdefault(name, [0, 0])
            pair[0] += sign * carried.count(name)
            pair[1] += sign

    def state_counts(self) -> dict[str, int]:
        return {state: len(index) for state, index in self.states.items() if index}

    def label_counts(self, name: str, state: str | None = None) -> tuple[int, int]:
        """How many times the members (in ``state``) carry ``name``, and how many carry it."""
        states: Iterable[str] = self.tally if state is None else (state,)
        carried = samples = 0
        for each in states:
            pair = self.tally.get(each, {}).get(name)
            if pair is not None:
                carried += pair[0]
                samples += pair[1]
        return carried, samples

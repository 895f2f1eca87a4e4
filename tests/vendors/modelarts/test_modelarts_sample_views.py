"""The counting sample views stay equal to a recount after any sequence of changes.

Pages, statistics and worker-task views read these views instead of walking the
dataset; if a view drifted, a page or a count would lie.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from mockserver.vendors.modelarts.backend.sample_views import SampleView
from mockserver.vendors.modelarts.backend.samples import DatasetSamples, Sample

STATES = ("__NONE__", "__ALL__", "__UNREVIEWED__", "__UNCHECK__")
NAMES = ("cat", "dog", "fox")

labels = st.lists(st.sampled_from(NAMES), max_size=3).map(
    lambda names: [{"name": name, "annotated_by": f"by-{name}"} for name in names]
)
operations = st.lists(
    st.one_of(
        st.tuples(st.just("add"), st.sampled_from(STATES), labels),
        st.tuples(st.just("change"), st.integers(0, 40), st.sampled_from(STATES), labels),
        st.tuples(st.just("remove"), st.integers(0, 40)),
        st.tuples(st.just("join"), st.integers(0, 40), st.integers(0, 1)),
        st.tuples(st.just("part"), st.integers(0, 40), st.integers(0, 1)),
    ),
    max_size=60,
)


def _sample(seq: int, status: str, carried: list[dict[str, Any]]) -> Sample:
    return Sample(
        id=f"s{seq:03d}",
        seq=seq,
        name=f"s{seq:03d}.png",
        sample_type=0,
        status=status,
        sample_dir="/bucket/in/",
        size=1,
        time=0,
        labels=carried,
    )


def _assert_counts(view: SampleView, members: list[Sample]) -> None:
    assert view.ids() == [sample.id for sample in members]
    for state in STATES:
        assert view.ids(state) == [s.id for s in members if s.status == state]
    for name in NAMES:
        for state in (None, *STATES):
            chosen = [s for s in members if state is None or s.status == state]
            carried = [[label["name"] for label in s.labels] for s in chosen]
            expected = (
                sum(names.count(name) for names in carried),
                sum(name in names for names in carried),
            )
            assert view.label_counts(name, state) == expected


@settings(max_examples=150, deadline=None)
@given(operations)
def test_views_match_a_recount(steps: list[tuple[Any, ...]]) -> None:
    held = DatasetSamples()
    teams = (SampleView(), SampleView())
    removed = [0, 0]
    made: list[Sample] = []  # every sample ever added, in upload order
    for step in steps:
        alive = [sample for sample in made if sample.id in held.by_id]
        if step[0] == "add":
            sample = _sample(len(made) + 1, step[1], step[2])
            made.append(sample)
            held.add(sample)
            continue
        if not alive:
            continue
        sample = alive[step[1] % len(alive)]
        if step[0] == "change":
            held.change(sample, step[2], step[3])
        elif step[0] == "remove":
            for index, team in enumerate(teams):
                removed[index] += any(view is team for view in sample.views)
            held.remove(sample)
        elif step[0] == "join" and not any(view is teams[step[2]] for view in sample.views):
            held.join(sample, teams[step[2]])
        elif step[0] == "part" and any(view is teams[step[2]] for view in sample.views):
            held.part(sample, teams[step[2]])

    alive = [sample for sample in made if sample.id in held.by_id]
    _assert_counts(held.whole, alive)
    for name in NAMES:
        carrying = [s for s in alive if any(label["name"] == name for label in s.labels)]
        _assert_counts(held.label_view(name), carrying)
        assert (name in held.by_label) == bool(carrying)
    for index, team in enumerate(teams):
        _assert_counts(team, [s for s in alive if any(view is team for view in s.views)])
        assert team.removed == removed[index]
    expected_labelers = Counter(
        label["annotated_by"] for sample in alive for label in sample.labels
    )
    assert +held.labelers == expected_labelers

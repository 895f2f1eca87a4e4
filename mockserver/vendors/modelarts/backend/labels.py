"""Dataset labels, one at a time, and the label and sample statistics.

FOUND: a label is ``name``, ``type``, ``attributes[]`` and a ``property`` map; label
types are the dataset types without ``400``/``900``, plus ``103`` (text triplet
entity); UpdateLabels renames a label through ``@modelarts:rename_to``; DeleteLabels
takes ``delete_policy`` ``0`` (label only), ``1`` (and the samples that only carry
it) or ``2`` (and their source files); statistics list each label with ``count`` and
``sample_count`` and count samples per state.

INFERRED: labels are told apart by name; a ``label_type`` given with a single label
must be that label's type; an update merges the given fields into the label, and a
given ``property`` map into its ``property``; ``@modelarts:rename_to`` is consumed
(not kept); ``count`` is how many times samples carry the label and ``sample_count``
how many samples carry it; ``sample_stats`` always holds ``__ALL__`` (labeled),
``__NONE__`` (unlabeled) and ``__AUTO_ANNOTATION__`` (to confirm), plus any other
state a sample is in; deleting a label with its samples removes the samples that
carry no other label, and samples that carry others keep the deleted label.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ..errors import LabelMissing, ParameterInvalid
from .sample_views import Indexed, SampleView

LABEL_TYPES = (0, 1, 3, 100, 101, 102, 103, 200, 201, 202, 600)
RENAME_TO = "@modelarts:rename_to"
DELETE_POLICIES = (0, 1, 2)
REPORTED_STATES = ("__ALL__", "__NONE__", "__AUTO_ANNOTATION__")


def at(where: str, rest: str) -> str:
    """The field ``rest`` inside ``where`` (``""`` is the body itself)."""
    return f"{where}.{rest}" if where else rest


def check_label(label: Mapping[str, Any], where: str) -> str:
    """The label's name; refuses a type that is not a label type, naming the field."""
    name = str(label["name"])
    if "type" in label and label["type"] not in LABEL_TYPES:
        raise ParameterInvalid(f"{at(where, 'type')}: {label['type']!r} is not a label type")
    return name


def position(
    labels: Sequence[Mapping[str, Any]], name: str, where: str, label_type: int | None = None
) -> int:
    """Where the label named ``name`` (of ``label_type``, if given) is kept."""
    for index, label in enumerate(labels):
        if str(label["name"]) == name and (label_type is None or label.get("type") == label_type):
            return index
    kind = f" of type {label_type}" if label_type is not None else ""
    raise LabelMissing(f"{where}: the label {name!r}{kind} does not exist")


def new_name(changes: Mapping[str, Any], where: str) -> str | None:
    """The ``@modelarts:rename_to`` an update asks for, if any."""
    props = changes.get("property")
    if not isinstance(props, Mapping) or RENAME_TO not in props:
        return None
    target = props[RENAME_TO]
    if not isinstance(target, str) or not target:
        field_name = at(where, f"property.{RENAME_TO}")
        raise ParameterInvalid(f"{field_name}: must be a non-empty string")
    return target


def merged(label: Mapping[str, Any], changes: Mapping[str, Any]) -> dict[str, Any]:
    """``label`` with ``changes`` applied: fields replaced, ``property`` merged, renamed."""
    kept = {key: value for key, value in changes.items() if key not in ("name", "property")}
    result = {**label, **kept}
    given = changes.get("property")
    if isinstance(given, Mapping):
        props = {**label.get("property", {}), **given}
        target = props.pop(RENAME_TO, None)
        result["property"] = props
        if target is not None:
            result["name"] = target
    return result


def statistics(
    labels: Sequence[Mapping[str, Any]], view: SampleView, state: str | None = None
) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """``label_stats`` (each label with ``count`` and ``sample_count``) and ``sample_stats``.

    ``sample_stats`` counts every sample of the view by its state; the label counts
    take in only the samples in ``state`` when one is given.
    """
    states = dict.fromkeys(REPORTED_STATES, 0)
    states.update(view.state_counts())
    label_stats = []
    for label in labels:
        count, sample_count = view.label_counts(str(label["name"]), state)
        label_stats.append({**label, "count": count, "sample_count": sample_count})
    return label_stats, states


def only_carrying(samples: Iterable[Indexed], name: str) -> list[Any]:
    """The samples whose every label is ``name`` (what deleting it with its samples removes)."""
    return [
        sample
        for sample in samples
        if sample.labels and all(str(label.get("name")) == name for label in sample.labels)
    ]

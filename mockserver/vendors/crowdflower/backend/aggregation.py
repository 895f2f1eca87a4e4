"""Aggregating a unit's trusted answers into its result, per CML field.

FOUND (aggregation docs): ``agg`` is the top answer with a ``confidence`` in 0..1,
the agreement weighted by worker trust (default for radios, checkboxes, select);
``all`` keeps every trusted answer (text); ``avg`` is the numeric mean (ratings);
``agg_x`` the top x answers; ``cagg_x`` the answers whose confidence is at least x.
INFERRED: a checkboxes answer votes as its whole selection; ``avg`` also reports
the variance; box and text-annotation aggregations fall back to ``agg``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..cml import Field, aggregation_kind


def aggregate(field: Field, answers: Sequence[tuple[Any, float]]) -> dict[str, Any] | None:
    """The field's result from ``(answer, trust)`` pairs; None when nobody answered."""
    given = [(a, t) for a, t in answers if a is not None and a != ""]
    if not given:
        return None
    kind, threshold = aggregation_kind(field.aggregation)
    if kind == "all":
        return {"agg": [a for a, _ in given], "confidence": 1.0}
    if kind == "avg":
        return _average(given)
    ranked = _ranked(given)
    top, top_confidence = ranked[0]
    if kind == "agg_x":
        count = int(threshold or 1)
        return {"agg": [a for a, _ in ranked[:count]], "confidence": top_confidence}
    if kind == "cagg_x":
        floor = threshold or 0.0
        return {"agg": [a for a, c in ranked if c >= floor], "confidence": top_confidence}
    return {"agg": top, "confidence": top_confidence}


def _ranked(given: Sequence[tuple[Any, float]]) -> list[tuple[Any, float]]:
    scores: dict[Any, float] = {}
    for answer, trust in given:
        key = "\n".join(answer) if isinstance(answer, list) else answer
        scores[key] = scores.get(key, 0.0) + trust
    total = sum(scores.values()) or 1.0
    ranked = sorted(scores.items(), key=lambda item: (-item[1], str(item[0])))
    return [(answer, round(score / total, 4)) for answer, score in ranked]


def _average(given: Sequence[tuple[Any, float]]) -> dict[str, Any] | None:
    numbers = []
    for answer, trust in given:
        try:
            numbers.append((float(answer), trust))
        except (TypeError, ValueError):
            continue
    if not numbers:
        return None
    weight = sum(t for _, t in numbers) or 1.0
    mean = sum(v * t for v, t in numbers) / weight
    variance = sum(t * (v - mean) ** 2 for v, t in numbers) / weight
    return {"agg": round(mean, 4), "confidence": 1.0, "variance": round(variance, 4)}

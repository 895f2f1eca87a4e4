"""Judgments and unit results as the API shows them (pure dict builders).

FOUND (documented examples): the judgment object's keys, a unit's ``results`` with
one entry per answered field plus ``judgments``, and the judgments listing keyed by
unit id with ``_ids`` and per-field ``res``/``agg``/``confidence``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .views import timestamp

if TYPE_CHECKING:
    from .backend.jobs import Job
    from .backend.judgments import Judgment
    from .backend.units import Unit


def judgment_view(judgment: Judgment, unit: Unit | None) -> dict[str, Any]:
    return {
        "id": judgment.id,
        "job_id": judgment.job_id,
        "unit_id": judgment.unit_id,
        "worker_id": judgment.worker_id,
        "judgment": judgment.index,
        "data": judgment.data,
        "unit_data": None if unit is None else unit.data,
        "trust": judgment.trust,
        "worker_trust": judgment.worker_trust,
        "golden": judgment.golden,
        "tainted": judgment.tainted,
        "missed": judgment.missed,
        "rejected": True if judgment.rejected else None,  # FOUND: null unless rejected
        "unit_state": None if unit is None else unit.state,
        "external_type": judgment.channel,
        "city": judgment.city,
        "region": judgment.region,
        "country": judgment.country,
        "started_at": timestamp(judgment.started_at),
        "created_at": timestamp(judgment.created_at),
        "ip": judgment.ip,
    }


def unit_results(job: Job, unit: Unit, aggregated: dict[str, Any]) -> dict[str, Any]:
    """``results``: each field's aggregate, then every judgment of the unit."""
    judgments = [judgment_view(j, unit) for j in job.judgments.of_unit(unit.id)]
    return {**aggregated, "judgments": judgments}


def unit_document(job: Job, unit: Unit, aggregated: dict[str, Any]) -> dict[str, Any]:
    """The unit object of webhooks and ``GET unit``: source row, state and results."""
    return {
        "id": unit.id,
        "job_id": unit.job_id,
        "data": unit.data,
        "state": unit.state,
        "judgments_count": unit.judgments_count,
        "agreement": unit.agreement,
        "missed_count": unit.missed_count,
        "difficulty": unit.difficulty,
        "created_at": timestamp(unit.created_at),
        "updated_at": timestamp(unit.updated_at),
        "results": unit_results(job, unit, aggregated)
        if aggregated or unit.judgments_count
        else {},
    }


def aggregated_row(job: Job, unit: Unit, aggregated: dict[str, Any]) -> dict[str, Any]:
    """One entry of ``GET /jobs/{id}/judgments``: per-field answers, then the source row."""
    trusted = job.judgments.trusted(unit.id)
    row: dict[str, Any] = {"_ids": [j.id for j in trusted]}
    for name, outcome in aggregated.items():
        row[name] = {"res": [j.data.get(name) for j in trusted], **outcome}
    row.update({k: v for k, v in unit.data.items() if k not in row})
    return row

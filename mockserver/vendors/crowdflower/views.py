"""CrowdFlower's documents as plain dicts, shaped as the real API answered.

The job object keeps the key order and types of a job recorded from the real API in
2014; timestamps are ISO 8601 with ``+00:00`` and whole seconds, as recorded.
"""

from __future__ import annotations

from typing import Any

from mockserver.core.clock import iso_seconds

from .backend.account import Account
from .backend.attributes import DEFAULTS
from .backend.jobs import AVAILABLE_CHANNELS, Job
from .backend.units import GOLD_STATES, Unit


def timestamp(instant: float | None) -> str | None:
    """An instant as CrowdFlower shows it: to the second, ``+00:00`` (as recorded)."""
    return None if instant is None else iso_seconds(instant)


def job_view(job: Job) -> dict[str, Any]:
    golds = job.units.count(*GOLD_STATES)
    computed: dict[str, Any] = {
        "id": job.id,
        "secret": job.secret,
        "state": job.state,
        "created_at": timestamp(job.created_at),
        "updated_at": timestamp(job.updated_at),
        "completed_at": timestamp(job.completed_at),
        "copied_from": job.copied_from,
        "completed": job.state == "finished",
        "gold": {},
        # FOUND (the Ruby gem's integration test): test questions count among the units.
        "units_count": len(job.units),
        "golds_count": golds,
        "judgments_count": job.judgments_count,
        "crowd_costs": job.crowd_costs,
    }
    return {name: computed[name] if name in computed else job[name] for name in DEFAULTS}


def copied_job_view(job: Job) -> dict[str, Any]:
    """FOUND: a copy answers the new job plus a notice."""
    notice = "Job successfully copied. You may add data using one of three methods above."
    return {**job_view(job), "message": {"notice": notice}}


def ping_view(job: Job) -> dict[str, int]:
    """FOUND keys and order (recorded); the counts come from the job's unit counters."""
    golds = job.units.count(*GOLD_STATES)
    ordered = job.units.count("judgable", "judging", "judged", "finalized")
    finalized = job.units.count("finalized")
    return {
        "golden_units": golds,
        "all_units": len(job.units),
        "ordered_units": ordered,
        "completed_units_estimate": finalized,
        "needed_judgments": job.needed_judgments,
        "all_judgments": job.judgments_count,
        "tainted_judgments": job.judgments.tainted,
        "completed_gold_estimate": 0,
        "completed_non_gold_estimate": finalized,
    }


def channels_view(job: Job) -> dict[str, list[str]]:
    return {
        "available_channels": list(dict.fromkeys([*AVAILABLE_CHANNELS, *job.enabled_channels])),
        "enabled_channels": job.enabled_channels,
    }


def tags_view(job: Job) -> list[dict[str, str]]:
    return [{"name": tag} for tag in job.tags]


def account_view(account: Account) -> dict[str, Any]:
    """The fields Appen documented for ``GET /account``; ``balance`` in US cents."""
    return {
        "id": account.id,
        "email": account.email,
        "first_name": account.first_name,
        "last_name": account.last_name,
        "auth_key": account.auth_key,
        "status": "active",
        "created_at": timestamp(account.created_at),
        "balance": account.balance,
        "api_team_id": account.team_id,
    }


def units_page_view(units: list[Unit]) -> dict[str, dict[str, Any]]:
    """FOUND: a page of units is an object keyed by unit id, each the unit's source row."""
    return {str(unit.id): unit.data for unit in units}


def units_ping_view(job: Job) -> dict[str, Any]:
    """FOUND: ``count`` is every row of the job; INFERRED: uploads finish at once."""
    return {"count": len(job.units), "done": True}

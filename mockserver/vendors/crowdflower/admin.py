"""``/_mock/crowdflower/...``: what the sandbox did to a job's contributors, for tests.

Every route takes ``?tenant=crowdflower:<key>``; reading never changes state.
"""

from __future__ import annotations

from typing import Any, cast

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from mockserver.core.context import tenant_for_vendor
from mockserver.core.errors import NotFound
from mockserver.core.wire import JSONBody

from .backend import CrowdFlowerWorld
from .backend.jobs import Job
from .backend.judgments import WorkerRecord
from .backend.workers import Contributor
from .views import timestamp

VENDOR = "crowdflower"


def _world(request: Request) -> CrowdFlowerWorld:
    return cast(CrowdFlowerWorld, tenant_for_vendor(request, VENDOR).world)


def _job(world: CrowdFlowerWorld, ref: str) -> Job:
    try:
        return world.jobs.get(ref)
    except NotFound:
        raise NotFound(f"no job {ref!r}") from None


def worker_view(
    worker_id: int,
    record: WorkerRecord,
    counts: tuple[int, int],
    contributor: Contributor | None,
) -> dict[str, Any]:
    """One worker of a job: their judgments and trust, then what the customer did to them."""
    done = contributor or Contributor(worker_id)
    return {
        "worker_id": worker_id,
        "judgments_count": counts[0],
        "tainted_judgments": counts[1],
        "trust": round(record.trust, 4),
        "golds_seen": record.golds_seen,
        "golds_missed": record.golds_missed,
        "flagged": done.flagged,
        "flag_reason": done.flag_reason,
        "persist": done.persist,
        "flagged_at": timestamp(done.flagged_at),
        "rejected": done.rejected,
        "reject_reason": done.reject_reason,
        "manual": done.manual,
        "rejected_at": timestamp(done.rejected_at),
        "banned_at": timestamp(done.banned_at),
        "approved_at": timestamp(done.approved_at),
        "bonus_cents": done.bonus_cents,
        "bonuses": [
            {"amount_cents": b.cents, "reason": b.reason, "paid_at": timestamp(b.paid_at)}
            for b in done.bonuses
        ],
        "notifications": [
            {"message": m.message, "subject": m.subject, "sent_at": timestamp(m.sent_at)}
            for m in done.messages
        ],
    }


async def job_workers(request: Request) -> Response:
    """Every worker who judged a unit of the job, in the order they first did."""
    world = _world(request)
    job = _job(world, request.path_params["job_id"])
    counts: dict[int, tuple[int, int]] = {}
    for judgment in job.judgments:
        total, tainted = counts.get(judgment.worker_id, (0, 0))
        counts[judgment.worker_id] = (total + 1, tainted + judgment.tainted)
    contributors = world.workers.of_job(job)
    return JSONBody(
        {
            "workers": [
                worker_view(wid, record, counts.get(wid, (0, 0)), contributors.get(wid))
                for wid, record in job.judgments.workers.items()
            ]
        }
    )


routes = [Route("/jobs/{job_id}/workers", job_workers, methods=["GET"])]

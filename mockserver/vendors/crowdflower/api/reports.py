"""Report downloads and regeneration.

FOUND: while a report is generated the download answers 202 with
``{"notice": {"message": "Your CSV is being generated.  Try again in 10 seconds."}}``;
a finished job's reports are ready at once; the body is a zip. INFERRED: regenerate
answers 200 with the body ``OK`` (one client expects exactly that).
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from mockserver.core.contract import contract
from mockserver.core.errors import FieldError, InvalidInput
from mockserver.core.params import flag

from .. import reports
from ..backend.jobs import REPORT_TYPES
from ..wire import params_of
from .common import answer, job_of, world_of

GENERATING = {"notice": {"message": "Your CSV is being generated.  Try again in 10 seconds."}}


def _kind(request: Request) -> str:
    params = params_of(request)
    kind = params.get("type")
    if kind is None:
        return "full" if flag(params.get("full"), default=True) else "aggregated"
    # FOUND: the six types (OAS, RB, PY-CF, R); INFERRED, safe: any other asks for a
    # report that does not exist, and a wrong one silently served would mislead.
    if kind not in REPORT_TYPES:
        raise InvalidInput([FieldError("type", "Type must be one of " + ", ".join(REPORT_TYPES))])
    return str(kind)


@contract(produces=("application/zip", "application/json"), query=("report",))
async def download(request: Request) -> Response:
    job = job_of(request)
    kind = _kind(request)
    world = world_of(request)
    if not world.jobs.report_ready(job, kind):
        return answer(GENERATING, status=202)
    name, body = reports.archive(world, job, kind)
    return Response(
        body,
        media_type="application/zip",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@contract(produces=("text/plain",))
async def regenerate(request: Request) -> Response:
    world_of(request).jobs.regenerate(job_of(request), _kind(request))
    return PlainTextResponse("OK")


routes = [
    Route("/v1/jobs/{job_id}.csv", download, methods=["GET"]),
    Route("/v1/jobs/{job_id}/regenerate", regenerate, methods=["POST"]),
]

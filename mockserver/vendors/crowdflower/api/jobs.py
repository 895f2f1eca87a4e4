"""Jobs: list, create, show, update, delete, copy, ping, state actions, channels, tags.

Paths are relative to ``/v1``; ``.json`` is optional on every segment (the vendor
declares it), and ``{job_id}`` may be a job's alias.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from mockserver.core.contract import contract
from mockserver.core.params import flag, text_list

from .. import cml, views
from ..errors import NothingFound
from ..wire import params_of
from .common import answer, attributes_of, job_of, outcome, page_of, world_of


def _job_params(request: Request) -> dict[str, Any]:
    return attributes_of(params_of(request).get("job"))


@contract(query=("job_page",))
async def list_jobs(request: Request) -> Response:
    """FOUND: ten jobs a page, newest first, ``[]`` past the end; Appen's filters."""
    params = params_of(request)
    state = params.get("state") if isinstance(params.get("state"), str) else None
    jobs = world_of(request).jobs.page(
        page_of(request), state=state, tags=text_list(params.get("tags"))
    )
    return answer([views.job_view(j) for j in jobs])


@contract(body="job", wrap="job", yields={"job_id": "/id"})
async def create_job(request: Request) -> Response:
    """FOUND: 200 (not 201) with the new job, ``unordered``."""
    job = world_of(request).jobs.create(_job_params(request))
    return answer(views.job_view(job))


async def show_job(request: Request) -> Response:
    return answer(views.job_view(job_of(request)))


@contract(body="job", wrap="job")
async def update_job(request: Request) -> Response:
    job = world_of(request).jobs.update(job_of(request), _job_params(request))
    return answer(views.job_view(job))


async def post_to_job(request: Request) -> Response:
    """FOUND (recorded): a POST to a job's own URL is answered 404, not 405."""
    raise NothingFound()


async def delete_job(request: Request) -> Response:
    job = job_of(request)
    world_of(request).jobs.delete(job)
    return answer({"message": {"success": f"Job {job.id} has been deleted."}})  # FOUND


@contract(query=("job_copy",))
async def copy_job(request: Request) -> Response:
    """FOUND: GET or POST; ``all_units`` copies every row, ``gold`` only test questions."""
    source = job_of(request)
    params = params_of(request)
    world = world_of(request)
    copy = world.jobs.create({}, copied_from=source)
    world.copy_units(
        source, copy, all_units=flag(params.get("all_units")), gold=flag(params.get("gold"))
    )
    return answer(views.copied_job_view(copy))


async def ping(request: Request) -> Response:
    return answer(views.ping_view(job_of(request)))


async def legend(request: Request) -> Response:
    """The keys workers' answers will carry, from the job's CML (INFERRED shape)."""
    return answer(cml.legend(cml.parse(job_of(request)["cml"])))


async def pause(request: Request) -> Response:
    return outcome(request, world_of(request).pause(job_of(request)))


async def resume(request: Request) -> Response:
    return outcome(request, world_of(request).resume(job_of(request)))


async def cancel(request: Request) -> Response:
    return outcome(request, world_of(request).cancel(job_of(request)))


async def channels(request: Request) -> Response:
    return answer(views.channels_view(job_of(request)))


@contract(body="channels")
async def enable_channels(request: Request) -> Response:
    """J17: ``channels=<name>`` or ``channels[]=...``; the channels object answers.

    FOUND: channel names depend on the account (the Ruby gem's test orders on
    ``4x4bux_com`` and ``bitcoinget``), so any name is enabled; INFERRED, lenient:
    naming none changes nothing.
    """
    job = job_of(request)
    world_of(request).jobs.enable_channels(job, text_list(params_of(request).get("channels")))
    return answer(views.channels_view(job))


@contract(body="channel")
async def disable_channel(request: Request) -> Response:
    """J18: ``channel_name=<name>``; INFERRED, lenient: naming none changes nothing."""
    job = job_of(request)
    name = params_of(request).get("channel_name")
    if isinstance(name, str) and name.strip():
        world_of(request).jobs.disable_channel(job, name.strip())
    return answer(views.channels_view(job))


@contract(body="tags", query=("tags",))
async def tags(request: Request) -> Response:
    """GET lists; POST adds; PUT replaces; DELETE removes (``tags=a,b`` or ``tags[]``).

    INFERRED: every change answers the resulting list, as GET does.
    """
    job = job_of(request)
    jobs = world_of(request).jobs
    given = text_list(params_of(request).get("tags", params_of(request).get("tag")))
    if request.method == "POST":
        jobs.add_tags(job, given)
    elif request.method == "PUT":
        jobs.set_tags(job, given)
    elif request.method == "DELETE":
        jobs.remove_tags(job, given)
    return answer(views.tags_view(job))


ACTIONS = ["GET", "PUT", "POST"]

routes = [
    Route("/v1/jobs", list_jobs, methods=["GET"]),
    Route("/v1/jobs", create_job, methods=["POST"]),
    Route("/v1/jobs/{job_id}", show_job, methods=["GET"]),
    Route("/v1/jobs/{job_id}", update_job, methods=["PUT"]),
    Route("/v1/jobs/{job_id}", post_to_job, methods=["POST"]),
    Route("/v1/jobs/{job_id}", delete_job, methods=["DELETE"]),
    Route("/v1/jobs/{job_id}/copy", copy_job, methods=["GET", "POST"]),
    Route("/v1/jobs/{job_id}/ping", ping, methods=["GET"]),
    Route("/v1/jobs/{job_id}/legend", legend, methods=["GET"]),
    Route("/v1/jobs/{job_id}/pause", pause, methods=ACTIONS),
    Route("/v1/jobs/{job_id}/resume", resume, methods=ACTIONS),
    Route("/v1/jobs/{job_id}/cancel", cancel, methods=ACTIONS),
    Route("/v1/jobs/{job_id}/channels", channels, methods=["GET"]),
    Route("/v1/jobs/{job_id}/channels", enable_channels, methods=["POST", "PUT"]),
    Route("/v1/jobs/{job_id}/disable_channel", disable_channel, methods=["POST"]),
    Route("/v1/jobs/{job_id}/tags", tags, methods=["GET", "POST", "PUT", "DELETE"]),
]

"""``customer/jobs``: the sign-off jobs waiting for the customer, and their buyoff.

FOUND: ``GET customer/jobs`` answers ``jobs_response`` whose entries carry
``link[0].href`` and ``task.link[0].href``; ``GET customer/jobs/{id}`` answers
``job_response`` with a self ``link``, ``id``, the ``task`` link (rel ``task``),
``customer_ref``, ``items`` (the task's inputs and the worker's outputs) and
``form``; ``PUT customer/jobs/{id}`` with ``job.input.items`` is the buyoff.

INFERRED: the list holds the open jobs only, optionally of one ``task_id`` (the
task's own id or the original id of a clone chain); a job also shows its
``state``, ``created_at`` and, once answered, the customer's ``input``; the
``form`` lists the buyoff items (``accepted``, the Table 1 grades and comments).
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import Scope

from mockserver.core.clock import iso_seconds
from mockserver.core.contract import contract
from mockserver.core.numbers import natural
from mockserver.core.validation import validate

from ..backend.buyoff import Form, form
from ..backend.tasks import Job, JobNotFound, Tasks
from ..backend.templates import FormElement
from ..envelope import CONTEXT, about, envelope, links, prerendered, read_entity, respond, site
from .common import world_of
from .tasks import items_of, items_view


def job_id_of(request: Request) -> int:
    raw = request.path_params["job_id"]
    job_id = natural(raw)
    if job_id is None:
        raise JobNotFound(f"No job {raw}")
    return job_id


def element_view(element: FormElement) -> dict[str, Any]:
    view: dict[str, Any] = {
        "type": element.type,
        "code": element.code,
        "titles": dict(element.titles),
    }
    if element.descriptions:
        view["descriptions"] = dict(element.descriptions)
    view["is_output"] = element.is_output
    view["is_mandatory"] = element.is_mandatory
    if element.options:
        view["options"] = [dict(o) for o in element.options]
    return view


def written_form(scope: Scope, buyoff: Form) -> Any:
    """The buyoff form as answers show it, written once for each media type."""
    media_type = site(scope).media_type
    return buyoff.shown.get(
        media_type,
        None,
        lambda: prerendered(
            media_type, "form", {"elements": [element_view(e) for e in buyoff.elements]}
        ),
    )


def _head(scope: Scope, tasks: Tasks, job: Job) -> dict[str, Any]:
    return {
        "link": links(scope, f"customer/jobs/{job.id}"),
        "id": job.id,
        "task": {"link": links(scope, f"customer/tasks/{job.task_id}", "task")},
        "customer_ref": tasks.tasks[job.task_id].customer_ref,
    }


def entry_view(scope: Scope, tasks: Tasks, job: Job) -> dict[str, Any]:
    return {**_head(scope, tasks, job), "state": job.state}


def job_view(scope: Scope, tasks: Tasks, job: Job) -> dict[str, Any]:
    product = tasks.tasks[job.task_id].template.product
    view = {
        **_head(scope, tasks, job),
        "items": items_view(job.items),
        "form": written_form(scope, form(product)),
        "state": job.state,
        "created_at": iso_seconds(job.created_at),
    }
    if job.answer:
        view["input"] = {"items": items_view(job.answer)}
    return view


async def list_jobs(request: Request) -> Response:
    about(request, "jobs")
    tasks = world_of(request).tasks
    raw = request.query_params.get("task_id")
    # INFERRED: a task_id no task can have lists nothing.
    task_id = None if raw is None else natural(raw.strip())
    found = [] if raw is not None and task_id is None else tasks.open_jobs(task_id)
    entries = [entry_view(request.scope, tasks, j) for j in found]
    return envelope(request.scope, "jobs", {"jobs": entries})


async def show_job(request: Request) -> Response:
    about(request, "job")
    tasks = world_of(request).tasks
    job = tasks.job(job_id_of(request))
    return respond(request.scope, "job", job_view(request.scope, tasks, job))


@contract(body="job", wrap="job")
async def buyoff(request: Request) -> Response:
    about(request, "job")
    tasks = world_of(request).tasks
    job = tasks.job(job_id_of(request))
    body = read_entity(request, "job")
    validate("clickworker", "job", body)
    items = [(code, content or "") for code, content in items_of(body.get("input")) if code]
    tasks.buyoff(job.id, items)
    return respond(request.scope, "job", job_view(request.scope, tasks, job))


routes = [
    Route(f"{CONTEXT}/customer/jobs", list_jobs, methods=["GET"]),
    Route(f"{CONTEXT}/customer/jobs/{{job_id}}", show_job, methods=["GET"]),
    Route(f"{CONTEXT}/customer/jobs/{{job_id}}", buyoff, methods=["PUT"]),
]

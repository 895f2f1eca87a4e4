"""Contributors (workers) of a job: W1 bonus, W2 notify, W3 flag, W4 reject, W5 legacy flags,
W6 the gem's older ban, deban, approve and notifications.

Paths are relative to ``/v1``; ``.json`` is optional on every segment. FOUND: the
paths and parameters (``amount`` in US cents and ``reason``; ``message``;
``flag=<reason>`` with ``persist``, or ``unflag=<reason>``; ``reason`` and
``manual`` for a reject; ``reason`` and ``persist`` for the legacy ``flag`` and
``deflag``), and that each answers an application message. Clients send bonus and
notify as POST (older ones as PUT), and the rest as PUT.

INFERRED: the messages' wording, as ``{"success": {"message": ...}}``; a worker who
has not judged a unit of the job is not found (404); a reject takes effect whether or
not ``manual=true`` is sent (a client sends an empty body), and ``reject=<reason>``
stands for ``reason`` (another client sends that).
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from mockserver.core.contract import contract
from mockserver.core.errors import FieldError, InvalidInput
from mockserver.core.params import flag

from ..backend.jobs import Job
from ..backend.workers import text_of
from ..errors import MissingParameters
from ..wire import params_of
from .common import answer, job_of, world_of


def _worker(request: Request) -> tuple[Job, int]:
    job = job_of(request)
    return job, world_of(request).workers.known(job, request.path_params["worker_id"])


def _said(message: str) -> Response:
    return answer({"success": {"message": message}})


@contract(body="bonus")
async def bonus(request: Request) -> Response:
    """W1: the amount is debited from the account's balance (402 when it falls short)."""
    job, worker_id = _worker(request)
    params = params_of(request)
    paid = world_of(request).workers.bonus(
        job, worker_id, params.get("amount"), params.get("reason")
    )
    return _said(f"Bonus of ${paid.cents / 100:.2f} paid to contributor {worker_id}.")


@contract(body="notify")
async def notify(request: Request) -> Response:
    """W2: ``message`` (required); a ``subject`` is kept when given."""
    job, worker_id = _worker(request)
    params = params_of(request)
    world_of(request).workers.notify(job, worker_id, params.get("message"), params.get("subject"))
    return _said(f"Notification sent to contributor {worker_id}.")


@contract(body="flag")
async def flag_or_unflag(request: Request) -> Response:
    """W3: ``flag=<reason>`` (``persist=true`` across jobs) or ``unflag=<reason>``.

    INFERRED: neither is a missing parameter (400), both at once is refused (422).
    """
    job, worker_id = _worker(request)
    params = params_of(request)
    flag_reason, unflag_reason = text_of(params.get("flag")), text_of(params.get("unflag"))
    if flag_reason is None and unflag_reason is None:  # FOUND: flag= or unflag= (OAS, R)
        raise MissingParameters()
    # INFERRED, safe: no client sends both (R sends one); which one was meant is unknowable.
    if flag_reason is not None and unflag_reason is not None:
        raise InvalidInput([FieldError("flag", "Give either flag or unflag, not both")])
    workers = world_of(request).workers
    if flag_reason is not None:
        workers.flag(job, worker_id, flag_reason, persist=flag(params.get("persist")))
        return _said(f"Contributor {worker_id} has been flagged.")
    workers.unflag(job, worker_id)
    return _said(f"Contributor {worker_id} has been unflagged.")


@contract(body="flag")
async def legacy_flag(request: Request) -> Response:
    """W5: ``flag`` with an optional ``reason`` and ``persist``."""
    job, worker_id = _worker(request)
    params = params_of(request)
    world_of(request).workers.flag(
        job, worker_id, params.get("reason"), persist=flag(params.get("persist"))
    )
    return _said(f"Contributor {worker_id} has been flagged.")


async def legacy_deflag(request: Request) -> Response:
    """W5: ``deflag`` (a ``reason`` may come along; nothing needs it)."""
    job, worker_id = _worker(request)
    world_of(request).workers.unflag(job, worker_id)
    return _said(f"Contributor {worker_id} has been unflagged.")


@contract(body="reject")
async def reject(request: Request) -> Response:
    """W4: the worker's judgments in the job are tainted and their units judged again."""
    job, worker_id = _worker(request)
    params = params_of(request)
    reason = params.get("reason", params.get("reject"))
    world_of(request).workers.reject(job, worker_id, reason, manual=flag(params.get("manual")))
    return _said(f"Contributor {worker_id} has been rejected.")


async def ban(request: Request) -> Response:
    """W6 (legacy): a bare PUT; the worker is kept out of the job."""
    job, worker_id = _worker(request)
    world_of(request).workers.ban(job, worker_id)
    return _said(f"Contributor {worker_id} has been banned.")


async def deban(request: Request) -> Response:
    """W6 (legacy): a bare PUT; the ban is lifted."""
    job, worker_id = _worker(request)
    world_of(request).workers.deban(job, worker_id)
    return _said(f"Contributor {worker_id} has been unbanned.")


async def approve(request: Request) -> Response:
    """W6 (legacy): a bare PUT; the approval is recorded."""
    job, worker_id = _worker(request)
    world_of(request).workers.approve(job, worker_id)
    return _said(f"Contributor {worker_id} has been approved.")


@contract(body="notify")
async def notifications(request: Request) -> Response:
    """W6 (legacy): ``message`` (required), shown in the worker's dashboard as W2's is."""
    job, worker_id = _worker(request)
    world_of(request).workers.notify(job, worker_id, params_of(request).get("message"), None)
    return _said(f"Notification sent to contributor {worker_id}.")


WORKER = "/v1/jobs/{job_id}/workers/{worker_id}"

routes = [
    Route(WORKER, flag_or_unflag, methods=["PUT"]),
    Route(WORKER + "/bonus", bonus, methods=["POST", "PUT"]),
    Route(WORKER + "/notify", notify, methods=["POST", "PUT"]),
    Route(WORKER + "/reject", reject, methods=["PUT"]),
    Route(WORKER + "/flag", legacy_flag, methods=["PUT"]),
    Route(WORKER + "/deflag", legacy_deflag, methods=["PUT"]),
    Route(WORKER + "/ban", ban, methods=["PUT"]),
    Route(WORKER + "/deban", deban, methods=["PUT"]),
    Route(WORKER + "/approve", approve, methods=["PUT"]),
    Route(WORKER + "/notifications", notifications, methods=["POST"]),
]

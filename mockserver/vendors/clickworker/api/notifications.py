"""``customer/tasks/{id}/notifications``: the notifications sent about a task.

FOUND: every notification carries a self link to
``.../customer/tasks/{task}/notifications/{id}``, so the resource exists.
INFERRED (nothing survives about it): the show route answers the notification as it
was sent, in the request's format, wrapped in ``notification_response``; the list
route answers them all in ``notifications_response``. A clone's notifications are
listed under the original task and under the clone.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from mockserver.core.numbers import natural

from ..backend.tasks import NotificationNotFound
from ..envelope import CONTEXT, about, envelope, respond, site
from ..webhook import document
from .common import world_of
from .tasks import task_id_of


async def list_notifications(request: Request) -> Response:
    about(request, "notifications")
    records = world_of(request).tasks.notifications_of(task_id_of(request))
    where = site(request.scope)
    found = [document(r.payload(), where) for r in records]
    return envelope(request.scope, "notifications", {"notifications": found})


async def show_notification(request: Request) -> Response:
    about(request, "notification")
    raw = request.path_params["notification_id"]
    notification_id = natural(raw)
    if notification_id is None:
        raise NotificationNotFound(f"No notification {raw}")
    record = world_of(request).tasks.notification(task_id_of(request), notification_id)
    return respond(request.scope, "notification", document(record.payload(), site(request.scope)))


routes = [
    Route(f"{CONTEXT}/customer/tasks/{{task_id}}/notifications", list_notifications,
          methods=["GET"]),
    Route(f"{CONTEXT}/customer/tasks/{{task_id}}/notifications/{{notification_id}}",
          show_notification, methods=["GET"]),
]  # fmt: skip

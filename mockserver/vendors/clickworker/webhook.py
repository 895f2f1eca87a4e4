"""clickworker's notifications: a ``<notification>`` sent to each subscription's callback.

FOUND (order walkthrough, step 3): the body is XML or JSON per the subscription's
``payload_format`` and has no ``request_status`` envelope. Its root ``notification``
holds a self ``link`` to ``.../customer/tasks/{task}/notifications/{id}``, the
``event``, a ``task`` with its link, then for ``CUSTOMER_INPUT_REQUIRED`` a ``job``
with the link of the job to sign off, and for ``TASK_COMPLETED`` a
``customer_output`` with one child per output item code. Every link there has
``rel="self"``. The request goes to ``callback_url`` with ``callback_method`` (POST).

INFERRED: links are absolute on the host the task was created through (the
documentation's example adds a ``/de`` locale segment; links without it resolve the
same); in JSON ``link`` is an array as everywhere else and ``customer_output`` an
object keyed by item code. Nothing documents retries: the mock retries 3 times,
after 60, 300 and 1800 sim seconds, and any 2xx answer counts as received.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mockserver.core.vendor import Notification, OutboundRequest, RetryPolicy, WebhookSpec
from mockserver.core.wire import dumps
from mockserver.core.xmlwire import render_xml

from .envelope import JSON, XML, Site

POLICY = RetryPolicy(delays=(60.0, 300.0, 1800.0), timeout=10.0, success="2xx")
USER_AGENT = "clickworker-notification"  # INFERRED


def document(payload: Mapping[str, Any], site: Site) -> dict[str, Any]:
    """The ``notification`` element of a stored payload, with links on ``site``."""
    task = f"customer/tasks/{payload['task_id']}"
    notification: dict[str, Any] = {
        "link": site.links(f"{task}/notifications/{payload['id']}"),
        "event": payload["event"],
        "task": {"link": site.links(task)},
    }
    if payload.get("job_id") is not None:
        notification["job"] = {"link": site.links(f"customer/jobs/{payload['job_id']}")}
    if payload.get("customer_output") is not None:
        notification["customer_output"] = dict(payload["customer_output"])
    return notification


def body(payload: Mapping[str, Any], base: str, payload_format: str) -> tuple[bytes, str]:
    """The wire form of a notification and its media type."""
    if payload_format == "JSON":
        return dumps({"notification": document(payload, Site(base, JSON))}), JSON
    return render_xml("notification", document(payload, Site(base, XML))), XML


def render(notification: Notification, at: float) -> OutboundRequest:
    payload = notification.payload
    content, media_type = body(payload, payload["base_url"], notification.options["format"])
    return OutboundRequest(
        method=str(notification.options.get("method", "POST")),
        url=notification.url,
        headers={"Content-Type": f"{media_type}; charset=utf-8", "User-Agent": USER_AGENT},
        body=content,
    )


WEBHOOK = WebhookSpec(render=render, policy=POLICY)

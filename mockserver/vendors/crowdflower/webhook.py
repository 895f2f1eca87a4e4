"""CrowdFlower's webhook: a form POST of ``signal``, ``payload`` and ``signature``.

FOUND: each delivery is an HTTP POST with the form fields ``signal``, ``payload``
(a JSON string) and ``signature = sha1(payload + api_key)`` over the raw payload
string; Basic auth may ride in the URI (``http://user:pass@host/``), which the
delivery honours; the endpoint must answer 200; Appen retried with exponential
backoff, 30 attempts over 165 minutes. INFERRED: lowercase hex SHA-1, and the
backoff's shape (a first retry after 26 s, each wait 15% longer than the last).
"""

from __future__ import annotations

import hashlib

from mockserver.core.vendor import Notification, OutboundRequest, RetryPolicy, WebhookSpec
from mockserver.core.wire import dumps, form_encode

RETRY_DELAYS = tuple(round(26.2 * 1.15**attempt, 1) for attempt in range(29))
POLICY = RetryPolicy(delays=RETRY_DELAYS, timeout=10.0, success="200")


def signature(payload: str, secret: str) -> str:
    return hashlib.sha1((payload + secret).encode("utf-8"), usedforsecurity=False).hexdigest()


def render(notification: Notification, at: float) -> OutboundRequest:
    payload = dumps(notification.payload["payload"]).decode("utf-8")
    form = {
        "signal": notification.event,
        "payload": payload,
        "signature": signature(payload, notification.secret or ""),
    }
    return OutboundRequest(
        method="POST",
        url=notification.url,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        body=form_encode(form),
    )


WEBHOOK = WebhookSpec(render=render, policy=POLICY)

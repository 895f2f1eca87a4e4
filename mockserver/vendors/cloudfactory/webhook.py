"""CloudFactory's webhook: a signed JSON POST to the task's ``callback_url``.

FOUND: the receiver must answer 200; the call is abandoned after 5 seconds; a
failed delivery is retried 4 times with exponential backoff ("1Hr, 2Hr, 4Hrs" and
a 4th retry; INFERRED 8 h); each event is signed with a SHA-256 HMAC keyed by a
shared secret, sent as ``X-CF-Signature: t=<timestamp>;v1=<signature>``.

INFERRED: ``v1 = hex(HMAC_SHA256(secret, f"{t}.{raw_body}"))`` with ``t`` in Unix
seconds (the Stripe-style scheme the header format comes from); a tenant's setup
may choose ``signature: "body"`` for ``HMAC(secret, raw_body)`` instead.
"""

from __future__ import annotations

import hashlib
import hmac

from mockserver.core.vendor import Notification, OutboundRequest, RetryPolicy, WebhookSpec
from mockserver.core.wire import dumps

POLICY = RetryPolicy(delays=(3600.0, 7200.0, 14400.0, 28800.0), timeout=5.0, success="200")


def signature(secret: str, body: bytes, timestamp: int | None) -> str:
    """The ``v1`` value: the hex HMAC-SHA256 of ``t.body`` (or of the body alone)."""
    message = body if timestamp is None else f"{timestamp}.".encode() + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def render(notification: Notification, at: float) -> OutboundRequest:
    body = dumps(notification.payload)
    timestamp = int(at)
    signed_at = None if notification.options.get("signature") == "body" else timestamp
    digest = signature(notification.secret or "", body, signed_at)
    return OutboundRequest(
        method="POST",
        url=notification.url,
        headers={
            "Content-Type": "application/json",
            "User-Agent": "CloudFactory-Webhook",
            "X-CF-Signature": f"t={timestamp};v1={digest}",
        },
        body=body,
    )


WEBHOOK = WebhookSpec(render=render, policy=POLICY)

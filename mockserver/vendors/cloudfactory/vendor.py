"""The cloudfactory vendor as the core serves it (loaded on first use; see ``REF``)."""

from __future__ import annotations

from mockserver.core.contract import ApiContract
from mockserver.core.ratelimit import Policy
from mockserver.core.vendor import Vendor

from . import REF, admin, api, auth, uploads
from .backend import CloudFactoryWorld
from .webhook import WEBHOOK

VENDOR = Vendor(
    name=REF.name,
    hosts=REF.hosts,
    routes=api.routes,
    authenticate=auth.authenticate,
    render_error=api.render_error,
    new_world=CloudFactoryWorld,
    # INFERRED (the Rate Limiting page was not found): an API-gateway usage plan of
    # 10 requests a second with bursts of 20, per key, shared by every endpoint.
    rate_limits=(Policy("per_second", limit=10, window=1.0, burst=20),),
    webhook=WEBHOOK,
    setup_schema="setup",
    admin_routes=admin.routes,
    accept_upload=uploads.accept_upload,
    # INFERRED: the 6 MB payload limit of the gateway's Lambda integration.
    max_body_bytes=6 * 1024 * 1024,
    api=ApiContract(
        title="CloudFactory Public API",
        security={"apiKey": {"type": "apiKey", "in": "header", "name": "x-api-key"}},
        error_schema="error",
        # INFERRED: a form of the same fields is read too (see ``api.read_body``).
        form_bodies=True,
    ),
)

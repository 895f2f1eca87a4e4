"""The modelarts vendor as the core serves it (loaded on first use; see ``REF``)."""

from __future__ import annotations

from mockserver.core.contract import ApiContract
from mockserver.core.ratelimit import Policy
from mockserver.core.vendor import Vendor

from . import REF, admin, api, auth
from .api.common import render_error
from .api.iam import public_paths
from .backend import ModelArtsWorld

VENDOR = Vendor(
    name=REF.name,
    routes=api.routes,
    authenticate=auth.authenticate,
    render_error=render_error,
    new_world=ModelArtsWorld,
    host_patterns=REF.host_patterns,
    # INFERRED: the limits are not published; only the 429 ``ModelArts.4395`` is.
    rate_limits=(Policy("per_second", limit=100, window=1.0, burst=200),),
    setup_schema="setup",
    admin_routes=admin.routes,
    public_paths=public_paths,
    api=ApiContract(
        title="Huawei Cloud ModelArts data management (v2) and IAM tokens",
        security={
            "token": {
                "type": "apiKey",
                "in": "header",
                "name": "X-Auth-Token",
                "description": "an IAM token from POST /v3/auth/tokens (X-Subject-Token)",
            },
            "aksk": {
                "type": "http",
                "scheme": "SDK-HMAC-SHA256",
                "description": "an AK/SK signature over the request, with X-Sdk-Date",
            },
        },
        error_schema="error",
    ),
)

"""Huawei Cloud ModelArts data labeling (v2), with IAM tokens and AK/SK signatures."""

from __future__ import annotations

import re

from mockserver.core.contract import ApiContract
from mockserver.core.ratelimit import Policy
from mockserver.core.vendor import Vendor

from . import admin, api, auth
from .api.common import render_error
from .backend import ModelArtsWorld

VENDOR = Vendor(
    name="modelarts",
    routes=api.routes,
    authenticate=auth.authenticate,
    render_error=render_error,
    new_world=ModelArtsWorld,
    host_patterns=(
        re.compile(r"modelarts\.[a-z0-9-]+\.myhuaweicloud\.com"),
        re.compile(r"iam\.[a-z0-9-]+\.myhuaweicloud\.com"),
        re.compile(r"(modelarts|iam)\.[a-z0-9-]+\.otc\.t-systems\.com"),  # INFERRED
    ),
    # INFERRED: the limits are not published; only the 429 ``ModelArts.4395`` is.
    rate_limits=(Policy("per_second", limit=100, window=1.0, burst=200),),
    setup_schema="setup",
    admin_routes=admin.routes,
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

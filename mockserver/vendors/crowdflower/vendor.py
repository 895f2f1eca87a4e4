"""The crowdflower vendor as the core serves it (loaded on first use; see ``REF``)."""

from __future__ import annotations

import re

from mockserver.core.contract import ApiContract
from mockserver.core.ratelimit import Policy
from mockserver.core.vendor import Vendor

from . import REF, admin, api, auth
from .api.common import render_error
from .backend import CrowdFlowerWorld
from .webhook import WEBHOOK

VENDOR = Vendor(
    name=REF.name,
    hosts=REF.hosts,
    routes=api.routes,
    authenticate=auth.authenticate,
    render_error=render_error,
    new_world=CrowdFlowerWorld,
    # FOUND: 40 requests a second and 6,200 an hour; INFERRED: per API key.
    rate_limits=(Policy("per_second", 40, 1.0), Policy("per_hour", 6200, 3600.0)),
    webhook=WEBHOOK,
    setup_schema="setup",
    admin_routes=admin.routes,
    # Uploads of 10^6 rows are documented; a CSV of that size is well over 100 MB.
    max_body_bytes=512 * 1024 * 1024,
    # FOUND: clients append .json to any path, or leave it off.
    path_rewrites=((re.compile(r"\.json(?=/|$)"), ""),),
    api=ApiContract(
        title="CrowdFlower API v1",
        security={
            "key": {"type": "apiKey", "in": "query", "name": "key"},
            "token": {
                "type": "http",
                "scheme": "Token",
                "description": 'Authorization: Token token="<key>"',
            },
        },
        error_schema="error",
        form_bodies=True,
    ),
)

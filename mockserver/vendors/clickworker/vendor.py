"""The clickworker vendor as the core serves it (loaded on first use; see ``REF``)."""

from __future__ import annotations

import re

from mockserver.core.contract import JSON, XML, ApiContract
from mockserver.core.vendor import Vendor

from . import REF, api, auth
from .backend import ClickworkerWorld
from .envelope import render_error
from .webhook import WEBHOOK

VENDOR = Vendor(
    name=REF.name,
    hosts=REF.hosts,
    routes=api.routes,
    authenticate=auth.authenticate,
    render_error=render_error,
    new_world=ClickworkerWorld,
    webhook=WEBHOOK,
    setup_schema="setup",
    path_rewrites=(
        # FOUND: links carry a locale segment (/de/api/...); INFERRED: any two letters.
        (re.compile(r"^/[a-z]{2}(?=/api/)"), ""),
        # FOUND once in the docs without /api; INFERRED: an alias.
        (re.compile(r"^/marketplace/v2(?=/|$)"), "/api/marketplace/v2"),
    ),
    api=ApiContract(
        title="clickworker Marketplace API v2",
        security={"basic": {"type": "http", "scheme": "basic"}},
        error_schema="error",
        answer_schema="envelope",
        media_types=(XML, JSON),
    ),
)

"""CrowdFlower's API key: ``key`` in the query string or the body, or a Token header.

FOUND: every request carries ``key=``, usually in the query string; some clients put
it in the form body. Appen later documented ``Authorization: Token token=<key>``,
accepted here too. INFERRED: a missing or refused key answers 401.
"""

from __future__ import annotations

import re

from starlette.requests import Request

from mockserver.core.tenancy import Tenant
from mockserver.core.vendor import Lookup

from .errors import KeyRefused
from .wire import params_of

TOKEN_HEADER = re.compile(r'^\s*Token\s+token="?([^"\s]+)"?\s*$', re.IGNORECASE)


def key_of(request: Request) -> str:
    value = params_of(request).get("key")
    if isinstance(value, str) and value.strip():
        return value.strip()
    match = TOKEN_HEADER.match(request.headers.get("authorization", ""))
    return match.group(1) if match else ""


def authenticate(request: Request, lookup: Lookup) -> Tenant:
    key = key_of(request)
    tenant = lookup(key) if key else None
    if tenant is None:  # FOUND: 401 is "authorization failed" (RM); the Ruby gem reads it
        raise KeyRefused()
    return tenant

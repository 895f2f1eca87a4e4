"""CloudFactory's ``x-api-key`` authentication.

FOUND: every call carries ``x-api-key`` (any letter case). The two API families
document different refusals: WorkStream Performance lists 403 (no 401), Oversight
lists 401. INFERRED: a missing or unknown key gets that family's status with the
gateway's ``{"message": ...}`` body.
"""

from __future__ import annotations

from starlette.requests import Request

from mockserver.core.context import route_path
from mockserver.core.errors import Forbidden, Unauthenticated
from mockserver.core.tenancy import Tenant
from mockserver.core.vendor import Lookup

PERFORMANCE_PREFIX = "/v1/workstreams"


def authenticate(request: Request, lookup: Lookup) -> Tenant:
    refusal = Forbidden if route_path(request).startswith(PERFORMANCE_PREFIX) else Unauthenticated
    key = request.headers.get("x-api-key", "").strip()
    # FOUND: x-api-key on every call; Quality lists 403, Submit Task and Task Status 401.
    if not key:
        raise refusal()
    tenant = lookup(key)
    if tenant is None:
        raise refusal()
    return tenant

"""HTTP Basic authentication with a clickworker username and password.

FOUND: Basic auth with the account's username and password; wrong credentials answer
401. A tenant is a username. INFERRED: in open mode any username opens its account
and any password is taken, unless the tenant was registered with a ``password`` in
its setup, which is then checked.
"""

from __future__ import annotations

from functools import lru_cache

from starlette.requests import Request

from mockserver.core.context import raw_header
from mockserver.core.decode import basic_credentials
from mockserver.core.errors import Unauthenticated
from mockserver.core.tenancy import Tenant
from mockserver.core.vendor import Lookup

from .errors import BadCredentials


def credentials(request: Request) -> tuple[str, str]:
    return decoded(raw_header(request.scope, b"authorization"))


@lru_cache(maxsize=1024)
def decoded(authorization: bytes) -> tuple[str, str]:
    """The username and password of an ``Authorization`` header, decoded once for each
    header: a client sends the same one with every request."""
    try:
        return basic_credentials(authorization)
    except Unauthenticated as refused:
        raise BadCredentials(refused.detail) from None


def authenticate(request: Request, lookup: Lookup) -> Tenant:
    username, password = credentials(request)
    tenant = lookup(username)
    if tenant is None:
        raise BadCredentials()
    expected = tenant.setup.get("password")
    if expected is not None and password != expected:
        raise BadCredentials()
    return tenant

"""HTTP Basic authentication with a clickworker username and password.

FOUND: Basic auth with the account's username and password; wrong credentials answer
401. A tenant is a username. INFERRED: in open mode any username opens its account
and any password is taken, unless the tenant was registered with a ``password`` in
its setup, which is then checked.
"""

from __future__ import annotations

import base64
import binascii
from functools import lru_cache

from starlette.requests import Request

from mockserver.core.context import raw_header
from mockserver.core.tenancy import Tenant
from mockserver.core.vendor import Lookup

from .errors import BadCredentials


def credentials(request: Request) -> tuple[str, str]:
    return decoded(raw_header(request.scope, b"authorization"))


@lru_cache(maxsize=1024)
def decoded(authorization: bytes) -> tuple[str, str]:
    """The username and password of an ``Authorization`` header, decoded once for each
    header: a client sends the same one with every request."""
    scheme, _, encoded = authorization.decode("latin-1").partition(" ")
    if scheme.lower() != "basic" or not encoded:
        raise BadCredentials("Basic authentication is required")
    try:
        username, separator, password = (
            base64.b64decode(encoded.strip(), validate=True).decode("utf-8").partition(":")
        )
    except (binascii.Error, UnicodeDecodeError):
        raise BadCredentials("Malformed Basic credentials") from None
    if not separator or not username:
        raise BadCredentials("Malformed Basic credentials")
    return username, password


def authenticate(request: Request, lookup: Lookup) -> Tenant:
    username, password = credentials(request)
    tenant = lookup(username)
    if tenant is None:
        raise BadCredentials()
    expected = tenant.setup.get("password")
    if expected is not None and password != expected:
        raise BadCredentials()
    return tenant

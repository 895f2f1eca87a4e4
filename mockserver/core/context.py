"""Typed access to what the pipeline stores in the ASGI scope.

Steps of the pipeline and handlers share the request's vendor and tenant through
namespaced scope keys; reading them through these functions keeps the keys and
their types in one place.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs

from .errors import InvalidInput, NotFound

if TYPE_CHECKING:
    from .sandbox import Sandbox
    from .tenancy import Tenant
    from .vendor import Vendor

SANDBOX = "mockserver.sandbox"
VENDOR = "mockserver.vendor"
TENANT = "mockserver.tenant"
BODY = "mockserver.body"


def tenant_of(scope: Mapping[str, Any]) -> Tenant:
    """The authenticated tenant of a request (a Starlette ``Request`` is a mapping too)."""
    tenant: Tenant = scope[TENANT]
    return tenant


def vendor_of(scope: Mapping[str, Any]) -> Vendor:
    vendor: Vendor = scope[VENDOR]
    return vendor


def sandbox_of(scope: Mapping[str, Any]) -> Sandbox:
    sandbox: Sandbox = scope[SANDBOX]
    return sandbox


def tenant_named(scope: Mapping[str, Any], tid: str | None) -> Tenant | None:
    """The tenant with id ``tid`` (for ``/_mock`` routes); ``None`` if no id was given.

    An id that names no tenant is refused with :class:`NotFound`.
    """
    if not tid:
        return None
    tenant = sandbox_of(scope).tenants.get(tid)
    if tenant is None:
        raise NotFound(f"no tenant {tid!r}")
    return tenant


def tenant_for_vendor(scope: Mapping[str, Any], vendor: str) -> Tenant:
    """The ``?tenant=`` of a vendor's ``/_mock`` route: required, and that vendor's."""
    query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
    tenant = tenant_named(scope, query.get("tenant", [None])[0])
    if tenant is None:
        raise InvalidInput.one("tenant", f"is required ({vendor}:<credential>)")
    if tenant.vendor.name != vendor:
        raise InvalidInput.one("tenant", f"{tenant.id} is not a {vendor} tenant")
    return tenant


def route_path(scope: Mapping[str, Any]) -> str:
    """The path below the vendor's mount (``/v1/tasks`` for ``/cloudfactory/v1/tasks``)."""
    path: str = scope["path"]
    root: str = scope.get("root_path", "")
    return path[len(root) :] if root and path.startswith(root) else path


def raw_header(scope: Mapping[str, Any], name: bytes) -> bytes:
    """A header's first value as sent (``b""`` without one), for the few headers read on
    every request, where building Starlette's ``Headers`` would cost more than the read."""
    for key, value in scope["headers"]:
        if key == name:
            return bytes(value)
    return b""


def body_of(scope: Mapping[str, Any]) -> bytes:
    """The request body, as read (and size-checked) by the pipeline."""
    body: bytes = scope.get(BODY, b"")
    return body

"""``/_mock/tenants`` and ``/_mock/reset``: who is using the sandbox, and starting over."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..core.contract import contract
from ..core.credentials import masked
from ..core.errors import NotFound
from ..core.wire import JSONBody
from .common import read_body, sandbox_of, tenant_param, vendor_param


async def list_tenants(request: Request) -> Response:
    """Each tenant as ``GET /_mock/tenants/{id}`` shows it, and its ``credential_shown``:
    the credential as the journal shows it (masked unless ``journal_credentials: shown``),
    for a page a screen share or a screenshot may carry."""
    vendor = vendor_param(request, request.query_params.get("vendor"))
    masks = request.app.state.settings.journal_credentials == "masked"
    tenants = [
        {**t.describe(), "credential_shown": masked(t.credential) if masks else t.credential}
        for t in sandbox_of(request).tenants
        if vendor is None or t.vendor.name == vendor
    ]
    return JSONBody({"tenants": tenants})


async def show_tenant(request: Request) -> Response:
    tenant = tenant_param(request, request.path_params["tenant"])
    assert tenant is not None
    return JSONBody(tenant.describe())


@contract(body="tenant")
async def register_tenant(request: Request) -> Response:
    """Registers a credential with a vendor-specific setup (workstreams, secrets, ...)."""
    body = await read_body(request, "tenant")
    vendor = vendor_param(request, body["vendor"])
    assert vendor is not None
    tenants = sandbox_of(request).tenants
    tenant = tenants.register(
        vendor, body["credential"], setup=body.get("setup"), strict=body.get("strict", False)
    )
    return JSONBody(tenant.describe(), status_code=201)


async def reset(request: Request) -> Response:
    """Resets one tenant (``?tenant=``) or the whole sandbox."""
    tid = request.query_params.get("tenant")
    sandbox = sandbox_of(request)
    if tid and sandbox.tenants.get(tid) is None:
        raise NotFound(f"no tenant {tid!r}")
    sandbox.reset(tid or None)
    return JSONBody({"reset": tid or "all"})


routes = [
    Route("/tenants", list_tenants, methods=["GET"]),
    Route("/tenants", register_tenant, methods=["POST"]),
    Route("/tenants/{tenant:path}", show_tenant, methods=["GET"]),
    Route("/reset", reset, methods=["POST"]),
]

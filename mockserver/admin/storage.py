"""``/_mock/storage/{token}``: the pre-signed upload URLs that worlds hand out.

Like an object store's signed URL, it needs no vendor credential: the token is the
authorisation. The owning vendor decides what the bytes mean; the body is read here,
refused with the vendor's 413 past the vendor's ``max_body_bytes``, as its API is.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..core.context import BODY, TENANT, VENDOR
from ..core.errors import NotFound, PayloadTooLarge
from ..core.pipeline import read_body
from .common import sandbox_of


async def upload(request: Request) -> Response:
    token = request.path_params["token"]
    tenant = sandbox_of(request).tenants.upload_owner(token)
    if tenant is None or tenant.vendor.accept_upload is None:
        raise NotFound("no such upload URL")
    request.scope[VENDOR], request.scope[TENANT] = tenant.vendor, tenant
    try:
        request.scope[BODY] = await read_body(
            request.scope, request.receive, tenant.vendor.max_body_bytes
        )
    except PayloadTooLarge as exc:
        return tenant.vendor.render_error(exc, request.scope)
    tenant.run_due()
    return await tenant.vendor.accept_upload(request, tenant, token)


routes = [Route("/storage/{token}", upload, methods=["PUT", "POST"])]

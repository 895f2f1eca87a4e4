"""The pre-signed storage URLs: media bytes for Oversight, CSV files for Performance.

They stand in for object-store URLs (not api.cloudfactory.app): no ``x-api-key``,
success is 200 with an empty body and an ``ETag``, refusals are S3-style XML
(INFERRED, as S3 answers). A performance CSV is parsed as soon as it lands (in a
worker thread) and its rows become records, a batch at a time between other
requests; the outcome, with every bad row by line, is readable under
``/_mock/cloudfactory/uploads``. (INFERRED: real processing is asynchronous and
unobservable through the API.)
"""

from __future__ import annotations

import asyncio
import hashlib
from typing import cast
from xml.sax.saxutils import escape

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from mockserver.core.errors import MalformedBody, MockError, NotFound
from mockserver.core.tenancy import Tenant
from mockserver.core.wire import body_bytes, media_type

from . import csvfile
from .backend import CloudFactoryWorld
from .errors import SignatureMismatch

S3_CODES = {403: "AccessDenied", 404: "NoSuchKey"}


def s3_error(error: MockError) -> Response:
    code = "SignatureDoesNotMatch" if isinstance(error, SignatureMismatch) else None
    status = error.status if isinstance(error, (NotFound,)) or error.status == 403 else 400
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<Error>'
        f"<Code>{code or S3_CODES.get(status, 'InvalidRequest')}</Code>"
        f"<Message>{escape(error.detail)}</Message></Error>"
    )
    return Response(body, status_code=status, media_type="application/xml")


async def accept_upload(request: Request, tenant: Tenant, token: str) -> Response:
    world = cast(CloudFactoryWorld, tenant.world)
    data = await body_bytes(request)
    etag = f'"{hashlib.md5(data, usedforsecurity=False).hexdigest()}"'
    try:
        if world.oversight.owns_upload(token):
            world.oversight.receive_media(token, media_type(request) or None, len(data), etag)
        else:
            upload = world.performance.claim_upload(token)
            try:  # in a worker thread: the server goes on answering while a file is read
                parsed = await run_in_threadpool(
                    csvfile.parse, data, upload.kind, upload.workstream_id
                )
            except MalformedBody as exc:
                refusal: str | None = exc.detail
            else:
                refusal = None
            upload = world.performance.claim_upload(token)  # another PUT may have landed
            if refusal is not None:
                world.performance.reject(upload, refusal, len(data))
            else:
                rows = world.performance.ingesting(
                    upload, parsed.kind, parsed.rows, parsed.errors, len(data)
                )
                for _ in rows:
                    await asyncio.sleep(0)  # other requests are served between batches
    except MockError as exc:
        return s3_error(exc)
    return Response(b"", status_code=200, headers={"ETag": etag})

"""Reading request bodies and writing JSON responses, shared by every vendor's api.

Body readers raise the core errors (malformed body, wrong media type) so that
each vendor's error renderer answers in its own dialect.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import Response

from .context import BODY, raw_header
from .errors import MalformedBody, UnsupportedMediaType
from .jsontext import loads
from .routing import STORAGE_PREFIX


def media_type(request: Request) -> str:
    """The request's media type without parameters, lower-cased ('' if none)."""
    kind = raw_header(request.scope, b"content-type").decode("latin-1")
    return kind.split(";", 1)[0].strip().lower()


def is_json_media_type(kind: str) -> bool:
    return kind == "application/json" or (
        kind.startswith("application/") and kind.endswith("+json")
    )


async def body_bytes(request: Request) -> bytes:
    """The request body: as the vendor pipeline read it, or read now elsewhere."""
    body: bytes | None = request.scope.get(BODY)
    return body if body is not None else await request.body()


async def read_json(request: Request, *, require_media_type: bool = True) -> Any:
    """The body parsed as JSON.

    With ``require_media_type`` a body sent as anything but JSON is refused (415);
    a missing Content-Type is tolerated, as curl users often forget it.
    """
    kind = media_type(request)
    if require_media_type and kind and not is_json_media_type(kind):
        raise UnsupportedMediaType(f"Unsupported Media Type: {kind}; send application/json")
    raw = await body_bytes(request)
    if not raw.strip():
        raise MalformedBody("Request body is empty; a JSON object is required")
    return loads(raw)


async def read_json_object(request: Request, *, require_media_type: bool = True) -> dict[str, Any]:
    document = await read_json(request, require_media_type=require_media_type)
    if not isinstance(document, dict):
        raise MalformedBody("Request body must be a JSON object")
    return document


def dumps(data: Any) -> bytes:
    """Compact UTF-8 JSON. Every answer is rendered here, so it is orjson's work:
    several times faster than the standard library on the bodies vendors answer."""
    return orjson.dumps(data, option=orjson.OPT_NON_STR_KEYS)


_FORM_SAFE = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-~"
_PERCENT_ESCAPES = [b"%%%02X" % byte for byte in range(256)]


def form_encode(fields: Mapping[str, str]) -> bytes:
    """``fields`` as ``application/x-www-form-urlencoded``, byte for byte what
    ``urllib.parse.urlencode`` writes: webhook bodies carry whole JSON documents in a
    field, which ``quote`` walks a byte at a time in Python."""
    return b"&".join(_form_escaped(k) + b"=" + _form_escaped(v) for k, v in fields.items())


def _form_escaped(text: str) -> bytes:
    """``text`` percent-encoded by one ``bytes.replace`` per distinct unsafe byte in it
    (a JSON document has a dozen or so), each a pass in C; ``%`` goes first, so no
    escape is escaped again, and the space last, after any ``+`` was escaped."""
    encoded = text.encode("utf-8")
    unsafe = set(encoded.translate(None, _FORM_SAFE))
    if 0x25 in unsafe:
        encoded = encoded.replace(b"%", b"%25")
        unsafe.discard(0x25)
    space = 0x20 in unsafe
    unsafe.discard(0x20)
    for byte in unsafe:
        encoded = encoded.replace(bytes((byte,)), _PERCENT_ESCAPES[byte])
    return encoded.replace(b" ", b"+") if space else encoded


class Body(Response):
    """An answer whose body is already bytes.

    Its framing headers are written directly rather than through Starlette's general
    header assembly (the result is the same): one is built on every request of every
    vendor.
    """

    def __init__(
        self,
        content: bytes,
        status_code: int = 200,
        headers: Mapping[str, str] | None = None,
        media_type: str | None = None,
    ) -> None:
        self.status_code = status_code
        if media_type is not None:
            self.media_type = media_type
        self.background = None
        self.body = content
        kind = self.media_type
        own = [] if headers is None else [_raw_header(k, v) for k, v in headers.items()]
        if (
            kind is not None
            and not kind.startswith("text/")  # Starlette names a charset for those
            and 200 <= status_code
            and status_code not in (204, 304)
            and not (own and any(name in _FRAMING for name, _ in own))
        ):
            own += [(b"content-length", b"%d" % len(content)), (b"content-type", kind.encode())]
            self.raw_headers = own
        else:
            self.init_headers(headers)


_FRAMING = (b"content-length", b"content-type")


def _raw_header(name: str, value: str) -> tuple[bytes, bytes]:
    return name.lower().encode("latin-1"), value.encode("latin-1")


class JSONBody(Body):
    """A compact JSON response (Starlette's ``JSONResponse`` with tighter encoding)."""

    media_type = "application/json"

    def __init__(
        self, content: Any, status_code: int = 200, headers: Mapping[str, str] | None = None
    ) -> None:
        super().__init__(dumps(content), status_code, headers)


def storage_url(request: Request, token: str) -> str:
    """The absolute pre-signed URL of an upload token, on the host the client called."""
    return f"{request.url.scheme}://{request.url.netloc}{STORAGE_PREFIX}{token}"

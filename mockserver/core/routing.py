"""Four vendors on one port: choosing the vendor of a request.

A request reaches its vendor in one of four ways, tried in this order after ``/_mock``
(the control API, on every host):

1. the Host header is one of the vendor's real hosts (served at the root path);
2. single-vendor mode (``--vendor``) serves that vendor at the root path;
3. the first path segment names the vendor (``/crowdflower/v1/jobs.json``);
4. the path has the shape of the vendor's own paths (``/v2/{project_id}/...``), served
   at the root path; where vendors share a shape, their resources and then the
   credential's form choose, and a path either may serve is a 404 naming both
   (:mod:`.rootpaths`).

So a prefix always wins over a shape, and ``GET /`` (no vendor's shape) is the index.

Below the vendor's root, ``GET /openapi.json`` answers the vendor's generated
OpenAPI document without asking for a credential: a client generator or contract
test must be able to read it before it has one. So do the vendor's own
``public_paths`` (version discovery a client reads before it logs in).

Repeated slashes in a path are one (``/v1//jobs.json`` is ``/v1/jobs.json``) before
any of that: FOUND, CrowdFlower's Ruby gem joins its base URL and its paths so that
every request has a doubled slash, and the live API served them. INFERRED for the
other vendors: nothing documents a refusal, so they are served the same lenient way.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from .context import raw_header
from .openapi import OPENAPI_PATH, vendor_document
from .rootpaths import Ambiguity, RootPaths
from .vendor import Vendor


class Hosted(Protocol):
    """What host routing needs of a vendor (a loaded one or its reference)."""

    @property
    def name(self) -> str: ...

    def serves_host(self, host: str) -> bool: ...


ADMIN_PREFIX = "/_mock"
STORAGE_PREFIX = ADMIN_PREFIX + "/storage/"  # pre-signed upload URLs handed out by worlds
_SLASHES = re.compile(r"//+")


def merge_slashes(scope: Scope) -> None:
    """Serves ``/a//b`` as ``/a/b``: the scope's ``path`` loses its repeated slashes.

    Only slashes the client wrote count: a ``%2F`` in a segment (a ModelArts label
    named ``a//b``) is data, so a path whose raw form has no ``//`` is left alone. The
    raw path itself is kept as sent, since request signatures are computed over it.
    """
    path: str = scope["path"]
    if "//" not in path:
        return
    raw: bytes | None = scope.get("raw_path")
    if raw is not None and b"//" not in raw.split(b"?", 1)[0]:
        return
    scope["path"] = _SLASHES.sub("/", path)


def host_name(raw: bytes) -> str:
    """A Host header's host name, lower-cased and without its port."""
    host = raw.decode("latin-1").lower()
    if host.startswith("["):
        return host.split("]", 1)[0] + "]"
    return host.rsplit(":", 1)[0] if ":" in host else host


class VendorDispatch:
    def __init__(
        self,
        *,
        admin: ASGIApp,
        vendors: Mapping[str, Vendor],
        served: Sequence[Hosted],
        pipelines: Mapping[str, ASGIApp],
        not_found: ASGIApp,
        single: str | None = None,
        root: RootPaths | None = None,
    ) -> None:
        self.admin = admin
        self.vendors = vendors
        self.served = tuple(served)
        self.pipelines = dict(pipelines)
        self.not_found = not_found
        self.single = single
        self.root = root
        self._host_cache: dict[bytes, str | None] = {}
        self._documents: dict[str, dict[str, Any]] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        merge_slashes(scope)
        path: str = scope["path"]
        if path == ADMIN_PREFIX or path.startswith(ADMIN_PREFIX + "/"):
            await self.admin(scope, receive, send)
            return
        name = self._by_host(raw_header(scope, b"host")) or self.single
        if name is None:
            name = self._by_prefix(scope)
        if name is None and self.root is not None:
            shaped = self.root.vendor_of(scope)
            if isinstance(shaped, Ambiguity):
                await _ambiguous(shaped)(scope, receive, send)
                return
            name = shaped
        pipeline = self.pipelines.get(name) if name is not None else None
        if pipeline is not None and name is not None:
            if _asks_for_document(scope):
                await self._document(name, scope)(scope, receive, send)
                return
            public = self._public(name, scope)
            if public is not None:
                await public(scope, receive, send)
                return
        await (pipeline or self.not_found)(scope, receive, send)

    def _public(self, name: str, scope: Scope) -> ASGIApp | None:
        """The answer to a GET of one of the vendor's public paths (None for any other)."""
        if scope["method"] not in ("GET", "HEAD"):
            return None
        answer = self.vendors[name].public_paths.get(_below_root(scope))
        return answer(Request(scope)) if answer is not None else None

    def _document(self, name: str, scope: Scope) -> ASGIApp:
        """The vendor's document, its server being the root the client called it under."""
        from mockserver import __version__

        from .wire import JSONBody

        if name not in self._documents:
            self._documents[name] = vendor_document(self.vendors[name], version=__version__)
        server = scope.get("root_path", "") or "/"
        return JSONBody({**self._documents[name], "servers": [{"url": server}]})

    def _by_host(self, raw: bytes) -> str | None:
        """The vendor served on this Host header, remembered by the header's bytes."""
        if raw not in self._host_cache:
            if len(self._host_cache) > 1024:
                self._host_cache.clear()
            host = host_name(raw)
            match = next((ref.name for ref in self.served if ref.serves_host(host)), None)
            self._host_cache[raw] = match if match in self.pipelines else None
        return self._host_cache[raw]

    def _by_prefix(self, scope: Scope) -> str | None:
        path: str = scope["path"]
        name = path[1:].split("/", 1)[0]
        if name not in self.pipelines:
            return None
        scope["root_path"] = scope.get("root_path", "") + "/" + name
        return name


def _ambiguous(ambiguity: Ambiguity) -> ASGIApp:
    from .wire import JSONBody

    return JSONBody(ambiguity.body(), status_code=404)


def _below_root(scope: Scope) -> str:
    path: str = scope["path"]
    root: str = scope.get("root_path", "")
    return path[len(root) :] if root and path.startswith(root) else path


def _asks_for_document(scope: Scope) -> bool:
    path: str = scope["path"]
    if not path.endswith(OPENAPI_PATH):
        return False
    return _below_root(scope) == OPENAPI_PATH and scope["method"] in ("GET", "HEAD")

"""Four vendors on one port: choosing the vendor of a request.

Vendor paths collide (``/v1/...`` is CloudFactory and CrowdFlower), so a request
reaches its vendor in one of three ways, tried in this order after ``/_mock``:

1. the Host header is one of the vendor's real hosts (served at the root path);
2. single-vendor mode (``--vendor``) serves that vendor at the root path;
3. the first path segment names the vendor (``/crowdflower/v1/jobs.json``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from starlette.types import ASGIApp, Receive, Scope, Send

from .vendor import Vendor

ADMIN_PREFIX = "/_mock"
STORAGE_PREFIX = ADMIN_PREFIX + "/storage/"  # pre-signed upload URLs handed out by worlds


def host_of(scope: Scope) -> str:
    """The request's host name, lower-cased and without its port."""
    for name, value in scope["headers"]:
        if name == b"host":
            host: str = value.decode("latin-1").lower()
            if host.startswith("["):
                return host.split("]", 1)[0] + "]"
            return host.rsplit(":", 1)[0] if ":" in host else host
    return ""


class VendorDispatch:
    def __init__(
        self,
        *,
        admin: ASGIApp,
        vendors: Sequence[Vendor],
        pipelines: Mapping[str, ASGIApp],
        not_found: ASGIApp,
        single: str | None = None,
    ) -> None:
        self.admin = admin
        self.vendors = tuple(vendors)
        self.pipelines = dict(pipelines)
        self.not_found = not_found
        self.single = single
        self._host_cache: dict[str, str | None] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path: str = scope["path"]
        if path == ADMIN_PREFIX or path.startswith(ADMIN_PREFIX + "/"):
            await self.admin(scope, receive, send)
            return
        name = self._by_host(host_of(scope)) or self.single
        if name is None:
            name = self._by_prefix(scope)
        pipeline = self.pipelines.get(name) if name is not None else None
        await (pipeline or self.not_found)(scope, receive, send)

    def _by_host(self, host: str) -> str | None:
        if host not in self._host_cache:
            if len(self._host_cache) > 1024:
                self._host_cache.clear()
            match = next((v.name for v in self.vendors if v.serves_host(host)), None)
            self._host_cache[host] = match if match in self.pipelines else None
        return self._host_cache[host]

    def _by_prefix(self, scope: Scope) -> str | None:
        path: str = scope["path"]
        name = path[1:].split("/", 1)[0]
        if name not in self.pipelines:
            return None
        scope["root_path"] = scope.get("root_path", "") + "/" + name
        return name

"""The vendors a server knows, each loaded the first time something needs it.

A vendor's code (routes, schemas, worlds) is most of what the server imports, and a
CI job that tests one vendor's client never touches the others. So a vendor package
exposes a light :class:`VendorRef` (its name, its real hosts, the shapes of its paths,
the forms of its credential, and the module holding its :class:`~.vendor.Vendor`),
which is all routing needs, and the rest is imported on first use. Start-up pays for
none of it (root routing imports the vendors sharing a path shape on the first request
under it; see :mod:`.rootpaths`).
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from starlette.types import ASGIApp, Receive, Scope, Send

from .rootpaths import Credential
from .vendor import Vendor


@dataclass(frozen=True, slots=True)
class VendorRef:
    """What routing knows of a vendor before its code is loaded."""

    name: str
    module: str  # defines ``VENDOR``
    hosts: tuple[str, ...] = ()
    host_patterns: tuple[re.Pattern[str], ...] = ()
    base_path: str = ""  # below the vendor's mount: where a client's base URL points
    # The leading segments of the vendor's paths, which serve it at the root of the
    # multi-vendor server (``/v2``; ``{name}`` is any one segment), and the forms its
    # credential takes, which tell it from a vendor of the same shape.
    root_shapes: tuple[str, ...] = ()
    credentials: tuple[Credential, ...] = ()

    def serves_host(self, host: str) -> bool:
        return host in self.hosts or any(p.fullmatch(host) for p in self.host_patterns)

    def base_url(self, server: str, *, at_root: bool = False) -> str:
        """Where a client's base URL points on ``server`` (``http://host:port``): below the
        vendor's prefix, or at the root (single-vendor mode, or by its paths' shape)."""
        mount = "" if at_root else f"/{self.name}"
        return f"{server}{mount}{self.base_path}"

    def load(self) -> Vendor:
        vendor = importlib.import_module(self.module).VENDOR
        assert isinstance(vendor, Vendor) and vendor.name == self.name, self.module
        return vendor


@dataclass(slots=True)
class Vendors(Mapping[str, Vendor]):
    """The vendors by name; looking one up imports it (once)."""

    refs: Sequence[VendorRef]
    _loaded: dict[str, Vendor] = field(default_factory=dict)

    def __getitem__(self, name: str) -> Vendor:
        vendor = self._loaded.get(name)
        if vendor is None:
            ref = next((ref for ref in self.refs if ref.name == name), None)
            if ref is None:
                raise KeyError(name)
            vendor = self._loaded[name] = ref.load()
        return vendor

    def __iter__(self) -> Iterator[str]:
        return (ref.name for ref in self.refs)

    def __len__(self) -> int:
        return len(self.refs)

    def __contains__(self, name: object) -> bool:
        return any(ref.name == name for ref in self.refs)


class Deferred:
    """An ASGI app built by ``build`` on its first request (a vendor's pipeline, say)."""

    def __init__(self, build: Callable[[], ASGIApp]) -> None:
        self._build = build
        self._app: ASGIApp | None = None

    @property
    def app(self) -> ASGIApp:
        if self._app is None:
            self._app = self._build()
        return self._app

    @property
    def routes(self) -> list[object]:
        """The built app's routes, so route listings (the OpenAPI documents) see them."""
        return list(getattr(self.app, "routes", []))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.app(scope, receive, send)

"""The contract between the core and an emulated vendor.

A vendor package exposes one :class:`Vendor`; ``app.py`` lists them and the core
mounts each without knowing its name. A vendor's *world* (its backend) receives a
:class:`WorldContext` and nothing else from the sandbox: the clock to read, the
scheduler to plan on, the seeded randomness and crowd, and ``notify`` to ask for a
webhook. It never sees HTTP.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, Protocol

from .contract import ApiContract
from .errors import MockError
from .ratelimit import Policy

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import BaseRoute
    from starlette.types import Scope

    from .clock import Clock
    from .crowd import Crowd
    from .rng import Rng
    from .scheduler import Event, Scheduler
    from .tenancy import Tenant


@dataclass(frozen=True, slots=True)
class Notification:
    """A webhook a world wants sent, in domain terms; the vendor renders the wire form."""

    url: str
    event: str
    payload: Mapping[str, Any]
    secret: str | None = None
    options: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class OutboundRequest:
    method: str
    url: str
    headers: Mapping[str, str]
    body: bytes


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How a vendor retries a failed webhook.

    ``delays`` are the sim seconds before each retry, so ``len(delays) + 1`` attempts
    in all; ``success`` says whether only 200 counts or any 2xx.
    """

    delays: tuple[float, ...]
    timeout: float = 5.0
    success: Literal["200", "2xx"] = "2xx"

    def is_success(self, status: int) -> bool:
        return status == 200 if self.success == "200" else 200 <= status < 300


@dataclass(frozen=True, slots=True)
class WebhookSpec:
    """A vendor's outbound side: how a notification looks on the wire at sim time ``at``."""

    render: Callable[[Notification, float], OutboundRequest]
    policy: RetryPolicy


class World(Protocol):
    """A tenant's state in one vendor: what a backend's top object provides."""

    def handle(self, event: Event) -> None:
        """Carries out a scheduled event the world planned earlier."""

    def summary(self) -> dict[str, Any]:
        """Counts of the world's resources, for ``GET /_mock/tenants``."""


class WorldContext(Protocol):
    """What a world may use from the sandbox.

    A world's context is its :class:`~.tenancy.Tenant`, seen through this protocol, not
    an object made for it: a shared server in open mode keeps thousands of tenants, and
    CPython's full garbage collection walks every object of each with the event loop
    stopped. Tests give a world anything with these members.
    """

    @property
    def tenant_id(self) -> str: ...

    @property
    def credential(self) -> str: ...

    @property
    def clock(self) -> Clock: ...

    @property
    def scheduler(self) -> Scheduler: ...

    @property
    def rng(self) -> Rng: ...

    @property
    def crowd(self) -> Crowd: ...

    @property
    def strict(self) -> bool: ...

    @property
    def setup(self) -> Mapping[str, Any]: ...

    def notify(self, notification: Notification) -> None:
        """Asks for a webhook."""

    def register_upload(self, token: str) -> None:
        """Notes that this world handed out the upload URL ``token``."""


Lookup = Callable[[str], "Tenant | None"]
"""Finds the tenant of a credential; ``None`` when strict mode does not know it."""


@dataclass(frozen=True, slots=True)
class Vendor:
    """Everything the core needs to serve one vendor.

    ``render_error`` answers a refusal in the vendor's dialect; it gets the request's
    scope because some vendors answer in the format the request asked for.
    ``authenticate`` reads the vendor's credential from the request and resolves
    it through the lookup, raising the vendor's own error when either fails.
    ``accept_upload`` answers a PUT to a pre-signed URL the world handed out.
    ``admin_routes`` are mounted at ``/_mock/<name>/``. ``path_rewrites`` are
    regular-expression substitutions on the path below the mount, applied in order
    before routing (an optional ``.json`` suffix, an optional locale segment).
    ``api`` describes the credentials, error body and media types for the vendor's
    generated OpenAPI document (the routes' own contracts describe the rest).
    ``public_paths`` are paths below the vendor's root that the real service answers
    to a ``GET`` with no credential (version discovery): served outside any tenant,
    like the OpenAPI document.
    """

    name: str
    routes: Sequence[BaseRoute]
    authenticate: Callable[[Request, Lookup], Tenant]
    render_error: Callable[[MockError, Scope], Response]
    new_world: Callable[[WorldContext], World]
    hosts: tuple[str, ...] = ()
    host_patterns: tuple[re.Pattern[str], ...] = ()
    rate_limits: tuple[Policy, ...] = ()
    webhook: WebhookSpec | None = None
    setup_schema: str | None = None
    admin_routes: Sequence[BaseRoute] = ()
    accept_upload: Callable[[Request, Tenant, str], Awaitable[Response]] | None = None
    max_body_bytes: int = 10 * 1024 * 1024
    optional_trailing_slash: bool = True
    path_rewrites: tuple[tuple[re.Pattern[str], str], ...] = ()
    api: ApiContract = ApiContract()
    public_paths: Mapping[str, Callable[[Request], Response]] = field(default_factory=dict)

    def serves_host(self, host: str) -> bool:
        return host in self.hosts or any(p.fullmatch(host) for p in self.host_patterns)

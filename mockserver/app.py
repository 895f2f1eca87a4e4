"""``create_app(settings)``: the sandbox as one ASGI application.

The vendors served are listed once, in :data:`VENDORS`; adding a vendor means adding
its package and one entry here. Nothing else in the app names a vendor. A vendor's
code is imported when it is first used (see :mod:`.core.registry`), so start-up
costs the same however many vendors there are.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from collections.abc import Callable
from typing import TYPE_CHECKING

from starlette.types import ASGIApp, Receive, Scope, Send

from . import banner, fixtures
from .admin import admin_app
from .admin.access import headers_for
from .core.context import SANDBOX
from .core.pipeline import Journaling, VendorPipeline
from .core.registry import Deferred, VendorRef, Vendors
from .core.rootpaths import RootPaths
from .core.routing import STORAGE_PREFIX, VendorDispatch
from .core.sandbox import Sandbox
from .core.snapshot import SnapshotError, Snapshots, StateNotSaved, check_writable
from .core.tenancy import Retention, TenantDefaults
from .core.webhooks import Deliveries
from .index import Index
from .settings import Settings
from .vendors import clickworker, cloudfactory, crowdflower, modelarts

VENDORS: tuple[VendorRef, ...] = (cloudfactory.REF, crowdflower.REF, clickworker.REF, modelarts.REF)

if TYPE_CHECKING:
    import httpx

log = logging.getLogger("mockserver")


def vendor_names() -> tuple[str, ...]:
    return tuple(v.name for v in VENDORS)


class MockServer:
    """The ASGI app: lifespan (realtime ticker, webhook client) around the dispatcher."""

    def __init__(
        self, settings: Settings, *, webhook_transport: httpx.AsyncBaseTransport | None = None
    ) -> None:
        if settings.vendor is not None and settings.vendor not in vendor_names():
            raise ValueError(
                f"unknown vendor {settings.vendor!r}; known: {', '.join(vendor_names())}"
            )
        self.settings = settings
        self.sandbox = Sandbox(
            Vendors(VENDORS),
            TenantDefaults(
                seed=settings.seed,
                clock_mode=settings.clock,
                speed=settings.speed,
                epoch=settings.epoch,
                strict_auth=settings.strict_auth,
                rate_limits=settings.rate_limits,
            ),
            journal_size=settings.journal_size,
            deliveries=Deliveries(
                retry_scale=settings.webhook_retry_scale,
                transport=webhook_transport,
                log_size=settings.webhook_log_size,
                connections=settings.webhook_connections,
            ),
            retention=Retention(
                max_open=settings.max_tenants, idle_expiry=settings.tenant_idle_expiry
            ),
        )
        missing = fixtures.unknown(settings.fixtures)
        if missing:
            raise ValueError(
                f"unknown fixture {missing[0]!r}; known: {', '.join(fixtures.names())}"
            )
        self.snapshots = Snapshots(self.sandbox, settings.state_file)
        self.state_line = "in memory (no --state-file)"  # what start-up did, for the banner
        self.restored = self._load_state_file()
        admin = admin_app(self.sandbox, settings)
        admin.state.snapshots = self.snapshots
        admin.state.load_fixture = self.load_fixture
        served = [ref for ref in VENDORS if settings.vendor in (None, ref.name)]
        self.dispatch = VendorDispatch(
            admin=Journaling(admin, self.sandbox.journal, only_under=STORAGE_PREFIX),
            vendors=self.sandbox.vendors,
            served=served,
            pipelines={ref.name: Deferred(self._pipeline_builder(ref.name)) for ref in served},
            not_found=Index(served),
            single=settings.vendor,
            root=RootPaths(served, self.sandbox.vendors),
        )
        self._ticker: asyncio.Task[None] | None = None
        self._autosaver: asyncio.Task[None] | None = None
        self._stopping: asyncio.Event | None = None
        self.state_lost = False  # the save at shutdown failed: the command exits non-zero

    def _pipeline_builder(self, name: str) -> Callable[[], ASGIApp]:
        def build() -> ASGIApp:
            vendor = self.sandbox.vendors[name]
            return VendorPipeline(vendor, self.sandbox.tenants, self.sandbox.journal)

        return build

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        scope["app"] = self
        scope[SANDBOX] = self.sandbox
        await self.dispatch(scope, receive, send)

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                fixtures = ", ".join(self.settings.fixtures)
                if not fixtures:
                    fixtures = "none"
                elif self.restored:
                    fixtures = f"{fixtures}: skipped, the state file was restored"
                else:
                    for name in self.settings.fixtures:
                        await self.load_fixture(name)
                    fixtures = f"{fixtures}: loaded"
                for line in banner.lines(
                    self.settings, VENDORS, state=self.state_line, fixtures=fixtures
                ):
                    log.info(line)
                loop = asyncio.get_running_loop()
                self._ticker = loop.create_task(self.sandbox.run_ticker())
                self._stopping = asyncio.Event()
                if self.settings.autosave:
                    self._autosaver = loop.create_task(
                        self._autosave(self.settings.autosave, self._stopping)
                    )
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                if self._ticker is not None:
                    self._ticker.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await self._ticker
                if self._stopping is not None:
                    self._stopping.set()
                if self._autosaver is not None:
                    await self._autosaver  # a save under way finishes before the last one
                    self._autosaver = None
                saved = await self._save_state_file()
                await self.sandbox.aclose()
                if saved:
                    await send({"type": "lifespan.shutdown.complete"})
                else:
                    self.state_lost = True
                    await send({"type": "lifespan.shutdown.failed", "message": "state not saved"})
                return

    async def load_fixture(self, name: str) -> fixtures.Loaded:
        """Replays a bundled fixture through this app (see :mod:`mockserver.fixtures`)."""
        loaded = await fixtures.run(self, name, admin=headers_for(self.settings.admin_token))
        log.info("fixture %s loaded: tenants %s", name, ", ".join(loaded.tenants))
        return loaded

    def _load_state_file(self) -> bool:
        """Restores the state file when it exists; a file that is not a state, or one that
        could not be written, refuses to start (``SnapshotError``, a ``ValueError``) rather
        than be overwritten at shutdown, or lose everything then."""
        path = self.settings.state_file
        if path is None:
            return False
        check_writable(path)
        saved = (
            f"saved every {self.settings.autosave:g} s and at shutdown"
            if self.settings.autosave
            else "saved at shutdown"
        )
        if not os.path.exists(path):
            self.state_line = f"{path}: not there yet, starts empty; {saved}"
            return False
        try:
            header = self.snapshots.restore_state_file()
        except SnapshotError as exc:
            raise SnapshotError(f"state file {path}: {exc}") from None
        self.state_line = (
            f"{path}: restored ({header.tenants} tenants, taken {header.taken_at}); {saved}"
        )
        return True

    async def _autosave(self, interval: float, stopping: asyncio.Event) -> None:
        """Saves the state file every ``interval`` seconds of wall time until ``stopping``
        is set, so a server killed outright loses at most that much. A failed save is
        logged, the previous file kept, and the next one tried on time."""
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stopping.wait(), interval)
            if stopping.is_set():
                return
            await self._save_state_file()

    async def _save_state_file(self) -> bool:
        """Saves the state file (when there is one); False, logged, if it failed."""
        try:
            await self.snapshots.save_state_file()
        except StateNotSaved as exc:
            log.error("%s", exc.detail)
            return False
        except Exception:  # whatever it was, the state is not on disk, and must be said
            log.exception("state not saved to %s", self.settings.state_file)
            return False
        return True


def create_app(
    settings: Settings | None = None, *, webhook_transport: httpx.AsyncBaseTransport | None = None
) -> MockServer:
    """The sandbox as an ASGI app.

    ``webhook_transport`` replaces the network for outbound webhooks (an
    ``httpx.MockTransport`` in tests that want no receiver on a real port).
    """
    return MockServer(settings or Settings(), webhook_transport=webhook_transport)

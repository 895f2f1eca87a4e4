"""The pytest plugin: a sandbox for the session, a clean one for every test.

Registered through the ``pytest11`` entry point, so installing the package is all it
takes. The server is a real uvicorn on a free loopback port in a background thread,
started once per session; each test gets it reset. A test marked
``@pytest.mark.mockserver(seed=..., clock=..., strict_auth=...)`` gets a server of its
own with those settings instead. A server started with an admin token (the
``--mockserver-admin-token`` option, or ``admin_token=`` in the marker) is called
with it by the handle. Nothing heavy is imported until a test asks for the
fixture, so the plugin costs nothing to suites that do not use it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from ..settings import Settings
    from .handle import MockServerHandle
    from .server import ServerThread

MARKER = "mockserver"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("mockserver", "the mockserver sandbox")
    group.addoption(
        "--mockserver-seed",
        type=int,
        default=0,
        help="seed of the session's sandbox (same seed, same data)",
    )
    group.addoption(
        "--mockserver-clock",
        choices=("manual", "realtime"),
        default="manual",
        help="manual (default): sim time moves only when a test advances it",
    )
    group.addoption(
        "--mockserver-strict-auth",
        action="store_true",
        default=False,
        help="refuse credentials not registered as tenants",
    )
    group.addoption(
        "--mockserver-admin-token",
        default=None,
        help="start the sandbox asking this token on /_mock (the handle sends it)",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"{MARKER}(**settings): run the test against a sandbox of its own, started with "
        "these settings (seed, clock, speed, strict_auth, rate_limits, ...)",
    )


def _settings(config: pytest.Config, **overrides: Any) -> Settings:
    from dataclasses import fields

    from ..settings import Settings

    known = [f.name for f in fields(Settings)]
    unknown = sorted(set(overrides) - set(known))
    if unknown:
        raise pytest.UsageError(
            f"@pytest.mark.{MARKER}: no setting named {', '.join(map(repr, unknown))}; "
            f"the settings are {', '.join(known)}"
        )
    return Settings(
        **{
            "seed": config.getoption("--mockserver-seed"),
            "clock": config.getoption("--mockserver-clock"),
            "strict_auth": config.getoption("--mockserver-strict-auth"),
            "admin_token": config.getoption("--mockserver-admin-token"),
            **overrides,
        }
    )


@pytest.fixture(scope="session")
def mockserver_server(pytestconfig: pytest.Config) -> Iterator[ServerThread]:
    """The session's sandbox (prefer the ``mockserver`` fixture, which also resets it)."""
    from .server import ServerThread

    server = ServerThread(_settings(pytestconfig)).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def mockserver(request: pytest.FixtureRequest) -> Iterator[MockServerHandle]:
    """A handle on a clean sandbox: URLs, fresh tenants and the whole ``/_mock`` API."""
    from .handle import MockServerHandle
    from .server import ServerThread

    marker = request.node.get_closest_marker(MARKER)
    own: ServerThread | None = None
    if marker is not None:
        own = ServerThread(_settings(request.config, **marker.kwargs)).start()
        server = own
    else:
        server = request.getfixturevalue("mockserver_server")
    handle = MockServerHandle(
        server.url, namespace=request.node.nodeid, admin_token=server.admin_token
    )
    try:
        if own is None:
            handle.reset()
        yield handle
    finally:
        handle.close()
        if own is not None:
            own.stop()

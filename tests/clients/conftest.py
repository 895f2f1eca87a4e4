"""Real, unmodified public clients against a real sandbox on loopback.

Clients that hard-code their vendor's host (py-figure-eight, adapapi) keep their URLs:
the ``vendor_hosts`` fixture hands each request for one of the vendor's real hosts to
the sandbox instead, at the transport (``requests``' adapter), with the real host in
the ``Host`` header, so the sandbox serves it as it would that host. Clients that wait
with ``sleep`` get the sandbox's clock advanced instead (``SimClock``): nothing here
sleeps on wall time.

py-figure-eight cannot come from the test extras: its release pins requests 2.22,
pandas 0.25 and setuptools 41, which no longer install on Python 3.11, and it builds
only with pbr and setuptools-scm at hand. ``py_figure_eight`` therefore installs that
one release, without its pins (``--no-deps``) and with the extras' build tools
(``--no-build-isolation``), into a cache directory once, and imports it from there;
its real dependencies (requests, pandas, glog) are in the extras.
"""

from __future__ import annotations

import importlib
import os
import shutil
import subprocess
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
import requests.adapters
from client_kit import Call, Calls, SimClock

from mockserver.settings import Settings
from mockserver.testing import ServerThread

PY_FIGURE_EIGHT = "py-figure-eight==0.3.5"
CROWDFLOWER_HOSTS = frozenset(
    {"api.figure-eight.com", "api.appen.com", "api.eu.appen.com", "api.crowdflower.com"}
)


@pytest.fixture
def server() -> Iterator[ServerThread]:
    settings = Settings(clock="manual", seed=13, rate_limits=False, epoch="2024-05-01T10:00:00Z")
    with ServerThread(settings) as running:
        yield running


@pytest.fixture
def clock(server: ServerThread) -> SimClock:
    return SimClock(server)


@pytest.fixture
def vendor_hosts(server: ServerThread, monkeypatch: pytest.MonkeyPatch) -> Calls:
    """Sends ``requests``' calls to CrowdFlower's real hosts to the sandbox, and notes each."""
    sandbox = urlsplit(server.url).netloc
    real_send = requests.adapters.HTTPAdapter.send
    calls = Calls()

    def send(adapter: requests.adapters.HTTPAdapter, request: Any, **kwargs: Any) -> Any:
        url = urlsplit(request.url)
        if url.hostname not in CROWDFLOWER_HOSTS:
            raise AssertionError(f"the client called an unexpected host: {request.url}")
        if len(calls) >= calls.limit:
            raise AssertionError(f"more than {calls.limit} requests: is the client looping?")
        request.headers["Host"] = url.netloc
        request.url = urlunsplit(("http", sandbox, url.path, url.query, ""))
        response = real_send(adapter, request, **kwargs)
        calls.append(Call(request.method, str(url.hostname), url.path, response.status_code))
        return response

    monkeypatch.setattr(requests.adapters.HTTPAdapter, "send", send)
    return calls


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "mockserver-tests" / PY_FIGURE_EIGHT.replace("==", "-")


@pytest.fixture(scope="session")
def py_figure_eight() -> ModuleType:
    """The unmodified ``figure_eight`` package of py-figure-eight 0.3.5."""
    target = _cache_dir()
    if not (target / "figure_eight" / "figure_eight.py").exists():
        staging = target.with_name(target.name + f".{os.getpid()}")
        shutil.rmtree(target, ignore_errors=True)  # a copy cut short by an earlier run
        subprocess.run(
            [sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
            + ["--no-deps", "--no-build-isolation", "--target", str(staging), PY_FIGURE_EIGHT],
            check=True,
        )
        staging.replace(target)
    if str(target) not in sys.path:
        sys.path.append(str(target))
    with warnings.catch_warnings():
        # Its __init__ reads its version through pkg_resources, which newer setuptools
        # releases mark as deprecated on import.
        warnings.simplefilter("ignore", DeprecationWarning)
        warnings.filterwarnings("ignore", message="pkg_resources is deprecated")
        return importlib.import_module("figure_eight.figure_eight")

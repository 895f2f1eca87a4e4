"""The sandbox on a real loopback port for the contract run, and a tally of requests.

The number of generated requests sent to each vendor, and the seconds its run
took, are printed at the end of the pytest run.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
import requests
from contract_kit import PREPARE, SECONDS, SENT, STATUSES, Target

from mockserver.settings import Settings
from mockserver.testing import ServerThread


@pytest.fixture(scope="session")
def server() -> Iterator[ServerThread]:
    settings = Settings(clock="manual", rate_limits=False, seed=7, journal_size=10)
    running = ServerThread(settings).start()
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture(scope="session")
def session() -> Iterator[requests.Session]:
    with requests.Session() as opened:
        yield opened


@pytest.fixture
def target(
    request: pytest.FixtureRequest, server: ServerThread, session: requests.Session
) -> Iterator[Target]:
    name: str = request.param
    vendor = name.split()[0]
    started = time.perf_counter()
    yield PREPARE[name](f"{server.url}/{vendor}", session)
    SECONDS[name] = SECONDS.get(name, 0.0) + time.perf_counter() - started


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not SENT:
        return
    terminalreporter.section("contract run")
    for name, count in sorted(SENT.items()):
        classes = ", ".join(
            f"{kind} {STATUSES[name, kind]}"
            for kind in ("2xx", "4xx", "5xx")
            if STATUSES[name, kind]
        )
        seconds = SECONDS.get(name, 0.0)
        terminalreporter.write_line(
            f"{name}: {count} generated requests ({classes}) in {seconds:.1f} s"
        )

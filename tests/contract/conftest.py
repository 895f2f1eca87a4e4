"""The sandbox on a real loopback port for the contract run, and a tally of requests.

The number of generated requests sent to each vendor, by phase and status class, is
printed at the end of the pytest run.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests

from mockserver.settings import Settings
from mockserver.testing import ServerThread
from mockserver.testing.fuzzing import Tally

TALLIES: dict[str, Tally] = {}


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


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not TALLIES:
        return
    terminalreporter.section("contract run")
    for name, tally in sorted(TALLIES.items()):
        phases = ", ".join(f"{phase} {count}" for phase, count in sorted(tally.requests.items()))
        statuses = ", ".join(f"{kind} {count}" for kind, count in sorted(tally.statuses.items()))
        terminalreporter.write_line(f"{name}: {tally.sent} requests ({phases}; {statuses})")
    total = sum(tally.sent for tally in TALLIES.values())
    terminalreporter.write_line(f"in all: {total} requests")

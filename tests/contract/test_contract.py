"""Every vendor answers as its served OpenAPI document says, under schemathesis' whole run.

The examples, coverage, fuzzing and stateful phases (the last follows the documents'
links from each create to its reads and updates) are sent with a real credential to
the sandbox on a loopback port, for every registered vendor. No answer may be a server
error the operation does not document, and every status, media type and body must be
one the document allows. The run is seeded and bounded: it is repeatable, and the
module's tests share each vendor's run (about a minute for all four).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
import requests
from conftest import TALLIES

from mockserver.app import vendor_names
from mockserver.testing import ServerThread, fuzzing

EXAMPLES = 5
SEED = 7
AT_LEAST = 5_000

Runs = Callable[[str], fuzzing.Tally]


@pytest.fixture(scope="module")
def runs(server: ServerThread, session: requests.Session) -> Runs:
    """A vendor's run, made on first use and shared by the module's tests."""
    made: dict[str, fuzzing.Tally] = {}

    def of(vendor: str) -> fuzzing.Tally:
        if vendor not in made:
            made[vendor] = fuzzing.Tally()
            for target in fuzzing.targets(server.url, session, only=[vendor]):
                found = fuzzing.run(target, session, max_examples=EXAMPLES, seed=SEED)
                TALLIES[target.name] = found
                made[vendor].add(found)
        return made[vendor]

    return of


@pytest.mark.parametrize("vendor", vendor_names())
def test_no_answer_is_a_server_error(vendor: str, runs: Runs) -> None:
    tally = runs(vendor)
    assert not tally.errors, "\n".join(tally.errors)
    assert not tally.of("server error"), "\n\n".join(map(str, tally.of("server error")))


@pytest.mark.parametrize("vendor", vendor_names())
def test_every_answer_is_one_the_document_allows(vendor: str, runs: Runs) -> None:
    broken = [found for found in runs(vendor).findings if found.kind != "server error"]
    assert not broken, "\n\n".join(map(str, broken))


@pytest.mark.parametrize("vendor", vendor_names())
def test_every_phase_sent_requests(vendor: str, runs: Runs) -> None:
    tally = runs(vendor)
    assert set(tally.requests) == set(fuzzing.PHASES)
    assert tally.statuses["2xx"] > 0 and tally.statuses["4xx"] > 0


@pytest.mark.timeout(600)  # alone, it makes every vendor's run; after the others, none
def test_the_run_is_thousands_of_requests(runs: Runs) -> None:
    assert sum(runs(vendor).sent for vendor in vendor_names()) >= AT_LEAST

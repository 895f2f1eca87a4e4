"""Every vendor answers as its served OpenAPI document says, under schemathesis' whole run.

The examples, coverage, fuzzing and stateful phases (the last follows the documents'
links from each create to its reads and updates) are sent with a real credential to
the sandbox on a loopback port, for every registered vendor. No answer may be a server
error the operation does not document, and every status, media type and body must be
one the document allows. The run is seeded and bounded: it is repeatable, and the
module's tests share one run of about a minute.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests
from conftest import TALLIES

from mockserver.app import vendor_names
from mockserver.testing import ServerThread, fuzzing

EXAMPLES = 5
SEED = 7
AT_LEAST = 5_000


@pytest.fixture(scope="module")
def contract_run(
    server: ServerThread, session: requests.Session
) -> Iterator[dict[str, fuzzing.Tally]]:
    for target in fuzzing.targets(server.url, session):
        TALLIES[target.name] = fuzzing.run(target, session, max_examples=EXAMPLES, seed=SEED)
    yield TALLIES


def _of(vendor: str, tallies: dict[str, fuzzing.Tally]) -> fuzzing.Tally:
    found = fuzzing.Tally()
    for name, tally in tallies.items():
        if name.split()[0] == vendor:
            found.add(tally)
    return found


@pytest.mark.parametrize("vendor", vendor_names())
def test_no_answer_is_a_server_error(vendor: str, contract_run: dict[str, fuzzing.Tally]) -> None:
    tally = _of(vendor, contract_run)
    assert not tally.errors, "\n".join(tally.errors)
    assert not tally.of("server error"), "\n\n".join(map(str, tally.of("server error")))


@pytest.mark.parametrize("vendor", vendor_names())
def test_every_answer_is_one_the_document_allows(
    vendor: str, contract_run: dict[str, fuzzing.Tally]
) -> None:
    broken = [found for found in _of(vendor, contract_run).findings if found.kind != "server error"]
    assert not broken, "\n\n".join(map(str, broken))


@pytest.mark.parametrize("vendor", vendor_names())
def test_every_phase_sent_requests(vendor: str, contract_run: dict[str, fuzzing.Tally]) -> None:
    tally = _of(vendor, contract_run)
    assert set(tally.requests) == set(fuzzing.PHASES)
    assert tally.statuses["2xx"] > 0 and tally.statuses["4xx"] > 0


def test_the_run_is_thousands_of_requests(contract_run: dict[str, fuzzing.Tally]) -> None:
    assert sum(tally.sent for tally in contract_run.values()) >= AT_LEAST

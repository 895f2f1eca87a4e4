"""A refused request changes nothing: not its tenant, not any other, and makes none.

Requests are drawn by schemathesis from each vendor's served document, as a client
that reads it would send them, both fitting the schemas and not. Whenever the answer
is a 4xx or 5xx, the sandbox's exported state (what its snapshot holds: every
tenant's world, clock and event queue, and the delivery log) must be byte for byte
what it was before. Requests run under tenants prepared before the run; a refused request
under a key never seen before must not create its tenant either.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Iterator
from typing import Any

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.config import SchemathesisConfig
from schemathesis.generation.case import Case

from mockserver.app import vendor_names
from mockserver.core import snapshot
from mockserver.core.rng import Rng
from mockserver.settings import Settings
from mockserver.testing import ServerThread, fuzzing

EXAMPLES = 80
BOUNDED = settings(
    max_examples=EXAMPLES, derandomize=True, database=None, deadline=None,
    suppress_health_check=list(HealthCheck),
)  # fmt: skip


@pytest.fixture(scope="module")
def server() -> Iterator[ServerThread]:
    with ServerThread(Settings(clock="manual", rate_limits=False, seed=7)) as running:
        yield running


@pytest.fixture(scope="module")
def session() -> Iterator[requests.Session]:
    with requests.Session() as opened:
        yield opened


@pytest.fixture(scope="module")
def targets(server: ServerThread, session: requests.Session) -> dict[str, fuzzing.Target]:
    """The first target of each vendor, its tenant holding a resource of each kind."""
    found: dict[str, fuzzing.Target] = {}
    for target in fuzzing.targets(server.url, session):
        found.setdefault(target.name.split()[0], target)
    return found


class _Export(snapshot._Pickler):
    """The snapshot's pickler, leaving out the tenants' random streams.

    Every clickworker and ModelArts answer, a refusal's too, carries a request id drawn
    from the tenant's stream (see ``core.rng``): that draw is the answer, not a change.
    """

    def persistent_id(self, obj: Any) -> tuple[str, ...] | None:
        return ("rng",) if isinstance(obj, Rng) else super().persistent_id(obj)


def exported(server: ServerThread, session: requests.Session) -> bytes:
    """Every tenant and the delivery log, pickled as a snapshot pickles them.

    What was due at the current instant is fired first and webhook attempts under way
    are let land (an advance by 0 s), so the export holds all that earlier requests did.
    """
    settled = session.post(f"{server.url}/_mock/clock/advance", json={"seconds": 0})
    assert settled.status_code == 200, settled.text
    tenants, deliveries = server.app.sandbox.tenants, server.app.sandbox.deliveries
    buffer = io.BytesIO()
    _Export(buffer, tenants, deliveries).dump((tenants.__getstate__(), deliveries.__getstate__()))
    return buffer.getvalue()


def cases(target: fuzzing.Target, session: requests.Session) -> st.SearchStrategy[Case]:
    """Requests for every operation, within and outside the schemas, on the target's ids."""
    document = session.get(f"{target.base_url}/openapi.json").json()
    # the credential is the target's: a drawn one would be another (new) tenant's
    config = SchemathesisConfig.from_dict({"generation": {"with-security-parameters": False}})
    schema = schemathesis.openapi.from_dict(document, config=config)
    drawn = [
        operation.as_strategy(
            mode,
            path_parameters={
                k: v for k, v in target.path_parameters.items() if f"{{{k}}}" in operation.path
            },
            headers=target.headers,
        )
        for operation in (result.ok() for result in schema.get_all_operations())
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
    ]
    return st.one_of(drawn)


def _described(case: Case, response: requests.Response) -> str:
    return f"{case.method} {case.formatted_path} {case.body!r:.300} -> {response.status_code}"


@pytest.mark.parametrize("vendor", vendor_names())
def test_a_refused_request_leaves_every_tenant_as_it_was(
    vendor: str,
    server: ServerThread,
    session: requests.Session,
    targets: dict[str, fuzzing.Target],
) -> None:
    target = targets[vendor]
    refused = []

    @BOUNDED
    @given(case=cases(target, session))
    def unchanged(case: Case) -> None:
        before = exported(server, session)
        response = case.call(base_url=target.base_url, session=session, headers=target.headers)
        if response.status_code >= 400:
            refused.append(response.status_code)
            assert exported(server, session) == before, _described(case, response)

    unchanged()
    assert refused  # the draw did reach refusals


FRESH = {
    "cloudfactory": lambda key: {"x-api-key": key},
    "crowdflower": lambda key: {"Authorization": f'Token token="{key}"'},
    "clickworker": lambda key: {
        "Authorization": "Basic " + base64.b64encode(f"{key}:pw".encode()).decode(),
        "Accept": "application/json",
    },
}
"""A credential never seen before, per vendor whose tenants open mode makes on first use
(a ModelArts tenant is its project, reached only with a token IAM issued for it)."""


@pytest.mark.parametrize("vendor", sorted(FRESH))
def test_a_refused_request_under_a_new_key_makes_no_tenant(
    vendor: str,
    server: ServerThread,
    session: requests.Session,
    targets: dict[str, fuzzing.Target],
) -> None:
    target = targets[vendor]
    tenants = server.app.sandbox.tenants
    refused = []

    @BOUNDED
    @given(case=cases(target, session), key=st.uuids().map(str))
    def none_made(case: Case, key: str) -> None:
        known = {tenant.id for tenant in tenants}
        response = case.call(base_url=target.base_url, session=session, headers=FRESH[vendor](key))
        if response.status_code >= 400:
            refused.append(response.status_code)
            assert {tenant.id for tenant in tenants} == known, _described(case, response)

    none_made()
    assert refused

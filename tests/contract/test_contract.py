"""Every vendor answers as its generated OpenAPI document says, for generated requests.

schemathesis draws requests from the document the server itself serves at
``/<vendor>/openapi.json`` (positive data: bodies its schemas accept), sends
them with a valid credential, and checks that no answer is a server error, that
each status, media type and body is one the document allows. The run is
derandomized and bounded so it is repeatable and quick.
"""

from __future__ import annotations

import re

import pytest
import requests
import schemathesis
from contract_kit import PREPARE, SENT, STATUSES, Target
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import CheckContext, not_a_server_error
from schemathesis.core.transport import Response
from schemathesis.generation.case import Case
from schemathesis.schemas import APIOperation
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)


def no_undocumented_server_error(ctx: CheckContext, response: Response, case: Case) -> bool | None:
    """``not_a_server_error``, except for a 5xx the vendor documents for a refusal."""
    if str(response.status_code) in case.operation.definition.raw["responses"]:
        return None
    return not_a_server_error(ctx, response, case)


CHECKS = [
    no_undocumented_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
EXAMPLES = 12
PATH_PARAMETER = re.compile(r"{(\w+)}")


def _operations(target: Target, http: requests.Session) -> list[APIOperation]:
    """The vendor's operations, deletions last so the fixed resources live through the run."""
    document = http.get(f"{target.base_url}/openapi.json").json()
    schema = schemathesis.openapi.from_dict(document)
    found = [result.ok() for result in schema.get_all_operations()]
    return sorted(found, key=lambda operation: operation.method.upper() == "DELETE")


def _exercise(operation: APIOperation, target: Target, http: requests.Session) -> None:
    wanted = set(PATH_PARAMETER.findall(operation.path))
    fixed = {k: v for k, v in target.path_parameters.items() if k in wanted}
    strategy = operation.as_strategy(path_parameters=fixed, headers=target.headers)

    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def send(case: Case) -> None:
        SENT[target.name] += 1
        response = case.call(base_url=target.base_url, session=http, headers=target.headers)
        STATUSES[target.name, f"{response.status_code // 100}xx"] += 1
        case.validate_response(response, checks=CHECKS)

    send()


@pytest.mark.parametrize("target", sorted(PREPARE), indirect=True)
def test_every_operation_honours_the_served_document(
    target: Target, session: requests.Session
) -> None:
    failures = []
    for operation in _operations(target, session):
        try:
            _exercise(operation, target, session)
        except Exception as failure:  # collect them all: one run shows every broken operation
            failures.append(f"{operation.label}: {failure}")
    assert not failures, "\n\n".join(failures)

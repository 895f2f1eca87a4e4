"""schemathesis' whole run against a running sandbox, every vendor with a real credential.

:func:`targets` prepares each registered vendor the way a client starts: a credential
that works (a ModelArts IAM token is issued, not made up) and a resource of each kind
its paths name, so generated requests reach the handlers instead of "not found".
:func:`run` drives schemathesis' engine through all its phases (examples, coverage,
fuzzing, and the stateful phase that follows the documents' links from each create)
and tallies what came back: requests by phase and status class, server errors (a 5xx
the operation does not document) and every failed conformance check.

The contract run in CI and the deep fuzz in ``bench/`` both use it. Like
:mod:`.strategies`, it needs the test extras; the server never imports it.
"""

from __future__ import annotations

import base64
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import requests
import schemathesis
from schemathesis.config import SchemathesisConfig
from schemathesis.engine import events, from_schema

from ..app import VENDORS

__all__ = ["CHECKS", "PHASES", "Finding", "Tally", "Target", "run", "targets"]

PHASES = ("examples", "coverage", "fuzzing", "stateful")
CHECKS = ("status_code_conformance", "content_type_conformance", "response_schema_conformance")
"""Server errors are counted from the answers (a documented 5xx is a refusal, not one)."""
STATEFUL_SCALE = 4
PROJECT = "0123456789abcdef0123456789abcdef"
EXCERPT = 300


@dataclass(frozen=True)
class Target:
    """How to call one vendor: its base URL, credential headers and fixed path ids.

    ``name`` is the vendor's, with what sets this run apart when there are several.
    """

    name: str
    base_url: str
    headers: dict[str, str]
    path_parameters: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Finding:
    """One failed request: what was sent, what came back, and what it broke."""

    kind: str
    operation: str
    method: str
    uri: str
    status: int | None
    body: str
    answer: str

    def __str__(self) -> str:
        return (
            f"{self.kind} in {self.operation}: {self.method} {self.uri} -> {self.status}\n"
            f"  body: {self.body}\n  answer: {self.answer}"
        )


@dataclass
class Tally:
    """What a run sent and found."""

    requests: Counter[str] = field(default_factory=Counter)
    statuses: Counter[str] = field(default_factory=Counter)
    findings: list[Finding] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def sent(self) -> int:
        return sum(self.requests.values())

    def of(self, kind: str) -> list[Finding]:
        return [found for found in self.findings if found.kind == kind]

    def add(self, other: Tally) -> None:
        self.requests.update(other.requests)
        self.statuses.update(other.statuses)
        self.findings.extend(other.findings)
        self.errors.extend(other.errors)


Prepared = tuple[dict[str, str], dict[str, Any]]
"""A vendor's credential headers and the ids of the resources made for the run."""
Prepare = Callable[[str, requests.Session], Prepared]


def _cloudfactory(base: str, http: requests.Session) -> Prepared:
    headers = {"x-api-key": "contract-key"}
    media = http.post(f"{base}/v1/media", json={"configuration_id": "cfg-1"}, headers=headers)
    _expect(media, 200)
    _expect(http.put(media.json()["media_upload_url"], data=b"\x89PNG contract"), 200)
    task = http.post(
        f"{base}/v1/tasks",
        json={"configuration_id": "cfg-1", "media_key": media.json()["media_key"]},
        headers=headers,
    )
    _expect(task, 200)
    ids = {"workstream_id": "ws-1", "task_id": task.json()["task_id"]}
    return headers, ids


def _crowdflower(base: str, http: requests.Session) -> Prepared:
    headers = {"Authorization": 'Token token="contract-key"'}
    job = http.post(f"{base}/v1/jobs.json", json={"job": {"title": "contract"}}, headers=headers)
    _expect(job, 200)
    job_id = job.json()["id"]
    unit = http.post(
        f"{base}/v1/jobs/{job_id}/units.json",
        json={"unit": {"data": {"text": "contract"}}},
        headers=headers,
    )
    _expect(unit, 200)
    ids = {"job_id": str(job_id), "unit_id": str(unit.json()["id"])}
    return headers, ids


def _clickworker(base: str, http: requests.Session) -> Prepared:
    token = base64.b64encode(b"contract:secret").decode()
    headers = {"Authorization": f"Basic {token}"}
    _expect(http.get(f"{base}/api/marketplace/v2/customer", headers=headers), 200)  # the account
    return headers, {}


def _modelarts(base: str, http: requests.Session) -> Prepared:
    body: dict[str, Any] = {"auth": {
        "identity": {"methods": ["password"], "password": {"user": {
            "name": "owner", "password": "pw", "domain": {"name": "acme"}}}},
        "scope": {"project": {"id": PROJECT}},
    }}  # fmt: skip
    issued = http.post(f"{base}/v3/auth/tokens", json=body)
    _expect(issued, 201)
    headers = {"X-Auth-Token": issued.headers["X-Subject-Token"]}
    dataset = http.post(
        f"{base}/v2/{PROJECT}/datasets",
        json={
            "dataset_name": "contract",
            "data_sources": [{"data_type": 0, "data_path": "/bucket/input/contract/"}],
            "work_path": "/bucket/output/",
            "work_path_type": 0,
        },
        headers=headers,
    )
    _expect(dataset, 201)
    ids = {"project_id": PROJECT, "dataset_id": dataset.json()["dataset_id"]}
    return headers, ids


PREPARE: dict[str, Prepare] = {
    "cloudfactory": _cloudfactory,
    "crowdflower": _crowdflower,
    "clickworker": _clickworker,
    "modelarts": _modelarts,
}


def _expect(response: requests.Response, status: int) -> None:
    if response.status_code != status:
        raise RuntimeError(
            f"preparing {response.request.method} {response.url}: "
            f"{response.status_code}, not {status}: {response.text[:EXCERPT]}"
        )


def targets(server_url: str, http: requests.Session, only: Iterable[str] = ()) -> list[Target]:
    """Every registered vendor (or those in ``only``), prepared on the server at ``server_url``.

    A vendor that answers in several media types (clickworker: XML and JSON) is a
    target per type, asked for in ``Accept``. A vendor without a preparation here is an
    error, not a vendor left out.
    """
    wanted = set(only)
    found: list[Target] = []
    for ref in VENDORS:
        if wanted and ref.name not in wanted:
            continue
        if ref.name not in PREPARE:
            raise LookupError(f"no contract preparation for the vendor {ref.name!r}")
        base = f"{server_url}/{ref.name}"
        headers, ids = PREPARE[ref.name](base, http)
        answers = ref.load().api.media_types
        if len(answers) == 1:
            found.append(Target(ref.name, base, headers, ids))
        else:
            found.extend(
                Target(f"{ref.name} ({media})", base, {**headers, "Accept": media}, ids)
                for media in sorted(answers)
            )
    return found


def run(
    target: Target,
    http: requests.Session,
    *,
    max_examples: int,
    seed: int,
    phases: Sequence[str] = PHASES,
    workers: int = 1,
) -> Tally:
    """One schemathesis run of the target's served document; never raises on a finding."""
    document = http.get(f"{target.base_url}/openapi.json").json()
    config = SchemathesisConfig.from_dict(
        {
            "base-url": target.base_url,
            "headers": target.headers,
            "seed": seed,
            "workers": workers,
            "continue-on-failure": True,
            "cache": {"enabled": False},  # a repeatable run, and no files left behind
            "suppress-health-check": ["all"],
            "parameters": {f"path.{k}": v for k, v in target.path_parameters.items()},
            "generation": {"max-examples": max_examples},
            # an operation without examples gets generated ones in the examples phase
            "phases": {
                **{phase: {"enabled": phase in phases} for phase in PHASES},
                "examples": {"enabled": "examples" in phases, "fill-missing": True},
                # a scenario there is a chain of calls along the links: cheap, and deep
                "stateful": {
                    "enabled": "stateful" in phases,
                    "generation": {"max-examples": STATEFUL_SCALE * max_examples},
                },
            },
            "checks": {"enabled": False, **{name: {"enabled": True} for name in CHECKS}},
        }
    )
    schema = schemathesis.openapi.from_dict(document, config=config)
    tally = Tally()
    for event in from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished):
            _record(event, tally)
        elif isinstance(event, events.NonFatalError | events.FatalError):
            tally.errors.append(f"{target.name}: {event}")
    return tally


def _record(event: events.ScenarioFinished, tally: Tally) -> None:
    recorder = event.recorder
    for case_id, interaction in recorder.interactions.items():
        tally.requests[event.phase.value] += 1
        response = interaction.response
        if response is None:
            continue
        tally.statuses[f"{response.status_code // 100}xx"] += 1
        if response.status_code >= 500:
            operation = recorder.cases[case_id].value.operation
            if str(response.status_code) not in operation.definition.raw.get("responses", {}):
                tally.findings.append(_finding("server error", operation.label, interaction))
    for case_id, checks in recorder.checks.items():
        sent = recorder.interactions.get(case_id)
        if sent is None:
            continue
        if sent.response is not None and sent.response.status_code >= 500:
            continue  # counted above, as a server error or a documented refusal
        for check in checks:
            if check.failure_info is not None:
                operation = recorder.cases[case_id].value.operation
                kind = f"{check.name}: {check.failure_info.failure.title}"
                tally.findings.append(_finding(kind, operation.label, sent))


def _finding(kind: str, operation: str, interaction: Any) -> Finding:
    request, response = interaction.request, interaction.response
    body = (request.body or b"")[:EXCERPT].decode("utf-8", "replace")
    answer = "" if response is None else response.content[:EXCERPT].decode("utf-8", "replace")
    status = None if response is None else response.status_code
    return Finding(kind, operation, request.method, request.uri, status, body, answer)

"""What the contract run needs per vendor: a credential and resources to aim at.

Each vendor gets valid credentials and, where its paths name resources, ids of
resources created before the run, so generated requests reach the handlers
instead of stopping at "not found".
"""

from __future__ import annotations

import base64
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import requests

SENT: Counter[str] = Counter()
STATUSES: Counter[tuple[str, str]] = Counter()
SECONDS: dict[str, float] = {}
PROJECT = "0123456789abcdef0123456789abcdef"


@dataclass
class Target:
    """How to call one vendor: its base URL, credential headers and fixed path ids.

    ``name`` is the vendor's, with what sets this run apart when there are several.
    """

    name: str
    base_url: str
    headers: dict[str, str]
    path_parameters: dict[str, Any] = field(default_factory=dict)


def _cloudfactory(base: str, http: requests.Session) -> Target:
    headers = {"x-api-key": "contract-key"}
    media = http.post(f"{base}/v1/media", json={"configuration_id": "cfg-1"}, headers=headers)
    assert media.status_code == 200, media.text
    uploaded = http.put(media.json()["media_upload_url"], data=b"\x89PNG contract")
    assert uploaded.ok, uploaded.text
    task = http.post(
        f"{base}/v1/tasks",
        json={"configuration_id": "cfg-1", "media_key": media.json()["media_key"]},
        headers=headers,
    )
    assert task.status_code == 200, task.text
    ids = {"workstream_id": "ws-1", "task_id": task.json()["task_id"]}
    return Target("cloudfactory", base, headers, ids)


def _crowdflower(base: str, http: requests.Session) -> Target:
    headers = {"Authorization": 'Token token="contract-key"'}
    job = http.post(f"{base}/v1/jobs.json", json={"job": {"title": "contract"}}, headers=headers)
    assert job.status_code == 200, job.text
    return Target("crowdflower", base, headers, {"job_id": str(job.json()["id"])})


def _clickworker(answers: str) -> Callable[[str, requests.Session], Target]:
    """clickworker answers in the media type asked for, so it is run once per type."""

    def prepare(base: str, http: requests.Session) -> Target:
        token = base64.b64encode(b"contract:secret").decode()
        headers = {"Authorization": f"Basic {token}", "Accept": answers}
        return Target(f"clickworker ({answers})", base, headers)

    return prepare


def _modelarts(base: str, http: requests.Session) -> Target:
    body = {"auth": {
        "identity": {"methods": ["password"], "password": {"user": {
            "name": "owner", "password": "pw", "domain": {"name": "acme"}}}},
        "scope": {"project": {"id": PROJECT}},
    }}  # fmt: skip
    issued = http.post(f"{base}/v3/auth/tokens", json=body)
    assert issued.status_code == 201, issued.text
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
    assert dataset.status_code == 201, dataset.text
    ids = {"project_id": PROJECT, "dataset_id": dataset.json()["dataset_id"]}
    return Target("modelarts", base, headers, ids)


PREPARE: dict[str, Callable[[str, requests.Session], Target]] = {
    "cloudfactory": _cloudfactory,
    "crowdflower": _crowdflower,
    "clickworker (application/json)": _clickworker("application/json"),
    "clickworker (application/xml)": _clickworker("application/xml"),
    "modelarts": _modelarts,
}

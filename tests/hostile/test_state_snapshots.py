"""Saving the state cannot half-fail: a failed save answers JSON and keeps the file on disk.

``POST /_mock/snapshot`` with a state file writes a temporary file beside it and renames
it over the old one; when that fails (a full disk, the directory gone), the answer is the
control API's JSON error naming the file, the previous file is untouched, nothing is left
behind and no snapshot is kept under the name. Documents as deep as any request may send
(100 levels) are saved and restored like any other.
"""

from __future__ import annotations

import errno
import logging
import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from mockserver.app import create_app
from mockserver.core import snapshot as snapshot_module
from mockserver.settings import Settings

KEY = {"key": "deep"}
TENANT = "crowdflower:deep"


@pytest.fixture
def state_file(tmp_path: Path) -> Path:
    return tmp_path / "state" / "state.bin"


@pytest.fixture
def client(state_file: Path) -> Iterator[TestClient]:
    state_file.parent.mkdir()
    settings = Settings(clock="manual", seed=2, rate_limits=False, state_file=str(state_file))
    with TestClient(create_app(settings)) as running:
        yield running


def nested(depth: int) -> Any:
    """A JSON value ``depth`` containers deep."""
    value: Any = "leaf"
    for level in range(depth):
        value = {"d": value} if level % 2 else [value]
    return value


def job(client: TestClient) -> int:
    created = client.post(
        "/crowdflower/v1/jobs.json", params=KEY, data={"job[title]": "Rate the tweets"}
    )
    assert created.status_code == 200, created.text
    job_id: int = created.json()["id"]
    return job_id


def add_unit(client: TestClient, job_id: int, data: Any) -> Any:
    return client.post(f"/crowdflower/v1/jobs/{job_id}/units.json", params=KEY, json=data)


def units(client: TestClient, job_id: int) -> Any:
    listed = client.get(f"/crowdflower/v1/jobs/{job_id}/units.json", params=KEY)
    assert listed.status_code == 200, listed.text
    return listed.json()


def snapshot(client: TestClient, name: str = "default") -> Any:
    return client.post("/_mock/snapshot", json={"name": name})


def test_a_snapshot_of_a_document_as_deep_as_a_request_may_be_restores_it(
    client: TestClient, state_file: Path
) -> None:
    job_id = job(client)
    body = {"unit": {"data": nested(98)}}  # 100 levels in all: the most a body may have
    assert add_unit(client, job_id, body).status_code == 200
    assert add_unit(client, job_id, {"unit": {"data": nested(99)}}).status_code == 400
    saved = units(client, job_id)
    assert snapshot(client).status_code == 201
    assert state_file.exists()
    assert add_unit(client, job_id, {"unit": {"data": {"later": 1}}}).status_code == 200
    restored = client.post("/_mock/restore", json={"state_file": True})
    assert restored.status_code == 200, restored.text
    assert units(client, job_id) == saved


def test_a_failed_save_answers_json_and_keeps_the_previous_file(
    client: TestClient, state_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    job(client)
    assert snapshot(client, "first").status_code == 201
    previous = state_file.read_bytes()

    def disk_full(descriptor: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(snapshot_module.os, "fsync", disk_full)
    job(client)
    failed = snapshot(client, "second")
    assert failed.status_code == 500
    error = failed.json()["error"]
    assert str(state_file) in error and os.strerror(errno.ENOSPC) in error
    assert state_file.read_bytes() == previous
    assert sorted(os.listdir(state_file.parent)) == ["state.bin"]  # no temporary left
    listed = client.get("/_mock/snapshots").json()["snapshots"]
    assert [s["name"] for s in listed] == ["first"]

    monkeypatch.undo()
    assert snapshot(client, "second").status_code == 201
    assert state_file.read_bytes() != previous


def test_a_state_file_whose_directory_went_away_answers_json(
    client: TestClient, state_file: Path
) -> None:
    job(client)
    state_file.parent.rmdir()
    failed = snapshot(client)
    assert failed.status_code == 500
    assert failed.json()["error"].startswith(f"state file {state_file} not saved")
    state_file.parent.mkdir()  # the server saves at shutdown too


def test_a_state_nested_past_what_can_be_written_is_refused_as_json(
    client: TestClient, state_file: Path
) -> None:
    """No request can store such a document (bodies are refused past 100 levels): this is
    the guard behind that limit, for state that got deep some other way."""
    job(client)
    assert snapshot(client).status_code == 201
    previous = state_file.read_bytes()
    tenant = client.app.sandbox.tenants.get(TENANT)
    tenant.setup = {"deep": nested(5000)}
    failed = snapshot(client)
    assert failed.status_code == 500
    assert "nests too deeply" in failed.json()["error"]
    assert state_file.read_bytes() == previous
    tenant.setup = {}  # the server saves at shutdown too


def test_autosave_logs_a_failed_save_and_saves_again_once_it_can(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    directory = tmp_path / "state"
    state_file = directory / "state.bin"
    directory.mkdir()
    settings = Settings(
        clock="manual", rate_limits=False, state_file=str(state_file), autosave=0.05
    )
    pause = threading.Event()

    def wait_for(condition: Callable[[], bool]) -> bool:
        for _ in range(400):  # 10 s at most
            if condition():
                return True
            pause.wait(0.025)
        return False

    with caplog.at_level(logging.ERROR, logger="mockserver"), TestClient(create_app(settings)):
        assert wait_for(state_file.exists)
        # moved away in one step: deleting it file by file races the next save's temp file
        directory.rename(tmp_path / "moved")
        assert wait_for(lambda: any("not saved" in r.getMessage() for r in caplog.records))
        directory.mkdir()
        assert wait_for(state_file.exists)

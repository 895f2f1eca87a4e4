"""/_mock/snapshot, /_mock/restore, /_mock/snapshots: going back to a saved state in-process."""

from __future__ import annotations

import json
import pickle
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from mockserver.app import create_app
from mockserver.core.clock import Clock, parse_instant
from mockserver.core.snapshot import peek_file
from mockserver.settings import Settings

EPOCH = "2024-05-01T10:00:00Z"
KEY = "crowdflower-fixture-key"
TENANT = f"crowdflower:{KEY}"


def _app(**changes: Any) -> Any:
    return create_app(Settings(clock="manual", seed=4, epoch=EPOCH, rate_limits=False, **changes))


@pytest.fixture
def client() -> Iterator[TestClient]:
    with TestClient(_app()) as running:
        yield running


def _running_job(client: TestClient) -> int:
    loaded = client.post("/_mock/fixtures/crowdflower-running-job")
    assert loaded.status_code == 201, loaded.text
    job_id: int = loaded.json()["captured"]["job_id"]
    return job_id


def _job(client: TestClient, job_id: int) -> dict[str, Any]:
    params = {"key": KEY}
    return {
        "job": client.get(f"/crowdflower/v1/jobs/{job_id}.json", params=params).json(),
        "ping": client.get(f"/crowdflower/v1/jobs/{job_id}/ping.json", params=params).json(),
        "clock": client.get("/_mock/clock", params={"tenant": TENANT}).json(),
    }


def _advance(client: TestClient, seconds: float) -> None:
    assert client.post("/_mock/clock/advance", json={"seconds": seconds}).status_code == 200


def test_restore_by_name_goes_back_and_the_lifecycle_replays_the_same(client: TestClient) -> None:
    job_id = _running_job(client)
    taken = client.post("/_mock/snapshot", json={"name": "mid"})
    assert taken.status_code == 201
    mid = _job(client, job_id)
    assert mid["job"]["state"] == "running"

    _advance(client, 6 * 3600)
    finished = _job(client, job_id)
    assert finished["job"]["state"] == "finished"

    restored = client.post("/_mock/restore", json={"name": "mid"})
    assert restored.status_code == 200
    assert restored.json()["restored"] == "mid" and restored.json()["tenants"] == 1
    assert _job(client, job_id) == mid
    _advance(client, 6 * 3600)
    assert _job(client, job_id) == finished


def test_a_snapshot_answers_its_size_and_tenants_and_is_listed(client: TestClient) -> None:
    _running_job(client)
    taken = client.post("/_mock/snapshot").json()
    assert taken["name"] == "default" and taken["tenants"] == 1 and taken["size"] > 0
    assert taken["taken_at"].endswith("Z") and taken["state_file"] is None
    client.post("/_mock/snapshot", json={"name": "second"})
    listed = client.get("/_mock/snapshots").json()
    assert [s["name"] for s in listed["snapshots"]] == ["default", "second"]
    assert listed["snapshots"][0] == {k: taken[k] for k in ("name", "size", "tenants", "taken_at")}


def test_restore_leaves_later_tenants_out(client: TestClient) -> None:
    client.post("/_mock/snapshot", json={"name": "empty"})
    _running_job(client)
    client.post("/_mock/restore", json={"name": "empty"})
    assert client.get("/_mock/tenants").json()["tenants"] == []


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"name": "nosuch"}, 404, None),
        ({}, 400, "name"),
        ({"name": "x", "state_file": True}, 400, "name"),
        ({"state_file": True}, 400, "state_file"),
        ({"data": "gASVAAAAAAAAAAB9lC4="}, 400, "data"),
        ({"state_file": False}, 400, "state_file"),
    ],
)
def test_a_refused_restore_names_the_problem_and_changes_nothing(
    client: TestClient, body: dict[str, Any], status: int, field: str | None
) -> None:
    job_id = _running_job(client)
    before = _job(client, job_id)
    response = client.post("/_mock/restore", json=body)
    assert response.status_code == status, response.text
    if field is not None:
        assert field in [e["field"] for e in response.json()["errors"]]
    assert _job(client, job_id) == before


def test_a_snapshot_is_written_to_the_state_file_and_restored_from_it(tmp_path: Path) -> None:
    state_file = tmp_path / "state.bin"
    with TestClient(_app(state_file=str(state_file))) as client:
        job_id = _running_job(client)
        taken = client.post("/_mock/snapshot").json()
        assert taken["state_file"] == str(state_file) and state_file.stat().st_size == taken["size"]
        mid = _job(client, job_id)
        _advance(client, 6 * 3600)
        restored = client.post("/_mock/restore", json={"state_file": True})
        assert restored.status_code == 200 and restored.json()["restored"] == "state_file"
        assert _job(client, job_id) == mid


def test_the_listing_says_what_the_state_file_holds(tmp_path: Path) -> None:
    state_file = tmp_path / "state.bin"
    with TestClient(_app(state_file=str(state_file))) as client:
        assert client.get("/_mock/snapshots").json()["state_file_saved"] is None
        _running_job(client)
        taken = client.post("/_mock/snapshot").json()
        saved = client.get("/_mock/snapshots").json()["state_file_saved"]
        assert saved == {
            "taken_at": taken["taken_at"],
            "tenants": taken["tenants"],
            "size": state_file.stat().st_size,
        }
        state_file.write_bytes(b"not a state\n")
        problem = client.get("/_mock/snapshots").json()["state_file_saved"]
        assert problem == {"problem": "not a mockserver-state file"}
    assert peek_file(str(state_file)) is not None  # shutdown wrote a state over it again


def test_without_a_state_file_the_listing_has_none() -> None:
    with TestClient(_app()) as client:
        listing = client.get("/_mock/snapshots").json()
        assert (listing["state_file"], listing["state_file_saved"]) == (None, None)


@pytest.mark.parametrize(
    ("header", "message"),
    [
        (
            {"format": "mockserver-state", "version": 99, "taken_at": "x", "tenants": 0},
            "version 99",
        ),
        ({"format": "other", "version": 1}, "not a mockserver-state file"),
    ],
)
def test_a_state_file_of_another_format_or_version_is_refused(
    tmp_path: Path, header: dict[str, Any], message: str
) -> None:
    state_file = tmp_path / "state.bin"
    with TestClient(_app(state_file=str(state_file))) as client:
        job_id = _running_job(client)
        before = _job(client, job_id)
        state_file.write_bytes(json.dumps(header).encode() + b"\n" + pickle.dumps({}))
        response = client.post("/_mock/restore", json={"state_file": True})
        assert response.status_code == 400
        (error,) = response.json()["errors"]
        assert error["field"] == "state_file" and message in error["message"]
        assert _job(client, job_id) == before


def test_a_realtime_clock_continues_from_the_saved_instant() -> None:
    start = parse_instant(EPOCH)
    clock = Clock(mode="realtime", speed=60.0, start=start)
    restored: Clock = pickle.loads(pickle.dumps(clock))
    assert restored.mode == "realtime" and restored.speed == 60.0
    assert start <= restored.now() < start + 60.0

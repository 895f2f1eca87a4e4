"""``mockserver serve --state-file``: stop a server mid-lifecycle, start another on the same
file, and the lifecycle goes on as if nothing happened.

Each server is a real ``python -m mockserver serve`` process on a manual clock, stopped
with SIGTERM (which writes the state file, then exits 0). What a client sees after the
restart is compared with what one uninterrupted server produces from the same requests.
A state file that cannot be written refuses to start; one that cannot be written at
shutdown makes the command fail; ``--autosave`` bounds what ``kill -9`` loses.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import httpx
import pytest
from e2e_kit import free_port

from mockserver.core.snapshot import VERSION
from mockserver.testing import Receiver

KEY = "state-key"
TENANT = f"crowdflower:{KEY}"
CML = (
    '<cml:radios label="Sentiment" validates="required">'
    '<cml:radio label="Positive" value="pos"/><cml:radio label="Negative" value="neg"/>'
    "</cml:radios>"
)
FLAGS = ["--clock", "manual", "--seed", "11", "--epoch", "2024-05-01T10:00:00Z"]


def _argv(state_file: Path, *flags: str) -> list[str]:
    argv = [sys.executable, "-m", "mockserver", "serve", *FLAGS, "--state-file", str(state_file)]
    return [*argv, "--rate-limits", "off", "--log-level", "warning", *flags]


@contextmanager
def running(state_file: Path, log: Path, *flags: str) -> Iterator[Server]:
    """A ``mockserver serve`` process on the state file, ready; killed if still running."""
    port = free_port()
    with log.open("ab") as output:
        process = subprocess.Popen(
            _argv(state_file, "--port", str(port), *flags), stdout=output, stderr=output
        )
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
            pause = threading.Event()
            for _ in range(400):
                try:
                    client.get("/_mock/health")
                    break
                except httpx.TransportError:
                    assert process.poll() is None, log.read_text()
                    pause.wait(0.025)
            else:
                pytest.fail(f"the server did not answer in time:\n{log.read_text()}")
            yield Server(process, client)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(5)


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    client: httpx.Client

    def stop(self) -> int:
        """SIGTERM, then the exit code once the server has shut down."""
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(15)


@contextmanager
def serving(state_file: Path, log: Path) -> Iterator[httpx.Client]:
    """A ``mockserver serve`` process on the state file; stopped with SIGTERM on exit,
    which saves the state and exits 0."""
    with running(state_file, log) as server:
        yield server.client
        assert server.stop() == 0, log.read_text()


def _ok(response: httpx.Response) -> Any:
    assert response.is_success, response.text
    return response.json()


def start_job(client: httpx.Client, hook: str) -> int:
    """A job of 4 units, ordered, whose webhooks go to ``hook``."""
    _ok(client.post("/_mock/tenants", json={"vendor": "crowdflower", "credential": KEY}))
    form = {
        "job[title]": "Rate the tweets",
        "job[instructions]": "Judge the sentiment.",
        "job[cml]": CML,
        "job[webhook_uri]": hook,
    }
    job_id: int = _ok(client.post("/crowdflower/v1/jobs.json", params={"key": KEY}, data=form))[
        "id"
    ]
    for index in range(4):
        unit = {"unit": {"data": {"tweet": f"tweet {index}"}}}
        path = f"/crowdflower/v1/jobs/{job_id}/units.json"
        _ok(client.post(path, params={"key": KEY}, json=unit))
    order = {"channels[0]": "on_demand", "debit[units_count]": "4"}
    _ok(client.post(f"/crowdflower/v1/jobs/{job_id}/orders.json", params={"key": KEY}, data=order))
    return job_id


def advance(client: httpx.Client, seconds: float) -> None:
    _ok(client.post("/_mock/clock/advance", json={"seconds": seconds, "tenant": TENANT}))


def clock(client: httpx.Client) -> dict[str, Any]:
    view: dict[str, Any] = _ok(client.get("/_mock/clock", params={"tenant": TENANT}))
    return view


def deliveries(client: httpx.Client) -> list[dict[str, Any]]:
    """The delivery log without what the network decides (latency, error wording)."""
    listed = _ok(client.get("/_mock/webhooks/deliveries", params={"tenant": TENANT}))
    return [
        {
            **{k: v for k, v in d.items() if k != "attempts"},
            "attempts": [(a["at"], a["status"]) for a in d["attempts"]],
        }
        for d in listed["deliveries"]
    ]


def outcome(client: httpx.Client, job_id: int) -> dict[str, Any]:
    """What a client sees of the job once the lifecycle has run."""
    params = {"key": KEY}
    return {
        "job": _ok(client.get(f"/crowdflower/v1/jobs/{job_id}.json", params=params)),
        "judgments": _ok(
            client.get(f"/crowdflower/v1/jobs/{job_id}/judgments.json", params=params)
        ),
        "deliveries": deliveries(client),
        "clock": clock(client),
    }


def signals(receiver: Receiver) -> list[str]:
    """The signals received, sorted: attempts due at one sim instant race on the wire."""
    return sorted(parse_qs(r.body.decode())["signal"][0] for r in receiver.requests)


def test_a_restarted_server_continues_the_lifecycle_of_the_stopped_one(tmp_path: Path) -> None:
    log = tmp_path / "server.log"
    with Receiver() as receiver:
        hook = receiver.url + "/hook"

        # Interrupted: the receiver is down while units complete, so retries are pending.
        state_file = tmp_path / "state.bin"
        receiver.respond(500)
        with serving(state_file, log) as first:
            job_id = start_job(first, hook)
            advance(first, 900)
            before_stop = clock(first)
            pending = [d for d in deliveries(first) if d["state"] == "pending"]
        assert pending, "the test needs webhooks still to be retried at the stop"
        header = json.loads(state_file.read_bytes().split(b"\n", 1)[0])
        assert (header["format"], header["version"], header["tenants"]) == (
            "mockserver-state",
            VERSION,
            1,
        )

        receiver.respond(200)
        with serving(state_file, log) as second:
            assert clock(second) == before_stop  # same events pending at the same sim times
            assert [d for d in deliveries(second) if d["state"] == "pending"] == pending
            advance(second, 6 * 3600)
            interrupted = outcome(second, job_id)
        interrupted_signals = signals(receiver)

        # Uninterrupted: the same requests against one server.
        receiver.requests.clear()
        receiver.respond(500)
        with serving(tmp_path / "other.bin", log) as only:
            assert start_job(only, hook) == job_id
            advance(only, 900)
            receiver.respond(200)
            advance(only, 6 * 3600)
            uninterrupted = outcome(only, job_id)
        uninterrupted_signals = signals(receiver)

    assert interrupted["job"]["state"] == "finished"
    assert {d["state"] for d in interrupted["deliveries"]} == {"delivered"}
    assert interrupted == uninterrupted
    assert interrupted_signals == uninterrupted_signals
    assert "job_complete" in interrupted_signals


def test_a_state_file_that_cannot_be_written_refuses_to_start(tmp_path: Path) -> None:
    a_file = tmp_path / "a-file"
    a_file.write_text("")
    cases = {
        tmp_path / "missing" / "state.bin": "No such file or directory",
        a_file / "state.bin": "Not a directory",
    }
    for state_file, reason in cases.items():
        done = subprocess.run(_argv(state_file), capture_output=True, timeout=60, check=False)
        lines = done.stderr.decode().splitlines()
        assert done.returncode == 2, done.stderr
        assert len(lines) == 1 and lines[0].startswith("mockserver: error: state file ")
        assert str(state_file) in lines[0] and reason in lines[0]


def test_a_state_file_that_cannot_be_written_at_shutdown_fails_the_command(
    tmp_path: Path,
) -> None:
    log = tmp_path / "server.log"
    directory = tmp_path / "state"
    directory.mkdir()
    with running(directory / "state.bin", log) as server:
        _ok(server.client.post("/_mock/tenants", json={"vendor": "crowdflower", "credential": KEY}))
        directory.rmdir()
        assert server.stop() == 1
    assert f"state file {directory / 'state.bin'} not saved" in log.read_text()


def test_autosave_bounds_what_a_killed_server_loses(tmp_path: Path) -> None:
    log = tmp_path / "server.log"
    state_file = tmp_path / "state.bin"
    with running(state_file, log, "--autosave", "0.2") as server:
        _ok(server.client.post("/_mock/tenants", json={"vendor": "crowdflower", "credential": KEY}))
        form = {"job[title]": "Rate the tweets"}
        created = server.client.post("/crowdflower/v1/jobs.json", params={"key": KEY}, data=form)
        job_id = _ok(created)["id"]
        state_file.unlink(missing_ok=True)  # what was saved before the job does not count
        pause = threading.Event()
        for _ in range(600):
            if state_file.exists():
                break
            pause.wait(0.025)
        assert state_file.exists(), log.read_text()
        server.process.kill()  # SIGKILL: no shutdown, no save
        server.process.wait(5)
    with serving(state_file, log) as restarted:
        job = _ok(restarted.get(f"/crowdflower/v1/jobs/{job_id}.json", params={"key": KEY}))
    assert job["title"] == "Rate the tweets"

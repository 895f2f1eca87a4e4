"""The README's way of running the server: the ``mockserver serve`` command."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
import threading

import httpx
from e2e_kit import free_port


def test_serve_starts_answers_health_and_stops() -> None:
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "mockserver",
            "serve",
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        health = None
        pause = threading.Event()
        for _ in range(200):
            try:
                health = httpx.get(f"http://127.0.0.1:{port}/_mock/health")
                break
            except httpx.TransportError:
                assert process.poll() is None, process.stderr.read() if process.stderr else ""
                pause.wait(0.05)
        assert health is not None and health.status_code == 200
        assert health.json()["status"] == "ok"
        assert "cloudfactory" in health.json()["vendors"]
        unknown = httpx.get(f"http://127.0.0.1:{port}/cloudfactory/v1/tasks")
        assert unknown.status_code == 401
        process.terminate()  # SIGTERM: a graceful stop, which the exit code says went well
        assert process.wait(10) == 0, process.stderr.read() if process.stderr else ""
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(10)
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                stream.close()


def _served_log(*flags: str) -> list[str]:
    """What ``mockserver serve <flags>`` writes to stderr while it starts, answers one
    vendor request and is stopped with SIGTERM."""
    port = free_port()
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "mockserver", "serve", "--port", str(port), *flags],
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
        try:
            pause = threading.Event()
            for _ in range(200):
                try:
                    httpx.get(f"http://127.0.0.1:{port}/_mock/health")
                    break
                except httpx.TransportError:
                    assert process.poll() is None
                    pause.wait(0.05)
            headers = {"x-api-key": "log-test"}
            answered = httpx.get(f"http://127.0.0.1:{port}/cloudfactory/v1/tasks", headers=headers)
            assert answered.status_code == 200
            process.terminate()
            assert process.wait(10) == 0
        finally:
            if process.poll() is None:
                process.kill()
                process.wait(10)
        log.seek(0)
        return log.read().decode("utf-8").splitlines()


def test_the_banner_says_where_each_vendor_is_and_no_request_is_logged_by_default() -> None:
    lines = _served_log()
    text = "\n".join(lines)
    assert re.search(r"cloudfactory +http://127\.0\.0\.1:\d+/cloudfactory \(or Host: ", text)
    assert re.search(r"crowdflower +http://127\.0\.0\.1:\d+/crowdflower/v1 ", text)
    assert re.search(r"clickworker +http://127\.0\.0\.1:\d+/clickworker/api/marketplace/v2 ", text)
    assert re.search(r"control API +http://127\.0\.0\.1:\d+/_mock ", text)
    assert re.search(r"clock +realtime x60, seed 0", text)
    assert re.search(r"state +in memory", text)
    assert "GET /cloudfactory/v1/tasks" not in text  # the journal records requests


def test_the_access_log_is_there_when_asked_for() -> None:
    assert any("GET /cloudfactory/v1/tasks" in line for line in _served_log("--access-log"))


def test_json_logs_are_one_object_a_line_with_the_projects_own_records() -> None:
    records = [json.loads(line) for line in _served_log("--log-format", "json")]
    assert all(set(r) >= {"time", "level", "logger", "message"} for r in records)
    own = [r["message"] for r in records if r["logger"] == "mockserver"]
    assert any(message.startswith("mockserver on http://127.0.0.1:") for message in own)


def test_the_log_level_reaches_the_projects_own_logger() -> None:
    assert not any(" mockserver: " in line for line in _served_log("--log-level", "warning"))

"""Every shell block of the README runs as pasted, against a real server, and gets what
the README says it gets; the few that cannot run here are listed with the reason.

The only change made to a command is the server's address. A server the README starts
itself (``mockserver serve --state-file``) is started by that very line, on a free port
given through ``MOCKSERVER_PORT``, as the image's users move it, and waited for by the
first hour's GitHub Actions step that waits for it. That workflow's install step and
the docker-compose file are not run: one installs the package, the other needs Docker.
"""

from __future__ import annotations

import json
import re
import shutil
import signal
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
import yaml
from e2e.e2e_kit import free_port
from readme_kit import (
    ADDRESS,
    Block,
    all_blocks,
    blocks,
    code_spans,
    commands,
    curl,
    run,
    section_text,
    shell_env,
    with_address,
)

from mockserver.settings import Settings
from mockserver.testing import ServerThread

needs_curl = pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")

NOT_RUN = {
    "pip install . && mockserver serve": "installs the package, then serves until stopped: "
    "tests/test_packaging.py holds the Dockerfile and CI to it, and "
    "tests/e2e/test_e2e_serve_command.py runs `mockserver serve`",
    "pip install -e '.[test]' && pytest": "is this suite: CI's .ci/run runs it",
    "python3 -m venv .venv && . .venv/bin/activate && pip install . && mockserver serve "
    "--clock manual --seed 1": "makes a virtualenv and installs into it, then serves until stopped",
    "apt-get install -y wrk         # the load generator (Debian/Ubuntu); the test suite needs "
    "none\npython bench/run.py            # about 14 minutes; --peers adds WireMock and Prism": (
        "installs a system package, then takes about 14 minutes: "
        "tests/bench/test_bench_suite.py runs the suite with --quick"
    ),
    "docker build -t mockserver . && docker run -p 8080:8080 mockserver": "needs a Docker "
    "engine: tests/e2e/test_e2e_docker_image.py carries out the Dockerfile's lines instead",
}
"""Shell blocks no test runs, by their text, with why."""
SNAPSHOTS = "Snapshots and the state file"


def runnable(section: str) -> list[Block]:
    return [b for b in blocks(section, "bash") if b.text.strip() not in NOT_RUN]


@pytest.fixture
def server() -> Iterator[ServerThread]:
    """The server of the README's first hour: ``--clock manual --seed 1``."""
    with ServerThread(Settings(clock="manual", seed=1)) as running:
        yield running


def test_each_shell_block_is_run_or_says_why_not() -> None:
    run_here = {
        "The first hour",
        "Control API (/_mock)",
        "OpenAPI documents and contract testing",
        SNAPSHOTS,
    }
    shell = [b for b in all_blocks() if b.lang == "bash"]
    for block in shell:
        assert block.text.strip() in NOT_RUN or block.section in run_here, f"{block} is not run"
    assert set(NOT_RUN) <= {b.text.strip() for b in shell}, "NOT_RUN names a block gone"


@needs_curl
def test_the_first_hour_requests(server: ServerThread, tmp_path: Path) -> None:
    (block,) = runnable("The first hour")
    cloudfactory, crowdflower, clickworker, modelarts, clock = [
        curl(with_address(command, server.port), tmp_path) for command in commands(block)
    ]
    assert (cloudfactory.status, cloudfactory.body) == (200, '{"tasks":[]}')
    assert crowdflower.status == 200
    assert json.loads(crowdflower.body)["title"] == "First job"
    assert clickworker.status == 200
    assert "customer_response" in json.loads(clickworker.body)
    assert modelarts.status == 201
    assert re.search(r"^x-subject-token: \S+", modelarts.body, re.M | re.I)
    assert clock.status == 200
    assert json.loads(clock.body)["advanced_seconds"] == 3600


@needs_curl
def test_the_requests_in_the_prose_answer_json(server: ServerThread, tmp_path: Path) -> None:
    """The index (`curl localhost:8080/`) and Host-header routing, as the text shows them."""
    inline = [span for span in code_spans() if span.startswith("curl ") and ADDRESS in span]
    assert "curl localhost:8080/" in inline
    for command in inline:
        answer = curl(with_address(command, server.port), tmp_path)
        assert 200 <= answer.status < 300, (command, answer)
        assert json.loads(answer.body), command


@needs_curl
def test_the_fault_rule_fails_half_of_the_requests(server: ServerThread, tmp_path: Path) -> None:
    (block,) = runnable("Control API (/_mock)")
    (command,) = commands(block)
    added = curl(with_address(command, server.port), tmp_path)
    assert added.status == 201
    rule = json.loads(added.body)
    assert "id" in rule and (rule["status"], rule["odds"]) == (503, 0.5)
    with httpx.Client(base_url=server.url, headers={"x-api-key": "demo"}) as client:
        answers = [client.get("/cloudfactory/v1/tasks") for _ in range(20)]
    statuses = {a.status_code for a in answers}
    assert statuses == {200, 503}  # the same seed fails the same requests on every run
    failed = next(a for a in answers if a.status_code == 503)
    assert set(failed.json()) == {"message"}  # CloudFactory's own error body


def test_the_contract_run_finds_no_issue(tmp_path: Path) -> None:
    """The README's schemathesis command, against a server with ``--rate-limits off`` as
    the README says, fewer examples per operation (its config file in the working
    directory) so the suite stays quick."""
    (block,) = runnable("OpenAPI documents and contract testing")
    (command,) = commands(block)
    (tmp_path / "schemathesis.toml").write_text("seed = 1\n\n[generation]\nmax-examples = 5\n")
    with ServerThread(Settings(clock="manual", seed=1, rate_limits=False)) as server:
        done = run(with_address(command, server.port), tmp_path, timeout=110)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr
    assert "No issues found" in done.stdout


def _health_loop() -> str:
    """The GitHub Actions step of the first hour that waits for the server."""
    (_, workflow) = blocks("The first hour", "yaml")
    steps = [step["run"] for step in yaml.safe_load(workflow.text)]
    (wait,) = [step for step in steps if "mockserver health" in step]
    return str(wait)


@contextmanager
def serving(command: str, cwd: Path, port: int) -> Iterator[subprocess.Popen[str]]:
    """The README's serve command on ``port``, once the README's health loop passes."""
    env = shell_env(MOCKSERVER_PORT=str(port))
    log = (cwd / "server.log").open("a")
    process = subprocess.Popen(["bash", "-c", command], cwd=cwd, env=env, stderr=log, text=True)
    try:
        waited = run(_health_loop(), cwd, env=env)
        assert waited.returncode == 0, (cwd / "server.log").read_text()
        yield process
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(10)
        log.close()


def _stop(process: subprocess.Popen[str]) -> int:
    process.send_signal(signal.SIGTERM)  # bash runs the one command in its own place
    return process.wait(30)


@needs_curl
def test_a_snapshot_restores_and_the_state_file_outlives_the_server(tmp_path: Path) -> None:
    snapshot_block, serve_block = runnable(SNAPSHOTS)
    (serve,) = commands(serve_block)
    snapshot, restore = commands(snapshot_block)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with serving(serve, tmp_path, port) as process:
        assert httpx.get(f"{base}/cloudfactory/v1/tasks", headers={"x-api-key": "kept"}).is_success
        taken = curl(with_address(snapshot, port), tmp_path)
        assert taken.status == 201
        kept = json.loads(taken.body)
        assert set(kept) == {"name", "size", "tenants", "taken_at", "state_file"}
        assert kept["name"] == "before-launch" and kept["tenants"] == 1
        header = (tmp_path / "state.bin").read_bytes().split(b"\n", 1)[0]
        shown = re.search(r'`(\{"format": .*?), \.\.\.\}`', section_text(SNAPSHOTS))
        assert shown is not None, "the README shows the state file's header"
        assert json.loads(shown.group(1) + "}").items() <= json.loads(header).items()

        # ... run a test that changes things ...
        httpx.get(f"{base}/cloudfactory/v1/tasks", headers={"x-api-key": "dropped"})
        assert curl(with_address(restore, port), tmp_path).status == 200
        tenants = [t["id"] for t in httpx.get(f"{base}/_mock/tenants").json()["tenants"]]
        assert tenants == ["cloudfactory:kept"]
        assert _stop(process) == 0
    with serving(serve, tmp_path, port) as process:
        tenants = [t["id"] for t in httpx.get(f"{base}/_mock/tenants").json()["tenants"]]
        assert tenants == ["cloudfactory:kept"]
        assert _stop(process) == 0

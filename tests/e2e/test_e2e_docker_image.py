"""The Docker image, without a Docker engine: its install, environment, user and commands.

The Dockerfile's own lines are read and carried out on this machine: its ``pip
install`` into a fresh virtualenv, its ``ENV`` variables, its ``CMD`` run as a user
that is not root (``nobody`` when the suite runs as root) and its ``HEALTHCHECK``
command probing the server through the port the environment sets. What a container
adds (the filesystem layout, the network namespace) is Docker's, not the project's.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dockerfile_kit as dockerfile
import pytest
from e2e_kit import free_port

ROOT = Path(__file__).resolve().parents[2]
NOBODY = 65534
SYSTEM_PYTHON = Path("/usr/bin/python3")


def image_environment() -> dict[str, str]:
    pairs: dict[str, str] = {}
    for keyword, rest in dockerfile.instructions():
        if keyword == "ENV":
            pairs.update(re.findall(r"(\w+)=(\S+)", rest))
    return pairs


def exec_form(keyword: str) -> list[str]:
    (rest,) = dockerfile.arguments(keyword)
    command: list[str] = json.loads(rest.split("CMD ", 1)[-1] if keyword == "HEALTHCHECK" else rest)
    return command


def interpreter() -> str:
    """A Python the image's user may run: the suite's own, unless it runs as root from a
    private home (a pyenv under ``/root``), where Debian's is the image's equivalent."""
    if os.geteuid() != 0:
        return sys.executable
    if not SYSTEM_PYTHON.exists():
        pytest.skip("running as root, and no system Python the image's user could run")
    return str(SYSTEM_PYTHON)


@pytest.fixture(scope="module")
def image() -> Iterator[Path]:
    """A virtualenv with the project installed as the Dockerfile's RUN installs it."""
    (install,) = [rest for rest in dockerfile.arguments("RUN") if "pip install" in rest]
    place = Path(tempfile.mkdtemp(prefix="mockserver-image-"))
    try:
        place.chmod(0o755)  # the image's user must reach its installed commands
        venv = place / "venv"
        subprocess.run([interpreter(), "-m", "venv", str(venv)], check=True)
        command = install.replace("pip install", f"{venv / 'bin' / 'pip'} install --quiet")
        subprocess.run(command.split(), cwd=ROOT, check=True, timeout=600)
        yield venv / "bin"
    finally:
        shutil.rmtree(place, ignore_errors=True)


def as_the_image_user() -> dict[str, Any]:
    """``subprocess`` options that drop root, as the Dockerfile's ``USER`` does."""
    return {"user": NOBODY, "group": NOBODY, "extra_groups": []} if os.geteuid() == 0 else {}


@pytest.mark.timeout(600)
def test_the_image_serves_on_the_port_its_environment_sets_and_stops_cleanly(
    image: Path,
) -> None:
    port = free_port()
    environment = {
        "PATH": f"{image}:{os.environ['PATH']}",
        "HOME": "/tmp",
        **image_environment(),
        # What `docker run -e` would set: here the server must bind loopback only.
        "MOCKSERVER_HOST": "127.0.0.1",
        "MOCKSERVER_PORT": str(port),
    }
    assert image_environment()["MOCKSERVER_HOST"] == "0.0.0.0"
    server = subprocess.Popen(
        exec_form("CMD"),
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        **as_the_image_user(),
    )
    try:
        pause = threading.Event()
        for _ in range(300):
            probe = subprocess.run(
                exec_form("HEALTHCHECK"),
                env=environment,
                capture_output=True,
                **as_the_image_user(),
            )
            if probe.returncode == 0:
                break
            assert server.poll() is None, server.stderr.read() if server.stderr else ""
            pause.wait(0.1)
        assert probe.returncode == 0, probe.stderr
        server.terminate()  # what `docker stop` sends
        assert server.wait(20) == 0
    finally:
        if server.poll() is None:
            server.kill()
            server.wait(10)
        if server.stderr is not None:
            server.stderr.close()
    stopped = subprocess.run(exec_form("HEALTHCHECK"), env=environment, capture_output=True)
    assert stopped.returncode == 1  # the probe fails once nothing answers on the port

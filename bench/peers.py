"""Other HTTP mock servers serving a comparable GET, for scale (``--peers``).

WireMock (npm ``wiremock`` ships the standalone jar; run on the machine's Java) and
Prism (npm ``@stoplight/prism-cli``) are installed by npm into ``bench/.peers/``, which
git ignores. Without npm, Java or the network a peer is skipped with the reason.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from pathlib import Path

from .servers import BENCH, Server, free_port

PEERS_DIR = BENCH / ".peers"
PACKAGES = ("wiremock", "@stoplight/prism-cli@5.14.2")
ITEM = {"id": "0b6f2d1c", "state": "created", "count": 1, "tags": ["a", "b"]}
PRISM_SPEC = {
    "openapi": "3.0.3",
    "info": {"title": "bench", "version": "1"},
    "paths": {
        "/item": {
            "get": {
                "responses": {
                    "200": {
                        "description": "an item",
                        "content": {
                            "application/json": {"schema": {"type": "object"}, "example": ITEM}
                        },
                    }
                }
            }
        }
    },
}


def install() -> str | None:
    """npm-installs the peers once; answers why not when it cannot."""
    npm = shutil.which("npm")
    if npm is None:
        return "npm is not installed"
    if (PEERS_DIR / "node_modules" / ".bin" / "prism").exists() and _wiremock_jar():
        return None
    PEERS_DIR.mkdir(exist_ok=True)
    try:
        done = subprocess.run(
            [npm, "install", "--no-audit", "--no-fund", "--prefix", str(PEERS_DIR), *PACKAGES],
            capture_output=True,
            text=True,
            timeout=600,
        )
    except subprocess.TimeoutExpired:
        return "npm install timed out (no network?)"
    if done.returncode != 0:
        return f"npm install failed: {done.stderr.strip().splitlines()[-1:]}"
    return None


def _wiremock_jar() -> Path | None:
    found = sorted((PEERS_DIR / "node_modules" / "wiremock").rglob("wiremock*standalone*.jar"))
    return found[0] if found else None


def wiremock(workdir: Path) -> Server | str:
    java, jar = shutil.which("java"), _wiremock_jar()
    if java is None or jar is None:
        return "java or the WireMock jar is missing"
    mappings = workdir / "wiremock" / "mappings"
    mappings.mkdir(parents=True)
    stub = {
        "request": {"method": "GET", "url": "/item"},
        "response": {
            "status": 200,
            "jsonBody": ITEM,
            "headers": {"Content-Type": "application/json"},
        },
    }
    (mappings / "item.json").write_text(json.dumps(stub))
    port = free_port()
    command = [
        java,
        "-jar",
        str(jar),
        "--port",
        str(port),
        "--bind-address",
        "127.0.0.1",
        "--root-dir",
        str(workdir / "wiremock"),
        "--disable-banner",
    ]
    return Server("wiremock", command, port, health_path="/item")


def prism(workdir: Path) -> Server | str:
    binary = PEERS_DIR / "node_modules" / ".bin" / "prism"
    if not binary.exists():
        return "prism is not installed"
    spec = workdir / "prism.json"
    spec.write_text(json.dumps(PRISM_SPEC))
    port = free_port()
    command = [str(binary), "mock", str(spec), "-h", "127.0.0.1", "-p", str(port)]
    return Server("prism", command, port, health_path="/item")


def peer_servers() -> tuple[list[Server], dict[str, str]]:
    """The peers that can run, and the reasons of those that cannot."""
    reason = install()
    if reason is not None:
        return [], {"wiremock": reason, "prism": reason}
    workdir = Path(tempfile.mkdtemp(prefix="bench-peers-"))
    ready: list[Server] = []
    skipped: dict[str, str] = {}
    for make in (wiremock, prism):
        made = make(workdir)
        if isinstance(made, str):
            skipped[make.__name__] = made
        else:
            ready.append(made)
    return ready, skipped

"""The README's commands are the ones CI and the Docker image actually run."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import zipfile
from dataclasses import fields
from pathlib import Path

import dockerfile_kit as dockerfile
import pytest
import readme_kit

from mockserver.cli import env_name, flag_name, show_value
from mockserver.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
INSTALL_AND_RUN = "pip install . && mockserver serve"
TEST_COMMAND = "pip install -e '.[test]' && pytest"
DASHBOARD_FILES = ("index.html", "dashboard.js", "dashboard.css")
_CACHES = shutil.ignore_patterns("__pycache__", "*.pyc")


def test_readme_quick_start_is_the_two_commands() -> None:
    quick_start = [block.text.strip() for block in readme_kit.blocks("Quick start", "bash")]
    assert quick_start == [INSTALL_AND_RUN, TEST_COMMAND]


def test_readme_has_its_sections() -> None:
    assert readme_kit.readme().startswith("# mockserver\n")
    for heading in [
        "Quick start",
        "Base URLs",
        "Routing",
        "Control API (/_mock)",
        "Settings",
        "CloudFactory",
        "Docker",
        "Not implemented yet",
    ]:
        readme_kit.section_text(heading)


@pytest.mark.parametrize("name", [f.name for f in fields(Settings)])
def test_readme_settings_table_matches_the_settings(name: str) -> None:
    rows = readme_kit.table_rows("Settings")
    field = next(f for f in fields(Settings) if f.name == name)
    default = getattr(Settings(), name)
    assert rows.get(f"`{flag_name(name)}`") == [
        f"`{flag_name(name)}`",
        f"`{env_name(name)}`",
        "unset" if default is None else f"`{show_value(default)}`",
        field.metadata["help"],
    ]


def test_readme_settings_table_has_no_stale_rows() -> None:
    rows = readme_kit.table_rows("Settings")
    flags = {f"`{flag_name(f.name)}`" for f in fields(Settings)}
    assert set(rows) - {"Flag"} == flags


def test_ci_runs_the_readme_test_command() -> None:
    script = ROOT / ".ci" / "run"
    lines = [line.strip() for line in script.read_text(encoding="utf-8").splitlines()]
    assert lines[0] == "#!/usr/bin/env bash"
    assert "set -euo pipefail" in lines
    assert any(line.startswith(TEST_COMMAND) for line in lines), "README test command not run"
    assert script.stat().st_mode & 0o111, ".ci/run is not executable"


def test_dockerfile_installs_with_the_readme_command() -> None:
    assert INSTALL_AND_RUN.startswith("pip install . ")
    # The README's ``pip install .``, optionally with flags such as --no-cache-dir.
    pattern = re.compile(r"(?:^|&&\s*)pip install(?: --?[\w-]+(?:=\S+)?)* \.(?:\s|$)")
    assert any(pattern.search(run) for run in dockerfile.arguments("RUN")), dockerfile.arguments(
        "RUN"
    )


def test_dockerfile_base_and_command() -> None:
    assert dockerfile.arguments("FROM") == ["python:3.11-slim"]
    [command] = dockerfile.arguments("CMD")
    # The interface comes from the environment, so `docker run -e MOCKSERVER_HOST=...` (or
    # any other MOCKSERVER_* variable) is not overridden by a flag.
    assert json.loads(command) == ["mockserver", "serve"]
    assert "MOCKSERVER_HOST=0.0.0.0" in " ".join(dockerfile.arguments("ENV")).split()
    assert "8080" in " ".join(dockerfile.arguments("EXPOSE")).split()


def test_dockerfile_probes_the_configured_port() -> None:
    [healthcheck] = dockerfile.arguments("HEALTHCHECK")
    assert healthcheck.endswith('CMD ["mockserver", "health"]')


def test_dockerfile_has_a_data_volume_its_user_may_write() -> None:
    assert dockerfile.arguments("VOLUME") == ["/data"]
    assert any("chown mockserver /data" in run for run in dockerfile.arguments("RUN"))


def test_dockerfile_runs_as_a_non_root_user() -> None:
    users = dockerfile.arguments("USER")
    assert users, "the image runs as root"
    assert users[-1].split(":")[0] not in ("root", "0")


def test_the_wheel_carries_the_dashboard_and_the_data_files(tmp_path: Path) -> None:
    """The wheel, built from a copy of the sources, holds the files the app reads at run
    time: the dashboard's page, script and stylesheet, the schemas and the fixtures."""
    source = tmp_path / "source"
    shutil.copytree(ROOT / "mockserver", source / "mockserver", ignore=_CACHES)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    built = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q"] + ["-w", str(built), str(source)],
        check=True,
        capture_output=True,
    )
    [wheel] = built.glob("mockserver-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    dashboard = {f"mockserver/admin/dashboard/{name}" for name in DASHBOARD_FILES}
    assert dashboard <= names
    assert "mockserver/fixtures/clickworker-buyoff.json" in names
    assert any(name.startswith("mockserver/schemas/admin/") for name in names)

"""The command line: flags generated from Settings, precedence, one-line errors, light import."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import types
from dataclasses import fields
from pathlib import Path
from typing import Any

import pytest

from mockserver import __version__
from mockserver.cli import CliError, build_settings, env_name, flag_name, main
from mockserver.core.snapshot import VERSION
from mockserver.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
FIELDS = [f.name for f in fields(Settings)]


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """The developer's own MOCKSERVER_* variables must not leak into these tests."""
    for name in FIELDS:
        monkeypatch.delenv(env_name(name), raising=False)


def _squashed(text: str) -> str:
    """Help text without whitespace, since argparse re-wraps lines (even at hyphens)."""
    return "".join(text.split())


def _one_error_line(err: str) -> str:
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("mockserver: error: ")
    return lines[0]


@pytest.mark.parametrize("argv", [["--help"], ["serve", "--help"]])
def test_help_explains_every_setting(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 0
    out = _squashed(capsys.readouterr().out)
    for f in fields(Settings):
        assert flag_name(f.name) in out
        assert _squashed(f"env {env_name(f.name)}") in out
        assert _squashed(f.metadata["help"]) in out


def test_help_shows_the_environment_default(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("MOCKSERVER_PORT", "9123")
    assert main(["serve", "--help"]) == 0
    assert "default: 9123" in capsys.readouterr().out


@pytest.mark.parametrize(
    "argv",
    [
        ["serve", "--bogus"],
        ["serve", "--port", "0"],
        ["serve", "--port", "eighty"],
        ["serve", "--speed", "-1"],
        ["serve", "--journal-size", "-5"],
        ["serve", "--clock", "fast"],
        ["serve", "--strict-auth", "maybe"],
        ["serve", "--log-level", "loud"],
        ["serve", "--epoch", "yesterday"],
        ["nosuch"],
    ],
)
def test_bad_flags_exit_2_with_one_line(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 2
    _one_error_line(capsys.readouterr().err)


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("MOCKSERVER_PORT", "eighty"),
        ("MOCKSERVER_PORT", "0"),
        ("MOCKSERVER_RATE_LIMITS", "sometimes"),
        ("MOCKSERVER_LOG_LEVEL", "loud"),
        ("MOCKSERVER_EPOCH", "yesterday"),
    ],
)
def test_bad_environment_exits_2_with_one_line(
    variable: str, value: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(variable, value)
    assert main(["serve"]) == 2
    line = _one_error_line(capsys.readouterr().err)
    setting = variable.removeprefix("MOCKSERVER_").lower().replace("_", "-")
    assert variable in line or setting in line


def test_no_command_prints_help_and_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert "serve" in capsys.readouterr().err


@pytest.mark.parametrize("argv", [["version"], ["--version"]])
def test_version(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 0
    assert capsys.readouterr().out.startswith("mockserver ")


@pytest.mark.parametrize(
    ("argv", "variable", "value", "words"),
    [
        (["--port", "eighty"], None, None, "argument --port: must be a whole number, not 'eighty'"),
        (["--speed", "fast"], None, None, "argument --speed: must be a number, not 'fast'"),
        ([], "MOCKSERVER_PORT", "eighty", "MOCKSERVER_PORT: must be a whole number, not 'eighty'"),
        ([], "MOCKSERVER_SPEED", "1,5", "MOCKSERVER_SPEED: must be a number, not '1,5'"),
    ],
)
def test_a_bad_number_is_named_in_words(
    argv: list[str],
    variable: str | None,
    value: str | None,
    words: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    if variable is not None and value is not None:
        monkeypatch.setenv(variable, value)
    assert main(["serve", *argv]) == 2
    line = _one_error_line(capsys.readouterr().err)
    assert words in line
    assert "invalid" not in line


def test_an_empty_variable_is_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MOCKSERVER_SEED", "")
    monkeypatch.setenv("MOCKSERVER_PORT", "  ")
    assert build_settings([], os.environ) == Settings()


def test_an_unknown_variable_is_warned_about_with_the_likely_setting(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("MOCKSERVER_PORTT", "9000")
    monkeypatch.setenv("MOCKSERVER_NOTHING_LIKE_IT", "1")
    assert main(["version"]) == 0
    err = capsys.readouterr().err.splitlines()
    assert err == [
        "mockserver: warning: MOCKSERVER_NOTHING_LIKE_IT names no setting and is ignored",
        "mockserver: warning: MOCKSERVER_PORTT names no setting and is ignored; "
        "did you mean MOCKSERVER_PORT?",
    ]


def test_defaults_without_flags_or_environment() -> None:
    assert build_settings([], {}) == Settings()


def test_environment_is_honoured_and_a_flag_overrides_it() -> None:
    environ = {"MOCKSERVER_PORT": "9000", "MOCKSERVER_RATE_LIMITS": "off", "MOCKSERVER_SPEED": "2"}
    from_env = build_settings([], environ)
    assert (from_env.port, from_env.rate_limits, from_env.speed) == (9000, False, 2.0)

    flagged = build_settings(["--port", "9001", "--rate-limits", "on"], environ)
    assert (flagged.port, flagged.rate_limits, flagged.speed) == (9001, True, 2.0)


def test_every_flag_reaches_its_field() -> None:
    argv = [
        "--host=0.0.0.0",
        "--port=9999",
        "--seed=7",
        "--clock=manual",
        "--speed=0.5",
        "--epoch=2024-01-02T03:04:05Z",
        "--strict-auth",
        "--rate-limits=off",
        "--journal-size=3",
        "--webhook-retry-scale=0.001",
        "--log-level=debug",
    ]
    expected = Settings(
        host="0.0.0.0",
        port=9999,
        seed=7,
        clock="manual",
        speed=0.5,
        epoch="2024-01-02T03:04:05Z",
        strict_auth=True,
        rate_limits=False,
        journal_size=3,
        webhook_retry_scale=0.001,
        log_level="debug",
    )
    assert build_settings(argv, {}) == expected


def test_bare_boolean_flag_turns_off_an_environment_on() -> None:
    assert build_settings([], {"MOCKSERVER_STRICT_AUTH": "on"}).strict_auth is True
    assert (
        build_settings(["--strict-auth", "off"], {"MOCKSERVER_STRICT_AUTH": "on"}).strict_auth
        is False
    )


def test_vendor_must_be_a_mounted_vendor(capsys: pytest.CaptureFixture[str]) -> None:
    from mockserver.app import vendor_names

    known = vendor_names()[0]
    assert build_settings(["--vendor", known], {}).vendor == known
    with pytest.raises(CliError, match="vendor must be one of"):
        build_settings(["--vendor", "nosuch"], {})
    assert main(["serve", "--vendor", "nosuch"]) == 2
    assert known in _one_error_line(capsys.readouterr().err)


def test_serve_runs_uvicorn_with_the_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    import gc

    import uvicorn

    import mockserver.app
    from mockserver.logs import log_config

    app = types.SimpleNamespace(state_lost=False)
    created: list[Settings] = []
    runs: list[tuple[object, dict[str, Any]]] = []

    def fake_create_app(settings: Settings) -> object:
        created.append(settings)
        return app

    monkeypatch.setattr(mockserver.app, "create_app", fake_create_app)
    monkeypatch.setattr(uvicorn, "run", lambda app, **kwargs: runs.append((app, kwargs)))
    monkeypatch.setattr(gc, "freeze", lambda: None)  # the test process is no server

    assert main(["serve", "--port", "9002", "--log-level", "warning"]) == 0
    assert main(["serve", "--port", "9003", "--access-log", "--log-format", "json"]) == 0
    assert created == [
        build_settings(["--port", "9002", "--log-level", "warning"], {}),
        build_settings(["--port", "9003", "--access-log", "--log-format", "json"], {}),
    ]
    common = {"host": "127.0.0.1", "lifespan": "on"}
    assert runs == [  # no line per request unless asked for: the journal records them
        (
            app,
            {
                **common,
                "port": 9002,
                "log_level": "warning",
                "access_log": False,
                "log_config": log_config("warning", "text", access_log=False),
            },
        ),
        (
            app,
            {
                **common,
                "port": 9003,
                "log_level": "info",
                "access_log": True,
                "log_config": log_config("info", "json", access_log=True),
            },
        ),
    ]


def test_importing_the_cli_stays_light() -> None:
    heavy = ["starlette", "uvicorn", "faker", "hypothesis"]
    code = (
        "import json, sys, mockserver.cli; "
        f"print(json.dumps([m for m in {heavy!r} if m in sys.modules]))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert json.loads(done.stdout) == []


def test_python_dash_m_runs_the_same_main() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "mockserver", "version"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"mockserver {__version__}"


def test_state_file_and_fixture_flags_reach_their_fields() -> None:
    argv = ["--state-file", "/tmp/state.bin", "--fixture", "tenants,clickworker-buyoff"]
    settings = build_settings(argv, {})
    assert settings.state_file == "/tmp/state.bin"
    assert settings.fixtures == ("tenants", "clickworker-buyoff")
    from_env = build_settings(
        [], {"MOCKSERVER_STATE_FILE": "s.bin", "MOCKSERVER_FIXTURE": "tenants"}
    )
    assert (from_env.state_file, from_env.fixtures) == ("s.bin", ("tenants",))


def test_an_unknown_fixture_refuses_to_start_with_one_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["serve", "--fixture", "tenants,nosuch"]) == 2
    line = _one_error_line(capsys.readouterr().err)
    assert "nosuch" in line and "crowdflower-running-job" in line


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b'{"format": "mockserver-state", "version": 1}\n', "version 1 is not supported"),
        (b"PK\x03\x04 some zip", "not a mockserver-state file"),
        (
            b'{"format": "mockserver-state", "version": %d, "taken_at": "x", "tenants": 0}\n!'
            % VERSION,
            "payload",
        ),
    ],
)
def test_a_bad_state_file_refuses_to_start_with_one_line(
    tmp_path: Path, content: bytes, words: str, capsys: pytest.CaptureFixture[str]
) -> None:
    state_file = tmp_path / "state.bin"
    state_file.write_bytes(content)
    assert main(["serve", "--state-file", str(state_file)]) == 2
    line = _one_error_line(capsys.readouterr().err)
    assert str(state_file) in line and words in line
    assert state_file.read_bytes() == content


def test_openapi_prints_the_vendors_document(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MOCKSERVER_PORT", "9011")
    assert main(["openapi", "modelarts"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["openapi"].startswith("3.1")
    assert document["servers"] == [{"url": "http://127.0.0.1:9011/modelarts"}]
    tokens = document["paths"]["/v3/auth/tokens"]["post"]
    assert tokens["security"] == []
    assert "requestBody" in tokens


def test_openapi_of_an_unknown_vendor_exits_2_with_one_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["openapi", "nosuch"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "cloudfactory" in _one_error_line(captured.err)


def test_a_vendors_code_is_imported_on_its_first_request_only() -> None:
    code = """
import json, sys
from starlette.testclient import TestClient
from mockserver.app import create_app
from mockserver.settings import Settings

def loaded():
    return sorted({m.split(".")[2] for m in sys.modules if m.startswith("mockserver.vendors.")
                   and m.count(".") >= 3})

app = create_app(Settings(clock="manual"))
with TestClient(app) as client:
    at_start = loaded()
    health = client.get("/_mock/health").json()["vendors"]
    answered = client.get("/cloudfactory/v1/tasks", headers={"x-api-key": "k"}).status_code
    print(json.dumps([at_start, health, answered, loaded()]))
"""
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    at_start, health, answered, after = json.loads(done.stdout)
    assert at_start == []
    assert health == ["clickworker", "cloudfactory", "crowdflower", "modelarts"]
    assert (answered, after) == (200, ["cloudfactory"])


def test_health_probes_the_port_serve_would_take(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from mockserver.testing import ServerThread

    with ServerThread(Settings(clock="manual")) as server:
        monkeypatch.setenv("MOCKSERVER_PORT", str(server.port))
        assert main(["health"]) == 0
    assert main(["health"]) == 1  # stopped: nothing answers there now
    assert "_mock/health" in capsys.readouterr().err

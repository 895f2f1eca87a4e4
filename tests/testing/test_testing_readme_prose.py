"""What the README's prose names exists: each ``--flag`` is an option of the command it
is said of, each ``/_mock`` path is a route of the control API, each ``mockserver``
command is one, each Python call it writes can be made as written, and each file it
points at is in the repository."""

from __future__ import annotations

import ast
import inspect
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import fields

import httpx
import pytest
from readme_kit import README, code_spans, readme, section_text, sections, shell_env

from mockserver.cli import build_parser, env_name, main
from mockserver.settings import Settings
from mockserver.testing import ServerThread, fuzzing, strategies
from mockserver.testing.handle import MockServerHandle

ROOT = README.parent
FLAG = re.compile(r"(?<![\w-])--[a-z][a-z0-9-]*")
NOT_YET = "Not implemented yet"


def _help_of(*argv: str) -> set[str]:
    done = subprocess.run(
        [sys.executable, *argv, "--help"], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return set(FLAG.findall(done.stdout))


@pytest.fixture(scope="module")
def server() -> Iterator[ServerThread]:
    with ServerThread(Settings(clock="manual")) as running:
        yield running


def test_every_flag_is_an_option_of_its_command(pytestconfig: pytest.Config) -> None:
    cli = set(FLAG.findall(build_parser(Settings()).format_help()))  # serve's flags included
    schemathesis = subprocess.check_output(["schemathesis", "run", "--help"], env=shell_env())
    also = {  # the other commands sections speak of
        "Benchmarks": _help_of("bench/run.py")
        | _help_of("bench/profile_app.py")
        | _help_of("bench/heap.py"),
        "OpenAPI documents and contract testing": set(FLAG.findall(schemathesis.decode())),
    }
    for heading, text in sections().items():
        for flag in FLAG.findall(text):
            if flag.startswith("--mockserver-"):  # the pytest plugin's
                pytestconfig.getoption(flag[2:].replace("-", "_"))  # ValueError if unknown
            else:
                assert flag in cli | also.get(heading, set()), f"'## {heading}' names {flag}"


def test_every_environment_variable_is_a_setting() -> None:
    named = set(re.findall(r"\bMOCKSERVER_[A-Z_]+", readme()))
    assert "MOCKSERVER_PORT" in named
    assert named <= {env_name(f.name) for f in fields(Settings)}


def test_every_control_path_is_a_route(server: ServerThread) -> None:
    document = httpx.get(f"{server.url}/_mock/openapi.json").json()
    routes = [re.sub(r"\{[^}]*\}", "{}", path) for path in document["paths"]]
    named = {
        path
        for heading, text in sections().items()
        if heading != NOT_YET
        for path in re.findall(r"/_mock/[\w./{}-]*\w[}.]*", text)
    }
    assert "/_mock/health" in named
    for path in named:
        shape = re.sub(r"\{[^}]*\}", "{}", path)
        assert any(route == shape or route.startswith(shape + "/") for route in routes), path
        if shape in routes and "{" not in shape:
            assert httpx.get(server.url + shape).status_code != 404, path


def test_what_is_not_implemented_yet_is_not_there(server: ServerThread) -> None:
    assert "Changing rate-limit policies from the [dashboard]" in section_text(NOT_YET)
    script = httpx.get(f"{server.url}/_mock/ui/dashboard.js").text
    assert '"ratelimits"' in script  # shown...
    assert '"PUT"' not in script  # ...never changed


def test_every_mockserver_command_named_is_a_command(capsys: pytest.CaptureFixture[str]) -> None:
    named = set(re.findall(r"`mockserver ([a-z]\w*)", readme()))
    assert {"serve", "health", "openapi"} <= named
    for command in named:
        assert main([command, "--help"]) == 0, capsys.readouterr().err


def test_every_file_named_is_in_the_repository() -> None:
    named = re.findall(r"(?<![\w/.])((?:tests|bench|docs)/[\w./-]*\w/?)", readme())
    named += re.findall(r"\]\(([^)#\s]+)\)", readme())  # relative links
    assert "docs/refusals/modelarts.md" in named
    for path in named:
        assert (ROOT / path).exists(), path


CALL = re.compile(r"(?:strategies\.)?(\w+)\((.*)\)")
CALLS_OF = {
    "Testing with pytest": MockServerHandle,
    "OpenAPI documents and contract testing": fuzzing,
}
"""Where the calls a section writes without a module live (``strategies.`` says its own)."""


def _call_as_written(function: Callable[..., object], arguments: str, method: bool) -> None:
    """Binds the arguments as the README writes them: ``x``, ``"literal"``, ``name=...``
    and ``**name``; a call that could not be made so raises TypeError."""
    signature = inspect.signature(function)
    positional: list[object] = [None] if method else []
    keywords: dict[str, object] = {}
    for argument in filter(None, arguments.split(", ")):
        if argument.startswith("**"):
            kinds = [p.kind for p in signature.parameters.values()]
            assert inspect.Parameter.VAR_KEYWORD in kinds, f"{function.__name__}({arguments})"
        elif "=" in argument:
            keywords[argument.split("=")[0]] = None
        else:
            positional.append(argument)
    signature.bind(*positional, **keywords)
    if all(arg.startswith('"') for arg in arguments.split(", ")):
        function(*ast.literal_eval(f"({arguments},)"))  # literal arguments: call it


def test_every_python_call_named_can_be_made_as_written() -> None:
    checked = []
    for heading, owner in CALLS_OF.items():
        for span in code_spans(heading):
            match = CALL.fullmatch(span)
            if match is None:
                continue
            name, arguments = match.groups()
            source = strategies if span.startswith("strategies.") else owner
            function = getattr(source, name)
            _call_as_written(function, arguments, method=inspect.isclass(source))
            checked.append(span)
    assert (
        "advance(seconds)" in checked
        and 'strategies.body("modelarts", "create_dataset")' in checked
        and "run(target, session, max_examples=..., seed=...)" in checked
    )

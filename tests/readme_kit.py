"""The README's examples, read and run the way a reader would paste them.

Blocks are read with a Markdown parser (markdown-it-py), so a block is exactly what a
renderer shows, with the ``##`` section it stands in. Shell commands run through
``bash`` with nothing changed but the server's address (``localhost:8080``), the
virtualenv's scripts first on ``PATH`` (as an activated virtualenv has them), and
``curl`` made to say what status it got, so each answer can be checked.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shlex
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.token import Token

README = Path(__file__).resolve().parent.parent / "README.md"
ADDRESS = "localhost:8080"
"""Where the README's examples expect the server: the one thing a reader changes."""

# Each curl call prints its body, a newline and its status; ``-i`` keeps the headers
# in front of the body. ``--silent --show-error`` hides the progress bar only.
_CURL = "curl() { command curl --silent --show-error --write-out '\\n%{http_code}' \"$@\"; }"


@dataclass(frozen=True)
class Block:
    """A fenced block: its language, text, ``##`` section and first line in README.md."""

    lang: str
    text: str
    section: str
    line: int

    def __str__(self) -> str:
        return f"README.md:{self.line} ({self.section}, {self.lang or 'plain'})"


@cache
def readme() -> str:
    return README.read_text(encoding="utf-8")


@cache
def _tokens() -> tuple[Token, ...]:
    return tuple(MarkdownIt().parse(readme()))


def _by_section() -> Iterator[tuple[str, Token]]:
    """Each token of the README with the ``##`` heading it falls under (``""`` before the
    first)."""
    section = ""
    tokens = _tokens()
    for index, token in enumerate(tokens):
        if token.type == "heading_open" and token.tag == "h2":
            section = tokens[index + 1].content
        yield section, token


@cache
def all_blocks() -> tuple[Block, ...]:
    """Every fenced block of the README, in order."""
    return tuple(
        Block(token.info.strip(), token.content, section, token.map[0] + 1)
        for section, token in _by_section()
        if token.type == "fence" and token.map is not None
    )


def code_spans(section: str | None = None) -> list[str]:
    """The inline code spans (`like this`) of one ``##`` section, or of the whole README."""
    return [
        child.content
        for heading, token in _by_section()
        if token.type == "inline" and section in (None, heading)
        for child in token.children or ()
        if child.type == "code_inline"
    ]


def blocks(section: str, lang: str) -> list[Block]:
    """The blocks of one language in one ``##`` section, in order (at least one)."""
    chosen = [b for b in all_blocks() if b.section == section and b.lang == lang]
    assert chosen, f"README's '## {section}' has no {lang} block"
    return chosen


@cache
def sections() -> dict[str, str]:
    """Each ``##`` section's Markdown, without its heading, by heading."""
    lines = readme().splitlines(keepends=True)
    tokens = _tokens()
    starts = [
        (tokens[index + 1].content, token.map)
        for index, token in enumerate(tokens)
        if token.type == "heading_open" and token.tag == "h2" and token.map is not None
    ]
    ends = [where[0] for _, where in starts[1:]] + [len(lines)]
    return {
        heading: "".join(lines[where[1] : end])
        for (heading, where), end in zip(starts, ends, strict=True)
    }


def section_text(heading: str) -> str:
    """The Markdown of one ``##`` section, without its heading."""
    assert heading in sections(), f"README has no '## {heading}' section"
    return sections()[heading]


def table_rows(heading: str) -> dict[str, list[str]]:
    """The rows of the tables in one section, by first cell; ``\\|`` is a literal pipe."""
    rows = {}
    for line in section_text(heading).splitlines():
        if line.startswith("|") and not line.startswith("| ---"):
            cells = [c.strip().replace("\\|", "|") for c in re.split(r"(?<!\\)\|", line)[1:-1]]
            rows[cells[0]] = cells
    return rows


def commands(block: Block) -> list[str]:
    """The block's shell commands, each with its continuation lines; comments left out.

    A command ends at the first line break that is neither escaped nor inside quotes,
    which is where bash ends it; shlex says whether the quotes are closed.
    """
    found: list[str] = []
    pending = ""
    for line in block.text.splitlines():
        if not pending and (not line.strip() or line.lstrip().startswith("#")):
            continue
        pending += line + "\n"
        if pending.endswith("\\\n"):
            continue
        try:
            shlex.split(pending, comments=True)
        except ValueError:  # a quote still open
            continue
        found.append(pending.rstrip("\n"))
        pending = ""
    assert not pending, f"{block}: a command is not finished: {pending!r}"
    return found


def with_address(command: str, port: int) -> str:
    """The command aimed at a server on 127.0.0.1:``port``, as a reader would change it."""
    assert ADDRESS in command, f"no {ADDRESS} to point elsewhere in {command!r}"
    return command.replace(ADDRESS, f"127.0.0.1:{port}")


def shell_env(**extra: str) -> dict[str, str]:
    """This environment with the virtualenv's scripts (mockserver, schemathesis) first."""
    scripts = str(Path(sys.executable).parent)
    return {**os.environ, "PATH": scripts + os.pathsep + os.environ.get("PATH", ""), **extra}


@dataclass(frozen=True)
class Answer:
    """What one curl command got: its status and what it printed before it."""

    status: int
    body: str


def run(
    command: str, cwd: Path, env: dict[str, str] | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    """Runs one command through ``bash -e``; its exit status is left to the caller."""
    return subprocess.run(
        ["bash", "-e", "-c", f"{_CURL}\n{command}"],
        cwd=cwd,
        env=env or shell_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def curl(command: str, cwd: Path) -> Answer:
    """Runs one curl command of the README; a failed transfer fails the test."""
    done = run(command, cwd)
    assert done.returncode == 0, f"{command!r} exited {done.returncode}: {done.stderr}"
    body, _, status = done.stdout.rpartition("\n")
    return Answer(int(status), body)


def printed_by(code: str) -> str:
    """What a README Python example prints, run as a script of its own would run."""
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(code, "README.md", "exec"), {"__name__": "readme_example"})
    return printed.getvalue()

"""The project's Dockerfile as (instruction, arguments) pairs, for the tests that hold
the image to the README and carry out its lines."""

from __future__ import annotations

from pathlib import Path

DOCKERFILE = Path(__file__).resolve().parent.parent / "Dockerfile"


def instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, with ``\\`` continuations joined."""
    text = DOCKERFILE.read_text(encoding="utf-8").replace("\\\n", " ")
    found = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            keyword, _, rest = line.partition(" ")
            found.append((keyword.upper(), " ".join(rest.split())))
    return found


def arguments(keyword: str) -> list[str]:
    """The arguments of every ``keyword`` instruction, in order."""
    return [rest for kw, rest in instructions() if kw == keyword]

"""The regular expressions clients give the control API to pick request paths.

A journal filter (``GET /_mock/journal?path=``), a verify criterion and a fault rule's
``path`` are searched in request paths inside the event loop; a fault rule's on every
inbound request. Python's :mod:`re` backtracks, so a pattern such as ``^/x/(a+)+$``
takes time exponential in the path and stalls every tenant while it runs. These are
compiled by RE2 (the ``google-re2`` package), whose matching time is linear in the
path whatever the pattern. RE2 has everything a path filter is written with (classes,
anchors, alternation, repetition, groups, ``(?i)``) but no backreferences or
lookaround; a pattern it cannot compile is refused with a 400 naming it. A search
costs about a microsecond, so a fault rule is compiled once, when it is added.

Patterns and paths are matched as UTF-8 bytes: a path that holds a lone surrogate
(which ``str.encode`` refuses) is still searched, and cannot fail the request.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import re2

from .errors import InvalidInput


@dataclass(frozen=True, slots=True)
class PathPattern:
    """A compiled pattern and the text it was written as."""

    pattern: str
    _compiled: Any

    def search(self, path: str) -> bool:
        """Whether the pattern matches anywhere in ``path`` (as ``re.search`` does)."""
        return self._compiled.search(path.encode("utf-8", "surrogatepass")) is not None


def compile_path(text: str, *, field: str = "path") -> PathPattern:
    """``text`` compiled, or :class:`InvalidInput` on ``field`` naming the pattern."""
    options = re2.Options()
    options.log_errors = False  # a refused pattern is the client's 400, not a server log line
    try:
        compiled = re2.compile(text.encode("utf-8"), options)
    except (re2.error, UnicodeEncodeError) as exc:
        raw = exc.args[0] if isinstance(exc, re2.error) and exc.args else b"not UTF-8 text"
        reason = raw.decode("utf-8", "replace")
        message = f"{text!r} is not a regular expression RE2 supports: {reason}"
        raise InvalidInput.one(field, message) from None
    return PathPattern(text, compiled)

"""The one way a number written in a path or a query string becomes a Python number.

``str.isdigit()`` says yes to digits ``int()`` refuses (``"³"``, ``"²"``), ``int()``
refuses a number of more than 4,300 digits (and takes quadratic time below that), and
``float()`` reads Arabic-Indic digits, ``"1_000"``, ``"nan"`` and ``"inf"``. An id or a
page written that way must be the vendor's 404 or 400, not a server error, so every
vendor reads numbers here:

- :func:`natural`: ASCII digits only, at most :data:`MAX_DIGITS` of them, or a whole
  JSON number (``{"page": 2}`` is page 2 as ``page=2`` is: a client paging so must
  reach the end), and no more than :data:`MAX_NATURAL` (what a signed 64-bit number
  holds, the widest the vendors' own servers parse an id or an offset into); anything
  else is ``None``, which a caller answers as its vendor's 404 for an id that cannot
  exist, its 400 for a bad query value, or its default where it already defaults a
  bad paging value;
- :func:`integer`: the same with an optional ``-`` sign;
- :func:`real`: a decimal number in ASCII, at most :data:`MAX_REAL_LENGTH` characters,
  and finite (``1e400`` is ``inf`` once read); anything else is ``None``.
"""

from __future__ import annotations

import math
import re

MAX_NATURAL = 2**63 - 1
"""The largest whole number a path or query value may hold."""

MAX_DIGITS = 20
"""Characters a whole number may be written with (leading zeros included)."""

MAX_REAL_LENGTH = 64
"""Characters a decimal number may be written with."""

_REAL = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def natural(text: object, *, most: int = MAX_NATURAL) -> int | None:
    """``text`` as a whole number from 0 to ``most``, or ``None``.

    A ``str`` of ASCII digits is a number here: no sign, no spaces (callers that
    tolerate spaces strip them first), no other script's digits. So is an ``int`` as a
    JSON body carries it (not a ``bool``, which JSON keeps apart), within the same bounds.
    """
    if type(text) is int:
        return text if 0 <= text <= most else None
    if not isinstance(text, str) or not (0 < len(text) <= MAX_DIGITS):
        return None
    if not (text.isascii() and text.isdigit()):
        return None
    number = int(text)
    return number if number <= most else None


def positive(text: object, *, most: int = MAX_NATURAL) -> int | None:
    """``text`` as a whole number from 1 to ``most``, or ``None`` (ints as :func:`natural`)."""
    number = natural(text, most=most)
    return number if number else None


def integer(text: object) -> int | None:
    """``text`` as a whole number with an optional ``-`` sign, within 64 bits, or ``None``."""
    if type(text) is int:
        return text if -MAX_NATURAL <= text <= MAX_NATURAL else None
    if not isinstance(text, str):
        return None
    negative = text.startswith("-")
    number = natural(text[1:] if negative else text)
    if number is None:
        return None
    return -number if negative else number


def real(text: object) -> float | None:
    """``text`` as a finite decimal number (``12``, ``-0.5``, ``1e3``), or ``None``.

    As for :func:`natural`, spaces are the caller's to strip.
    """
    if not isinstance(text, str) or len(text) > MAX_REAL_LENGTH:
        return None
    if _REAL.fullmatch(text) is None:
        return None
    number = float(text)
    return number if math.isfinite(number) else None

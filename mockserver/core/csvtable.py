"""The shared first steps of reading an uploaded CSV file, naming the line at fault.

Vendors decide what a row means; what makes a file unreadable is the same for all:
bytes that are not UTF-8, no header row, a column without a name, a name twice.

Files are read as they are parsed, never decoded whole: a text copy of an upload
would cost up to four times its bytes (``io.StringIO`` keeps four bytes a character)
before the first row is read.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from .errors import MalformedBody

if TYPE_CHECKING:
    import _csv

NAMED_DUPLICATES = 10
"""Repeated column names a refusal lists; the rest are counted."""


def text(data: bytes, *, newline: str | None) -> io.TextIOWrapper:
    """The file as a text stream decoded as it is read (a UTF-8 byte-order mark is dropped).

    ``newline`` is :class:`io.TextIOWrapper`'s: ``""`` keeps line ends for the CSV
    reader, ``None`` reads ``\\r\\n`` and ``\\r`` as ``\\n``. A byte that is not UTF-8
    raises ``UnicodeDecodeError`` where it is reached; :func:`not_utf8` names its line.
    """
    return io.TextIOWrapper(io.BytesIO(data), encoding="utf-8-sig", newline=newline)


def not_utf8(data: bytes) -> MalformedBody:
    """The refusal of a file that is not UTF-8, naming the line of the first bad byte."""
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return MalformedBody(f"line {line}: the file is not valid UTF-8")
    return MalformedBody("the file is not valid UTF-8")


@contextmanager
def reading(data: bytes) -> Iterator[_csv.Reader]:
    """A strict CSV reader over the file: a malformed quote or a byte that is not UTF-8
    raised while the block reads rows becomes :class:`MalformedBody` naming the line."""
    rows = csv.reader(text(data, newline=""), strict=True)
    try:
        yield rows
    except csv.Error as exc:
        raise MalformedBody(f"line {rows.line_num}: {exc}") from None
    except UnicodeDecodeError:
        raise not_utf8(data) from None


def header(rows: _csv.Reader, *, names_required: bool = False) -> list[str]:
    """The header row, stripped; refused when missing, unnamed or repeated.

    Repeats are counted in one pass: a header of 100,000 columns is checked as fast as
    it is read.
    """
    first = next(rows, None)
    if first is None or not any(cell.strip() for cell in first):
        raise MalformedBody("line 1: the file is empty; a header row is required")
    names = [name.strip() for name in first]
    if names_required and "" in names:
        raise MalformedBody(f"line 1: column {names.index('') + 1} has no name")
    duplicates = sorted(name for name, count in Counter(names).items() if count > 1)
    if duplicates:
        listed = ", ".join(duplicates[:NAMED_DUPLICATES])
        more = len(duplicates) - NAMED_DUPLICATES
        raise MalformedBody(
            f"line 1: duplicate column {listed}" + (f" and {more:,} more" if more > 0 else "")
        )
    return names

"""The shared first steps of reading an uploaded CSV file, naming the line at fault.

Vendors decide what a row means; what makes a file unreadable is the same for all:
bytes that are not UTF-8, no header row, a column without a name, a name twice.
"""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING

from .errors import MalformedBody

if TYPE_CHECKING:
    import _csv


def decode(data: bytes) -> str:
    """The file as text (a UTF-8 byte-order mark is dropped); refusals name the line."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise MalformedBody(f"line {line}: the file is not valid UTF-8") from None


def reader(text: str) -> _csv.Reader:
    """A strict CSV reader: a malformed quote is a ``csv.Error``, not silently read."""
    return csv.reader(io.StringIO(text, newline=""), strict=True)


def header(rows: _csv.Reader, *, names_required: bool = False) -> list[str]:
    """The header row, stripped; refused when missing, unnamed or repeated."""
    first = next(rows, None)
    if first is None or not any(cell.strip() for cell in first):
        raise MalformedBody("line 1: the file is empty; a header row is required")
    names = [name.strip() for name in first]
    if names_required and "" in names:
        raise MalformedBody(f"line 1: column {names.index('') + 1} has no name")
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise MalformedBody(f"line 1: duplicate column {', '.join(duplicates)}")
    return names

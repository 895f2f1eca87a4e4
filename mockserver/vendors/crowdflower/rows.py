"""Reading uploaded rows: CSV or JSON Lines, raw or as the file of a multipart body.

FOUND: uploads are raw bodies, ``text/csv`` (UTF-8) or JSON Lines, one object per
line, sent as ``application/json`` or ``text/json``; a JSON array made the real API
fail. One client (R) sends the file as multipart, so the first file part of a
``multipart/form-data`` body is read too (INFERRED). A file that cannot be read is
refused whole (400), naming the line. INFERRED, lenient: a body of any other media
type (a browser sends ``.csv`` files as ``application/vnd.ms-excel``) is read by its
first byte, as one sent without a type is; CrowdFlower documents no 415.

Parsing is built for 10^6 rows: ``csv.reader`` over the file decoded as it is read,
one dict per row, no per-row validation beyond the field count. A file with more rows
than the job has room for is refused having built none.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from mockserver.core import csvtable, multipart
from mockserver.core.errors import MalformedBody
from mockserver.core.jsontext import loads

from .backend.uploads import Upload

CSV_TYPES = frozenset({"text/csv", "application/csv", "text/comma-separated-values"})
JSON_TYPES = frozenset(
    {
        "application/json",
        "text/json",
        "application/x-ndjson",
        "application/jsonl",
        "application/jsonlines",
        "application/x-jsonlines",
    }
)
# INFERRED: ``curl -T`` sends no type or a generic one; the first byte then decides
# (so it does for any type that is neither CSV nor JSON).
SNIFFED_TYPES = frozenset({"", "application/octet-stream", "text/plain"})
BOM = b"\xef\xbb\xbf"
SUFFIXES = {".csv": "text/csv", ".json": "application/json", ".jsonl": "application/json"}


class TooManyRows(Exception):
    """The file holds more rows than it may add; raised before the rows are built."""


def read_upload(
    content_type: str, body: bytes, *, max_rows: int | None = None
) -> tuple[Upload, list[tuple[str, str]]]:
    """The rows of an upload body, and the text fields of a multipart body (else none).

    Past ``max_rows`` rows it raises :class:`TooManyRows`, having built none of them:
    a file over the unit limit costs no more memory than one that fits. Pure parsing
    with no state: handlers run it in a worker thread.
    """
    kind = content_type.split(";", 1)[0].strip().lower()
    fields: list[tuple[str, str]] = []
    if kind == multipart.MULTIPART:
        kind, body, fields = _file_part(content_type, body)
    if kind not in CSV_TYPES and kind not in JSON_TYPES:
        kind = _sniff(body)
    if kind in CSV_TYPES:
        return parse_csv(body, max_rows), fields
    return parse_json_lines(body, max_rows), fields


def parse_csv(data: bytes, max_rows: int | None = None) -> Upload:
    """A header row, then one row per record; every row has the header's width."""
    if max_rows is not None and _line_ends(data) >= max_rows:
        _count_records(data, max_rows)
    with csvtable.reading(data) as reader:
        # INFERRED, safe: every column needs a name (and one of its own), since names
        # become data keys; a spreadsheet's export always has them. An empty file has
        # no header: 400 (bound), as an unreadable one.
        header = csvtable.header(reader, names_required=True)
        width = len(header)
        rows: list[dict[str, Any]] = []
        append = rows.append
        line = reader.line_num  # the last line read: a record starts on the next one
        for cells in reader:
            if len(cells) == width:
                if any(cells):
                    append(dict(zip(header, cells, strict=False)))
            elif any(cells):  # INFERRED: blank lines and all-empty records are skipped
                # bound: a record of another width cannot be told apart into columns
                raise MalformedBody(
                    f"line {line + 1}: has {len(cells)} fields, the header has {width}"
                )
            line = reader.line_num
    return Upload(header, rows)  # INFERRED: a header alone is a file of no rows, accepted


def _count_records(data: bytes, max_rows: int) -> None:
    """Reads the file once without keeping a row: :class:`TooManyRows` past ``max_rows``."""
    with csvtable.reading(data) as reader:
        next(reader, None)
        count = 0
        for cells in reader:
            if any(cells):
                count += 1
                if count > max_rows:
                    raise TooManyRows()


def parse_json_lines(data: bytes, max_rows: int | None = None) -> Upload:
    """One JSON object per line; blank lines are skipped; columns are the union of keys.

    Lines are read one at a time through the guarded reader (``CR LF`` and ``CR`` end
    lines too: a raw CR cannot sit inside a JSON string), so a refusal names its line.
    """
    body = data.removeprefix(BOM)
    start = body.lstrip()
    if not start:  # bound: no row and no column to read
        raise MalformedBody("line 1: the file is empty; send one JSON object per line")
    if start.startswith(b"["):  # FOUND: the real API failed on arrays; INFERRED: 400 here
        where = _line_ends(body[: len(body) - len(start)]) + 1
        raise MalformedBody(
            f"line {where}: a JSON array is not accepted; send JSON Lines, one object per line"
        )
    rows: list[dict[str, Any]] = []
    try:
        for number, line in _filled_lines(data):
            try:
                row = loads(line, what=f"line {number}")
            except MalformedBody:
                whole = None if rows else _single_object(data)
                if whole is not None:  # INFERRED: one pretty-printed object is one row
                    return Upload(list(whole), [whole])
                raise
            if type(row) is not dict:  # FOUND: one object per line (OAS "JSON Lines")
                raise MalformedBody(f"line {number}: is not a JSON object")
            if not rows and max_rows is not None and _line_ends(data) >= max_rows:
                _count_lines(data, max_rows)  # a JSON Lines file, as its first line shows
            rows.append(row)
    except UnicodeDecodeError:  # FOUND: uploads are UTF-8 (SEED, OAS)
        raise csvtable.not_utf8(data) from None
    columns: dict[str, None] = {}
    known = columns.keys()
    for row in rows:
        if not known >= row.keys():
            columns.update(dict.fromkeys(row))
    return Upload(list(columns), rows)


def _filled_lines(data: bytes) -> Iterator[tuple[int, str]]:
    """The file's non-blank lines, numbered from 1, decoded one at a time."""
    for number, line in enumerate(csvtable.text(data, newline=None), 1):
        if line.strip():
            yield number, line


def _count_lines(data: bytes, max_rows: int) -> None:
    """:class:`TooManyRows` when more than ``max_rows`` lines hold something."""
    count = 0
    for _ in _filled_lines(data):
        count += 1
        if count > max_rows:
            raise TooManyRows()


def _line_ends(data: bytes) -> int:
    """How many line ends (``LF``, ``CR LF`` or ``CR``) the bytes hold: a file has at
    most one more row than that, so below the limit no row needs counting."""
    return data.count(b"\n") + data.count(b"\r") - data.count(b"\r\n")


def _single_object(data: bytes) -> dict[str, Any] | None:
    try:
        whole = loads(data, what="The file")
    except MalformedBody:
        return None
    return whole if isinstance(whole, dict) else None


def _sniff(body: bytes) -> str:
    """INFERRED: a body starting with ``{`` or ``[`` is JSON, anything else CSV."""
    start = body.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    return "application/json" if start in (b"{", b"[") else "text/csv"


def _file_part(content_type: str, body: bytes) -> tuple[str, bytes, list[tuple[str, str]]]:
    """The media type and bytes of the first file part, and the text fields."""
    found = multipart.parts(content_type, body)
    chosen = next((part for part in found if part.is_file), None)
    if chosen is None:  # INFERRED, safe: a multipart upload (R) carries its rows as a file
        raise MalformedBody("the multipart body has no file part; send the rows as a file")
    kind = chosen.headers.get(b"content-type", b"").decode("latin-1")
    kind = kind.split(";", 1)[0].strip().lower()
    if kind in SNIFFED_TYPES:
        filename = chosen.disposition[b"filename"].decode("utf-8", "replace").lower()
        suffix = filename[filename.rfind(".") :] if "." in filename else ""
        kind = SUFFIXES.get(suffix, kind)
    return kind, chosen.data, multipart.text_fields(found)

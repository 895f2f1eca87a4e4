"""Reading uploaded rows: CSV or JSON Lines, raw or as the file of a multipart body.

FOUND: uploads are raw bodies, ``text/csv`` (UTF-8) or JSON Lines, one object per
line, sent as ``application/json`` or ``text/json``; a JSON array made the real API
fail. One client (R) sends the file as multipart, so the first file part of a
``multipart/form-data`` body is read too (INFERRED). A file that cannot be read is
refused whole (400), naming the line; any other media type is refused with 415.

Parsing is built for 10^6 rows: ``csv.reader`` over the decoded text, one dict per
row, no per-row validation beyond the field count.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header

from mockserver.core import csvtable
from mockserver.core.errors import MalformedBody, UnsupportedMediaType

from .backend.uploads import Upload

if TYPE_CHECKING:
    from python_multipart.multipart import MultipartCallbacks

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
# INFERRED: ``curl -T`` sends no type or a generic one; the first byte then decides.
SNIFFED_TYPES = frozenset({"", "application/octet-stream", "text/plain"})
MULTIPART = "multipart/form-data"
SUFFIXES = {".csv": "text/csv", ".json": "application/json", ".jsonl": "application/json"}


@dataclass(slots=True)
class Part:
    headers: dict[bytes, bytes] = field(default_factory=dict)
    chunks: list[bytes] = field(default_factory=list)
    complete: bool = False


def read_upload(content_type: str, body: bytes) -> tuple[Upload, list[tuple[str, str]]]:
    """The rows of an upload body, and the text fields of a multipart body (else none)."""
    kind = content_type.split(";", 1)[0].strip().lower()
    fields: list[tuple[str, str]] = []
    if kind == MULTIPART:
        kind, body, fields = _file_part(content_type, body)
    if kind in SNIFFED_TYPES:
        kind = _sniff(body)
    if kind in CSV_TYPES:
        return parse_csv(body), fields
    if kind in JSON_TYPES:
        return parse_json_lines(body), fields
    raise UnsupportedMediaType(
        f"Unsupported Media Type: {kind}; send text/csv, or JSON Lines as application/json"
    )


def parse_csv(data: bytes) -> Upload:
    """A header row, then one row per record; every row has the header's width."""
    reader = csvtable.reader(csvtable.decode(data))
    try:
        # INFERRED: every column needs a name, since names become data keys.
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
                raise MalformedBody(
                    f"line {line + 1}: has {len(cells)} fields, the header has {width}"
                )
            line = reader.line_num
    except csv.Error as exc:
        raise MalformedBody(f"line {reader.line_num}: {exc}") from None
    return Upload(header, rows)  # INFERRED: a header alone is a file of no rows, accepted


def parse_json_lines(data: bytes) -> Upload:
    """One JSON object per line; blank lines are skipped; columns are the union of keys."""
    text = csvtable.decode(data)
    start = text.lstrip()
    if not start:
        raise MalformedBody("line 1: the file is empty; send one JSON object per line")
    if start.startswith("["):  # FOUND: the real API failed on arrays; INFERRED: 400 here
        line = text[: len(text) - len(start)].count("\n") + 1
        raise MalformedBody(
            f"line {line}: a JSON array is not accepted; send JSON Lines, one object per line"
        )
    if "\r" in text:  # CRLF or CR line ends (a raw CR cannot sit inside a JSON string)
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    rows = _all_at_once(lines)
    if rows is None:
        rows = _line_by_line(text, lines)
    columns: dict[str, None] = {}
    known = columns.keys()
    for row in rows:
        if not known >= row.keys():
            columns.update(dict.fromkeys(row))
    return Upload(list(columns), rows)


def _all_at_once(lines: list[str]) -> list[dict[str, Any]] | None:
    """Every line's object, decoded in one call; ``None`` if any line is not one object.

    No line can yield zero values and no value can span lines (JSON strings hold no
    raw newline), so as many values as non-blank lines means one value a line.
    """
    filled = [line for line in lines if line.strip()]
    try:
        rows = json.loads("[" + ",".join(filled) + "]")
    except ValueError:
        return None
    if len(rows) != len(filled) or any(type(row) is not dict for row in rows):
        return None
    return cast(list[dict[str, Any]], rows)


def _line_by_line(text: str, lines: list[str]) -> list[dict[str, Any]]:
    """The slow path, which names the first line that is not a JSON object."""
    rows: list[dict[str, Any]] = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except ValueError as exc:
            whole = _single_object(text) if not rows else None
            if whole is not None:  # INFERRED: one pretty-printed object is one row
                return [whole]
            reason = exc.msg if isinstance(exc, json.JSONDecodeError) else str(exc)
            where = f" at column {exc.colno}" if isinstance(exc, json.JSONDecodeError) else ""
            raise MalformedBody(f"line {number}: not valid JSON ({reason}{where})") from None
        if not isinstance(row, dict):
            raise MalformedBody(f"line {number}: is not a JSON object")
        rows.append(row)
    return rows


def _single_object(text: str) -> dict[str, Any] | None:
    try:
        whole = json.loads(text)
    except ValueError:
        return None
    return whole if isinstance(whole, dict) else None


def _sniff(body: bytes) -> str:
    """INFERRED: a body starting with ``{`` or ``[`` is JSON, anything else CSV."""
    start = body.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    return "application/json" if start in (b"{", b"[") else "text/csv"


def _file_part(content_type: str, body: bytes) -> tuple[str, bytes, list[tuple[str, str]]]:
    """The media type and bytes of the first file part, and the text fields."""
    parts = _parts(content_type, body)
    fields: list[tuple[str, str]] = []
    chosen: tuple[str, bytes] | None = None
    for part in parts:
        _, disposition = parse_options_header(part.headers.get(b"content-disposition", b""))
        data = b"".join(part.chunks)
        if b"filename" not in disposition:
            name = disposition.get(b"name", b"").decode("utf-8", "replace")
            fields.append((name, data.decode("utf-8", "replace")))
        elif chosen is None:
            kind = part.headers.get(b"content-type", b"").decode("latin-1")
            kind = kind.split(";", 1)[0].strip().lower()
            if kind in SNIFFED_TYPES:
                filename = disposition[b"filename"].decode("utf-8", "replace").lower()
                suffix = filename[filename.rfind(".") :] if "." in filename else ""
                kind = SUFFIXES.get(suffix, kind)
            chosen = (kind, data)
    if chosen is None:
        raise MalformedBody("the multipart body has no file part; send the rows as a file")
    return chosen[0], chosen[1], fields


def _parts(content_type: str, body: bytes) -> list[Part]:
    _, options = parse_options_header(content_type)
    boundary = options.get(b"boundary")
    if not boundary:
        raise MalformedBody("the multipart body has no boundary")
    parts: list[Part] = []
    name: list[bytes] = []
    value: list[bytes] = []

    def header_end() -> None:
        parts[-1].headers[b"".join(name).strip().lower()] = b"".join(value).strip()
        name.clear()
        value.clear()

    def part_end() -> None:
        parts[-1].complete = True

    callbacks: MultipartCallbacks = {
        "on_part_begin": lambda: parts.append(Part()),
        "on_header_field": lambda data, start, end: name.append(data[start:end]),
        "on_header_value": lambda data, start, end: value.append(data[start:end]),
        "on_header_end": header_end,
        "on_part_data": lambda data, start, end: parts[-1].chunks.append(data[start:end]),
        "on_part_end": part_end,
    }
    try:
        parser = MultipartParser(boundary, callbacks)
        parser.write(body)
        parser.finalize()
    except MultipartParseError as exc:
        raise MalformedBody(f"the multipart body cannot be read: {exc}") from None
    return [p for p in parts if p.complete]

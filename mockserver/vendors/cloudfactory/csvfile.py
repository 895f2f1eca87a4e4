"""Reading a performance CSV into report rows, naming the line of every bad row.

INFERRED format (the "agreed format" is set per customer and undocumented): a
header row whose column names are the JSON fields of Quality or Throughput; empty
cells are absent fields; ``errors``, ``review_metadata`` and the like hold JSON.
Cells are typed by the same JSON Schema the API validates against, and each row is
then validated like an API call, so a CSV row and a POST are judged alike.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache
from typing import Any

from mockserver.core import csvtable
from mockserver.core.errors import MalformedBody
from mockserver.core.jsontext import loads
from mockserver.core.validation import field_errors, load_schema

from .backend.performance import RecordKind, RowError

VENDOR = "cloudfactory"
SCHEMAS: dict[RecordKind, str] = {"quality": "task_reviewed", "throughput": "task_completed"}
TRUE, FALSE = {"true", "1", "yes"}, {"false", "0", "no"}


@dataclass(slots=True)
class ParsedFile:
    kind: RecordKind
    rows: list[tuple[int, dict[str, Any]]]
    errors: list[RowError]


def parse(data: bytes, kind: RecordKind | None, workstream_id: str) -> ParsedFile:
    """Splits a file into valid rows and row errors; an unreadable file raises MalformedBody."""
    with csvtable.reading(data) as reader:
        header = csvtable.header(reader)
        kind = kind or ("quality" if "review_score" in header else "throughput")
        parsed = ParsedFile(kind, [], [])
        line = reader.line_num + 1
        for cells in reader:
            _add_row(parsed, line, header, cells, workstream_id)
            line = reader.line_num + 1
    return parsed


def _add_row(
    parsed: ParsedFile, line: int, header: list[str], cells: list[str], workstream_id: str
) -> None:
    if not any(cell.strip() for cell in cells):
        return
    if len(cells) != len(header):
        parsed.errors.append(
            RowError(line, "row", f"has {len(cells)} fields; the header has {len(header)}")
        )
        return
    types = _property_types(parsed.kind)
    row: dict[str, Any] = {}
    problems = []
    for name, cell in zip(header, cells, strict=True):
        if cell == "":
            continue
        try:
            row[name] = _typed(cell, types.get(name, ("string",)))
        except ValueError as exc:
            problems.append(RowError(line, name, str(exc)))
        except MalformedBody as exc:
            problems.append(RowError(line, name, exc.detail))
    if parsed.kind == "quality":
        row.setdefault("workstream_id", workstream_id)
    schema = SCHEMAS[parsed.kind]
    problems.extend(RowError(line, e.field, e.message) for e in field_errors(VENDOR, schema, row))
    if problems:
        parsed.errors.extend(problems)
    else:
        parsed.rows.append((line, row))


@cache
def _property_types(kind: RecordKind) -> dict[str, tuple[str, ...]]:
    properties = load_schema(VENDOR, SCHEMAS[kind]).get("properties", {})
    types: dict[str, tuple[str, ...]] = {}
    for name, spec in properties.items():
        declared = spec.get("type", "string")
        types[name] = tuple(declared) if isinstance(declared, list) else (declared,)
    return types


def _typed(cell: str, types: tuple[str, ...]) -> Any:
    """A cell as the JSON value its column's schema expects."""
    if "number" in types or "integer" in types:
        try:
            number = float(cell)
        except ValueError:
            raise ValueError("must be a number") from None
        if not math.isfinite(number):
            raise ValueError("must be a finite number")
        return int(number) if number.is_integer() and "." not in cell else number
    if "boolean" in types:
        lowered = cell.strip().lower()
        if lowered in TRUE | FALSE:
            return lowered in TRUE
        raise ValueError("must be true or false")
    if "object" in types:
        value = loads(cell, what="The value")  # the row error names the line and column
        if not isinstance(value, dict):
            raise ValueError("must be a JSON object")
        return value
    return cell

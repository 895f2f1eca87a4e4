"""A job's ontology (Appen era): the classes an annotation job offers its workers.

FOUND (Appen's OpenAPI document, "Job Ontology"): the ontology is a JSON array of
classes, each with a ``class_name`` (required), a ``display_color`` that "must be a hex
color string" such as ``#F42069``, a ``description``, and, in the documented example,
``children`` of the same shape; a PUT replaces it ("if the Ontology doesn't exist then a
new Ontology is created"); it also comes and goes as CSV with the columns
``description``, ``class_name`` and ``display_color``.

INFERRED: a job without one has ``[]``; a class that breaks the documented shape is
refused (422, the API's status for a malformed parameter) naming it, and nothing is
stored, which is safe for a real client since it sends the documented shape; keys the
document does not name are kept as sent.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from mockserver.core.errors import FieldError, InvalidInput

CSV_COLUMNS = ("description", "class_name", "display_color")  # FOUND: the CSV example's order
HEX_COLOR = re.compile(r"#[0-9A-Fa-f]{6}")


def read_classes(given: Any) -> list[dict[str, Any]]:
    """The ontology a client sent, checked against the documented shape."""
    problems: list[FieldError] = []
    classes = _classes(given, "ontology", problems)
    if problems:
        raise InvalidInput(problems)
    return classes


def from_rows(rows: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """An ontology from CSV rows: the documented columns, the empty ones left out."""
    return read_classes(
        [{k: v for k, v in row.items() if k in CSV_COLUMNS and v not in (None, "")} for row in rows]
    )


def csv_rows(classes: list[dict[str, Any]]) -> list[list[str]]:
    """The ontology's top-level classes as CSV rows, header first."""
    return [list(CSV_COLUMNS)] + [[str(c.get(k) or "") for k in CSV_COLUMNS] for c in classes]


def _classes(given: Any, where: str, problems: list[FieldError]) -> list[dict[str, Any]]:
    if not isinstance(given, list):  # FOUND: "a JSON array" (OAS ontology schema)
        problems.append(FieldError(where, f"{_name(where)} must be a JSON array of classes"))
        return []
    classes: list[dict[str, Any]] = []
    for index, item in enumerate(given):
        at = f"{where}[{index}]"
        if not isinstance(item, dict):  # FOUND: the array's items are objects (OAS)
            problems.append(FieldError(at, f"{_name(at)} must be an object"))
            continue
        name, color = item.get("class_name"), item.get("display_color")
        if not isinstance(name, str) or not name.strip():  # FOUND: class_name is required
            problems.append(FieldError(at, f"{_name(at)} class_name can't be blank"))
        if color is not None and not (isinstance(color, str) and HEX_COLOR.fullmatch(color)):
            # FOUND: display_color "must be a hex color string e.g. (#F42069)" (OAS)
            problems.append(
                FieldError(at, f"{_name(at)} display_color must be a hex color such as #F42069")
            )
        if item.get("description") is not None and not isinstance(item["description"], str):
            # FOUND: description is a string (OAS)
            problems.append(FieldError(at, f"{_name(at)} description must be text"))
        kept = dict(item)
        if "children" in item:
            kept["children"] = _classes(item["children"], f"{at}.children", problems)
        classes.append(kept)
    return classes


def _name(where: str) -> str:
    return "Ontology" + where[len("ontology") :]

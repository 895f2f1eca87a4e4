"""Task templates: a product with its attribute values, and the task's form.

FOUND: a template has the customer's ``code`` (its key), a unique ``name``,
localized ``titles`` and ``descriptions``, a ``product`` with ``attributes``
(``code``/``value``) and a ``form`` of ``elements``; each element has a ``type``,
``code``, ``titles``, ``is_output`` (filled by the worker) and ``is_mandatory``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class FormElement:
    code: str
    type: str
    is_output: bool
    is_mandatory: bool
    titles: dict[str, str] = field(default_factory=dict)
    descriptions: dict[str, str] = field(default_factory=dict)
    options: list[dict[str, str]] = field(default_factory=list)
    item_code: str | None = None


@dataclass(slots=True)
class Template:
    code: str
    name: str
    product: str
    attributes: dict[str, str]
    elements: list[FormElement]
    titles: dict[str, str] = field(default_factory=dict)
    descriptions: dict[str, str] = field(default_factory=dict)
    created_at: float = 0.0
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def inputs(self) -> list[FormElement]:
        return [e for e in self.elements if not e.is_output]

    @property
    def outputs(self) -> list[FormElement]:
        return [e for e in self.elements if e.is_output]


class Templates:
    """One customer's templates by code, in creation order."""

    def __init__(self) -> None:
        self._by_code: dict[str, Template] = {}

    def __iter__(self) -> Any:
        return iter(self._by_code.values())

    def __len__(self) -> int:
        return len(self._by_code)

    def get(self, code: str) -> Template | None:
        return self._by_code.get(code)

    def add(self, template: Template) -> Template:
        self._by_code[template.code] = template
        return template

    def remove(self, code: str) -> None:
        del self._by_code[code]

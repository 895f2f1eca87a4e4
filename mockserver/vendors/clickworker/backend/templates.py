"""Task templates: a product with its attribute values, and the task's form.

FOUND: a template has the customer's ``code`` (its key), a unique ``name``,
localized ``titles`` and ``descriptions``, a ``product`` with ``attributes``
(``code``/``value``) and a ``form`` of ``elements``; each element has a ``type``,
``code``, ``titles``, ``is_output`` (filled by the worker) and ``is_mandatory``;
the element types are listed in the form-element reference.

Rules: ``code`` is the customer's key for a template (FOUND: the template's URI
ends in it), so a second template with a taken code is a conflict (409). ``name``
is not checked for uniqueness although the reference calls it unique: clickworker's
own WordPress plugin gives every template of a language the same name, and the live
API took them (FOUND). INFERRED where the reference is cut off: the product must
exist and be available, its mandatory attributes must be set, and a value must be
one of the attribute's options unless the attribute is free text (422); a template
that tasks still use cannot be deleted (409, FOUND in the plugin's comment).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from mockserver.core.errors import Conflict, FieldError, InvalidInput, NotFound
from mockserver.core.numbers import natural

from .catalog import Catalog

# FOUND: the form-element types, the selection types among them, and plain ``select``.
ELEMENT_TYPES = frozenset({
    "text_field", "text_area", "number", "date", "media", "keyword", "url", "email",
    "drop_box", "multi_select", "check_box", "radio_button", "select",
})  # fmt: skip
# INFERRED: a selection without options offers nothing to pick (a check box may stand alone).
NEEDS_OPTIONS = frozenset({"drop_box", "multi_select", "radio_button", "select"})
# FOUND: option codes in use; INFERRED: lengths are whole numbers, min <= max.
LENGTH_OPTIONS = ("min_length", "max_length")


class TemplateExists(Conflict):
    """Another template of the customer already has this code."""

    message = "A task template with this code exists"


class TemplateInUse(Conflict):
    """FOUND: a template still in use cannot be deleted."""

    message = "The task template is used by tasks"


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

    def __iter__(self) -> Iterator[Template]:
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

    def require(self, code: str) -> Template:
        template = self._by_code.get(code)
        if template is None:
            raise NotFound(f"No task template {code!r}")
        return template

    def create(self, template: Template, catalog: Catalog) -> Template:
        check(template, catalog)
        if template.code in self._by_code:
            raise TemplateExists(f"A task template with code {template.code!r} exists")
        return self.add(template)

    def replace(self, template: Template, catalog: Catalog) -> Template:
        """INFERRED: an update replaces the read/write fields of a stored template."""
        current = self.require(template.code)
        check(template, catalog)
        template.created_at = current.created_at
        self._by_code[template.code] = template
        return template

    def delete(self, code: str, in_use: Callable[[str], bool]) -> Template:
        template = self.require(code)
        if in_use(code):
            raise TemplateInUse(f"Task template {code!r} is used by tasks; delete them first")
        self.remove(code)
        return template


def check(template: Template, catalog: Catalog) -> None:
    """Raises :class:`InvalidInput` naming every field the template gets wrong."""
    errors = [*_product_errors(template, catalog), *_form_errors(template.elements)]
    if errors:
        raise InvalidInput(errors)


def _product_errors(template: Template, catalog: Catalog) -> list[FieldError]:
    product = catalog.get(template.product)
    if product is None:
        # INFERRED: 422 naming the link, since the product is a field of the body.
        return [FieldError("product.link", f"No product {template.product!r}")]
    if not product.available:
        return [FieldError("product.link", f"Product {product.code!r} is not available")]
    errors = []
    for code, value in template.attributes.items():
        attribute = product.by_code.get(code)
        where = f"product.attributes.{code}"
        if attribute is None:
            errors.append(FieldError(where, f"is not an attribute of {product.code}"))
        elif not attribute.accepts(value):
            allowed = ", ".join(o.value for o in attribute.options)
            errors.append(FieldError(where, f"must be one of {allowed}"))
    for attribute in product.mandatory:
        if not template.attributes.get(attribute.code, "").strip():
            errors.append(FieldError(f"product.attributes.{attribute.code}", "is required"))
    return errors


def _form_errors(elements: list[FormElement]) -> list[FieldError]:
    errors = []
    seen: set[str] = set()
    for index, element in enumerate(elements):
        where = f"form.elements.{index}"
        if element.type not in ELEMENT_TYPES:
            allowed = ", ".join(sorted(ELEMENT_TYPES))
            errors.append(FieldError(f"{where}.type", f"must be one of {allowed}"))
        if not element.code:
            errors.append(FieldError(f"{where}.code", "code or item_code is required"))
        elif element.code in seen:
            errors.append(FieldError(f"{where}.code", f"{element.code!r} is used twice"))
        seen.add(element.code)
        if element.type in NEEDS_OPTIONS and not element.options:
            errors.append(FieldError(f"{where}.options", f"a {element.type} needs options"))
        errors.extend(_length_errors(element, where))
    return errors


def _length_errors(element: FormElement, where: str) -> list[FieldError]:
    lengths: dict[str, int] = {}
    errors = []
    for option in element.options:
        code, value = option.get("code", ""), option.get("value", "")
        if code in LENGTH_OPTIONS:
            length = natural(value.strip())
            if length is not None:
                lengths[code] = length
            else:
                errors.append(FieldError(f"{where}.options.{code}", "must be a whole number"))
    if lengths.get("min_length", 0) > lengths.get("max_length", lengths.get("min_length", 0)):
        errors.append(FieldError(f"{where}.options.min_length", "must not exceed max_length"))
    return errors

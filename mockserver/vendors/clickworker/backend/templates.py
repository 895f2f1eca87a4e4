"""Task templates: a product with its attribute values, and the task's form.

FOUND: a template has the customer's ``code`` (its key), a unique ``name``,
localized ``titles`` and ``descriptions``, a ``product`` with ``attributes``
(``code``/``value``) and a ``form`` of ``elements``; each element has a ``type``,
``code``, ``titles``, ``is_output`` (filled by the worker) and ``is_mandatory``;
the element types are listed in the form-element reference.

Rules: ``code`` is the customer's key for a template (FOUND: "a unique identifier
for the customer", and the template's URI ends in it), so a second template with a
taken code is a conflict (409). ``name`` is not checked for uniqueness although the
documentation calls it unique: clickworker's own WordPress plugin gives every
template of a language the same name (FOUND). The product must exist and be
available, its mandatory attributes must be set, and a value must be one of the
attribute's options (422); a template that tasks still use cannot be deleted (409,
FOUND in the plugin's comment). Attributes the product does not list, selections
without options and length options that are not numbers are kept as sent (the
simulated worker ignores what it cannot use).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from mockserver.core.errors import Conflict, FieldError, InvalidInput, NotFound
from mockserver.core.memo import Memo

from .catalog import Catalog

# FOUND: the form-element types, the selection types among them, and plain ``select``.
ELEMENT_TYPES = frozenset({
    "text_field", "text_area", "number", "date", "media", "keyword", "url", "email",
    "drop_box", "multi_select", "check_box", "radio_button", "select",
})  # fmt: skip


class TemplateExists(Conflict):
    """FOUND (order step 1): ``code`` is "a unique identifier for the customer", and the
    template's URI is made of it, so a second template cannot take a code in use."""

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
    """A stored template. An update stores a new one in its place: one never changes
    once stored, which lets it keep its answers (``shown``) as written."""

    code: str
    name: str
    product: str
    attributes: dict[str, str]
    elements: list[FormElement]
    titles: dict[str, str] = field(default_factory=dict)
    descriptions: dict[str, str] = field(default_factory=dict)
    created_at: float = 0.0
    extra: dict[str, Any] = field(default_factory=dict)
    shown: Memo[Any] = field(default_factory=Memo, init=False, repr=False, compare=False)

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
    # INFERRED, kept as safe: a template orders a product, and one the catalog does not
    # have cannot be priced or worked on; every documented product link names one.
    if product is None:
        return [FieldError("product.link", f"No product {template.product!r}")]
    # FOUND (products reference): a product shows whether it is ``available``.
    if not product.available:
        return [FieldError("product.link", f"Product {product.code!r} is not available")]
    errors = []
    for code, value in template.attributes.items():
        attribute = product.by_code.get(code)
        # INFERRED: an attribute the product does not list is kept and ignored; one it
        # lists must take one of its documented options (FOUND: the products reference
        # lists each attribute's options, and the plugin sends only those).
        if attribute is not None and not attribute.accepts(value):
            allowed = ", ".join(o.value for o in attribute.options)
            errors.append(FieldError(f"product.attributes.{code}", f"must be one of {allowed}"))
    # FOUND (products reference): attributes carry ``is_mandatory``; one left unset is
    # refused (INFERRED status), as the order walkthrough sets all three of TextCreate's.
    for attribute in product.mandatory:
        if not template.attributes.get(attribute.code, "").strip():
            errors.append(FieldError(f"product.attributes.{attribute.code}", "is required"))
    return errors


def _form_errors(elements: list[FormElement]) -> list[FieldError]:
    errors = []
    seen: set[str] = set()
    for index, element in enumerate(elements):
        where = f"form.elements.{index}"
        # FOUND (form elements): the types there are; INFERRED, kept as safe: every
        # documented element and the plugin's use one of them.
        if element.type not in ELEMENT_TYPES:
            allowed = ", ".join(sorted(ELEMENT_TYPES))
            errors.append(FieldError(f"{where}.type", f"must be one of {allowed}"))
        # FOUND: items are tied to elements by code (item_code), so an element needs one
        # and no two may share it; INFERRED status.
        if not element.code:
            errors.append(FieldError(f"{where}.code", "code or item_code is required"))
        elif element.code in seen:
            errors.append(FieldError(f"{where}.code", f"{element.code!r} is used twice"))
        seen.add(element.code)
    return errors

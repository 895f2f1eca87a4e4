"""A task order as the client sent it, and the checks it must pass before it is placed.

FOUND: a task names its template by a link to ``.../customer/task_templates/{code}``
(relative in the documentation's requests), carries ``input`` items
(``code``/``content``) and zero or more notification subscriptions, each with an
``event`` (``CUSTOMER_INPUT_REQUIRED`` or ``TASK_COMPLETED``), a ``callback_url``,
``callback_method`` ``POST`` and a ``payload_format`` of ``XML`` or ``JSON``.

INFERRED: input codes the form does not know are kept (the WordPress plugin sends
``keyword_a_min`` and the like); a subscription without a method or format means
``POST`` and ``XML``; the event, method and format are read case-insensitively.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from mockserver.core.errors import FieldError, InvalidInput

from .templates import Template, Templates

Item = tuple[str, str]
EVENTS = ("CUSTOMER_INPUT_REQUIRED", "TASK_COMPLETED")
FORMATS = ("XML", "JSON")
METHODS = ("POST",)


@dataclass(frozen=True, slots=True)
class Subscription:
    event: str
    callback_url: str
    callback_method: str
    payload_format: str


@dataclass(frozen=True, slots=True)
class Order:
    """A task body read from XML or JSON, unchecked: ``None`` where a value is missing."""

    customer_ref: str | None = None
    template_href: str | None = None
    items: list[tuple[str | None, str | None]] = field(default_factory=list)
    subscriptions: list[dict[str, str | None]] = field(default_factory=list)


def check(order: Order, templates: Templates) -> tuple[Template, list[Item], list[Subscription]]:
    """The template, inputs and subscriptions of a valid order; every problem otherwise."""
    problems: list[FieldError] = []
    template = _template(order.template_href, templates, problems)
    # INFERRED: an item without a code names nothing and is left out; a mandatory
    # input left out is not refused: ``is_mandatory`` says the clickworker must enter
    # a value (FOUND, form elements), and the documented task of order step 2 carries
    # no input at all.
    inputs: list[Item] = [(code, content or "") for code, content in order.items if code]
    subscriptions = [
        s
        for index, fields in enumerate(order.subscriptions)
        if (s := _subscription(index, fields, problems)) is not None
    ]
    if problems or template is None:
        raise InvalidInput(problems)
    return template, inputs, subscriptions


def _template(
    href: str | None, templates: Templates, problems: list[FieldError]
) -> Template | None:
    # FOUND (order step 2): "the task itself must reference the Task-template it is
    # designed for"; a task without one, or naming none of the customer's, is refused.
    if not href:
        problems.append(FieldError("template", "a link to the task template is required"))
        return None
    try:
        path = urlsplit(href.strip()).path.rstrip("/")
    except ValueError:
        path = ""
    parent, _, code = path.rpartition("/")
    found = templates.get(unquote(code)) if parent.endswith("/task_templates") else None
    if found is None:
        problems.append(FieldError("template", f"no task template at {href.strip()}"))
    return found


def _subscription(
    index: int, fields: dict[str, str | None], problems: list[FieldError]
) -> Subscription | None:
    where = f"notifications[{index}]"
    event = (fields.get("event") or "").strip().upper()
    url = (fields.get("callback_url") or "").strip()
    method = (fields.get("callback_method") or "POST").strip().upper()
    payload_format = (fields.get("payload_format") or "XML").strip().upper()
    before = len(problems)
    # FOUND (order step 2): exactly two events exist, and callbacks are POSTed as XML
    # or JSON. INFERRED, kept as safe: every documented subscription and the WordPress
    # plugin's use these values, and a callback the sandbox cannot make is better
    # refused at once than lost later.
    if event not in EVENTS:
        problems.append(FieldError(f"{where}.event", f"must be one of {', '.join(EVENTS)}"))
    if not _is_web_url(url):
        problems.append(FieldError(f"{where}.callback_url", "must be an absolute http(s) URL"))
    if method not in METHODS:
        problems.append(FieldError(f"{where}.callback_method", "must be POST"))
    if payload_format not in FORMATS:
        problems.append(FieldError(f"{where}.payload_format", "must be XML or JSON"))
    if len(problems) > before:
        return None
    return Subscription(event, url, method, payload_format)


def _is_web_url(url: str) -> bool:
    try:
        parts = urlsplit(url)
        return parts.scheme in ("http", "https") and bool(parts.hostname)
    except ValueError:
        return False

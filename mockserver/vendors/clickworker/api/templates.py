"""``customer/task_templates``: create, list, show, update and delete task templates.

FOUND: ``POST customer/task_templates`` with a ``<task_template>`` body answers
``task_template_response`` whose template carries its own URI as ``link[0].href``;
the product is named by a link whose ``href`` is relative in the examples; a
template is deleted with ``DELETE`` on its URI, and one still in use cannot be.
INFERRED: the list and show routes, and ``PUT`` for the read/write fields.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlsplit

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from mockserver.core.contract import contract
from mockserver.core.errors import InvalidInput
from mockserver.core.validation import validate

from ..backend.templates import FormElement, Template
from ..envelope import CONTEXT, Site, about, as_list, prerendered, read_entity, respond, site
from .common import world_of

ENTITY = "task_template"
TRUE = frozenset({"true", "1"})
# Fields the template has; anything else a client sends is kept as sent (INFERRED).
KNOWN = frozenset({"link", "href", "code", "name", "titles", "descriptions", "product", "form"})


def template_path(code: str) -> str:
    return f"customer/task_templates/{quote(code, safe='')}"


def flag(value: Any) -> bool:
    return value is True or (not isinstance(value, bool) and str(value).lower() in TRUE)


def text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value).strip()


def localized(value: Any) -> dict[str, str]:
    if not isinstance(value, dict):
        return {}
    return {language: str(words) for language, words in value.items() if words is not None}


def product_code(href: str) -> str:
    """The last segment of a product link, relative or absolute."""
    segments = [s for s in urlsplit(href.strip()).path.split("/") if s]
    return segments[-1] if segments else ""


def parse_template(document: dict[str, Any], *, now: float = 0.0) -> Template:
    """A template from a validated-on-the-way ``<task_template>`` document."""
    validate("clickworker", ENTITY, document)
    product = document["product"]
    # INFERRED: an attribute set twice takes its last value. Codes are trimmed: the
    # documentation's own TextCreateWithKeywords example writes "<code> textcreate...".
    attributes = {
        pair["code"].strip(): text(pair["value"]) for pair in as_list(product.get("attributes"))
    }
    form = document.get("form") or {}
    # INFERRED: the template reference lists name and titles but says neither is
    # required; a missing name is the code, missing titles are the name.
    name = text(document.get("name")) or document["code"]
    return Template(
        code=document["code"],
        name=name,
        product=product_code(product["link"][0]["href"]),
        attributes=attributes,
        elements=[_element(e) for e in as_list(form.get("elements"))],
        titles=localized(document.get("titles")) or {"en": name},
        descriptions=localized(document.get("descriptions")),
        created_at=now,
        extra={k: v for k, v in document.items() if k not in KNOWN},
    )


def _element(document: dict[str, Any]) -> FormElement:
    # INFERRED: code and item_code name the same item; the plugin sends only item_code.
    code = text(document.get("code")) or text(document.get("item_code"))
    return FormElement(
        code=code,
        type=text(document["type"]),
        is_output=flag(document.get("is_output", False)),
        is_mandatory=flag(document.get("is_mandatory", False)),
        # INFERRED: an element sent without titles is shown to workers by its code.
        titles=localized(document.get("titles")) or {"en": code},
        descriptions=localized(document.get("descriptions")),
        options=[
            {"code": text(o["code"]), "value": text(o.get("value"))}
            for o in as_list(document.get("options"))
        ],
        item_code=text(document.get("item_code")) or code,
    )


def request_shape(template: Template) -> dict[str, Any]:
    """The template as a client would send it (for updates on top of it)."""
    return {
        **template.extra,
        "code": template.code,
        "name": template.name,
        "titles": dict(template.titles),
        "descriptions": dict(template.descriptions) or None,
        "product": {
            "link": [{"href": f"{CONTEXT}/products/{template.product}"}],
            "attributes": [{"code": c, "value": v} for c, v in template.attributes.items()],
        },
        "form": {"elements": [_element_shape(e) for e in template.elements]},
    }


def _element_shape(element: FormElement) -> dict[str, Any]:
    shape: dict[str, Any] = {
        "type": element.type,
        "code": element.code,
        "item_code": element.item_code or element.code,
        "titles": dict(element.titles),
    }
    if element.descriptions:
        shape["descriptions"] = dict(element.descriptions)
    shape["is_output"] = element.is_output
    shape["is_mandatory"] = element.is_mandatory
    shape["options"] = [dict(o) for o in element.options]
    return shape


def represent(where: Site, template: Template) -> dict[str, Any]:
    shape = request_shape(template)
    shape["descriptions"] = dict(template.descriptions)
    shape["product"]["link"] = where.links(f"products/{quote(template.product)}", "product")
    return {"link": where.links(template_path(template.code)), **shape}


def written(request: Request, template: Template, key: str = ENTITY) -> Any:
    """The template as answers show it under ``key``, written once for each place and
    media type it is shown in and kept on the template (a stored one never changes)."""
    where = site(request.scope)
    return template.shown.get(
        f"{key} {where.media_type}",
        where,
        lambda: prerendered(where.media_type, key, represent(where, template)),
    )


@contract(body=ENTITY, wrap=ENTITY)
async def create(request: Request) -> Response:
    document = read_entity(request, ENTITY)
    world = world_of(request)
    template = parse_template(document, now=world.context.clock.now())
    world.templates.create(template, world.catalog)
    return respond(request.scope, ENTITY, written(request, template))


async def index(request: Request) -> Response:
    about(request, "task_templates")
    found = [written(request, t, "task_templates") for t in world_of(request).templates]
    return respond(request.scope, "task_templates", found)


async def show(request: Request) -> Response:
    about(request, ENTITY)
    template = world_of(request).templates.require(request.path_params["code"])
    return respond(request.scope, ENTITY, written(request, template))


async def update(request: Request) -> Response:
    """FOUND (template reference): name, titles, descriptions, product and form are
    read/write, code is read-only. Tasks already made keep the template they were made
    from.

    The body may be partial, or the whole template as read (its code as stored is then
    taken without complaint)."""
    about(request, ENTITY)
    world = world_of(request)
    current = world.templates.require(request.path_params["code"])
    changes = read_entity(request, ENTITY)
    merged = {**request_shape(current), **{k: v for k, v in changes.items() if k != "link"}}
    template = parse_template(merged, now=current.created_at)
    if template.code != current.code:
        # FOUND (template reference): code is read-only (r/-), and the URI names it.
        raise InvalidInput.one("code", "cannot be changed")
    world.templates.replace(template, world.catalog)
    return respond(request.scope, ENTITY, written(request, template))


async def delete(request: Request) -> Response:
    about(request, ENTITY)
    world = world_of(request)
    template = world.templates.delete(request.path_params["code"], world.template_in_use)
    return respond(request.scope, ENTITY, written(request, template))


BASE = f"{CONTEXT}/customer/task_templates"
routes = [
    Route(BASE, create, methods=["POST"]),
    Route(BASE, index, methods=["GET"]),
    Route(f"{BASE}/{{code}}", show, methods=["GET"]),
    Route(f"{BASE}/{{code}}", update, methods=["PUT"]),
    Route(f"{BASE}/{{code}}", delete, methods=["DELETE"]),
]

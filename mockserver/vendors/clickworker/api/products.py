"""``products`` and ``products/{code}``: what a customer can order (FOUND, read-only).

FOUND: the index shows ``link``, ``code``, ``titles`` and ``available``; the detail
``link``, ``code``, ``title``, ``description``, ``available`` and the ``attributes``
with their ``options``. INFERRED: the detail's ``title`` and ``description`` are in
the ``Accept-Language`` of the request when the product has it, else in English.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import Scope

from ..backend.catalog import Attribute, Product
from ..envelope import CONTEXT, about, links, respond
from .common import world_of


def language(request: Request) -> str:
    """The first language of ``Accept-Language`` (``en-us`` -> ``en``)."""
    header = request.headers.get("accept-language", "")
    first = header.split(",", 1)[0].split(";", 1)[0].strip().lower()
    return first.split("-", 1)[0] or "en"


def _self(scope: Scope, product: Product) -> list[dict[str, str]]:
    return links(scope, f"products/{quote(product.code)}")


def entry(scope: Scope, product: Product) -> dict[str, Any]:
    return {
        "link": _self(scope, product),
        "code": product.code,
        "titles": dict(product.titles),
        "available": product.available,
    }


def detail(scope: Scope, product: Product, lang: str) -> dict[str, Any]:
    return {
        "link": _self(scope, product),
        "code": product.code,
        "title": product.title(lang),
        "description": product.description(lang),
        "available": product.available,
        "attributes": [_attribute(a) for a in product.attributes],
    }


def _attribute(attribute: Attribute) -> dict[str, Any]:
    return {
        "code": attribute.code,
        "type": attribute.type,
        "is_mandatory": attribute.is_mandatory,
        "titles": dict(attribute.titles),
        "helps": dict(attribute.helps),
        "options": [{"titles": dict(o.titles), "value": o.value} for o in attribute.options],
    }


async def index(request: Request) -> Response:
    about(request, "products")
    products = [entry(request.scope, p) for p in world_of(request).catalog]
    return respond(request.scope, "products", products)


async def show(request: Request) -> Response:
    about(request, "product")
    product = world_of(request).catalog.require(request.path_params["code"])
    return respond(request.scope, "product", detail(request.scope, product, language(request)))


routes = [
    Route(f"{CONTEXT}/products", index, methods=["GET"]),
    Route(f"{CONTEXT}/products/{{code}}", show, methods=["GET"]),
]

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

from ..backend.catalog import Attribute, Product
from ..envelope import CONTEXT, Site, about, prerendered, respond, site
from .common import world_of


def language(request: Request) -> str:
    """The first language of ``Accept-Language`` (``en-us`` -> ``en``)."""
    header = request.headers.get("accept-language", "")
    first = header.split(",", 1)[0].split(";", 1)[0].strip().lower()
    return first.split("-", 1)[0] or "en"


def _self(where: Site, product: Product) -> list[dict[str, str]]:
    return where.links(f"products/{quote(product.code)}")


def entry(where: Site, product: Product) -> dict[str, Any]:
    return {
        "link": _self(where, product),
        "code": product.code,
        "titles": dict(product.titles),
        "available": product.available,
    }


def detail(where: Site, product: Product, lang: str) -> dict[str, Any]:
    return {
        "link": _self(where, product),
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


def _written_entry(where: Site, product: Product) -> Any:
    """The product's entry in the index, written once for each place and media type it
    is shown in and kept on the product: a product never changes."""
    return product.shown.get(
        "entry " + where.media_type,
        where,
        lambda: prerendered(where.media_type, "products", entry(where, product)),
    )


def _written_detail(where: Site, product: Product, lang: str) -> Any:
    """The product's detail, written once for each place, media type and language it is
    shown in and kept on the product: its attributes are hundreds of elements."""
    shown_in = (where, product.title(lang), product.description(lang))
    return product.shown.get(
        "detail " + where.media_type,
        shown_in,
        lambda: prerendered(where.media_type, "product", detail(where, product, lang)),
    )


async def index(request: Request) -> Response:
    about(request, "products")
    where = site(request.scope)
    products = [_written_entry(where, p) for p in world_of(request).catalog]
    return respond(request.scope, "products", products)


async def show(request: Request) -> Response:
    about(request, "product")
    product = world_of(request).catalog.require(request.path_params["code"])
    written = _written_detail(site(request.scope), product, language(request))
    return respond(request.scope, "product", written)


routes = [
    Route(f"{CONTEXT}/products", index, methods=["GET"]),
    Route(f"{CONTEXT}/products/{{code}}", show, methods=["GET"]),
]

"""What an endpoint promises on the wire, recorded on the endpoint itself.

Handlers validate their bodies with :func:`~.validation.validate` by schema name;
the :func:`contract` decorator states the same name next to the handler so the
route table alone is enough to describe the API (the OpenAPI documents and the
hypothesis strategies are generated from it). The decorator changes nothing at
run time: it only sets an attribute.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, TypeVar

Endpoint = TypeVar("Endpoint", bound=Callable[..., Any])

ATTRIBUTE = "__mockserver_contract__"
JSON = "application/json"
XML = "application/xml"
FORM = "application/x-www-form-urlencoded"
MULTIPART = "multipart/form-data"


@dataclass(frozen=True, slots=True)
class Contract:
    """An endpoint's request body schema, its answer and the ids it hands out.

    ``body`` and ``response`` name schemas in the API's schema directory.
    ``wrap`` says the body schema describes the object under that one key (the
    XML root element, ``{"task": ...}`` in JSON). ``produces`` lists the media
    types of a successful answer when they differ from the API's. ``anonymous``
    routes need no credential. ``yields`` maps a path parameter to the JSON
    pointer, in the answer, of the value to use for it in later calls.
    ``server_errors`` are 5xx statuses the real API documents for a refusal
    (answered with the error body), which a sandbox must therefore reproduce.
    ``query`` names schemas whose properties are the query parameters the
    endpoint reads (an object property stands for Rails-style ``a[b]`` keys).
    """

    body: str | None = None
    response: str | None = None
    wrap: str | None = None
    produces: tuple[str, ...] = ()
    anonymous: bool = False
    yields: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    server_errors: tuple[int, ...] = ()
    query: tuple[str, ...] = ()


NONE = Contract()


@dataclass(frozen=True, slots=True)
class ApiContract:
    """What holds for every endpoint of one API, for its OpenAPI document.

    ``security`` are OpenAPI security schemes, any one of which is enough.
    ``error_schema`` names the schema of every refusal's body, ``answer_schema``
    that of every success an endpoint does not describe itself. ``media_types``
    are what the API reads and writes unless an endpoint says otherwise.
    ``form_bodies`` says every body may also come as a form of Rails-style keys
    (``job[title]=...``), urlencoded or as the fields of a multipart body, as
    Rails-era APIs take them.
    """

    title: str = ""
    security: Mapping[str, Mapping[str, Any]] = field(default_factory=lambda: MappingProxyType({}))
    error_schema: str | None = None
    answer_schema: str | None = None
    media_types: tuple[str, ...] = (JSON,)
    form_bodies: bool = False


def contract(
    *,
    body: str | None = None,
    response: str | None = None,
    wrap: str | None = None,
    produces: tuple[str, ...] = (),
    anonymous: bool = False,
    yields: Mapping[str, str] | None = None,
    server_errors: tuple[int, ...] = (),
    query: tuple[str, ...] = (),
) -> Callable[[Endpoint], Endpoint]:
    """Records a :class:`Contract` on the decorated endpoint and returns it unchanged."""
    promised = Contract(
        body=body,
        response=response,
        wrap=wrap,
        produces=produces,
        anonymous=anonymous,
        yields=MappingProxyType(dict(yields or {})),
        server_errors=server_errors,
        query=query,
    )

    def mark(endpoint: Endpoint) -> Endpoint:
        setattr(endpoint, ATTRIBUTE, promised)
        return endpoint

    return mark


def contract_of(endpoint: object) -> Contract:
    """The endpoint's recorded contract, or an empty one (no body, any answer)."""
    found = getattr(endpoint, ATTRIBUTE, NONE)
    return found if isinstance(found, Contract) else NONE

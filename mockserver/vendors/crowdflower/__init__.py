"""CrowdFlower (Figure Eight) API v1: api.crowdflower.com, api.figure-eight.com."""

from __future__ import annotations

from mockserver.core.registry import VendorRef
from mockserver.core.rootpaths import Credential

REF = VendorRef(
    name="crowdflower",
    module=f"{__name__}.vendor",
    base_path="/v1",
    # FOUND: adapapi calls api.eu.appen.com for an EU account; Appen's OpenAPI document
    # serves the ontology from api-proxy.appen.com.
    hosts=(
        "api.crowdflower.com",
        "api.figure-eight.com",
        "api.appen.com",
        "api.eu.appen.com",
        "api-proxy.appen.com",
    ),
    root_shapes=("/v1",),  # shared with CloudFactory: the resources tell them apart
    # FOUND: ``key=`` in the query (or the body, which routing does not read), and
    # Appen's ``Authorization: Token token=<key>``.
    credentials=(Credential(query="key"), Credential(header="Authorization", scheme="Token")),
)

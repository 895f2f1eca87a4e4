"""The start-up banner: where everything is, and what the server started from.

A new user's first question is which URL to give their client; a CI log's reader's is
which clock, fixtures and state the run had. The banner answers both in a few lines.
"""

from __future__ import annotations

from collections.abc import Sequence

from .core.openapi import OPENAPI_PATH
from .core.registry import VendorRef
from .core.routing import ADMIN_PREFIX
from .settings import Settings


def server_url(settings: Settings) -> str:
    host = f"[{settings.host}]" if ":" in settings.host else settings.host
    return f"http://{host}:{settings.port}"


def lines(settings: Settings, refs: Sequence[VendorRef], *, state: str, fixtures: str) -> list[str]:
    """The banner, a line each: ``state`` and ``fixtures`` say what start-up did."""
    served = [ref for ref in refs if settings.vendor in (None, ref.name)]
    width = max(len("control API"), *(len(ref.name) for ref in served))
    root = server_url(settings)
    clock = (
        "manual (moves on POST /_mock/clock/advance)"
        if settings.clock == "manual"
        else f"realtime x{settings.speed:g}"
    )
    found = [f"mockserver on {root}"]
    if settings.vendor is None and any(ref.root_shapes for ref in served):
        found[0] += " (each vendor also at this root, known by its paths)"
    for ref in served:
        by_host = f" (or Host: {ref.hosts[0]})" if ref.hosts else ""
        url = ref.base_url(root, at_root=settings.vendor == ref.name)
        found.append(f"  {ref.name:<{width}}  {url}{by_host}")
    rows = [
        ("control API", f"{root}{ADMIN_PREFIX} (health {ADMIN_PREFIX}/health, OpenAPI "
         f"{ADMIN_PREFIX}{OPENAPI_PATH} and /<vendor>{OPENAPI_PATH})"),
        ("clock", f"{clock}, seed {settings.seed}"),
        ("fixtures", fixtures),
        ("state", state),
    ]  # fmt: skip
    found += [f"  {name:<{width}}  {text}" for name, text in rows]
    return found

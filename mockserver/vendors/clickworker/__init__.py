"""clickworker Marketplace API v2, customer side: api.clickworker.com and its sandbox."""

from __future__ import annotations

from mockserver.core.registry import VendorRef

REF = VendorRef(
    name="clickworker",
    module=f"{__name__}.vendor",
    base_path="/api/marketplace/v2",
    hosts=("api.clickworker.com", "sandbox.clickworker.com", "sandbox-beta.clickworker.com"),
    # The API, its documented alias without /api, and the locale form of its links (see
    # the vendor's path rewrites).
    root_shapes=("/api/marketplace", "/marketplace/v2", "/{locale}/api"),
)

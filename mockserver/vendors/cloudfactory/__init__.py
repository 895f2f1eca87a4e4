"""CloudFactory Public API (api.cloudfactory.app): WorkStream Performance and Oversight."""

from __future__ import annotations

from mockserver.core.registry import VendorRef

REF = VendorRef(
    name="cloudfactory",
    module=f"{__name__}.vendor",
    hosts=("api.cloudfactory.app",),
)

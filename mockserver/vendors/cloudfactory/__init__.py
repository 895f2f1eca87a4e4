"""CloudFactory Public API (api.cloudfactory.app): WorkStream Performance and Oversight."""

from __future__ import annotations

from mockserver.core.registry import VendorRef
from mockserver.core.rootpaths import Credential

REF = VendorRef(
    name="cloudfactory",
    module=f"{__name__}.vendor",
    hosts=("api.cloudfactory.app",),
    root_shapes=("/v1",),  # shared with CrowdFlower: the resources tell them apart
    credentials=(Credential(header="x-api-key"),),  # FOUND: on every call
)

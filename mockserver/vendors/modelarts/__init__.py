"""Huawei Cloud ModelArts data labeling (v2), with IAM tokens and AK/SK signatures."""

from __future__ import annotations

import re

from mockserver.core.registry import VendorRef

REF = VendorRef(
    name="modelarts",
    module=f"{__name__}.vendor",
    root_shapes=("/v2", "/v3"),  # ModelArts' /v2/{project_id}/..., IAM's /v3/...
    host_patterns=(
        re.compile(r"modelarts\.[a-z0-9-]+\.myhuaweicloud\.com"),
        re.compile(r"iam\.[a-z0-9-]+\.myhuaweicloud\.com"),
        re.compile(r"(modelarts|iam)\.[a-z0-9-]+\.otc\.t-systems\.com"),  # INFERRED
    ),
)

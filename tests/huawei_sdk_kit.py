"""What the tests driving the unmodified Huawei Cloud SDK share."""

from __future__ import annotations

import types
from typing import Any

from huaweicloudsdkcore.sdk_response import SdkResponse


class RawResponse(SdkResponse):  # type: ignore[misc]
    """Keeps the JSON as sent: the SDK's generic ``call_api`` needs a response model."""

    openapi_types: dict[str, str] = {}
    attribute_map: dict[str, str] = {}


def answering_raw(client: Any) -> Any:
    """``client``, its ``call_api(response_type="RawResponse")`` answering the JSON as sent."""
    client.model_package = types.SimpleNamespace(RawResponse=RawResponse)
    return client

"""What CloudFactory provisions for a customer out of band, read from a tenant's setup.

CloudFactory issues workstream ids, use case and task definition ids, Oversight
configuration ids with their webhook secrets, and mounted-bucket ids at onboarding;
clients never create them through the API. A tenant registered through
``/_mock/tenants`` carries them as its setup; an open-mode tenant has none and
provisions on first use.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

SignatureScheme = Literal["timestamped", "body"]
PayloadShape = Literal["envelope", "task"]


@dataclass(slots=True)
class WorkstreamConfig:
    id: str
    use_case_ids: frozenset[str] = frozenset()
    task_definition_ids: frozenset[str] = frozenset()


@dataclass(slots=True)
class ConfigurationConfig:
    id: str
    webhook_secret: str | None = None
    media_types: frozenset[str] = frozenset({"image", "video"})


@dataclass(frozen=True, slots=True)
class Provisioning:
    workstreams: dict[str, WorkstreamConfig] = field(default_factory=dict)
    configurations: dict[str, ConfigurationConfig] = field(default_factory=dict)
    buckets: frozenset[str] = frozenset()
    webhook_secret: str | None = None
    signature: SignatureScheme = "timestamped"
    webhook_payload: PayloadShape = "envelope"

    @classmethod
    def from_setup(cls, setup: Mapping[str, Any]) -> Provisioning:
        """Reads a setup already validated against ``schemas/cloudfactory/setup.json``.

        An empty setup (every open-mode tenant's) reads as :data:`NOTHING`, shared: a
        server keeps thousands of such tenants, and every full garbage collection walks
        each object of each.
        """
        if not setup:
            return NOTHING
        return cls(
            workstreams={
                w["id"]: WorkstreamConfig(
                    w["id"],
                    frozenset(w.get("use_case_ids", ())),
                    frozenset(w.get("task_definition_ids", ())),
                )
                for w in setup.get("workstreams", ())
            },
            configurations={
                c["id"]: ConfigurationConfig(
                    c["id"],
                    c.get("webhook_secret"),
                    frozenset(c.get("media_types", ("image", "video"))),
                )
                for c in setup.get("configurations", ())
            },
            buckets=frozenset(setup.get("buckets", ())),
            webhook_secret=setup.get("webhook_secret"),
            signature=setup.get("signature", "timestamped"),
            webhook_payload=setup.get("webhook_payload", "envelope"),
        )


NOTHING = Provisioning()
"""What an open-mode tenant has: nothing provisioned out of band."""

"""What every clickworker handler shares."""

from __future__ import annotations

from typing import cast

from starlette.requests import Request

from mockserver.core.context import tenant_of

from ..backend import ClickworkerWorld


def world_of(request: Request) -> ClickworkerWorld:
    return cast(ClickworkerWorld, tenant_of(request).world)


def money(amount: object) -> str:
    """Amounts as the API writes them: decimal strings with two places."""
    return f"{amount:.2f}" if not isinstance(amount, str) else amount

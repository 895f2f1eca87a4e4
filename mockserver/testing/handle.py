"""A test's handle on a running sandbox: its URLs, fresh tenants, and the ``/_mock`` API.

Every method is one call of the control API, so what a test does through the handle
it could do with any HTTP client; the handle only saves the typing and turns a failed
verification into an ``AssertionError`` that lists the near misses.
"""

from __future__ import annotations

import hashlib
import itertools
from dataclasses import dataclass
from typing import Any

import httpx


@dataclass(frozen=True, slots=True)
class Tenant:
    """A registered credential: what a client needs to reach its own world."""

    vendor: str
    credential: str
    id: str
    base_url: str


class MockServerHandle:
    """``admin_token`` is the server's ``--admin-token``, when it was started with one."""

    def __init__(self, url: str, *, namespace: str = "", admin_token: str | None = None) -> None:
        self.url = url
        headers = {} if admin_token is None else {"Authorization": f"Bearer {admin_token}"}
        self._http = httpx.Client(base_url=url, timeout=30.0, headers=headers)
        self._namespace = namespace
        self._serial = itertools.count(1)

    def close(self) -> None:
        self._http.close()

    def base_url(self, vendor: str) -> str:
        """Where a client of ``vendor`` should point (the vendor's prefix on this server)."""
        return f"{self.url}/{vendor}"

    def tenant(
        self,
        vendor: str,
        *,
        credential: str | None = None,
        setup: dict[str, Any] | None = None,
        strict: bool = False,
    ) -> Tenant:
        """Registers a fresh credential (32 hex digits, the same for the same test each run)."""
        if credential is None:
            seed = f"{self._namespace}:{vendor}:{next(self._serial)}"
            credential = hashlib.sha256(seed.encode()).hexdigest()[:32]
        body: dict[str, Any] = {"vendor": vendor, "credential": credential, "strict": strict}
        if setup is not None:
            body["setup"] = setup
        described = self._call("POST", "/_mock/tenants", json=body)
        return Tenant(vendor, credential, described["id"], self.base_url(vendor))

    def advance(self, seconds: float, *, tenant: Tenant | str | None = None) -> Any:
        """Moves sim time, fires what falls due and waits for the webhooks it caused."""
        body: dict[str, Any] = {"seconds": seconds}
        if tenant is not None:
            body["tenant"] = _tenant_id(tenant)
        return self._call("POST", "/_mock/clock/advance", json=body)

    def clock(self, *, tenant: Tenant | str | None = None) -> Any:
        return self._call("GET", "/_mock/clock", params=_tenant_query(tenant))

    def deliveries(self, **filters: Any) -> list[dict[str, Any]]:
        """Webhook deliveries with their attempts; filters ``vendor``, ``tenant``, ``state``."""
        answer = self._call("GET", "/_mock/webhooks/deliveries", params=_query(filters))
        return list(answer["deliveries"])

    def journal(self, **filters: Any) -> list[dict[str, Any]]:
        """Journaled requests, oldest first; filters as ``GET /_mock/journal``."""
        answer = self._call("GET", "/_mock/journal", params=_query(filters))
        return list(answer["entries"])

    def verify(self, **pattern: Any) -> dict[str, Any]:
        """Asserts the journal holds the requests ``pattern`` describes.

        ``count``, ``at_least`` or ``at_most`` set the expectation (at least one by
        default); the other keywords are the criteria of ``POST /_mock/journal/verify``.
        """
        if isinstance(pattern.get("tenant"), Tenant):
            pattern["tenant"] = pattern["tenant"].id
        outcome: dict[str, Any] = self._call("POST", "/_mock/journal/verify", json=pattern)
        if not outcome["ok"]:
            raise AssertionError(_explain(pattern, outcome))
        return outcome

    def fault(self, **rule: Any) -> dict[str, Any]:
        """Adds a fault rule (``POST /_mock/faults``) and answers it with its id."""
        if isinstance(rule.get("tenant"), Tenant):
            rule["tenant"] = rule["tenant"].id
        added: dict[str, Any] = self._call("POST", "/_mock/faults", json=rule)
        return added

    def clear_faults(self) -> None:
        self._call("DELETE", "/_mock/faults")

    def load_fixture(self, name: str) -> dict[str, Any]:
        loaded: dict[str, Any] = self._call("POST", f"/_mock/fixtures/{name}")
        return loaded

    def snapshot(self, name: str = "default") -> dict[str, Any]:
        taken: dict[str, Any] = self._call("POST", "/_mock/snapshot", json={"name": name})
        return taken

    def restore(self, name: str = "default") -> dict[str, Any]:
        restored: dict[str, Any] = self._call("POST", "/_mock/restore", json={"name": name})
        return restored

    def reset(self, *, tenant: Tenant | str | None = None) -> None:
        self._call("POST", "/_mock/reset", params=_tenant_query(tenant))

    def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        response = self._http.request(method, path, **kwargs)
        if response.is_error:
            raise AssertionError(
                f"{method} {path} answered {response.status_code}: {response.text}"
            )
        return response.json() if response.content else None


def _tenant_id(tenant: Tenant | str) -> str:
    return tenant.id if isinstance(tenant, Tenant) else tenant


def _tenant_query(tenant: Tenant | str | None) -> dict[str, str]:
    return {} if tenant is None else {"tenant": _tenant_id(tenant)}


def _query(filters: dict[str, Any]) -> dict[str, str]:
    return {
        key: _tenant_id(value) if isinstance(value, Tenant) else str(value)
        for key, value in filters.items()
        if value is not None
    }


def _explain(pattern: dict[str, Any], outcome: dict[str, Any]) -> str:
    lines = [
        f"expected {outcome['expected']} request(s) matching {pattern}, found {outcome['matched']}"
    ]
    if outcome["near_misses"]:
        lines.append("near misses:")
    for miss in outcome["near_misses"]:
        lines.append(f"  #{miss['id']} {miss['method']} {miss['path']} -> {miss['status']}")
        lines.extend(f"      {difference}" for difference in miss["differences"])
    return "\n".join(lines)

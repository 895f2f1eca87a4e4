"""Who may act on a project: IAM tokens it issued, and the AK/SK pairs it knows.

FOUND: an IAM token is valid for 24 hours; ModelArts calls carry it as
``X-Auth-Token``. INFERRED: tokens carry their project's id, so a call can be
routed to the project before the token is checked; in open mode an AK that was
never registered is checked against the sandbox's default secret key.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from mockserver.core.clock import Clock
from mockserver.core.rng import Rng

TOKEN_LIFETIME = 24 * 3600.0
TOKEN_PREFIX = "MIIE"  # real tokens are long base64 strings starting like this
DEFAULT_SECRET_KEY = "mockserver-secret-key"  # INFERRED: documented in the README


@dataclass(frozen=True, slots=True)
class Token:
    value: str
    user: str
    domain: str
    issued_at: float
    expires_at: float


def project_of_token(token: str) -> str | None:
    if token.startswith(TOKEN_PREFIX) and len(token) > len(TOKEN_PREFIX) + 32:
        return token[len(TOKEN_PREFIX) : len(TOKEN_PREFIX) + 32]
    return None


class Access:
    def __init__(self, clock: Clock, rng: Rng, project_id: str, setup: Mapping[str, Any]) -> None:
        self._clock = clock
        self._rng = rng
        self._project_id = project_id
        self.tokens: dict[str, Token] = {}
        self.keys: dict[str, str] = dict(setup.get("credentials", {}))

    def issue_token(self, user: str, domain: str) -> Token:
        now = self._clock.now()
        value = TOKEN_PREFIX + self._project_id + self._rng.token(160)
        token = Token(value, user, domain, now, now + TOKEN_LIFETIME)
        self.tokens[value] = token
        return token

    def token(self, value: str) -> Token | None:
        return self.tokens.get(value)

    def expired(self, token: Token) -> bool:
        return self._clock.now() >= token.expires_at

    def register_key(self, access_key: str, secret_key: str) -> None:
        self.keys[access_key] = secret_key

    def secret_of(self, access_key: str, *, strict: bool) -> str | None:
        known = self.keys.get(access_key)
        if known is not None or strict:
            return known
        return DEFAULT_SECRET_KEY

"""Checking an ``SDK-HMAC-SHA256`` signature as the Huawei Cloud SDK computes it.

FOUND (the SDK's signer): ``Authorization: SDK-HMAC-SHA256 Access=<AK>,
SignedHeaders=<h1;h2;...>, Signature=<hex>``; the canonical request is the method,
the path with each segment percent-decoded and re-encoded (only ``A-Za-z0-9-_.~``
bare) and a trailing ``/`` always added, the query pairs encoded alike and sorted,
``name:value`` lines for the signed headers, the signed header list, and the hex
SHA-256 of the body (or ``X-Sdk-Content-Sha256``); the string to sign is
``SDK-HMAC-SHA256\\n<X-Sdk-Date>\\n<hex SHA-256 of the canonical request>``; the
signature is hex HMAC-SHA256 keyed by the SK. The older ``Credential=AK/...`` form
of the header is accepted too (FOUND in the docs' header table).
"""

from __future__ import annotations

import functools
import hashlib
import hmac
from collections.abc import Mapping
from typing import NamedTuple
from urllib.parse import parse_qsl, quote, unquote

ALGORITHM = "SDK-HMAC-SHA256"


class SignedRequest(NamedTuple):  # (read from every signed request's header)
    access_key: str
    signed_headers: tuple[str, ...]
    signature: str


def parse_authorization(value: str) -> SignedRequest | None:
    """The parts of an SDK-HMAC-SHA256 header; None when it is not one, or malformed."""
    if not value.startswith(ALGORITHM + " "):
        return None
    fields: dict[str, str] = {}
    for part in value[len(ALGORITHM) + 1 :].split(","):
        name, separator, content = part.strip().partition("=")
        if not separator:
            return None
        fields[name] = content
    access = fields.get("Access") or fields.get("Credential", "").split("/", 1)[0]
    signed, signature = fields.get("SignedHeaders"), fields.get("Signature")
    if not access or not signed or not signature:
        return None
    return SignedRequest(access, tuple(signed.split(";")), signature)


def canonical_request(
    method: str, raw_path: str, query: str, headers: Mapping[str, str], signed: tuple[str, ...],
    body: bytes,
) -> str:  # fmt: skip
    lowered = {k.lower(): v.strip() for k, v in headers.items()}
    lines = "".join(f"{name}:{lowered.get(name, '')}\n" for name in signed)
    body_hash = lowered.get("x-sdk-content-sha256") or hashlib.sha256(body).hexdigest()
    parts = [method.upper(), _uri(raw_path), _query(query), lines, ";".join(signed), body_hash]
    return "\n".join(parts)


@functools.lru_cache(maxsize=512)
def _uri(raw_path: str) -> str:
    """The path with each segment decoded and encoded again, and a trailing ``/``.

    Remembered, as is :func:`_query`: a client signs the same few paths and queries
    over and over.
    """
    uri = "/".join(quote(unquote(segment), safe="~") for segment in raw_path.split("/"))
    return uri if uri.endswith("/") else uri + "/"


@functools.lru_cache(maxsize=512)
def _query(query: str) -> str:
    """The query's pairs encoded like the path's segments, sorted."""
    pairs = sorted(parse_qsl(query, keep_blank_values=True))
    return "&".join(f"{quote(k, safe='~')}={quote(v, safe='~')}" for k, v in pairs)


def expected_signature(secret: str, date: str, request: str) -> str:
    digest = hashlib.sha256(request.encode("utf-8")).hexdigest()
    to_sign = f"{ALGORITHM}\n{date}\n{digest}"
    return hmac.digest(secret.encode("utf-8"), to_sign.encode("utf-8"), "sha256").hex()


def verify(signed: SignedRequest, secret: str, date: str, request: str) -> bool:
    return hmac.compare_digest(expected_signature(secret, date, request), signed.signature)

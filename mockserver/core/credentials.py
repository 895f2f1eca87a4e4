"""Credentials in journal entries, masked for display.

The journal keeps requests as they were sent, so ``POST /_mock/journal/verify`` can
match a header or query value exactly; what ``/_mock/journal`` shows of them is
masked when it is read (``journal_credentials: masked``, the default). Masking at
read time costs the recording path nothing, and one switch decides what every
reader sees. A credential is shown as ``****`` and its last 4 characters
(``****abcd``), enough to tell two keys apart; one of 8 characters or fewer is
masked whole. The places masked are where the vendors carry credentials:

- the ``x-api-key`` header (CloudFactory);
- the ``key`` query or form parameter and the ``Authorization`` header (CrowdFlower);
- ``Authorization: Basic`` (clickworker): the encoded user and password;
- ``X-Auth-Token`` and an AK/SK ``Authorization`` header's ``Access`` and
  ``Signature`` (ModelArts), the IAM token answered in ``X-Subject-Token`` and a
  ``"password"`` in a JSON body (the IAM password identity).

Tenant ids are not masked: they are how every ``/_mock`` route names a tenant (a
CloudFactory or CrowdFlower tenant's id holds its key); on a shared server the
admin token keeps them from whoever may not call ``/_mock``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

MASK = "****"
KEPT = 4

HEADERS = frozenset({"authorization", "x-api-key", "x-auth-token", "x-subject-token"})
PARAMS = frozenset({"key"})
UNMASKED_AUTH_PARAMS = frozenset({"signedheaders"})  # names of headers, not secrets

_QUERY_PARAM = re.compile(r"(?:^|(?<=&))(key)=([^&]*)", re.IGNORECASE)
_AUTH_PARAM = re.compile(r'([A-Za-z][\w-]*)=("?)([^",\s]*)')
_PARAM_STYLE = re.compile(r'^\s*[A-Za-z][\w-]*="?[^=\s]')
_JSON_PASSWORD = re.compile(r'("password"\s*:\s*")((?:[^"\\]|\\.)*)(")')


def masked(secret: str) -> str:
    """``****`` and the last characters of ``secret``, or ``****`` alone for a short one."""
    return MASK + secret[-KEPT:] if len(secret) > 2 * KEPT else MASK


def header_value(name: str, value: str) -> str:
    """How a header's value is shown: masked when the header carries a credential."""
    lowered = name.lower()
    if lowered not in HEADERS:
        return value
    return _authorization(value) if lowered == "authorization" else masked(value)


def param_value(name: str, value: str) -> str:
    return masked(value) if name.lower() in PARAMS else value


def _authorization(value: str) -> str:
    """The scheme kept, the credential masked: every parameter of a parameter list
    (``Token token="…"``, ``SDK-HMAC-SHA256 Access=…, Signature=…``) but the signed
    headers' names, else the whole credential (``Basic …``, ``Bearer …``)."""
    scheme, space, credential = value.partition(" ")
    if not space:
        return masked(value)
    if not _PARAM_STYLE.match(credential):
        return f"{scheme} {masked(credential.strip())}"
    return f"{scheme} " + _AUTH_PARAM.sub(_auth_param, credential)


def _auth_param(match: re.Match[str]) -> str:
    name, quote, secret = match.groups()
    shown = secret if name.lower() in UNMASKED_AUTH_PARAMS else masked(secret)
    return f"{name}={quote}{shown}"


def query(raw: str) -> str:
    """A query string (or form body) with the credential parameters' values masked."""
    return _QUERY_PARAM.sub(lambda m: f"{m[1]}={masked(m[2])}", raw)


def body(text: str, content_type: str) -> str:
    kind = content_type.split(";", 1)[0].strip().lower()
    if kind == "application/x-www-form-urlencoded":
        return query(text)
    if "json" in kind:
        return _JSON_PASSWORD.sub(lambda m: m[1] + masked(m[2]) + m[3], text)
    return text


def entry(shown: Mapping[str, Any]) -> dict[str, Any]:
    """A journal entry's ``as_dict()`` with its credentials masked."""
    requested = shown["request_headers"]
    kind = next((v for k, v in requested.items() if k.lower() == "content-type"), "")
    return {
        **shown,
        "query": query(shown["query"]),
        "request_headers": {k: header_value(k, v) for k, v in requested.items()},
        "request_body": body(shown["request_body"], kind),
        "response_headers": {k: header_value(k, v) for k, v in shown["response_headers"].items()},
    }

"""Base64 and HTTP Basic credentials, decoded without ever raising anything but a core error.

``base64.b64decode`` raises ``binascii.Error`` for bad padding but ``ValueError`` for a
``str`` holding a non-ASCII character (a header's ``\\xff`` decoded as Latin-1, say),
and the decoded bytes need not be UTF-8: each is a server error where a vendor forgets
one of them. Vendors decode here instead, and a value that does not decode is refused
as :class:`MalformedBody` (a body's field) or :class:`Unauthenticated` (a credential),
which every vendor answers in its own dialect.
"""

from __future__ import annotations

import base64
import binascii
from typing import NamedTuple

from .errors import MalformedBody, Unauthenticated

BASIC_REQUIRED = "Basic authentication is required"
BASIC_MALFORMED = "Malformed Basic credentials"


def base64_bytes(text: str | bytes, *, what: str = "The value") -> bytes:
    """The bytes ``text`` encodes in standard, padded base64 (RFC 4648 section 4).

    Raises :class:`MalformedBody`, starting with ``what``, for anything else.
    """
    try:
        data = text.encode("ascii") if isinstance(text, str) else text
        return base64.b64decode(data, validate=True)
    except (UnicodeEncodeError, binascii.Error):
        raise MalformedBody(f"{what} is not base64-encoded") from None


class BasicCredentials(NamedTuple):
    username: str
    password: str


def basic_credentials(authorization: bytes) -> BasicCredentials:
    """The user and password of an ``Authorization: Basic`` header (RFC 7617).

    Raises :class:`Unauthenticated` saying :data:`BASIC_REQUIRED` when the header is no
    Basic credential, :data:`BASIC_MALFORMED` when its credential does not decode to
    UTF-8 ``user:password`` with a user.
    """
    scheme, _, encoded = authorization.decode("latin-1").partition(" ")
    if scheme.lower() != "basic" or not encoded.strip():
        raise Unauthenticated(BASIC_REQUIRED)
    try:
        pair = base64_bytes(encoded.strip()).decode("utf-8")
    except (MalformedBody, UnicodeDecodeError):
        raise Unauthenticated(BASIC_MALFORMED) from None
    username, separator, password = pair.partition(":")
    if not separator or not username:
        raise Unauthenticated(BASIC_MALFORMED)
    return BasicCredentials(username, password)

"""Base64 and Basic credentials: decoded, or refused with a core error, never a crash."""

from __future__ import annotations

import base64

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mockserver.core.decode import (
    BASIC_MALFORMED,
    BASIC_REQUIRED,
    base64_bytes,
    basic_credentials,
)
from mockserver.core.errors import MalformedBody, Unauthenticated


def basic(raw: bytes) -> bytes:
    return b"Basic " + base64.b64encode(raw)


def test_base64_bytes_decodes_standard_base64() -> None:
    assert base64_bytes("aGVsbG8=") == b"hello"
    assert base64_bytes(b"aGVsbG8=") == b"hello"


@pytest.mark.parametrize("text", ["aGVsbG8", "aGV sbG8=", "aGVsbG8=\xff", "ÿÿ", "a", "aGVs-G8="])
def test_base64_bytes_refuses_anything_else_naming_the_value(text: str) -> None:
    with pytest.raises(MalformedBody, match="^data is not base64-encoded$"):
        base64_bytes(text, what="data")


@given(st.binary(max_size=64))
def test_base64_bytes_reads_back_what_b64encode_writes(raw: bytes) -> None:
    assert base64_bytes(base64.b64encode(raw).decode()) == raw


@given(st.text(max_size=40))
def test_base64_bytes_raises_nothing_but_malformed_body(text: str) -> None:
    try:
        base64_bytes(text)
    except MalformedBody:
        pass


def test_basic_credentials_split_at_the_first_colon() -> None:
    assert basic_credentials(basic(b"alice:se:cret")) == ("alice", "se:cret")
    assert basic_credentials(b"basic " + base64.b64encode(b"bob:")) == ("bob", "")
    assert basic_credentials(basic("jörg:pw".encode())) == ("jörg", "pw")


@pytest.mark.parametrize("header", [b"", b"Bearer abc", b"Basic", b"Basic ", b"Token token=x"])
def test_a_header_that_is_no_basic_credential_is_required_one(header: bytes) -> None:
    with pytest.raises(Unauthenticated, match=f"^{BASIC_REQUIRED}$"):
        basic_credentials(header)


@pytest.mark.parametrize(
    "header",
    [
        b"Basic \xff\xff",
        b"Basic @@@@",
        b"Basic YWxpY2U",  # unpadded
        basic(b"no colon"),
        basic(b":password only"),
        basic(b"\xff\xfe:pw"),  # not UTF-8
    ],
)
def test_a_broken_basic_credential_is_malformed(header: bytes) -> None:
    with pytest.raises(Unauthenticated, match=f"^{BASIC_MALFORMED}$"):
        basic_credentials(header)


@given(st.binary(max_size=40))
def test_basic_credentials_raise_nothing_but_unauthenticated(header: bytes) -> None:
    for sent in (header, b"Basic " + header):
        try:
            basic_credentials(sent)
        except Unauthenticated:
            pass

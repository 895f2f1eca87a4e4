"""Masking credentials for display: the scheme and the last 4 characters kept, nothing else."""

from __future__ import annotations

import pytest

from mockserver.core import credentials


@pytest.mark.parametrize(
    ("name", "value", "shown"),
    [
        ("X-Api-Key", "0123456789abcdef", "****cdef"),
        ("x-api-key", "12345678", "****"),
        ("Authorization", "Bearer abcdefgh12345==", "Bearer ****45=="),
        ("authorization", "Basic dXNlcjpwYXNzd29yZA==", "Basic ****ZA=="),
        ("authorization", 'Token token="abcdef123456"', 'Token token="****3456"'),
        ("authorization", "opaque-credential-9876", "****9876"),
        (
            "Authorization",
            "SDK-HMAC-SHA256 Access=AK0123456789, SignedHeaders=host;x-sdk-date, Signature=ff001",
            "SDK-HMAC-SHA256 Access=****6789, SignedHeaders=host;x-sdk-date, Signature=****",
        ),
        ("X-Auth-Token", "MIIE" + "x" * 40 + "tail", "****tail"),
        ("content-type", "application/json", "application/json"),
    ],
)
def test_a_header_is_masked_when_it_carries_a_credential(name: str, value: str, shown: str) -> None:
    assert credentials.header_value(name, value) == shown


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("key=abcdef123456&page=2", "key=****3456&page=2"),
        ("page=2&key=abcdef123456", "page=2&key=****3456"),
        ("monkey=abcdef123456", "monkey=abcdef123456"),
        ("key=", "key=****"),
        ("", ""),
    ],
)
def test_only_the_key_parameter_of_a_query_is_masked(raw: str, shown: str) -> None:
    assert credentials.query(raw) == shown


def test_a_json_password_is_masked_and_other_bodies_are_left_alone() -> None:
    body = '{"user": {"name": "u", "password": "pa\\"ss-word-9"}}'
    assert credentials.body(body, "application/json; charset=utf-8") == (
        '{"user": {"name": "u", "password": "****rd-9"}}'
    )
    assert credentials.body("key=abcdef123456", "text/plain") == "key=abcdef123456"
    assert credentials.body("key=abcdef123456", "application/x-www-form-urlencoded") == (
        "key=****3456"
    )

"""Reading JSON bodies (refusals raise core errors) and writing compact JSON."""

from __future__ import annotations

import asyncio
import json
import math
from typing import Any
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Message

from mockserver.core.errors import MalformedBody, UnsupportedMediaType
from mockserver.core.jsontext import INT_RANGE
from mockserver.core.routing import STORAGE_PREFIX
from mockserver.core.wire import (
    Body,
    JSONBody,
    dumps,
    form_encode,
    is_json_media_type,
    media_type,
    read_json,
    read_json_object,
    storage_url,
)


def request(body: bytes, content_type: str | None = "application/json") -> Request:
    headers = [] if content_type is None else [(b"content-type", content_type.encode("latin-1"))]
    scope = {"type": "http", "method": "POST", "path": "/", "headers": headers, "query_string": b""}
    delivered = False

    async def receive() -> Message:
        nonlocal delivered
        if delivered:
            return {"type": "http.disconnect"}
        delivered = True
        return {"type": "http.request", "body": body, "more_body": False}

    return Request(scope, receive)


def read(body: bytes, content_type: str | None = "application/json", **options: Any) -> Any:
    return asyncio.run(read_json(request(body, content_type), **options))


def read_object(body: bytes, content_type: str | None = "application/json") -> Any:
    return asyncio.run(read_json_object(request(body, content_type)))


# -- media types -------------------------------------------------------------------------


def test_media_type_drops_parameters_and_case() -> None:
    assert media_type(request(b"", "Application/JSON; charset=UTF-8")) == "application/json"
    assert media_type(request(b"", None)) == ""


@pytest.mark.parametrize(
    ("kind", "is_json"),
    [
        ("application/json", True),
        ("application/vnd.api+json", True),
        ("application/merge-patch+json", True),
        ("text/json", False),
        ("application/jsonp", False),
        ("text/plain", False),
        ("", False),
    ],
)
def test_is_json_media_type(kind: str, is_json: bool) -> None:
    assert is_json_media_type(kind) is is_json


def test_wrong_content_type_is_415() -> None:
    with pytest.raises(UnsupportedMediaType) as caught:
        read(b'{"a": 1}', "text/plain")
    assert caught.value.status == 415
    assert "text/plain" in caught.value.detail
    assert "application/json" in caught.value.detail


def test_form_content_type_is_415() -> None:
    with pytest.raises(UnsupportedMediaType):
        read(b"a=1", "application/x-www-form-urlencoded")


def test_json_variants_and_a_missing_content_type_are_read() -> None:
    assert read(b'{"a": 1}', "application/json; charset=utf-8") == {"a": 1}
    assert read(b'{"a": 1}', "application/vnd.api+json") == {"a": 1}
    assert read(b'{"a": 1}', None) == {"a": 1}


def test_the_media_type_check_can_be_waived() -> None:
    assert read(b'{"a": 1}', "text/plain", require_media_type=False) == {"a": 1}


# -- bodies ------------------------------------------------------------------------------


@pytest.mark.parametrize("body", [b"", b"   ", b"\n\t"])
def test_an_empty_body_is_malformed(body: bytes) -> None:
    with pytest.raises(MalformedBody) as caught:
        read(body)
    assert caught.value.status == 400
    assert "empty" in caught.value.detail


def test_invalid_json_names_line_and_column() -> None:
    with pytest.raises(MalformedBody) as caught:
        read(b'{\n  "a": 1,\n  "b": }')
    assert caught.value.detail.startswith("Request body is not valid JSON: ")
    assert "line 3 column 8" in caught.value.detail


def test_invalid_utf8_is_malformed() -> None:
    with pytest.raises(MalformedBody, match="UTF-8"):
        read(b'{"a": "\xff\xfe\xfa"}')


def test_any_json_value_is_read_by_read_json() -> None:
    assert read(b"[1, 2]") == [1, 2]
    assert read(b'"text"') == "text"
    assert read(b"null") is None


def test_utf8_content_is_decoded() -> None:
    assert read('{"name": "Zoë 東京"}'.encode()) == {"name": "Zoë 東京"}


GUARDED = object()
"""What a body reads as when the standard library takes it but the guards do not."""


def _as_before(body: bytes) -> Any:
    """What the standard library makes of a body (the value, or the refusal's words),
    or :data:`GUARDED` for a value no answer could carry back (NaN, an infinity, a lone
    surrogate, an integer outside 64 bits)."""
    try:
        value = json.loads(body)
    except UnicodeDecodeError:
        return MalformedBody("Request body is not valid UTF-8").detail
    except json.JSONDecodeError as exc:
        return MalformedBody(
            f"Request body is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
        ).detail
    return value if _carried_back(value) else GUARDED


def _carried_back(value: Any) -> bool:
    if isinstance(value, dict):
        return all(_carried_back(k) and _carried_back(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_carried_back(item) for item in value)
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, str):
        return not any(0xD800 <= ord(ch) <= 0xDFFF for ch in value)
    if type(value) is int:
        return value in INT_RANGE
    return True


def _read_or_refusal(body: bytes) -> Any:
    try:
        return read(body)
    except MalformedBody as exc:
        return exc.detail


JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=False)
    | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(
        JSON_VALUES.map(lambda value: json.dumps(value).encode()),
        JSON_VALUES.map(lambda value: json.dumps(value, ensure_ascii=False).encode()),
        st.binary(min_size=1, max_size=40),
        st.sampled_from([b"NaN", b"[Infinity]", b"1e400", b"\xef\xbb\xbf{}", b'"\\ud800"']),
    )
)
def test_a_body_reads_as_the_standard_library_reads_it(body: bytes) -> None:
    """A body reads as the standard library reads it (big integers kept whole, a BOM
    dropped, refusals in its words), except what no answer could carry back."""
    if not body.strip():
        return
    got, expected = _read_or_refusal(body), _as_before(body)
    if expected is GUARDED:
        assert isinstance(got, str) and got.startswith("Request body is not valid JSON: ")
        return
    assert repr(got) == repr(expected)  # repr: NaN equals itself, -0.0 differs from 0.0
    assert type(got) is type(expected)


@pytest.mark.parametrize("body", [b"[1, 2]", b'"text"', b"3", b"null", b"true"])
def test_read_json_object_refuses_non_objects(body: bytes) -> None:
    with pytest.raises(MalformedBody, match="must be a JSON object"):
        read_object(body)


def test_read_json_object_returns_the_object() -> None:
    assert read_object(b'{"nested": {"x": [1]}}') == {"nested": {"x": [1]}}


def test_read_json_object_checks_media_type_first() -> None:
    with pytest.raises(UnsupportedMediaType):
        read_object(b"[]", "text/csv")


# -- writing -----------------------------------------------------------------------------


def test_dumps_is_compact_utf8() -> None:
    data = {"name": "café", "list": [1, 2], "nested": {"ok": True, "none": None}}
    encoded = dumps(data)
    assert encoded == '{"name":"café","list":[1,2],"nested":{"ok":true,"none":null}}'.encode()
    assert json.loads(encoded) == data


def test_json_body_renders_compact_json_with_headers() -> None:
    response = JSONBody({"city": "Zürich", "n": [1, 2]}, status_code=201, headers={"x-a": "b"})
    assert response.status_code == 201
    assert response.body == '{"city":"Zürich","n":[1,2]}'.encode()
    assert response.headers["content-type"] == "application/json"
    assert response.headers["content-length"] == str(len(response.body))
    assert response.headers["x-a"] == "b"


def test_json_body_defaults_to_200_and_renders_lists() -> None:
    response = JSONBody([{"a": 1}])
    assert response.status_code == 200
    assert response.body == b'[{"a":1}]'


def test_storage_url_points_at_the_host_the_client_called() -> None:
    scope = {
        "type": "http",
        "method": "GET",
        "scheme": "https",
        "path": "/cloudfactory/v1/uploads",
        "headers": [(b"host", b"sandbox.example:8443")],
        "query_string": b"",
        "server": ("sandbox.example", 8443),
    }
    url = storage_url(Request(scope), "tok123")
    assert url == f"https://sandbox.example:8443{STORAGE_PREFIX}tok123"
    assert STORAGE_PREFIX == "/_mock/storage/"


@pytest.mark.parametrize(
    ("content", "status", "headers", "kind"),
    [
        (b"<a/>", 200, None, "application/xml"),
        (b"x", 200, None, "text/csv"),
        (b"", 204, None, "application/json"),
        (b"x", 201, {"X-Request-Id": "1"}, "application/xml"),
        (b"x", 200, {"Content-Type": "application/zip"}, "application/xml"),
        (b"x", 101, None, "application/xml"),
    ],
)
def test_a_body_has_the_headers_starlette_would_give_it(
    content: bytes, status: int, headers: dict[str, str] | None, kind: str
) -> None:
    expected = Response(content, status_code=status, headers=headers, media_type=kind)
    assert Body(content, status, headers, kind).raw_headers == expected.raw_headers


@given(st.dictionaries(st.text(), st.text(), max_size=4))
def test_form_encoding_is_what_urlencode_writes(fields: dict[str, str]) -> None:
    assert form_encode(fields) == urlencode(fields).encode()

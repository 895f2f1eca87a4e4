"""Schema validation names every failing field, with a short client-facing message."""

from __future__ import annotations

import pytest

from mockserver.core import errors
from mockserver.core.errors import FieldError, InvalidInput
from mockserver.core.validation import field_errors, format_checker, load_schema, validate


def refused(name: str, document: object) -> list[FieldError]:
    with pytest.raises(InvalidInput) as caught:
        validate("admin", name, document)
    assert caught.value.status == 400
    return caught.value.errors


def test_a_valid_document_passes() -> None:
    validate("admin", "advance", {"seconds": 60})
    validate("admin", "advance", {"seconds": 0.5, "tenant": "fake:k"})
    assert field_errors("admin", "advance", {"seconds": 1}) == []


def test_missing_required_field_is_named() -> None:
    assert refused("advance", {}) == [FieldError("seconds", "is required")]


def test_every_missing_required_field_is_named() -> None:
    assert refused("tenant", {}) == [
        FieldError("credential", "is required"),
        FieldError("vendor", "is required"),
    ]
    assert refused("tenant", {"vendor": "x"}) == [FieldError("credential", "is required")]


def test_wrong_type_is_named() -> None:
    assert refused("advance", {"seconds": "ten"}) == [FieldError("seconds", "must be a number")]
    assert refused("tenant", {"vendor": "v", "credential": "c", "strict": "yes"}) == [
        FieldError("strict", "must be a boolean")
    ]
    assert refused("tenant", {"vendor": "v", "credential": "c", "setup": []}) == [
        FieldError("setup", "must be an object")
    ]


def test_a_body_that_is_not_an_object_is_reported_on_the_body() -> None:
    assert refused("advance", [1, 2]) == [FieldError("body", "must be an object")]


def test_nested_paths_name_the_array_index() -> None:
    document = {"vendor": "v", "policies": [{"name": "ok", "limit": 5}, {"name": "p", "limit": 0}]}
    assert refused("ratelimits", document) == [FieldError("policies.1.limit", "must be at least 1")]


def test_nested_required_and_type() -> None:
    document = {"vendor": "v", "policies": [{"limit": 2}, {"name": "p", "limit": 1.5}]}
    assert refused("ratelimits", document) == [
        FieldError("policies.0.name", "is required"),
        FieldError("policies.1.limit", "must be an integer"),
    ]


def test_additional_property_names_the_extra_key() -> None:
    assert refused("advance", {"seconds": 1, "secs": 2}) == [FieldError("secs", "is not allowed")]


def test_every_additional_property_is_named() -> None:
    assert refused("advance", {"seconds": 1, "zeta": 1, "alpha": 2}) == [
        FieldError("alpha", "is not allowed"),
        FieldError("zeta", "is not allowed"),
    ]


def test_nested_additional_property_is_named_with_its_path() -> None:
    document = {"vendor": "v", "policies": [{"name": "p", "size": 3}]}
    assert refused("ratelimits", document) == [FieldError("policies.0.size", "is not allowed")]


def test_all_errors_come_back_sorted_by_field() -> None:
    document = {"seconds": -1, "tenant": 5, "extra": True}
    assert refused("advance", document) == [
        FieldError("extra", "is not allowed"),
        FieldError("seconds", "must be at least 0"),
        FieldError("tenant", "must be a string"),
    ]


def test_bound_messages() -> None:
    assert refused("advance", {"seconds": 315360001}) == [
        FieldError("seconds", "must be at most 315360000")
    ]
    assert refused("clock", {"speed": 0}) == [FieldError("speed", "must be greater than 0")]


def test_enum_message_lists_the_choices() -> None:
    assert refused("clock", {"mode": "fast"}) == [
        FieldError("mode", 'must be one of "realtime", "manual"')
    ]


def test_min_length_one_reads_as_not_empty() -> None:
    assert refused("tenant", {"vendor": "v", "credential": ""}) == [
        FieldError("credential", "must not be empty")
    ]


def test_invalid_input_detail_defaults_to_its_message() -> None:
    error = InvalidInput.one("name", "is required")
    assert error.errors == [FieldError("name", "is required")]
    assert error.detail == "Validation failed"
    assert str(error) == "Validation failed"


def test_every_admin_schema_loads_and_is_an_object_schema() -> None:
    for name in ("advance", "clock", "ratelimits", "tenant"):
        schema = load_schema("admin", name)
        assert schema["type"] == "object"
        assert schema["additionalProperties"] is False
        field_errors("admin", name, {})


def test_an_unknown_schema_is_an_error() -> None:
    with pytest.raises(FileNotFoundError):
        validate("admin", "no-such-schema", {})


# -- formats -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "2020-12-22T10:13:24.127Z",
        "2020-12-22T10:13:24Z",
        "2020-12-22T10:13:24+02:00",
        "2020-12-22T10:13:24.127-05:30",
        "2020-12-22T10:13:24",
        "2020-12-22 10:13:24",
    ],
)
def test_date_time_accepts_iso_8601(value: str) -> None:
    assert format_checker().conforms(value, "date-time")


@pytest.mark.parametrize(
    "value", ["2020-12-22", "yesterday", "Tuesday", "2020-13-22T10:13:24Z", "10:13:24", ""]
)
def test_date_time_refuses_other_text(value: str) -> None:
    assert not format_checker().conforms(value, "date-time")


def test_formats_ignore_non_strings() -> None:
    assert format_checker().conforms(5, "date-time")
    assert format_checker().conforms(None, "uri")


@pytest.mark.parametrize(
    "value", ["https://receiver.example/hooks", "http://localhost:8080/x?y=1", "HTTPS://A.example"]
)
def test_uri_accepts_absolute_http_urls(value: str) -> None:
    assert format_checker().conforms(value, "uri")


@pytest.mark.parametrize(
    "value", ["ftp://files.example/x", "receiver.example/hooks", "http://", "http:///path", "/x"]
)
def test_uri_refuses_anything_else(value: str) -> None:
    assert not format_checker().conforms(value, "uri")


# -- the error vocabulary ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (errors.MockError(), 500),
        (errors.InternalError(), 500),
        (errors.MalformedBody(), 400),
        (errors.Unauthenticated(), 401),
        (errors.Forbidden(), 403),
        (errors.NotFound(), 404),
        (errors.MethodNotAllowed(("GET",)), 405),
        (errors.Conflict(), 409),
        (errors.PayloadTooLarge(10), 413),
        (errors.UnsupportedMediaType(), 415),
        (errors.RateLimited("p", 1, 1.0, 0.5), 429),
    ],
)
def test_each_error_carries_its_status_and_a_default_detail(
    error: errors.MockError, status: int
) -> None:
    assert error.status == status
    assert error.detail == type(error).message
    assert error.detail


def test_an_explicit_detail_wins() -> None:
    error = errors.NotFound("no job 42")
    assert error.detail == "no job 42"
    assert str(error) == "no job 42"
    assert errors.MethodNotAllowed(("GET", "POST")).allow == ("GET", "POST")
    assert errors.PayloadTooLarge(1024).limit == 1024

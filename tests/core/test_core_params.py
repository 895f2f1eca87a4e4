"""Rails-style nested parameters, in every form the clients of such APIs send them."""

from __future__ import annotations

import json
from urllib.parse import parse_qsl

import pytest

from mockserver.core.errors import MalformedBody
from mockserver.core.jsontext import MAX_DEPTH
from mockserver.core.params import merged_params, nest, parse_query, split_key


@pytest.mark.parametrize(
    ("key", "path"),
    [
        ("title", ["title"]),
        ("job[title]", ["job", "title"]),
        ("job[options][req_ttl_in_seconds]", ["job", "options", "req_ttl_in_seconds"]),
        ("channels[]", ["channels", ""]),
        ("channels[0]", ["channels", "0"]),
        ("weird[", ["weird["]),
        ("[x]", ["[x]"]),
        ("a[b]c", ["a[b]c"]),
    ],
)
def test_split_key(key: str, path: list[str]) -> None:
    assert split_key(key) == path


def test_nested_objects() -> None:
    params = parse_query("job[title]=Cats&job[options][req_ttl_in_seconds]=60&key=K")
    assert params == {"job": {"title": "Cats", "options": {"req_ttl_in_seconds": "60"}}, "key": "K"}


@pytest.mark.parametrize(
    "query",
    [
        "channels[]=on_demand&channels[]=cf_internal",
        "channels[0]=on_demand&channels[1]=cf_internal",
        "channels[1]=cf_internal&channels[0]=on_demand",
        "channels[0]=on_demand&channels[0]=cf_internal",
        "channels=on_demand&channels=cf_internal",
    ],
)
def test_every_list_form_gives_the_same_list(query: str) -> None:
    assert parse_query(query)["channels"] == ["on_demand", "cf_internal"]


def test_nested_lists_and_blank_values() -> None:
    params = parse_query("job[included_countries][]=US&job[included_countries][]=GB&job[cml]=")
    assert params == {"job": {"included_countries": ["US", "GB"], "cml": ""}}


def test_unit_data_columns_keep_their_names() -> None:
    params = parse_query("unit[data][column 1]=a%20b&unit[data][_golden]=true")
    assert params == {"unit": {"data": {"column 1": "a b", "_golden": "true"}}}


def test_a_scalar_after_an_object_does_not_destroy_it() -> None:
    assert nest([("job[title]", "x"), ("job", "y")]) == {"job": {"title": "x"}}


def test_appended_objects() -> None:
    assert nest([("rows[][a]", "1"), ("rows[][a]", "2")]) == {"rows": [{"a": "1"}, {"a": "2"}]}


def test_body_wins_over_query_and_objects_merge() -> None:
    query = parse_query("key=K&job[title]=from-query&job[instructions]=q")
    body = parse_query("job[title]=from-body")
    assert merged_params(query, body) == {
        "key": "K",
        "job": {"title": "from-body", "instructions": "q"},
    }


@pytest.mark.parametrize(
    "text",
    [
        "",
        "&&key=K&",
        "flag&empty=&=nameless",
        "a=1=2",
        "a+b=c+d&x%20y=%7E%2B",
        "unit%5Bdata%5D%5Btext%5D=a+new+row&unit%5Bdata%5D%5Bn%5D=7",
        "bad=%zz&half=%e2%82&euro=%e2%82%ac&raw=\u00e9",
        "a=1;b=2",
        "rows%5B%5D%5Ba%5D=1&rows[][a]=2&rows[1]=x",
        "channels[1]=b&channels[0]=a&channels[0]=c",
    ],
)
def test_a_query_is_read_as_parse_qsl_reads_it(text: str) -> None:
    """Keys are decoded once and remembered; every field still reads as ``parse_qsl``."""
    for _ in range(2):  # the second time from the remembered keys
        expected = nest(parse_qsl(text, keep_blank_values=True))
        assert json.dumps(parse_query(text)) == json.dumps(expected)
        assert json.dumps(parse_query(text.encode("latin-1"))) == json.dumps(expected)


def test_top_level_names_that_are_numbers_stay_names() -> None:
    assert parse_query("0=a&1=b") == {"0": "a", "1": "b"}
    assert parse_query("0[1]=a&0[0]=b") == {"0": ["b", "a"]}


def test_keys_nest_as_deep_as_json_may() -> None:
    deepest = "a" + "[b]" * (MAX_DEPTH - 1)
    params = parse_query(f"{deepest}=1")
    for _ in range(MAX_DEPTH - 1):
        params = params["a" if "a" in params else "b"]
    assert params == {"b": "1"}


@pytest.mark.parametrize("levels", [MAX_DEPTH, 100_000])
def test_a_deeper_key_is_a_malformed_body(levels: int) -> None:
    key = "unit" + "[data]" * levels
    with pytest.raises(MalformedBody, match=f"'unit' is nested more than {MAX_DEPTH} levels"):
        parse_query(f"{key}=1")
    with pytest.raises(MalformedBody):
        nest([(key, "1")])

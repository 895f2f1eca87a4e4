"""JSON a client cannot mean, sent to every JSON route of every vendor and of ``/_mock``.

Nesting past the limit (or past Python's recursion limit), lone surrogates, NaN and
Infinity, and integers no answer could render back: each is the vendor's own 4xx, in
its own format, and changes nothing, on every route the published OpenAPI documents
list as taking JSON (every POST and PUT of CrowdFlower, which takes JSON bodies of the
shape of its form parameters anywhere).
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from input_kit import Sandbox, admin_json_routes, admin_refusal, sandbox

from mockserver.core.errors import MalformedBody
from mockserver.core.jsontext import MAX_DEPTH, NotJSON, loads

VENDORS = ("cloudfactory", "crowdflower", "clickworker", "modelarts")


def nested(levels: int) -> bytes:
    return b'{"a":' * levels + b"1" + b"}" * levels


HOSTILE = {
    "100,000 [": b"[" * 100_000,
    "1,000 levels of objects": nested(1000),
    "101 levels of objects": nested(MAX_DEPTH + 1),
    "a lone surrogate": b'{"title": "x \\ud800", "name": "y"}',
    "a lone surrogate in a key": b'{"\\udfff": 1}',
    "NaN": b'{"review_score": NaN}',
    "Infinity": b'{"review_score": -Infinity}',
    "an integer of 5,000 digits": b'{"count": ' + b"9" * 5000 + b"}",
    "an integer past 64 bits": b'{"count": 18446744073709551616}',
}


@pytest.fixture(scope="module")
def box() -> Iterator[Sandbox]:
    yield from sandbox()


@pytest.mark.parametrize("name", HOSTILE)
@pytest.mark.parametrize("vendor", VENDORS)
def test_every_json_route_refuses_it_in_the_vendors_format(
    box: Sandbox, vendor: str, name: str
) -> None:
    target = box.vendors[vendor]
    assert target.json_routes, f"{vendor} publishes no JSON route"
    everything = box.everything()
    before = target.state(box.client)
    wrong = []
    for method, path in target.json_routes:
        headers = {**target.headers, "Content-Type": "application/json"}
        response = box.client.request(
            method, target.url(path), content=HOSTILE[name], headers=headers
        )
        if not target.refusal(response):
            wrong.append(f"{method} {path}: {response.status_code} {response.text[:200]}")
        elif target.state(box.client) != before:
            wrong.append(f"{method} {path}: refused with {response.status_code}, yet stored")
    assert not wrong, "\n".join(wrong)
    assert box.everything() == everything
    box.assert_healthy()


@pytest.mark.parametrize("name", HOSTILE)
def test_every_mock_json_route_refuses_it_as_json(box: Sandbox, name: str) -> None:
    routes = admin_json_routes(box.client)
    assert ("POST", "/_mock/tenants") in routes
    everything = box.everything()
    wrong = []
    for method, path in routes:
        url = path.replace("{id}", "1").replace("{name}", "none")
        response = box.client.request(
            method, url, content=HOSTILE[name], headers={"Content-Type": "application/json"}
        )
        if not admin_refusal(response) or response.status_code != 400:
            wrong.append(f"{method} {path}: {response.status_code} {response.text[:200]}")
    assert not wrong, "\n".join(wrong)
    assert box.everything() == everything
    box.assert_healthy()


CREATES = {
    "cloudfactory": ("POST", "/v1/workstreams/{workstream_id}/task_completed"),
    "crowdflower": ("POST", "/v1/jobs"),
    "clickworker": ("POST", "/api/marketplace/v2/customer/tasks"),
    "modelarts": ("POST", "/v2/{project_id}/datasets"),
}


@pytest.mark.parametrize("vendor", VENDORS)
def test_the_refusal_is_a_400_naming_the_limit(box: Sandbox, vendor: str) -> None:
    target = box.vendors[vendor]
    method, path = CREATES[vendor]
    headers = {**target.headers, "Content-Type": "application/json"}
    for body in (b"[" * 100_000, nested(1000)):
        response = box.client.request(method, target.url(path), content=body, headers=headers)
        assert response.status_code == 400, response.text
        assert target.refusal(response)
        assert f"nested more than {MAX_DEPTH} levels deep" in response.text


@pytest.mark.parametrize("vendor", VENDORS)
def test_a_document_at_the_limit_is_no_syntax_error(box: Sandbox, vendor: str) -> None:
    """A document nested exactly :data:`MAX_DEPTH` levels deep is read: whatever the
    vendor answers, it is not for the depth."""
    target = box.vendors[vendor]
    method, path = CREATES[vendor]
    headers = {**target.headers, "Content-Type": "application/json"}
    response = box.client.request(
        method, target.url(path), content=nested(MAX_DEPTH), headers=headers
    )
    assert response.status_code < 500
    assert "nested more than" not in response.text


@pytest.mark.parametrize("score", ["NaN", "Infinity", "-Infinity"])
def test_cloudfactory_refuses_a_review_score_that_is_no_number(box: Sandbox, score: str) -> None:
    """JSON has no NaN or Infinity (RFC 8259 section 6): the review is refused, unstored."""
    target = box.vendors["cloudfactory"]
    before = box.everything()
    review = (
        '{"workstream_id": "ws-1", "use_case_id": "uc", "task_definition_id": "td",'
        ' "worker_id": "w@example.com", "review_completed_at": "2024-05-01T09:30:00Z",'
        f' "review_score": {score}}}'
    )
    response = box.client.post(
        target.url("/v1/workstreams/{workstream_id}/task_reviewed"),
        content=review.encode(),
        headers={**target.headers, "Content-Type": "application/json"},
    )
    assert response.status_code == 400, response.text
    assert (
        response.json()["message"]
        == f"Request body is not valid JSON: {score} is not a JSON number"
    )
    assert box.everything() == before


# -- the reader itself -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text", [b'{"a": 1}\n{"a": 2}', b"text,with,commas", b"\xff\xfe", b"{", b"", b"[1,]"]
)
def test_text_that_is_no_json_is_not_json(text: bytes) -> None:
    """What a reader of JSON Lines or CSV may hand on to its own parser."""
    with pytest.raises(NotJSON):
        loads(text)


@pytest.mark.parametrize("name", HOSTILE)
def test_json_refused_for_what_it_holds_is_not_mistaken_for_other_text(name: str) -> None:
    with pytest.raises(MalformedBody) as refused:
        loads(HOSTILE[name])
    assert not isinstance(refused.value, NotJSON)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=20,
)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=json_values, depth=st.integers(min_value=0, max_value=300))
def test_any_document_is_taken_or_refused_never_a_server_error(
    box: Sandbox, value: object, depth: int
) -> None:
    """Any value Python can write as JSON (NaN, huge integers, surrogates included),
    nested at any depth, is a 2xx or a 4xx on CrowdFlower's job create."""
    text = "[" * depth + json.dumps({"job": {"title": "A hostile job", "x": value}}) + "]" * depth
    target = box.vendors["crowdflower"]
    response = box.client.post(
        target.url("/v1/jobs.json"),
        content=text.encode("utf-8", "surrogatepass"),
        headers={**target.headers, "Content-Type": "application/json"},
    )
    assert response.status_code < 500, response.text
    if response.status_code >= 400:
        assert target.refusal(response)
    target.state(box.client)

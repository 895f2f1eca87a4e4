"""Values that, once stored, would break every later answer: refused before they are kept.

A lone surrogate cannot be written in any UTF-8 answer, a webhook or a snapshot; a
value nested past the limit cannot be rendered, pickled or validated without
recursing past Python's limit. Each case here was once stored, and then broke the
tenant's listings, its webhooks (``GET /_mock/webhooks/deliveries`` for everyone) or
``POST /_mock/snapshot`` for the whole server. Now each is the vendor's 400, in its
format, and every tenant reads, delivers and snapshots as before.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import pytest
from input_kit import CLICKWORKER, PROJECT, TEMPLATE, Sandbox, clickworker_task, sandbox

from mockserver.core.jsontext import MAX_DEPTH

SURROGATE = "x \ud800 y"


@pytest.fixture(scope="module")
def box() -> Iterator[Sandbox]:
    yield from sandbox()


def deep(levels: int) -> str:
    """A stand-in for objects nested ``levels`` deep, which :func:`raw` writes out
    (``json.dumps`` itself cannot write what nests past Python's recursion limit)."""
    return f"<deep {levels}>"


def raw(document: Any) -> bytes:
    """``document`` as JSON, lone surrogates written as the escapes a client sends."""
    text = json.dumps(document)
    for levels in map(int, re.findall(r'"<deep (\d+)>"', text)):
        nested = '{"a":' * levels + '"leaf"' + "}" * levels
        text = text.replace(f'"<deep {levels}>"', nested)
    return text.encode()


def cloudfactory_record(**changes: Any) -> dict[str, Any]:
    return {
        "worker_id": "w@example.com",
        "use_case_id": "uc",
        "task_definition_id": "td",
        "task_started_at": "2024-05-01T09:00:00Z",
        "task_completed_at": "2024-05-01T09:30:00Z",
        **changes,
    }


DATASET = {
    "data_sources": [{"data_type": 0, "data_path": "/bucket/input/other/"}],
    "work_path": "/bucket/output/",
    "work_path_type": 0,
}
WS = "/v1/workstreams/ws-1/task_completed"
UNITS = "/v1/jobs/{job_id}/units.json"
TASKS = "/api/marketplace/v2/customer/tasks"
SAMPLES = f"/v2/{PROJECT}/datasets/{{dataset_id}}/data-annotations/samples"

# (vendor, method, path, JSON document), each a create or update a client could send.
POISON_JSON: dict[str, tuple[str, str, str, Any]] = {
    "CrowdFlower job title": ("crowdflower", "POST", "/v1/jobs.json",
                              {"job": {"title": f"A job {SURROGATE}"}}),
    "CrowdFlower job update": ("crowdflower", "PUT", "/v1/jobs/{job_id}.json",
                               {"job": {"instructions": SURROGATE}}),
    "CrowdFlower unit data": ("crowdflower", "POST", UNITS,
                              {"unit": {"data": {"text": SURROGATE}}}),
    "CrowdFlower unit data nested 260 levels": ("crowdflower", "POST", UNITS,
                                                {"unit": {"data": deep(260)}}),
    "CrowdFlower unit update nested 260 levels": ("crowdflower", "PUT",
                                                  "/v1/jobs/{job_id}/units/{unit_id}.json",
                                                  {"unit": {"data": deep(260)}}),
    "clickworker task customer_ref": ("clickworker", "POST", TASKS,
                                      clickworker_task(customer_ref=SURROGATE)),
    "clickworker task input nested 600 levels": (
        "clickworker", "POST", TASKS,
        clickworker_task(input={"items": [{"code": "link_to_hotel", "content": deep(600)}]})),
    "clickworker task update": ("clickworker", "PUT", TASKS + "/{task_id}",
                                clickworker_task(customer_ref=SURROGATE)),
    "ModelArts dataset name": ("modelarts", "POST", f"/v2/{PROJECT}/datasets",
                               {"dataset_name": f"n{SURROGATE}", **DATASET}),
    "ModelArts dataset description": ("modelarts", "POST", f"/v2/{PROJECT}/datasets",
                                      {"dataset_name": "other", "description": SURROGATE,
                                       **DATASET}),
    "ModelArts sample name": ("modelarts", "POST", SAMPLES,
                              {"samples": [{"name": SURROGATE, "data": "anBn"}]}),
    "ModelArts sample metadata nested 1,000 levels": (
        "modelarts", "POST", SAMPLES,
        {"samples": [{"name": "deep.jpg", "data": "anBn", "metadata": deep(1000)}]}),
    "CloudFactory custom field nested 1,000 levels": ("cloudfactory", "POST", WS,
                                                      cloudfactory_record(custom=deep(1000))),
    "CloudFactory custom field surrogate": ("cloudfactory", "POST", WS,
                                            cloudfactory_record(custom=SURROGATE)),
}  # fmt: skip


@pytest.mark.parametrize("case", POISON_JSON)
def test_a_value_no_answer_could_carry_is_refused_and_nothing_breaks(
    box: Sandbox, case: str
) -> None:
    vendor, method, path, document = POISON_JSON[case]
    target = box.vendors[vendor]
    before = box.everything()
    response = box.client.request(
        method,
        target.url(path),
        content=raw(document),
        headers={**target.headers, "Content-Type": "application/json"},
    )
    assert response.status_code == 400, response.text
    assert target.refusal(response), response.text
    assert box.everything() == before
    box.assert_healthy()


def test_a_surrogate_in_a_cloudfactory_context_metadata_is_refused_and_webhooks_flow(
    box: Sandbox,
) -> None:
    target = box.vendors["cloudfactory"]
    media = box.client.post(
        "/cloudfactory/v1/media", json={"configuration_id": "cfg-1"}, headers=target.headers
    ).json()
    box.client.put(media["media_upload_url"], content=b"\x89PNG poisoned")
    before = box.everything()
    document = {
        "configuration_id": "cfg-1",
        "media_key": media["media_key"],
        "callback_url": "https://receiver.example/hooks",
        "context_metadata": [{"key": "batch", "value": SURROGATE}],
    }
    response = box.client.post(
        "/cloudfactory/v1/tasks",
        content=raw(document),
        headers={**target.headers, "Content-Type": "application/json"},
    )
    assert response.status_code == 400, response.text
    assert target.refusal(response)
    assert box.everything() == before
    advanced = box.client.post(
        "/_mock/clock/advance", json={"seconds": 7 * 86400, "tenant": target.tenant}
    )
    assert advanced.status_code == 200, advanced.text
    deliveries = box.client.get("/_mock/webhooks/deliveries")
    assert deliveries.status_code == 200, deliveries.text
    box.assert_healthy()


@pytest.mark.parametrize("levels", [MAX_DEPTH, 260, 100_000])
def test_crowdflower_unit_data_as_form_keys_nests_no_deeper_than_json(
    box: Sandbox, levels: int
) -> None:
    """``unit[data][a][a]...=x``: the same limit, the same 400 (Rack refuses it too)."""
    target = box.vendors["crowdflower"]
    before = box.everything()
    key = "unit[data]" + "[a]" * levels
    response = box.client.post(
        target.url(UNITS),
        content=f"{key}=x".encode(),
        headers={**target.headers, "Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 400, response.text
    assert target.refusal(response)
    assert f"nested more than {MAX_DEPTH} levels deep" in response.text
    assert box.everything() == before
    box.assert_healthy()


@pytest.mark.parametrize(
    "data", [json.dumps({"text": SURROGATE}), raw(deep(260)).decode(), "[" * 100_000]
)
def test_crowdflower_unit_data_sent_as_a_json_string_is_read_as_guarded_json(
    box: Sandbox, data: str
) -> None:
    target = box.vendors["crowdflower"]
    before = box.everything()
    response = box.client.post(
        target.url(UNITS),
        content=urlencode({"unit[data]": data}).encode(),
        headers={**target.headers, "Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 400, response.text
    assert target.refusal(response)
    assert "unit[data]" in response.json()["error"]["message"]
    assert box.everything() == before
    box.assert_healthy()


def test_a_crowdflower_unit_nested_to_the_limit_is_kept_and_still_listed(box: Sandbox) -> None:
    """The limit is the document's: ``{"unit": {"data": ...}}`` takes two of its levels."""
    target = box.vendors["crowdflower"]
    response = box.client.post(
        target.url(UNITS),
        content=raw({"unit": {"data": deep(MAX_DEPTH - 2)}}),
        headers={**target.headers, "Content-Type": "application/json"},
    )
    assert response.status_code == 200, response.text
    box.assert_healthy()


@pytest.mark.parametrize("levels", [MAX_DEPTH + 1, 600, 100_000])
def test_clickworker_xml_nests_no_deeper_than_json(box: Sandbox, levels: int) -> None:
    target = box.vendors["clickworker"]
    before = box.everything()
    inner = b"<a>" * levels + b"x" + b"</a>" * levels
    body = b"<task><customer_ref>" + inner + b"</customer_ref></task>"
    response = box.client.post(
        f"{CLICKWORKER}/customer/tasks",
        content=body,
        headers={**target.headers, "Content-Type": "application/xml"},
    )
    assert response.status_code == 400, response.text
    assert target.refusal(response)
    assert f"more than {MAX_DEPTH} levels deep" in response.text
    assert box.everything() == before
    box.assert_healthy()


def test_clickworker_xml_cannot_carry_a_surrogate(box: Sandbox) -> None:
    """XML has no escape for one: ``&#xD800;`` is malformed, refused as such."""
    target = box.vendors["clickworker"]
    before = box.everything()
    body = TEMPLATE.replace(b"hostile_tpl", b"other_tpl").replace(b"Hostile", b"&#xD800;")
    response = box.client.post(
        f"{CLICKWORKER}/customer/task_templates",
        content=body,
        headers={**target.headers, "Content-Type": "application/xml"},
    )
    assert response.status_code == 400, response.text
    assert target.refusal(response)
    assert box.everything() == before
    box.assert_healthy()

"""Numbers no server would read: in every path id, query value and JSON integer.

Digits of other scripts (``³`` passes ``str.isdigit()``, ``١٢`` passes ``int()``),
more than 4,300 digits (past ``int()``'s limit), more than 64 bits, and floats that
overflow once used. An id that cannot exist is the vendor's 404 (or its own refusal
for an unknown resource), a bad query value its 400 naming the parameter, a paging
value a vendor defaults is defaulted, and nothing answers 500 or changes state.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from input_kit import CLICKWORKER, METHODS, PROJECT, Sandbox, admin_refusal, sandbox

VENDORS = ("cloudfactory", "crowdflower", "clickworker", "modelarts")
SUPERSCRIPT = "%C2%B3"  # ³
ARABIC = "%D9%A1%D9%A2"  # ١٢
LONG = "9" * 5000
PAST_64_BITS = "100000000000000000000"
HOSTILE_IDS = {
    "a superscript digit": SUPERSCRIPT,
    "Arabic-Indic digits": ARABIC,
    "5,000 digits": LONG,
    "a number past 64 bits": PAST_64_BITS,
}
QUERY_VALUES = {
    "a superscript digit": SUPERSCRIPT,
    "5,000 digits": LONG,
    "a number past 64 bits": PAST_64_BITS,
    "1e200": "1e200",
    "NaN": "NaN",
}
# Every query parameter a vendor or /_mock reads as a number (the handlers' own names).
QUERY = ("page", "per_page", "limit", "offset", "status", "task_id", "r", "latitude",
         "longitude", "start_time", "end_time", "low_score", "high_score", "version_format",
         "export_type", "dataset_type", "label_type", "type", "since", "nb_judgments",
         "amount")  # fmt: skip
# Path parameters that are numbers at the vendor: an unreadable one is its 404.
NUMERIC_IDS = {
    "crowdflower": {"job_id", "unit_id", "judgment_id", "worker_id", "order_id"},
    "clickworker": {"task_id", "job_id", "notification_id"},
}


def short(value: str) -> str:
    """A test id for ``value``: itself, or its length when it is a long number."""
    return value if len(value) < 30 else f"{len(value)} digits"


@pytest.fixture(scope="module")
def box() -> Iterator[Sandbox]:
    yield from sandbox()


def operations(box: Sandbox, vendor: str) -> list[tuple[str, str]]:
    document = box.client.get(f"/{vendor}/openapi.json").json()
    found = [
        (method.upper(), path)
        for path, ops in document["paths"].items()
        for method in ops
        if method in METHODS
    ]
    assert found, f"{vendor} publishes no operations"
    return found


@pytest.mark.parametrize("name", HOSTILE_IDS)
@pytest.mark.parametrize("vendor", VENDORS)
def test_an_id_no_resource_can_have_is_the_vendors_refusal(
    box: Sandbox, vendor: str, name: str
) -> None:
    """Numeric ids are the vendor's 404; other ids are names (a CloudFactory workstream
    may be called ``³``), refused or not as the vendor does. A refusal changes nothing."""
    target = box.vendors[vendor]
    wrong = []
    state = target.state(box.client)
    for method, path in operations(box, vendor):
        for parameter in re.findall(r"\{(\w+)\}", path):
            url = target.url(path, **{parameter: HOSTILE_IDS[name]})
            response = box.client.request(method, url, headers=target.headers)
            numeric = parameter in NUMERIC_IDS.get(vendor, ())
            if response.status_code < 400 and not numeric:
                state = target.state(box.client)
                continue
            if not target.refusal(response) or (numeric and response.status_code != 404):
                wrong.append(f"{method} {path} [{parameter}]: {response.status_code}")
            elif method != "GET" and target.state(box.client) != state:
                wrong.append(f"{method} {path} [{parameter}]: refused, yet changed state")
    assert not wrong, "\n".join(wrong)
    box.assert_healthy()


@pytest.mark.parametrize("name", QUERY_VALUES)
@pytest.mark.parametrize("vendor", VENDORS)
def test_a_query_value_no_server_reads_is_defaulted_or_refused(
    box: Sandbox, vendor: str, name: str
) -> None:
    target = box.vendors[vendor]
    wrong = []
    for method, path in operations(box, vendor):
        if method != "GET":
            continue
        for parameter in QUERY:
            url = f"{target.url(path)}?{parameter}={QUERY_VALUES[name]}"
            response = box.client.get(url, headers=target.headers)
            if response.status_code >= 400 and not target.refusal(response):
                wrong.append(f"GET {path}?{parameter}: {response.status_code}")
    assert not wrong, "\n".join(wrong)
    box.assert_healthy()


@pytest.mark.parametrize("name", QUERY_VALUES)
def test_mock_query_values_are_refused_as_json(box: Sandbox, name: str) -> None:
    document = box.client.get("/_mock/openapi.json").json()
    wrong = []
    reads = [path for path, ops in document["paths"].items() if "get" in ops and "{" not in path]
    assert reads
    for path in reads:
        for parameter in QUERY:
            response = box.client.get(f"{path}?{parameter}={QUERY_VALUES[name]}")
            if response.status_code >= 400 and not admin_refusal(response):
                wrong.append(f"GET {path}?{parameter}: {response.status_code}")
    assert not wrong, "\n".join(wrong)
    box.assert_healthy()


# -- what each vendor answers ------------------------------------------------------------------


@pytest.mark.parametrize("value", [SUPERSCRIPT, ARABIC, LONG, "0", "-1"], ids=short)
def test_crowdflower_defaults_a_page_it_cannot_read(box: Sandbox, value: str) -> None:
    """INFERRED (as before): CrowdFlower's paging defaults rather than refuses."""
    target = box.vendors["crowdflower"]
    jobs = box.client.get("/crowdflower/v1/jobs.json", headers=target.headers)
    paged = box.client.get(f"/crowdflower/v1/jobs.json?page={value}", headers=target.headers)
    assert paged.status_code == 200, paged.text
    assert paged.json() == jobs.json()
    units = target.url("/v1/jobs/{job_id}/units.json")
    all_units = box.client.get(units, headers=target.headers).json()
    odd = box.client.get(f"{units}?page={value}&limit={value}", headers=target.headers)
    assert odd.status_code == 200, odd.text
    assert odd.json() == all_units


@pytest.mark.parametrize("parameter", ["page", "per_page"])
@pytest.mark.parametrize("value", [SUPERSCRIPT, ARABIC, LONG, PAST_64_BITS, "0"], ids=short)
def test_clickworker_refuses_a_page_it_cannot_read_naming_it(
    box: Sandbox, parameter: str, value: str
) -> None:
    target = box.vendors["clickworker"]
    response = box.client.get(
        f"{CLICKWORKER}/customer/tasks?{parameter}={value}", headers=target.headers
    )
    assert response.status_code == 422, response.text
    assert target.refusal(response)
    errors = response.json()["tasks_response"]["errors"]
    assert [e["code"] for e in errors] == [parameter]


@pytest.mark.parametrize("parameter", ["offset", "limit"])
@pytest.mark.parametrize("value", [SUPERSCRIPT, LONG, PAST_64_BITS, "-1"], ids=short)
def test_modelarts_refuses_paging_it_cannot_read_naming_it(
    box: Sandbox, parameter: str, value: str
) -> None:
    target = box.vendors["modelarts"]
    response = box.client.get(
        f"/modelarts/v2/{PROJECT}/datasets?{parameter}={value}", headers=target.headers
    )
    assert response.status_code == 400, response.text
    assert response.json()["error_code"] == "ModelArts.0104"
    assert response.json()["error_msg"].startswith(f"{parameter}:")


@pytest.mark.parametrize("value", [SUPERSCRIPT, LONG, "1.5"], ids=short)
def test_modelarts_metrics_refuse_times_they_cannot_read(box: Sandbox, value: str) -> None:
    target = box.vendors["modelarts"]
    url = target.url("/v2/{project_id}/datasets/{dataset_id}/metrics")
    response = box.client.get(f"{url}?start_time={value}&end_time=1", headers=target.headers)
    assert response.status_code == 400, response.text
    assert response.json()["error_msg"].startswith("start_time:")


def test_clickworker_counts_the_whole_globe_for_a_radius_past_it(box: Sandbox) -> None:
    target = box.vendors["clickworker"]
    base = f"{CLICKWORKER}/clickworkers?api_method=count_in_radius&latitude=52.5&longitude=13.4"
    counts = []
    for r in ("20038", "1e200", "1" + "0" * 60):
        response = box.client.get(f"{base}&r={r}", headers=target.headers)
        assert response.status_code == 200, response.text
        counts.append(response.json()["clickworkers_response"]["clickworker_count"])
    assert counts[0] == counts[1] == counts[2]


@pytest.mark.parametrize("r", ["1e400", "inf", "NaN", ARABIC, "1_000", "0x10"])
def test_clickworker_refuses_a_radius_that_is_no_finite_number(box: Sandbox, r: str) -> None:
    target = box.vendors["clickworker"]
    url = f"{CLICKWORKER}/clickworkers?api_method=count_in_radius&latitude=1&longitude=1&r={r}"
    response = box.client.get(url, headers=target.headers)
    assert response.status_code == 422, response.text
    errors = response.json()["clickworkers_response"]["errors"]
    assert [e["code"] for e in errors] == ["r"]


@pytest.mark.parametrize("parameter", ["limit", "status", "since"])
@pytest.mark.parametrize("value", [SUPERSCRIPT, ARABIC, LONG], ids=short)
def test_the_journal_refuses_numbers_it_cannot_read_naming_them(
    box: Sandbox, parameter: str, value: str
) -> None:
    response = box.client.get(f"/_mock/journal?{parameter}={value}")
    assert response.status_code == 400, response.text
    assert admin_refusal(response)
    assert parameter in response.text


def test_the_journal_still_reads_plain_numbers(box: Sandbox) -> None:
    response = box.client.get("/_mock/journal?limit=2&status=200&since=1")
    assert response.status_code == 200, response.text
    assert len(response.json()["entries"]) == 2


# -- integers in JSON bodies -------------------------------------------------------------------


@pytest.mark.parametrize("digits", [21, 4301, 5000])
def test_a_json_integer_past_64_bits_is_a_400(box: Sandbox, digits: int) -> None:
    number = "1" + "0" * (digits - 1)
    record = (
        '{"worker_id": "w", "use_case_id": "uc", "task_definition_id": "td",'
        ' "task_started_at": "2024-05-01T09:00:00Z", "task_completed_at": "2024-05-01T09:30:00Z",'
        f' "task_count": {number}}}'
    )
    dataset = (
        '{"dataset_name": "numbers", "work_path": "/bucket/output/",'
        ' "data_sources": [{"data_type": 0, "data_path": "/bucket/input/numbers/"}],'
        f' "work_path_type": {number}}}'
    )
    before = box.everything()
    for vendor, path, body in (
        ("cloudfactory", "/v1/workstreams/ws-1/task_completed", record),
        ("modelarts", "/v2/{project_id}/datasets", dataset),
    ):
        target = box.vendors[vendor]
        response = box.client.post(
            target.url(path),
            content=body.encode(),
            headers={**target.headers, "Content-Type": "application/json"},
        )
        assert response.status_code == 400, response.text
        assert target.refusal(response)
        assert "outside 64 bits" in response.text
    assert box.everything() == before
    box.assert_healthy()


# -- any text as an id -------------------------------------------------------------------------


@settings(max_examples=80, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(min_size=1, max_size=30).filter(lambda text: text.strip(". ") != ""))
def test_any_text_as_an_id_is_never_a_server_error(box: Sandbox, text: str) -> None:
    ref = quote(text, safe="")
    for vendor, path in (
        ("crowdflower", f"/crowdflower/v1/jobs/{ref}.json"),
        ("crowdflower", box.vendors["crowdflower"].url("/v1/jobs/{job_id}/units/") + ref),
        ("clickworker", f"{CLICKWORKER}/customer/tasks/{ref}"),
        ("clickworker", f"{CLICKWORKER}/customer/jobs/{ref}"),
    ):
        target = box.vendors[vendor]
        response = box.client.get(path, headers=target.headers)
        assert response.status_code < 500, (path, response.text)
        if response.status_code >= 400:
            assert target.refusal(response), (path, response.text)


@pytest.mark.parametrize("value", [SUPERSCRIPT, LONG], ids=short)
def test_crowdflower_refuses_more_judgments_it_cannot_count(box: Sandbox, value: str) -> None:
    target = box.vendors["crowdflower"]
    url = target.url("/v1/jobs/{job_id}/units/{unit_id}/request_more_judgments.json")
    response = box.client.post(f"{url}?nb_judgments={value}", headers=target.headers)
    assert response.status_code == 422, response.text
    assert target.refusal(response)

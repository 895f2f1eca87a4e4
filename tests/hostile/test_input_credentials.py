"""Credentials that do not decode: the vendor's 401 (or 403), never a server error.

clickworker's Basic credentials are base64 of UTF-8 ``user:password``; a header of
Latin-1 bytes (``Basic \\xff\\xff``), bad padding or a password that is not UTF-8
each once crashed the decoder. ModelArts reads sample bytes as base64 too: data that
does not decode fails that one sample, as any other bad data does.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from input_kit import CLICKWORKER, PROJECT, Sandbox, sandbox


@pytest.fixture(scope="module")
def box() -> Iterator[Sandbox]:
    yield from sandbox()


BROKEN_BASIC = {
    "Latin-1 bytes": b"Basic \xff\xff",
    "bad padding": b"Basic YWxpY2U6cHc",
    "not base64": b"Basic !!!!",
    "no colon": b"Basic " + base64.b64encode(b"alice"),
    "no user": b"Basic " + base64.b64encode(b":pw"),
    "a password that is not UTF-8": b"Basic " + base64.b64encode(b"alice:\xff\xfe"),
    "no credential": b"Basic ",
    "another scheme": b"Bearer abc",
}


@pytest.mark.parametrize("case", BROKEN_BASIC)
def test_broken_basic_credentials_are_clickworkers_401(box: Sandbox, case: str) -> None:
    before = box.everything()
    response = box.client.get(
        f"{CLICKWORKER}/customer/tasks",
        headers={"Authorization": BROKEN_BASIC[case], "Accept": "application/json"},
    )
    assert response.status_code == 401, response.text
    assert box.vendors["clickworker"].refusal(response)
    assert response.headers["WWW-Authenticate"] == 'Basic realm="clickworker"'
    errors = response.json()["tasks_response"]["errors"]
    assert [e["code"] for e in errors] == ["BadCredentials"]
    assert box.everything() == before


CREDENTIAL_HEADERS = {
    "cloudfactory": ("/cloudfactory/v1/tasks", "x-api-key", b""),
    "crowdflower": ("/crowdflower/v1/jobs.json", "Authorization", b"Token token="),
    "clickworker": (f"{CLICKWORKER}/customer/tasks", "Authorization", b"Basic "),
    "modelarts": (f"/modelarts/v2/{PROJECT}/datasets", "X-Auth-Token", b""),
    "modelarts (signed)": (
        f"/modelarts/v2/{PROJECT}/datasets",
        "Authorization",
        b"SDK-HMAC-SHA256 Access=",
    ),
}


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    vendor=st.sampled_from(sorted(CREDENTIAL_HEADERS)),
    credential=st.binary(min_size=1, max_size=40).filter(
        lambda raw: b"\r" not in raw and b"\n" not in raw and b"\x00" not in raw
    ),
)
def test_any_credential_bytes_are_answered_never_a_server_error(
    box: Sandbox, vendor: str, credential: bytes
) -> None:
    path, header, prefix = CREDENTIAL_HEADERS[vendor]
    target = box.vendors[vendor.split(" ")[0]]
    headers = {header: prefix + credential.strip(), "Accept": "application/json"}
    response = box.client.get(path, headers=headers)
    assert response.status_code < 500, response.text
    if response.status_code >= 400:
        assert target.refusal(response), response.text


@pytest.mark.parametrize(
    ("data", "status"), [("ÿÿ", 200), ("anBnZ", 200), ("not base64!", 200), ("\udcff", 400)]
)
def test_modelarts_sample_data_that_is_no_base64_fails_that_sample(
    box: Sandbox, data: str, status: int
) -> None:
    target = box.vendors["modelarts"]
    samples = target.url("/v2/{project_id}/datasets/{dataset_id}/data-annotations/samples")
    before = box.everything()
    body = {"samples": [{"name": "broken.jpg", "data": data}]}
    response = box.client.post(
        samples,
        content=json.dumps(body).encode(),  # a lone surrogate as its escape
        headers={**target.headers, "Content-Type": "application/json"},
    )
    assert response.status_code == status, response.text
    if status == 200:
        (result,) = response.json()["results"]
        assert result["success"] is False
        assert "base64" in result["error_msg"]
    else:
        assert target.refusal(response)
    assert box.everything() == before

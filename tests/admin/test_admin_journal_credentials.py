"""Credentials in ``/_mock/journal``: masked as ``****`` and their last 4 characters,
unless ``journal_credentials`` is ``shown``; verify matches the values as sent."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient

from mockserver.app import create_app
from mockserver.settings import Settings

CF_KEY = "cf-key-0123456789wxyz"
CROWD_KEY = "crowd-key-abcdef9876"
BASIC = base64.b64encode(b"customer:pass-word-42").decode()
IAM_TOKEN = "MIIEtoken-value-for-the-journal-test-0042"
SIGNATURE = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
SDK_AUTH = (
    "SDK-HMAC-SHA256 Access=AKEXAMPLE0123456789, SignedHeaders=host;x-sdk-date, "
    f"Signature={SIGNATURE}"
)
IAM_BODY = {"auth": {
    "identity": {"methods": ["password"], "password": {"user": {
        "name": "labeler", "password": "iam-password-1234", "domain": {"name": "acme"}}}},
    "scope": {"project": {"id": "0123456789abcdef0123456789abcdef"}},
}}  # fmt: skip


def _client(view: str) -> TestClient:
    settings = Settings(clock="manual", rate_limits=False, journal_credentials=view)  # type: ignore[arg-type]
    return TestClient(create_app(settings))


@pytest.fixture
def client() -> Iterator[TestClient]:
    with _client("masked") as running:
        _send_every_credential(running)
        yield running


def _send_every_credential(client: TestClient) -> None:
    client.get("/cloudfactory/v1/tasks/t-1", headers={"x-api-key": CF_KEY})
    client.get("/crowdflower/v1/jobs.json", params={"key": CROWD_KEY, "page": "2"})
    client.post(
        "/crowdflower/v1/jobs.json",
        content=f"job[title]=t&key={CROWD_KEY}".encode(),
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    client.get("/crowdflower/v1/jobs.json", headers={"Authorization": f'Token token="{CROWD_KEY}"'})
    client.get(
        "/clickworker/api/marketplace/v2/customer", headers={"Authorization": f"Basic {BASIC}"}
    )
    client.get("/modelarts/v2/p/datasets", headers={"X-Auth-Token": IAM_TOKEN})
    client.get("/modelarts/v2/p/datasets", headers={"Authorization": SDK_AUTH})
    client.post("/modelarts/v3/auth/tokens", json=IAM_BODY)


def _entries(client: TestClient) -> list[dict[str, Any]]:
    response = client.get("/_mock/journal")
    assert response.status_code == 200
    entries: list[dict[str, Any]] = response.json()["entries"]
    assert len(entries) == 8
    return entries


def test_every_vendor_credential_is_masked_keeping_its_last_4_characters(
    client: TestClient,
) -> None:
    cf, query, form, token, basic, iam, sdk, issue = _entries(client)
    assert cf["request_headers"]["x-api-key"] == "****wxyz"
    assert query["query"] == "key=****9876&page=2"
    assert form["request_body"] == "job[title]=t&key=****9876"
    assert token["request_headers"]["authorization"] == 'Token token="****9876"'
    assert basic["request_headers"]["authorization"] == f"Basic ****{BASIC[-4:]}"
    assert iam["request_headers"]["x-auth-token"] == "****0042"
    assert sdk["request_headers"]["authorization"] == (
        "SDK-HMAC-SHA256 Access=****6789, SignedHeaders=host;x-sdk-date, Signature=****0a08"
    )
    assert '"password":"****1234"' in issue["request_body"]
    subject = issue["response_headers"]["x-subject-token"]
    assert subject.startswith("****") and len(subject) == 8
    text = str([{**entry, "tenant": None} for entry in _entries(client)])  # ids are not masked
    for secret in (CF_KEY, CROWD_KEY, BASIC, IAM_TOKEN, SIGNATURE, "iam-password-1234"):
        assert secret not in text


def test_verify_matches_the_real_values_and_masks_its_near_misses(client: TestClient) -> None:
    by_key = client.post(
        "/_mock/journal/verify", json={"headers": {"X-Api-Key": CF_KEY}, "count": 1}
    )
    assert by_key.json()["ok"] is True
    by_query = client.post("/_mock/journal/verify", json={"query": {"key": CROWD_KEY}, "count": 1})
    assert by_query.json()["ok"] is True
    missed = client.post(
        "/_mock/journal/verify",
        json={"vendor": "crowdflower", "method": "GET", "query": {"key": "other-key"}},
    ).json()
    assert missed["ok"] is False
    near = missed["near_misses"]
    differences = [difference for miss in near for difference in miss["differences"]]
    assert "query key: expected 'other-key', was '****9876'" in differences
    assert "key=****9876&page=2" in {miss["query"] for miss in near}
    assert CROWD_KEY not in str([{**miss, "tenant": None} for miss in near])
    header = client.post(
        "/_mock/journal/verify", json={"vendor": "cloudfactory", "headers": {"x-api-key": "nope"}}
    ).json()
    assert "header x-api-key: expected 'nope', was '****wxyz'" in str(header["near_misses"])


def test_shown_keeps_the_credentials_as_sent() -> None:
    with _client("shown") as client:
        _send_every_credential(client)
        cf, query, *_ = _entries(client)
        assert cf["request_headers"]["x-api-key"] == CF_KEY
        assert query["query"] == f"key={CROWD_KEY}&page=2"
        missed = client.post(
            "/_mock/journal/verify",
            json={"vendor": "cloudfactory", "headers": {"x-api-key": "nope"}},
        )
        assert f"was '{CF_KEY}'" in str(missed.json()["near_misses"])


def test_a_short_credential_is_masked_whole() -> None:
    with _client("masked") as client:
        client.get("/cloudfactory/v1/tasks/t-1", headers={"x-api-key": "short"})
        entry = client.get("/_mock/journal").json()["entries"][0]
        assert entry["request_headers"]["x-api-key"] == "****"

"""CrowdFlower form fields sent as the parts of a ``multipart/form-data`` body.

An HTTP library posting a form that holds a file, or told to, sends every field as a
part (the R client sends its tags that way); each is read as the same field sent
urlencoded would be: a job made so has its title, and launch, notify, bonus and flag
take their parameters from the parts.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from starlette.testclient import TestClient

from mockserver.app import create_app
from mockserver.settings import Settings

KEY = "Mp3vT8mXc2LpW5sZb1Nd"
PREFIX = "/crowdflower/v1"
CML = (
    '<cml:radios label="Sentiment" name="sentiment" validates="required">'
    '<cml:radio label="Positive" value="pos"/><cml:radio label="Negative" value="neg"/>'
    "</cml:radios>"
)


def parts(fields: dict[str, str]) -> dict[str, tuple[None, str]]:
    """``fields`` as httpx's multipart parts without a file name (plain form fields)."""
    return {name: (None, value) for name, value in fields.items()}


class Sandbox:
    def __init__(self, client: TestClient) -> None:
        self.client = client

    def multipart(self, method: str, path: str, fields: dict[str, str]) -> httpx.Response:
        response = self.client.request(
            method, f"{PREFIX}/{path}", params={"key": KEY}, files=parts(fields)
        )
        sent = response.request.headers["content-type"]
        assert sent.startswith("multipart/form-data; boundary="), sent
        return response

    def get(self, path: str) -> Any:
        response = self.client.get(f"{PREFIX}/{path}", params={"key": KEY})
        assert response.status_code == 200, response.text
        return response.json()

    def worker(self, job_id: int, worker_id: int | None = None) -> dict[str, Any]:
        response = self.client.get(
            f"/_mock/crowdflower/jobs/{job_id}/workers", params={"tenant": f"crowdflower:{KEY}"}
        )
        assert response.status_code == 200, response.text
        workers: list[dict[str, Any]] = response.json()["workers"]
        return next(w for w in workers if worker_id in (None, w["worker_id"]))

    def designed_job(self) -> int:
        created = self.multipart(
            "POST",
            "jobs.json",
            {"job[title]": "Rate the tweets", "job[instructions]": "Judge.", "job[cml]": CML},
        )
        assert created.status_code == 200, created.text
        job_id: int = created.json()["id"]
        uploaded = self.client.put(
            f"{PREFIX}/jobs/{job_id}/upload.json",
            params={"key": KEY},
            content=b"tweet\none\ntwo\nthree\n",
            headers={"content-type": "text/csv"},
        )
        assert uploaded.status_code == 200, uploaded.text
        return job_id

    def launched_job(self, *, judged: bool = True) -> int:
        """A designed job, ordered from parts; ``judged``: after a minute of the crowd."""
        job_id = self.designed_job()
        ordered = self.multipart(
            "POST",
            f"jobs/{job_id}/orders.json",
            {"debit[units_count]": "3", "channels[0]": "on_demand"},
        )
        assert ordered.status_code == 200, ordered.text
        if judged:
            assert self.client.post("/_mock/clock/advance", json={"seconds": 60}).is_success
        return job_id


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    settings = Settings(clock="manual", seed=11, rate_limits=False, epoch="2014-07-22T12:00:00Z")
    with TestClient(create_app(settings)) as client:
        yield Sandbox(client)


def test_a_job_created_from_parts_has_the_attributes_they_name(sandbox: Sandbox) -> None:
    job_id = sandbox.designed_job()

    job = sandbox.get(f"jobs/{job_id}.json")
    assert job["title"] == "Rate the tweets"
    assert job["instructions"] == "Judge."
    assert job["cml"] == CML


def test_a_job_is_updated_from_parts(sandbox: Sandbox) -> None:
    job_id = sandbox.designed_job()

    updated = sandbox.multipart(
        "PUT", f"jobs/{job_id}.json", {"job[title]": "Rate them again", "job[payment_cents]": "25"}
    )

    assert updated.status_code == 200, updated.text
    job = sandbox.get(f"jobs/{job_id}")
    assert (job["title"], job["payment_cents"]) == ("Rate them again", 25)


def test_a_launch_from_parts_orders_the_units_on_the_named_channel(sandbox: Sandbox) -> None:
    job_id = sandbox.launched_job(judged=False)

    assert sandbox.get(f"jobs/{job_id}")["state"] == "running"
    assert sandbox.get(f"jobs/{job_id}/ping")["ordered_units"] == 3
    assert sandbox.get(f"jobs/{job_id}/channels")["enabled_channels"] == ["on_demand"]


def test_notify_bonus_and_flag_read_their_parts(sandbox: Sandbox) -> None:
    job_id = sandbox.launched_job()
    worker_id = sandbox.worker(job_id)["worker_id"]
    base = f"jobs/{job_id}/workers/{worker_id}"

    notified = sandbox.multipart("POST", f"{base}/notify", {"message": "Thanks for the work"})
    paid = sandbox.multipart("POST", f"{base}/bonus", {"amount": "150", "reason": "Careful"})
    flagged = sandbox.multipart("PUT", base, {"flag": "Too fast", "persist": "true"})

    for response in (notified, paid, flagged):
        assert response.status_code == 200, response.text
    assert paid.json() == {
        "success": {"message": f"Bonus of $1.50 paid to contributor {worker_id}."}
    }
    worker = sandbox.worker(job_id, worker_id)
    assert [n["message"] for n in worker["notifications"]] == ["Thanks for the work"]
    assert [(b["amount_cents"], b["reason"]) for b in worker["bonuses"]] == [(150, "Careful")]
    assert (worker["flagged"], worker["flag_reason"], worker["persist"]) == (True, "Too fast", True)


def test_the_legacy_flag_and_deflag_read_their_parts(sandbox: Sandbox) -> None:
    job_id = sandbox.launched_job()
    worker_id = sandbox.worker(job_id)["worker_id"]
    base = f"jobs/{job_id}/workers/{worker_id}"

    flagged = sandbox.multipart("PUT", f"{base}/flag", {"reason": "Spam", "persist": "false"})
    assert flagged.status_code == 200, flagged.text
    worker = sandbox.worker(job_id, worker_id)
    assert (worker["flagged"], worker["flag_reason"], worker["persist"]) == (True, "Spam", False)

    deflagged = sandbox.multipart("PUT", f"{base}/deflag", {"reason": "A mistake"})
    assert deflagged.status_code == 200, deflagged.text
    assert sandbox.worker(job_id, worker_id)["flagged"] is False


def test_the_key_may_ride_in_a_part(sandbox: Sandbox) -> None:
    response = sandbox.client.post(
        f"{PREFIX}/jobs", files=parts({"key": KEY, "job[title]": "Keyed in a part"})
    )

    assert response.status_code == 200, response.text
    assert response.json()["title"] == "Keyed in a part"


def test_a_file_part_is_no_parameter_and_a_broken_body_is_400(sandbox: Sandbox) -> None:
    with_file = sandbox.client.post(
        f"{PREFIX}/jobs",
        params={"key": KEY},
        files={"job[title]": ("title.txt", b"From a file", "text/plain")},
        data={"job[instructions]": "From a field"},
    )
    assert with_file.status_code == 200, with_file.text
    assert (with_file.json()["title"], with_file.json()["instructions"]) == (None, "From a field")

    broken = sandbox.client.post(
        f"{PREFIX}/jobs",
        params={"key": KEY},
        content=b"no parts here",
        headers={"content-type": "multipart/form-data"},
    )
    assert broken.status_code == 400
    assert "multipart" in broken.json()["error"]["message"]

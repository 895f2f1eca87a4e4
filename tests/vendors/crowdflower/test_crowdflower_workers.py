"""CrowdFlower contributors through the HTTP API: W1 bonus, W2 notify, W3 flag and unflag,
W4 reject, W5 the legacy flag and deflag, W6 the older ban, deban, approve and notifications,
the legacy judgment reject, and the ``/_mock/crowdflower`` read-out of them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from starlette.testclient import TestClient

from mockserver.app import create_app
from mockserver.settings import Settings

KEY = "Wk5vT8mXc2LpW5sZb1Nd"
PREFIX = "/crowdflower/v1"
NOT_FOUND = {"error": {"message": "We couldn't find what you were looking for."}}
MISSING = {"error": {"message": "Your request is missing required parameters."}}
CML = (
    '<cml:radios label="Sentiment" validates="required">'
    '<cml:radio label="Positive" value="pos"/><cml:radio label="Negative" value="neg"/>'
    "</cml:radios>"
)
DESIGN = {"job[title]": "Rate the tweets", "job[instructions]": "Judge.", "job[cml]": CML}


class Sandbox:
    def __init__(self, client: TestClient) -> None:
        self.client = client

    def call(
        self, method: str, path: str, data: dict[str, Any] | None = None, **params: str
    ) -> httpx.Response:
        return self.client.request(
            method, f"{PREFIX}/{path}", params={"key": KEY, **params}, data=data
        )

    def get(self, path: str) -> Any:
        response = self.call("GET", path)
        assert response.status_code == 200, response.text
        return response.json()

    def running_job(self, units: int, **attrs: str) -> int:
        """A job of ``units`` rows, ordered, after one round of the crowd."""
        given = {f"job[{name}]": value for name, value in attrs.items()}
        job = self.call("POST", "jobs", data={**DESIGN, **given}).json()
        rows = "tweet\n" + "".join(f"tweet {n}\n" for n in range(units))
        self.client.put(
            f"{PREFIX}/jobs/{job['id']}/upload",
            params={"key": KEY},
            content=rows.encode(),
            headers={"content-type": "text/csv"},
        )
        ordered = self.call(
            "POST",
            f"jobs/{job['id']}/orders",
            data={"debit[units_count]": str(units), "channels[0]": "on_demand"},
        )
        assert ordered.status_code == 200, ordered.text
        self.advance(60)
        job_id: int = job["id"]
        return job_id

    def advance(self, seconds: float) -> None:
        assert self.client.post("/_mock/clock/advance", json={"seconds": seconds}).is_success

    def workers(self, job_id: int) -> list[dict[str, Any]]:
        response = self.client.get(
            f"/_mock/crowdflower/jobs/{job_id}/workers", params={"tenant": f"crowdflower:{KEY}"}
        )
        assert response.status_code == 200, response.text
        found: list[dict[str, Any]] = response.json()["workers"]
        return found

    def worker(self, job_id: int, worker_id: int) -> dict[str, Any]:
        return next(w for w in self.workers(job_id) if w["worker_id"] == worker_id)

    def judgments(self, job_id: int) -> list[dict[str, Any]]:
        """Every judgment of the job, read unit by unit."""
        return [
            j
            for unit_id in self.get(f"jobs/{job_id}/units")
            for j in self.get(f"jobs/{job_id}/units/{unit_id}/judgments")
        ]

    def snapshot(self, job_id: int) -> tuple[Any, ...]:
        """Everything a refused request must leave as it was."""
        return (
            self.get("account")["balance"],
            self.get(f"jobs/{job_id}/ping"),
            self.judgments(job_id),
            self.workers(job_id),
        )


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    settings = Settings(clock="manual", seed=7, rate_limits=False, epoch="2014-07-22T12:00:00Z")
    with TestClient(create_app(settings)) as client:
        yield Sandbox(client)


def _said(response: httpx.Response, message: str) -> None:
    assert response.status_code == 200, response.text
    assert response.json() == {"success": {"message": message}}


def _first_worker(sandbox: Sandbox, job_id: int) -> int:
    worker_id: int = sandbox.workers(job_id)[0]["worker_id"]
    return worker_id


def _trusted_worker(sandbox: Sandbox, job_id: int) -> int:
    """A worker whose judgments so far all count."""
    workers = sandbox.workers(job_id)
    worker_id: int = next(w["worker_id"] for w in workers if w["tainted_judgments"] == 0)
    return worker_id


def _stranger(sandbox: Sandbox, job_id: int) -> int:
    """A worker id that judged nothing in the job."""
    known = {w["worker_id"] for w in sandbox.workers(job_id)}
    return next(n for n in range(1, 100) if n not in known)


# -- W1: bonus ----------------------------------------------------------------------------------


def test_a_bonus_is_debited_from_the_balance_and_recorded(sandbox: Sandbox) -> None:
    job_id = sandbox.running_job(10)
    worker_id = _first_worker(sandbox, job_id)
    balance = sandbox.get("account")["balance"]
    paid = sandbox.call(
        "POST", f"jobs/{job_id}/workers/{worker_id}/bonus", {"amount": "500", "reason": "Great"}
    )
    _said(paid, f"Bonus of $5.00 paid to contributor {worker_id}.")
    assert sandbox.get("account")["balance"] == balance - 500
    again = sandbox.client.put(
        f"{PREFIX}/jobs/{job_id}/workers/{worker_id}/bonus.json",
        params={"key": KEY},
        json={"amount": 25},
    )
    _said(again, f"Bonus of $0.25 paid to contributor {worker_id}.")
    assert sandbox.get("account")["balance"] == balance - 525
    worker = sandbox.worker(job_id, worker_id)
    assert worker["bonus_cents"] == 525
    assert [(b["amount_cents"], b["reason"]) for b in worker["bonuses"]] == [
        (500, "Great"),
        (25, None),
    ]
    assert worker["bonuses"][0]["paid_at"] == "2014-07-22T12:01:00+00:00"


def test_a_bonus_beyond_the_balance_is_402_and_changes_nothing(sandbox: Sandbox) -> None:
    job_id = sandbox.running_job(10)
    worker_id = _first_worker(sandbox, job_id)
    before = sandbox.snapshot(job_id)
    balance = before[0]
    refused = sandbox.call(
        "POST", f"jobs/{job_id}/workers/{worker_id}/bonus", {"amount": str(balance + 1)}
    )
    assert refused.status_code == 402
    assert refused.json() == {
        "error": {
            "message": f"You have ${balance / 100:.2f} available but this bonus will cost "
            f"${(balance + 1) / 100:.2f}. Please add funds to your account."
        }
    }
    assert sandbox.snapshot(job_id) == before
    everything = sandbox.call(
        "POST", f"jobs/{job_id}/workers/{worker_id}/bonus", {"amount": str(balance)}
    )
    assert everything.status_code == 200
    assert sandbox.get("account")["balance"] == 0


@pytest.mark.parametrize(
    ("form", "status"),
    [
        ({}, 400),
        ({"amount": ""}, 400),
        ({"amount": "abc"}, 422),
        ({"amount": "0"}, 422),
        ({"amount": "-5"}, 422),
        ({"amount": "2.50"}, 422),
    ],
)
def test_a_bonus_needs_a_positive_whole_number_of_cents(
    sandbox: Sandbox, form: dict[str, str], status: int
) -> None:
    job_id = sandbox.running_job(10)
    worker_id = _first_worker(sandbox, job_id)
    before = sandbox.snapshot(job_id)
    response = sandbox.call("POST", f"jobs/{job_id}/workers/{worker_id}/bonus", form)
    assert response.status_code == status
    if status == 400:
        assert response.json() == MISSING
    else:
        assert response.json() == {"errors": ["Amount must be a positive whole number of cents"]}
    assert sandbox.snapshot(job_id) == before


# -- workers the job does not know ------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "action", "form"),
    [
        ("POST", "/bonus", {"amount": "100"}),
        ("POST", "/notify", {"message": "Hello"}),
        ("PUT", "", {"flag": "Spam"}),
        ("PUT", "/reject", {"reason": "Spam"}),
        ("PUT", "/flag", {"reason": "Spam"}),
        ("PUT", "/deflag", {}),
    ],
)
def test_a_worker_who_judged_nothing_in_the_job_is_not_found(
    sandbox: Sandbox, method: str, action: str, form: dict[str, str]
) -> None:
    job_id = sandbox.running_job(10)
    other_job = sandbox.running_job(10)
    only_elsewhere = next(
        w["worker_id"]
        for w in sandbox.workers(other_job)
        if w["worker_id"] not in {v["worker_id"] for v in sandbox.workers(job_id)}
    )
    before = sandbox.snapshot(job_id)
    for worker in (_stranger(sandbox, job_id), only_elsewhere, "someone"):
        response = sandbox.call(method, f"jobs/{job_id}/workers/{worker}{action}", form)
        assert (response.status_code, response.json()) == (404, NOT_FOUND)
    known = _first_worker(sandbox, job_id)
    response = sandbox.call(method, f"jobs/99/workers/{known}{action}", form)
    assert (response.status_code, response.json()) == (404, NOT_FOUND)
    assert sandbox.snapshot(job_id) == before


# -- W2: notify ---------------------------------------------------------------------------------


def test_notify_records_the_message(sandbox: Sandbox) -> None:
    job_id = sandbox.running_job(10)
    worker_id = _first_worker(sandbox, job_id)
    sent = sandbox.call(
        "POST", f"jobs/{job_id}/workers/{worker_id}/notify", {"message": " Thanks! "}
    )
    _said(sent, f"Notification sent to contributor {worker_id}.")
    legacy = sandbox.call(
        "PUT",
        f"jobs/{job_id}/workers/{worker_id}/notify",
        message="Slow down",
        subject="Pace",
    )
    assert legacy.status_code == 200
    notes = sandbox.worker(job_id, worker_id)["notifications"]
    assert [(n["message"], n["subject"]) for n in notes] == [
        ("Thanks!", None),
        ("Slow down", "Pace"),
    ]


@pytest.mark.parametrize("form", [{}, {"message": "   "}, {"subject": "Only a subject"}])
def test_notify_without_a_message_is_400(sandbox: Sandbox, form: dict[str, str]) -> None:
    job_id = sandbox.running_job(10)
    worker_id = _first_worker(sandbox, job_id)
    before = sandbox.snapshot(job_id)
    response = sandbox.call("POST", f"jobs/{job_id}/workers/{worker_id}/notify", form)
    assert (response.status_code, response.json()) == (400, MISSING)
    assert sandbox.snapshot(job_id) == before


# -- W3 and W5: flags ---------------------------------------------------------------------------


def test_flag_and_unflag(sandbox: Sandbox) -> None:
    job_id = sandbox.running_job(10)
    worker_id = _first_worker(sandbox, job_id)
    flagged = sandbox.call(
        "PUT", f"jobs/{job_id}/workers/{worker_id}", {"flag": "Spam", "persist": "true"}
    )
    _said(flagged, f"Contributor {worker_id} has been flagged.")
    worker = sandbox.worker(job_id, worker_id)
    assert (worker["flagged"], worker["flag_reason"], worker["persist"]) == (True, "Spam", True)
    assert worker["flagged_at"] == "2014-07-22T12:01:00+00:00"
    unflagged = sandbox.call("PUT", f"jobs/{job_id}/workers/{worker_id}.json", unflag="Sorry")
    _said(unflagged, f"Contributor {worker_id} has been unflagged.")
    worker = sandbox.worker(job_id, worker_id)
    assert (worker["flagged"], worker["flag_reason"], worker["persist"]) == (False, None, False)
    assert sandbox.worker(job_id, worker_id)["rejected"] is False


def test_the_legacy_flag_and_deflag(sandbox: Sandbox) -> None:
    job_id = sandbox.running_job(10)
    worker_id = _first_worker(sandbox, job_id)
    flagged = sandbox.call("PUT", f"jobs/{job_id}/workers/{worker_id}/flag", {"reason": "Bot"})
    _said(flagged, f"Contributor {worker_id} has been flagged.")
    worker = sandbox.worker(job_id, worker_id)
    assert (worker["flagged"], worker["flag_reason"], worker["persist"]) == (True, "Bot", False)
    deflagged = sandbox.client.put(
        f"{PREFIX}/jobs/{job_id}/workers/{worker_id}/deflag",
        params={"key": KEY},
        headers={"Content-Length": "0"},
    )
    _said(deflagged, f"Contributor {worker_id} has been unflagged.")
    assert sandbox.worker(job_id, worker_id)["flagged"] is False
    without_reason = sandbox.call("PUT", f"jobs/{job_id}/workers/{worker_id}/flag")
    assert without_reason.status_code == 200
    worker = sandbox.worker(job_id, worker_id)
    assert (worker["flagged"], worker["flag_reason"]) == (True, None)


@pytest.mark.parametrize(
    ("form", "status"),
    [
        ({}, 400),
        ({"flag": ""}, 400),
        ({"reason": "Spam"}, 400),
        ({"flag": "a", "unflag": "b"}, 422),
    ],
)
def test_flag_needs_exactly_one_of_flag_and_unflag(
    sandbox: Sandbox, form: dict[str, str], status: int
) -> None:
    job_id = sandbox.running_job(10)
    worker_id = _first_worker(sandbox, job_id)
    before = sandbox.snapshot(job_id)
    response = sandbox.call("PUT", f"jobs/{job_id}/workers/{worker_id}", form)
    assert response.status_code == status
    if status == 400:
        assert response.json() == MISSING
    else:
        assert response.json() == {"errors": ["Give either flag or unflag, not both"]}
    assert sandbox.snapshot(job_id) == before


def test_a_flagged_workers_later_work_never_counts(sandbox: Sandbox) -> None:
    job_id = sandbox.running_job(150)
    worker_id = _trusted_worker(sandbox, job_id)
    earlier = {j["id"]: j["tainted"] for j in sandbox.judgments(job_id)}
    sandbox.call("PUT", f"jobs/{job_id}/workers/{worker_id}", {"flag": "Careless"})
    sandbox.advance(6 * 3600)
    assert sandbox.get(f"jobs/{job_id}")["state"] == "finished"
    judgments = sandbox.judgments(job_id)
    assert {j["id"]: j["tainted"] for j in judgments if j["id"] in earlier} == earlier
    later = [j for j in judgments if j["worker_id"] == worker_id and j["id"] not in earlier]
    assert later and all(j["tainted"] for j in later)
    others = [j for j in judgments if j["worker_id"] != worker_id and j["id"] not in earlier]
    assert not all(j["tainted"] for j in others)


def test_an_unflagged_workers_work_counts_again(sandbox: Sandbox) -> None:
    job_id = sandbox.running_job(150)
    worker_id = _trusted_worker(sandbox, job_id)
    sandbox.call("PUT", f"jobs/{job_id}/workers/{worker_id}", {"flag": "Careless"})
    sandbox.call("PUT", f"jobs/{job_id}/workers/{worker_id}", {"unflag": "Mistake"})
    earlier = {j["id"] for j in sandbox.judgments(job_id)}
    sandbox.advance(6 * 3600)
    later = [
        j
        for j in sandbox.judgments(job_id)
        if j["worker_id"] == worker_id and j["id"] not in earlier
    ]
    assert later and not all(j["tainted"] for j in later)


# -- W4: reject ---------------------------------------------------------------------------------


def _finalized_by(sandbox: Sandbox, job_id: int) -> tuple[int, list[int]]:
    """A worker and the finalized units their trusted judgments count toward."""
    counted: dict[int, list[int]] = {}
    for judgment in sandbox.judgments(job_id):
        if not judgment["tainted"] and judgment["unit_state"] == "finalized":
            counted.setdefault(judgment["worker_id"], []).append(judgment["unit_id"])
    worker_id, units = max(counted.items(), key=lambda item: len(item[1]))
    return worker_id, units


def test_reject_taints_the_work_and_reopens_the_units(sandbox: Sandbox) -> None:
    job_id = sandbox.running_job(60, judgments_per_unit="1")
    worker_id, units = _finalized_by(sandbox, job_id)
    theirs = [j for j in sandbox.judgments(job_id) if j["worker_id"] == worker_id]
    fresh = [j for j in theirs if not j["tainted"]]
    before = sandbox.get(f"jobs/{job_id}/ping")
    response = sandbox.call(
        "PUT",
        f"jobs/{job_id}/workers/{worker_id}/reject",
        {"reason": "Random answers", "manual": "true"},
    )
    _said(response, f"Contributor {worker_id} has been rejected.")
    for judgment in theirs:
        assert sandbox.get(f"jobs/{job_id}/judgments/{judgment['id']}")["tainted"] is True
    ping = sandbox.get(f"jobs/{job_id}/ping")
    assert ping["tainted_judgments"] == before["tainted_judgments"] + len(fresh)
    assert ping["needed_judgments"] == before["needed_judgments"] + len(fresh)
    assert ping["completed_units_estimate"] == before["completed_units_estimate"] - len(units)
    for unit_id in units:
        unit = sandbox.get(f"jobs/{job_id}/units/{unit_id}")
        assert (unit["state"], unit["judgments_count"]) == ("judging", 0)
    worker = sandbox.worker(job_id, worker_id)
    assert (worker["rejected"], worker["reject_reason"], worker["manual"]) == (
        True,
        "Random answers",
        True,
    )
    assert worker["tainted_judgments"] == worker["judgments_count"] == len(theirs)

    sandbox.advance(6 * 3600)
    assert sandbox.get(f"jobs/{job_id}")["state"] == "finished"
    assert sandbox.get(f"jobs/{job_id}/ping")["needed_judgments"] == 0
    listing = sandbox.get(f"jobs/{job_id}/judgments")
    for unit_id in units:
        unit = sandbox.get(f"jobs/{job_id}/units/{unit_id}")
        assert (unit["state"], unit["judgments_count"]) == ("finalized", 1)
        judged = sandbox.get(f"jobs/{job_id}/units/{unit_id}/judgments")
        # the rejected worker's judgment stays, tainted; one trusted one from someone else
        # finalizes the unit (another worker's may be tainted too, by missed gold)
        assert (judged[0]["worker_id"], judged[0]["tainted"]) == (worker_id, True)
        (trusted,) = [j for j in judged if not j["tainted"]]
        assert trusted["worker_id"] != worker_id
        assert listing[str(unit_id)]["_ids"] == [trusted["id"]]
        assert [j["id"] for j in unit["results"]["judgments"]] == [j["id"] for j in judged]
    assert all(j["tainted"] for j in sandbox.judgments(job_id) if j["worker_id"] == worker_id)


def test_reject_keeps_finalized_units_when_the_job_says_so(sandbox: Sandbox) -> None:
    job_id = sandbox.running_job(60, judgments_per_unit="1", units_remain_finalized="true")
    worker_id, units = _finalized_by(sandbox, job_id)
    before = sandbox.get(f"jobs/{job_id}/ping")
    assert sandbox.call("PUT", f"jobs/{job_id}/workers/{worker_id}/reject").status_code == 200
    ping = sandbox.get(f"jobs/{job_id}/ping")
    assert ping["needed_judgments"] == before["needed_judgments"]
    assert ping["completed_units_estimate"] == before["completed_units_estimate"]
    assert ping["tainted_judgments"] > before["tainted_judgments"]
    for unit_id in units:
        unit = sandbox.get(f"jobs/{job_id}/units/{unit_id}")
        assert (unit["state"], unit["judgments_count"]) == ("finalized", 0)


def test_reject_keeps_finalized_units_that_still_have_enough_judgments(
    sandbox: Sandbox,
) -> None:
    job_id = sandbox.running_job(60, judgments_per_unit="2")
    while sandbox.get(f"jobs/{job_id}/ping")["completed_units_estimate"] < 10:
        sandbox.advance(60)
    assert sandbox.get(f"jobs/{job_id}")["state"] == "running"
    worker_id, units = _finalized_by(sandbox, job_id)
    lowered = sandbox.call("PUT", f"jobs/{job_id}", {"job[judgments_per_unit]": "1"})
    assert lowered.status_code == 200
    before = sandbox.get(f"jobs/{job_id}/ping")
    sandbox.call("PUT", f"jobs/{job_id}/workers/{worker_id}/reject")
    ping = sandbox.get(f"jobs/{job_id}/ping")
    assert ping["completed_units_estimate"] == before["completed_units_estimate"]
    for unit_id in units:
        unit = sandbox.get(f"jobs/{job_id}/units/{unit_id}")
        assert (unit["state"], unit["judgments_count"]) == ("finalized", 1)
    sandbox.advance(6 * 3600)
    assert sandbox.get(f"jobs/{job_id}")["state"] == "finished"


def test_reject_reopens_units_still_being_judged(sandbox: Sandbox) -> None:
    job_id = sandbox.running_job(60, judgments_per_unit="3")
    counted = [
        j for j in sandbox.judgments(job_id) if not j["tainted"] and j["unit_state"] == "judging"
    ]
    worker_id = counted[0]["worker_id"]
    theirs = [j for j in counted if j["worker_id"] == worker_id]
    before = sandbox.get(f"jobs/{job_id}/ping")
    counts = {j["unit_id"]: sandbox.get(f"jobs/{job_id}/units/{j['unit_id']}") for j in theirs}
    sandbox.call("PUT", f"jobs/{job_id}/workers/{worker_id}/reject", reject="Spam")
    ping = sandbox.get(f"jobs/{job_id}/ping")
    assert ping["needed_judgments"] == before["needed_judgments"] + len(theirs)
    for unit_id, unit in counts.items():
        now = sandbox.get(f"jobs/{job_id}/units/{unit_id}")
        assert now["state"] == "judging"
        assert now["judgments_count"] == unit["judgments_count"] - 1
    assert sandbox.worker(job_id, worker_id)["reject_reason"] == "Spam"
    sandbox.advance(6 * 3600)
    assert sandbox.get(f"jobs/{job_id}")["state"] == "finished"
    for unit_id in counts:
        assert sandbox.get(f"jobs/{job_id}/units/{unit_id}")["judgments_count"] == 3


def test_reject_in_a_paused_job_reopens_units_for_when_it_resumes(sandbox: Sandbox) -> None:
    job_id = sandbox.running_job(60, judgments_per_unit="1")
    worker_id, units = _finalized_by(sandbox, job_id)
    sandbox.call("GET", f"jobs/{job_id}/pause")
    sandbox.call("PUT", f"jobs/{job_id}/workers/{worker_id}/reject")
    assert {sandbox.get(f"jobs/{job_id}/units/{u}")["state"] for u in units} == {"judging"}
    judged = sandbox.get(f"jobs/{job_id}/ping")["all_judgments"]
    sandbox.advance(3600)
    assert sandbox.get(f"jobs/{job_id}/ping")["all_judgments"] == judged
    sandbox.call("GET", f"jobs/{job_id}/resume")
    sandbox.advance(6 * 3600)
    assert {sandbox.get(f"jobs/{job_id}/units/{u}")["state"] for u in units} == {"finalized"}
    assert sandbox.get(f"jobs/{job_id}")["state"] == "finished"


def test_reject_in_a_finished_job_only_taints(sandbox: Sandbox) -> None:
    job_id = sandbox.running_job(20, judgments_per_unit="1")
    sandbox.advance(6 * 3600)
    worker_id, units = _finalized_by(sandbox, job_id)
    before = sandbox.get(f"jobs/{job_id}/ping")
    sandbox.call("PUT", f"jobs/{job_id}/workers/{worker_id}/reject")
    ping = sandbox.get(f"jobs/{job_id}/ping")
    assert ping["tainted_judgments"] == before["tainted_judgments"] + len(units)
    assert ping["needed_judgments"] == before["needed_judgments"] == 0
    assert ping["completed_units_estimate"] == before["completed_units_estimate"]
    assert sandbox.get(f"jobs/{job_id}")["state"] == "finished"
    for unit_id in units:
        unit = sandbox.get(f"jobs/{job_id}/units/{unit_id}")
        assert (unit["state"], unit["judgments_count"]) == ("finalized", 0)
    sandbox.advance(3600)
    assert sandbox.get(f"jobs/{job_id}/ping")["all_judgments"] == before["all_judgments"]


def test_rejecting_twice_changes_nothing_more(sandbox: Sandbox) -> None:
    job_id = sandbox.running_job(60, judgments_per_unit="1")
    worker_id, _ = _finalized_by(sandbox, job_id)
    sandbox.call("PUT", f"jobs/{job_id}/workers/{worker_id}/reject", {"reason": "first"})
    before = sandbox.snapshot(job_id)
    again = sandbox.call("PUT", f"jobs/{job_id}/workers/{worker_id}/reject", {"reason": "first"})
    _said(again, f"Contributor {worker_id} has been rejected.")
    assert sandbox.snapshot(job_id)[:3] == before[:3]


def test_unflagging_a_rejected_worker_keeps_their_work_tainted(sandbox: Sandbox) -> None:
    job_id = sandbox.running_job(150)
    worker_id = _first_worker(sandbox, job_id)
    sandbox.call("PUT", f"jobs/{job_id}/workers/{worker_id}/reject")
    sandbox.call("PUT", f"jobs/{job_id}/workers/{worker_id}/deflag")
    earlier = sandbox.worker(job_id, worker_id)["judgments_count"]
    sandbox.advance(6 * 3600)
    theirs = [j for j in sandbox.judgments(job_id) if j["worker_id"] == worker_id]
    assert len(theirs) > earlier > 0
    assert all(j["tainted"] for j in theirs)
    worker = sandbox.worker(job_id, worker_id)
    assert (worker["rejected"], worker["flagged"]) == (True, False)


# -- /_mock/crowdflower ---------------------------------------------------------------------------


def test_the_read_out_lists_every_worker_of_the_job(sandbox: Sandbox) -> None:
    job_id = sandbox.running_job(30)
    workers = sandbox.workers(job_id)
    judgments = sandbox.judgments(job_id)
    assert sum(w["judgments_count"] for w in workers) == len(judgments)
    in_order = sorted(judgments, key=lambda j: int(j["id"]))
    first_seen = list(dict.fromkeys(j["worker_id"] for j in in_order))
    assert [w["worker_id"] for w in workers] == first_seen
    assert all(w["bonuses"] == [] and not w["flagged"] and not w["rejected"] for w in workers)
    assert all(0 < w["trust"] <= 1 for w in workers)


def test_the_read_out_refuses_what_it_cannot_find(sandbox: Sandbox) -> None:
    job_id = sandbox.running_job(5)
    path = f"/_mock/crowdflower/jobs/{job_id}/workers"
    assert sandbox.client.get(path).status_code == 400
    other = sandbox.client.get(path, params={"tenant": "crowdflower:nobody"})
    assert other.status_code == 404
    unknown = sandbox.client.get(
        "/_mock/crowdflower/jobs/1/workers", params={"tenant": f"crowdflower:{KEY}"}
    )
    assert unknown.status_code == 404
    sandbox.client.post("/_mock/tenants", json={"vendor": "cloudfactory", "credential": "cf-key"})
    foreign = sandbox.client.get(path, params={"tenant": "cloudfactory:cf-key"})
    assert foreign.status_code == 400


# -- W6: the gem's older ban, deban, approve and notifications ------------------------------------


def test_a_banned_workers_later_work_never_counts(sandbox: Sandbox) -> None:
    job_id = sandbox.running_job(150)
    worker_id = _trusted_worker(sandbox, job_id)
    banned = sandbox.client.put(
        f"{PREFIX}/jobs/{job_id}/workers/{worker_id}/ban",
        params={"key": KEY},
        headers={"content-length": "0"},
    )
    _said(banned, f"Contributor {worker_id} has been banned.")
    assert sandbox.worker(job_id, worker_id)["banned_at"] == "2014-07-22T12:01:00+00:00"
    earlier = {j["id"] for j in sandbox.judgments(job_id)}
    sandbox.advance(6 * 3600)
    later = [
        j
        for j in sandbox.judgments(job_id)
        if j["worker_id"] == worker_id and j["id"] not in earlier
    ]
    assert later and all(j["tainted"] for j in later)


def test_a_debanned_workers_work_counts_again(sandbox: Sandbox) -> None:
    job_id = sandbox.running_job(150)
    worker_id = _trusted_worker(sandbox, job_id)
    sandbox.call("PUT", f"jobs/{job_id}/workers/{worker_id}/ban")
    _said(
        sandbox.call("PUT", f"jobs/{job_id}/workers/{worker_id}/deban"),
        f"Contributor {worker_id} has been unbanned.",
    )
    assert sandbox.worker(job_id, worker_id)["banned_at"] is None
    seen = {j["id"] for j in sandbox.judgments(job_id)}
    sandbox.advance(6 * 3600)
    after = [
        j for j in sandbox.judgments(job_id) if j["worker_id"] == worker_id and j["id"] not in seen
    ]
    assert after and not all(j["tainted"] for j in after)


def test_lifting_a_ban_keeps_a_flagged_worker_out(sandbox: Sandbox) -> None:
    job_id = sandbox.running_job(150)
    worker_id = _trusted_worker(sandbox, job_id)
    sandbox.call("PUT", f"jobs/{job_id}/workers/{worker_id}/ban")
    sandbox.call("PUT", f"jobs/{job_id}/workers/{worker_id}", {"flag": "Careless"})
    sandbox.call("PUT", f"jobs/{job_id}/workers/{worker_id}/deban")
    seen = {j["id"] for j in sandbox.judgments(job_id)}
    sandbox.advance(6 * 3600)
    later = [
        j for j in sandbox.judgments(job_id) if j["worker_id"] == worker_id and j["id"] not in seen
    ]
    assert later and all(j["tainted"] for j in later)


def test_approve_is_recorded_and_changes_no_judgment(sandbox: Sandbox) -> None:
    job_id = sandbox.running_job(10)
    worker_id = _first_worker(sandbox, job_id)
    before = sandbox.judgments(job_id)
    approved = sandbox.call("PUT", f"jobs/{job_id}/workers/{worker_id}/approve.json")
    _said(approved, f"Contributor {worker_id} has been approved.")
    assert sandbox.worker(job_id, worker_id)["approved_at"] == "2014-07-22T12:01:00+00:00"
    assert sandbox.judgments(job_id) == before


def test_notifications_are_recorded_like_notify(sandbox: Sandbox) -> None:
    job_id = sandbox.running_job(10)
    worker_id = _first_worker(sandbox, job_id)
    sent = sandbox.call(
        "POST", f"jobs/{job_id}/workers/{worker_id}/notifications", {"message": "Well done"}
    )
    _said(sent, f"Notification sent to contributor {worker_id}.")
    notes = sandbox.worker(job_id, worker_id)["notifications"]
    assert [(n["message"], n["subject"]) for n in notes] == [("Well done", None)]
    before = sandbox.snapshot(job_id)
    empty = sandbox.call("POST", f"jobs/{job_id}/workers/{worker_id}/notifications")
    assert (empty.status_code, empty.json()) == (400, MISSING)
    assert sandbox.snapshot(job_id) == before


@pytest.mark.parametrize("action", ["ban", "deban", "approve", "notifications"])
def test_the_legacy_actions_know_only_the_jobs_workers(sandbox: Sandbox, action: str) -> None:
    job_id = sandbox.running_job(5)
    method = "POST" if action == "notifications" else "PUT"
    response = sandbox.call(method, f"jobs/{job_id}/workers/1/{action}", {"message": "Hi"})
    assert (response.status_code, response.json()) == (404, NOT_FOUND)


# -- the legacy judgment reject -----------------------------------------------------------------


def _a_counted_judgment(sandbox: Sandbox, job_id: int) -> dict[str, Any]:
    return next(
        j for j in sandbox.judgments(job_id) if not j["tainted"] and j["unit_state"] == "finalized"
    )


def test_rejecting_a_judgment_with_redo_has_its_unit_judged_again(sandbox: Sandbox) -> None:
    job_id = sandbox.running_job(60, judgments_per_unit="1")
    judgment = _a_counted_judgment(sandbox, job_id)
    rejected = sandbox.call(
        "PUT",
        f"jobs/{job_id}/judgments/{judgment['id']}/reject",
        {"redo": "true", "do_amt_reject": "false"},
    )
    assert rejected.status_code == 200, rejected.text
    assert (rejected.json()["rejected"], rejected.json()["tainted"]) == (True, True)
    unit = sandbox.get(f"jobs/{job_id}/units/{judgment['unit_id']}")
    assert (unit["state"], unit["judgments_count"]) == ("judging", 0)
    assert sandbox.get(f"jobs/{job_id}/ping")["tainted_judgments"] >= 1
    sandbox.advance(6 * 3600)
    judged = sandbox.get(f"jobs/{job_id}/units/{judgment['unit_id']}/judgments")
    assert sandbox.get(f"jobs/{job_id}/units/{judgment['unit_id']}")["state"] == "finalized"
    assert [j["rejected"] for j in judged][:1] == [True] and len(judged) >= 2


def test_rejecting_a_judgment_without_redo_only_marks_it(sandbox: Sandbox) -> None:
    job_id = sandbox.running_job(60, judgments_per_unit="1")
    judgment = _a_counted_judgment(sandbox, job_id)
    unit_before = sandbox.get(f"jobs/{job_id}/units/{judgment['unit_id']}")
    rejected = sandbox.call("PUT", f"jobs/{job_id}/judgments/{judgment['id']}/reject.json")
    assert rejected.status_code == 200, rejected.text
    assert (rejected.json()["rejected"], rejected.json()["tainted"]) == (True, False)
    unit = sandbox.get(f"jobs/{job_id}/units/{judgment['unit_id']}")
    assert (unit["state"], unit["judgments_count"]) == (
        unit_before["state"],
        unit_before["judgments_count"],
    )
    others = [j for j in sandbox.judgments(job_id) if j["id"] != judgment["id"]]
    assert all(j["rejected"] is None for j in others)


def test_rejecting_an_unknown_judgment_is_404(sandbox: Sandbox) -> None:
    job_id = sandbox.running_job(5)
    response = sandbox.call("PUT", f"jobs/{job_id}/judgments/99/reject", {"redo": "true"})
    assert (response.status_code, response.json()) == (404, NOT_FOUND)

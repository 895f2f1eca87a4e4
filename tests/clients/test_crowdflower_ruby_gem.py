"""CrowdFlower's official Ruby gem, replayed: its requests as it builds them, its reads.

The flow is the gem's own ``test/integration_tests.rb``, step by step, against the
sandbox on CrowdFlower's host (``https://api.crowdflower.com``, the gem's default
``domain_base``) and at the bare root of a server on localhost: a blank job and its
channels; a job made by uploading a CSV, more rows uploaded, units pinged and listed,
its design updated, tags added, removed and replaced, an order on three channels, a
channel disabled, a unit made a test question, copied, created and canceled, the job
paused, resumed and canceled, the legend, a copy with all its units; then contributors
(notify, bonus, flag, deflag, reject), judgments, and the six report downloads. The
requests are what :mod:`ruby_gem_wire` says the gem sends; the waits are the test's
``wait_until`` on the sim clock.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from typing import Any
from urllib.parse import unquote

import pytest
from ruby_gem_wire import APIError, RubyGem, to_params
from starlette.testclient import TestClient

from mockserver.app import create_app
from mockserver.settings import Settings

KEY = "Rb4vT8mXc2LpW5sZb1Nd"
ROWS = (
    b"city,country,photo\n"
    b"Lyon,France,https://img.example/lyon.jpg\n"
    b"Porto,Portugal,https://img.example/porto.jpg\n"
    b"Graz,Austria,https://img.example/graz.jpg\n"
    b"Turku,Finland,https://img.example/turku.jpg\n"
    b"Ghent,Belgium,https://img.example/ghent.jpg\n"
    b"Brno,Czechia,https://img.example/brno.jpg\n"
)
CML = (
    '<cml:radios label="Is {{city}} in {{country}}?" validates="required" name="located">'
    '<cml:radio label="Yes" value="yes"></cml:radio><cml:radio label="No" value="no"></cml:radio>'
    '</cml:radios><cml:text label="Where did you check?" validates="required url" '
    'only-if="located:[yes]" name="source_url"></cml:text>'
)
DESIGN = {
    "title": "Job_2: City check",
    "project_number": "PN-1042",
    "instructions": "<p>Say whether the city lies in the country named.</p>",
    "cml": CML,
}


@pytest.fixture(params=["https://api.crowdflower.com", "http://localhost:8080"],
                ids=["default-domain", "bare-root"])  # fmt: skip
def domain_base(request: pytest.FixtureRequest) -> str:
    """The gem's ``domain_base``: its default, or a server on localhost, whose bare root
    knows CrowdFlower by its paths (``/v1/jobs``) among every vendor mounted."""
    return str(request.param)


@pytest.fixture(params=["httparty-0.21", "httparty-0.13"])
def gem(request: pytest.FixtureRequest, domain_base: str) -> Iterator[RubyGem]:
    """The gem on today's HTTParty (keys escaped) and on the 0.13 of its day (keys bare)."""
    settings = Settings(clock="manual", seed=19, rate_limits=False, epoch="2014-05-05T10:00:00Z")
    with TestClient(create_app(settings), base_url=domain_base) as client:

        def advance(seconds: float) -> None:
            moved = client.post("/_mock/clock/advance", json={"seconds": seconds})
            assert moved.status_code == 200, moved.text

        yield RubyGem(client, KEY, advance=advance, escape_keys=request.param == "httparty-0.21")


def uploaded_job(gem: RubyGem) -> int:
    """``Job.upload`` of the CSV, then ``wait_until`` its six units are in."""
    job = gem.job_upload(ROWS, "text/csv")
    gem.wait_until(lambda: gem.job_get(job)["units_count"] == 6)
    return job


def designed_job(gem: RubyGem, **settings: Any) -> int:
    job = uploaded_job(gem)
    gem.job_update(job, {**DESIGN, **settings})
    return job


def finished_job(gem: RubyGem) -> int:
    """A designed job of one judgment a unit, ordered, and judged to the end (the gem's
    test used a finished job of its account; this one is made by the gem's calls)."""
    job = designed_job(gem, judgments_per_unit=1)
    gem.debit(job, 6, ["on_demand"])
    for _ in range(60):
        if gem.job_get(job)["state"] == "finished":
            return job
        gem.advance(60)
    raise AssertionError(f"job {job} never finished")


# -- the wire --------------------------------------------------------------------------------


def test_every_request_has_the_gems_doubled_slash_and_is_served(
    gem: RubyGem, domain_base: str
) -> None:
    created = gem.job_create("Job_1: Connection Check")
    gem.job_get(created["id"])
    gem.job_all()

    for request in gem.sent:
        assert f"{request.url.scheme}://{request.url.netloc.decode()}" == domain_base
        assert request.url.path.startswith("/v1//jobs"), request.url
    first = gem.sent[0]
    key = "job%5Btitle%5D" if gem.escape_keys else "job[title]"
    assert first.url.query.decode() == f"key={KEY}&{key}=Job_1%3A%20Connection%20Check"
    assert first.headers["content-length"] == "0"
    assert first.headers["content-type"] == "application/x-www-form-urlencoded"
    assert first.content == b""


def test_hash_bodies_are_written_as_httparty_writes_them() -> None:
    body = {"debit": {"units_count": 12}, "channels": ["on_demand", "cf_internal"]}
    assert to_params(body) == (
        "debit%5Bunits_count%5D=12&channels%5B%5D=on_demand&channels%5B%5D=cf_internal"
    )
    assert to_params({"amount": 1, "reason": None}) == "amount=1&reason="
    nested = {"unit": {"job_id": 7, "data": {"city": "Lyon"}}}
    assert unquote(to_params(nested)) == "unit[job_id]=7&unit[data][city]=Lyon"
    assert to_params(nested, escape_keys=False) == "unit[job_id]=7&unit[data][city]=Lyon"


# -- integration_tests.rb --------------------------------------------------------------------


def test_a_blank_job_its_channels_and_its_deletion(gem: RubyGem) -> None:
    job_1 = gem.job_create("Job_1: Connection Check")["id"]
    shown = gem.job_get(job_1)
    assert (shown["id"], shown["units_count"]) == (job_1, 0)

    assert gem.channels(job_1)["enabled_channels"] == []
    gem.enable_channels(job_1, "cf_internal")
    assert gem.channels(job_1)["enabled_channels"] == ["cf_internal"]

    assert gem.job_delete(job_1) == {"message": {"success": f"Job {job_1} has been deleted."}}
    # The gem's test expected the deleted job still to read as unordered; the sandbox
    # deletes at once, and the gem reads the 404's message.
    assert gem.job_get(job_1) == {
        "error": {"message": "We couldn't find what you were looking for."}
    }


def test_uploads_ping_and_list_the_units(gem: RubyGem) -> None:
    job_2 = uploaded_job(gem)
    assert gem.job_upload(ROWS, "text/csv", job_2) == job_2
    gem.wait_until(lambda: gem.job_get(job_2)["units_count"] == 12)

    assert gem.units_ping(job_2) == {"count": 12, "done": True}
    assert gem.channels(job_2)["enabled_channels"]  # "Checking that channels are turned on."
    assert len(gem.units_all(job_2)) == 12
    first_page = gem.units_all(job_2, 1, 5)
    assert len(first_page) == 5
    assert gem.units_all(job_2, 3, 5).keys().isdisjoint(first_page)
    assert gem.units_all(job_2, 4, 5) == {}


def test_an_upload_of_other_columns_needs_the_force_option(gem: RubyGem) -> None:
    job_2 = uploaded_job(gem)
    other = b"city,population\nLinz,210000\n"

    with pytest.raises(APIError, match="columns"):
        gem.job_upload(other, "text/csv", job_2)
    gem.job_upload(other, "text/csv", job_2, force=True)
    assert gem.sent[-1].url.query.decode() == f"key={KEY}&force=true"

    assert gem.units_ping(job_2)["count"] == 7


def test_the_design_update_and_the_tags(gem: RubyGem) -> None:
    job_2 = uploaded_job(gem)
    updated = gem.job_update(job_2, DESIGN)
    assert {k: updated[k] for k in DESIGN} == DESIGN
    assert gem.job_get(job_2)["cml"] == CML

    assert gem.tags(job_2) == []
    gem.add_tags(job_2, ["shoes", "glitter"])
    assert sorted(t["name"] for t in gem.tags(job_2)) == ["glitter", "shoes"]
    gem.remove_tags(job_2, ["shoes"])
    assert [t["name"] for t in gem.tags(job_2)] == ["glitter"]
    gem.update_tags(job_2, ["fashion", "fun", "glitter"])
    assert [t["name"] for t in gem.tags(job_2)] == ["fashion", "fun", "glitter"]


def test_an_order_on_three_channels_then_one_disabled(gem: RubyGem) -> None:
    job_2 = designed_job(gem)

    gem.debit(job_2, 6, ["4x4bux_com", "bitcoinget", "cf_internal"])
    gem.wait_until(lambda: gem.job_get(job_2)["state"].lower() == "running")
    enabled = ["4x4bux_com", "bitcoinget", "cf_internal", "on_demand"]
    assert gem.channels(job_2)["enabled_channels"] == enabled

    gem.disable_channel(job_2, "bitcoinget")
    assert gem.channels(job_2)["enabled_channels"] == ["4x4bux_com", "cf_internal", "on_demand"]


def test_unit_methods_and_the_job_state_actions(gem: RubyGem) -> None:
    job_2 = designed_job(gem)
    gem.debit(job_2, 6, ["cf_internal"])
    units = list(gem.units_all(job_2))
    unit_1, unit_2 = units[0], units[1]
    gem.wait_until(lambda: gem.unit_get(job_2, unit_1)["state"] == "judgable")

    gem.make_gold(job_2, unit_1)
    assert gem.unit_get(job_2, unit_1)["state"] == "golden"

    copied = gem.unit_copy(job_2, unit_2, job_2, {"city": "Bergen"})
    assert copied["data"]["city"] == "Bergen"
    assert gem.units_ping(job_2)["count"] == 7
    assert gem.job_get(job_2)["units_count"] == 7  # the gem's 13 of its 12 rows

    created = gem.unit_create(job_2, {"city": "Oslo", "country": "Norway"}, True)
    assert created["data"] == {"city": "Oslo", "country": "Norway"}
    assert gem.unit_get(job_2, created["id"])["state"] == "golden"
    assert gem.units_ping(job_2)["count"] == 8
    assert gem.job_get(job_2)["units_count"] == 8  # test questions count: the gem's 14
    assert gem.job_get(job_2)["golds_count"] == 2

    assert gem.unit_cancel(job_2, unit_2) == {"success": f"Unit {unit_2} has been canceled."}
    assert gem.unit_get(job_2, unit_2)["state"] == "canceled"

    gem.job_pause(job_2)
    assert gem.job_get(job_2)["state"] == "paused"
    gem.job_resume(job_2)
    assert gem.job_get(job_2)["state"] == "running"
    gem.job_cancel(job_2)
    assert gem.job_get(job_2)["state"] == "canceled"

    assert gem.job_legend(job_2)  # "assert !job_2.legend.empty?"


def test_a_copy_with_all_units_is_renamed(gem: RubyGem) -> None:
    job_2 = designed_job(gem)
    created = gem.unit_create(job_2, {"city": "Oslo", "country": "Norway"})
    assert created["state"] == "new"

    job_3 = gem.job_copy(job_2, all_units=True)
    gem.job_update(job_3, {"title": "Job_3: Copy of Job_2"})
    assert gem.job_get(job_3)["title"] == "Job_3: Copy of Job_2"
    gem.wait_until(lambda: gem.job_get(job_3)["units_count"] == 7)
    assert gem.job_get(job_3)["cml"] == CML


def test_more_unit_calls_the_gem_has(gem: RubyGem) -> None:
    job = uploaded_job(gem)
    unit = next(iter(gem.units_all(job)))

    simple = gem.unit_get(job, unit, simple=True)
    assert str(simple["id"]) == unit
    updated = gem.unit_update(job, unit, {"data": {"city": "Lyon 1er"}})
    assert updated["data"]["city"] == "Lyon 1er"

    gem.job_update(job, {"title": "Cities"})
    gem.unit_create(job, {"city": "Tartu Tallinn", "country": "Estonia"})
    gem.units_split(job, "city")
    cities = [gem.unit_get(job, u)["data"]["city"] for u in gem.units_all(job)]
    assert {"Tartu", "Tallinn"} <= set(cities)

    deleted = gem.unit_delete(job, unit)
    assert deleted == {"message": {"success": f"Unit {unit} has been deleted."}}
    assert unit not in gem.units_all(job)


def test_contributors_notify_bonus_flag_deflag_and_reject(gem: RubyGem) -> None:
    job = finished_job(gem)
    judgments = gem.unit_judgments(job, next(iter(gem.units_all(job))))
    worker = judgments[0]["worker_id"]

    for said in (
        gem.notify(job, worker, "Testing notify method."),
        gem.bonus(job, worker, 1, "Here's a bonus for your awesome work!"),
        gem.flag(job, worker, "Testing flag method.", False),
        gem.flag(job, worker, "Testing flag method across all jobs.", True),
        gem.deflag(job, worker, "Testing deflag method."),
        gem.reject(job, worker),
    ):
        assert set(said) == {"success"}, said
    assert gem.sent[-1].headers["content-length"] == "0"
    assert gem.sent[-1].content == b""


def test_judgments_as_the_gem_counts_them(gem: RubyGem) -> None:
    job = finished_job(gem)

    aggregated = gem.judgments_all(job)
    assert len(aggregated) == gem.job_get(job)["judgments_count"] == 6
    unit = next(iter(gem.units_all(job)))
    by_unit = gem.unit_judgments(job, unit)
    assert len(by_unit) == gem.unit_get(job, unit)["judgments_count"]
    one = gem.judgment_get(job, by_unit[0]["id"])
    assert (one["id"], str(one["unit_id"])) == (by_unit[0]["id"], unit)
    assert one["judgment"] == 1  # a unit's first judgment is number 1

    assert gem.judgments_all(job, 2) == {}


@pytest.mark.parametrize("kind", ["full", "aggregated", "source", "gold_report", "workset", "json"])
def test_each_report_downloads_as_a_zip(gem: RubyGem, kind: str) -> None:
    job = finished_job(gem)

    response = gem.download_csv(job, kind)

    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        members = archive.namelist()
        assert len(members) == 1
        content = archive.read(members[0])
    if kind in ("full", "aggregated", "source", "json"):
        assert b"Lyon" in content


def test_the_job_list_pages_with_the_gems_limit_and_page(gem: RubyGem) -> None:
    made = [gem.job_create(f"Job {n:02}")["id"] for n in range(12)]

    first, second, third = gem.job_all(1), gem.job_all(2), gem.job_all(3)

    assert [len(first), len(second), third] == [10, 2, []]
    assert sorted(job["id"] for job in first + second) == sorted(made)

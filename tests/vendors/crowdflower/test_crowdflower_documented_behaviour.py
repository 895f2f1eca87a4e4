"""CrowdFlower behaviour the vendor's own material states: the Ruby gem's integration test,
the documented judgment example, and what the Python clients read from the answers."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from starlette.testclient import TestClient

from mockserver.app import create_app
from mockserver.settings import Settings

KEY = "Dq3vR8nLw5Tz1Kc7Hj2M"
CML = (
    '<cml:radios label="Sentiment" name="sentiment" validates="required">'
    '<cml:radio label="Positive" value="pos"/><cml:radio label="Negative" value="neg"/>'
    "</cml:radios>"
)
CSV = {"content-type": "text/csv"}
# py-figure-eight's ``launch``: the text it turns into its NotEnoughFunds error.
TEAM_OUT_OF_FUNDS = re.compile(
    r".*Your team has \$(?P<has>\d+\.\d+), but this launch will cost \$(?P<needs>\d+\.\d+).*"
)


class Api:
    def __init__(self, client: TestClient) -> None:
        self.client = client

    def call(self, method: str, path: str, host: str | None = None, **kw: Any) -> httpx.Response:
        if host is None:
            url = f"/crowdflower/v1/{path}"
        else:
            url, kw["headers"] = f"/v1/{path}", {**kw.get("headers", {}), "host": host}
        return self.client.request(method, url, params={"key": KEY, **kw.pop("params", {})}, **kw)

    def get(self, path: str) -> Any:
        response = self.call("GET", path)
        assert response.status_code == 200, response.text
        return response.json()

    def upload(self, rows: str) -> dict[str, Any]:
        response = self.call("POST", "jobs/upload", content=rows.encode(), headers=CSV)
        assert response.status_code == 200, response.text
        job: dict[str, Any] = response.json()
        return job

    def design(self, job_id: int, **attrs: str) -> None:
        form = {"job[title]": "Rate tweets", "job[instructions]": "Judge them.", "job[cml]": CML}
        form.update({f"job[{k}]": v for k, v in attrs.items()})
        assert self.call("PUT", f"jobs/{job_id}", data=form).status_code == 200

    def order(self, job_id: int, count: int, *channels: str, host: str | None = None) -> Any:
        form = {"debit[units_count]": str(count)}
        form.update({f"channels[{i}]": name for i, name in enumerate(channels)})
        return self.call("POST", f"jobs/{job_id}/orders", host=host, data=form)


@pytest.fixture
def api() -> Iterator[Api]:
    settings = Settings(clock="manual", seed=11, rate_limits=False, epoch="2014-07-22T12:00:00Z")
    with TestClient(create_app(settings)) as client:
        yield Api(client)


ROWS = "glitter_color,image\n" + "".join(f"color {i},img{i}.png\n" for i in range(12))


def test_test_questions_count_among_the_units_as_the_gems_integration_test_says(
    api: Api,
) -> None:
    job = api.upload(ROWS)
    assert (job["units_count"], job["golds_count"]) == (12, 0)
    first, second = list(api.get(f"jobs/{job['id']}/units"))[:2]

    api.call("PUT", f"jobs/{job['id']}/units/{first}", data={"unit[golden]": "true"})
    copied = api.call(
        "GET", f"jobs/{job['id']}/units/{second}/copy", params={"unit[job_id]": job["id"]}
    )
    assert copied.status_code == 200
    assert api.get(f"jobs/{job['id']}")["units_count"] == 13
    created = api.call(
        "POST",
        f"jobs/{job['id']}/units",
        data={"unit[data][glitter_color]": "white", "unit[golden]": "true"},
    )
    assert created.status_code == 200
    after = api.get(f"jobs/{job['id']}")
    assert (after["units_count"], after["golds_count"]) == (14, 2)


def test_a_job_made_by_upload_has_channels_and_an_order_names_them(api: Api) -> None:
    empty = api.call("POST", "jobs").json()
    assert api.get(f"jobs/{empty['id']}/channels")["enabled_channels"] == []

    job = api.upload(ROWS)
    assert api.get(f"jobs/{job['id']}/channels")["enabled_channels"] != []
    api.design(job["id"])
    assert api.order(job["id"], 12, "cf_internal").status_code == 200
    assert api.get(f"jobs/{job['id']}/channels")["enabled_channels"] == [
        "cf_internal",
        "on_demand",
    ]


def test_the_order_answer_says_how_many_units_it_ordered(api: Api) -> None:
    job = api.upload(ROWS)
    api.design(job["id"])
    order = api.order(job["id"], 5, "cf_internal").json()
    assert order["nuggeted_units_count"] == 5
    assert api.get(f"jobs/{job['id']}/ping")["ordered_units"] == 5


def _short_of_funds(api: Api) -> int:
    api.client.post(
        "/_mock/tenants",
        json={
            "vendor": "crowdflower",
            "credential": KEY,
            "setup": {"account": {"balance_cents": 50}},
        },
    )
    job = api.upload(ROWS)
    api.design(job["id"], payment_cents="1000")
    job_id: int = job["id"]
    return job_id


def test_out_of_funds_on_the_figure_eight_host_is_the_team_eras_text(api: Api) -> None:
    job_id = _short_of_funds(api)
    response = api.order(job_id, 12, "on_demand", host="api.figure-eight.com")
    assert response.status_code == 402
    found = TEAM_OUT_OF_FUNDS.match(response.text)
    assert found is not None and found["has"] == "0.50"
    assert float(found["needs"]) > 0.5
    assert api.get(f"jobs/{job_id}")["state"] == "unordered"


def test_out_of_funds_on_the_crowdflower_host_keeps_the_2014_text(api: Api) -> None:
    job_id = _short_of_funds(api)
    response = api.order(job_id, 12, "on_demand", host="api.crowdflower.com")
    assert response.status_code == 402
    assert TEAM_OUT_OF_FUNDS.match(response.text) is None
    assert response.json()["error"]["message"].startswith(
        "You have $0.50 available but this order will cost $"
    )


def test_a_units_first_judgment_is_number_one_as_documented(api: Api) -> None:
    job = api.upload(ROWS)
    api.design(job["id"], judgments_per_unit="2", units_per_assignment="1")
    unit_id = next(iter(api.get(f"jobs/{job['id']}/units")))
    sent = api.call(
        "POST",
        f"jobs/{job['id']}/judgments",
        data={"judgment[unit_id]": unit_id, "judgment[data][sentiment]": "pos"},
    ).json()
    assert sent["judgment"] == 1

    api.order(job["id"], 12, "on_demand")
    for _ in range(60):
        api.client.post("/_mock/clock/advance", json={"seconds": 60})
    numbers = [j["judgment"] for j in api.get(f"jobs/{job['id']}/units/{unit_id}/judgments")]
    assert numbers[:2] == [1, 2]
    others = next(u for u in api.get(f"jobs/{job['id']}/units") if u != unit_id)
    assert api.get(f"jobs/{job['id']}/units/{others}/judgments")[0]["judgment"] == 1


def test_the_workset_report_lists_a_worker_whose_judgment_came_through_the_api(api: Api) -> None:
    job = api.upload(ROWS)
    unit_id = next(iter(api.get(f"jobs/{job['id']}/units")))
    api.call(
        "POST",
        f"jobs/{job['id']}/judgments",
        data={
            "judgment[unit_id]": unit_id,
            "judgment[worker_id]": "31337",
            "judgment[data][sentiment]": "pos",
        },
    )
    api.call("POST", f"jobs/{job['id']}/regenerate", params={"type": "workset"})
    api.client.post("/_mock/clock/advance", json={"seconds": 10})
    report = api.call("GET", f"jobs/{job['id']}.csv", params={"type": "workset"})
    assert report.status_code == 200
    with zipfile.ZipFile(io.BytesIO(report.content)) as archive:
        rows = list(csv.DictReader(io.StringIO(archive.read(archive.namelist()[0]).decode())))
    assert [(r["worker_id"], r["judgments_count"]) for r in rows] == [("31337", "1")]

"""CrowdFlower end to end: the unmodified PyPI client ``figure-eight-client`` against a
real server on loopback, with a real webhook receiver."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import warnings
import zipfile
from urllib.parse import parse_qs

import httpx

from mockserver.testing import Receiver, ServerThread

with warnings.catch_warnings():
    warnings.simplefilter("ignore", SyntaxWarning)  # the client compares strings with ``is``
    from figure_eight_client import FigureEightClient

KEY = "f8e2e0000000000000000"
CML = (
    '<cml:radios label="Sentiment" validates="required" gold="true">'
    '<cml:radio label="Positive" value="pos"/><cml:radio label="Negative" value="neg"/>'
    "</cml:radios>"
)
ROWS = (
    "tweet,_golden,sentiment_gold\n"
    + "".join(f"tweet {i},,\n" for i in range(6))
    + ("I love it,true,pos\n")
)
REPORTS = ("full", "aggregated", "json", "gold_report", "workset", "source")


def _form(body: bytes) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(body.decode()).items()}


def test_a_full_flow_with_the_real_client(server: ServerThread, receiver: Receiver) -> None:
    base = f"{server.url}/crowdflower/v1"
    client = FigureEightClient(KEY, endpoint=base + "/{path}?key={api_key}")
    hook = receiver.url.replace("http://", "http://hooks:s3cret@") + "/cf"
    with httpx.Client(base_url=server.url, params={"key": KEY}) as http:
        created = http.post(
            "/crowdflower/v1/jobs.json",
            data={
                "job[instructions]": "Is the tweet positive?",
                "job[cml]": CML,
                "job[webhook_uri]": hook,
                "job[gold_per_assignment]": "1",
            },
        )
        job_id = created.json()["id"]

        assert client.set_job_title(job_id, "Tweet sentiment")["title"] == "Tweet sentiment"
        assert client.set_job_price_in_cents_per_page(job_id, 20)["payment_cents"] == 20
        assert client.upload_csv_to_job(job_id, ROWS)["units_count"] == 7
        client.add_tag_to_job(job_id, "e2e")
        assert [j["id"] for j in client.get_jobs()] == [job_id]
        assert len(client.get_job_rows(job_id)) == 7

        client.launch_job(job_id, 6, retry_limit=0, retry_timeout=0)
        for _ in range(48):
            http.post("/_mock/clock/advance", json={"seconds": 1800})
            if http.get(f"/crowdflower/v1/jobs/{job_id}.json").json()["state"] == "finished":
                break
        assert http.get(f"/crowdflower/v1/jobs/{job_id}.json").json()["completed"] is True

        judgments = client.get_judgements_by_job_id(job_id)
        assert len(judgments) == 6
        assert all(row["sentiment"]["agg"] in ("pos", "neg") for row in judgments)
        results = client.get_json_results_by_job_id(job_id, retry_limit=0, retry_timeout=0)
        assert len(results) == 6 and all("sentiment" in r["results"] for r in results)

        for kind in REPORTS:
            report = http.get(f"/crowdflower/v1/jobs/{job_id}.csv", params={"type": kind})
            assert report.status_code == 200, kind
            with zipfile.ZipFile(io.BytesIO(report.content)) as archive:
                (member,) = archive.namelist()
                assert archive.read(member), kind

        copy = client.copy_job(job_id)
        assert len(client.get_job_rows(copy["id"])) == 7
        deliveries = http.get("/_mock/webhooks/deliveries").json()["deliveries"]

    fired = [d["event"] for d in deliveries]
    assert fired[0] == "job_data_processed"
    assert fired.count("unit_complete") == 6 and fired[-1] == "job_complete"
    # Deliveries go out side by side, so they may arrive in another order than fired.
    signals = [_form(r.body)["signal"] for r in receiver.requests]
    assert sorted(signals) == sorted(fired)
    for request in receiver.requests:
        form = _form(request.body)
        assert form["signature"] == hashlib.sha1((form["payload"] + KEY).encode()).hexdigest()
        assert (
            request.headers["Authorization"]
            == "Basic " + base64.b64encode(b"hooks:s3cret").decode()
        )
    [finished] = [
        json.loads(form["payload"])
        for form in map(_form, (r.body for r in receiver.requests))
        if form["signal"] == "job_complete"
    ]
    assert (finished["id"], finished["state"]) == (job_id, "finished")

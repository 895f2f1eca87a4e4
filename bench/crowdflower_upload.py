"""CrowdFlower uploads at scale: rows a second through the ASGI app, then a page and a ping.

Run by hand (never by the test suite)::

    python bench/crowdflower_upload.py            # 100k and 1M rows
    python bench/crowdflower_upload.py 20000      # other sizes

For each size it uploads a CSV into a new job (``POST /v1/jobs/upload``) and the same
rows as JSON Lines into another, then times listing the job's last page of units and
``units/ping``. The unit limit is raised for the run so 10^6 rows fit in one job.
"""

from __future__ import annotations

import sys
import time

from starlette.testclient import TestClient

from mockserver.app import create_app
from mockserver.settings import Settings

KEY = "benchbenchbenchbench"
PREFIX = "/crowdflower/v1"
PAGE = 1000


def csv_body(rows: int) -> bytes:
    lines = ["id,text,image_url,_golden"]
    lines += [
        f'{i},"Some text, number {i}",https://example.com/{i}.jpg,{"true" if i % 50 == 0 else ""}'
        for i in range(rows)
    ]
    return ("\n".join(lines) + "\n").encode()


def json_lines_body(rows: int) -> bytes:
    lines = [
        f'{{"id": {i}, "text": "Some text, number {i}", "image_url": "https://example.com/{i}.jpg"}}'
        for i in range(rows)
    ]
    return ("\n".join(lines) + "\n").encode()


def timed(label: str, call: object) -> float:
    started = time.perf_counter()
    response = call()  # type: ignore[operator]
    elapsed = time.perf_counter() - started
    assert response.status_code == 200, (label, response.status_code, response.text[:200])
    return elapsed


def run(client: TestClient, rows: int) -> None:
    for kind, body, media in (
        ("CSV", csv_body(rows), "text/csv"),
        ("JSON Lines", json_lines_body(rows), "application/json"),
    ):
        started = time.perf_counter()
        response = client.post(
            f"{PREFIX}/jobs/upload",
            params={"key": KEY},
            content=body,
            headers={"content-type": media},
        )
        upload = time.perf_counter() - started
        assert response.status_code == 200, response.text[:200]
        job = response.json()
        assert job["units_count"] + job["golds_count"] == rows
        last = (rows + PAGE - 1) // PAGE
        page = timed(
            "last page",
            lambda job=job, last=last: client.get(
                f"{PREFIX}/jobs/{job['id']}/units", params={"key": KEY, "page": last}
            ),
        )
        ping = timed(
            "ping",
            lambda job=job: client.get(
                f"{PREFIX}/jobs/{job['id']}/units/ping", params={"key": KEY}
            ),
        )
        print(
            f"{rows:>9,} rows {kind:<10} {len(body) / 1e6:7.1f} MB  upload {upload:6.2f} s "
            f"({rows / upload:>9,.0f} rows/s)  last page {page * 1000:6.1f} ms  "
            f"ping {ping * 1000:5.1f} ms"
        )


def main(argv: list[str]) -> None:
    sizes = [int(a) for a in argv] or [100_000, 1_000_000]
    app = create_app(Settings(clock="manual", seed=1, rate_limits=False))
    with TestClient(app) as client:
        registered = client.post(
            "/_mock/tenants",
            json={
                "vendor": "crowdflower",
                "credential": KEY,
                "setup": {"unit_limit": max(sizes) + 1},
            },
        )
        assert registered.status_code == 201, registered.text
        for rows in sizes:
            run(client, rows)


if __name__ == "__main__":
    main(sys.argv[1:])

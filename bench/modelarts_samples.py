"""ModelArts samples at scale: upload rate, then a list page and a describe as the dataset grows.

Run by hand (never by the test suite)::

    python bench/modelarts_samples.py            # up to 10^6 samples
    python bench/modelarts_samples.py 100000     # another size

Samples go in through ``UploadSamplesJson`` in batches of 10,000 over the ASGI app; after
each order of magnitude it times the last page of ``ListSamples``, ``DescribeSample`` and
``DescDataset`` (median of 20 calls each), which should stay flat as the dataset grows.
"""

from __future__ import annotations

import base64
import statistics
import sys
import time
from typing import Any

from starlette.testclient import TestClient

from mockserver.app import create_app
from mockserver.settings import Settings

PROJECT = "0123456789abcdef0123456789abcdef"
BATCH = 10_000
DATA = base64.b64encode(b"\x89PNG tiny").decode()


def median_ms(client: TestClient, url: str, headers: dict[str, str], **params: Any) -> float:
    times = []
    for _ in range(20):
        started = time.perf_counter()
        response = client.get(url, params=params, headers=headers)
        times.append(time.perf_counter() - started)
        assert response.status_code == 200, response.text
    return statistics.median(times) * 1000


def main(total: int) -> None:
    app = create_app(Settings(clock="manual", rate_limits=False, journal_size=0))
    with TestClient(app) as client:
        token = client.post("/modelarts/v3/auth/tokens", json={"auth": {
            "identity": {"methods": ["password"], "password": {"user": {
                "name": "bench", "password": "x", "domain": {"name": "bench"}}}},
            "scope": {"project": {"id": PROJECT}},
        }}).headers["x-subject-token"]  # fmt: skip
        headers = {"X-Auth-Token": token}
        base = f"/modelarts/v2/{PROJECT}/datasets"
        dataset = client.post(base, headers=headers, json={
            "dataset_name": "bench", "dataset_type": 0, "work_path_type": 0,
            "data_sources": [{"data_type": 0, "data_path": "/bench/in/"}],
            "work_path": "/bench/out/",
        }).json()["dataset_id"]  # fmt: skip
        samples = f"{base}/{dataset}/data-annotations/samples"
        uploaded, checkpoint, seconds, last_id = 0, 10_000, 0.0, ""
        while uploaded < total:
            count = min(BATCH, total - uploaded)
            body = {"samples": [{"name": f"img_{uploaded + i:07d}.png", "data": DATA}
                                for i in range(count)]}  # fmt: skip
            started = time.perf_counter()
            response = client.post(samples, json=body, headers=headers)
            seconds += time.perf_counter() - started
            assert response.status_code == 200, response.text[:200]
            last_id = response.json()["results"][-1]["info"]
            uploaded += count
            if uploaded >= checkpoint or uploaded == total:
                page = median_ms(client, samples, headers, offset=uploaded - 10, limit=10)
                one = median_ms(client, f"{samples}/{last_id}", headers)
                desc = median_ms(client, f"{base}/{dataset}", headers)
                print(f"{uploaded:>9,} samples  upload {uploaded / seconds:>9,.0f}/s  "
                      f"last page {page:6.2f} ms  describe sample {one:6.2f} ms  "
                      f"describe dataset {desc:6.2f} ms")  # fmt: skip
                checkpoint *= 10


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)

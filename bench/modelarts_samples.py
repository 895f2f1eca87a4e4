"""ModelArts samples at scale: upload rate, then a list page and a describe as the dataset grows.

Run by hand (never by the test suite)::

    python bench/modelarts_samples.py            # up to 10^6 samples
    python bench/modelarts_samples.py 100000     # another size

Samples go in through ``UploadSamplesJson`` in batches of 10,000 over the ASGI app, every
other one labeled ``cat`` or ``dog``; after each order of magnitude it times (median of 20
calls each) the last page of ``ListSamples``, the last page of the ``dog`` samples,
``DescribeSample``, ``DescDataset`` and the dataset's label and sample statistics. At the
end a two-member team task takes the unlabeled half, and the worker-tasks list, the task's
statistics and the last page of its samples are timed the same way. Every figure should
stay flat as the dataset grows.
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
LABELS: list[list[dict[str, Any]]] = [[], [{"name": "cat"}], [], [{"name": "dog"}]]


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
            body = {"samples": [{"name": f"img_{uploaded + i:07d}.png", "data": DATA,
                                 "labels": LABELS[(uploaded + i) % 4]}
                                for i in range(count)]}  # fmt: skip
            started = time.perf_counter()
            response = client.post(samples, json=body, headers=headers)
            seconds += time.perf_counter() - started
            assert response.status_code == 200, response.text[:200]
            last_id = response.json()["results"][-1]["info"]
            uploaded += count
            if uploaded >= checkpoint or uploaded == total:
                dogs = uploaded // 4
                timings = {
                    "last page": median_ms(client, samples, headers,
                                           offset=uploaded - 10, limit=10),
                    "last dog page": median_ms(client, samples, headers, label_name="dog",
                                               offset=max(dogs - 10, 0), limit=10),
                    "describe sample": median_ms(client, f"{samples}/{last_id}", headers),
                    "describe dataset": median_ms(client, f"{base}/{dataset}", headers),
                    "stats": median_ms(client, f"{base}/{dataset}/data-annotations/stats",
                                       headers),
                }  # fmt: skip
                print(
                    f"{uploaded:>9,} samples  upload {uploaded / seconds:>9,.0f}/s  "
                    + "  ".join(f"{name} {ms:6.2f} ms" for name, ms in timings.items())
                )
                checkpoint *= 10
        team_task(client, headers, base, dataset, uploaded // 2)


def team_task(
    client: TestClient, headers: dict[str, str], base: str, dataset: str, unlabeled: int
) -> None:
    """Hands the unlabeled half to a two-member team, then times what members and owners read."""
    root = f"/modelarts/v2/{PROJECT}"
    team = client.post(f"{root}/workforces", headers=headers,
                       json={"workforce_name": "bench"}).json()["workforce_id"]  # fmt: skip
    for email in ("ann@bench.io", "bob@bench.io"):
        client.post(f"{root}/workforces/{team}/workers", headers=headers,
                    json={"emails": email, "role": 0})  # fmt: skip
    task = client.post(f"{base}/{dataset}/workforce-tasks", headers=headers, json={
        "task_name": "bench", "workforces_config": {"workforces": [{"workforce_id": team}]},
    }).json()["task_id"]  # fmt: skip
    started = time.perf_counter()
    response = client.post(f"{base}/{dataset}/workforce-tasks/{task}", headers=headers)
    assert response.status_code == 200, response.text
    start_ms = (time.perf_counter() - started) * 1000
    one = f"{base}/{dataset}/workforce-tasks/{task}"
    timings = {
        "worker tasks": median_ms(client, f"{root}/workforces/worker-tasks", headers),
        "task with stats": median_ms(client, one, headers, sample_stats="true",
                                     label_stats="true"),
        "task stats": median_ms(client, f"{one}/data-annotations/stats", headers),
        "last task page": median_ms(client, f"{one}/data-annotations/samples", headers,
                                    offset=unlabeled - 10, limit=10),
    }  # fmt: skip
    print(
        f"team task over {unlabeled:,} samples  start {start_ms:,.0f} ms  "
        + "  ".join(f"{name} {ms:6.2f} ms" for name, ms in timings.items())
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)

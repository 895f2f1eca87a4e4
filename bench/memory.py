"""Storage at scale on a fresh server: RSS per stored item, upload rate, flat latency.

CrowdFlower units go in as CSV uploads (the rows/s figure) and ModelArts samples as
``UploadSamplesJson`` batches; at each checkpoint (10, 10^4, 10^6 items by default) a
GET of one item and a list page at the end of the collection are timed, so a lookup or
a page that scans the whole collection shows up as a rising latency.
"""

from __future__ import annotations

import base64
import json
import statistics
import time
from collections.abc import Callable, Sequence
from typing import Any

import httpx

from .scenarios import MA_DATASET, modelarts_token, raise_rate_limits
from .servers import Server

CSV_CHUNK = 100_000  # rows per upload: bounds the transient body in the server's RSS
SAMPLE_BATCH = 10_000
UNITS_PAGE = 1000
SAMPLE_DATA = base64.b64encode(b"\x89PNG tiny").decode()
LABELS: list[list[dict[str, str]]] = [[], [{"name": "cat"}], [], [{"name": "dog"}]]


def median_ms(client: httpx.Client, url: str, samples: int, **kwargs: Any) -> float:
    """Median time the server took over sequential calls, as its own journal measured it.

    The journal times each exchange from the pipeline's first step to the last byte handed
    to the server, so the client's own time and the loopback's do not blur what the
    collection's size costs. A fifth as many calls go first, untimed, to warm up.
    """
    for _ in range(samples // 5):
        client.get(url, **kwargs)
    for _ in range(samples):
        response = client.get(url, **kwargs)
        if response.status_code != 200:
            raise RuntimeError(f"GET {url} answered {response.status_code}: {response.text[:200]}")
    entries = client.get("/_mock/journal", params={"limit": samples}).json()["entries"]
    path = httpx.URL(url).path
    times = [e["duration_ms"] for e in entries if e["path"].startswith(path.split(".json")[0])]
    if len(times) != samples:
        raise RuntimeError(f"the journal holds {len(times)} of the {samples} calls to {url}")
    return statistics.median(times)


def _csv(start: int, rows: int) -> bytes:
    lines = ["id,text,image_url"]
    lines += [
        f'{i},"Some text, number {i}",https://example.com/{i}.jpg'
        for i in range(start, start + rows)
    ]
    return ("\n".join(lines) + "\n").encode()


def flatness(timings: dict[int, float]) -> float:
    """max/min of the latencies across sizes: 1.0 is perfectly flat."""
    values = list(timings.values())
    return max(values) / min(values) if values and min(values) > 0 else float("inf")


def crowdflower_units(
    server: Server, client: httpx.Client, checkpoints: Sequence[int], samples: int
) -> dict[str, Any]:
    key = "benchcrowdflowerscale1"
    total = checkpoints[-1]
    client.post(
        "/_mock/tenants",
        json={"vendor": "crowdflower", "credential": key, "setup": {"unit_limit": total + 1}},
    )
    job = client.post(
        "/crowdflower/v1/jobs.json", params={"key": key}, data={"job[title]": "scale"}
    ).json()["id"]
    rss_before = server.rss_bytes()
    loaded, upload_s = 0, 0.0
    get_ms: dict[int, float] = {}
    page_ms: dict[int, float] = {}
    for checkpoint in checkpoints:
        while loaded < checkpoint:
            rows = min(CSV_CHUNK, checkpoint - loaded)
            body = _csv(loaded, rows)
            started = time.perf_counter()
            response = client.put(
                f"/crowdflower/v1/jobs/{job}/upload.json",
                params={"key": key, "force": "true"},
                content=body,
                headers={"Content-Type": "text/csv"},
            )
            upload_s += time.perf_counter() - started
            if response.status_code != 200:
                raise RuntimeError(f"upload answered {response.status_code}: {response.text}")
            loaded += rows
        last = (loaded + UNITS_PAGE - 1) // UNITS_PAGE
        units = f"/crowdflower/v1/jobs/{job}/units.json"
        page = client.get(units, params={"key": key, "page": last}).json()
        unit = next(iter(page))
        page_ms[checkpoint] = median_ms(client, units, samples, params={"key": key, "page": last})
        get_ms[checkpoint] = median_ms(
            client, f"/crowdflower/v1/jobs/{job}/units/{unit}.json", samples, params={"key": key}
        )
    rss_after = server.rss_bytes()
    return {
        "items": loaded,
        "rss_before": rss_before,
        "rss_after": rss_after,
        "bytes_per_item": (rss_after - rss_before) / loaded,
        "csv_rows_per_s": loaded / upload_s if upload_s else 0.0,
        "get_ms": get_ms,
        "list_page_ms": page_ms,
        "get_flatness": flatness(get_ms),
        # A CrowdFlower page is 1000 units: below that the last page is shorter, so only
        # the checkpoints with a full page are compared.
        "list_page_flatness": flatness({n: ms for n, ms in page_ms.items() if n >= UNITS_PAGE}),
        "list_page_note": f"pages of {UNITS_PAGE} units; flatness over checkpoints >= {UNITS_PAGE}",
    }


def modelarts_samples(
    server: Server, client: httpx.Client, checkpoints: Sequence[int], samples: int
) -> dict[str, Any]:
    project = "5ca1e" + "0" * 27
    headers = {"X-Auth-Token": modelarts_token(client, project)}
    base = f"/modelarts/v2/{project}/datasets"
    dataset = client.post(base, json=MA_DATASET, headers=headers).json()["dataset_id"]
    url = f"{base}/{dataset}/data-annotations/samples"
    rss_before = server.rss_bytes()
    loaded, last_id = 0, ""
    get_ms: dict[int, float] = {}
    page_ms: dict[int, float] = {}
    for checkpoint in checkpoints:
        while loaded < checkpoint:
            count = min(SAMPLE_BATCH, checkpoint - loaded)
            batch = [
                {
                    "name": f"img_{loaded + i:07d}.png",
                    "data": SAMPLE_DATA,
                    "labels": LABELS[(loaded + i) % 4],
                }
                for i in range(count)
            ]
            response = client.post(
                url,
                content=json.dumps({"samples": batch}),
                headers={**headers, "Content-Type": "application/json"},
            )
            if response.status_code != 200:
                raise RuntimeError(f"upload answered {response.status_code}: {response.text}")
            last_id = response.json()["results"][-1]["info"]
            loaded += count
        page_ms[checkpoint] = median_ms(
            client,
            url,
            samples,
            headers=headers,
            params={"offset": max(loaded - 10, 0), "limit": 10},
        )
        get_ms[checkpoint] = median_ms(client, f"{url}/{last_id}", samples, headers=headers)
    rss_after = server.rss_bytes()
    return {
        "items": loaded,
        "rss_before": rss_before,
        "rss_after": rss_after,
        "bytes_per_item": (rss_after - rss_before) / loaded,
        "get_ms": get_ms,
        "list_page_ms": page_ms,
        "get_flatness": flatness(get_ms),
        "list_page_flatness": flatness(page_ms),
    }


def storage_scale(
    server: Server,
    checkpoints: Sequence[int],
    samples: int,
    log: Callable[[str], None] = print,
) -> dict[str, Any]:
    """Both vendors on one fresh server, CrowdFlower first; each RSS delta is its own."""
    with httpx.Client(base_url=server.url, timeout=600.0) as client:
        raise_rate_limits(client)  # sequential timing calls would otherwise meet the limits
        log(f"  loading {checkpoints[-1]:,} CrowdFlower units ...")
        units = crowdflower_units(server, client, checkpoints, samples)
        log(f"  loading {checkpoints[-1]:,} ModelArts samples ...")
        dataset = modelarts_samples(server, client, checkpoints, samples)
    return {
        "checkpoints": list(checkpoints),
        "crowdflower_units": units,
        "modelarts_samples": dataset,
    }

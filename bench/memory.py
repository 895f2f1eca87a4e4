"""Storage at scale on a fresh server: RSS per stored item, upload rate, flat latency.

One server holds, side by side, a collection of each size (10, 10^4 and 10^6 items by
default) per vendor: CrowdFlower jobs loaded by CSV upload (the rows/s figure) and
ModelArts datasets loaded by ``UploadSamplesJson`` batches. Both vendors are loaded before
any timing, so the store as a whole holds over 10^6 items while each collection is
measured, and a lookup or a page that scans the store or its collection shows up as a
latency rising with the collection's size.

Why interleaved rounds rather than one timing per checkpoint while one collection grows:
on a shared machine two adjacent medians of 100 calls agree within 5-10%, but the same
median taken seconds later drifts by half, so timings taken at checkpoints minutes apart
judged the machine, not the size. Each round here times every size within seconds of
the others, and the flatness figure compares each size's share of its round (see
:func:`_summarize`).
"""

from __future__ import annotations

import base64
import json
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx

from .scenarios import MA_DATASET, modelarts_token
from .servers import Server

CSV_CHUNK = 100_000  # rows per upload: bounds the transient body in the server's RSS
SAMPLE_BATCH = 10_000
UNITS_PAGE = 1000
SAMPLE_DATA = base64.b64encode(b"\x89PNG tiny").decode()
LABELS: list[list[dict[str, str]]] = [[], [{"name": "cat"}], [], [{"name": "dog"}]]


@dataclass(frozen=True)
class Probe:
    """One collection's two timed calls: a GET of its last item and its last list page.

    The query sits in the URLs (httpx would replace it with ``params``), so only the
    headers, the same for both calls, travel alongside.
    """

    size: int
    get_url: str
    list_url: str
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Loaded:
    """What loading one vendor's collections left: its figures and what to time."""

    figures: dict[str, Any]
    probes: list[Probe]


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


def flatness(timings: dict[int, float]) -> float:
    """max/min of the latencies across sizes: 1.0 is perfectly flat."""
    values = list(timings.values())
    return max(values) / min(values) if values and min(values) > 0 else float("inf")


def _summarize(name: str, by_round: list[dict[int, float]], least: int) -> dict[str, Any]:
    """Per-size medians across rounds for the table, and the flatness figure.

    Each round's timings are divided by that round's mean, which takes out the
    machine's drift between rounds; each size's median of those shares across rounds
    takes out most of the noise left, and flatness is the max/min of the medians. (The
    max/min of every round, also kept, reads about 1.1 even for a flat collection: the
    largest of three noisy timings over the smallest.) Only sizes of at least ``least``
    items enter it: a smaller collection's page may be shorter and so not comparable.
    """
    compared = [{n: ms for n, ms in timings.items() if n >= least} for timings in by_round]
    shares = [{n: ms / statistics.fmean(t.values()) for n, ms in t.items()} for t in compared]
    typical = {n: statistics.median(share[n] for share in shares) for n in shares[0]}
    return {
        f"{name}_ms": {n: statistics.median(r[n] for r in by_round) for n in by_round[0]},
        f"{name}_round_ratios": [flatness(timings) for timings in compared],
        f"{name}_flatness": flatness(typical),
    }


def interleaved_rounds(
    client: httpx.Client, probes: Sequence[Probe], rounds: int, samples: int, list_from: int = 0
) -> dict[str, Any]:
    """Every size's GET, then every size's list page, in each of ``rounds`` rounds.

    The sizes of one ratio are timed seconds apart, so the machine's drift, which dwarfs
    what the sizes cost, mostly cancels in each round's max/min. ``list_from`` is the
    least size whose list page enters the list ratio.
    """
    gets: list[dict[int, float]] = []
    pages: list[dict[int, float]] = []
    for _ in range(rounds):
        gets.append(
            {p.size: median_ms(client, p.get_url, samples, headers=p.headers) for p in probes}
        )
        pages.append(
            {p.size: median_ms(client, p.list_url, samples, headers=p.headers) for p in probes}
        )
    return {**_summarize("get", gets, 0), **_summarize("list_page", pages, list_from)}


def _csv(start: int, rows: int) -> bytes:
    lines = ["id,text,image_url"]
    lines += [
        f'{i},"Some text, number {i}",https://example.com/{i}.jpg'
        for i in range(start, start + rows)
    ]
    return ("\n".join(lines) + "\n").encode()


def _upload_units(client: httpx.Client, key: str, job: int, count: int) -> float:
    """Fills a job by CSV uploads of at most ``CSV_CHUNK`` rows; the seconds they took."""
    seconds = 0.0
    for start in range(0, count, CSV_CHUNK):
        body = _csv(start, min(CSV_CHUNK, count - start))
        started = time.perf_counter()
        response = client.put(
            f"/crowdflower/v1/jobs/{job}/upload.json",
            params={"key": key, "force": "true"},
            content=body,
            headers={"Content-Type": "text/csv"},
        )
        seconds += time.perf_counter() - started
        if response.status_code != 200:
            raise RuntimeError(f"upload answered {response.status_code}: {response.text}")
    return seconds


def _unit_probe(client: httpx.Client, key: str, job: int, size: int) -> Probe:
    """The job's last page of units and the first unit on it."""
    last_page = (size + UNITS_PAGE - 1) // UNITS_PAGE
    units = f"/crowdflower/v1/jobs/{job}/units"
    list_url = str(httpx.URL(f"{units}.json", params={"key": key, "page": last_page}))
    unit = next(iter(client.get(list_url).json()))
    get_url = str(httpx.URL(f"{units}/{unit}.json", params={"key": key}))
    return Probe(size, get_url, list_url)


def crowdflower_units(server: Server, client: httpx.Client, sizes: Sequence[int]) -> Loaded:
    """One job per size, filled by CSV upload; RSS and rows/s over all the uploads."""
    key = "benchcrowdflowerscale1"
    client.post(
        "/_mock/tenants",
        json={"vendor": "crowdflower", "credential": key, "setup": {"unit_limit": max(sizes) + 1}},
    )
    rss_before = server.rss_bytes()
    probes, upload_s = [], 0.0
    for size in sizes:
        job = client.post(
            "/crowdflower/v1/jobs.json", params={"key": key}, data={"job[title]": f"scale {size}"}
        ).json()["id"]
        upload_s += _upload_units(client, key, job, size)
        probes.append(_unit_probe(client, key, job, size))
    rss_after, items = server.rss_bytes(), sum(sizes)
    figures = {
        "items": items,
        "rss_before": rss_before,
        "rss_after": rss_after,
        "bytes_per_item": (rss_after - rss_before) / items,
        "csv_rows_per_s": items / upload_s if upload_s else 0.0,
        "list_page_note": f"pages of {UNITS_PAGE} units; flatness over sizes >= {UNITS_PAGE}",
    }
    return Loaded(figures, probes)


def _upload_samples(client: httpx.Client, url: str, headers: dict[str, str], count: int) -> str:
    """Fills a dataset by ``UploadSamplesJson`` batches; the last sample's id."""
    last_id = ""
    for start in range(0, count, SAMPLE_BATCH):
        batch = [
            {"name": f"img_{i:07d}.png", "data": SAMPLE_DATA, "labels": LABELS[i % 4]}
            for i in range(start, min(start + SAMPLE_BATCH, count))
        ]
        response = client.post(
            url,
            content=json.dumps({"samples": batch}),
            headers={**headers, "Content-Type": "application/json"},
        )
        if response.status_code != 200:
            raise RuntimeError(f"upload answered {response.status_code}: {response.text}")
        last_id = response.json()["results"][-1]["info"]
    return last_id


def modelarts_samples(server: Server, client: httpx.Client, sizes: Sequence[int]) -> Loaded:
    """One dataset per size, filled by sample batches; RSS over all of them."""
    project = "5ca1e" + "0" * 27
    headers = {"X-Auth-Token": modelarts_token(client, project)}
    base = f"/modelarts/v2/{project}/datasets"
    rss_before = server.rss_bytes()
    probes = []
    for size in sizes:
        named = {**MA_DATASET, "dataset_name": f"scale_{size}"}
        dataset = client.post(base, json=named, headers=headers).json()["dataset_id"]
        url = f"{base}/{dataset}/data-annotations/samples"
        last_id = _upload_samples(client, url, headers, size)
        page = str(httpx.URL(url, params={"offset": max(size - 10, 0), "limit": 10}))
        probes.append(Probe(size, f"{url}/{last_id}", page, headers))
    rss_after, items = server.rss_bytes(), sum(sizes)
    figures = {
        "items": items,
        "rss_before": rss_before,
        "rss_after": rss_after,
        "bytes_per_item": (rss_after - rss_before) / items,
    }
    return Loaded(figures, probes)


def storage_scale(
    server: Server,
    sizes: Sequence[int],
    rounds: int,
    samples: int,
    log: Callable[[str], None] = print,
) -> dict[str, Any]:
    """Both vendors loaded on one fresh server, CrowdFlower first, then both timed.

    Each vendor's RSS delta is taken around its own loading only, before any timing call
    fills the journal with list pages.
    """
    with httpx.Client(base_url=server.url, timeout=600.0) as client:
        log(f"  loading CrowdFlower jobs of {', '.join(f'{n:,}' for n in sizes)} units ...")
        units = crowdflower_units(server, client, sizes)
        log(f"  loading ModelArts datasets of {', '.join(f'{n:,}' for n in sizes)} samples ...")
        dataset = modelarts_samples(server, client, sizes)
        log(f"  timing {rounds} interleaved rounds of every size ...")
        units.figures |= interleaved_rounds(client, units.probes, rounds, samples, UNITS_PAGE)
        dataset.figures |= interleaved_rounds(client, dataset.probes, rounds, samples)
    return {
        "checkpoints": list(sizes),
        "rounds": rounds,
        "crowdflower_units": units.figures,
        "modelarts_samples": dataset.figures,
    }

"""Result reports: a zip archive holding one CSV (or JSON Lines) file.

FOUND: ``GET /jobs/{id}.csv?type=full|aggregated|json|gold_report|workset|source``
(legacy ``full=true|false``) answers a zip with one member, which every client
reads as the first entry; ``full`` has one row per judgment with the columns
``_unit_id, _created_at (m/d/yyyy hh:mm:ss), _golden, _canary, _id, _missed,
_started_at, _tainted, _channel, _trust, _worker_id, _country, _region, _city,
_ip`` then the answers and the source columns; ``json`` is one unit per line.
INFERRED: the member names, and the columns of aggregated, gold_report, workset
and source, after the full report's conventions.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import Any

from . import cml, results
from .backend import CrowdFlowerWorld
from .backend.jobs import Job
from .backend.units import Unit

MEMBER = {
    "full": "f{id}.csv",
    "aggregated": "a{id}.csv",
    "json": "job_{id}.json",
    "gold_report": "gold_report{id}.csv",
    "workset": "workset{id}.csv",
    "source": "source{id}.csv",
}
FULL_COLUMNS = (
    "_unit_id", "_created_at", "_golden", "_canary", "_id", "_missed", "_started_at",
    "_tainted", "_channel", "_trust", "_worker_id", "_country", "_region", "_city", "_ip",
)  # fmt: skip


def archive(world: CrowdFlowerWorld, job: Job, kind: str) -> tuple[str, bytes]:
    """The report's zip file name and bytes.

    Written once for each state of what it shows (the job's form, units and
    judgments) and kept on the job: clients download a report over and over while
    nothing changes, and writing it walks every judgment and compresses the lot.
    """
    written: tuple[str, bytes] = job.shown.get(
        "report " + kind, job.revision, lambda: _archive(world, job, kind)
    )
    return written


def _archive(world: CrowdFlowerWorld, job: Job, kind: str) -> tuple[str, bytes]:
    member = MEMBER[kind].format(id=job.id)
    body = _json_lines(world, job) if kind == "json" else _csv(_rows(world, job, kind))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zipped:
        zipped.writestr(member, body)
    return f"{kind}{job.id}.zip", buffer.getvalue()


def _when(instant: float) -> str:
    moment = datetime.fromtimestamp(instant, UTC)
    return f"{moment.month}/{moment.day}/{moment.year} {moment:%H:%M:%S}"


def _columns(job: Job) -> list[str]:
    seen: dict[str, None] = {}
    for unit in job.units:
        seen.update(dict.fromkeys(unit.data))
    return list(seen)


def _csv(rows: Iterator[list[Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for row in rows:
        writer.writerow(["" if v is None else _cell(v) for v in row])
    return out.getvalue()


def _cell(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "\n".join(str(v) for v in value)
    return value


def _rows(world: CrowdFlowerWorld, job: Job, kind: str) -> Iterator[list[Any]]:
    fields = [f.name for f in cml.parse(job["cml"]).fields]
    source = _columns(job)
    if kind == "full":
        yield [*FULL_COLUMNS, *fields, *source]
        for judgment in job.judgments:
            unit = job.units.get(judgment.unit_id)
            data = {} if unit is None else unit.data
            yield [
                judgment.unit_id, _when(judgment.created_at), judgment.golden, "",
                judgment.id, judgment.missed, _when(judgment.started_at), judgment.tainted,
                judgment.channel, judgment.trust, judgment.worker_id, judgment.country,
                judgment.region, judgment.city, judgment.ip,
                *(judgment.data.get(f) for f in fields), *(data.get(c) for c in source),
            ]  # fmt: skip
    elif kind == "aggregated":
        confidence = [f"{f}:confidence" for f in fields]
        yield [
            "_unit_id",
            "_golden",
            "_unit_state",
            "_trusted_judgments",
            "_last_judgment_at",
            *(c for pair in zip(fields, confidence, strict=True) for c in pair),
            *source,
        ]
        for unit in _plain(job.units):
            aggregated = world.results(job, unit)
            trusted = job.judgments.trusted(unit.id)
            last = max((j.created_at for j in trusted), default=None)
            answers = [
                (aggregated.get(f, {}).get("agg"), aggregated.get(f, {}).get("confidence"))
                for f in fields
            ]
            yield [
                unit.id,
                unit.golden,
                unit.state,
                len(trusted),
                None if last is None else _when(last),
                *(v for pair in answers for v in pair),
                *(unit.data.get(c) for c in source),
            ]
    elif kind == "gold_report":
        yield ["_unit_id", "_judgments", "_missed", *source]
        for unit in job.units.golds():
            seen = job.judgments.of_unit(unit.id)
            yield [
                unit.id,
                len(seen),
                sum(1 for j in seen if j.missed),
                *(unit.data.get(c) for c in source),
            ]
    elif kind == "workset":
        yield [
            "worker_id",
            "external_type",
            "judgments_count",
            "golds_count",
            "missed_count",
            "trust_overall",
            "country",
            "region",
            "city",
            "last_ip",
        ]
        yield from _workset(job)
    else:
        yield source
        for unit in job.units:
            yield [unit.data.get(c) for c in source]


def _plain(units: Iterable[Unit]) -> Iterator[Unit]:
    return (u for u in units if not u.golden)


def _workset(job: Job) -> Iterator[list[Any]]:
    latest: dict[int, Any] = {}
    counts: dict[int, int] = {}
    for judgment in job.judgments:
        latest[judgment.worker_id] = judgment
        counts[judgment.worker_id] = counts.get(judgment.worker_id, 0) + 1
    for worker_id, judgment in latest.items():
        record = job.judgments.workers[worker_id]
        yield [
            worker_id,
            judgment.channel,
            counts[worker_id],
            record.golds_seen,
            record.golds_missed,
            round(record.trust, 4),
            judgment.country,
            judgment.region,
            judgment.city,
            judgment.ip,
        ]


def _json_lines(world: CrowdFlowerWorld, job: Job) -> str:
    lines = (
        json.dumps(
            results.unit_document(job, unit, world.results(job, unit)),
            ensure_ascii=False,
            separators=(",", ":"),
        )
        for unit in _plain(job.units)
    )
    return "".join(line + "\n" for line in lines)

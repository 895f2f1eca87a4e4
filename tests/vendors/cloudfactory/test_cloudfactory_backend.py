"""CloudFactory's WorkStream Performance backend without HTTP: records and their checks."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from mockserver.core.errors import InvalidInput
from mockserver.vendors.cloudfactory.backend.performance import INGEST_BATCH
from mockserver.vendors.cloudfactory.errors import WorkstreamForbidden

WS = "ws-1"

QUALITY: dict[str, Any] = {
    "workstream_id": WS,
    "use_case_id": "uc-1",
    "task_definition_id": "td-1",
    "worker_id": "worker@cf.example",
    "review_completed_at": "2020-12-22T10:13:24.127Z",
    "review_score": 0.78,
}
THROUGHPUT: dict[str, Any] = {
    "worker_id": "worker@cf.example",
    "use_case_id": "uc-1",
    "task_definition_id": "td-1",
    "task_started_at": "2020-12-22T09:13:24.127Z",
    "task_completed_at": "2020-12-22T10:13:24.127Z",
}

MakeWorld = Callable[..., Any]


def fields_of(error: InvalidInput) -> list[str]:
    return [e.field for e in error.errors]


# -- WorkStream Performance -------------------------------------------------------------------


def test_a_large_upload_is_ingested_a_batch_at_a_time_and_a_file_put_meanwhile_replaces_it(
    make_world: MakeWorld,
) -> None:
    """Between batches the server answers others; the upload is ``processing`` until
    its last row is in. A second file PUT meanwhile is the one processed: the first
    one's ingest stops at its next batch."""
    h = make_world()
    performance = h.world.performance
    upload = performance.new_upload(WS, file_name="big.csv", kind="throughput")
    rows = [
        (line, {**THROUGHPUT, "unique_id": f"u-{line}"}) for line in range(2, 2 * INGEST_BATCH + 7)
    ]
    first = performance.ingesting(upload, "throughput", rows, [], 1234)
    next(first)
    assert (upload.state, upload.accepted) == ("processing", INGEST_BATCH)
    assert performance.claim_upload(upload.token) is upload

    replacement = rows[:3]
    assert list(performance.ingesting(upload, "throughput", replacement, [], 99)) == []
    assert list(first) == []  # superseded: stops without another row
    assert (upload.state, upload.accepted, upload.rows, upload.size) == ("processed", 3, 3, 99)
    assert len(performance.workstreams[WS].records) == INGEST_BATCH  # its rows replaced theirs

    again = list(performance.ingesting(upload, "throughput", rows, [], 1234))
    assert len(again) == 2  # two full batches
    assert (upload.state, upload.accepted, upload.rows) == ("processed", len(rows), len(rows))
    assert len(performance.workstreams[WS].records) == len(rows)


def test_quality_record_is_stored_as_sent_from_the_api(make_world: MakeWorld) -> None:
    h = make_world()
    record = h.world.performance.report("quality", WS, QUALITY)
    (stored,) = h.world.performance.workstreams[WS].records
    assert stored is record
    assert (record.kind, record.workstream_id, record.data_source) == ("quality", WS, "api")
    assert record.fields == QUALITY
    assert record.received_at == h.epoch
    assert h.world.summary()["quality_records"] == 1


def test_throughput_duration_is_completed_minus_started_and_task_count_defaults_to_one(
    make_world: MakeWorld,
) -> None:
    h = make_world()
    record = h.world.performance.report("throughput", WS, THROUGHPUT)
    assert record.fields["duration"] == 3600.0
    assert record.fields["task_count"] == 1
    assert record.fields["data_source"] == record.data_source == "api"


def test_throughput_keeps_a_given_duration_and_task_count(make_world: MakeWorld) -> None:
    h = make_world()
    record = h.world.performance.report(
        "throughput", WS, {**THROUGHPUT, "duration": 42, "task_count": 5}
    )
    assert (record.fields["duration"], record.fields["task_count"]) == (42, 5)


def test_records_carry_the_data_source_they_came_from(make_world: MakeWorld) -> None:
    h = make_world()
    record = h.world.performance.report(
        "throughput", WS, THROUGHPUT, data_source="csv_automated", upload="ws-1/f.csv"
    )
    assert record.data_source == record.fields["data_source"] == "csv_automated"
    assert record.upload == "ws-1/f.csv"


def test_unique_id_with_replace_duplicate_replaces_the_stored_record(make_world: MakeWorld) -> None:
    h = make_world()
    performance = h.world.performance
    first = performance.report("quality", WS, {**QUALITY, "unique_id": "u-1"})
    h.clock.advance(60)
    again = performance.report("quality", WS, {**QUALITY, "unique_id": "u-1", "review_score": 0.1})
    assert again is first
    assert performance.workstreams[WS].records == [first]
    assert first.replaced == 1
    assert first.fields["review_score"] == 0.1
    assert first.received_at == h.epoch + 60


def test_replace_duplicate_false_keeps_the_first_record(make_world: MakeWorld) -> None:
    h = make_world()
    performance = h.world.performance
    first = performance.report("quality", WS, {**QUALITY, "unique_id": "u-1"})
    repeat = {**QUALITY, "unique_id": "u-1", "review_score": 0.1, "replace_duplicate": False}
    assert performance.report("quality", WS, repeat) is first
    assert performance.workstreams[WS].records == [first]
    assert (first.replaced, first.fields["review_score"]) == (0, 0.78)


def test_a_csv_row_replacing_an_api_record_takes_its_data_source(make_world: MakeWorld) -> None:
    h = make_world()
    performance = h.world.performance
    record = performance.report("throughput", WS, {**THROUGHPUT, "unique_id": "u-1"})
    performance.report(
        "throughput", WS, {**THROUGHPUT, "unique_id": "u-1"}, data_source="csv_automated"
    )
    assert record.replaced == 1
    assert record.data_source == record.fields["data_source"] == "csv_automated"


@pytest.mark.parametrize("changed", ["use_case_id", "task_definition_id"])
def test_the_same_unique_id_in_another_use_case_or_definition_is_another_record(
    make_world: MakeWorld,
    changed: str,
) -> None:
    h = make_world()
    performance = h.world.performance
    performance.report("quality", WS, {**QUALITY, "unique_id": "u-1"})
    performance.report("quality", WS, {**QUALITY, "unique_id": "u-1", changed: "other"})
    records = performance.workstreams[WS].records
    assert len(records) == 2
    assert [r.replaced for r in records] == [0, 0]


def test_quality_and_throughput_unique_ids_do_not_collide(make_world: MakeWorld) -> None:
    h = make_world()
    performance = h.world.performance
    performance.report("quality", WS, {**QUALITY, "unique_id": "u-1"})
    performance.report("throughput", WS, {**THROUGHPUT, "unique_id": "u-1"})
    workstream = performance.workstreams[WS]
    assert (workstream.count("quality"), workstream.count("throughput")) == (1, 1)
    assert [r.replaced for r in workstream.records] == [0, 0]


def test_without_unique_id_every_report_is_a_new_record(make_world: MakeWorld) -> None:
    h = make_world()
    for _ in range(3):
        h.world.performance.report("quality", WS, QUALITY)
    records = h.world.performance.workstreams[WS].records
    assert [r.id for r in records] == [1, 2, 3]


def test_a_body_workstream_other_than_the_path_is_refused_and_nothing_stored(
    make_world: MakeWorld,
) -> None:
    h = make_world()
    with pytest.raises(InvalidInput) as refused:
        h.world.performance.report("quality", WS, {**QUALITY, "workstream_id": "ws-other"})
    assert fields_of(refused.value) == ["workstream_id"]
    assert h.world.performance.workstreams == {}


CONFIGURED = {
    "workstreams": [{"id": WS, "use_case_ids": ["uc-1"], "task_definition_ids": ["td-1"]}]
}


@pytest.mark.parametrize("unknown", ["use_case_id", "task_definition_id"])
def test_a_configured_workstream_refuses_unknown_ids_and_stores_nothing(
    make_world: MakeWorld, unknown: str
) -> None:
    h = make_world(CONFIGURED)
    with pytest.raises(InvalidInput) as refused:
        h.world.performance.report("throughput", WS, {**THROUGHPUT, unknown: "nope"})
    assert fields_of(refused.value) == [unknown]
    assert "not configured" in refused.value.errors[0].message
    assert h.world.summary()["throughput_records"] == 0
    h.world.performance.report("throughput", WS, THROUGHPUT)
    assert h.world.summary()["throughput_records"] == 1


def test_a_strict_tenant_is_forbidden_unprovisioned_workstreams(make_world: MakeWorld) -> None:
    h = make_world(CONFIGURED, strict=True)
    performance = h.world.performance
    with pytest.raises(WorkstreamForbidden) as refused:
        performance.check_access("ws-unknown")
    assert refused.value.status == 403
    with pytest.raises(WorkstreamForbidden):
        performance.report("quality", "ws-unknown", {**QUALITY, "workstream_id": "ws-unknown"})
    assert performance.workstreams == {}
    performance.check_access(WS)
    assert performance.report("quality", WS, QUALITY).workstream_id == WS


def test_an_open_tenant_provisions_a_workstream_on_its_first_record_only(
    make_world: MakeWorld,
) -> None:
    h = make_world()
    h.world.performance.check_access("ws-new")
    assert h.world.performance.workstreams == {}
    h.world.performance.report("quality", "ws-new", {**QUALITY, "workstream_id": "ws-new"})
    assert list(h.world.performance.workstreams) == ["ws-new"]


def test_completed_before_started_is_refused(make_world: MakeWorld) -> None:
    h = make_world()
    body = {**THROUGHPUT, "task_completed_at": "2020-12-22T09:13:24.126Z"}
    with pytest.raises(InvalidInput) as refused:
        h.world.performance.report("throughput", WS, body)
    assert fields_of(refused.value) == ["task_completed_at"]
    assert h.world.performance.workstreams == {}


def test_the_summary_counts_every_resource(make_world: MakeWorld) -> None:
    h = make_world()
    h.world.performance.report("quality", WS, QUALITY)
    h.world.performance.report("throughput", WS, THROUGHPUT)
    h.world.oversight.submit({"media_key": h.uploaded(), "configuration_id": "cfg-1"})
    assert h.world.summary() == {
        "workstreams": 1,
        "quality_records": 1,
        "throughput_records": 1,
        "performance_uploads": 0,
        "configurations": 1,
        "media": 1,
        "tasks": 1,
    }

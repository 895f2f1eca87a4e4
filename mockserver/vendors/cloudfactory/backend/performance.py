"""WorkStream Performance: quality and throughput records, and bulk CSV uploads.

CloudFactory stores one record per reported task. ``unique_id`` makes a report
idempotent within (workstream, use case, task definition): with
``replace_duplicate`` true (the default) a repeat replaces the stored attributes.
The documentation's sentence for ``false`` is ambiguous; here (INFERRED) it means
first write wins: the stored record is kept and the repeat is dropped. Either way
the API still answers 202, since processing is asynchronous.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from mockserver.core.clock import parse_instant
from mockserver.core.errors import FieldError, InvalidInput
from mockserver.core.vendor import WorldContext

from ..errors import UploadExpired, UploadNotFound, WorkstreamForbidden
from .provisioning import Provisioning, WorkstreamConfig

RecordKind = Literal["quality", "throughput"]

UPLOAD_TTL = 3600.0  # INFERRED: pre-signed URLs live an hour, like S3's default
INGEST_BATCH = 2_000  # rows between yields of an upload's ingest: about 8 ms of work


@dataclass(slots=True)
class Record:
    id: int
    kind: RecordKind
    workstream_id: str
    received_at: float
    fields: dict[str, Any]
    data_source: str
    replaced: int = 0
    upload: str | None = None


@dataclass(slots=True)
class Workstream:
    id: str
    config: WorkstreamConfig | None
    records: list[Record] = field(default_factory=list)
    _by_unique: dict[tuple[str, str, str, str], Record] = field(default_factory=dict)

    def count(self, kind: RecordKind) -> int:
        return sum(1 for r in self.records if r.kind == kind)


@dataclass(slots=True)
class RowError:
    line: int
    field: str
    error: str


@dataclass(slots=True)
class PerformanceUpload:
    """A pre-signed URL for one performance CSV, and what became of the file."""

    token: str
    workstream_id: str
    file_key: str
    file_name: str
    kind: RecordKind | None
    created_at: float
    expires_at: float
    state: Literal["waiting", "processing", "processed", "rejected"] = "waiting"
    received_at: float | None = None
    size: int = 0
    rows: int = 0
    accepted: int = 0
    errors: list[RowError] = field(default_factory=list)
    message: str | None = None
    files: int = 0  # how many files were PUT to the URL; the latest is the one processed


class Performance:
    """One tenant's workstreams, their records and their CSV uploads."""

    def __init__(self, context: WorldContext, provisioning: Provisioning) -> None:
        self._context = context  # not its register_upload: a bound method is an object more
        self._clock = context.clock
        self._rng = context.rng
        self._provisioning = provisioning
        self._strict = context.strict
        self.workstreams: dict[str, Workstream] = {}
        self.uploads: dict[str, PerformanceUpload] = {}
        self._record_seq = 0

    # -- access ----------------------------------------------------------------------------

    def workstream(self, workstream_id: str) -> Workstream:
        """The workstream, provisioned on first use unless the tenant is strict.

        A strict tenant's key only opens the workstreams provisioned for it; any other
        is refused with 403, as the gateway refuses a key of another workstream.
        """
        found = self.workstreams.get(workstream_id)
        if found is not None:
            return found
        config = self._provisioning.workstreams.get(workstream_id)
        if config is None and self._strict:  # FOUND: see WorkstreamForbidden
            raise WorkstreamForbidden()
        created = self.workstreams[workstream_id] = Workstream(workstream_id, config)
        return created

    def check_access(self, workstream_id: str) -> None:
        """Refuses a workstream the key cannot open, without provisioning it."""
        if (
            self._strict
            and workstream_id not in self.workstreams
            and workstream_id not in self._provisioning.workstreams
        ):
            raise WorkstreamForbidden()

    # -- records ---------------------------------------------------------------------------

    def report(
        self,
        kind: RecordKind,
        workstream_id: str,
        fields: Mapping[str, Any],
        *,
        data_source: str = "api",
        upload: str | None = None,
    ) -> Record:
        """Stores a schema-valid quality or throughput report, after the domain checks."""
        problems = self.problems(kind, workstream_id, fields)
        if problems:
            raise InvalidInput(problems)
        workstream = self.workstream(workstream_id)
        stored = dict(fields)
        if kind == "throughput":
            stored.setdefault("task_count", 1)
            stored.setdefault("subtask_count", None)
            stored.setdefault("data_source", data_source)
            if "duration" not in stored:
                # FOUND: without a duration the server computes completed - started.
                stored["duration"] = parse_instant(stored["task_completed_at"]) - parse_instant(
                    stored["task_started_at"]
                )
        source = str(stored.get("data_source", data_source))
        key = self._unique_key(kind, stored)
        existing = workstream._by_unique.get(key) if key else None
        if existing is not None:
            if stored.get("replace_duplicate", True):
                existing.fields = stored
                existing.received_at = self._clock.now()
                existing.replaced += 1
                existing.upload = upload
                existing.data_source = source
            return existing
        self._record_seq += 1
        record = Record(
            self._record_seq, kind, workstream_id, self._clock.now(), stored, source, upload=upload
        )
        workstream.records.append(record)
        if key:
            workstream._by_unique[key] = record
        return record

    def problems(
        self, kind: RecordKind, workstream_id: str, fields: Mapping[str, Any]
    ) -> list[FieldError]:
        """The domain rules a schema cannot say, checked before anything is stored."""
        found: list[FieldError] = []
        body_workstream = fields.get("workstream_id")
        # INFERRED, kept as safe: the documented example names the same workstream in
        # the path and the body; a body naming another is a client's mistake to show.
        if body_workstream is not None and body_workstream != workstream_id:
            found.append(FieldError("workstream_id", "does not match the workstream in the path"))
        config = self._provisioning.workstreams.get(workstream_id)
        if config is not None:
            # The docs: use case and task definition "are validated against the WorkStream
            # configuration". An open-mode workstream has no configuration to check against.
            if config.use_case_ids and fields.get("use_case_id") not in config.use_case_ids:
                found.append(FieldError("use_case_id", "is not configured for this workstream"))
            if (
                config.task_definition_ids
                and fields.get("task_definition_id") not in config.task_definition_ids
            ):
                found.append(
                    FieldError("task_definition_id", "is not configured for this workstream")
                )
        # INFERRED, kept as safe: FOUND, a missing duration is completed - started, which
        # must not be negative; a task is completed after it started.
        if kind == "throughput" and "task_started_at" in fields and "task_completed_at" in fields:
            started = parse_instant(fields["task_started_at"])
            if parse_instant(fields["task_completed_at"]) < started:
                found.append(FieldError("task_completed_at", "must not be before task_started_at"))
        return found

    @staticmethod
    def _unique_key(
        kind: RecordKind, fields: Mapping[str, Any]
    ) -> tuple[str, str, str, str] | None:
        unique_id = fields.get("unique_id")
        if not unique_id:
            return None
        return (kind, str(fields["use_case_id"]), str(fields["task_definition_id"]), unique_id)

    # -- bulk CSV uploads --------------------------------------------------------------------

    def new_upload(
        self, workstream_id: str, *, file_name: str | None, kind: RecordKind | None
    ) -> PerformanceUpload:
        self.workstream(workstream_id)
        now = self._clock.now()
        name = file_name or f"performance-{self._rng.hex(8)}.csv"
        upload = PerformanceUpload(
            token=self._rng.token(40),
            workstream_id=workstream_id,
            file_key=f"{workstream_id}/{self._rng.uuid4()}.csv",
            file_name=name,
            kind=kind,
            created_at=now,
            expires_at=now + UPLOAD_TTL,
        )
        self.uploads[upload.token] = upload
        self._context.register_upload(upload.token)
        return upload

    def claim_upload(self, token: str) -> PerformanceUpload:
        """The upload a PUT to its URL is for; refused once expired.

        INFERRED (the Secure Upload page was not found): a pre-signed URL takes PUTs
        until it expires, as an object store's does; each replaces the file, which is
        processed again (rows with a ``unique_id`` replace their records as usual).
        """
        upload = self.upload(token)
        if self._clock.now() > upload.expires_at:
            raise UploadExpired()
        return upload

    def ingesting(
        self,
        upload: PerformanceUpload,
        kind: RecordKind,
        rows: Iterable[tuple[int, dict[str, Any]]],
        row_errors: Iterable[RowError],
        size: int,
    ) -> Iterator[None]:
        """Turns a file's parsed rows into records, a bad row reported by its line; yields
        after every :data:`INGEST_BATCH` rows so the caller can let others in.

        A file holds up to hundreds of thousands of rows, each checked against the
        workstream's configuration and its unique keys, which is this tenant's state
        and so is not read from another thread: the caller's event loop serves other
        requests between batches instead. The upload is ``processing`` until the
        last row is in; a file PUT meanwhile replaces this one, whose ingest then stops
        at its next batch (the rows already in stay, as a replaced file's would).
        """
        this_file = self._received(upload, size)
        upload.state, upload.kind = "processing", kind
        upload.accepted, upload.message = 0, None
        upload.errors = list(row_errors)
        upload.rows = len({e.line for e in upload.errors})
        for line, fields in rows:
            upload.rows += 1
            try:
                self.report(
                    kind,
                    upload.workstream_id,
                    fields,
                    data_source="csv_automated",
                    upload=upload.file_key,
                )
            except InvalidInput as exc:
                upload.errors.extend(RowError(line, e.field, e.message) for e in exc.errors)
            else:
                upload.accepted += 1
            if upload.rows % INGEST_BATCH == 0:
                yield
                if upload.files != this_file:
                    return
        upload.errors.sort(key=lambda e: (e.line, e.field))
        upload.state = "processed"

    def reject(self, upload: PerformanceUpload, message: str, size: int) -> None:
        """Records a file that could not be read at all; nothing of it is ingested."""
        self._received(upload, size)
        upload.state, upload.message = "rejected", message
        upload.rows, upload.accepted, upload.errors = 0, 0, []

    def _received(self, upload: PerformanceUpload, size: int) -> int:
        """Notes a file PUT to the upload's URL; answers which file it is."""
        upload.files += 1
        upload.size, upload.received_at = size, self._clock.now()
        return upload.files

    def upload(self, token_or_key: str) -> PerformanceUpload:
        found = self.uploads.get(token_or_key) or next(
            (u for u in self.uploads.values() if u.file_key == token_or_key), None
        )
        if found is None:
            raise UploadNotFound()
        return found

    def summary(self) -> dict[str, int]:
        return {
            "workstreams": len(self.workstreams),
            "quality_records": sum(w.count("quality") for w in self.workstreams.values()),
            "throughput_records": sum(w.count("throughput") for w in self.workstreams.values()),
            "performance_uploads": len(self.uploads),
        }

"""CloudFactory's documents as plain dicts: what a client reads, whether by polling or webhook.

Shared by the api (responses) and the backend (webhook payloads), so the task a
client polls and the task a webhook carries can never drift apart.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mockserver.core.clock import isoformat

if TYPE_CHECKING:
    from .backend.oversight import Task
    from .backend.performance import PerformanceUpload, Record


def task_status(task: Task) -> dict[str, Any]:
    """Task Status (FOUND): ``task_id``, ``state`` and ``updated_inferences``.

    INFERRED: ``updated_inferences`` is null until the task is completed.
    """
    return {
        "task_id": task.id,
        "state": task.state,
        "updated_inferences": None
        if task.updated_inferences is None
        else {"inferences": task.updated_inferences},
    }


def task_detail(task: Task) -> dict[str, Any]:
    """Everything the sandbox knows of a task, for ``/_mock`` inspection."""
    return {
        **task_status(task),
        "configuration_id": task.configuration_id,
        "media_key": task.media_key,
        "media_type": task.media_type,
        "bucket_id": task.bucket_id,
        "callback_url": task.callback_url,
        "tags": task.tags,
        "context_metadata": task.context_metadata,
        "model_metadata": task.model_metadata,
        "inferences": task.inferences,
        "worker_id": task.worker_id,
        "created_at": isoformat(task.created_at),
        "history": [{"state": state, "at": isoformat(at)} for state, at in task.history],
    }


def webhook_event(task: Task, event_id: str, at: float) -> dict[str, Any]:
    """INFERRED event contract (the documented section was not recovered).

    It wraps the Task Status object so a client can parse polls and webhooks alike.
    """
    return {
        "event": f"task.{task.state}",
        "event_id": event_id,
        "created_at": isoformat(at),
        "data": {
            **task_status(task),
            "configuration_id": task.configuration_id,
            "media_key": task.media_key,
            "context_metadata": task.context_metadata,
        },
    }


def record_view(record: Record) -> dict[str, Any]:
    return {
        "id": record.id,
        "kind": record.kind,
        "workstream_id": record.workstream_id,
        "received_at": isoformat(record.received_at),
        "data_source": record.data_source,
        "replaced": record.replaced,
        "upload": record.upload,
        "fields": record.fields,
    }


def upload_view(upload: PerformanceUpload) -> dict[str, Any]:
    return {
        "file_key": upload.file_key,
        "file_name": upload.file_name,
        "workstream_id": upload.workstream_id,
        "type": upload.kind,
        "state": upload.state,
        "expires_at": isoformat(upload.expires_at),
        "received_at": None if upload.received_at is None else isoformat(upload.received_at),
        "size": upload.size,
        "rows": upload.rows,
        "accepted": upload.accepted,
        "rejected_rows": len({e.line for e in upload.errors}),
        "errors": [{"line": e.line, "field": e.field, "error": e.error} for e in upload.errors],
        "message": upload.message,
    }

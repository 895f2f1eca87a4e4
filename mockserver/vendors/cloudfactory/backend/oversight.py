"""Oversight: media uploads, tasks, and the humans who check a model's inferences.

The documented workflow (FOUND): ask for an upload URL with a ``configuration_id``,
PUT the bytes there, then submit a task with the ``media_key``; or, with a mounted
bucket, submit ``bucket_id`` + the object path (images only). Results come back as
``updated_inferences``, by polling or through a webhook to ``callback_url``.

The task states are not documented. INFERRED lifecycle: ``created`` (queued) ->
``in_progress`` (a CloudWorker picked it up after a queue wait) -> ``completed``
(the worker's corrected inferences are ready), or ``failed`` when the uploaded media
is empty. The webhook fires when a task completes or fails.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from mockserver.core.crowd import Worker
from mockserver.core.errors import FieldError, InvalidInput
from mockserver.core.scheduler import Event
from mockserver.core.vendor import Notification, WorldContext

from .. import views
from ..errors import SignatureMismatch, TaskNotFound, UploadExpired, UploadNotFound
from .provisioning import ConfigurationConfig, Provisioning

TaskState = Literal["created", "in_progress", "completed", "failed"]

MEDIA_URL_TTL = 3600.0  # INFERRED: an hour, S3's usual pre-signed lifetime
QUEUE_WAIT = (30.0, 300.0)  # INFERRED: sim seconds before a CloudWorker picks a task up
MEDIA_HOST = "https://oversight-media.s3.amazonaws.com"  # INFERRED, shaped like the docs' example
EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "video/mp4": "mp4", "image/webp": "webp"}


@dataclass(slots=True)
class Media:
    key: str
    token: str
    configuration_id: str
    media_type: str
    content_type: str | None
    created_at: float
    expires_at: float
    uploaded_at: float | None = None
    size: int = 0
    etag: str | None = None


@dataclass(slots=True)
class Task:
    id: str
    configuration_id: str
    media_key: str
    media_type: str
    bucket_id: str | None
    callback_url: str | None
    tags: list[dict[str, Any]]
    context_metadata: list[dict[str, Any]]
    model_metadata: dict[str, Any] | None
    inferences: list[dict[str, Any]]
    created_at: float
    state: TaskState = "created"
    worker_id: str | None = None
    updated_inferences: list[dict[str, Any]] | None = None
    history: list[tuple[str, float]] = field(default_factory=list)


class Oversight:
    def __init__(
        self, context: WorldContext, provisioning: Provisioning, default_secret: str
    ) -> None:
        # The context is kept, not its crowd or its callbacks: the crowd is made when a
        # task first needs a worker, and a bound method would be an object more.
        self._context = context
        self._clock = context.clock
        self._rng = context.rng
        self._provisioning = provisioning
        self._strict = context.strict
        self._default_secret = default_secret
        self.configurations: dict[str, ConfigurationConfig] = dict(provisioning.configurations)
        self.media: dict[str, Media] = {}
        self._media_by_token: dict[str, Media] = {}
        self.tasks: dict[str, Task] = {}

    # -- configurations and media --------------------------------------------------------------

    def configuration(self, configuration_id: str) -> ConfigurationConfig:
        """A provisioned configuration, or in open mode a new one (kept by ``_keep``)."""
        found = self.configurations.get(configuration_id)
        if found is None:
            # FOUND (Oversight): configuration ids are issued by CloudFactory at
            # onboarding; a strict tenant knows only its own (400, INFERRED status).
            if self._strict:
                raise InvalidInput.one("configuration_id", "Unknown configuration_id")
            found = ConfigurationConfig(configuration_id)
        return found

    def _keep(self, configuration: ConfigurationConfig) -> None:
        """Provisions an open-mode configuration once the request using it is accepted."""
        self.configurations.setdefault(configuration.id, configuration)

    def new_media(
        self,
        configuration_id: str,
        *,
        file_name: str | None,
        content_type: str | None,
        media_type: str | None,
    ) -> Media:
        kind = media_type or ("video" if (content_type or "").startswith("video/") else "image")
        configuration = self.configuration(configuration_id)
        self._check_media_type(configuration, kind)
        self._keep(configuration)
        folder = self._rng.uuid4()
        extension = _extension(file_name, content_type, kind)
        now = self._clock.now()
        media = Media(
            key=f"{MEDIA_HOST}/{folder}/{folder}.{extension}",
            token=self._rng.token(40),
            configuration_id=configuration_id,
            media_type=kind,
            content_type=content_type,
            created_at=now,
            expires_at=now + MEDIA_URL_TTL,
        )
        self.media[media.key] = media
        self._media_by_token[media.token] = media
        self._context.register_upload(media.token)
        return media

    def owns_upload(self, token: str) -> bool:
        return token in self._media_by_token

    def receive_media(self, token: str, content_type: str | None, size: int, etag: str) -> Media:
        """Stores an upload's bytes (their size and hash); a retried PUT overwrites."""
        media = self._media_by_token.get(token)
        if media is None:
            raise UploadNotFound()
        if self._clock.now() > media.expires_at:
            raise UploadExpired()
        if media.content_type is not None and content_type != media.content_type:
            raise SignatureMismatch()
        media.uploaded_at, media.size, media.etag = self._clock.now(), size, etag
        return media

    # -- tasks ---------------------------------------------------------------------------------

    def submit(self, fields: dict[str, Any]) -> Task:
        """Creates a task from a schema-valid body after the checks the schema cannot make."""
        configuration = self.configuration(fields["configuration_id"])
        media_type, problems = self._media_problems(fields)
        if not problems:
            problems = self._media_type_problems(configuration, media_type)
        if problems:
            raise InvalidInput(problems)
        self._keep(configuration)
        now = self._clock.now()
        task = Task(
            id=self._rng.uuid4(),
            configuration_id=configuration.id,
            media_key=fields["media_key"],
            media_type=media_type,
            bucket_id=fields.get("bucket_id"),
            callback_url=fields.get("callback_url"),
            tags=list(fields.get("tags", [])),
            context_metadata=list(fields.get("context_metadata", [])),
            model_metadata=fields.get("model_metadata"),
            inferences=list(fields.get("inferences", [])),
            created_at=now,
            history=[("created", now)],
        )
        self.tasks[task.id] = task
        self._context.scheduler.at(
            now + self._rng.uniform(*QUEUE_WAIT), "world", "task.start", id=task.id
        )
        return task

    def task(self, task_id: str) -> Task:
        found = self.tasks.get(task_id)
        if found is None:
            raise TaskNotFound()
        return found

    def handle(self, event: Event) -> None:
        task = self.tasks.get(event.data["id"])
        if task is None:
            return
        if event.action == "task.start":
            self._start(task, event.due)
        elif event.action == "task.finish":
            self._finish(task, event.due, self._context.crowd.get(event.data["worker"]))

    def _start(self, task: Task, at: float) -> None:
        (worker,) = self._context.crowd.pick(1)
        self._move(task, "in_progress", at)
        task.worker_id = worker.email
        scale = (1 + 0.5 * max(1, len(task.inferences))) * (4 if task.media_type == "video" else 1)
        due = at + self._context.crowd.duration(worker, scale=scale)
        self._context.scheduler.at(due, "world", "task.finish", id=task.id, worker=worker.id)

    def _finish(self, task: Task, at: float, worker: Worker | None) -> None:
        media = self.media.get(task.media_key)
        if media is not None and media.size == 0:
            self._move(task, "failed", at)
        else:
            worker = worker or self._context.crowd.pick(1)[0]
            task.updated_inferences = self._review(task, worker)
            self._move(task, "completed", at)
        if task.callback_url:
            self._context.notify(self._notification(task, task.callback_url, at))

    def _move(self, task: Task, state: TaskState, at: float) -> None:
        task.state = state
        task.history.append((state, at))

    def _notification(self, task: Task, url: str, at: float) -> Notification:
        configuration = self.configurations.get(task.configuration_id)
        secret = (
            (configuration.webhook_secret if configuration else None)
            or self._provisioning.webhook_secret
            or self._default_secret
        )
        shape = self._provisioning.webhook_payload
        payload = (
            views.webhook_event(task, self._rng.uuid4(), at)
            if shape == "envelope"
            else views.task_status(task)
        )
        return Notification(
            url=url,
            event=f"task.{task.state}",
            payload=payload,
            secret=secret,
            options={"signature": self._provisioning.signature},
        )

    # -- what the CloudWorker does -----------------------------------------------------------

    def _review(self, task: Task, worker: Worker) -> list[dict[str, Any]]:
        """The worker's corrected inferences.

        Each model inference is kept or relabelled (right with the worker's accuracy)
        and its boxes nudged to the object's edges; without inferences, the worker
        annotates from scratch with labels from the task's tags.
        """
        vocabulary = _labels(task) or ["object"]
        if not task.inferences:
            return [self._fresh_annotation(vocabulary) for _ in range(self._rng.integer(1, 3))]
        reviewed = []
        for inference in task.inferences:
            classes = inference.get("classes") or [{"class": vocabulary[0]}]
            proposed = max(classes, key=lambda c: c.get("confidence_score", 0))["class"]
            label = self._context.crowd.answer(worker, vocabulary, truth=proposed)
            reviewed.append(
                {
                    "external_id": inference.get("external_id") or self._rng.uuid4(),
                    "classes": [{"confidence_score": 1.0, "class": label}],
                    "bbox": [
                        [round(self._context.crowd.jitter(v, 2.0), 1) for v in box]
                        for box in inference.get("bbox", [])
                    ],
                    "mask": inference.get("mask", []),
                    "polygon": inference.get("polygon", []),
                }
            )
        return reviewed

    def _fresh_annotation(self, vocabulary: list[str]) -> dict[str, Any]:
        x1, y1 = self._rng.integer(0, 900), self._rng.integer(0, 600)
        x2, y2 = x1 + self._rng.integer(20, 120), y1 + self._rng.integer(20, 120)
        return {
            "external_id": self._rng.uuid4(),
            "classes": [{"confidence_score": 1.0, "class": self._rng.choice(vocabulary)}],
            "bbox": [[x1, y1, x2, y2]],
            "mask": [],
            "polygon": [[[[x1, y1], [x2, y1], [x2, y2], [x1, y2]]]],
        }

    # -- checks ----------------------------------------------------------------------------------

    def _media_problems(self, fields: dict[str, Any]) -> tuple[str, list[FieldError]]:
        media_key, bucket_id = fields["media_key"], fields.get("bucket_id")
        if bucket_id is not None:
            media_type = fields.get("media_type", "image")
            problems = []
            # INFERRED, kept as safe: bucket credentials are registered beforehand, and
            # only a strict tenant checks them. FOUND: mounted buckets are images only.
            if self._strict and bucket_id not in self._provisioning.buckets:
                problems.append(FieldError("bucket_id", "Unknown bucket_id"))
            if media_type != "image":
                problems.append(FieldError("media_type", "Mounted buckets support images only"))
            return media_type, problems
        media = self.media.get(media_key)
        # INFERRED, kept as safe: the key of Upload Media names bytes to review, so a key
        # never issued (strict tenants) or never uploaded to has nothing for the crowd;
        # FOUND: the task names the same configuration_id as its Upload Media.
        if media is None:
            problems = [FieldError("media_key", "Unknown media_key")] if self._strict else []
            return fields.get("media_type", "image"), problems
        media_type = fields.get("media_type", media.media_type)
        if media.uploaded_at is None:
            return media_type, [FieldError("media_key", "Media has not been uploaded")]
        if media.configuration_id != fields["configuration_id"]:
            return media_type, [
                FieldError("configuration_id", "does not match the media's configuration_id")
            ]
        return media_type, []

    @staticmethod
    def _media_type_problems(
        configuration: ConfigurationConfig, media_type: str
    ) -> list[FieldError]:
        # INFERRED, kept as safe: only a configuration provisioned with its media types
        # refuses another (an open-mode one takes image and video).
        if media_type not in configuration.media_types:
            return [FieldError("media_type", f"{media_type} is not enabled for this configuration")]
        return []

    def _check_media_type(self, configuration: ConfigurationConfig, media_type: str) -> None:
        problems = self._media_type_problems(configuration, media_type)
        if problems:
            raise InvalidInput(problems)

    def summary(self) -> dict[str, int]:
        return {
            "configurations": len(self.configurations),
            "media": len(self.media),
            "tasks": len(self.tasks),
        }


def _labels(task: Task) -> list[str]:
    labels = [str(t["value"]) for t in task.tags]
    for inference in task.inferences:
        labels.extend(str(c["class"]) for c in inference.get("classes", []))
    return list(dict.fromkeys(labels))


def _extension(file_name: str | None, content_type: str | None, media_type: str) -> str:
    if file_name and "." in file_name:
        return file_name.rsplit(".", 1)[1].lower()[:8]
    if content_type in EXTENSIONS:
        return EXTENSIONS[content_type]
    return "mp4" if media_type == "video" else "jpg"

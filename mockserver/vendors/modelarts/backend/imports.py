"""A project's import tasks: files from OBS become a dataset's samples on the clock.

FOUND: a task id is 19-char alphanumeric; ``import_path`` is required; the task
``status`` is ``QUEUING``, ``STARTING``, ``RUNNING``, ``COMPLETED``, ``FAILED`` or
``NOT_EXIST``; ``import_type`` is ``dir`` or ``manifest`` when asked for and
``0``/``1`` in a task's view; a dataset runs one import at a time (a second is
``ModelArts.4356``); times are epoch milliseconds.

INFERRED: OBS is not emulated, so the files a path holds are made up, the same
for the same seed: a ``dir`` path is an OBS directory (``/bucket/dir/`` or
``obs://bucket/dir/``) holding 20–200 files named ``<kind>_0001.<ext>``, ... after
the dataset's type (``image_NNNN.jpg`` for image types, ``text_NNNN.txt``,
``audio_NNNN.wav``, ``table_NNNN.csv``, ``video_NNNN.mp4``, ``file_NNNN.bin``),
unless ``/_mock/modelarts/obs`` said how many files the directory holds; a
``manifest`` path is a ``.manifest`` file inside such a directory and lists files
of that directory. A task waits :data:`QUEUE_SECONDS` as ``QUEUING``, then runs
for :data:`SECONDS_PER_FILE` per file as ``RUNNING`` (``total_file_count`` known),
then is ``COMPLETED``: every file becomes an unlabeled sample whose directory is
the import directory; a file whose name the dataset already holds is skipped and
not counted as imported. Annotations are not read (OBS holds none here). An
import into a deleted dataset ends with it. An unknown task is ``ModelArts.4612``.
"""

from __future__ import annotations

from dataclasses import dataclass

from mockserver.core.scheduler import Event
from mockserver.core.vendor import WorldContext

from ..errors import DatasetMissing, ImportTaskMissing, ImportTaskRunning, ObsPathInvalid
from .datasets import Dataset, Datasets, obs_directory
from .samples import Sample, Samples
from .task_store import DatasetTasks

ACTION_PREFIX = "import."
STARTED = ACTION_PREFIX + "started"
FINISHED = ACTION_PREFIX + "finished"
QUEUE_SECONDS = 5.0
SECONDS_PER_FILE = 0.25
FILE_COUNT = (20, 200)
ID_LENGTH = 19
QUEUING, RUNNING, COMPLETED = "QUEUING", "RUNNING", "COMPLETED"
IMPORT_TYPES = {"dir": 0, "manifest": 1}
ORIGINS = {"obs": 0, "dws": 1, "dli": 2, "rds": 3, "mrs": 4, "inference": 6}
# dataset type -> (file stem, extension, sample_type, size range in bytes)
KINDS: dict[int, tuple[str, str, int, tuple[int, int]]] = {
    **dict.fromkeys((0, 1, 3), ("image", "jpg", 0, (20_000, 800_000))),
    **dict.fromkeys((100, 101, 102), ("text", "txt", 1, (200, 20_000))),
    **dict.fromkeys((200, 201, 202), ("audio", "wav", 2, (100_000, 3_000_000))),
    400: ("table", "csv", 4, (1_000, 500_000)),
    600: ("video", "mp4", 6, (1_000_000, 50_000_000)),
    900: ("file", "bin", 9, (1_000, 1_000_000)),
}


@dataclass(slots=True)
class ImportTask:
    id: str
    dataset_id: str
    import_path: str
    directory: str
    import_type: int
    import_origin: str
    file_count: int
    create_time: int  # epoch milliseconds
    update_time: int
    status: str = QUEUING
    started_time: int = 0
    finished_time: int = 0
    imported_sample_count: int = 0
    finished_file_count: int = 0
    total_file_size: int = 0

    @property
    def running(self) -> bool:
        return self.status in (QUEUING, "STARTING", RUNNING)


def import_directory(path: str, import_type: str) -> str:
    """The OBS directory the files come from; refuses a path that is not one."""
    if import_type == "manifest":
        head, _, file_name = path.rpartition("/")
        # FOUND: "when importing a manifest file, ensure that the path is accurate to the
        # manifest file" (ImportTask's import_path); 400 ModelArts.4313 OBS path is invalid
        if not file_name.endswith(".manifest") or file_name == ".manifest":
            raise ObsPathInvalid("import_path: a manifest import needs a .manifest file")
        return obs_directory(head + "/", "import_path")
    # INFERRED: a path naming no directory inside a bucket (4313, or 4205 for a bucket
    # alone, as the appendix words it) has nothing to import
    return obs_directory(path, "import_path")


class Imports(DatasetTasks[ImportTask]):
    """Every dataset's import tasks in a project, keyed by dataset id, in creation order."""

    started = STARTED
    queue_seconds = QUEUE_SECONDS
    missing = ImportTaskMissing
    noun = "import task"

    def __init__(self, context: WorldContext, datasets: Datasets, samples: Samples) -> None:
        super().__init__(context, datasets, samples)
        self._declared: dict[str, int] = {}  # OBS directory -> how many files it holds

    def declare(self, path: str, file_count: int) -> str:
        """Says how many files an OBS directory holds; answers the directory."""
        directory = obs_directory(path, "path")
        self._declared[directory] = file_count
        return directory

    def create(
        self, dataset_id: str, *, import_path: str, import_type: str = "dir", origin: str = "obs"
    ) -> ImportTask:
        """Checks everything first: a refusal changes nothing."""
        dataset = self._datasets.get(dataset_id)
        held = self._held(dataset)
        directory = import_directory(import_path, import_type)
        busy = next((task for task in held.values() if task.running), None)
        if busy is not None:  # FOUND: 400 ModelArts.4356 Dataset already has running import task
            raise ImportTaskRunning(
                f"import_path: the dataset already runs the import task {busy.id}"
            )
        while True:
            task_id = self._rng.token(ID_LENGTH)
            if task_id not in held:
                break
        now = self._now()
        task = ImportTask(
            id=task_id,
            dataset_id=dataset.id,
            import_path=import_path,
            directory=directory,
            import_type=IMPORT_TYPES[import_type],
            import_origin=origin,
            file_count=self._declared[directory]
            if directory in self._declared
            else self._rng.integer(*FILE_COUNT),
            create_time=now,
            update_time=now,
        )
        return self._queue(dataset, task)

    def page(self, dataset_id: str, *, offset: int, limit: int) -> tuple[int, list[ImportTask]]:
        tasks = list(reversed(self._held(self._datasets.get(dataset_id)).values()))
        return len(tasks), tasks[offset : offset + limit]

    def handle(self, event: Event) -> None:
        try:
            task = self.get(event.data["dataset_id"], event.data["task"])
            dataset = self._datasets.get(task.dataset_id)
        except (DatasetMissing, ImportTaskMissing):
            return
        if event.action == STARTED:
            task.status = RUNNING
            task.started_time = task.update_time = self._now()
            due = self._clock.now() + SECONDS_PER_FILE * task.file_count
            self._scheduler.at(due, "world", FINISHED, dataset_id=dataset.id, task=task.id)
        elif event.action == FINISHED:
            self._finish(dataset, task)

    def _finish(self, dataset: Dataset, task: ImportTask) -> None:
        stem, ext, sample_type, (least, most) = KINDS.get(dataset.dataset_type, KINDS[900])
        origin = ORIGINS.get(task.import_origin, 0)
        items = [
            {
                "name": f"{stem}_{number:04d}.{ext}",
                "data": "",
                "sample_type": sample_type,
                "metadata": {"@modelarts:import_origin": origin},
            }
            for number in range(1, task.file_count + 1)
        ]
        sizes = [self._rng.integer(least, most) for _ in items]
        outcomes = self._samples.upload(dataset, items)
        for outcome, size in zip(outcomes, sizes, strict=True):
            if isinstance(outcome, Sample):
                outcome.size = size
                outcome.sample_dir = task.directory
                task.imported_sample_count += 1
        task.total_file_size = sum(sizes)
        task.finished_file_count = task.file_count
        task.status = COMPLETED
        task.finished_time = task.update_time = self._now()
        dataset.update_time = task.update_time

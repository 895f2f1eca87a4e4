"""Test questions (gold): rows made into test questions and back, and their webhooks.

FOUND: ``PUT /jobs/{id}/gold`` does one of three things. Without parameters it turns
the rows whose ``_golden`` column is true into test questions; with
``check=<cml field>`` (and ``with=<column>``, by default ``<field>_gold``) it sets
the field to be checked against that column, and ``convert_units=true`` turns every
row with an answer in the column into a test question; ``reset=true`` makes every
test question an ordinary row again. The job's ``gold`` attribute maps each checked
field to its column. ``unit_complete`` never fires for a test question by itself:
``GET /jobs/{id}/golds/fire_webhooks`` fires it for each of them.

INFERRED: only ``new`` rows are converted (rows already ordered keep their state, as
they keep the judgments they collect); a ``check`` the CML does not have, or a
``with`` column none of the job's rows has, is refused (422) and changes nothing;
a reset also forgets the checked fields.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from mockserver.core.clock import Clock
from mockserver.core.errors import FieldError, InvalidInput
from mockserver.core.params import flag

from .. import cml
from .jobs import Job
from .units import GOLD_COLUMN, Unit

Signal = Callable[[Job, str, Any], None]


class GoldActions:
    """Test questions of every job of the account, and each job's checked fields."""

    def __init__(self, clock: Clock, signal: Signal) -> None:
        self._clock = clock
        self._signal = signal
        self._checks: dict[int, dict[str, str]] = {}  # job id -> {field: gold column}

    def checks(self, job: Job) -> dict[str, str]:
        """The job's ``gold`` map: each checked CML field and the column holding its answer."""
        return dict(self._checks.get(job.id, {}))

    def golds(self, job: Job) -> list[Unit]:
        return [unit for unit in job.units if unit.golden]

    def convert_marked(self, job: Job) -> int:
        """``new`` rows whose ``_golden`` column is true become test questions; how many.

        Uploads already read that column (and drop it), so this usually finds none.
        """
        chosen = [
            unit for unit in job.units if unit.state == "new" and flag(unit.data.get(GOLD_COLUMN))
        ]
        now = self._clock.now()
        for unit in chosen:
            del unit.data[GOLD_COLUMN]  # INFERRED: read and dropped, as an upload does
            job.units.move(unit, "golden", now)
        return len(chosen)

    def convert_checked(self, job: Job, check: str, column: str | None, *, convert: bool) -> int:
        """Checks ``check`` against ``column``; converts the rows that answer it if asked."""
        # INFERRED, safe: a client checks a field of its own design against a column of
        # its own rows (PY-CF, PHP, DJ); the 422 names which one is missing.
        if cml.parse(job["cml"]).field(check) is None:
            problem = f"Check must name a field of the job's CML: {check}"
            raise InvalidInput([FieldError("check", problem)])
        column = column or f"{check}_gold"
        has_column = False
        chosen: list[Unit] = []
        for unit in job.units:
            if column in unit.data:
                has_column = True
                if unit.state == "new" and _answered(unit.data[column]):
                    chosen.append(unit)
        if not has_column:
            raise InvalidInput(
                [FieldError("with", f"With must name a column of this job's rows: {column}")]
            )
        self._checks.setdefault(job.id, {})[check] = column
        if not convert:
            return 0
        now = self._clock.now()
        for unit in chosen:
            job.units.move(unit, "golden", now)
        return len(chosen)

    def reset(self, job: Job) -> int:
        """Every test question (``golden`` or ``hidden_gold``) goes back to ``new``; how many."""
        chosen = self.golds(job)
        now = self._clock.now()
        for unit in chosen:
            job.units.move(unit, "new", now)
        self._checks.pop(job.id, None)
        return len(chosen)

    def fire_webhooks(self, job: Job) -> int:
        """``unit_complete`` for every test question; how many were sent.

        INFERRED: a job without a ``webhook_uri`` sends none (and answers 0).
        """
        if not job["webhook_uri"]:
            return 0
        golds = self.golds(job)
        for unit in golds:
            self._signal(job, "unit_complete", unit)
        return len(golds)


def _answered(value: Any) -> bool:
    if value is None:
        return False
    if isinstance(value, list):
        return any(_answered(v) for v in value)
    return str(value).strip() != ""

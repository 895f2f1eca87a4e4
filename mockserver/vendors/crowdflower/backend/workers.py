"""A job's contributors: bonuses, notifications, flags and rejections.

FOUND: a contributor of a job can be paid a bonus (``amount`` in US cents, with an
optional ``reason``), sent a message, flagged (``persist`` flags them across every
job) or unflagged, and rejected; the answers are application messages. A worker id
is the ``worker_id`` of their judgments. The gem's history also had ``ban``, ``deban``,
``approve`` (each a bare PUT) and ``notifications`` (a POST of ``message``).

INFERRED: a worker is known to a job once they have judged one of its units, and
any other id is not found (404); a bonus is debited from the account as is (no fee)
and refused with 402, changing nothing, when the balance is short. Flagging or
rejecting a worker removes them from the job: the sandbox's crowd still picks them
for its rounds, but what they hand in is tainted and never counts. Rejecting also
taints the judgments they made, so units lose those trusted judgments; while the job
is running or paused, those units need judgments again (a finalized unit goes back to
``judging`` unless the job's ``units_remain_finalized`` is set) and are queued for the
crowd. In a job that is finished or canceled the units keep their state.
``persist`` is recorded; the flag bars the worker from this job only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from mockserver.core.clock import Clock
from mockserver.core.errors import FieldError, InvalidInput
from mockserver.core.numbers import natural, positive

from ..errors import MissingParameters, NothingFound, PaymentRequired
from .account import Account
from .jobs import Job
from .judgments import Judgment, WorkerRecord

Reopen = Callable[[Job, dict[int, int]], int]


class BarredRecord(WorkerRecord):
    """The test-question score of a worker removed from a job: their work is tainted."""

    __slots__ = ()

    @property
    def tainted(self) -> bool:
        return True


@dataclass(slots=True)
class Bonus:
    cents: int
    reason: str | None
    paid_at: float


@dataclass(slots=True)
class Message:
    message: str
    subject: str | None
    sent_at: float


@dataclass(slots=True)
class Contributor:
    """What the customer did to one worker in one job."""

    worker_id: int
    flagged: bool = False
    flag_reason: str | None = None
    persist: bool = False
    flagged_at: float | None = None
    rejected: bool = False
    reject_reason: str | None = None
    manual: bool = False
    rejected_at: float | None = None
    banned_at: float | None = None
    approved_at: float | None = None
    bonuses: list[Bonus] = field(default_factory=list)
    messages: list[Message] = field(default_factory=list)

    @property
    def bonus_cents(self) -> int:
        return sum(b.cents for b in self.bonuses)

    @property
    def barred(self) -> bool:
        """Whether the worker is kept out of the job: flagged, rejected or banned."""
        return self.flagged or self.rejected or self.banned_at is not None


@dataclass(frozen=True, slots=True)
class Rejection:
    tainted: int  # judgments the reject tainted
    reopened: int  # units that need judgments again


class Workers:
    """Contributors of every job of the account, by job id, then worker id."""

    def __init__(self, clock: Clock, account: Account, reopen: Reopen) -> None:
        self._clock = clock
        self._account = account
        self._reopen = reopen
        self._by_job: dict[int, dict[int, Contributor]] = {}

    def known(self, job: Job, ref: str) -> int:
        """The id of a worker who judged a unit of the job; anyone else is not found."""
        worker_id = natural(ref.strip())
        # INFERRED: 404 is "not found, or not yours" (RM): a worker the job never saw.
        # Safe: clients act on worker ids read from the job's judgments.
        if worker_id is None or worker_id not in job.judgments.workers:
            raise NothingFound()
        return worker_id

    def of_job(self, job: Job) -> dict[int, Contributor]:
        return self._by_job.get(job.id, {})

    def _contributor(self, job: Job, worker_id: int) -> Contributor:
        found = self._by_job.setdefault(job.id, {})
        if worker_id not in found:
            found[worker_id] = Contributor(worker_id)
        return found[worker_id]

    # -- money and messages ------------------------------------------------------------------

    def bonus(self, job: Job, worker_id: int, amount: Any, reason: Any) -> Bonus:
        cents = _cents(amount)
        if cents > self._account.balance:  # FOUND: 402 is payment required (RM, OLD-ORDERS)
            raise PaymentRequired(
                f"You have ${self._account.balance / 100:.2f} available but this bonus will cost "
                f"${cents / 100:.2f}. Please add funds to your account."
            )  # INFERRED wording, after the order's
        self._account.balance -= cents
        bonus = Bonus(cents, text_of(reason), self._clock.now())
        self._contributor(job, worker_id).bonuses.append(bonus)
        return bonus

    def notify(self, job: Job, worker_id: int, message: Any, subject: Any) -> Message:
        text = text_of(message)
        if text is None:  # FOUND: message is notify's parameter (OAS, RB); 400 when missing
            raise MissingParameters()
        sent = Message(text, text_of(subject), self._clock.now())
        self._contributor(job, worker_id).messages.append(sent)
        return sent

    # -- standing ----------------------------------------------------------------------------

    def flag(self, job: Job, worker_id: int, reason: Any, *, persist: bool) -> Contributor:
        contributor = self._contributor(job, worker_id)
        contributor.flagged, contributor.flag_reason = True, text_of(reason)
        contributor.persist, contributor.flagged_at = persist, self._clock.now()
        _bar(job, worker_id, barred=True)
        return contributor

    def unflag(self, job: Job, worker_id: int) -> Contributor:
        """INFERRED: unflagging a worker who is not flagged is no error."""
        contributor = self._contributor(job, worker_id)
        contributor.flagged, contributor.flag_reason = False, None
        contributor.persist, contributor.flagged_at = False, None
        _bar(job, worker_id, barred=contributor.barred)
        return contributor

    # -- the legacy worker actions (FOUND in the Ruby gem's history only) -------------------

    def ban(self, job: Job, worker_id: int) -> Contributor:
        """INFERRED: a ban keeps the worker out of the job, as a flag does."""
        contributor = self._contributor(job, worker_id)
        contributor.banned_at = self._clock.now()
        _bar(job, worker_id, barred=True)
        return contributor

    def deban(self, job: Job, worker_id: int) -> Contributor:
        """INFERRED: lifting a ban lets the worker back unless a flag or a reject holds."""
        contributor = self._contributor(job, worker_id)
        contributor.banned_at = None
        _bar(job, worker_id, barred=contributor.barred)
        return contributor

    def approve(self, job: Job, worker_id: int) -> Contributor:
        """INFERRED: an approval is recorded and changes nothing else (it paid on AMT)."""
        contributor = self._contributor(job, worker_id)
        contributor.approved_at = self._clock.now()
        return contributor

    def reject(self, job: Job, worker_id: int, reason: Any, *, manual: bool) -> Rejection:
        """Taints the worker's judgments in the job and re-opens the units that lose them.

        INFERRED: rejecting twice is no error (the second taints nothing new).
        """
        contributor = self._contributor(job, worker_id)
        contributor.rejected, contributor.reject_reason = True, text_of(reason)
        contributor.manual, contributor.rejected_at = manual, self._clock.now()
        _bar(job, worker_id, barred=True)
        lost: dict[int, int] = {}  # unit id -> trusted judgments it loses
        tainted = 0
        for judgment in job.judgments:
            if judgment.worker_id == worker_id and not judgment.tainted:
                job.judgments.taint(judgment)
                tainted += 1
                if _counted(judgment):
                    lost[judgment.unit_id] = lost.get(judgment.unit_id, 0) + 1
        return Rejection(tainted, self._reopen(job, lost))


def text_of(value: Any) -> str | None:
    """A parameter as stripped text; ``None`` when absent, blank or not text."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not value.strip():
        return None
    return value.strip()


def _cents(amount: Any) -> int:
    """FOUND: ``amount`` is in US cents; INFERRED: a positive whole number, else 422."""
    text = text_of(amount)
    if text is None:  # FOUND: amount is the bonus's parameter (OAS, RB); 400 when missing
        raise MissingParameters()
    cents = positive(text)
    if cents is None:  # INFERRED, safe: every client sends whole cents (RB an Integer)
        raise InvalidInput(
            [FieldError("amount", "Amount must be a positive whole number of cents")]
        )
    return cents


def _counted(judgment: Judgment) -> bool:
    """Whether a trusted judgment counted toward its unit (test questions' never do)."""
    return not judgment.golden


def _bar(job: Job, worker_id: int, *, barred: bool) -> None:
    """Swaps the worker's record in the job for a barred (or an ordinary) one."""
    record = job.judgments.workers[worker_id]
    if isinstance(record, BarredRecord) == barred:
        return
    kind = BarredRecord if barred else WorkerRecord
    swapped = kind(record.standing, record.golds_seen, record.golds_missed)
    job.judgments.set_worker(worker_id, swapped)

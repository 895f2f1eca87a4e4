"""CrowdFlower's refusals, in the message formats the API really used.

Four formats occur (FOUND, recorded or documented), each where the API used it:

1. ``{"error": {"message": "..."}}`` for 4xx refusals (404 and 400 recorded in 2014);
2. ``{"message": {"success": "..."}}`` for deletes (built by the api, not here);
3. flat ``{"error": "..."}`` / ``{"success": "..."}`` for job and unit state actions,
   with **status 200** even for an illegal transition (recorded);
4. ``{"errors": [...]}`` for validation failures.
"""

from __future__ import annotations

from typing import Any

from mockserver.core.errors import (
    Conflict,
    InvalidInput,
    MethodNotAllowed,
    MockError,
    NotFound,
    RateLimited,
    Unauthenticated,
)


class KeyRefused(Unauthenticated):
    # INFERRED wording, after the documented meaning of 401.
    message = "Authorization failed, check your key."


class NothingFound(NotFound):
    message = "We couldn't find what you were looking for."  # FOUND (recorded 404)


class MissingParameters(MockError):
    status = 400
    message = "Your request is missing required parameters."  # FOUND (recorded 400)


class PaymentRequired(MockError):
    status = 402
    message = "Payment required"


class OrderUnaffordable(PaymentRequired):
    """An order that costs more than the balance, worded as the host's era worded it.

    FOUND: the 2014 legacy orders page quotes "You have $20.00 available but this
    order will cost $50.00."; in the Figure Eight era the text was "Your team has
    $X.XX, but this launch will cost $Y.YY" (py-figure-eight's ``launch`` matches it
    with ``\\d+\\.\\d+``, so the figures carry no thousands separators).
    """

    def __init__(self, balance_cents: int, cost_cents: int, *, team: bool = False) -> None:
        have, cost = f"{balance_cents / 100:.2f}", f"{cost_cents / 100:.2f}"
        if team:
            text = f"Your team has ${have}, but this launch will cost ${cost}."
        else:
            text = (
                f"You have ${have} available but this order will cost ${cost}. "
                "Please add funds to your account."
            )
        super().__init__(text)
        self.balance_cents, self.cost_cents = balance_cents, cost_cents

    def in_team_words(self) -> OrderUnaffordable:
        return OrderUnaffordable(self.balance_cents, self.cost_cents, team=True)


class UnitLimitReached(MockError):
    """FOUND: 422 past the per-job unit limit (250,000 rows by default)."""

    status = 422
    message = "This job has reached its limit of {limit} units."


class StateConflict(Conflict):
    """An action the job's or unit's state forbids, refused outside the 200-with-error
    convention (a strict setup asks for 422 instead)."""

    status = 422


def error_body(error: MockError) -> tuple[int, Any, dict[str, str]]:
    """Status, JSON body and headers of an error in CrowdFlower's dialect."""
    headers: dict[str, str] = {}
    if isinstance(error, InvalidInput):
        # Format 4: full sentences that name the attribute, as Rails validations read.
        return 422, {"errors": [e.message for e in error.errors]}, headers
    if isinstance(error, MethodNotAllowed) and error.allow:
        headers["Allow"] = ", ".join(error.allow)
    if isinstance(error, RateLimited):
        # INFERRED: no headers were documented; Retry-After is a harmless extension.
        headers["Retry-After"] = error.retry_after_header
        return 429, {"error": {"message": "Too many requests"}}, headers
    if type(error) is NotFound:  # an unknown route: the API's own 404 text
        return 404, {"error": {"message": NothingFound.message}}, headers
    return error.status, {"error": {"message": error.detail}}, headers


class ColumnMismatch(MockError):
    """INFERRED: an upload whose columns differ from the job's rows, sent without ``force``."""

    status = 400
    message = "The uploaded columns do not match the columns of this job's rows."

"""The customer's buyoff of a sign-off job: what an answer must hold, and its form.

FOUND (Table 1 of the order walkthrough, for ``TextCreate`` and
``TextCreateWithKeywords``): ``accepted`` always, 0 (reject) or 1 (accept); when
rejecting, seven grades (``grade_gr``, ``grade_sppu``, ``grade_sest``, ``grade_st``,
``grade_cocl``, ``grade_foin``, ``grade_sein``) of 4 (perfect), 3 (very good), 2 (ok)
or 0 (poor) (there is no 1), a ``<grade>_comment`` for every grade below 3, and a
``comment`` for the author. The example sends ``" 0 "``, so values are trimmed.

INFERRED: every problem is reported at once; unknown item codes are ignored, so are
grades on an approval; when an item repeats, its last value counts; products outside
Table 1 need only ``accepted`` and, when rejecting, ``comment``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from mockserver.core.errors import FieldError, InvalidInput
from mockserver.core.memo import Memo

from .templates import FormElement

GRADES = {
    "grade_gr": "grammar",
    "grade_sppu": "spelling and punctuation",
    "grade_sest": "sentence structure",
    "grade_st": "style",
    "grade_cocl": "comprehension and clarity",
    "grade_foin": "adherence to the working instructions",
    "grade_sein": "selection of information",
}
GRADE_VALUES = {"4": "Perfect", "3": "Very good", "2": "Ok", "0": "Poor"}
GRADED_PRODUCTS = frozenset({"TextCreate", "TextCreateWithKeywords"})
COMMENT_BELOW = 3


@dataclass(frozen=True, slots=True)
class Verdict:
    accepted: bool
    comment: str = ""
    grades: dict[str, int] = field(default_factory=dict)
    comments: dict[str, str] = field(default_factory=dict)


def assess(items: Iterable[tuple[str, str]], product: str) -> Verdict:
    """The verdict an answer's items give, or :class:`InvalidInput` naming every problem."""
    answer = {code: (content or "").strip() for code, content in items}
    accepted = answer.get("accepted")
    # FOUND (Table 1): ``accepted`` always, either 0 or 1; the rest only when rejecting.
    if accepted is None or accepted == "":
        raise InvalidInput.one("accepted", "is required: 1 to accept, 0 to reject")
    if accepted not in ("0", "1"):
        raise InvalidInput.one("accepted", f"must be 0 or 1, not {accepted!r}")
    if accepted == "1":
        return Verdict(accepted=True)
    problems: list[FieldError] = []
    grades: dict[str, int] = {}
    comments: dict[str, str] = {}
    for code, meaning in GRADES.items() if product in GRADED_PRODUCTS else ():
        value = answer.get(code, "")
        if value == "":
            problems.append(FieldError(code, f"is required when rejecting (judge the {meaning})"))
            continue
        if value not in GRADE_VALUES:
            problems.append(FieldError(code, f"must be 4, 3, 2 or 0, not {value!r}"))
            continue
        grades[code] = int(value)
        remark = answer.get(f"{code}_comment", "")
        if grades[code] < COMMENT_BELOW and not remark:
            problems.append(
                FieldError(f"{code}_comment", f"is required when {code} is below {COMMENT_BELOW}")
            )
        elif remark:
            comments[f"{code}_comment"] = remark
    comment = answer.get("comment", "")
    if not comment:
        problems.append(FieldError("comment", "is required when rejecting: tell the author why"))
    if problems:
        raise InvalidInput(problems)
    return Verdict(accepted=False, comment=comment, grades=grades, comments=comments)


@dataclass(frozen=True, slots=True)
class Form:
    """The elements a sign-off job's answer is made of (``is_output``: the customer's).

    There are two, the graded products' and the others', made once: every job shows
    its form, and ``shown`` keeps it as answers write it."""

    elements: tuple[FormElement, ...]
    shown: Memo[Any] = field(default_factory=Memo, repr=False, compare=False)


def form(product: str) -> Form:
    """The buyoff form of a job on ``product``."""
    return GRADED_FORM if product in GRADED_PRODUCTS else PLAIN_FORM


def _elements(graded: bool) -> tuple[FormElement, ...]:
    elements = [
        FormElement(
            "accepted",
            "radio_button",
            is_output=True,
            is_mandatory=True,
            titles={"en": "Is the result accepted?"},
            options=[{"code": "1", "value": "accepted"}, {"code": "0", "value": "rejected"}],
        )
    ]
    for code, meaning in GRADES.items() if graded else ():
        elements.append(
            FormElement(
                code,
                "drop_box",
                is_output=True,
                is_mandatory=False,
                titles={"en": f"Judge the {meaning}"},
                descriptions={"en": "Required if accepted=0"},
                options=[{"code": c, "value": v} for c, v in GRADE_VALUES.items()],
            )
        )
        elements.append(
            FormElement(
                f"{code}_comment",
                "text_area",
                is_output=True,
                is_mandatory=False,
                titles={"en": f"Comment on the {meaning}"},
                descriptions={"en": f"Required if {code} < {COMMENT_BELOW}"},
            )
        )
    elements.append(
        FormElement(
            "comment",
            "text_area",
            is_output=True,
            is_mandatory=False,
            titles={"en": "Reason for the rejection, shown to the author"},
            descriptions={"en": "Required if accepted=0"},
        )
    )
    return tuple(elements)


GRADED_FORM = Form(_elements(graded=True))
PLAIN_FORM = Form(_elements(graded=False))

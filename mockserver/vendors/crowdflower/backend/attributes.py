"""A job's attributes: their order on the wire, defaults, types and rules.

FOUND: the order and defaults are those of a job recorded from the real API in 2014
(``POST /jobs.json``); the writable set is the legacy documentation's plus the
settable parameters Appen documented later. Values arrive as form strings, so each
attribute says how to read one; a value that cannot be read, or that breaks a rule
(title of 5 to 255 characters, at most 20 included or 15 excluded countries, not
both), is refused before anything changes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from mockserver.core.errors import FieldError
from mockserver.core.numbers import integer, real
from mockserver.core.params import FALSE, TRUE, flag, text_list

DEFAULT_OPTIONS = {
    "logical_aggregation": True,
    "track_clones": True,
    "front_load": False,
    "after_gold": 10,
}
MINIMUM_REQUIREMENTS = {"priority": 1, "skill_scores": {"level_1_contributors": 1}, "min_score": 1}
SUPPORT_EMAIL = "selfservice_notifications@crowdflower.com"

# Every key of the recorded job, in order, with its default; None marks a value the
# job computes (id, secret, timestamps, counters, state).
DEFAULTS: dict[str, Any] = {
    "id": None, "options": None, "title": None, "secret": None, "project_number": None,
    "alias": None, "judgments_per_unit": 3, "units_per_assignment": 5,
    "pages_per_assignment": 1, "max_judgments_per_worker": None, "max_judgments_per_ip": None,
    "gold_per_assignment": 0, "minimum_account_age_seconds": None,
    "execution_mode": "worker_ui_remix", "payment_cents": 10, "custom_key": None,
    "design_verified": True, "require_worker_login": None, "public_data": False,
    "variable_judgments_mode": "none", "max_judgments_per_unit": None,
    "expected_judgments_per_unit": None, "min_unit_confidence": None,
    "units_remain_finalized": None, "auto_order_timeout": None, "auto_order_threshold": None,
    "completed_at": None, "state": None, "auto_order": False, "webhook_uri": None,
    "send_judgments_webhook": None, "language": "en", "minimum_requirements": None,
    "desired_requirements": None, "order_approved": True, "max_work_per_network": None,
    "copied_from": None, "created_at": None, "updated_at": None, "included_countries": None,
    "excluded_countries": None, "instructions": "", "cml": None, "js": None, "css": None,
    "problem": None, "confidence_fields": None, "gold": None, "units_count": None,
    "golds_count": None, "judgments_count": None, "support_email": SUPPORT_EMAIL,
    "worker_ui_remix": True, "crowd_costs": None, "completed": None, "fields": None,
}  # fmt: skip

Reader = Callable[[Any], Any]


def _integer(value: Any) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError
    number = integer(str(value).strip())
    if number is None:
        raise ValueError
    return number


def _number(value: Any) -> float | None:
    if value is None or value == "":
        return None
    number = real(str(value).strip())
    if number is None:
        raise ValueError
    return number


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, (dict, list)):
        raise ValueError
    return str(value)


def _boolean(value: Any) -> bool | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text not in TRUE | FALSE:
        raise ValueError
    return flag(text)


def _countries(value: Any) -> list[str]:
    codes = [c.upper() for c in text_list(value)]
    # FOUND: ISO 3166 codes (OAS); INFERRED, lenient: alpha-2 or alpha-3 (judgments
    # name countries in three letters).
    if any(not re.fullmatch(r"[A-Z]{2,3}", c) for c in codes):
        raise ValueError
    return codes


def _mapping(value: Any) -> dict[str, Any]:
    """An object whose form-sent leaves take the JSON types they spell."""
    if not isinstance(value, dict):
        raise ValueError
    return {key: _scalar(item) for key, item in value.items()}


def _scalar(value: Any) -> Any:
    """``"5"`` -> 5, ``"0.5"`` -> 0.5, ``"true"`` -> True; nested objects likewise."""
    if isinstance(value, dict):
        return {key: _scalar(item) for key, item in value.items()}
    if not isinstance(value, str):
        return value
    lowered = value.strip().lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    if (number := integer(lowered)) is not None:
        return number
    if re.fullmatch(r"-?[0-9]*\.[0-9]+", lowered) and (fraction := real(lowered)) is not None:
        return fraction
    return value


WRITABLE: dict[str, tuple[Reader, str]] = {
    "title": (_text, "a text"),
    "instructions": (_text, "a text"),
    "cml": (_text, "a text"),
    "js": (_text, "a text"),
    "css": (_text, "a text"),
    "problem": (_text, "a text"),
    "alias": (_text, "a text"),
    "custom_key": (_text, "a text"),
    "project_number": (_text, "a text"),
    "language": (_text, "a text"),
    "webhook_uri": (_text, "a text"),
    "support_email": (_text, "a text"),
    "confidence_fields": (_text, "a text"),
    "variable_judgments_mode": (_text, "one of none, auto_confidence, external"),
    "execution_mode": (_text, "a text"),
    "judgments_per_unit": (_integer, "an integer"),
    "units_per_assignment": (_integer, "an integer"),
    "pages_per_assignment": (_integer, "an integer"),
    "gold_per_assignment": (_integer, "an integer"),
    "payment_cents": (_integer, "an integer"),
    "max_judgments_per_worker": (_integer, "an integer"),
    "max_judgments_per_ip": (_integer, "an integer"),
    "max_judgments_per_unit": (_integer, "an integer"),
    "expected_judgments_per_unit": (_integer, "an integer"),
    "minimum_account_age_seconds": (_integer, "an integer"),
    "auto_order_threshold": (_integer, "an integer"),
    "auto_order_timeout": (_integer, "an integer"),
    "max_work_per_network": (_integer, "an integer"),
    "min_unit_confidence": (_number, "a number"),
    "auto_order": (_boolean, "true or false"),
    "send_judgments_webhook": (_boolean, "true or false"),
    "units_remain_finalized": (_boolean, "true or false"),
    "require_worker_login": (_boolean, "true or false"),
    "public_data": (_boolean, "true or false"),
    "included_countries": (_countries, "a list of ISO 3166 country codes"),
    "excluded_countries": (_countries, "a list of ISO 3166 country codes"),
    "options": (_mapping, "an object"),
    "minimum_requirements": (_mapping, "an object"),
    "desired_requirements": (_mapping, "an object"),
}
ALIASES = {"auto_order_timout": "auto_order_timeout"}  # FOUND: Appen's documented misspelling
AT_LEAST_ONE = ("judgments_per_unit", "units_per_assignment", "pages_per_assignment")
NOT_NEGATIVE = ("payment_cents", "gold_per_assignment")
VARIABLE_MODES = ("none", "auto_confidence", "external")


def humanize(name: str) -> str:
    return name.replace("_", " ").capitalize()


def read_changes(
    given: Mapping[str, Any], current: Mapping[str, Any]
) -> tuple[dict[str, Any], list[FieldError]]:
    """The typed changes ``job[...]`` asks for, and every reason to refuse them.

    Unknown attributes are ignored, as Rails' attribute whitelists do; read-only ones
    (state, counters, timestamps) too. ``options`` merges into the current options.
    """
    changes: dict[str, Any] = {}
    problems: list[FieldError] = []
    for raw_name, raw in given.items():
        name = ALIASES.get(raw_name, raw_name)
        if name not in WRITABLE:
            continue
        reader, kind = WRITABLE[name]
        try:
            value = reader(raw)
        # INFERRED, safe: a value its attribute cannot hold (``payment_cents=ten``) is
        # refused rather than stored; every client sends numbers, booleans and texts
        # as such (Ruby ``true``, Python ``True``, ``1`` all read).
        except (ValueError, TypeError):
            problems.append(FieldError(name, f"{humanize(name)} must be {kind}"))
            continue
        if name == "options" and isinstance(value, dict):
            value = {**(current.get("options") or {}), **value}
        changes[name] = value
    return changes, problems + _rules({**current, **changes}, changes)


def _rules(job: Mapping[str, Any], changes: Mapping[str, Any]) -> list[FieldError]:
    problems = []
    title = changes.get("title")
    if title is not None and not 5 <= len(title) <= 255:  # FOUND: 5 to 255 (OLD-CURL)
        bound = "short (minimum is 5" if len(title) < 5 else "long (maximum is 255"
        problems.append(FieldError("title", f"Title is too {bound} characters)"))
    # INFERRED, safe: a job of no judgments, units or pages per assignment, or of a
    # negative price, could never be worked; no client sends one.
    for name in AT_LEAST_ONE:
        if name in changes and (changes[name] is None or changes[name] < 1):
            problems.append(FieldError(name, f"{humanize(name)} must be greater than 0"))
    for name in NOT_NEGATIVE:
        if name in changes and changes[name] is not None and changes[name] < 0:
            problems.append(
                FieldError(name, f"{humanize(name)} must be greater than or equal to 0")
            )
    mode = changes.get("variable_judgments_mode")
    if mode is not None and mode not in VARIABLE_MODES:  # FOUND: the three (OAS enum)
        problems.append(
            FieldError(
                "variable_judgments_mode",
                "Variable judgments mode must be one of " + ", ".join(VARIABLE_MODES),
            )
        )
    # FOUND: at most 20 included or 15 excluded countries, and only one list (OAS)
    included, excluded = job.get("included_countries") or [], job.get("excluded_countries") or []
    if len(included) > 20:
        problems.append(FieldError("included_countries", "Included countries can hold at most 20"))
    if len(excluded) > 15:
        problems.append(FieldError("excluded_countries", "Excluded countries can hold at most 15"))
    if included and excluded:
        problems.append(
            FieldError(
                "included_countries", "Included countries and excluded countries cannot both be set"
            )
        )
    return problems

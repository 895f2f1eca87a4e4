"""The worker form of a CrowdFlower job, read from its CML.

CML ("CrowdFlower Markup Language") is HTML with ``cml:``-prefixed form tags. The sandbox
needs every form field to draw simulated answers, to aggregate judgments and to answer
``GET /jobs/{id}/legend``. Customers type CML by hand and it need not be well-formed XML,
so it is read with the forgiving :class:`html.parser.HTMLParser` (which lowercases tag and
attribute names). Reading never raises: whatever cannot be understood is skipped and noted
in :attr:`Form.problems`, so the API can report it the way CrowdFlower does.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from dataclasses import dataclass
from html.parser import HTMLParser

from mockserver.core.numbers import positive, real

# Kind -> the tags that are its options; kinds absent here take free text.
OPTION_TAGS: dict[str, frozenset[str]] = {
    "radios": frozenset({"cml:radio"}),
    "checkboxes": frozenset({"cml:checkbox"}),
    "select": frozenset({"cml:option", "option"}),
    "taxonomy": frozenset({"cml:option", "option"}),
    "ratings": frozenset({"cml:rating"}),
}
# Aggregation CrowdFlower applies when a field names none.
DEFAULT_AGGREGATION: dict[str, str] = {
    "radios": "agg",
    "checkbox": "agg",
    "checkboxes": "agg",
    "select": "agg",
    "taxonomy": "agg",
    "text": "all",
    "textarea": "all",
    "hidden": "all",
    "ratings": "avg",
}
FIELD_KINDS = frozenset(DEFAULT_AGGREGATION)
# Kinds whose answers come from a closed set, so the legend lists them.
CHOICE_KINDS = frozenset(OPTION_TAGS) | {"checkbox"}
# Kinds that cannot be answered at all without options (a taxonomy may load its own).
NEEDS_OPTIONS = frozenset({"radios", "checkboxes", "select"})
STRAY_OPTION_TAGS = frozenset({"cml:radio", "cml:option", "cml:rating"})
BOOLEAN_VALUES = ("true", "false")
DEFAULT_POINTS = 5
MAX_POINTS = 100  # a larger scale is a typo, not a rating
PLAIN_AGGREGATIONS = frozenset({"agg", "all", "avg", "tagg"})
THRESHOLD_AGGREGATION = re.compile(r"(agg|cagg|bagg)_(\d+(?:\.\d+)?|\.\d+)")
NOT_ALPHANUMERIC = re.compile(r"[^a-z0-9]+")
FALSE_FLAGS = frozenset({"false", "0", "no"})


@dataclass(frozen=True, slots=True)
class Field:
    """One answer key of the form, with all the sandbox needs to fake and judge answers."""

    name: str
    kind: str  # "radios" | "checkbox" | "checkboxes" | "select" | "text" | "textarea" | ...
    label: str
    options: tuple[str, ...]  # the option values as written, in document order
    option_labels: tuple[str, ...]  # parallel to options
    validates: tuple[str, ...]
    aggregation: str  # e.g. "agg", "all", "avg", "agg_3", "cagg_0.6"
    gold: bool  # judged against the ``<name>_gold`` column of test questions
    required: bool  # "required" in validates
    multiple: bool  # the answer is a list: checkboxes, or a select with ``multiple``
    only_if: str | None  # the raw ``only-if`` logic; the sandbox does not evaluate it
    # The scale of a ratings field that lists no cml:rating, which has no option values to
    # hold it; None for every other field.
    points: int | None = None

    def answer_options(self) -> tuple[str, ...]:
        """The values a simulated worker may pick; () when any text will do."""
        if self.options:
            return self.options
        if self.kind == "checkbox":
            return BOOLEAN_VALUES
        if self.kind == "ratings":
            return tuple(str(point) for point in range(1, (self.points or DEFAULT_POINTS) + 1))
        return ()


@dataclass(frozen=True, slots=True)
class Form:
    """Every field of a job's CML in document order, and what was wrong with the markup."""

    fields: tuple[Field, ...]
    problems: tuple[str, ...]  # human-readable notes; the fields are still usable

    def field(self, name: str) -> Field | None:
        """The field answering under ``name``, if the form has one."""
        return next((candidate for candidate in self.fields if candidate.name == name), None)

    @property
    def names(self) -> tuple[str, ...]:
        """The answer keys, in document order."""
        return tuple(candidate.name for candidate in self.fields)

    @property
    def launchable(self) -> bool:
        """CrowdFlower refuses to launch a job whose form requires no answer at all."""
        return any(candidate.required for candidate in self.fields)


@functools.lru_cache(maxsize=1024)
def parse(cml: str | None) -> Form:
    """Read a job's CML into its form; malformed markup gives problems, never an exception.

    Forms are frozen and a job's CML rarely changes while it is read on every unit
    and result, so parses are kept (by text) rather than repeated.
    """
    if not cml:
        return Form((), ())
    reader = _Reader()
    try:
        reader.feed(cml)
        reader.close()
    except Exception as error:  # HTMLParser is lenient, but a form must never break a job
        reader.problems.append(f"the markup could not be read past an error: {error}")
        reader.finish()
    return Form(tuple(reader.fields), tuple(reader.problems))


def legend(form: Form) -> dict[str, object]:
    """What ``GET /jobs/{id}/legend`` answers: each field by name, in document order.

    ``options`` maps value to label and is present for every choice kind (so the shape of an
    entry depends only on its type), holding the values a worker may answer.
    """
    entries: dict[str, object] = {}
    for item in form.fields:
        entry: dict[str, object] = {"type": item.kind, "label": item.label}
        if item.kind in CHOICE_KINDS:
            values = item.answer_options()
            labels = item.option_labels if item.options else values
            entry["options"] = dict(zip(values, labels, strict=True))
        entry["validates"] = list(item.validates)
        entry["aggregation"] = item.aggregation
        entry["gold"] = item.gold
        entries[item.name] = entry
    return entries


def aggregation_kind(aggregation: str) -> tuple[str, float | None]:
    """Splits "agg_3" -> ("agg_x", 3.0), "cagg_0.6" -> ("cagg_x", 0.6), "agg" -> ("agg", None).

    Aggregators dispatch on the kind and read the number as their threshold; anything
    unknown is treated as plain "agg", CrowdFlower's own fallback.
    """
    return _split_aggregation(aggregation) or ("agg", None)


def derive_name(label: str) -> str:
    """The answer key CrowdFlower gives a field that has a label but no name."""
    return NOT_ALPHANUMERIC.sub("_", label.lower()).strip("_")


def _split_aggregation(aggregation: str) -> tuple[str, float | None] | None:
    text = aggregation.strip().lower()
    if text in PLAIN_AGGREGATIONS:
        return text, None
    match = THRESHOLD_AGGREGATION.fullmatch(text)
    threshold = None if match is None else real(match.group(2))
    if match is None or threshold is None:
        return None
    return f"{match.group(1)}_x", threshold


def _flag(attributes: dict[str, str], key: str) -> bool:
    """HTML boolean attributes: present (even bare) means on, unless spelled as false."""
    return key in attributes and attributes[key].strip().lower() not in FALSE_FLAGS


@dataclass(slots=True)
class _Draft:
    tag: str
    attributes: dict[str, str]
    text: list[str] = dataclasses.field(default_factory=list)
    options: list[tuple[str, str]] = dataclasses.field(default_factory=list)  # (value, label)


class _Reader(HTMLParser):
    """Collects fields as tags stream past; fields never nest, so one is open at a time."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.fields: list[Field] = []
        self.problems: list[str] = []
        self._field: _Draft | None = None
        self._option: _Draft | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes: dict[str, str] = {}
        for key, value in attrs:
            attributes.setdefault(key, value or "")  # as in HTML, the first spelling wins
        if self._field is not None and tag in OPTION_TAGS.get(self._kind(self._field), ()):
            self._finish_option()
            self._option = _Draft(tag, attributes)
        elif tag.startswith("cml:") and tag[4:] in FIELD_KINDS:
            self._finish_field()
            self._field = _Draft(tag, attributes)
        elif tag in STRAY_OPTION_TAGS:
            label = attributes.get("label") or attributes.get("value") or ""
            self.problems.append(f"<{tag}> {label!r} outside a field that takes it is ignored")

    def handle_endtag(self, tag: str) -> None:
        if self._option is not None and tag == self._option.tag:
            self._finish_option()
        elif self._field is not None and tag == self._field.tag:
            self._finish_field()

    def handle_data(self, data: str) -> None:
        if self._option is not None:
            self._option.text.append(data)

    def close(self) -> None:
        try:
            super().close()
        finally:
            self.finish()

    def finish(self) -> None:
        """Ends the open field: an unclosed field still counts, with what it gathered."""
        self._finish_field()

    @staticmethod
    def _kind(draft: _Draft) -> str:
        return draft.tag[4:]

    def _finish_option(self) -> None:
        option, self._option = self._option, None
        if option is None or self._field is None:
            return
        text = " ".join("".join(option.text).split())
        label = option.attributes.get("label") or text or option.attributes.get("value", "")
        value = option.attributes.get("value") or label
        where = f"<{self._field.tag}> {self._describe(self._field)}"
        if not value:
            self.problems.append(f"an option without label or value in {where} is ignored")
        elif any(value == seen for seen, _ in self._field.options):
            self.problems.append(f"option value {value!r} repeats in {where}; the first counts")
        else:
            self._field.options.append((value, label))

    def _finish_field(self) -> None:
        self._finish_option()
        draft, self._field = self._field, None
        if draft is None:
            return
        kind, attributes = self._kind(draft), draft.attributes
        label = attributes.get("label", "")
        name = attributes.get("name", "").strip() or derive_name(label)
        if not name:
            if label.strip():
                self.problems.append(f"<{draft.tag}> label {label!r} yields no name; ignored")
            else:
                self.problems.append(f"<{draft.tag}> with neither name nor label is ignored")
            return
        if any(name == existing.name for existing in self.fields):
            self.problems.append(f"field name {name!r} repeats; the first field counts")
            return
        if kind in NEEDS_OPTIONS and not draft.options:
            self.problems.append(f"<{draft.tag}> {name!r} has no options")
        validates = tuple(attributes.get("validates", "").split())
        self.fields.append(
            Field(
                name=name,
                kind=kind,
                label=label,
                options=tuple(value for value, _ in draft.options),
                option_labels=tuple(text for _, text in draft.options),
                validates=validates,
                aggregation=self._aggregation(kind, name, attributes),
                gold=_flag(attributes, "gold"),
                required="required" in validates,
                multiple=kind == "checkboxes"
                or (kind in ("select", "taxonomy") and _flag(attributes, "multiple")),
                only_if=attributes.get("only-if") or None,
                points=None
                if kind != "ratings" or draft.options
                else self._points(name, attributes),
            )
        )

    def _aggregation(self, kind: str, name: str, attributes: dict[str, str]) -> str:
        written = attributes.get("aggregation", "").strip().lower()
        if not written:
            return DEFAULT_AGGREGATION[kind]
        if _split_aggregation(written) is None:
            default = DEFAULT_AGGREGATION[kind]
            self.problems.append(f"{name!r}: unknown aggregation {written!r}, using {default!r}")
            return default
        return written

    def _points(self, name: str, attributes: dict[str, str]) -> int:
        written = attributes.get("points", "").strip()
        if not written:
            return DEFAULT_POINTS
        points = positive(written, most=MAX_POINTS)
        if points is not None:
            return points
        self.problems.append(
            f"{name!r}: points={written!r} is not 1..{MAX_POINTS}, using {DEFAULT_POINTS}"
        )
        return DEFAULT_POINTS

    @staticmethod
    def _describe(draft: _Draft) -> str:
        return repr(draft.attributes.get("name") or draft.attributes.get("label") or "")

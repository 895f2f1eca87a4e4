"""What the simulated clickworker writes: output items fitted to the template.

FOUND: ``TextCreate`` orders a text of a language and a length range (``min#max``
words); ``TextCreateWithKeywords`` adds ``keyword`` form elements whose options name
the output they must appear in (``reference_slug``) and the task inputs holding how
often (``min_occurrence_ref``, ``max_occurrence_ref``).

INFERRED: a ``text_field`` output is a title, a ``text_area`` output a paragraph whose
word count falls in the ordered range (its own ``min_length``/``max_length`` options,
in words, win); both mention the task's subject (the site of a URL input, else the
first text input) and carry the keywords. Words come from faker's word list for the
template's language, English where faker has none. Faker is imported on first use.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from mockserver.core.numbers import natural
from mockserver.core.rng import Rng

from .templates import FormElement, Template

# Languages whose faker word list is real words of that language (others read as Latin).
LOCALES = {"en": "en_US", "de": "de_DE", "fr": "fr_FR", "es": "es_ES", "pl": "pl_PL",
           "it": "it_IT", "cs": "cs_CZ", "nl": "nl_NL", "ru": "ru_RU"}  # fmt: skip
DEFAULT_LENGTH = (50, 110)  # INFERRED: words, when the template orders no length
KEYWORD_INPUT = re.compile(r"^keyword(_[a-z0-9]+)?$")
MAX_OCCURRENCES = 10
MAX_WORDS = 10_000
"""INFERRED: the longest text a simulated worker writes. A template may order any
length (nothing documented bounds it), but writing 10^18 words would hold the server;
past this the text stops, as a human writer would stop long before."""
SHORTEST_SENTENCE = 5


def item_code(element: FormElement) -> str:
    """FOUND: ``item_code`` ties items to form elements; the element's ``code`` otherwise."""
    return element.item_code or element.code


def ordered_length(template: Template) -> tuple[int, int]:
    """The ``min#max`` word range of the template's ``*_text_length`` attribute."""
    for code, value in template.attributes.items():
        if code.endswith("_text_length"):
            low_text, _, high_text = str(value).partition("#")
            low, high = natural(low_text.strip()), natural(high_text.strip())
            if low is not None and high is not None:
                return low, max(low, high)
    return DEFAULT_LENGTH


class Writer:
    """Drafts output items from the tenant's seeded randomness."""

    def __init__(self, rng: Rng) -> None:
        self._rng = rng
        self._fakers: dict[str, Any] = {}

    def write(self, template: Template, inputs: Mapping[str, str]) -> list[tuple[str, str]]:
        """One ``(code, content)`` per output element, in form order."""
        fake = self._faker(_language(template))
        fake.seed_instance(self._rng.integer(0, 2**31))
        subject = _subject(template, inputs)
        keywords = _keywords(template, inputs)
        low, high = ordered_length(template)
        drafted = []
        for element in template.outputs:
            code = item_code(element)
            wanted = [(k, self._occurrences(n)) for k, n in keywords.get(code, [])]
            if element.type == "text_area":
                words = self._rng.integer(*_word_range(element, low, high))
                content = self._paragraph(fake, subject, words, wanted)
            elif element.type in ("text_field", "keyword"):
                content = self._title(fake, subject, element, wanted)
            else:
                content = self._value(fake, element)
            drafted.append((code, content))
        return drafted

    def _faker(self, language: str) -> Any:
        locale = LOCALES.get(language, "en_US")
        if locale not in self._fakers:
            from faker import Faker  # deferred: the heaviest import in the sandbox

            self._fakers[locale] = Faker(locale)
        return self._fakers[locale]

    def _occurrences(self, bounds: tuple[int, int]) -> int:
        low, high = bounds
        return self._rng.integer(low, max(low, high))

    def _title(
        self, fake: Any, subject: str, element: FormElement, keywords: list[tuple[str, int]]
    ) -> str:
        words = fake.words(nb=self._rng.integer(3, 6))
        words[0] = words[0].capitalize()
        for keyword, _ in keywords:
            words.insert(self._rng.integer(0, len(words)), keyword)
        title = f"{subject}: {' '.join(words)}" if subject else " ".join(words)
        limit = _option(element, "max_length")
        return title[:limit].rstrip() if limit else title

    def _paragraph(
        self, fake: Any, subject: str, words: int, keywords: list[tuple[str, int]]
    ) -> str:
        sentences: list[list[str]] = []
        total = 0
        while total < words:
            size = self._rng.integer(7, 16)
            if words - total - size < SHORTEST_SENTENCE:  # no stub of a last sentence
                size = words - total
            sentence = fake.words(nb=size)
            sentences.append(sentence)
            total += len(sentence)
        placements = [subject] if subject else []
        for keyword, count in keywords:
            placements.extend([keyword] * count)
        # Each phrase replaces a word (so the count stays in the range), never a first
        # word, whose capital would change the keyword.
        slots = [(i, j) for i, s in enumerate(sentences) for j in range(1, len(s))]
        chosen = self._rng.sample(slots, min(len(slots), len(placements)))
        for phrase, (i, j) in zip(placements, chosen, strict=False):
            sentences[i][j] = phrase
        return " ".join(_sentence(s) for s in sentences)

    def _value(self, fake: Any, element: FormElement) -> str:
        if element.options and element.type in ("drop_box", "select", "radio_button"):
            return str(self._rng.choice(element.options).get("code", ""))
        makers = {"url": fake.url, "email": fake.email, "date": fake.date,
                  "media": fake.image_url}  # fmt: skip
        if element.type in makers:
            return str(makers[element.type]())
        if element.type == "number":
            return str(self._rng.integer(1, 100))
        return _sentence(fake.words(nb=self._rng.integer(3, 8)))


def _language(template: Template) -> str:
    for code, value in template.attributes.items():
        if code.endswith("_language"):
            return str(value).lower()
    return "en"


def _subject(template: Template, inputs: Mapping[str, str]) -> str:
    """What the text is about: the site of a URL input, else the first text input."""
    types = {item_code(e): e.type for e in template.inputs}
    texts = [v for c, v in inputs.items() if v and types.get(c) != "keyword"]
    for value in texts:
        host = urlsplit(value).hostname if "://" in value else None
        if host:
            name = host.removeprefix("www.").split(".")[0]
            return name.capitalize()
    if texts:
        return texts[0].strip()
    return template.titles.get("en", "")


def _keywords(
    template: Template, inputs: Mapping[str, str]
) -> dict[str, list[tuple[str, tuple[int, int]]]]:
    """Output code -> the keywords it must carry, each with its occurrence bounds."""
    areas = [item_code(e) for e in template.outputs if e.type == "text_area"]
    default_target = areas[0] if areas else next(iter(item_code(e) for e in template.outputs), "")
    wanted: dict[str, list[tuple[str, tuple[int, int]]]] = {}
    elements = [e for e in template.inputs if e.type == "keyword"]
    for element in elements:
        keyword = inputs.get(item_code(element), "").strip()
        if not keyword:
            continue
        options = {o.get("code"): str(o.get("value", "")) for o in element.options}
        target = options.get("reference_slug") or default_target
        low = _count(inputs.get(options.get("min_occurrence_ref", "")), 1)
        high = _count(inputs.get(options.get("max_occurrence_ref", "")), low)
        wanted.setdefault(target, []).append((keyword, (low, min(high, MAX_OCCURRENCES))))
    if not elements and template.product == "TextCreateWithKeywords":
        for code, value in inputs.items():
            if KEYWORD_INPUT.match(code) and value.strip():
                low = _count(inputs.get(f"{code}_min"), 1)
                high = _count(inputs.get(f"{code}_max"), low)
                wanted.setdefault(default_target, []).append(
                    (value.strip(), (low, min(high, MAX_OCCURRENCES)))
                )
    return wanted


def _count(text: str | None, default: int) -> int:
    value = natural((text or "").strip())
    return default if value is None else min(value, MAX_OCCURRENCES)


def _word_range(element: FormElement, low: int, high: int) -> tuple[int, int]:
    least, most = _option(element, "min_length"), _option(element, "max_length")
    if least and most and least <= most:
        low, high = least, most
    return min(low, MAX_WORDS), min(high, MAX_WORDS)


def _option(element: FormElement, code: str) -> int | None:
    for option in element.options:
        if option.get("code") == code:
            value = natural(str(option.get("value", "")).strip())
            if value is not None:
                return value
    return None


def _sentence(words: list[str]) -> str:
    text = " ".join(words)
    return f"{text[:1].upper()}{text[1:]}."

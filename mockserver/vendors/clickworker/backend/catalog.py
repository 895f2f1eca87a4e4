"""The products a customer can order: standard marketplace products and their attributes.

FOUND: a product has a ``code``, localized ``titles``, a ``description`` and an
``available`` flag, and repeated ``attributes``, each with ``code``, ``type``,
``is_mandatory``, localized ``titles`` and ``helps`` (en/de/fr) and repeated
``options`` (localized ``titles`` and a ``value``). The codes ``TextCreate``,
``TextCreateWithKeywords``, ``ExternalForm`` and ``AddressResearch`` appear in the
documentation, and so do the text products' attribute codes; the language and
text-length values are the ones the WordPress plugin sends.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from mockserver.core.errors import NotFound
from mockserver.core.memo import Memo

Localized = dict[str, str]

SELECT = "select"  # INFERRED: the value must be one of the options
TEXT = "text"  # INFERRED: free text, taken as sent

LANGUAGES: dict[str, Localized] = {
    "en": {"en": "English", "de": "Englisch", "fr": "Anglais"},
    "de": {"en": "German", "de": "Deutsch", "fr": "Allemand"},
    "fr": {"en": "French", "de": "Französisch", "fr": "Français"},
    "es": {"en": "Spanish", "de": "Spanisch", "fr": "Espagnol"},
    "pl": {"en": "Polish", "de": "Polnisch", "fr": "Polonais"},
    "pt": {"en": "Portuguese", "de": "Portugiesisch", "fr": "Portugais"},
    "tr": {"en": "Turkish", "de": "Türkisch", "fr": "Turc"},
    "it": {"en": "Italian", "de": "Italienisch", "fr": "Italien"},
    "cs": {"en": "Czech", "de": "Tschechisch", "fr": "Tchèque"},
    "nl": {"en": "Dutch", "de": "Niederländisch", "fr": "Néerlandais"},
    "ru": {"en": "Russian", "de": "Russisch", "fr": "Russe"},
    "hu": {"en": "Hungarian", "de": "Ungarisch", "fr": "Hongrois"},
    "ro": {"en": "Romanian", "de": "Rumänisch", "fr": "Roumain"},
}
TEXT_LENGTHS = (
    "10#55", "50#110", "100#160", "151#205", "201#255", "251#305", "301#355", "351#405",
    "451#505", "501#555", "551#605", "601#710", "701#810", "801#910", "901#1010", "1001#1210",
)  # fmt: skip
PROOF_READ: dict[str, Localized] = {
    "textcreate_proof_yes": {"en": "Yes", "de": "Ja", "fr": "Oui"},
    "textcreate_proof_no": {"en": "No", "de": "Nein", "fr": "Non"},
}


@dataclass(frozen=True, slots=True)
class Option:
    value: str
    titles: Localized


@dataclass(frozen=True, slots=True)
class Attribute:
    code: str
    type: str
    is_mandatory: bool
    titles: Localized
    helps: Localized
    options: tuple[Option, ...] = ()

    @property
    def values(self) -> frozenset[str]:
        return frozenset(o.value for o in self.options)

    def accepts(self, value: str) -> bool:
        """Free-text attributes take anything; the others one of their options."""
        return self.type != SELECT or value in self.values


@dataclass(frozen=True, slots=True)
class Product:
    code: str
    titles: Localized
    descriptions: Localized
    attributes: tuple[Attribute, ...]
    available: bool = True
    by_code: dict[str, Attribute] = field(init=False, repr=False, compare=False)
    # the product as answers show it, written once (a product never changes)
    shown: Memo[Any] = field(default_factory=Memo, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_code", {a.code: a for a in self.attributes})

    @property
    def mandatory(self) -> list[Attribute]:
        return [a for a in self.attributes if a.is_mandatory]

    def title(self, language: str = "en") -> str:
        return self.titles.get(language) or self.titles["en"]

    def description(self, language: str = "en") -> str:
        return self.descriptions.get(language) or self.descriptions["en"]


def _language(prefix: str) -> Attribute:
    return Attribute(
        f"{prefix}_language",
        SELECT,
        True,
        {"en": "Language", "de": "Sprache", "fr": "Langue"},
        {
            "en": "The language the text is written in",
            "de": "Die Sprache, in der der Text verfasst wird",
            "fr": "La langue dans laquelle le texte est rédigé",
        },
        tuple(Option(code, titles) for code, titles in LANGUAGES.items()),
    )


def _text_length(prefix: str) -> Attribute:
    # FOUND: the allowed lengths "differ slightly" between the two text products, but
    # only the plugin's list survives. INFERRED: both offer it.
    return Attribute(
        f"{prefix}_text_length",
        SELECT,
        True,
        {"en": "Text length", "de": "Textlänge", "fr": "Longueur du texte"},
        {
            "en": "Minimum and maximum number of words (min#max)",
            "de": "Minimale und maximale Anzahl Wörter (min#max)",
            "fr": "Nombre minimal et maximal de mots (min#max)",
        },
        tuple(
            Option(
                value,
                {
                    "en": "{} to {} words".format(*value.split("#")),
                    "de": "{} bis {} Wörter".format(*value.split("#")),
                    "fr": "{} à {} mots".format(*value.split("#")),
                },
            )
            for value in TEXT_LENGTHS
        ),
    )


def _proof_read(prefix: str) -> Attribute:
    # FOUND: both text products take the values textcreate_proof_yes|no.
    return Attribute(
        f"{prefix}_proof_read",
        SELECT,
        True,
        {"en": "Proof-reading", "de": "Korrektorat", "fr": "Relecture"},
        {
            "en": "Quality assurance by a second clickworker",
            "de": "Qualitätssicherung durch einen zweiten Clickworker",
            "fr": "Contrôle qualité par un second clickworker",
        },
        tuple(Option(value, titles) for value, titles in PROOF_READ.items()),
    )


def _free(code: str, titles: Localized, helps: Localized, *, mandatory: bool = False) -> Attribute:
    return Attribute(code, TEXT, mandatory, titles, helps)


def _text_create() -> Product:
    return Product(
        "TextCreate",
        {"en": "Text creation", "de": "Texterstellung", "fr": "Création de texte"},
        {
            "en": "Unique texts written by clickworkers to your briefing",
            "de": "Einzigartige Texte von Clickworkern nach Ihrem Briefing",
            "fr": "Des textes uniques rédigés par des clickworkers selon votre briefing",
        },
        (_language("textcreate"), _text_length("textcreate"), _proof_read("textcreate")),
    )


def _text_create_with_keywords() -> Product:
    prefix = "textcreatewithkeywords"
    # INFERRED: only language, length and proof-reading are mandatory (the plugin
    # sends no more); sample, description and the team lists are optional free text.
    return Product(
        "TextCreateWithKeywords",
        {
            "en": "Text creation with keywords",
            "de": "Texterstellung mit Keywords",
            "fr": "Création de texte avec mots-clés",
        },
        {
            "en": "SEO texts containing your keywords as often as you ask",
            "de": "SEO-Texte, die Ihre Keywords so oft wie gewünscht enthalten",
            "fr": "Des textes SEO contenant vos mots-clés aussi souvent que demandé",
        },
        (
            _language(prefix),
            _text_length(prefix),
            _proof_read(prefix),
            _free(
                f"{prefix}_sample",
                {"en": "Sample text", "de": "Beispieltext", "fr": "Texte d'exemple"},
                {
                    "en": "A text showing the style you expect",
                    "de": "Ein Text, der den gewünschten Stil zeigt",
                    "fr": "Un texte montrant le style attendu",
                },
            ),
            _free(
                f"{prefix}_description",
                {"en": "Description", "de": "Beschreibung", "fr": "Description"},
                {
                    "en": "Further notes for the authors",
                    "de": "Weitere Hinweise für die Autoren",
                    "fr": "Autres indications pour les auteurs",
                },
            ),
            _free(
                f"{prefix}_team_whitelist",
                {"en": "Team (only)", "de": "Team (nur)", "fr": "Équipe (seule)"},
                {
                    "en": "ID of the team allowed to work on the tasks",
                    "de": "ID des Teams, das die Aufgaben bearbeiten darf",
                    "fr": "ID de l'équipe autorisée à traiter les tâches",
                },
            ),
            _free(
                f"{prefix}_team_blacklist",
                {"en": "Team (excluded)", "de": "Team (ausgeschlossen)", "fr": "Équipe (exclue)"},
                {
                    "en": "ID of the team excluded from the tasks",
                    "de": "ID des Teams, das ausgeschlossen wird",
                    "fr": "ID de l'équipe exclue des tâches",
                },
            ),
        ),
    )


def _external_form() -> Product:
    # FOUND: an iframe product configured with target-crowd settings (country, age,
    # gender). INFERRED: the attribute codes and values, all optional.
    return Product(
        "ExternalForm",
        {"en": "External form", "de": "Externes Formular", "fr": "Formulaire externe"},
        {
            "en": "Tasks in a form hosted on your own server, shown in an iframe",
            "de": "Aufgaben in einem Formular auf Ihrem Server, angezeigt im iFrame",
            "fr": "Des tâches dans un formulaire hébergé chez vous, affiché en iframe",
        },
        (
            Attribute(
                "externalform_country",
                SELECT,
                False,
                {"en": "Country", "de": "Land", "fr": "Pays"},
                {
                    "en": "Only clickworkers living in this country",
                    "de": "Nur Clickworker aus diesem Land",
                    "fr": "Seulement les clickworkers de ce pays",
                },
                tuple(
                    Option(code, {"en": code, "de": code, "fr": code})
                    for code in ("DE", "AT", "CH", "FR", "GB", "US", "ES", "IT", "NL", "PL")
                ),
            ),
            Attribute(
                "externalform_gender",
                SELECT,
                False,
                {"en": "Gender", "de": "Geschlecht", "fr": "Sexe"},
                {
                    "en": "Only clickworkers of this gender",
                    "de": "Nur Clickworker dieses Geschlechts",
                    "fr": "Seulement les clickworkers de ce sexe",
                },
                (
                    Option("female", {"en": "Female", "de": "Weiblich", "fr": "Féminin"}),
                    Option("male", {"en": "Male", "de": "Männlich", "fr": "Masculin"}),
                ),
            ),
            _free(
                "externalform_age",
                {"en": "Age", "de": "Alter", "fr": "Âge"},
                {
                    "en": "Age range of the clickworkers (min#max)",
                    "de": "Altersspanne der Clickworker (min#max)",
                    "fr": "Tranche d'âge des clickworkers (min#max)",
                },
            ),
        ),
    )


def _address_research() -> Product:
    # FOUND: the code, as an example of a template's product. INFERRED: its attributes.
    return Product(
        "AddressResearch",
        {"en": "Address research", "de": "Adressrecherche", "fr": "Recherche d'adresses"},
        {
            "en": "Clickworkers research and verify postal addresses",
            "de": "Clickworker recherchieren und prüfen Postanschriften",
            "fr": "Des clickworkers recherchent et vérifient des adresses postales",
        },
        (
            _language("addressresearch"),
            _free(
                "addressresearch_country",
                {"en": "Country", "de": "Land", "fr": "Pays"},
                {
                    "en": "Country the addresses are in",
                    "de": "Land, in dem die Adressen liegen",
                    "fr": "Pays où se trouvent les adresses",
                },
            ),
        ),
    )


def _custom_solution() -> Product:
    # FOUND: besides standard products there are Solutions (custom) products.
    # INFERRED: one is listed as not available, set up on request by clickworker.
    return Product(
        "CustomSolution",
        {"en": "Custom solution", "de": "Individuelle Lösung", "fr": "Solution sur mesure"},
        {
            "en": "Set up on request by the clickworker Solutions team",
            "de": "Auf Anfrage vom clickworker Solutions-Team eingerichtet",
            "fr": "Mise en place sur demande par l'équipe Solutions de clickworker",
        },
        (),
        available=False,
    )


STANDARD_PRODUCTS: tuple[Product, ...] = (
    _text_create(),
    _text_create_with_keywords(),
    _external_form(),
    _address_research(),
    _custom_solution(),
)
"""The catalog every customer sees. Products are frozen values, so every tenant's
catalog holds these same objects: built per tenant, they were most of an idle
tenant's memory (about 25 KB and 150 objects the garbage collector walks)."""


class Catalog:
    """The products one customer sees, by code, in a stable order."""

    def __init__(self, products: tuple[Product, ...] | None = None) -> None:
        self._by_code = {p.code: p for p in (products or STANDARD_PRODUCTS)}

    def __iter__(self) -> Iterator[Product]:
        return iter(self._by_code.values())

    def __len__(self) -> int:
        return len(self._by_code)

    def get(self, code: str) -> Product | None:
        return self._by_code.get(code)

    def require(self, code: str) -> Product:
        product = self._by_code.get(code)
        if product is None:
            raise NotFound(f"No product {code!r}")
        return product

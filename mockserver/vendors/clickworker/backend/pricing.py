"""What a task costs. INFERRED throughout: the documentation says only that the price
depends on the inputs (text length, quality assurance) and is quoted after tax.

Texts are priced per word of the upper bound of the ordered length range
(``min#max``), more with proof-reading; other products at a flat rate. VAT is 19%.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from mockserver.core.numbers import natural

TAX_RATE = Decimal("0.19")
PER_WORD = Decimal("0.012")
PER_WORD_PROOF_READ = Decimal("0.016")
FLAT = Decimal("0.50")
CENT = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class Quote:
    net: Decimal
    tax: Decimal
    gross: Decimal
    currency: str


def quote(product: str, attributes: Mapping[str, str], currency: str = "EUR") -> Quote:
    words = _words(attributes)
    if words:
        rate = PER_WORD_PROOF_READ if _proof_read(attributes) else PER_WORD
        net = (rate * words).quantize(CENT, ROUND_HALF_UP)
    else:
        net = FLAT
    tax = (net * TAX_RATE).quantize(CENT, ROUND_HALF_UP)
    return Quote(net, tax, net + tax, currency)


def _words(attributes: Mapping[str, str]) -> int:
    for code, value in attributes.items():
        if code.endswith("_text_length") and "#" in value:
            upper = natural(value.split("#", 1)[1])
            if upper is not None:
                return upper
    return 0


def _proof_read(attributes: Mapping[str, str]) -> bool:
    return any(
        v == "textcreate_proof_yes" for k, v in attributes.items() if k.endswith("_proof_read")
    )

"""ISO 4217 currency codes, their minor units, and the words documents use for them.

Active currencies come from the ``iso4217`` package (the ISO maintenance agency's list);
the words documents write for them are in each language's vocabulary
(:mod:`socialproj.vocabulary`).
Historic currencies that records of public funding still carry — the Bulgarian lev
(replaced by the euro on 2026-01-01), the Croatian kuna and the legacy euro currencies —
are listed here with their ISO 4217 minor units, because the current ISO list no longer
holds them.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from .errors import expect

__all__ = [
    "HISTORIC_CURRENCIES",
    "currency_codes",
    "currency_from_word",
    "currency_meanings",
    "is_currency",
    "minor_units",
    "normalize_currency",
]

#: Historic ISO 4217 currencies still found in project records: code → minor units.
HISTORIC_CURRENCIES: dict[str, int] = {
    "BGN": 2,  # Bulgarian lev, euro since 2026-01-01
    "HRK": 2,  # Croatian kuna, euro since 2023-01-01
    "LTL": 2,
    "LVL": 2,
    "EEK": 2,
    "SKK": 2,
    "MTL": 2,
    "CYP": 2,
    "SIT": 2,
    "GRD": 0,
    "ATS": 2,
    "BEF": 0,
    "DEM": 2,
    "ESP": 0,
    "FIM": 2,
    "FRF": 2,
    "IEP": 2,
    "ITL": 0,
    "LUF": 0,
    "NLG": 2,
    "PTE": 0,
    "ROL": 2,  # Romanian leu before the 2005 redenomination (10 000 ROL = 1 RON)
    "TRL": 0,  # Turkish lira before 2005 (1 000 000 TRL = 1 TRY)
    "MKN": 2,
    "YUM": 2,
    "CSD": 2,
}


@cache
def _active() -> dict[str, int | None]:
    import iso4217  # imported on first use: it parses the ISO table at import

    units: dict[str, int | None] = {}
    for currency in iso4217.Currency:
        units[currency.code] = currency.exponent
    return units


@cache
def currency_codes() -> frozenset[str]:
    """Every ISO 4217 code socialproj knows, active and historic (built on first use).

    For readers that check many cells: ``code in currency_codes()`` is
    :func:`is_currency` without a call.
    """
    return frozenset(_active()) | frozenset(HISTORIC_CURRENCIES)


def is_currency(code: str) -> bool:
    """Whether ``code`` is an ISO 4217 code, active or historic (exact, upper case)."""
    return code in HISTORIC_CURRENCIES or code in _active()


def minor_units(code: str) -> int:
    """Digits after the decimal mark in ``code``'s minor unit: 2 for EUR, 0 for JPY.

    Codes without a minor unit (gold, SDR) count as 2 places. Unknown codes raise
    ``ValueError``.
    """
    if code in HISTORIC_CURRENCIES:
        return HISTORIC_CURRENCIES[code]
    active = _active()
    if code not in active:
        raise ValueError(f"{code!r} is not an ISO 4217 currency code")
    units = active[code]
    return 2 if units is None else units


def normalize_currency(code: str) -> str:
    """Return ``code`` in upper case if it is an ISO 4217 code, else raise ``ValueError``."""
    expect(code, str, "a currency is an ISO 4217 code such as 'EUR'")
    upper = code.strip().upper()
    if not is_currency(upper):
        raise ValueError(f"{code!r} is not an ISO 4217 currency code")
    return upper


def currency_from_word(word: str, *, languages: Iterable[str] = ()) -> str | None:
    """The ISO code a currency word, sign or code stands for; ``None`` if it is none.

    ``"лв."`` → ``"BGN"``, ``"euro"`` → ``"EUR"``, ``"€"`` → ``"EUR"``, ``"lei"`` →
    ``"RON"``, ``"денари"`` → ``"MKD"``, ``"DM"`` → ``"DEM"``; an ISO code in capitals is
    itself. The words are each language's (:mod:`socialproj.vocabulary`); a word that
    names different currencies in different languages (``"kr"``: Danish or Swedish
    krone) is ``None`` unless ``languages`` settles it (use
    :func:`currency_meanings` to say why).

        >>> currency_from_word("лв."), currency_from_word("kr", languages=["sv"])
        ('BGN', 'SEK')
    """
    from .vocabulary import AmbiguousWord, currency_words

    if not word.strip():
        return None
    try:
        code = currency_words().meaning(word.strip(), languages)
    except AmbiguousWord:
        return None
    if code is not None:
        return code
    # a bare ISO code must be written in capitals: "ALL" is the Albanian lek, "all" is not
    code = word.strip().rstrip(".")
    if len(code) == 3 and code.isascii() and code.isalpha() and code.isupper():
        return code if is_currency(code) else None
    return None


def currency_meanings(word: str) -> dict[str, tuple[str, ...]]:
    """The currencies a word names, each with the languages it names it in.

    >>> currency_meanings("kr")
    {'DKK': ('da',), 'SEK': ('sv',)}
    """
    from .vocabulary import currency_words, fold

    meanings: dict[str, tuple[str, ...]] = {}
    for language, code in currency_words().get(fold(word), {}).items():
        meanings[code] = (*meanings.get(code, ()), language)
    return meanings

"""Countries: ISO 3166-1 alpha-2 codes from the names and codes documents use.

Names come from ``pycountry`` (ISO 3166-1 and its translations in many languages);
on top of it this module knows the forms EU records use that ISO does not: Eurostat
codes (``EL`` for Greece, ``UK``), former names (FYROM, Macedonia, Turkey), and
Bulgarian, Romanian and Macedonian adjectives (``италианската община`` is in Italy).
The lookup table is built once, on first use.
"""

from __future__ import annotations

import gettext
from functools import cache, lru_cache
from typing import Final

from .errors import expect
from .vocabulary import drop_accents

__all__ = [
    "country_code",
    "country_codes",
    "country_in",
    "country_name",
    "fold_name",
    "is_country_code",
]

#: Codes EU sources write that are not ISO 3166-1 alpha-2, and what they mean.
EU_CODES: Final = {"EL": "GR", "UK": "GB"}

#: Languages whose country names are read (pycountry's translations).
_LANGUAGES: Final = (
    "bg",
    "ro",
    "mk",
    "sr",
    "el",
    "tr",
    "hr",
    "sl",
    "bs",
    "sq",
    "de",
    "fr",
    "it",
    "es",
    "pt",
    "nl",
    "pl",
    "cs",
    "sk",
    "hu",
    "ru",
    "uk",
)

_ALIASES: Final = {
    # former and informal names
    "fyrom": "MK",
    "f.y.r.o.m": "MK",
    "f.y.r. macedonia": "MK",
    "fyr macedonia": "MK",
    "former yugoslav republic of macedonia": "MK",
    "the former yugoslav republic of macedonia": "MK",
    "macedonia": "MK",
    "republic of macedonia": "MK",
    "north macedonia": "MK",
    "македония": "MK",
    "македонија": "MK",
    "република македония": "MK",
    "република северна македония": "MK",
    "република северна македонија": "MK",
    "република македонија": "MK",
    "северна македонија": "MK",
    "бюрм": "MK",
    "бјрм": "MK",
    "macedonia de nord": "MK",
    "republica macedonia de nord": "MK",
    "turkey": "TR",
    "turkiye": "TR",
    "türkiye": "TR",
    "republic of turkey": "TR",
    "турция": "TR",
    "турција": "TR",
    "република турция": "TR",
    "turcia": "TR",
    "greece": "GR",
    "hellas": "GR",
    "hellenic republic": "GR",
    "гърция": "GR",
    "грција": "GR",
    "republic of bulgaria": "BG",
    "република българия": "BG",
    "българия": "BG",
    "бугарија": "BG",
    "bulgaria": "BG",
    "romania": "RO",
    "românia": "RO",
    "румъния": "RO",
    "романија": "RO",
    "republic of serbia": "RS",
    "serbia": "RS",
    "сърбия": "RS",
    "србија": "RS",
    "република сърбия": "RS",
    "kosovo": "XK",
    "косово": "XK",
    "great britain": "GB",
    "britain": "GB",
    "england": "GB",
    "united kingdom": "GB",
    "uk": "GB",
    "u.k": "GB",
    "czech republic": "CZ",
    "czechia": "CZ",
    "moldova": "MD",
    "republic of moldova": "MD",
    "republica moldova": "MD",
    "russia": "RU",
    "holland": "NL",
    "the netherlands": "NL",
    "slovakia": "SK",
    "bosnia": "BA",
    "bosnia and herzegovina": "BA",
    "montenegro": "ME",
    "albania": "AL",
    "италия": "IT",
    "германия": "DE",
    "франция": "FR",
    "испания": "ES",
    "австрия": "AT",
    "унгария": "HU",
    "полша": "PL",
    "хърватия": "HR",
    "словения": "SI",
    "черна гора": "ME",
    "албания": "AL",
}

# Bulgarian / Macedonian / Romanian / English adjective stems: "италианската" → IT.
_STEMS: Final = {
    "българск": "BG",
    "бугарск": "BG",
    "bulgarian": "BG",
    "bulgar": "BG",
    "румънск": "RO",
    "романск": "RO",
    "romanian": "RO",
    "romanesc": "RO",
    "romaneasc": "RO",
    "италианск": "IT",
    "италијанск": "IT",
    "italian": "IT",
    "гръцк": "GR",
    "грчк": "GR",
    "greek": "GR",
    "grec": "GR",
    "турск": "TR",
    "turkish": "TR",
    "turc": "TR",
    "сръбск": "RS",
    "српск": "RS",
    "serbian": "RS",
    "sârb": "RS",
    "sarb": "RS",
    "македонск": "MK",
    "северномакедонск": "MK",
    "macedonian": "MK",
    "macedonean": "MK",
    "германск": "DE",
    "немск": "DE",
    "german": "DE",
    "френск": "FR",
    "french": "FR",
    "francez": "FR",
    "испанск": "ES",
    "spanish": "ES",
    "spaniol": "ES",
    "австрийск": "AT",
    "austrian": "AT",
    "унгарск": "HU",
    "hungarian": "HU",
    "полск": "PL",
    "polish": "PL",
    "чешк": "CZ",
    "czech": "CZ",
    "словашк": "SK",
    "slovak": "SK",
    "хърватск": "HR",
    "croatian": "HR",
    "словенск": "SI",
    "slovenian": "SI",
    "португалск": "PT",
    "portuguese": "PT",
    "холандск": "NL",
    "нидерландск": "NL",
    "dutch": "NL",
    "белгийск": "BE",
    "belgian": "BE",
    "ирландск": "IE",
    "irish": "IE",
    "шведск": "SE",
    "swedish": "SE",
    "финландск": "FI",
    "finnish": "FI",
    "датск": "DK",
    "danish": "DK",
    "кипърск": "CY",
    "cypriot": "CY",
    "малтийск": "MT",
    "maltese": "MT",
    "люксембургск": "LU",
    "латвийск": "LV",
    "литовск": "LT",
    "естонск": "EE",
    "молдовск": "MD",
    "moldovan": "MD",
    "украинск": "UA",
    "ukrainian": "UA",
    "албанск": "AL",
    "albanian": "AL",
    "черногорск": "ME",
    "босненск": "BA",
    "британск": "GB",
    "british": "GB",
}
# endings an adjective stem may take (bg/mk gender, number and article; ro; en)
_ENDINGS: Final = frozenset(
    (
        "",
        "и",
        "ия",
        "ият",
        "а",
        "ата",
        "о",
        "ото",
        "ите",
        "от",
        "иот",
        "a",
        "i",
        "e",
        "ean",
        "eana",
        "a",
    )
)


def fold_name(text: str) -> str:
    """A name as the country tables key it.

    Case-folded, Latin accents dropped, dashes and spaces unified, punctuation at the ends
    stripped.

        >>> fold_name(" Republic of Türkiye. ")
        'republic of turkiye'
    """
    text = drop_accents(text.strip().casefold()).replace("ı", "i")  # Turkish dotless i
    text = " ".join(text.replace("–", "-").replace("—", "-").split())
    return text.strip(" .,;:()[]\"'„“”«»/")


@cache
def _table() -> dict[str, str]:
    import pycountry

    table: dict[str, str] = {}
    catalogues = []
    for lang in _LANGUAGES:
        try:
            catalogues.append(
                gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang])
            )
        except OSError:
            continue
    for country in pycountry.countries:
        code = country.alpha_2
        english = [
            name
            for name in (
                country.name,
                getattr(country, "official_name", None),
                getattr(country, "common_name", None),
            )
            if name
        ]
        translated = {cat.gettext(name) for name in english for cat in catalogues}
        for name in (*english, *translated):
            table.setdefault(fold_name(name), code)
        table.setdefault(country.alpha_3.casefold(), code)
    for alias, code in _ALIASES.items():
        table[fold_name(alias)] = code
    return table


@cache
def country_codes() -> frozenset[str]:
    """Every ISO 3166-1 alpha-2 code, with ``XK`` (Kosovo), which EU sources use.

    >>> {"BG", "MK", "XK"} <= country_codes()
    True
    """
    import pycountry

    return frozenset(c.alpha_2 for c in pycountry.countries) | {"XK"}


def is_country_code(code: str) -> bool:
    """Whether ``code`` is an ISO 3166-1 alpha-2 code (``XK``, Kosovo, is accepted too)."""
    return code in country_codes()


@lru_cache(maxsize=8192)
def country_code(text: str, *, codes: bool = True) -> str | None:
    """The ISO 3166-1 alpha-2 code for a country name, adjective or code; ``None`` if none.

    Reads names in English, Bulgarian, Romanian, Macedonian, Serbian, Greek, Turkish and
    other EU languages, former names (FYROM), Eurostat codes (``EL`` → ``GR``,
    ``UK`` → ``GB``) and adjectives (``италианската`` → ``IT``). With ``codes=False``
    two- and three-letter codes are not read (use it on words from running text, where
    "IT" or "in" are not countries).

        >>> country_code("FYROM"), country_code("Турция"), country_code("EL")
        ('MK', 'TR', 'GR')
    """
    expect(text, str, "country_code() reads text")
    stripped = text.strip().strip(" .,;:()[]")
    if not stripped:
        return None
    if codes and len(stripped) == 2 and stripped.isascii() and stripped.isalpha():
        upper = stripped.upper()
        upper = EU_CODES.get(upper, upper)
        return upper if is_country_code(upper) else None
    folded = fold_name(stripped)
    table = _table()
    found = table.get(folded)
    if found is not None:
        if not codes and len(folded) == 3 and folded.isascii():
            return None  # an alpha-3 code, not a name
        return found
    for prefix in ("the ", "republic of ", "република ", "republica "):
        if folded.startswith(prefix) and folded[len(prefix) :] in table:
            return table[folded[len(prefix) :]]
    return _adjective(folded)


def _adjective(word: str) -> str | None:
    if " " in word:
        return None
    for stem, code in _STEMS.items():
        if word.startswith(stem) and word[len(stem) :] in _ENDINGS:
            return code
    return None


def country_in(text: str) -> str | None:
    """The country a free-text mention names: the whole text, its last comma part, or a word.

    ``"Municipality of Belitsa, Republic of Bulgaria"`` → ``BG``;
    ``"италианската община Осило"`` → ``IT``. Returns ``None`` rather than guessing
    between two countries.

        >>> country_in("Municipality of Makedonska Kamenica, FYROM")
        'MK'
    """
    whole = country_code(text, codes=False)
    if whole:
        return whole
    if "," in text:
        last = text.rsplit(",", 1)[1]
        found = country_code(last)
        if found:
            return found
    seen = {
        code
        for word in text.replace(",", " ").replace("(", " ").replace(")", " ").split()
        if len(word) > 3 and (code := country_code(word, codes=False))
    }
    return seen.pop() if len(seen) == 1 else None


def country_name(code: str) -> str | None:
    """The English ISO name of an alpha-2 code (``"MK"`` → ``"North Macedonia"``)."""
    import pycountry

    if code == "XK":
        return "Kosovo"
    country = pycountry.countries.get(alpha_2=code)
    return None if country is None else str(country.name)

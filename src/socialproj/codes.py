"""Project and programme codes: comparing them, telling their schemes apart, checking CCIs.

Codes typed in Bulgarian text often carry Cyrillic letters that look Latin
(``BG05M9OP001-2.002-0297-С01`` with a Cyrillic Es). :func:`code_key` maps such
look-alikes to Latin and drops spacing and dashes, so codes compare equal however they
were typed; the written form is always kept beside it.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache
from typing import Final

__all__ = [
    "FUNDS",
    "code_key",
    "find_fund",
    "guess_scheme",
    "is_cci",
    "lookalikes",
    "normalize_fund",
    "strip_contract_suffix",
]

#: Cyrillic (and Greek) letters that look like Latin ones, mapped to the Latin letter.
HOMOGLYPHS: Final = str.maketrans(
    "АВСЕНІЈКМОРЅТХУаеіјорсхуԁһӏΑΒΕΗΙΚΜΝΟΡΤΥΧ",
    "ABCEHIJKMOPSTXYaeijopcxydhlABEHIKMNOPTYX",
)
_DASHES: Final = "-‐‑‒–—―−"
_DROP: Final = {ord(ch): None for ch in _DASHES + " \u00a0\u202f\t_"}


def code_key(text: str) -> str:
    """The form codes are compared in: NFKC, look-alikes to Latin, upper case, no spaces or dashes.

    >>> code_key("BG05M9OP001-2.002-0297-С01") == code_key("BG05M9OP001-2.002-0297-C01")
    True
    >>> code_key("ROBG – 150")
    'ROBG150'
    """
    return unicodedata.normalize("NFKC", text).translate(HOMOGLYPHS).upper().translate(_DROP)


def lookalikes(text: str) -> str:
    """Which letters of ``text`` only look Latin, said for a message; ``""`` if none.

    The Cyrillic and Greek letters typed into codes and country codes by mistake:

        >>> lookalikes("ВG")
        "'В' is the Cyrillic letter Ve, not the Latin B"
        >>> lookalikes("2014ТС16RFCB014")
        "'Т' and 'С' are the Cyrillic letters Te and Es, not the Latin T and C"
    """
    found = {ch: ch.translate(HOMOGLYPHS) for ch in text if ch.translate(HOMOGLYPHS) != ch}
    if not found:
        return ""
    scripts = {unicodedata.name(ch, "").split(" ", 1)[0].title() for ch in found}
    names = [unicodedata.name(ch, "").rsplit(" ", 1)[-1].title() for ch in found]
    script = " and ".join(sorted(scripts))
    quoted = " and ".join(repr(ch) for ch in found)
    latin = " and ".join(found.values())
    if len(found) == 1:
        return f"{quoted} is the {script} letter {names[0]}, not the Latin {latin}"
    return f"{quoted} are the {script} letters {' and '.join(names)}, not the Latin {latin}"


def _shape(text: str) -> str:
    """A code's shape: digits → 9, letters → A, other characters kept (after code_key)."""
    out = []
    for ch in text:
        if ch.isdigit():
            out.append("9")
        elif ch.isalpha():
            out.append("A")
        else:
            out.append(ch)
    return "".join(out)


@lru_cache(maxsize=4096)
def is_cci(text: str) -> bool:
    """Whether ``text`` has the shape of a CCI code (``2014BG05M9OP001``, ``2007CB16IPO007``).

    Four digits for the year, two letters, two digits, a short code of two to five
    letters and digits, and a three-digit number. The shape is checked, not a list.
    """
    key = code_key(text)
    if not 13 <= len(key) <= 16 or not key.isalnum() or not key.isascii():
        return False
    year, letters, digits, rest = key[:4], key[4:6], key[6:8], key[8:]
    return (
        year.isdigit()
        and year[:2] in ("19", "20")
        and letters.isalpha()
        and digits.isdigit()
        and 5 <= len(rest) <= 8
        and rest[-3:].isdigit()
        and not rest[:-3].isdigit()
    )


def guess_scheme(text: str) -> str | None:
    """The numbering scheme a project code seems to follow, from its shape alone.

    ``"ems"`` (Interreg e-MS: ``ROBG-150``, ``ROBG00005``, ``eMS 256``), ``"isun"``
    (Bulgarian contracts: ``BG05M9OP001-2.002-0297-C01``), ``"ipa"``
    (``CB005.2.21.080``, ``2007CB16IPO006-2011-2-176``), ``"programme"``
    (``16.5.2.065``), ``"cci"``; ``None`` when the shape is not one of these.
    """
    key = code_key(text)
    if not key:
        return None
    if is_cci(key):
        return "cci"
    upper = unicodedata.normalize("NFKC", text).translate(HOMOGLYPHS).upper().strip()
    if upper.startswith("EMS") and key[3:].isdigit():
        return "ems"
    if key[:4].isalpha() and key[4:].isdigit():
        return "ems"  # ROBG150, ROBG00005, BGTR0200037
    if key.startswith("BG") and "M" in key[:6] and ("OP" in key[:12] or "PO" in key[:12]):
        return "isun"
    if key.startswith("BG") and key[2:4].isdigit() and "PO" in key[4:9]:
        return "isun"
    if key.startswith("CB") and "." in key:
        return "ipa"
    if key[:4].isdigit() and key[4:6] == "CB" and "IPO" in key:
        return "ipa"
    shape = _shape(key)
    if shape.replace("9", "") == "..." and shape.count(".") == 3:
        return "programme"
    return None


def strip_contract_suffix(code: str) -> str:
    """Drop a Bulgarian contract or annex suffix: ``…-0297-C01`` → ``…-0297``.

    Lists of projects use the code without it; contracts and news carry it.
    """
    stripped = code.rstrip()
    dash = max(stripped.rfind(d) for d in _DASHES)
    if dash > 0:
        tail = stripped[dash + 1 :].translate(HOMOGLYPHS).upper()
        if len(tail) >= 2 and tail[0] == "C" and tail[1:].isdigit():
            return stripped[:dash]
    return stripped


#: EU fund codes socialproj knows, with the names and abbreviations used for them.
FUNDS: Final[dict[str, tuple[str, ...]]] = {
    "ERDF": (
        "erdf",
        "fedr",
        "ефрр",
        "efrr",
        "feder",
        "efre",
        "european regional development fund",
        "европейски фонд за регионално развитие",
        "fondul european de dezvoltare regionala",
    ),
    "ESF": (
        "esf",
        "fse",
        "есф",
        "european social fund",
        "европейски социален фонд",
        "fondul social european",
    ),
    "ESF+": ("esf+", "fse+", "есф+", "european social fund plus"),
    "CF": ("cf", "кф", "fc", "cohesion fund", "кохезионен фонд", "fondul de coeziune"),
    "IPA": (
        "ipa",
        "ипп",
        "ipa ii",
        "ipa iii",
        "instrument for pre-accession assistance",
        "инструмент за предприсъединителна помощ",
    ),
    "YEI": ("yei", "иниз", "youth employment initiative", "инициатива за младежка заетост"),
    "FEAD": ("fead", "фепнл", "fund for european aid to the most deprived"),
    "EAFRD": ("eafrd", "feadr", "езфрср", "european agricultural fund for rural development"),
    "EMFF": ("emff", "fepam", "ефмдр", "european maritime and fisheries fund"),
    "EMFAF": ("emfaf", "ефмдра", "european maritime, fisheries and aquaculture fund"),
    "JTF": ("jtf", "фсп", "just transition fund", "фонд за справедлив преход"),
    "NDICI": ("ndici", "neighbourhood, development and international cooperation instrument"),
    "ENI": ("eni", "european neighbourhood instrument"),
    "AMIF": ("amif", "фуми", "asylum, migration and integration fund"),
    "ISF": ("isf", "фвс", "internal security fund"),
    "RRF": ("rrf", "мву", "recovery and resilience facility"),
}
# the articled forms sentences use ("от Европейския социален фонд")
_INFLECTED: Final[dict[str, tuple[str, ...]]] = {
    "ERDF": (
        "европейския фонд за регионално развитие",
        "европейският фонд за регионално развитие",
        "fondul european de dezvoltare regională",
    ),
    "ESF": ("европейския социален фонд", "европейският социален фонд"),
    "ESF+": ("европейския социален фонд плюс", "европейския социален фонд+"),
    "CF": ("кохезионния фонд", "кохезионният фонд"),
}
_FUND_NAMES: Final = {
    name: code for table in (FUNDS, _INFLECTED) for code, names in table.items() for name in names
}


def normalize_fund(text: str) -> str | None:
    """The fund code for a name or abbreviation (``FEDR`` → ``ERDF``); ``None`` if unknown.

    >>> normalize_fund("FEDR"), normalize_fund("ЕСФ"), normalize_fund("ESF+")
    ('ERDF', 'ESF', 'ESF+')
    """
    folded = " ".join(text.casefold().replace("–", "-").split()).strip(" .,;:()")
    if not folded:
        return None
    return _FUND_NAMES.get(folded) or _FUND_NAMES.get(folded.translate(HOMOGLYPHS).casefold())


@cache
def _fund_pattern() -> re.Pattern[str]:
    names = sorted(_FUND_NAMES, key=len, reverse=True)
    body = "|".join(re.escape(name) for name in names if len(name) >= 3 or name == "cf")
    return re.compile(rf"(?<![\w+])(?:{body})(?![\w+])", re.IGNORECASE)


def find_fund(text: str) -> str | None:
    """The first EU fund a text names, by code or by name in English, Bulgarian or Romanian.

    >>> find_fund("от които 1 256 852,67 евро от Европейския фонд за регионално развитие")
    'ERDF'
    """
    match = _fund_pattern().search(text)
    if match is None:
        return None
    return _FUND_NAMES.get(match.group().casefold())

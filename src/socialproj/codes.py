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

from .vocabulary import AmbiguousWord, fold, fund_codes, fund_words

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


#: EU fund codes socialproj knows; their names and abbreviations in each language are in
#: the vocabulary (``[funds]`` of ``socialproj/vocabulary/<language>.toml``).
FUNDS: Final = fund_codes()

# "6-ΤΣ", "2. FESR": a list's own number before the fund
_NUMBERED: Final = re.compile(r"^\d+\s*[-.)]\s*")


def normalize_fund(text: str) -> str | None:
    """The fund code for a name or abbreviation (``FEDR`` → ``ERDF``); ``None`` if unknown.

    Names and abbreviations of every language the vocabulary has are read; one that means
    different funds in different languages is ``None``, not a guess.

    >>> normalize_fund("FEDR"), normalize_fund("ЕСФ"), normalize_fund("ESF+")
    ('ERDF', 'ESF', 'ESF+')
    >>> normalize_fund("Fondo europeo di sviluppo regionale"), normalize_fund("6-ΤΣ")
    ('ERDF', 'CF')
    """
    folded = " ".join(text.casefold().replace("–", "-").split()).strip(" .,;:()")
    if not folded:
        return None
    words = fund_words()
    for candidate in (folded, folded.translate(HOMOGLYPHS).casefold(), _NUMBERED.sub("", folded)):
        try:
            code = words.meaning(candidate)
        except AmbiguousWord:
            return None
        if code is not None:
            return code
    return None


@cache
def _fund_pattern() -> re.Pattern[str]:
    names = sorted(fund_words(), key=len, reverse=True)
    body = "|".join(re.escape(name) for name in names if len(name) >= 3 or name == "cf")
    return re.compile(rf"(?<![\w+])(?:{body})(?![\w+])", re.IGNORECASE)


def find_fund(text: str) -> str | None:
    """The first EU fund a text names, by its code or its name in a language of the vocabulary.

    >>> find_fund("от които 1 256 852,67 евро от Европейския фонд за регионално развитие")
    'ERDF'
    """
    match = _fund_pattern().search(fold(text))  # accents and case as the vocabulary keys them
    if match is None:
        return None
    return normalize_fund(match.group())

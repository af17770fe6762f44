"""A gazetteer of subdivisions: provinces, counties, regions and municipalities by name.

The names are ISO 3166-2's, as pycountry ships them (from Debian's iso-codes, kept up to
date with the standard; LGPL-2.1), with their translations into the countries' own
languages: Bulgaria's 28 provinces, Romania's 42 counties, North Macedonia's 80
municipalities, Serbia's districts, Greece's regions, Turkey's 81 provinces and every
other country's subdivisions. A name is looked up in any script — Cyrillic is
transliterated by the official systems, accents dropped — and a name two subdivisions
share is not guessed.
"""

from __future__ import annotations

import gettext
import re
from functools import cache
from typing import Final

from attrs import frozen

from .errors import expect
from .vocabulary import fold, transliterate

__all__ = ["Subdivision", "subdivision"]

#: the languages whose names of a country's subdivisions are read besides ISO's
_LOCAL: Final = {
    "BG": ("bg",),
    "RO": ("ro",),
    "MK": ("mk",),
    "RS": ("sr",),
    "GR": ("el",),
    "TR": ("tr",),
    "HR": ("hr",),
    "HU": ("hu",),
}
_PARENTHESES: Final = re.compile(r"\s*\([^)]*\)")


@frozen
class Subdivision:
    """One ISO 3166-2 subdivision: its code (``BG-28``), name, country and kind."""

    code: str
    name: str
    country: str
    kind: str


# the spellings transliterations differ by, reduced to one: Струмица is "Strumitsa" by
# the Bulgarian system and "Strumica" by the Macedonian one
_SKELETON: Final = (
    ("sht", "st"),
    ("ts", "c"),
    ("zh", "z"),
    ("sh", "s"),
    ("ch", "c"),
    ("dj", "d"),
    ("gj", "g"),
    ("kj", "k"),
    ("y", "i"),
    ("j", "i"),
    ("ii", "i"),
)


def _key(name: str) -> str:
    key = " ".join(fold(transliterate(name)).replace("-", " ").split())
    for spelling, skeleton in _SKELETON:
        key = key.replace(spelling, skeleton)
    return key


@cache
def _table() -> dict[str, tuple[Subdivision, ...]]:
    import pycountry

    found: dict[str, dict[str, Subdivision]] = {}
    translations = {}
    for languages in _LOCAL.values():
        for language in languages:
            try:
                translations[language] = gettext.translation(
                    "iso3166-2", pycountry.LOCALES_DIR, languages=[language]
                )
            except OSError:
                continue
    for item in pycountry.subdivisions:
        place = Subdivision(item.code, item.name, item.country_code, item.type)
        names = {item.name, _PARENTHESES.sub("", item.name)}
        for language in _LOCAL.get(item.country_code, ()):
            if language in translations:
                local = translations[language].gettext(item.name)
                names |= {local, _PARENTHESES.sub("", local)}
        for name in names:
            key = _key(name)
            if key:
                found.setdefault(key, {})[place.code] = place
    return {key: tuple(places.values()) for key, places in found.items()}


def subdivision(name: str, country: str | None = None) -> Subdivision | None:
    """The subdivision ``name`` names (in ``country`` if given); ``None`` if none or several.

    >>> subdivision("Ямбол").code, subdivision("Струмица").code, subdivision("Dolj").code
    ('BG-28', 'MK-410', 'RO-DJ')
    >>> subdivision("Montana") is None, subdivision("Монтана", "BG").code  # and in the US
    (True, 'BG-12')
    >>> subdivision("София", "BG") is None  # the capital and the province around it
    True
    """
    expect(name, str, "subdivision() looks up a name")
    places = _table().get(_key(name), ())
    if country is not None:
        places = tuple(place for place in places if place.country == country)
    return places[0] if len(places) == 1 else None

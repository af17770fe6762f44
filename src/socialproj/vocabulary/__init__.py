"""The words socialproj reads by, one set of files per language.

Month names, currency words, scale words ("млн.", "mii"), qualifiers ("около",
"approximately"), alphabets: data, not code. For each language socialproj reads there is

- ``<code>.toml``, curated by socialproj's maintainers (MIT, as the project), and
- ``cldr/<code>.toml``, the month, weekday and quarter names of Unicode CLDR, written by
  ``tools/vocabulary_from_cldr.py`` (``make vocabulary``); CLDR's licence is the Unicode
  License v3.

``common.toml`` holds what belongs to no language (currency signs). Adding a language is
adding its files. Everything is read once, on first use.

A word may mean different things in different languages: "mil" is a thousand in Spanish
and a million in Romanian, "listopad" is October in Croatian and November in Polish.
:class:`Words` keeps every meaning with its languages, and :meth:`Words.meaning` gives
one only when the meanings agree or the languages given settle it.
"""

from __future__ import annotations

import tomllib
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from functools import cache, lru_cache
from importlib import resources
from typing import Any, Generic, TypeVar

from attrs import field, frozen

__all__ = [
    "AmbiguousWord",
    "Language",
    "Words",
    "concept_words",
    "currency_words",
    "dictionary_words",
    "drop_accents",
    "fold",
    "fund_codes",
    "fund_words",
    "language",
    "languages",
    "legal_form_words",
    "month_words",
    "project_count_words",
    "qualifier_words",
    "quarter_words",
    "scale_words",
    "total_words",
    "transliterate",
    "weekday_words",
]

V = TypeVar("V")

#: The pseudo-language of ``common.toml``: words of every language.
COMMON = "*"


def fold(word: str) -> str:
    """A word as the tables key it: white space squashed, lower case, accents dropped.

    A final dot goes (``"лв."`` is ``"лв"``), Latin and Greek letters lose their marks,
    Cyrillic letters keep theirs (``й`` is not ``и``), and Turkish dotless ``ı`` stays itself.

        >>> fold("Dez."), fold("Février"), fold("Й")
        ('dez', 'fevrier', 'й')
    """
    if len(word) <= 64:  # readers fold the same few words (currencies, months) again and again
        return _fold_word(word)
    return drop_accents(" ".join(word.split()).casefold().rstrip("."))


@lru_cache(maxsize=8192)
def _fold_word(word: str) -> str:
    return drop_accents(" ".join(word.split()).casefold().rstrip("."))


def drop_accents(text: str) -> str:
    """``text`` without the marks on its Latin and Greek letters; other scripts keep theirs.

    Cyrillic ``й`` is a letter of its own, not ``и`` with a mark; Greek capitals are
    written without their tonos, so ``ΕΛΛΑΔΑ`` and ``Ελλάδα`` must meet.

        >>> drop_accents("Ștefan Čapek"), drop_accents("Йордан"), drop_accents("Ελλάδα")
        ('Stefan Capek', 'Йордан', 'Ελλαδα')
    """
    if text.isascii():
        return text
    kept: list[str] = []
    for ch in unicodedata.normalize("NFD", text):
        if unicodedata.combining(ch) and kept and (kept[-1].isascii() or "Ͱ" <= kept[-1] <= "Ͽ"):
            continue  # é → e, ș → s, ά → α; but Cyrillic й stays й
        kept.append(ch)
    return unicodedata.normalize("NFC", "".join(kept))


class AmbiguousWord(ValueError):
    """A word that means different things in the languages it belongs to.

    ``meanings`` maps each meaning to the languages that give it.
    """

    def __init__(self, word: str, meanings: Mapping[Any, tuple[str, ...]]) -> None:
        self.word = word
        self.meanings = dict(meanings)
        said = "; ".join(
            f"{value} in {', '.join(_names(codes))}" for value, codes in self.meanings.items()
        )
        super().__init__(f"{word!r} means {said}: name the language to settle it")


def _names(codes: Iterable[str]) -> list[str]:
    return ["every language" if code == COMMON else language(code).name for code in codes]


class Words(Mapping[str, dict[str, V]], Generic[V]):
    """Words (folded) and what each means in each language that has it.

    ``words["mil"]`` is ``{"en": 6, "es": 3, …}``; :meth:`meaning` picks one.
    """

    def __init__(self, entries: dict[str, dict[str, V]]) -> None:
        self._entries = entries

    def __getitem__(self, word: str) -> dict[str, V]:
        return self._entries[word]

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def meaning(self, word: str, prefer: Iterable[str] = ()) -> V | None:
        """What ``word`` means; ``None`` for a word not in the table.

        The meaning the languages of ``prefer`` that have the word agree on, else (when
        none of them has it) the one every language that has it agrees on. Raises
        :class:`AmbiguousWord` when the meanings differ and ``prefer`` does not settle
        them.

            >>> scale_words().meaning("mil", ["ro"]), scale_words().meaning("mil", ["es"])
            (6, 3)
        """
        found = self._entries.get(fold(word))
        if found is None:
            return None
        chosen = {code: found[code] for code in prefer if code in found} or found
        values = set(chosen.values())
        if len(values) == 1:
            return next(iter(values))
        meanings: dict[V, tuple[str, ...]] = {}
        for code, value in chosen.items():
            meanings[value] = (*meanings.get(value, ()), code)
        raise AmbiguousWord(word, meanings)

    def languages_of(self, word: str) -> tuple[str, ...]:
        """The languages that have ``word`` (``"*"`` for a sign of no language)."""
        return tuple(self._entries.get(fold(word), ()))


@frozen
class Language:
    """One language's vocabulary, as its files state it (words folded)."""

    code: str
    name: str
    scripts: tuple[str, ...]
    #: lower-case letters beyond a-z (for a non-Latin script, the whole alphabet)
    alphabet: frozenset[str]
    #: one-letter words of those letters
    one_letter_words: frozenset[str]
    #: letters written only at the end of a word (Greek final sigma)
    word_final_letters: frozenset[str]
    #: groups of letters that are one letter written in different forms (Romanian s
    #: with a comma below, and with the cedilla of the legacy encodings)
    equivalent_letters: tuple[str, ...]
    months: Mapping[str, int]
    weekdays: Mapping[str, int]
    quarters: Mapping[str, int]
    currencies: Mapping[str, str]
    scales: Mapping[str, int]
    qualifiers: Mapping[str, str]
    this_year: tuple[str, ...]
    year_words: tuple[str, ...]
    #: how often each letter occurs in the language's text, per 10 000 letters (CLDR)
    letters: Mapping[str, int]
    #: what the first cell of a total or subtotal row of a list says ("общо", "ukupno")
    totals: frozenset[str] = frozenset()
    #: the header of a column counting each row's projects ("number of projects")
    project_counts: frozenset[str] = frozenset()
    #: the headers of a data dictionary's columns: the one naming columns ("variable"),
    #: the one saying what each holds ("description")
    dictionary_names: frozenset[str] = frozenset()
    dictionary_descriptions: frozenset[str] = frozenset()
    #: EU funds' names and abbreviations → fund code ("ефрр" → ERDF)
    funds: Mapping[str, str] = field(factory=dict)
    #: words of project titles → the concept they name ("сътрудничество" → cooperation)
    concepts: Mapping[str, str] = field(factory=dict)
    #: the language's letters in Latin ones, by its official system ("щ" → "sht")
    transliteration: Mapping[str, str] = field(factory=dict)
    #: words of organisation names that say their legal form or kind ("община", "uat")
    legal_forms: frozenset[str] = frozenset()


def _read(name: str) -> dict[str, Any]:
    text = resources.files(__package__).joinpath(name).read_text(encoding="utf-8")
    return tomllib.loads(text)


def _numbered(lists: list[list[str]]) -> dict[str, int]:
    """``[["januar", "jan"], …]`` as ``{"januar": 1, "jan": 1, …}`` (first meaning wins)."""
    table: dict[str, int] = {}
    for number, names in enumerate(lists, start=1):
        for name in names:
            table.setdefault(fold(name), number)
    return table


@cache
def languages() -> tuple[str, ...]:
    """The codes of every language with a vocabulary file, sorted."""
    folder = resources.files(__package__)
    return tuple(
        sorted(
            entry.name.removesuffix(".toml")
            for entry in folder.iterdir()
            if entry.name.endswith(".toml") and entry.name != "common.toml"
        )
    )


@cache
def language(code: str) -> Language:
    """The vocabulary of the language ``code`` (``"bg"``, ``"sr-Latn"``)."""
    if code not in languages():
        raise LookupError(
            f"socialproj has no vocabulary for the language {code!r}; it has "
            f"{', '.join(languages())}"
        )
    curated = _read(f"{code}.toml")
    cldr = _read(f"cldr/{code}.toml") if code != COMMON else {}
    about = curated.get("language", {})
    months = _numbered(cldr.get("months", []))
    for word, number in curated.get("months", {}).items():
        months.setdefault(fold(word), int(number))
    dates = curated.get("dates", {})
    return Language(
        code=code,
        name=str(about.get("name", code)),
        scripts=tuple(about.get("scripts", ())),
        alphabet=frozenset(about.get("alphabet", "")),
        one_letter_words=frozenset(about.get("one_letter_words", "")),
        word_final_letters=frozenset(about.get("word_final_letters", "")),
        equivalent_letters=tuple(about.get("equivalent_letters", ())),
        months=months,
        weekdays=_numbered(cldr.get("weekdays", [])),
        quarters=_numbered(cldr.get("quarters", [])),
        currencies={fold(k): str(v) for k, v in curated.get("currencies", {}).items()},
        scales={fold(k): int(v) for k, v in curated.get("scales", {}).items()},
        qualifiers={fold(k): str(v) for k, v in curated.get("qualifiers", {}).items()},
        this_year=tuple(dates.get("this_year", ())),
        year_words=tuple(dates.get("year_words", ())),
        letters={str(k): int(v) for k, v in cldr.get("letters", {}).items()},
        totals=frozenset(fold(word) for word in curated.get("rows", {}).get("totals", ())),
        project_counts=frozenset(
            fold(word) for word in curated.get("rows", {}).get("project_counts", ())
        ),
        dictionary_names=frozenset(
            fold(word) for word in curated.get("rows", {}).get("dictionary_names", ())
        ),
        dictionary_descriptions=frozenset(
            fold(word) for word in curated.get("rows", {}).get("dictionary_descriptions", ())
        ),
        funds={fold(k): str(v) for k, v in curated.get("funds", {}).items()},
        concepts={fold(k): str(v) for k, v in curated.get("concepts", {}).items()},
        transliteration={str(k): str(v) for k, v in curated.get("transliteration", {}).items()},
        legal_forms=frozenset(
            fold(word) for word in curated.get("organisations", {}).get("legal_forms", ())
        ),
    )


def _common() -> dict[str, Any]:
    return _read("common.toml")


def _table(section: str, common: bool = False) -> Words[Any]:
    entries: dict[str, dict[str, Any]] = {}
    if common:
        for word, value in _common().get(section, {}).items():
            entries.setdefault(fold(word), {})[COMMON] = value
    for code in languages():
        for word, value in getattr(language(code), section).items():
            entries.setdefault(word, {})[code] = value
    return Words(entries)


@cache
def currency_words() -> Words[str]:
    """Currency words and signs of every language → ISO 4217 code (``"лв"`` → BGN)."""
    return _table("currencies", common=True)


@cache
def scale_words() -> Words[int]:
    """Scale words → the power of ten they multiply by (``"млн"`` → 6)."""
    return _table("scales")


def fund_codes() -> tuple[str, ...]:
    """The EU fund codes socialproj knows, in the order ``common.toml`` lists them.

    >>> fund_codes()[:4]
    ('ERDF', 'ESF', 'ESF+', 'CF')
    """
    return tuple(dict.fromkeys(str(code) for code in _common().get("funds", {}).values()))


@cache
def fund_words() -> Words[str]:
    """EU funds' names and abbreviations of every language → fund code (``"fesr"`` → ERDF)."""
    return _table("funds", common=True)


@cache
def legal_form_words() -> frozenset[str]:
    """Words of organisation names that say their legal form, every language (folded)."""
    return frozenset().union(*(language(code).legal_forms for code in languages()))


@cache
def concept_words() -> Words[str]:
    """Words of project titles in every language → the concept they name."""
    return _table("concepts")


@cache
def _latin() -> dict[int, str]:
    table: dict[int, str] = {}
    for code in ("bg", "mk", "sr", *languages()):  # Bulgarian first: its letters win
        for letter, latin in language(code).transliteration.items():
            table.setdefault(ord(letter), latin)
            table.setdefault(ord(letter.upper()), latin.capitalize())
    return table


def transliterate(text: str) -> str:
    """``text`` with its Cyrillic letters in Latin ones, by the official systems.

    Bulgarian's Streamlined System, and the letters only Macedonian and Serbian have by
    theirs; so ``Силистра`` is ``Silistra`` and ``Ѓорче`` is ``Gjorche``.

        >>> transliterate("Община Силистра"), transliterate("Щастливци")
        ('Obshtina Silistra', 'Shtastlivtsi')
    """
    return text.translate(_latin())


@cache
def qualifier_words() -> Words[str]:
    """Words and phrases that qualify an amount → the qualifier (``"около"`` → approximately)."""
    return _table("qualifiers")


@cache
def total_words() -> frozenset[str]:
    """What the first cell of a list's total or subtotal row says, in every language (folded).

    >>> {"общо", "ukupno", "total"} <= total_words()
    True
    """
    return frozenset().union(*(language(code).totals for code in languages()))


@cache
def project_count_words() -> frozenset[str]:
    """Headers of a column counting each row's projects, in every language (folded).

    >>> "broj projekata" in project_count_words()
    True
    """
    return frozenset().union(*(language(code).project_counts for code in languages()))


@cache
def dictionary_words() -> tuple[frozenset[str], frozenset[str]]:
    """Headers of a data dictionary's columns in every language (folded): names, descriptions.

    >>> names, descriptions = dictionary_words()
    >>> "nome campo" in names and "descrizione" in descriptions
    True
    """
    codes = languages()
    return (
        frozenset().union(*(language(code).dictionary_names for code in codes)),
        frozenset().union(*(language(code).dictionary_descriptions for code in codes)),
    )


@cache
def month_words() -> Words[int]:
    """Month names and abbreviations of every language → month number."""
    return _table("months")


@cache
def weekday_words() -> Words[int]:
    """Weekday names and abbreviations → 1 (Monday) to 7."""
    return _table("weekdays")


@cache
def quarter_words() -> Words[int]:
    """Quarter names ("3. Quartal", "Q3" aside) → 1 to 4."""
    return _table("quarters")

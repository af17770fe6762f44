"""Hypothesis strategies for every socialproj model type.

Use them to property-test your own conversions and plugins::

    from hypothesis import given
    from socialproj.testing import strategies as sps

    @given(sps.projects())
    def test_my_format_round_trips(project):
        ...

Values are valid by construction (amounts with their currency's minor unit or none,
partial dates, durations whose days stay below a month, texts in Latin and Cyrillic
with typographic quotes), and cover what real records hold: scale that must survive
(``"9933.00"``), Cyrillic look-alike letters in codes, empty lists.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from decimal import Decimal
from functools import cache
from typing import Any

from hypothesis import strategies as st

from socialproj import (
    Duration,
    Finding,
    Funding,
    Identifier,
    Location,
    Money,
    PartialDate,
    Partner,
    Period,
    Programme,
    Project,
    Qualifier,
    Role,
    Severity,
    Share,
    ShareSource,
    Source,
    Texts,
)
from socialproj.currencies import minor_units

__all__ = [
    "CURRENCIES",
    "amounts",
    "currencies",
    "dates",
    "durations",
    "extras",
    "findings",
    "fundings",
    "hostile_extras",
    "hostile_projects",
    "hostile_text",
    "identifiers",
    "locations",
    "money",
    "partial_dates",
    "partners",
    "periods",
    "programmes",
    "projects",
    "rates",
    "register_type_strategies",
    "shares",
    "sources",
    "texts",
    "words",
]

#: Currencies the strategies draw from: the region's, the euro, and minor units 0, 2, 3.
CURRENCIES: tuple[str, ...] = ("EUR", "BGN", "RON", "MKD", "RSD", "TRY", "HRK", "JPY", "KWD")

_LATIN = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZăâîșțĂÂÎȘȚçşğıİ"
_CYRILLIC = "абвгдежзийклмнопрстуфхцчшщъьюяАБВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЬЮЯѓќљњџѕјЃЌЉЊЏЅЈ"
_OTHER = "0123456789 -–,.;:()/\"'„“”«»№%+&"


@cache
def words(min_size: int = 1, max_size: int = 60) -> st.SearchStrategy[str]:
    """Text in Latin and Cyrillic letters with digits and typographic punctuation."""
    text = st.text(alphabet=_LATIN + _CYRILLIC + _OTHER, min_size=min_size, max_size=max_size)
    return text if min_size == 0 else text.filter(lambda s: s.strip() != "")


def texts(languages: Sequence[str] = ("bg", "en", "ro", "mk", "und")) -> st.SearchStrategy[Texts]:
    """:class:`~socialproj.Texts` in one to three languages."""
    return st.dictionaries(st.sampled_from(languages), words(), min_size=1, max_size=3).map(Texts)


def currencies(choices: str | Sequence[str] = CURRENCIES) -> st.SearchStrategy[str]:
    """ISO 4217 codes: one of ``choices`` (a sequence of codes, or one code)."""
    return st.sampled_from((choices,) if isinstance(choices, str) else tuple(choices))


@cache
def amounts(
    currency: str, *, min_value: int = 0, max_value: int = 10**11
) -> st.SearchStrategy[Decimal]:
    """Amounts written with the currency's minor unit (``9933.00``) or as whole numbers."""
    places = minor_units(currency)

    def build(units: int, whole: bool) -> Decimal:
        if whole or places == 0:
            return Decimal(units // 10**places)
        return Decimal(units).scaleb(-places)

    return st.builds(
        build,
        st.integers(min_value * 10**places, max_value * 10**places),
        st.booleans(),
    )


@cache
def _money_in(currency: str) -> st.SearchStrategy[Money]:
    return st.builds(Money, amounts(currency), st.just(currency))


def money(
    choices: str | Sequence[str] = CURRENCIES,
    *,
    min_value: int = 0,
    max_value: int = 10**11,
    qualified: bool = False,
) -> st.SearchStrategy[Money]:
    """:class:`~socialproj.Money` in the given currencies (with a qualifier, if asked).

    ``choices`` is a sequence of codes or one code: ``money("BGN")``.
    """

    @st.composite
    def build(draw: st.DrawFn) -> Money:
        currency = draw(currencies(choices))
        amount = draw(amounts(currency, min_value=min_value, max_value=max_value))
        qualifier = draw(st.none() | st.sampled_from(list(Qualifier))) if qualified else None
        return Money(amount, currency, qualifier)

    return build()


def rates() -> st.SearchStrategy[Decimal]:
    """Rates as fractions from 0 to 1, written with up to four decimals."""
    return st.integers(0, 10000).map(lambda n: Decimal(n).scaleb(-4)) | st.sampled_from(
        [Decimal("0.85"), Decimal("0.8500"), Decimal("0.95"), Decimal("1"), Decimal("0.13")]
    )


def dates(
    min_value: _dt.date = _dt.date(1990, 1, 1), max_value: _dt.date = _dt.date(2040, 12, 31)
) -> st.SearchStrategy[_dt.date]:
    """Calendar dates, month ends and 29 February included."""
    return st.dates(min_value, max_value)


def partial_dates(min_year: int = 1990, max_year: int = 2040) -> st.SearchStrategy[PartialDate]:
    """:class:`~socialproj.PartialDate` values known to the year, quarter, month or day."""
    full = dates(_dt.date(min_year, 1, 1), _dt.date(max_year, 12, 31)).map(PartialDate.from_date)
    month = st.builds(PartialDate, st.integers(min_year, max_year), st.integers(1, 12))
    year = st.builds(PartialDate, st.integers(min_year, max_year))
    quarter = st.builds(PartialDate, st.integers(min_year, max_year), quarter=st.integers(1, 4))
    return st.one_of(full, full, month, year, quarter)


def durations(max_months: int = 120, max_days: int = 27) -> st.SearchStrategy[Duration]:
    """Durations; days stay below 28 so that months and days are unambiguous."""
    return st.builds(Duration, st.integers(0, max_months), st.integers(0, max_days))


# The strategies the composite ones draw from, built once: a strategy made inside a
# draw is validated again on every draw, which made a project cost ~20 ms to generate.
_MAYBE_DATE = st.none() | partial_dates()
_MAYBE_DURATION = st.none() | durations()
_PERIOD_DERIVED = st.frozensets(st.sampled_from(("start", "end", "duration")), max_size=1)


@st.composite
def periods(draw: st.DrawFn) -> Period:
    """Periods: dates in order or partial, a stated duration or not, derived fields or not."""
    start = draw(_MAYBE_DATE)
    end = draw(_MAYBE_DATE)
    if start is not None and end is not None and end.latest() < start.earliest():
        start, end = end, start
        if end.latest() < start.earliest():
            end = None
    return Period(start, end, draw(_MAYBE_DURATION), draw(_PERIOD_DERIVED))


_CODES = st.one_of(
    st.integers(1, 999).map(lambda n: f"ROBG-{n}"),
    st.integers(1, 99999).map(lambda n: f"ROBG{n:05d}"),
    st.integers(1, 999).map(lambda n: f"eMS {n}"),
    st.tuples(st.integers(1, 9999), st.sampled_from(["C01", "С01", "C0001", "С001"])).map(
        lambda t: f"BG05M9OP001-2.002-{t[0]:04d}-{t[1]}"
    ),
    st.integers(1, 999).map(lambda n: f"CB005.2.21.{n:03d}"),
    st.integers(1, 99).map(lambda n: f"16.5.2.{n:03d}"),
    words(1, 20),
)


@cache
def identifiers() -> st.SearchStrategy[Identifier]:
    """Project codes of the common schemes, Cyrillic look-alike letters included."""
    return st.builds(
        Identifier,
        st.none() | st.sampled_from(["ems", "isun", "ipa", "programme", "kohesio"]),
        _CODES,
    )


_PARTNER_CODES = st.lists(identifiers(), max_size=2)
_SHARE_SOURCES = st.sampled_from(list(ShareSource))
_MAYBE_FUND = st.none() | st.sampled_from(["ERDF", "ESF", "ESF+", "IPA", "CF", "YEI"])
_MAYBE_RATE = st.none() | rates()
_SHARE_DERIVED = st.frozensets(st.sampled_from(("amount", "rate")), max_size=1)
_CURRENCIES = currencies()


@cache
def _maybe_money_in(currency: str) -> st.SearchStrategy[Money | None]:
    return st.none() | _money_in(currency)


@st.composite
def shares(draw: st.DrawFn, currency: str | None = None) -> Share:
    """A share of funding, in ``currency`` if given."""
    source = draw(_SHARE_SOURCES)
    fund = draw(_MAYBE_FUND)
    code = currency or draw(_CURRENCIES)
    amount = draw(_maybe_money_in(code))
    return Share(source, fund, amount, draw(_MAYBE_RATE), draw(_SHARE_DERIVED))


@cache
def _qualified_money(currency: str) -> st.SearchStrategy[Money]:
    return st.builds(
        Money, amounts(currency), st.just(currency), st.none() | st.sampled_from(list(Qualifier))
    )


@cache
def _funding_parts(currency: str) -> tuple[st.SearchStrategy[Any], st.SearchStrategy[Any]]:
    return st.none() | _qualified_money(currency), st.lists(shares(currency), max_size=4)


_FUNDING_DERIVED = st.frozensets(st.just("total"), max_size=1)


@st.composite
def fundings(draw: st.DrawFn) -> Funding:
    """A total and zero to four shares, all in one currency."""
    total, items = _funding_parts(draw(_CURRENCIES))
    return Funding(draw(total), draw(items), draw(_FUNDING_DERIVED))


_JSON_LEAVES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**12), 10**12),
    words(0, 30),
    st.decimals(
        allow_nan=False, allow_infinity=False, places=3, min_value=-(10**9), max_value=10**9
    ),
)


@cache
def extras() -> st.SearchStrategy[dict[str, Any]]:
    """Fields a model has no place for: JSON values, exact decimals, empty strings, nesting."""
    values = st.recursive(
        _JSON_LEAVES,
        lambda inner: (
            st.lists(inner, max_size=3) | st.dictionaries(words(1, 10), inner, max_size=3)
        ),
        max_leaves=6,
    )
    return st.dictionaries(words(1, 25), values, max_size=4)


_ROLES = st.sampled_from(list(Role))
_MAYBE_COUNTRY = st.none() | st.sampled_from(["BG", "RO", "MK", "RS", "TR", "GR", "IT"])
_MAYBE_ROLE_TEXT = st.none() | st.sampled_from(
    ["Lead beneficiary (LB)", "Beneficiary 2 (B2)", "Водещ партньор", "Partener"]
)
_MAYBE_CITY = st.none() | words(1, 30)
_MAYBE_EXTRAS = st.none() | extras()


@st.composite
def partners(draw: st.DrawFn) -> Partner:
    """A partner with a role, maybe a country, a budget, a city and codes."""
    currency = draw(_CURRENCIES)
    return Partner(
        name=draw(words(1, 80)),
        role=draw(_ROLES),
        country=draw(_MAYBE_COUNTRY),
        role_text=draw(_MAYBE_ROLE_TEXT),
        budget=draw(_maybe_money_in(currency)),
        city=draw(_MAYBE_CITY),
        identifiers=draw(_PARTNER_CODES),
        extras=draw(_MAYBE_EXTRAS) or {},
    )


def locations() -> st.SearchStrategy[Location]:
    """Places with or without a country and NUTS code."""
    return st.builds(
        Location,
        st.none() | words(1, 40),
        st.none() | st.sampled_from(["BG", "RO", "MK", "GR", "TR"]),
        st.none() | st.sampled_from(["BG341", "RO411", "BG3", "EL52", "MK00"]),
    )


def programmes() -> st.SearchStrategy[Programme]:
    """Programmes with names in one or more languages, a CCI, a period and funds."""
    return st.builds(
        Programme,
        st.none().map(lambda _: Texts()) | texts(),
        st.none() | st.sampled_from(["2014TC16RFCB021", "2014BG05M9OP001", "2007CB16IPO007"]),
        st.none() | st.sampled_from(["2007-2013", "2014-2020", "2021-2027"]),
        st.lists(st.sampled_from(["ERDF", "ESF", "IPA", "CF"]), max_size=2, unique=True),
    )


def findings() -> st.SearchStrategy[Finding]:
    """Findings as importers record them."""
    return st.builds(
        Finding,
        st.sampled_from(["money.approximate", "date.relative", "import.odd"]),
        st.sampled_from(list(Severity)),
        st.sampled_from(["$", "$.funding.total.amount", "$.period.start"]),
        words(1, 80),
        st.dictionaries(st.sampled_from(["text", "value"]), words(1, 20), max_size=2),
    )


def sources() -> st.SearchStrategy[Source]:
    """Where a record came from, with the raw text of the fields read."""
    return st.builds(
        Source,
        st.none() | st.sampled_from(["robg-card", "bg-news", "csv"]),
        st.none() | words(1, 40),
        st.none() | st.integers(1, 10**6),
        st.none() | st.integers(1, 10**6),
        st.dictionaries(
            st.sampled_from(["title", "funding.total", "period.start"]), words(1, 40), max_size=3
        ),
        st.lists(findings(), max_size=2),
    )


_MAYBE_TEXTS = st.none().map(lambda _: Texts()) | texts()
_PROJECT_PARTS: dict[str, st.SearchStrategy[Any]] = {
    "title": _MAYBE_TEXTS,
    "identifiers": st.lists(identifiers(), max_size=3),
    "programme": st.none() | programmes(),
    "funding": st.none() | fundings(),
    "period": st.none() | periods(),
    "partners": st.lists(partners(), max_size=8),
    "locations": st.lists(locations(), max_size=4),
    "status": st.none() | words(1, 20),
    "summary": _MAYBE_TEXTS,
    "results": st.lists(words(1, 80), max_size=3),
    "source": st.none() | sources(),
    "extras": _MAYBE_EXTRAS.map(lambda found: found or {}),
}


@st.composite
def projects(draw: st.DrawFn) -> Project:
    """Whole projects: every field optional, lists empty or long, texts in two alphabets."""
    return Project(**{name: draw(part) for name, part in _PROJECT_PARTS.items()})


# -- hostile values: what a file or a program may put in a record ------------------------

#: strings that break readers and writers: NUL and other controls, line breaks of every
#: kind, byte-order marks, direction marks, lone surrogates, non-characters, quotes,
#: separators, formula starts, and the suffixes CSV column names use
_BREAKERS = (
    "\x00",
    "\x01",
    "\x1b",
    "\x7f",
    "\r",
    "\n",
    "\r\n",
    "\u2028",
    "\u2029",
    "\u0085",
    "\ufeff",
    "\u202e",
    "\u200b",
    "\ufffe",
    "\uffff",
    "\ud800",
    "\udfff",
    "\U0010ffff",
    '"',
    "'",
    ",",
    ";",
    "\t",
    "|",
    "=",
    "+",
    "-",
    "@",
    ":json",
    ":text",
    ".",
    " ",
    "\\",
)


@cache
def hostile_text(min_size: int = 0, max_size: int = 30) -> st.SearchStrategy[str]:
    """Any text a program or a decoder may hand over, lone surrogates and NUL included.

    Writers must carry it or refuse its record with its place (never crash, never write
    what their reader refuses or reads differently).
    """
    pieces = st.characters(exclude_categories=()) | st.sampled_from(_BREAKERS)
    return st.lists(pieces, min_size=min_size, max_size=max_size).map("".join)


_HOSTILE_LEAVES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=2**63 - 2, max_value=2**64 + 2),
    st.integers(min_value=-(2**200), max_value=2**200),
    st.decimals(allow_nan=False, allow_infinity=False),
    hostile_text(0, 30),
    st.sampled_from(["", " ", "[1]", "2", "null", "=1+1", "'quoted"]),
)


@cache
def hostile_extras() -> st.SearchStrategy[dict[str, Any]]:
    """Extras with keys and values of any kind.

    Empty keys, keys ending in ``:json``, integers past 64 bits, exact decimals of any
    size, any text, nesting.
    """
    keys = hostile_text(0, 12) | st.sampled_from(["", "a", "a:json", "a:text", "a.b", " a "])
    values = st.recursive(
        _HOSTILE_LEAVES,
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(keys, inner, max_size=3),
        max_leaves=6,
    )
    return st.dictionaries(keys, values, max_size=5)


#: a field longer than CSV's default max_field (drawn rarely: it costs to write)
_HUGE = st.just("y" * 1_000_001)


@st.composite
def hostile_projects(draw: st.DrawFn) -> Project:
    """Projects whose every text and extras entry may be hostile, one field at times huge."""
    text = hostile_text(0, 30)
    wide = text | _HUGE if draw(st.integers(0, 40)) == 0 else text
    languages = hostile_text(0, 6) | st.sampled_from(["bg", "en", "", "en:json", "a.b"])
    return Project(
        title=draw(st.dictionaries(languages, wide, max_size=3)),
        identifiers=draw(
            st.lists(
                st.builds(
                    Identifier,
                    st.none() | hostile_text(1, 8),
                    hostile_text(1, 20).filter(lambda v: v.strip() != ""),
                ),
                max_size=2,
            )
        ),
        funding=draw(st.none() | fundings()),
        period=draw(st.none() | periods()),
        partners=draw(
            st.lists(
                st.builds(
                    Partner,
                    name=text,
                    role=_ROLES,
                    city=st.none() | text,
                    extras=hostile_extras(),
                ),
                max_size=3,
            )
        ),
        status=draw(st.none() | text),
        summary=draw(st.dictionaries(languages, text, max_size=2)),
        results=draw(st.lists(text, max_size=3)),
        source=draw(
            st.none()
            | st.builds(
                Source,
                st.none() | text,
                st.none() | text,
                st.none() | st.integers(1, 10**9),
                st.none() | st.integers(1, 10**9),
                st.dictionaries(hostile_text(0, 10), text, max_size=3),
                st.lists(
                    st.builds(
                        Finding,
                        hostile_text(0, 10),
                        st.sampled_from(list(Severity)),
                        text.map(lambda t: "$" + t),
                        text,
                        st.dictionaries(hostile_text(0, 10), text, max_size=2),
                    ),
                    max_size=2,
                ),
            )
        ),
        extras=draw(hostile_extras()),
    )


def register_type_strategies() -> None:
    """Register these strategies with Hypothesis, so that ``st.from_type(Project)`` works."""
    for kind, strategy in (
        (Money, money()),
        (PartialDate, partial_dates()),
        (Duration, durations()),
        (Period, periods()),
        (Texts, texts()),
        (Identifier, identifiers()),
        (Share, shares()),
        (Funding, fundings()),
        (Partner, partners()),
        (Location, locations()),
        (Programme, programmes()),
        (Source, sources()),
        (Finding, findings()),
        (Project, projects()),
    ):
        st.register_type_strategy(kind, strategy)

"""Currency conversion that records its rate: fixed euro rates, stated rates, dated market rates.

The irrevocably fixed euro conversion rates (Council Regulation (EC) No 2866/98, as
amended at each enlargement of the euro area) are built in: the Bulgarian lev at
1.95583 (euro since 2026-01-01, and pegged at that rate since the lev's 1999
redenomination), the Croatian kuna at 7.53450, and the other legacy currencies. As the
regulation requires, an amount is converted toward the euro by *dividing* by the rate
and from the euro by *multiplying*, never through an inverse rate, and rounded half-up
to the cent.

Floating currencies (RON, MKD, TRY, RSD …) need a dated rate: one the source states
(``rate=``), or one a rate-provider plugin finds for the date. Without one,
:class:`~socialproj.RateNotFound` is raised; another date's rate is never used.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Sequence
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Final, Protocol

from attrs import field, frozen

from .currencies import minor_units, normalize_currency
from .dates import PartialDate
from .errors import CurrencyMismatch, RateNotFound, expect
from .money import EXACT, EXACT_ROUNDING, ROUNDINGS, Money, _make, divide, plain, to_decimal

__all__ = [
    "FIXED_EURO_RATES",
    "Converted",
    "FixedRate",
    "Rate",
    "RateKind",
    "RateSource",
    "convert",
    "fixed_rate",
]

_REGULATION: Final = "Council Regulation (EC) No 2866/98, as amended"


class RateKind(StrEnum):
    """What kind of rate a conversion used."""

    FIXED = "fixed"  # an irrevocably fixed legal rate (or the peg it replaced)
    MARKET = "market"  # a dated reference rate, such as the ECB's
    ACCOUNTING = "accounting"  # a monthly accounting rate, such as the Commission's InforEuro
    STATED = "stated"  # a rate the source document states


def _decimal(value: Decimal | int | str) -> Decimal:
    number = to_decimal(value, what="rate")
    if number <= 0:
        raise ValueError(f"a rate must be positive, not {number}")
    return number


@frozen
class Rate:
    """An exchange rate: 1 ``base`` = ``value`` ``quote``, of a ``kind``, from a ``source``.

    ``date`` is the day a market or accounting rate is for, or the day a fixed rate
    took effect.

        >>> rate = fixed_rate("BGN")
        >>> rate.value, rate.kind.value, rate.date.isoformat()
        (Decimal('1.95583'), 'fixed', '2026-01-01')
    """

    base: str = field(converter=normalize_currency)
    quote: str = field(converter=normalize_currency)
    value: Decimal = field(converter=_decimal)
    kind: RateKind = field(converter=RateKind)
    source: str
    date: _dt.date | None = None

    def __str__(self) -> str:
        when = ""
        if self.date is not None:
            when = f"; since {self.date}" if self.kind is RateKind.FIXED else f"; of {self.date}"
        rate = f"1 {self.base} = {plain(self.value)} {self.quote}"
        return f"{rate} ({self.kind.value}, {self.source}{when})"

    def applies(self, from_: str, to: str) -> bool:
        """Whether this rate converts between ``from_`` and ``to`` (either way round)."""
        return {self.base, self.quote} == {from_, to}


@frozen
class FixedRate:
    """A legacy currency's fixed euro rate, when it took effect and since when it was pegged."""

    currency: str
    value: Decimal
    since: _dt.date
    pegged_since: _dt.date | None = None
    note: str = ""


def _fixed(
    code: str, value: str, since: str, pegged: str | None = None, note: str = ""
) -> FixedRate:
    return FixedRate(
        code,
        Decimal(value),
        _dt.date.fromisoformat(since),
        None if pegged is None else _dt.date.fromisoformat(pegged),
        note,
    )


#: The irrevocably fixed conversion rates of the euro area: currency → rate (1 EUR = rate).
FIXED_EURO_RATES: Final[dict[str, FixedRate]] = {
    rate.currency: rate
    for rate in (
        _fixed("ATS", "13.7603", "1999-01-01"),
        _fixed("BEF", "40.3399", "1999-01-01"),
        _fixed("DEM", "1.95583", "1999-01-01"),
        _fixed("ESP", "166.386", "1999-01-01"),
        _fixed("FIM", "5.94573", "1999-01-01"),
        _fixed("FRF", "6.55957", "1999-01-01"),
        _fixed("IEP", "0.787564", "1999-01-01"),
        _fixed("ITL", "1936.27", "1999-01-01"),
        _fixed("LUF", "40.3399", "1999-01-01"),
        _fixed("NLG", "2.20371", "1999-01-01"),
        _fixed("PTE", "200.482", "1999-01-01"),
        _fixed("GRD", "340.750", "2001-01-01"),
        _fixed("SIT", "239.640", "2007-01-01"),
        _fixed("CYP", "0.585274", "2008-01-01"),
        _fixed("MTL", "0.429300", "2008-01-01"),
        _fixed("SKK", "30.1260", "2009-01-01"),
        _fixed("EEK", "15.6466", "2011-01-01"),
        _fixed("LVL", "0.702804", "2014-01-01"),
        _fixed("LTL", "3.45280", "2015-01-01"),
        _fixed("HRK", "7.53450", "2023-01-01"),
        _fixed(
            "BGN",
            "1.95583",
            "2026-01-01",
            pegged="1999-07-05",
            note="currency-board peg at the same rate from the lev's redenomination",
        ),
    )
}


def fixed_rate(currency: str, on: _dt.date | str | PartialDate | None = None) -> Rate | None:
    """The fixed euro rate of a legacy currency, valid ``on`` a date (or at all); else ``None``.

    Before the euro, the lev was pegged to it at the same rate, so BGN amounts from
    1999-07-05 on convert at 1.95583 too; the other currencies floated before their
    dates, and ``None`` is returned for those days.
    """
    fixed = FIXED_EURO_RATES.get(currency)
    if fixed is None:
        return None
    on = _day(on)
    if on is None or on >= fixed.since:
        return Rate("EUR", currency, fixed.value, RateKind.FIXED, _REGULATION, fixed.since)
    if fixed.pegged_since is not None and on >= fixed.pegged_since:
        return Rate(
            "EUR",
            currency,
            fixed.value,
            RateKind.FIXED,
            f"{fixed.note} ({_REGULATION} fixed it from {fixed.since})",
            fixed.pegged_since,
        )
    return None


@frozen(repr=False)
class Converted:
    """The result of a conversion, with the rate and rounding that produced it.

    ``money`` is the converted amount, ``original`` what was converted, ``rate`` the
    rate (kind, source and date included) and ``rounding`` the mode applied.
    """

    money: Money
    original: Money
    rate: Rate
    rounding: str

    def __repr__(self) -> str:
        return (
            f"Converted({self.money!r} from {self.original!r} at {self.rate}, "
            f"rounded {self.rounding})"
        )

    def __str__(self) -> str:
        return f"{self.money} ({self.original} at {self.rate})"


class RateSource(Protocol):
    """A source of dated rates, as :func:`convert` asks it: a ``name`` and a ``lookup``.

    :class:`~socialproj.RateProvider` (what rate-provider plugins yield) is one;
    ``lookup(from_currency, to_currency, day)`` answers the rate of exactly that day.
    """

    @property
    def name(self) -> str:
        """The source's name, as ``provider=`` picks it."""

    @property
    def lookup(self) -> Callable[[str, str, _dt.date], Rate | None]:
        """The rate for a day, either way round, or ``None``."""


#: rate sources, or a function answering them when first needed (the plugin host's)
Sources = Sequence[RateSource] | Callable[[], Sequence[RateSource]]


def _provider_rate(
    from_: str, to: str, on: _dt.date, provider: str | None, sources: Sources
) -> Rate | None:
    providers = sources() if callable(sources) else sources
    if provider is not None:
        chosen = [p for p in providers if p.name == provider]
        if not chosen:
            names = ", ".join(p.name for p in providers) or "none installed"
            raise RateNotFound(f"no rate provider named {provider!r} (available: {names})")
        providers = chosen
    for candidate in providers:  # sorted by name: the answer never depends on load order
        rate = candidate.lookup(from_, to, on)
        if rate is not None:
            if not rate.applies(from_, to):
                raise RateNotFound(
                    f"rate provider {candidate.name!r} answered {rate} for {from_}->{to}"
                )
            return rate
    return None


def convert(
    money: Money,
    to: str,
    *,
    on: _dt.date | str | PartialDate | None = None,
    rate: Rate | None = None,
    provider: str | None = None,
    rounding: str = ROUND_HALF_UP,
    places: int | None = None,
    providers: Sources = (),
) -> Converted:
    """Convert ``money`` into currency ``to`` with the dated rates of ``providers``.

    :func:`socialproj.convert` is this function with the rate-provider plugins installed
    as ``providers``; its documentation says where the rate comes from and how the result
    is rounded.

        >>> convert(Money("1000000", "BGN"), "EUR").money
        Money('511291.88', 'EUR')
    """
    if money.currency is None:
        raise CurrencyMismatch(f"cannot convert {money}: its currency is not known")
    on = _day(on)
    if rounding not in ROUNDINGS:
        raise ValueError(f"unknown rounding mode {rounding!r}")
    source = money.currency
    target = normalize_currency(to)
    if places is not None:
        expect(places, int, "places is a whole number of decimals")
    digits = minor_units(target) if places is None else places
    if source == target:
        same = Rate(source, target, Decimal(1), RateKind.FIXED, "same currency")
        return Converted(money, money, same, rounding)
    if rate is None:
        rate = _find_rate(source, target, on, provider, providers)
    elif not rate.applies(source, target):
        raise RateNotFound(f"the rate given ({rate}) does not convert {source} to {target}")
    if rate.base == source:  # 1 source = value target: multiply
        product = EXACT.multiply(money.amount, rate.value)
        amount = product.quantize(
            Decimal(1).scaleb(-digits), rounding=rounding, context=EXACT_ROUNDING
        )
    else:  # 1 target = value source: divide, as the regulation requires
        amount = divide(money.amount, rate.value, digits, rounding)
    return Converted(_make(amount, target, money.qualifier), money, rate, rounding)


def _day(on: object) -> _dt.date | None:
    """The day a rate is wanted for: a date, an ISO ``YYYY-MM-DD`` string, a full PartialDate."""
    if on is None:
        return None
    if isinstance(on, _dt.datetime):
        return on.date()
    if isinstance(on, _dt.date):
        return on
    if isinstance(on, str):
        try:
            on = PartialDate.parse(on.strip())
        except ValueError:
            raise ValueError(
                f"on={on!r} is not a day (expected a date such as 2015-06-01)"
            ) from None
    if isinstance(on, PartialDate):
        return on.to_date()  # ValueError unless it is known to the day
    raise TypeError(f"on is a date, not {type(on).__name__} ({on!r})")


def _find_rate(
    source: str, target: str, on: _dt.date | None, provider: str | None, sources: Sources
) -> Rate:
    if provider is None:
        legacy = source if target == "EUR" else target if source == "EUR" else None
        if legacy is not None and legacy in FIXED_EURO_RATES:
            fixed = fixed_rate(legacy, on)
            if fixed is not None:
                return fixed
    fixed_side = [
        c for c in (source, target) if c in FIXED_EURO_RATES and "EUR" not in (source, target)
    ]
    hint = (
        f"; {fixed_side[0]} has a fixed rate only to EUR, so convert through EUR in two steps"
        if fixed_side
        else ""
    )
    if on is None:
        raise RateNotFound(
            f"no fixed rate converts {source} to {target}; a market rate needs a date "
            f"(pass on=){hint}"
        )
    found = _provider_rate(source, target, on, provider, sources)
    if found is None:
        raise RateNotFound(
            f"no rate for {source}->{target} on {on.isoformat()} from the installed rate "
            f"providers; no other date is used in its place (pass rate= to use a rate the "
            f"source states){hint}"
        )
    return found

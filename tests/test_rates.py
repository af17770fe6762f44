"""Currency conversion: the fixed euro rates, stated rates, providers, and no silent fallback."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

import socialproj
from socialproj import (
    FIXED_EURO_RATES,
    CurrencyMismatch,
    Money,
    Rate,
    RateKind,
    RateNotFound,
    RateProvider,
    convert,
    fixed_rate,
)
from socialproj.testing import strategies as sps


def test_bgn_to_eur_at_the_fixed_rate_rounds_half_up_to_the_cent():
    assert convert(Money("1000000", "BGN"), "EUR").money == Money("511291.88", "EUR")
    assert convert(Money("2000", "BGN"), "EUR").money == Money("1022.58", "EUR")
    assert str(convert(Money("2000", "BGN"), "EUR").money.amount) == "1022.58"


def test_eur_to_bgn_multiplies():
    assert convert(Money("511291.88", "EUR"), "BGN").money == Money("1000000.00", "BGN")
    assert convert(Money("1", "EUR"), "BGN").money == Money("1.96", "BGN")


def test_the_conversion_records_its_rate_kind_source_and_date():
    converted = convert(Money("1000000", "BGN"), "EUR")
    assert converted.rate.value == Decimal("1.95583")
    assert converted.rate.kind is RateKind.FIXED
    assert "2866/98" in converted.rate.source
    assert converted.rate.date == dt.date(2026, 1, 1)
    assert converted.original == Money("1000000", "BGN")
    assert converted.rounding == ROUND_HALF_UP
    text = repr(converted)
    assert "1.95583" in text and "fixed" in text and "511291.88" in text


def test_a_half_cent_tie_goes_up_not_to_even():
    # 0.00977915 BGN / 1.95583 = exactly 0.005 EUR
    assert convert(Money("0.00977915", "BGN"), "EUR").money == Money("0.01", "EUR")
    even = convert(Money("0.00977915", "BGN"), "EUR", rounding=ROUND_HALF_EVEN)
    assert even.money == Money("0.00", "EUR")


def test_division_is_not_multiplication_by_an_inverse_rate():
    # the inverse rate, rounded as tables print it, gives wrong cents for large amounts
    inverse = (Decimal(1) / Decimal("1.95583")).quantize(Decimal("0.000001"))
    amount = Decimal("98765432.10")
    by_inverse = (amount * inverse).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    right = convert(Money(amount, "BGN"), "EUR").money.amount
    assert right == (amount / Decimal("1.95583")).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    assert by_inverse != right


def test_a_currency_coarser_than_the_cent_cannot_keep_every_cent():
    # 1 Belgian franc is about 2.5 euro cents: a cent has no franc amount to land on
    assert not _finer_than_a_euro_cent("BEF")
    assert convert(convert(Money("0.01", "EUR"), "BEF").money, "EUR").money == Money("0.00", "EUR")


def test_every_legacy_currency_has_its_fixed_rate():
    assert fixed_rate("HRK") == Rate(
        "EUR", "HRK", "7.53450", "fixed", fixed_rate("HRK").source, dt.date(2023, 1, 1)
    )
    assert str(FIXED_EURO_RATES["HRK"].value) == "7.53450"  # six significant digits kept
    assert convert(Money("7.53450", "HRK"), "EUR").money == Money("1.00", "EUR")
    assert convert(Money("1936.27", "ITL"), "EUR").money == Money("1.00", "EUR")
    assert convert(Money("1", "EUR"), "ITL").money == Money("1936", "ITL")  # lira had no cents
    assert {"BGN", "HRK", "DEM", "GRD", "LTL", "LVL", "EEK", "SKK", "SIT", "CYP", "MTL"} <= set(
        FIXED_EURO_RATES
    )


def test_historical_bgn_amounts_convert_at_the_peg():
    converted = convert(Money("2000", "BGN"), "EUR", on=dt.date(2015, 6, 1))
    assert converted.money == Money("1022.58", "EUR")
    assert "peg" in converted.rate.source


def test_a_fixed_rate_is_not_used_for_days_before_it_existed(socialproj_plugin):
    assert fixed_rate("HRK", dt.date(2015, 6, 1)) is None
    socialproj_plugin(_Table(), "test-table")  # knows no HRK rate
    with pytest.raises(RateNotFound, match="2015-06-01"):
        convert(Money("100", "HRK"), "EUR", on=dt.date(2015, 6, 1), provider="test-table")


def test_floating_currencies_need_a_rate_for_the_day():
    with pytest.raises(RateNotFound, match="needs a date"):
        convert(Money("100", "RON"), "EUR")


def test_a_stated_rate_is_used_as_the_source_gives_it():
    stated = Rate("EUR", "MKD", "61.6950", "stated", "project report, p. 3", dt.date(2019, 5, 31))
    converted = convert(Money("61695.00", "MKD"), "EUR", rate=stated)
    assert converted.money == Money("1000.00", "EUR")
    assert converted.rate is stated
    with pytest.raises(RateNotFound, match="does not convert"):
        convert(Money("1", "RON"), "EUR", rate=stated)


def test_same_currency_is_returned_as_it_is():
    converted = convert(Money("9933.00", "BGN"), "BGN")
    assert str(converted.money.amount) == "9933.00"
    assert converted.rate.value == 1


def test_an_amount_without_currency_cannot_be_converted():
    with pytest.raises(CurrencyMismatch):
        convert(Money("5", None), "EUR")


def test_rate_values_must_be_exact_and_positive():
    with pytest.raises(TypeError):
        Rate("EUR", "RON", 4.97, "market", "x")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="positive"):
        Rate("EUR", "RON", "0", "market", "x")


class _Table:
    """A rate-provider plugin with rates for a few days only."""

    def __init__(self) -> None:
        self.asked: list[tuple[str, str, dt.date]] = []

    def lookup(self, from_: str, to: str, day: dt.date) -> Rate | None:
        self.asked.append((from_, to, day))
        table = {dt.date(2019, 11, 22): "4.7741", dt.date(2019, 11, 21): "4.7735"}
        if {from_, to} == {"EUR", "RON"} and day in table:
            return Rate("EUR", "RON", table[day], "market", "test table", day)
        return None

    @socialproj.hookimpl
    def socialproj_rate_providers(self):
        yield RateProvider("test-table", "two days of EUR/RON", self.lookup)


def test_rate_providers_give_dated_rates_and_no_other_date_is_used():
    table = _Table()
    with socialproj.registered(table, "test-table"):
        day = dt.date(2019, 11, 22)
        converted = convert(Money("1000", "RON"), "EUR", on=day, provider="test-table")
        assert converted.money == Money("209.46", "EUR")
        assert converted.rate.kind is RateKind.MARKET and converted.rate.date == day
        with pytest.raises(RateNotFound, match="2019-11-23"):  # a Saturday
            convert(Money("1000", "RON"), "EUR", on=dt.date(2019, 11, 23), provider="test-table")
        with pytest.raises(RateNotFound, match="no rate provider named"):
            convert(Money("1", "RON"), "EUR", on=dt.date(2019, 11, 22), provider="nope")
    assert ("RON", "EUR", dt.date(2019, 11, 23)) in table.asked


@given(sps.amounts("EUR", max_value=10**12))
def test_eur_to_bgn_and_back_returns_the_amount(amount):
    eur = Money(amount.quantize(Decimal("0.01")), "EUR")
    there = convert(eur, "BGN").money
    assert convert(there, "EUR").money == eur


@given(sps.amounts("BGN", max_value=10**12))
def test_bgn_to_eur_is_within_half_a_euro_cent_and_back_within_a_stotinka(amount):
    # BGN -> EUR -> BGN does not return every amount: the euro cent is coarser than the
    # stotinka. What holds: the euro amount is within half a euro cent of the exact
    # quotient, and the way back lands within one stotinka of where it started.
    bgn = Money(amount, "BGN")
    eur = convert(bgn, "EUR").money
    assert abs(eur.amount * Decimal("1.95583") - bgn.amount) <= Decimal("0.005") * Decimal(
        "1.95583"
    )
    back = convert(eur, "BGN").money
    assert abs(back.amount - bgn.amount) <= Decimal("0.01")


def _finer_than_a_euro_cent(code: str) -> bool:
    """Whether the currency's smallest unit is worth less than a euro cent (so no cent is lost)."""
    unit = Decimal(1).scaleb(-socialproj.minor_units(code))
    return unit / FIXED_EURO_RATES[code].value < Decimal("0.01")


@given(
    st.sampled_from(sorted(c for c in FIXED_EURO_RATES if _finer_than_a_euro_cent(c))),
    sps.amounts("EUR", max_value=10**9),
)
def test_every_fixed_currency_finer_than_a_cent_round_trips_from_the_euro(code, amount):
    eur = Money(amount.quantize(Decimal("0.01")), "EUR")
    assert convert(convert(eur, code).money, "EUR").money == eur


def test_a_fixed_currency_to_a_floating_one_is_two_steps_and_the_error_says_so():
    with pytest.raises(RateNotFound, match="through EUR in two steps"):
        convert(Money("100", "BGN"), "RON")
    with pytest.raises(RateNotFound, match="through EUR in two steps"):
        convert(Money("100", "BGN"), "RON", on=dt.date(2019, 11, 22))


def test_the_day_of_a_rate_may_be_written_as_text_or_a_partial_date():
    lev = Money("100", "BGN")
    by_date = convert(lev, "EUR", on=dt.date(2005, 3, 1))
    for day in ("2005-03-01", dt.datetime(2005, 3, 1, 9), socialproj.PartialDate(2005, 3, 1)):
        assert convert(lev, "EUR", on=day) == by_date
    assert fixed_rate("BGN", "1998-01-01") == fixed_rate("BGN", dt.date(1998, 1, 1))
    # these used to end in AttributeError or a comparison TypeError deep inside
    with pytest.raises(ValueError, match="not a day"):
        convert(lev, "EUR", on="1.1.1998")
    with pytest.raises(ValueError, match="known only to the month"):
        convert(lev, "EUR", on=socialproj.PartialDate(1998, 1))
    with pytest.raises(ValueError, match="1998-01 is known only to the month"):
        convert(lev, "EUR", on="1998-01")
    with pytest.raises(TypeError, match="on is a date, not int"):
        convert(lev, "EUR", on=19980101)

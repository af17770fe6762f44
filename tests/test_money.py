"""Money: exact amounts, currencies, arithmetic that never rounds silently, named rounding."""

from __future__ import annotations

import pickle
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal, Inexact

import pytest
from hypothesis import given
from hypothesis import strategies as st

from socialproj import CurrencyMismatch, Money, Qualifier
from socialproj.money import divide
from socialproj.testing import strategies as sps


def test_amount_from_decimal_int_and_string_keeps_scale():
    assert str(Money("9933.00", "BGN").amount) == "9933.00"
    assert Money(Decimal("1.50"), "EUR").amount == Decimal("1.5")
    assert Money(188727, "BGN").amount == Decimal(188727)
    assert repr(Money("9933.00", "BGN")) == "Money('9933.00', 'BGN')"


@pytest.mark.parametrize("bad", [0.1, 1.0, float("nan")])
def test_float_is_refused(bad):
    with pytest.raises(TypeError, match="float"):
        Money(bad, "EUR")


def test_bool_and_other_types_are_refused():
    with pytest.raises(TypeError):
        Money(True, "EUR")
    with pytest.raises(TypeError):
        Money([1], "EUR")  # type: ignore[arg-type]


@pytest.mark.parametrize("text", ["1e3", "1,5", "", "abc", "NaN", "Infinity", "1_000", "١٢"])
def test_strings_must_be_plain_decimals(text):
    with pytest.raises(ValueError, match=r"plain decimal|finite"):
        Money(text, "EUR")


def test_non_finite_decimal_is_refused():
    with pytest.raises(ValueError, match="finite"):
        Money(Decimal("Infinity"), "EUR")


def test_currency_is_an_iso_code_active_or_historic():
    assert Money("1", "eur").currency == "EUR"
    assert Money("1", "BGN").currency == "BGN"  # historic since 2026-01-01, still valid
    assert Money("1", "HRK").currency == "HRK"
    with pytest.raises(ValueError, match="ISO 4217"):
        Money("1", "XYZ")
    assert Money("1", None).currency is None


def test_same_currency_arithmetic():
    total = Money("188727", "BGN") + Money("9933.00", "BGN")
    assert total == Money("198660.00", "BGN")
    assert str(total.amount) == "198660.00"
    assert Money("5.00", "EUR") - Money("0.01", "EUR") == Money("4.99", "EUR")
    assert -Money("1.00", "EUR") == Money("-1.00", "EUR")
    assert abs(Money("-2", "EUR")) == Money("2", "EUR")


def test_sum_uses_zero_as_identity():
    assert sum([Money("188727", "BGN"), Money("9933.00", "BGN")]) == Money("198660.00", "BGN")
    assert Money("1", "EUR") + 0 == Money("1", "EUR")


def test_mixing_currencies_raises_currency_mismatch_which_is_a_type_error():
    with pytest.raises(CurrencyMismatch) as caught:
        Money("1", "EUR") + Money("1", "BGN")
    assert isinstance(caught.value, TypeError)
    assert "EUR" in str(caught.value) and "BGN" in str(caught.value)
    with pytest.raises(CurrencyMismatch):
        Money("1", "EUR") < Money("2", "BGN")  # noqa: B015
    with pytest.raises(CurrencyMismatch):
        sum([Money("1", "EUR"), Money("1", "RON")])


def test_amounts_without_currency_are_kept_but_not_combined():
    with pytest.raises(CurrencyMismatch, match="without a currency"):
        Money("1", None) + Money("1", None)


def test_comparison_within_a_currency():
    assert Money("1.00", "EUR") < Money("1.01", "EUR")
    assert Money("2", "EUR") >= Money("2.00", "EUR")
    assert Money("1.0", "EUR") == Money("1.00", "EUR")
    assert Money("1", "EUR") != Money("1", "BGN")


def test_multiplication_by_decimal_and_int_is_exact():
    assert Money("671561.63", "EUR") * Decimal("0.85") == Money("570827.3855", "EUR")
    assert 2 * Money("1.25", "EUR") == Money("2.50", "EUR")
    with pytest.raises(TypeError):
        Money("1", "EUR") * 0.5  # type: ignore[operator]


def test_arithmetic_never_rounds_silently():
    huge = Money("1" + "0" * 150, "EUR")
    tiny = Money("0." + "0" * 60 + "1", "EUR")
    with pytest.raises(Inexact):
        huge + tiny


def test_rounding_names_its_mode():
    tie = Money("2.665", "EUR")
    assert tie.rounded(ROUND_HALF_UP) == Money("2.67", "EUR")
    assert tie.rounded(ROUND_HALF_EVEN) == Money("2.66", "EUR")
    assert str(Money("5", "JPY").rounded(ROUND_HALF_UP).amount) == "5"
    assert str(Money("1", "KWD").rounded(ROUND_HALF_UP).amount) == "1.000"
    with pytest.raises(TypeError):
        tie.rounded()  # type: ignore[call-arg]
    with pytest.raises(ValueError, match="rounding mode"):
        tie.rounded("nearest")


def test_zero_has_the_minor_unit_scale():
    assert str(Money.zero("EUR").amount) == "0.00"
    assert str(Money.zero("JPY").amount) == "0"


def test_qualifier_is_kept_and_spreads_through_arithmetic():
    about = Money("532000", "BGN", "approximately")
    assert about.qualifier is Qualifier.APPROXIMATELY
    assert not about.is_exact
    assert (about + Money("1", "BGN")).qualifier is Qualifier.APPROXIMATELY
    assert (
        Money("1", "BGN", "more_than") + Money("1", "BGN", "more_than")
    ).qualifier is Qualifier.MORE_THAN
    assert str(about) == "~532000 BGN"


def test_money_pickles_and_hashes_consistently():
    money = Money("9933.00", "BGN")
    assert pickle.loads(pickle.dumps(money)) == money
    assert hash(Money("1.0", "EUR")) == hash(Money("1.00", "EUR"))


def test_divide_rounds_once_and_exactly():
    assert divide(Decimal(1000000), Decimal("1.95583"), 2, ROUND_HALF_UP) == Decimal("511291.88")
    # an exact tie at half a cent goes up with HALF_UP and to even with HALF_EVEN
    assert divide(Decimal("0.00977915"), Decimal("1.95583"), 2, ROUND_HALF_UP) == Decimal("0.01")
    assert divide(Decimal("0.00977915"), Decimal("1.95583"), 2, ROUND_HALF_EVEN) == Decimal("0.00")
    assert divide(Decimal("-1"), Decimal(8), 2, ROUND_HALF_UP) == Decimal("-0.13")


@given(st.lists(sps.money(["EUR"]), max_size=20))
def test_sum_is_exact_and_order_free(amounts):
    expected = sum((m.amount for m in amounts), Decimal(0))
    assert sum(amounts, 0) == (Money(expected, "EUR") if amounts else 0)
    assert sum(reversed(amounts), 0) == sum(amounts, 0)


@given(sps.money(), sps.money())
def test_addition_commutes_or_refuses(a, b):
    if a.currency == b.currency:
        assert a + b == b + a
        assert (a + b) - b == a
    else:
        with pytest.raises(CurrencyMismatch):
            a + b


@given(sps.money("BGN"), sps.currencies("RON"))
def test_the_strategies_take_one_currency_code_as_well_as_a_list(money, currency):
    assert money.currency == "BGN" and currency == "RON"

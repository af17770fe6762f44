"""Reading amounts as documents write them, and writing them back."""

from __future__ import annotations

import contextlib
import re
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from socialproj import (
    STYLES,
    AmbiguousAmount,
    Money,
    NumberStyle,
    ParseError,
    Qualifier,
    format_money,
    parse_amount,
    parse_money,
    scan_amounts,
)
from socialproj.testing import strategies as sps

NBSP = "\u00a0"
NNBSP = "\u202f"


@pytest.mark.parametrize(
    ("text", "amount", "currency"),
    [
        ("198 660,00 лв.", "198660.00", "BGN"),
        ("671.561,63 euro", "671561.63", "EUR"),
        ("4,769,687.25 euro", "4769687.25", "EUR"),
        ("396463.71 €", "396463.71", "EUR"),
        ("566403.14€", "566403.14", "EUR"),
        ("€ 28,890,790.79", "28890790.79", "EUR"),
        ("857,604.36euro", "857604.36", "EUR"),
        ("7 988 762.57", "7988762.57", None),
        (f"198{NBSP}660,00 лв.", "198660.00", "BGN"),
        (f"198{NNBSP}660,00 лв.", "198660.00", "BGN"),
        ("256 033,48 Euro", "256033.48", "EUR"),
        ("9933,00 лв.", "9933.00", "BGN"),
        ("188 727 лв.", "188727", "BGN"),
        ("118 003.24 лв.", "118003.24", "BGN"),
        ("24.330.679,26 €", "24330679.26", "EUR"),
        ("562 065 867,78 лева", "562065867.78", "BGN"),
        ("5 000 lei", "5000", "RON"),
        ("1 000 денари", "1000", "MKD"),
        ("BGN 1 250,50", "1250.50", "BGN"),
        ("EUR 12,000.00", "12000.00", "EUR"),
        ("559.300,00 kn", "559300.00", "HRK"),
        ("-1 234,50 BGN", "-1234.50", "BGN"),
        ("390 500 лв.", "390500", "BGN"),
        ("0,5 лв.", "0.5", "BGN"),
    ],
)
def test_reads_the_styles_real_documents_use(text, amount, currency):
    money = parse_money(text)
    assert str(money.amount) == amount  # the scale as written survives
    assert money.currency == currency
    assert money.qualifier is None


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("1,2 млн. лв.", "1200000"),
        ("532 хил. лв.", "532000"),
        ("2,5 млрд. лева", "2500000000"),
        ("€5m", "5000000"),
        ("1.25 million euro", "1250000"),
        ("3,45 mil. lei", "3450000"),
    ],
)
def test_scale_words_multiply_exactly(text, amount):
    assert str(parse_money(text).amount) == amount


@pytest.mark.parametrize(
    ("text", "qualifier"),
    [
        ("близо 532 хил. лв.", Qualifier.APPROXIMATELY),
        ("около 1,2 млн. лв.", Qualifier.APPROXIMATELY),
        ("над 710 000 лв.", Qualifier.MORE_THAN),
        ("around EUR 5,000.00", Qualifier.APPROXIMATELY),
        ("more than 20,000.00 euro", Qualifier.MORE_THAN),
        ("up to 50 000 lei", Qualifier.UP_TO),
        ("aproximativ 3 000,00 lei", Qualifier.APPROXIMATELY),
        ("peste 1.000.000 lei", Qualifier.MORE_THAN),
    ],
)
def test_approximations_are_read_and_flagged(text, qualifier):
    money = parse_money(text)
    assert money.qualifier is qualifier
    assert not money.is_exact


@pytest.mark.parametrize(
    ("word", "code"),
    [
        ("лв.", "BGN"),
        ("лева", "BGN"),
        ("BGN", "BGN"),
        ("евро", "EUR"),
        ("euro", "EUR"),
        ("EUR", "EUR"),
        ("€", "EUR"),
        ("lei", "RON"),
        ("RON", "RON"),
        ("денари", "MKD"),
        ("MKD", "MKD"),
        ("ден.", "MKD"),
        ("динара", "RSD"),
        ("TL", "TRY"),
    ],
)
def test_currency_words_in_bulgarian_english_romanian(word, code):
    assert parse_money(f"1 000,50 {word}").currency == code


@pytest.mark.parametrize("text", ["136,363 лв.", "1.234", "1,234 EUR", "€ 5.000"])
def test_lone_separator_before_three_digits_is_ambiguous(text):
    with pytest.raises(AmbiguousAmount) as caught:
        parse_money(text)
    assert isinstance(caught.value, ValueError)
    assert repr(text) in str(caught.value)


def test_locale_or_style_settles_the_ambiguity():
    assert parse_money("136,363 лв.", locale="bg").amount == Decimal("136.363")
    assert parse_money("136,363 лв.", locale="en").amount == Decimal("136363")
    assert parse_money("1.234", locale="de").amount == Decimal("1234")
    assert parse_money("1.234", locale=NumberStyle(".", ",")).amount == Decimal("1.234")


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "abc",
        "N/A",
        "-",
        "заличен",
        "85%",
        "12 EUR 13",
        "2017-09-23",
        "5 EUR BGN",
        "1,234,56",
        "12.34.5",
        "1 2345",
        "€€",
        "лв.",
    ],
)
def test_unreadable_text_raises_parse_error_quoting_it(text):
    with pytest.raises(ParseError) as caught:
        parse_money(text)
    assert isinstance(caught.value, ValueError)
    assert repr(text) in str(caught.value)


@pytest.mark.parametrize(
    ("token", "words"),
    [
        ("", "is empty"),
        ("--1", "two minus signs"),
        ("-−1", "two minus signs"),
        ("1-000", "holds '-'"),
        ("1e500", "has the exponent 500"),  # scientific notation, but no amount's
        ("1/000", "holds '/'"),
        ("12a345", "holds 'a'"),
    ],
)
def test_parse_amount_reads_numbers_only(token, words):
    # these were read as 1, 1000, 1500 or a decimal-module traceback
    with pytest.raises(ParseError, match=words):
        parse_amount(token, style=STYLES["en"])


def test_default_currency_applies_only_when_none_is_written():
    assert parse_money("7 988 762.57", currency="EUR").currency == "EUR"
    assert parse_money("100 лв.", currency="EUR").currency == "BGN"


def test_never_swaps_thousands_and_decimals():
    # DOMAIN: 562 065 867,78 read as 56 billion is a classic failure
    assert parse_money("562 065 867,78 лв.").amount == Decimal("562065867.78")
    assert parse_money("562.065.867,78 лв.").amount == Decimal("562065867.78")


def test_learns_a_documents_style_from_its_unambiguous_amounts():
    continental = "671.561,63 euro, from which 570.827,37 euro FEDR; 5.087 km of roads"
    assert NumberStyle.learn(continental).decimal == ","
    english = "4,769,687.25 euro, out of which 4,054,234.14 euro ERDF"
    assert NumberStyle.learn(english).decimal == "."
    assert NumberStyle.learn("85,854 people and 5.087 km") is None  # no amounts
    assert NumberStyle.learn("1.234,56 EUR and 1,234.56 EUR") is None  # contradicts itself
    style = NumberStyle.learn("Target: 25,000 euro for LB; total 811,253.08 euro")
    assert parse_money("25,000 euro", locale=style).amount == Decimal("25000")


def test_scan_finds_amounts_and_leaves_other_numbers_alone():
    text = (
        "Стойността на проекта е 499 777,91 лв. - 100% безвъзмездна; в периода 2019 "
        "200 000 лв.; 5.087 km of roads, 85,854 people, 10.12.2019; близо 1,2 млн. лв."
    )
    found = scan_amounts(text)
    assert [str(f.money) for f in found] == ["499777.91 BGN", "200000 BGN", "~1200000 BGN"]
    assert [f.text for f in found] == ["499 777,91 лв.", "200 000 лв.", "близо 1,2 млн. лв."]


def test_scan_keeps_ambiguous_amounts_with_their_error():
    found = scan_amounts("Target: 25,000 euro for LB")
    assert found[0].money is None
    assert "could be 25000 or 25.000" in (found[0].error or "")


def test_scan_ignores_codes_with_numbers():
    assert scan_amounts("ROBG-150 and BG05M9OP001-2.002-0297-С01 and CB005.2.21.080") == []


@pytest.mark.parametrize(
    "text",
    [
        "1," * 200_000,
        "1 " * 200_000 + "лв.",
        "9" * 500_000 + " euro",
        "€" * 100_000 + "1",
        ("около " * 50_000) + "5 лв.",
        "1.2" * 100_000,
    ],
)
def test_adversarial_long_input_is_handled_in_linear_time(text):
    # no timing assertion: a quadratic or backtracking scanner would not finish here
    scan_amounts(text)
    with contextlib.suppress(ParseError):
        parse_money(text[:100_000])


STYLE_NAMES = sorted(STYLES)


@given(
    sps.money(sps.CURRENCIES, qualified=True),
    st.sampled_from(STYLE_NAMES),
    st.sampled_from(["code", "symbol", "word", "none"]),
    st.booleans(),
)
def test_format_then_parse_is_the_identity_for_every_style(money, style, currency, before):
    text = format_money(money, style, currency=currency, before=before)
    default = money.currency if currency == "none" else None
    back = parse_money(text, locale=style, currency=default)
    assert back == money
    assert str(back.amount) == str(money.amount)  # the scale too
    assert back.qualifier is money.qualifier


@given(sps.money(sps.CURRENCIES), st.sampled_from(STYLE_NAMES))
def test_without_a_locale_the_reading_is_right_or_ambiguous_never_wrong(money, style):
    text = format_money(money, style)
    try:
        back = parse_money(text)
    except AmbiguousAmount:
        return
    assert back == money and str(back.amount) == str(money.amount)


def test_format_writes_groups_and_words():
    assert (
        format_money(Money("198660.00", "BGN"), "space-comma", currency="word") == "198 660,00 лв."
    )
    assert (
        format_money(Money("28890790.79", "EUR"), "en", currency="symbol", before=True)
        == "€ 28,890,790.79"
    )
    assert (
        format_money(Money("532000", "BGN", "approximately"), "continental") == "around 532.000 BGN"
    )


# -- signs and marks that must not be lost (a float never, a sign never) -------------------


@pytest.mark.parametrize(
    ("text", "locale", "amount", "currency"),
    [
        (".50 EUR", None, "0.50", "EUR"),
        ("€.99", None, "0.99", "EUR"),
        (",5", "bg", "0.5", None),
        ("-.5", None, "-0.5", None),
        ("(1 000,00)", "bg", "-1000.00", None),
        ("(500 лв.)", None, "-500", "BGN"),
        ("–500", None, "-500", None),
        ("—500 лв.", None, "-500", "BGN"),
        ("− 1 234,50 лв.", None, "-1234.50", "BGN"),
        ("100,- kr.", "sv", "100", "SEK"),
        ("DM 2 400 000", None, "2400000", "DEM"),
        ("3,45 mil. lei", None, "3450000", "RON"),
        ("1 mil EUR", "es", "1000", "EUR"),
    ],
)
def test_a_sign_or_a_leading_decimal_mark_is_read_never_dropped(text, locale, amount, currency):
    money = parse_money(text, locale=locale)
    assert str(money.amount) == amount and money.currency == currency


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1 ,", "has a ',' after its last digit"),
        ("1,", "has a ',' after its last digit"),
        ("1 .", "has a '.' after its last digit"),
        ("EUR.500", "has a '.' right before its digits"),
        ("500 – лв.", "a dash away from the digits"),
        ("-(500)", "two minus signs"),
        ("5 kr", "'kr' names DKK in Danish; SEK in Swedish"),
        ("1 mil EUR", "'mil' means a million in Czech, English, Romanian, Slovak; a thousand"),
    ],
)
def test_a_mark_or_word_that_could_change_the_amount_is_refused(text, message):
    with pytest.raises(ParseError, match=re.escape(message)):
        parse_money(text)


def test_a_leading_mark_against_the_style_is_refused():
    with pytest.raises(ParseError, match="not the decimal mark"):
        parse_money(".50", locale="bg")


def test_a_sentence_ending_after_an_amount_is_no_separator():
    assert parse_money("500 лв.") == Money("500", "BGN")
    assert parse_money("500.") == Money("500", None)


def test_scan_keeps_a_leading_decimal_mark_and_a_sentence_before_it_stays_out():
    found = scan_amounts("Цената е .50 EUR на бройка; по проекта.500 000 лв. бяха дадени")
    assert [f.money for f in found] == [Money("0.50", "EUR"), Money("500000", "BGN")]


@pytest.mark.parametrize(
    ("written", "style", "lenient"),
    [
        ("288.11", ",", "288.11"),
        ("1,234.50", ",", "1234.50"),
        ("1 234.5", ",", "1234.5"),
        ("5,31", ".", "5.31"),
        ("-7,5", ".", "-7.5"),
    ],
)
def test_strict_holds_a_number_to_the_style_s_decimal_mark(written, style, lenient):
    known = NumberStyle.for_decimal(style)
    assert parse_amount(written, style=known) == Decimal(lenient)
    with pytest.raises(ParseError, match="as its decimal mark, where the amounts are written"):
        parse_amount(written, style=known, strict=True)
    with pytest.raises(ParseError, match="as its decimal mark"):
        parse_money(f"{written} EUR", locale=known, strict=True)


@pytest.mark.parametrize(("written", "style"), [("1.234,5", ","), ("1,234", "."), ("17", ",")])
def test_strict_reads_numbers_written_in_the_style(written, style):
    known = NumberStyle.for_decimal(style)
    assert parse_amount(written, style=known, strict=True) == parse_amount(written, style=known)

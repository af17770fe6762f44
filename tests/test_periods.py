"""Dates as stated, durations, and periods counted the way the programmes count them."""

from __future__ import annotations

import datetime
import datetime as dt
import re

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given
from hypothesis import strategies as st

from socialproj import (
    Duration,
    ParseError,
    PartialDate,
    Period,
    RelativeDateError,
    add_months,
    parse_date,
)
from socialproj.testing import strategies as sps


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("2017-09-23", "2017-09-23"),
        ("23.09.2017", "2017-09-23"),
        ("28.09.2016 г.", "2016-09-28"),
        ("28.09.2016г.", "2016-09-28"),
        ("01.10.2016 г", "2016-10-01"),
        ("23/09/2017", "2017-09-23"),
        ("19 юли 2018", "2018-07-19"),
        ("17 януари 2019 г.", "2019-01-17"),
        ("September 2012", "2012-09"),
        ("Sept. 2012", "2012-09"),
        ("12 septembrie 2019", "2019-09-12"),
        ("јули 2020", "2020-07"),
        ("2012", "2012"),
        ("2012-09", "2012-09"),
        ("09.2012", "2012-09"),
        ("2018-02-01T00:00:00Z", "2018-02-01"),
        (" 3 March 2020 ", "2020-03-03"),
    ],
)
def test_reads_dates_keeping_their_precision(text, iso):
    assert parse_date(text).isoformat() == iso


def test_relative_dates_need_a_reference_date():
    with pytest.raises(RelativeDateError, match="reference_date"):
        parse_date("3 юли т. г.")
    assert parse_date("3 юли т. г.", reference_date=dt.date(2019, 2, 10)) == PartialDate(2019, 7, 3)
    assert parse_date("3 юли т.г.", reference_date=dt.date(2020, 1, 1)) == PartialDate(2020, 7, 3)


def test_a_timestamp_away_from_midnight_is_not_guessed():
    # DOMAIN: Excel exports shift dates by time zones; 21:00Z may be 1 February locally
    with pytest.raises(ParseError, match="time zone"):
        parse_date("2018-01-31T21:00:00Z")


@pytest.mark.parametrize(
    "text",
    ["", "31.02.2019", "13/25/2020", "юли", "3 юли", "2019-13", "hello 2019", "12.12.123", "7560"],
)
def test_impossible_or_unreadable_dates_raise(text):
    with pytest.raises(ParseError):
        parse_date(text)


def test_month_first_order_can_be_chosen():
    assert parse_date("03/12/2020", order="MDY") == PartialDate(2020, 3, 12)
    assert parse_date("03/12/2020") == PartialDate(2020, 12, 3)


def test_partial_dates_have_bounds_and_iso_forms():
    september = PartialDate(2012, 9)
    assert september.precision == "month"
    assert september.earliest() == dt.date(2012, 9, 1)
    assert september.latest() == dt.date(2012, 9, 30)
    assert PartialDate(2020, 2).latest() == dt.date(2020, 2, 29)
    assert str(PartialDate(2012)) == "2012"
    with pytest.raises(ValueError, match="only to the month"):
        september.to_date()
    with pytest.raises(ValueError, match="days 1 to 28"):
        PartialDate(2019, 2, 29)


@given(sps.partial_dates())
def test_partial_dates_round_trip_through_iso(value):
    assert PartialDate.parse(value.isoformat()) == value


@pytest.mark.parametrize(
    ("text", "months", "days"),
    [
        ("27 months", 27, 0),
        ("48 months and 22 days", 48, 22),
        ("64 months and 24 days;", 64, 24),
        ("41 months*", 41, 0),
        ("18 месеца", 18, 0),
        ("22 месеца", 22, 0),
        ("24 luni", 24, 0),
        ("2 години", 24, 0),
        ("1 year 6 months", 18, 0),
        ("18месеца", 18, 0),
        ("90 days", 0, 90),
        ("6 седмици", 0, 42),
    ],
)
def test_reads_stated_durations(text, months, days):
    assert Duration.parse(text) == Duration(months, days)


@pytest.mark.parametrize("text", ["", "months", "27", "27 parsecs", "about two years"])
def test_unreadable_durations_raise(text):
    with pytest.raises(ParseError):
        Duration.parse(text)


def test_durations_are_whole_and_not_negative():
    with pytest.raises(ValueError, match="zero or more"):
        Duration(-1)
    with pytest.raises(ValueError, match="whole number"):
        Duration(1.5)  # type: ignore[arg-type]
    assert str(Duration(48, 22)) == "48 months 22 days"
    assert str(Duration(1)) == "1 month"
    assert Duration(2, 3).to_relativedelta() == relativedelta(months=2, days=3)


def test_the_programmes_convention_end_is_the_last_day():
    # seed 003: 2017-09-23 .. 2019-11-22 is 26 months (27 is the count of months touched)
    assert Period("2017-09-23", "2019-11-22").measured_duration == Duration(26)
    # robg-card 001: 10.12.2019 + 48 months 22 days ends 31.12.2023
    period = Period.from_start("2019-12-10", Duration(48, 22))
    assert period.end == PartialDate(2023, 12, 31)
    assert period.derived == {"end"}
    assert Period("2019-12-10", "2023-12-31").measured_duration == Duration(48, 22)


def test_month_arithmetic_counts_from_the_original_start():
    # 31 January + 1 month is the end of February, + 2 months is 31 March (not 28 March)
    assert add_months(dt.date(2019, 1, 31), 1) == dt.date(2019, 2, 28)
    assert add_months(dt.date(2019, 1, 31), 2) == dt.date(2019, 3, 31)
    assert add_months(dt.date(2020, 2, 29), 12) == dt.date(2021, 2, 28)
    assert add_months(dt.date(2020, 2, 29), 48) == dt.date(2024, 2, 29)
    assert Period.from_start("2020-02-29", Duration(12)).end == PartialDate(2021, 2, 27)


def test_partial_periods_compute_at_month_precision():
    # seed 000: ended "September 2012" after 15 months -> started around July 2011
    period = Period(end="2012-09", duration=Duration(15))
    assert period.computed_start == PartialDate(2011, 7)
    assert Period.from_start("2011-07", Duration(15)).end == PartialDate(2012, 9)
    assert Period("2011-07", "2012-09").measured_duration == Duration(15)
    assert Period("2011", "2012-09").measured_duration is None


def test_end_before_start_measures_nothing():
    assert Period("2019-05-01", "2019-01-01").measured_duration is None


def test_periods_take_dates_and_iso_strings():
    assert Period(dt.date(2019, 1, 2)).start == PartialDate(2019, 1, 2)
    with pytest.raises(TypeError):
        Period(dt.datetime(2019, 1, 2, 3, 4))
    with pytest.raises(ValueError, match="derived"):
        Period(derived={"middle"})


@given(sps.dates(), st.integers(-240, 240))
def test_add_months_is_relativedeltas_month_arithmetic(day, months):
    try:
        expected = day + relativedelta(months=months)
    except (ValueError, OverflowError):
        return
    assert add_months(day, months) == expected


@given(sps.dates(), sps.durations())
def test_start_plus_duration_minus_a_day_measures_back_to_the_duration(start, duration):
    period = Period.from_start(start, duration)
    assert Period(period.start, period.end).measured_duration == duration


@given(sps.dates(), sps.durations(max_days=0))
def test_computed_start_inverts_computed_end_for_whole_months(start, duration):
    end = Period.from_start(start, duration).end
    back = Period(end=end, duration=duration).computed_start
    assert back is not None
    assert Period.from_start(back, duration).end == end


# -- dates people write (issue 21: two-digit years, month names of other languages …) --------


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("June 12, 1994", "1994-06-12"),
        ("Tuesday, October 18, 2011", "2011-10-18"),
        ("2016-10-01 00:00:00", "2016-10-01"),
        ("01.10.2016 00:00", "2016-10-01"),
        ("02/5/16", "2016-05-02"),
        ("31. Dez 18", "2018-12-31"),
        ("1.1.2017.", "2017-01-01"),
        ("12th of June 1994", "1994-06-12"),
        ("3 noiembrie 2016", "2016-11-03"),
        ("15 σεπτεμβρίου 2019", "2019-09-15"),
        ("Q3 2014", "2014-Q3"),
        ("3. Quartal 2014", "2014-Q3"),
    ],
)
def test_dates_as_people_write_them(text, iso):
    assert str(parse_date(text, reference_date=datetime.date(2026, 12, 2))) == iso


def test_a_two_digit_year_falls_in_the_century_around_the_reference():
    day = datetime.date(2026, 12, 2)
    assert str(parse_date("01.01.45", reference_date=day)) == "2045-01-01"
    assert str(parse_date("01.01.46", reference_date=day)) == "1946-01-01"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Monday, October 18, 2011", "says it is a Monday, but 2011-10-18 is a Tuesday"),
        ("2016-10-01 12:30:00", "is a timestamp, not a date"),
        ("7560", "has the year 7560, outside 1900-2100"),
        ("31/09/19", "2019-09 has days 1 to 30, not 31"),
        ("listopad 2015", "October in Croatian"),
    ],
)
def test_a_date_that_cannot_be_settled_is_refused_with_why(text, message):
    with pytest.raises(ParseError, match=re.escape(message)):
        parse_date(text)


def test_a_month_name_of_two_meanings_is_read_in_the_language_given():
    assert str(parse_date("listopad 2015", languages=["pl"])) == "2015-11"
    assert str(parse_date("listopad 2015", languages=["hr"])) == "2015-10"


# -- dates known to the quarter ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("quarter", "first", "last"),
    [(1, (2014, 1, 1), (2014, 3, 31)), (2, (2016, 4, 1), (2016, 6, 30)),
     (3, (2014, 7, 1), (2014, 9, 30)), (4, (2015, 10, 1), (2015, 12, 31))],
)  # fmt: skip
def test_a_quarter_is_a_precision_of_its_own_with_its_first_and_last_day(quarter, first, last):
    date = PartialDate(first[0], quarter=quarter)
    assert date.precision == "quarter" and not date.is_full
    assert (date.earliest(), date.latest()) == (datetime.date(*first), datetime.date(*last))
    assert PartialDate.parse(date.isoformat()) == date
    assert date.isoformat() == f"{first[0]}-Q{quarter}"
    assert date != PartialDate(first[0])  # not the year, and not the quarter's first month
    assert date != PartialDate(first[0], first[1])


@pytest.mark.parametrize(
    "made",
    [
        lambda: PartialDate(2014, quarter=5),
        lambda: PartialDate(2014, quarter=0),
        lambda: PartialDate(2014, 7, quarter=3),
        lambda: PartialDate(2014, quarter="3"),
    ],
)
def test_a_quarter_is_one_to_four_and_has_no_month(made):
    with pytest.raises(ValueError, match="quarter"):
        made()


@pytest.mark.parametrize(
    "text", ["2014-Q0", "2014-Q5", "2014-q3", "14-Q3", "2014-Q", "２０１４-Q3"]
)
def test_only_the_written_form_of_a_quarter_is_iso(text):
    with pytest.raises(ParseError):
        PartialDate.parse(text)


def test_a_quarter_bounds_a_period_and_measures_nothing():
    period = Period("2014-Q3", "2016-Q2")
    assert period.measured_duration is None
    assert period.start.earliest() == datetime.date(2014, 7, 1)
    assert period.end.latest() == datetime.date(2016, 6, 30)

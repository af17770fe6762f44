"""The public functions refuse a value of the wrong type at the door, saying what they take."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
from decimal import Decimal

import pytest

import socialproj as sp

_ODD = [None, 5, 1.5, True, b"x", [], {}, Decimal("NaN"), object(), dt.date(2020, 1, 1)]

_CALLS = {
    "read": lambda v: list(sp.read(v, "jsonl")),
    "write": lambda v: sp.write([v], io.BytesIO(), "jsonl"),
    "validate": lambda v: sp.validate(v),
    "to_dict": lambda v: sp.to_dict(v),
    "from_dict": lambda v: sp.from_dict(v),
    "format_money": lambda v: sp.format_money(v),
    "format_money locale": lambda v: sp.format_money(sp.Money("1", "EUR"), v),
    "parse_money": lambda v: sp.parse_money(v),
    "parse_money locale": lambda v: sp.parse_money("1 лв.", locale=v),
    "parse_date": lambda v: sp.parse_date(v),
    "PartialDate.parse": lambda v: sp.PartialDate.parse(v),
    "parse_role": lambda v: sp.parse_role(v),
    "country_code": lambda v: sp.country_code(v),
    "convert to": lambda v: sp.convert(sp.Money("1", "BGN"), v),
    "convert on": lambda v: sp.convert(sp.Money("1", "BGN"), "EUR", on=v),
    "convert places": lambda v: sp.convert(sp.Money("1", "BGN"), "EUR", places=v),
    "Money": lambda v: sp.Money(v, "EUR"),
    "Money currency": lambda v: sp.Money("1", v),
    "Period": lambda v: sp.Period(v),
}


@pytest.mark.parametrize("name", list(_CALLS))
def test_a_wrong_type_is_a_type_or_value_error_not_a_crash_inside(name):
    # an AttributeError or a decimal signal from deep inside told the caller nothing;
    # anything but these three fails the test
    for value in _ODD:
        with contextlib.suppress(TypeError, ValueError, sp.SocialprojError):
            _CALLS[name](value)

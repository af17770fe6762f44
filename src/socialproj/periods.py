"""Durations and project periods, counted the way the programmes count them.

The programmes' convention: the end date is the project's last day, so
``end = start + duration - 1 day`` (2017-09-23 + 26 months ends 2019-11-22;
10.12.2019 + 48 months 22 days ends 31.12.2023). Months are always added to the
original start, clipping to the month's last day the way ``dateutil.relativedelta``
does (31 January + 1 month is 28 or 29 February), never by stepping month to month.

A :class:`Period` keeps what its source *states* — start, end, duration — and computes
what they imply: :attr:`Period.measured_duration` (what the dates span) and
:attr:`Period.computed_end`. Values it derived itself are listed in ``derived``.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Final

from attrs import field, frozen

from .dates import PartialDate
from .errors import ParseError, expect

if TYPE_CHECKING:
    from dateutil.relativedelta import relativedelta

__all__ = ["Duration", "Period", "add_months"]

_ONE_DAY: Final = _dt.timedelta(days=1)
_MONTH_DAYS: Final = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def add_months(day: _dt.date, months: int) -> _dt.date:
    """``day`` plus ``months`` calendar months, clipped to the month's end.

    The same result as ``day + relativedelta(months=months)`` (a property test holds
    the two equal), at a twentieth of the cost.
    """
    years, month0 = divmod(day.month - 1 + months, 12)
    year = day.year + years
    date = day.day
    if date > 28:
        if month0 == 1:
            last = 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28
        else:
            last = _MONTH_DAYS[month0]
        if date > last:
            date = last
    return _dt.date(year, month0 + 1, date)


def _non_negative(instance: object, attribute: object, value: object) -> None:
    if type(value) is not int or value < 0:
        name = getattr(attribute, "name", "value")
        raise ValueError(f"{name} must be a whole number of zero or more, not {value!r}")


_UNITS: Final = {
    **dict.fromkeys(
        (
            "month",
            "months",
            "mo",
            "mos",
            "месец",
            "месеца",
            "месеци",
            "мес",
            "м",
            "luni",
            "luna",
            "lună",
            "ay",
            "мesec",
            "meseci",
            "месеци",
        ),
        "months",
    ),
    **dict.fromkeys(
        (
            "year",
            "years",
            "yr",
            "yrs",
            "година",
            "години",
            "год",
            "an",
            "ani",
            "yıl",
            "godina",
            "godine",
            "година",
        ),
        "years",
    ),
    **dict.fromkeys(
        ("day", "days", "ден", "дни", "дена", "zi", "zile", "gün", "dana", "дана"), "days"
    ),
    **dict.fromkeys(
        (
            "week",
            "weeks",
            "седмица",
            "седмици",
            "săptămâni",
            "săptămână",
            "hafta",
            "недели",
            "недела",
        ),
        "weeks",
    ),
}
_JOINERS: Final = frozenset(("and", "и", "și", "si", "ve", "i", "+", ","))


@frozen
class Duration:
    """A stated length of time: whole months and days (years count as 12 months).

    >>> Duration.parse("48 months and 22 days")
    Duration(months=48, days=22)
    >>> str(Duration(26))
    '26 months'
    """

    months: int = field(default=0, validator=_non_negative)
    days: int = field(default=0, validator=_non_negative)

    @classmethod
    def parse(cls, text: str) -> Duration:
        """Read ``27 months``, ``48 months and 22 days``, ``18 месеца``, ``2 години``, ``24 luni``.

        Footnote marks and trailing punctuation (``41 months*``, ``64 months and 24 days;``)
        are ignored; anything else that is not a number and a unit raises
        :class:`~socialproj.ParseError`.
        """
        cleaned = text.replace("\u00a0", " ").strip().rstrip("*;.,:)").strip()
        tokens: list[str] = []
        for raw in cleaned.replace(",", " , ").split():
            # split "18месеца" and "24months" into number and unit
            i = 0
            while i < len(raw) and raw[i].isdigit():
                i += 1
            if 0 < i < len(raw):
                tokens.extend((raw[:i], raw[i:]))
            else:
                tokens.append(raw)
        months = days = 0
        seen = False
        number: int | None = None
        for token in tokens:
            word = token.casefold().rstrip(".")
            if token.isdigit():
                if number is not None:
                    raise ParseError("has a number without a unit", text=text)
                number = int(token)
            elif word in _UNITS and number is not None:
                unit = _UNITS[word]
                if unit == "months":
                    months += number
                elif unit == "years":
                    months += 12 * number
                elif unit == "weeks":
                    days += 7 * number
                else:
                    days += number
                seen = True
                number = None
            elif word in _JOINERS or not word:
                continue
            else:
                raise ParseError(
                    f"cannot read {token!r} in a duration",
                    text=text,
                    expected="a number of months and/or days, like '48 months and 22 days'",
                )
        if number is not None or not seen:
            raise ParseError("has no unit", text=text, expected="a number of months and/or days")
        return cls(months, days)

    def to_relativedelta(self) -> relativedelta:
        """The same length as a ``dateutil.relativedelta.relativedelta``."""
        from dateutil.relativedelta import relativedelta

        return relativedelta(months=self.months, days=self.days)

    def __str__(self) -> str:
        parts = []
        if self.months or not self.days:
            parts.append(f"{self.months} month{'' if self.months == 1 else 's'}")
        if self.days:
            parts.append(f"{self.days} day{'' if self.days == 1 else 's'}")
        return " ".join(parts)


def _duration(value: Duration | None) -> Duration | None:
    expect(value, (Duration, type(None)), "a duration is a Duration or None")
    return value


def _partial(value: PartialDate | _dt.date | str | None) -> PartialDate | None:
    if value is None or isinstance(value, PartialDate):
        return value
    if isinstance(value, _dt.datetime):
        raise TypeError("a period takes dates, not datetimes (which carry a time zone question)")
    if isinstance(value, _dt.date):
        return PartialDate.from_date(value)
    if isinstance(value, str):
        return PartialDate.parse(value)
    raise TypeError(f"expected a PartialDate, date or ISO string, not {type(value).__name__}")


def _names(value: Iterable[str]) -> frozenset[str]:
    names = frozenset(value)
    unknown = names - {"start", "end", "duration"}
    if unknown:
        raise ValueError(f"derived names fields of the period; unknown: {sorted(unknown)}")
    return names


def measure_months(start: _dt.date, end: _dt.date) -> tuple[int, int] | None:
    """What ``start``…``end`` (both days included) spans, as ``(months, days)``."""
    after = end + _ONE_DAY
    if after < start:
        return None
    months = (after.year - start.year) * 12 + after.month - start.month
    while months > 0 and add_months(start, months) > after:
        months -= 1
    return months, (after - add_months(start, months)).days


def measure(start: _dt.date, end: _dt.date) -> Duration | None:
    """What ``start``…``end`` (both days included) spans; ``None`` if end is before start."""
    spanned = measure_months(start, end)
    return None if spanned is None else Duration(*spanned)


@frozen
class Period:
    """When a project runs: start, end (its last day) and the duration its source states.

    ``start`` and ``end`` are :class:`PartialDate` values (a ``datetime.date`` or an ISO
    string is converted); ``duration`` is the duration *as stated*, which may disagree
    with the dates; ``derived`` names the fields this library computed rather than read.

        >>> period = Period("2017-09-23", "2019-11-22", Duration(27))
        >>> period.measured_duration
        Duration(months=26, days=0)
    """

    start: PartialDate | None = field(default=None, converter=_partial)
    end: PartialDate | None = field(default=None, converter=_partial)
    duration: Duration | None = field(default=None, converter=_duration)
    derived: frozenset[str] = field(default=frozenset(), converter=_names)

    @classmethod
    def from_start(cls, start: PartialDate | _dt.date | str, duration: Duration) -> Period:
        """A period from its start and duration; the end is computed and marked derived.

        A start known to the month with a duration in whole months gives an end known to
        the month (2011-07 + 15 months ends 2012-09).

            >>> Period.from_start("2019-12-10", Duration(48, 22)).end
            PartialDate('2023-12-31')
        """
        period = cls(start=start, duration=duration)
        end = period.computed_end
        if end is None:
            known = period.start.precision if period.start else "nothing"
            raise ValueError(
                f"cannot compute an end from a start known only to the {known}"
                f" and a duration of {duration}"
            )
        return cls(start=period.start, end=end, duration=duration, derived=frozenset({"end"}))

    @property
    def measured_duration(self) -> Duration | None:
        """What the dates span under the programmes' convention (``None`` if unknown).

        Needs both dates to the day, or both to the month (then whole months, counting
        both the first and the last month).
        """
        start, end = self.start, self.end
        if start is None or end is None:
            return None
        if start.day is not None and end.day is not None:
            return measure(start.to_date(), end.to_date())
        if (
            start.month is not None
            and end.month is not None
            and start.day is None
            and end.day is None
        ):
            months = (end.year - start.year) * 12 + end.month - start.month + 1
            return Duration(months) if months >= 0 else None
        return None

    @property
    def computed_end(self) -> PartialDate | None:
        """The end that start and duration imply: ``start + duration - 1 day``."""
        start, duration = self.start, self.duration
        if start is None or duration is None:
            return None
        if start.day is not None:
            first = start.to_date()
            last = add_months(first, duration.months) + _dt.timedelta(days=duration.days - 1)
            return PartialDate.from_date(last)
        if start.month is not None and duration.days == 0 and duration.months > 0:
            index = start.year * 12 + start.month - 1 + duration.months - 1
            return PartialDate(index // 12, index % 12 + 1)
        return None

    @property
    def computed_start(self) -> PartialDate | None:
        """The start that end and duration imply (the inverse of :attr:`computed_end`)."""
        end, duration = self.end, self.duration
        if end is None or duration is None:
            return None
        if end.day is not None and duration.days == 0:
            after = end.to_date() + _ONE_DAY
            start = add_months(after, -duration.months)
            # clipping can make the inverse land a day early; prefer the day that maps back
            for candidate in (start, start + _ONE_DAY):
                if add_months(candidate, duration.months) == after:
                    return PartialDate.from_date(candidate)
            return PartialDate.from_date(start)
        if end.day is not None:
            return None
        if end.month is not None and duration.days == 0 and duration.months > 0:
            index = end.year * 12 + end.month - 1 - duration.months + 1
            return PartialDate(index // 12, index % 12 + 1)
        return None

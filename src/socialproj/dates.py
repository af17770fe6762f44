"""Dates as documents state them: full, year-month or year only, absolute or relative.

:class:`PartialDate` keeps the precision a source gives ("September 2012" is
``2012-09``, never a made-up first of the month). :func:`parse_date` reads ISO dates,
``DD.MM.YYYY`` (with ``г.``), two-digit years, month names in every language of
:mod:`socialproj.vocabulary`, and relative dates such as ``3 юли т. г.`` ("3 July this
year"), which resolve only against a ``reference_date``. Plain string code throughout.
"""

from __future__ import annotations

import calendar
import datetime as _dt
from collections.abc import Sequence
from functools import cache
from typing import Final, Literal, TypeAlias

from attrs import frozen

from .errors import ParseError, expect

__all__ = ["YEARS", "PartialDate", "RelativeDateError", "parse_date"]

Precision = Literal["year", "quarter", "month", "day"]


class RelativeDateError(ParseError):
    """A date relative to when the text was written ("this year") and no reference date."""


@frozen(order=False)
class PartialDate:
    """A calendar date known to the day, the month, the quarter or only the year.

    >>> PartialDate(2012, 9)
    PartialDate('2012-09')
    >>> PartialDate(2014, quarter=3), PartialDate.parse("2014-Q3").latest()
    (PartialDate('2014-Q3'), datetime.date(2014, 9, 30))
    >>> PartialDate.parse("2019-11-22").to_date()
    datetime.date(2019, 11, 22)
    """

    year: int
    month: int | None = None
    day: int | None = None
    #: the quarter (1 to 4) of a date known to the quarter only (``Q3 2014``)
    quarter: int | None = None

    def __attrs_post_init__(self) -> None:
        if type(self.year) is not int or not 1 <= self.year <= 9999:
            raise ValueError(f"year must be an int from 1 to 9999, not {self.year!r}")
        if self.quarter is not None:
            if type(self.quarter) is not int or not 1 <= self.quarter <= 4:
                raise ValueError(f"quarter must be from 1 to 4, not {self.quarter!r}")
            if self.month is not None or self.day is not None:
                raise ValueError("a date known to the quarter has no month or day")
        if self.month is None:
            if self.day is not None:
                raise ValueError("a day needs a month")
            return
        if type(self.month) is not int or not 1 <= self.month <= 12:
            raise ValueError(f"month must be from 1 to 12, not {self.month!r}")
        if self.day is not None:
            last = calendar.monthrange(self.year, self.month)[1]
            if type(self.day) is not int or not 1 <= self.day <= last:
                raise ValueError(
                    f"{self.year:04d}-{self.month:02d} has days 1 to {last}, not {self.day!r}"
                )

    @classmethod
    def from_date(cls, value: _dt.date) -> PartialDate:
        """A full-precision date from a :class:`datetime.date`."""
        return cls(value.year, value.month, value.day)

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """Read the ISO 8601 forms ``YYYY``, ``YYYY-MM`` and ``YYYY-MM-DD``, and ``YYYY-Qn``."""
        expect(text, str, "PartialDate.parse() reads text")
        head, quarter = text[:4], text[6:]
        quartered = len(text) == 7 and text[4:6] == "-Q" and quarter in ("1", "2", "3", "4")
        if quartered and head.isascii() and head.isdigit() and int(head) >= 1:
            return cls(int(head), quarter=int(quarter))
        parts = text.split("-")
        if (
            not 1 <= len(parts) <= 3
            or len(parts[0]) != 4
            or any(len(p) != 2 for p in parts[1:])
            or not all(p.isascii() and p.isdigit() for p in parts)
        ):
            raise ParseError(
                "is not an ISO date",
                text=text,
                expected="YYYY, YYYY-MM, YYYY-MM-DD or YYYY-Qn",
            )
        numbers = [int(p) for p in parts]
        try:
            return cls(*numbers)
        except ValueError as exc:
            raise ParseError(str(exc), text=text) from None

    @property
    def precision(self) -> Precision:
        """``"day"``, ``"month"``, ``"quarter"`` or ``"year"``."""
        if self.day is not None:
            return "day"
        if self.month is not None:
            return "month"
        return "quarter" if self.quarter is not None else "year"

    @property
    def is_full(self) -> bool:
        """Whether the day is known."""
        return self.day is not None

    def to_date(self) -> _dt.date:
        """The :class:`datetime.date`; raises ``ValueError`` unless the day is known."""
        if self.day is None or self.month is None:
            raise ValueError(f"{self} is known only to the {self.precision}, not to the day")
        return _dt.date(self.year, self.month, self.day)

    def earliest(self) -> _dt.date:
        """The first day this date may be."""
        if self.quarter is not None:
            return _dt.date(self.year, 3 * self.quarter - 2, 1)
        return _dt.date(self.year, self.month or 1, self.day or 1)

    def latest(self) -> _dt.date:
        """The last day this date may be."""
        month = self.month or (3 * self.quarter if self.quarter is not None else 12)
        day = self.day or calendar.monthrange(self.year, month)[1]
        return _dt.date(self.year, month, day)

    def isoformat(self) -> str:
        """ISO 8601, shortened to the precision known: ``2012``, ``2012-09``, ``2012-09-30``.

        A quarter is written ``2014-Q3`` (the common form; ISO 8601 itself has none).
        """
        # writers call this for every date: %-formatting takes 0.3 µs, format specs 0.5 µs
        month, day = self.month, self.day
        if month is None:
            if self.quarter is not None:
                return "%04d-Q%d" % (self.year, self.quarter)  # noqa: UP031
            return "%04d" % self.year  # noqa: UP031
        if day is None:
            return "%04d-%02d" % (self.year, month)  # noqa: UP031
        return "%04d-%02d-%02d" % (self.year, month, day)  # noqa: UP031

    __str__ = isoformat

    def __repr__(self) -> str:
        return f"PartialDate({self.isoformat()!r})"


#: the years a document's date may fall in: a year outside them ("7560", a cell
#: holding a number that is no year) is an error, not a date
YEARS: Final = (1900, 2100)

_FILLERS: Final = frozenset(("of", "de", "la", "the", "den", "на", "от", "dne"))
_ORDINAL: Final = ("st", "nd", "rd", "th", "ти", "ви", "ри", "ми")


@cache
def _this_year() -> tuple[str, ...]:
    """Phrases for "this year" (``т. г.``, ``this year``, ``anul curent``), longest first."""
    from .vocabulary import language, languages

    phrases = {phrase.casefold() for code in languages() for phrase in language(code).this_year}
    return tuple(sorted(phrases, key=len, reverse=True))


@cache
def _year_words() -> tuple[str, ...]:
    """Words written after a year (``г.``, ``година``, ``anul``), longest first."""
    from .vocabulary import language, languages

    words = {word.casefold() for code in languages() for word in language(code).year_words}
    return tuple(sorted(words, key=len, reverse=True))


def _strip_year_word(text: str) -> str:
    for word in _year_words():
        if text.endswith(word):
            head = text[: -len(word)]
            if head and (head[-1].isspace() or head[-1].isdigit()):
                return head.rstrip()
    return text


Order: TypeAlias = Literal["DMY", "MDY", "YMD"]


def parse_date(
    text: str,
    *,
    reference_date: _dt.date | None = None,
    order: Order = "DMY",
    languages: Sequence[str] = (),
) -> PartialDate:
    """Read a date as documents write it, keeping its precision.

    Reads ``2017-09-23``, ``23.09.2017``, ``23.09.2017 г.``, ``1.1.2017.``, ``23/09/2017``,
    ``02/5/16``, ``19 юли 2018``, ``17 януари 2019 г.``, ``31. Dez 18``, ``June 12,
    1994``, ``Tuesday, October 18, 2011`` (the weekday must be the date's),
    ``September 2012``, ``2012``, ``Q3 2014`` and ``2014-Q3`` (known to the quarter), and
    relative dates like ``3 юли т. г.`` (with ``reference_date``). Month names are those
    of every language in :mod:`socialproj.vocabulary`; a name meaning different months
    in different languages (``listopad``) needs ``languages`` to settle it.

    ``order`` settles numeric dates with slashes or dots (``DMY`` is the European
    default). A two-digit year is the year of that ending in the century that goes
    from 80 years before ``reference_date`` (default: today) to 19 years after it. A
    year outside :data:`YEARS` is refused. A timestamp is read only at midnight:
    ``2018-01-31T21:00:00Z`` may be 1 February in the writer's time zone, so it raises
    instead of guessing.

        >>> import datetime
        >>> parse_date("17 януари 2019 г.")
        PartialDate('2019-01-17')
        >>> parse_date("3 юли т. г.", reference_date=datetime.date(2024, 5, 2))
        PartialDate('2024-07-03')
        >>> parse_date("June 12, 1994"), parse_date("31. Dez 18")
        (PartialDate('1994-06-12'), PartialDate('2018-12-31'))
    """
    if not isinstance(text, str):
        raise TypeError(f"parse_date reads text, not {type(text).__name__}")
    raw = text
    text = " ".join(text.replace("\u00a0", " ").split()).strip(" ,;")
    if not text:
        raise ParseError("is empty", text=raw, expected="a date")
    folded = text.casefold()
    relative = False
    for phrase in _this_year():
        if folded.endswith(phrase):
            relative = True
            folded = folded[: -len(phrase)].strip(" ,")
            break
    folded = _strip_year_word(folded).rstrip(" .")
    folded = _without_midnight(folded, raw)
    reading = _Reading(raw, order, reference_date, tuple(languages))
    try:
        if relative:
            return reading.relative(folded)
        if folded[:1].isdigit() and all(ch.isdigit() or ch in "-./" for ch in folded):
            return reading.numeric(folded)
        return reading.worded(folded)
    except ValueError as exc:
        if isinstance(exc, ParseError):
            raise
        raise ParseError(str(exc), text=raw) from None


def _without_midnight(text: str, raw: str) -> str:
    """The date of a timestamp at midnight (``2016-10-01 00:00:00``, ``…T00:00Z``).

    A time other than midnight raises: in the writer's time zone it may be another day.
    """
    day, time = text, ""
    if len(text) > 10 and text[:4].isdigit() and text[10] in "t ":
        day, time = text[:10], text[11:]
    elif " " in text and ":" in text.rsplit(" ", 1)[1]:
        day, time = text.rsplit(" ", 1)
    if not time:
        return text
    time = time.rstrip("z")
    for sign in "+-":
        if sign in time:
            time = time.split(sign, 1)[0]
    digits = time.replace(":", "").replace(".", "")
    if not digits.isdigit():
        return text  # not a time after all
    if digits.strip("0"):
        raise ParseError(
            "is a timestamp, not a date: away from midnight it may fall on another day in "
            "the writer's time zone (a spreadsheet export from UTC+2 writes 1 February as "
            "'…-01-31T22:00:00Z')",
            text=raw,
            expected="a date, or a timestamp at midnight",
        )
    return day.strip()


class _Reading:
    """One date being read: its text and what settles its parts."""

    def __init__(
        self, raw: str, order: str, reference: _dt.date | None, languages: tuple[str, ...]
    ) -> None:
        self.raw = raw
        self.order = order
        self.reference = reference
        self.languages = languages

    def fail(self, said: str, expected: str = "a date such as 23.09.2017") -> ParseError:
        return ParseError(said, text=self.raw, expected=expected)

    def year(self, digits: str) -> int:
        """A year as written: four digits, or two completed to their century."""
        number = int(digits)
        if len(digits) == 2:
            today = self.reference or _dt.date.today()
            low = today.year - 80
            number += (low // 100) * 100
            if number < low:
                number += 100
        elif len(digits) != 4:
            raise self.fail("has no four-digit year")
        if not YEARS[0] <= number <= YEARS[1]:
            raise self.fail(
                f"has the year {number}, outside {YEARS[0]}-{YEARS[1]}",
                f"a year from {YEARS[0]} to {YEARS[1]}",
            )
        return number

    def numeric(self, text: str) -> PartialDate:
        if len(text) == 4 and text.isdigit():
            return PartialDate(self.year(text))
        if "-" in text and "." not in text and "/" not in text and text[:4].isdigit():
            date = PartialDate.parse(text)
            self.year(str(date.year))
            return date
        for sep in "./-":
            if sep in text:
                parts = text.split(sep)
                break
        else:
            raise self.fail("is not a date")
        if not all(p.isdigit() for p in parts) or len(parts) not in (2, 3):
            raise self.fail("is not a date")
        if len(parts) == 2:  # 09.2012 or 2012-09
            if len(parts[1]) == 4:
                return PartialDate(self.year(parts[1]), int(parts[0]))
            if len(parts[0]) == 4:
                return PartialDate(self.year(parts[0]), int(parts[1]))
            raise self.fail("is not a date", "MM.YYYY")
        if len(parts[0]) == 4 or self.order == "YMD":
            year, month, day = parts
        elif self.order == "MDY":
            month, day, year = parts
        else:
            day, month, year = parts
        if len(year) not in (2, 4) or len(month) > 2 or len(day) > 2:
            raise self.fail("has no four-digit year")
        return PartialDate(self.year(year), int(month), int(day))

    def month(self, word: str) -> int | None:
        from .vocabulary import AmbiguousWord, language, month_words

        try:
            return month_words().meaning(word, self.languages)
        except AmbiguousWord as exc:
            said = "; ".join(
                f"{calendar.month_name[number]} in "
                f"{', '.join(language(code).name for code in codes)}"
                for number, codes in exc.meanings.items()
            )
            raise self.fail(
                f"names the month {word!r}, which is {said}: name the language"
            ) from None

    def quarter(self, text: str) -> PartialDate | None:
        """A quarter: ``Q3 2014``, ``2014 Q3``, ``3. Quartal 2014``, ``2014-Q3``."""
        from .vocabulary import quarter_words

        words = text.replace(",", " ").split()
        if len(text) == 7 and text[4:6] == "-q":  # 2014-q3: the form socialproj writes
            words = [text[:4], text[5:]]
        years = [w for w in words if len(w) == 4 and w.isdigit()]
        rest = " ".join(w for w in words if w not in years)
        if len(years) != 1:
            return None
        if len(rest) == 2 and rest[0] == "q" and rest[1] in "1234":
            number: int | None = int(rest[1])
        else:
            number = quarter_words().meaning(rest, self.languages)
        if number is None:
            return None
        return PartialDate(self.year(years[0]), quarter=number)

    def worded(self, text: str) -> PartialDate:
        from .vocabulary import weekday_words

        quarter = self.quarter(text)
        if quarter is not None:
            return quarter
        words = text.replace(",", " ").replace(".", " ").split()
        day: int | None = None
        month: int | None = None
        year: int | None = None
        weekday: int | None = None
        numbers: list[str] = []
        for word in words:
            for ending in _ORDINAL:  # "12th", "1-ви"
                if len(word) > len(ending) and word.endswith(ending) and word[0].isdigit():
                    word = word[: -len(ending)].rstrip("-")
                    break
            if word.isdigit():
                numbers.append(word)
            elif month is None and (found := self.month(word)) is not None:
                month = found
            elif weekday is None and len(word) > 1 and word in weekday_words():
                weekday = weekday_words().meaning(word, self.languages)
            elif word in _FILLERS:
                continue
            else:
                raise self.fail(f"cannot read {word!r} in a date", "a date")
        for number in numbers:
            if len(number) == 4 and year is None:
                year = self.year(number)
            elif len(number) <= 2 and day is None and month is not None:
                day = int(number)
            elif len(number) == 2 and year is None and day is not None:
                year = self.year(number)  # "31. Dez 18"
            else:
                raise self.fail("has a number that is neither day nor year")
        if year is None:
            raise self.fail("has no year", "a date with a year")
        if day is not None and month is None:
            raise self.fail("has a day but no month")
        date = PartialDate(year, month, day)
        if weekday is not None:
            if day is None:
                raise self.fail("names a weekday but no day")
            actual = date.to_date().isoweekday()
            if actual != weekday:
                raise self.fail(
                    f"says it is a {calendar.day_name[weekday - 1]}, but {date} is a "
                    f"{calendar.day_name[actual - 1]}"
                )
        return date

    def relative(self, text: str) -> PartialDate:
        if self.reference is None:
            raise RelativeDateError(
                "is relative to when it was written (this year); pass reference_date",
                text=self.raw,
            )
        words = text.replace(".", " ").split()
        day = month = None
        for word in words:
            if word.isdigit() and len(word) <= 2 and day is None:
                day = int(word)
            elif month is None and (found := self.month(word)) is not None:
                month = found
            else:
                raise self.fail(f"cannot read {word!r} in a date")
        if month is None:
            return PartialDate(self.reference.year)
        return PartialDate(self.reference.year, month, day)

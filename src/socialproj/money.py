"""Exact money: a ``Decimal`` amount with its ISO 4217 currency.

The rules, which every other module relies on:

- an amount is a :class:`~decimal.Decimal` made from a ``Decimal``, an ``int`` or a
  string; a ``float`` is refused, because it has already lost the cents;
- the scale is kept: ``Money("9933.00", "BGN")`` prints two places;
- ``+``, ``-`` and comparisons need the same currency, else :class:`CurrencyMismatch`;
  ``0`` is the identity, so ``sum()`` works;
- arithmetic is exact — an operation that would have to round raises instead;
- every rounding names its mode (:meth:`Money.rounded`).
"""

from __future__ import annotations

import decimal
from decimal import Decimal
from enum import StrEnum
from typing import Any, Final, final

from attrs import field, frozen

from ._choices import choice
from .currencies import is_currency, minor_units
from .errors import CurrencyMismatch

__all__ = ["ROUNDINGS", "Money", "Qualifier", "decimal_text", "divide", "exact", "to_decimal"]

#: Arithmetic that never rounds silently: an inexact result raises ``decimal.Inexact``.
EXACT: Final = decimal.Context(
    prec=200,
    rounding=decimal.ROUND_HALF_EVEN,
    Emin=-999_999,
    Emax=999_999,
    traps=[
        decimal.InvalidOperation,
        decimal.DivisionByZero,
        decimal.Overflow,
        decimal.Inexact,
    ],
)

#: Like ``EXACT`` but allowing the one rounding a caller asked for by name.
EXACT_ROUNDING: Final = decimal.Context(
    prec=200,
    Emin=-999_999,
    Emax=999_999,
    traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow],
)

#: The rounding modes of :mod:`decimal`, by name.
ROUNDINGS: Final = frozenset(
    {
        decimal.ROUND_HALF_UP,
        decimal.ROUND_HALF_EVEN,
        decimal.ROUND_HALF_DOWN,
        decimal.ROUND_UP,
        decimal.ROUND_DOWN,
        decimal.ROUND_CEILING,
        decimal.ROUND_FLOOR,
        decimal.ROUND_05UP,
    }
)


def exact() -> decimal.Context:
    """The decimal context socialproj computes in: 200 digits, any rounding raises."""
    return EXACT


def divide(dividend: Decimal, divisor: Decimal, places: int, rounding: str) -> Decimal:
    """``dividend / divisor`` rounded once, exactly, to ``places`` decimals with ``rounding``.

    The quotient is computed with integers to two extra digits and made odd when
    anything was cut off, so the final rounding sees the true side of every tie: no
    double rounding, whatever the mode.

        >>> divide(Decimal(2000), Decimal("1.95583"), 2, decimal.ROUND_HALF_UP)
        Decimal('1022.58')
    """
    if rounding not in ROUNDINGS:
        raise ValueError(f"unknown rounding mode {rounding!r}")
    if not divisor:
        raise ZeroDivisionError("division by a zero amount or rate")
    a_num, a_den = dividend.as_integer_ratio()
    b_num, b_den = divisor.as_integer_ratio()
    numerator = a_num * b_den
    denominator = a_den * b_num
    negative = (numerator < 0) != (denominator < 0)
    numerator, denominator = abs(numerator), abs(denominator)
    extra = places + 2
    scaled = numerator * 10**extra if extra >= 0 else numerator
    scaled_den = denominator if extra >= 0 else denominator * 10**-extra
    quotient, remainder = divmod(scaled, scaled_den)
    if remainder:
        quotient |= 1  # round to odd: keeps "just above a tie" distinct from "a tie"
    result = Decimal((1 if negative else 0, tuple(map(int, str(quotient))), -extra))
    return result.quantize(Decimal(1).scaleb(-places), rounding=rounding, context=EXACT_ROUNDING)


_ASCII_DIGITS = frozenset("0123456789")


def to_decimal(value: object, *, what: str = "amount") -> Decimal:
    """Convert a ``Decimal``, ``int`` or plain decimal string to a finite ``Decimal``.

    Strings must be plain decimals (``"-1234.50"``, ``"1E+3"`` is refused): the canonical
    form writes amounts that way, and anything else is a parsing job for
    :func:`~socialproj.parse_money`. ``float`` and ``bool`` raise ``TypeError``.
    """
    kind = type(value)
    if kind is Decimal:
        number: Decimal = value  # type: ignore[assignment]
    elif kind is str:
        number = _plain_decimal(value, what)  # type: ignore[arg-type]
    elif kind is int:
        number = Decimal(value)  # type: ignore[arg-type]
    elif isinstance(value, bool):
        raise TypeError(f"{what} must be a Decimal, int or str, not bool ({value!r})")
    elif isinstance(value, float):
        raise TypeError(
            f"{what} must be a Decimal, int or str, not float ({value!r}): a float has "
            f"already lost exactness; write Decimal({str(value)!r}) or the string instead"
        )
    elif isinstance(value, Decimal):
        number = Decimal(value)
    elif isinstance(value, int):
        number = Decimal(int(value))
    elif isinstance(value, str):
        number = _plain_decimal(str(value), what)
    else:
        raise TypeError(f"{what} must be a Decimal, int or str, not {kind.__name__}")
    if not number.is_finite():
        raise ValueError(f"{what} must be a finite number, not {number}")
    return number


def _plain_decimal(text: str, what: str) -> Decimal:
    body = text[1:] if text[:1] in ("-", "+") else text
    whole, dot, frac = body.partition(".")
    if (
        not (whole or frac)
        or not _ASCII_DIGITS.issuperset(whole)
        or not _ASCII_DIGITS.issuperset(frac)
        or (dot and not frac and not whole)
    ):
        raise ValueError(
            f"{what} {text!r} is not a plain decimal number "
            f"(expected digits with an optional sign and decimal point, like '-1234.50')"
        )
    return Decimal(text)


class Qualifier(StrEnum):
    """How a document qualified an amount it did not state exactly."""

    APPROXIMATELY = "approximately"  # "около", "близо", "around", "circa"
    MORE_THAN = "more_than"  # "над", "over", "peste"
    LESS_THAN = "less_than"  # "под", "under", "below"
    UP_TO = "up_to"  # "до", "up to", "până la"
    AT_LEAST = "at_least"  # "поне", "at least", "minimum"


_qualifier = choice(Qualifier, "qualifier")


def _currency(value: object) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise TypeError(f"currency must be an ISO 4217 code string, not {type(value).__name__}")
    if not is_currency(value):
        upper = value.strip().upper()
        if is_currency(upper):
            return upper
        from .codes import lookalikes

        hint = lookalikes(value)
        raise ValueError(
            f"{value!r} is not an ISO 4217 currency code" + (f": {hint}" if hint else "")
        )
    return value


@final
@frozen(init=False, order=False)
class Money:
    """An exact amount of money in a currency.

    ``currency`` is an ISO 4217 code (upper case; active or historic, such as ``BGN``).
    ``None`` means the source did not state one: such an amount can be kept and
    reported (validation code ``money.currency.missing``) but not added, compared or
    converted. ``qualifier`` records words like "около"/"around" that make a stated
    amount approximate.

        >>> Money("198660.00", "BGN") + Money("0.50", "BGN")
        Money('198660.50', 'BGN')
        >>> sum([Money("188727", "BGN"), Money("9933.00", "BGN")])
        Money('198660.00', 'BGN')
    """

    amount: Decimal
    currency: str | None = field(default=None)
    qualifier: Qualifier | None = field(default=None)

    def __init__(
        self,
        amount: Decimal | int | str,
        currency: str | None,
        qualifier: Qualifier | str | None = None,
    ) -> None:
        object.__setattr__(self, "amount", to_decimal(amount))
        object.__setattr__(self, "currency", _currency(currency))
        object.__setattr__(self, "qualifier", None if qualifier is None else _qualifier(qualifier))

    # -- construction -------------------------------------------------------------

    @classmethod
    def zero(cls, currency: str) -> Money:
        """Zero in ``currency``, with the currency's minor-unit scale (``0.00``)."""
        return cls(Decimal(0).scaleb(-minor_units(currency)), currency)

    @property
    def is_exact(self) -> bool:
        """Whether the amount was stated exactly (no qualifier such as "around")."""
        return self.qualifier is None

    # -- arithmetic -----------------------------------------------------------------

    def _same(self, other: Money, op: str) -> str:
        if self.currency is None or other.currency is None:
            raise CurrencyMismatch(
                f"cannot {op} {self} and {other}: an amount without a currency could be in any"
            )
        if self.currency != other.currency:
            raise CurrencyMismatch(
                f"cannot {op} {self} and {other}: convert one currency first (socialproj.convert)"
            )
        return self.currency

    def _qualified(self, other: Money) -> Qualifier | None:
        if self.qualifier is other.qualifier:
            return self.qualifier
        return Qualifier.APPROXIMATELY

    def __add__(self, other: object) -> Money:
        if isinstance(other, Money):
            currency = self._same(other, "add")
            return _make(EXACT.add(self.amount, other.amount), currency, self._qualified(other))
        if type(other) is int and other == 0:
            return self
        return NotImplemented

    def __radd__(self, other: object) -> Money:
        if type(other) is int and other == 0:
            return self
        return NotImplemented

    def __sub__(self, other: object) -> Money:
        if isinstance(other, Money):
            currency = self._same(other, "subtract")
            return _make(
                EXACT.subtract(self.amount, other.amount), currency, self._qualified(other)
            )
        if type(other) is int and other == 0:
            return self
        return NotImplemented

    def __neg__(self) -> Money:
        return _make(EXACT.minus(self.amount), self.currency, self.qualifier)

    def __abs__(self) -> Money:
        return _make(EXACT.abs(self.amount), self.currency, self.qualifier)

    def __mul__(self, factor: object) -> Money:
        if type(factor) is Decimal or type(factor) is int:
            return _make(EXACT.multiply(self.amount, factor), self.currency, self.qualifier)
        if isinstance(factor, float):
            raise TypeError("multiply money by a Decimal or an int, not a float")
        if isinstance(factor, Decimal | int) and not isinstance(factor, bool):
            return _make(
                EXACT.multiply(self.amount, Decimal(factor)), self.currency, self.qualifier
            )
        return NotImplemented

    __rmul__ = __mul__

    # -- comparison -----------------------------------------------------------------

    def _key(self, other: object, op: str) -> tuple[Decimal, Decimal] | None:
        if not isinstance(other, Money):
            return None
        self._same(other, op)
        return self.amount, other.amount

    def __lt__(self, other: object) -> bool:
        pair = self._key(other, "compare")
        return NotImplemented if pair is None else pair[0] < pair[1]

    def __le__(self, other: object) -> bool:
        pair = self._key(other, "compare")
        return NotImplemented if pair is None else pair[0] <= pair[1]

    def __gt__(self, other: object) -> bool:
        pair = self._key(other, "compare")
        return NotImplemented if pair is None else pair[0] > pair[1]

    def __ge__(self, other: object) -> bool:
        pair = self._key(other, "compare")
        return NotImplemented if pair is None else pair[0] >= pair[1]

    # -- rounding and scale -----------------------------------------------------------

    def rounded(self, rounding: str, *, places: int | None = None) -> Money:
        """Round to ``places`` decimals (default: the currency's minor unit) with ``rounding``.

        ``rounding`` is one of the :mod:`decimal` modes and must always be named:
        legal euro conversions use ``ROUND_HALF_UP``; Python's own default is
        ``ROUND_HALF_EVEN``.

            >>> from decimal import ROUND_HALF_UP
            >>> Money("1022.575", "EUR").rounded(ROUND_HALF_UP)
            Money('1022.58', 'EUR')
        """
        if rounding not in ROUNDINGS:
            raise ValueError(f"unknown rounding mode {rounding!r}; use one of {sorted(ROUNDINGS)}")
        if places is None:
            if self.currency is None:
                raise CurrencyMismatch(f"{self} has no currency, so no minor unit: pass places")
            places = minor_units(self.currency)
        quantum = Decimal(1).scaleb(-places)
        return _make(
            self.amount.quantize(quantum, rounding=rounding, context=EXACT_ROUNDING),
            self.currency,
            self.qualifier,
        )

    @property
    def places(self) -> int:
        """Decimal places the amount is written with (``Decimal("9933.00")`` has 2)."""
        exponent = self.amount.as_tuple().exponent
        return -exponent if isinstance(exponent, int) and exponent < 0 else 0

    # -- text -------------------------------------------------------------------------

    def __repr__(self) -> str:
        extra = f", qualifier={self.qualifier.value!r}" if self.qualifier else ""
        return f"Money({decimal_text(self.amount)!r}, {self.currency!r}{extra})"

    def __str__(self) -> str:
        prefix = {
            None: "",
            Qualifier.APPROXIMATELY: "~",
            Qualifier.MORE_THAN: ">",
            Qualifier.LESS_THAN: "<",
            Qualifier.UP_TO: "<=",
            Qualifier.AT_LEAST: ">=",
        }[self.qualifier]
        return f"{prefix}{decimal_text(self.amount)} {self.currency or '(no currency)'}"

    def __reduce__(self) -> tuple[Any, ...]:
        return (Money, (self.amount, self.currency, self.qualifier))


def decimal_text(amount: Decimal) -> str:
    """``amount`` written as a plain decimal: no exponent, its scale kept.

    The form the canonical formats write amounts and rates in:

        >>> decimal_text(Decimal("9933.00")), decimal_text(Decimal("1E+3"))
        ('9933.00', '1000')
    """
    text = str(amount)
    if "E" in text or "e" in text:
        text = f"{amount:f}"
    return text


_new = object.__new__
_set_amount = Money.__dict__["amount"].__set__
_set_currency = Money.__dict__["currency"].__set__
_set_qualifier = Money.__dict__["qualifier"].__set__


def _make(amount: Decimal, currency: str | None, qualifier: Qualifier | None) -> Money:
    """Build a Money from values already checked (the fast path of arithmetic and readers)."""
    money = _new(Money)
    _set_amount(money, amount)
    _set_currency(money, currency)
    _set_qualifier(money, qualifier)
    return money


plain = decimal_text  # the short name the core's modules use

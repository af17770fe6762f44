"""The exceptions socialproj raises, and where in a file a problem was found.

Every error the library raises on purpose derives from :class:`SocialprojError`, and each
also derives from the built-in exception a Python programmer would expect
(``ValueError`` for text that cannot be read, ``TypeError`` for mixing currencies,
``LookupError`` for a missing rate or format), so ``except ValueError`` keeps working.
"""

from __future__ import annotations

from collections.abc import Sequence

from attrs import frozen

__all__ = [
    "AmbiguousAmount",
    "CurrencyMismatch",
    "FormatError",
    "OptionError",
    "ParseError",
    "PluginError",
    "Position",
    "RateNotFound",
    "ReadError",
    "RecordError",
    "SocialprojError",
    "StructureError",
]

_SHOWN = 80  # characters of an offending value quoted in a message


def quote(value: object, limit: int = _SHOWN) -> str:
    """Quote ``value`` for a message, shortened to ``limit`` characters."""
    text = value if isinstance(value, str) else repr(value)
    if len(text) > limit:
        text = f"{text[: limit - 1]}…"
    return repr(text) if isinstance(value, str) else text


def expect(value: object, kind: type | tuple[type, ...], what: str) -> None:
    """Raise ``TypeError`` unless ``value`` is a ``kind``: "``what``, not int (5)"."""
    if not isinstance(value, kind):
        raise TypeError(f"{what}, not {type(value).__name__} ({quote(value)})")


@frozen
class Position:
    """Where a record or value was found: file, line, data row, field, character column.

    Every part is optional; ``str(position)`` joins the known ones, for example
    ``"projects.csv, line 12, row 11, field 'funding.total.amount'"``.
    """

    file: str | None = None
    line: int | None = None
    row: int | None = None
    field: str | None = None
    column: int | None = None

    def fill(self, other: Position) -> Position:
        """Return a copy whose unknown parts are taken from ``other``."""
        return Position(
            file=self.file if self.file is not None else other.file,
            line=self.line if self.line is not None else other.line,
            row=self.row if self.row is not None else other.row,
            field=self.field if self.field is not None else other.field,
            column=self.column if self.column is not None else other.column,
        )

    def __str__(self) -> str:
        parts = [self.file or "<input>"]
        if self.line is not None:
            parts.append(f"line {self.line}")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column is not None:
            parts.append(f"column {self.column}")
        if self.field is not None:
            parts.append(f"field {self.field!r}")
        return ", ".join(parts)


class SocialprojError(Exception):
    """Base class of every error socialproj raises on purpose."""


class ParseError(SocialprojError, ValueError):
    """Text that cannot be read as the value asked for; the message quotes the text."""

    def __init__(self, message: str, *, text: str | None = None, expected: str | None = None):
        self.text = text
        self.expected = expected
        full = message
        if text is not None and quote(text) not in message:
            full = f"{quote(text)}: {message}"
        #: the message without what was expected (for callers that say it their own way)
        self.reason = full
        if expected:
            full = f"{full} (expected {expected})"
        super().__init__(full)


class AmbiguousAmount(ParseError):
    """A number whose lone separator may be a decimal mark or a thousands separator.

    ``136,363`` is 136363 in English and 136.363 in Bulgarian; pass ``locale`` (or a
    :class:`~socialproj.NumberStyle`) to settle it. ``readings`` are the two numbers it
    may be, ``mark`` the lone separator.
    """

    def __init__(
        self,
        message: str,
        *,
        text: str | None = None,
        expected: str | None = None,
        readings: tuple[str, str] | None = None,
        mark: str | None = None,
    ):
        super().__init__(message, text=text, expected=expected)
        self.readings = readings
        self.mark = mark


class CurrencyMismatch(SocialprojError, TypeError):
    """Arithmetic or comparison between amounts in different (or unknown) currencies."""


class RateNotFound(SocialprojError, LookupError):
    """No exchange rate for the currencies and date asked; never replaced by another date."""


class StructureError(SocialprojError, ValueError):
    """Canonical data that does not fit the model; lists every problem with its path."""

    def __init__(self, problems: Sequence[str], *, what: str = "project"):
        self.problems = list(problems)
        lines = "\n".join(f"  - {p}" for p in self.problems)
        count = len(self.problems)
        noun = "problem" if count == 1 else "problems"
        super().__init__(f"{count} {noun} in the {what} data:\n{lines}")


class RecordError(SocialprojError, ValueError):
    """A bad record in an input: names the place, the value and what was expected."""

    def __init__(
        self,
        message: str,
        *,
        position: Position | None = None,
        value: object = None,
        expected: str | None = None,
    ):
        self.message = message
        self.position = position or Position()
        self.value = value
        self.expected = expected
        super().__init__(self._render())

    def _render(self) -> str:
        text = f"{self.position}: {self.message}"
        if self.value is not None and quote(self.value) not in self.message:
            text = f"{text}: {quote(self.value)}"
        if self.expected and "(expected " not in self.message:  # said once, not twice
            text = f"{text} (expected {self.expected})"
        return text

    def at(self, position: Position) -> RecordError:
        """The same error, its position's unknown parts filled in from ``position``."""
        return type(self)(
            self.message,
            position=self.position.fill(position),
            value=self.value,
            expected=self.expected,
        )


class ReadError(RecordError):
    """An input that cannot be read at all from some point on (encoding, truncation, junk)."""


class FormatError(SocialprojError, LookupError):
    """No format, or more than one, fits the name, file name or content given."""


class OptionError(SocialprojError, ValueError):
    """An option a format does not know, or a value it cannot take."""


class PluginError(SocialprojError):
    """A plugin that cannot be loaded, or two plugins that claim the same name."""

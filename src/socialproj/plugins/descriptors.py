"""What plugins give socialproj: typed descriptors of formats, rate providers and checks.

A plugin's hook yields these objects; the host (:mod:`socialproj.plugins`) collects
them, checks that names do not clash, and sorts them by name. A format's reader and
writer get a :class:`ReadContext` or :class:`WriteContext` carrying the options, the
file name and the error policy, and helpers to decode text with positions.
"""

from __future__ import annotations

import codecs
import datetime as _dt
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import cached_property
from typing import IO, TYPE_CHECKING, Any, ClassVar, Final, Literal, TypeAlias

from attrs import define, field, frozen

from .encodings import TextEncoding, detect_encoding
from .errors import OptionError, Position, ReadError, RecordError
from .findings import Finding
from .model import Project
from .textio import (
    NOT_TEXT,
    binary_kind,
    carriage_returns_only,
    guess_encoding,
    is_wide,
    lines_ending_in_cr,
    looks_binary,
    marking_decoder,
    mixed_lines,
    nul_error,
    numbered_lines,
)

if TYPE_CHECKING:
    from .rates import Rate

__all__ = [
    "Format",
    "Option",
    "RateProvider",
    "ReadContext",
    "Sample",
    "Validator",
    "WriteContext",
]

ErrorPolicy: TypeAlias = Literal["raise", "collect"]
ReadFunction: TypeAlias = Callable[[IO[bytes], "ReadContext"], Iterator[Project]]
WriteFunction: TypeAlias = Callable[[Iterable[Project], IO[bytes], "WriteContext"], None]
SniffFunction: TypeAlias = Callable[["Sample"], bool]


#: The longest line :meth:`ReadContext.lines` reads, in bytes, unless the format's
#: ``max_line`` option says otherwise: far above any record, far below a machine's memory.
MAX_LINE: Final = 16 * 1024 * 1024

_SIZE_UNITS: Final = {
    "": 1,
    "k": 1024,
    "kib": 1024,
    "kb": 1000,
    "m": 1024**2,
    "mib": 1024**2,
    "mb": 1000**2,
    "g": 1024**3,
    "gib": 1024**3,
    "gb": 1000**3,
}


def parse_size(value: object) -> int:
    """Read an option's size: ``1000000``, ``1_000_000``, ``64k``, ``16M``, ``16MiB``, ``20MB``.

    ``K``/``M``/``G`` and ``KiB``/``MiB``/``GiB`` are powers of 1024, ``KB``/``MB``/``GB``
    of 1000 (as in GNU coreutils). The size must be a whole number of at least 1.

        >>> parse_size("16M"), parse_size("20MB"), parse_size(4096)
        (16777216, 20000000, 4096)
    """
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise TypeError(f"a size is a whole number or text such as '16M', not {value!r}")
    text = str(value).strip().replace("_", "")
    digits = text.rstrip("kKmMgGiIbB ")
    unit = _SIZE_UNITS.get(text[len(digits) :].strip().lower())
    if not digits.isdigit() or not digits.isascii() or unit is None:
        raise ValueError(f"{value!r} is not a size (expected a number such as 1000000 or 16M)")
    size = int(digits) * unit
    if size < 1:
        raise ValueError(f"{value!r} is not a size: it must be at least 1")
    return size


def parse_bool(value: object) -> bool:
    """Read an option's yes/no value: ``True``, ``"yes"``, ``"1"``, ``"off"`` and so on."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().casefold()
    if text in ("1", "true", "yes", "on", "y"):
        return True
    if text in ("0", "false", "no", "off", "n", ""):
        return False
    raise ValueError(f"{value!r} is not yes or no")


#: When an option applies: to reading, to writing, or to both.
Applies: TypeAlias = Literal["read", "write", "both"]
#: What a format is used for: reading or writing.
Purpose: TypeAlias = Literal["read", "write"]

_APPLIES: Final = ("read", "write", "both")
#: the words for a purpose in messages
DOING: Final = {"read": "reading", "write": "writing"}


def _check_applies(_instance: object, _attribute: object, value: object) -> None:
    if value not in _APPLIES:
        raise ValueError(f"an option applies to 'read', 'write' or 'both', not {value!r}")


@frozen
class Option:
    """An option a format takes (``-o name=value`` on the command line).

    ``parse`` turns what a user passes — a Python value, or the command line's string —
    into the value the reader or writer uses; it raises ``ValueError`` for bad values.
    ``applies`` says whether the option is for reading, for writing, or for both (the
    default): :func:`~socialproj.read` refuses an option that is for writing only and
    :func:`~socialproj.write` one that is for reading only, and the command line gives
    each ``-o`` option to the side it is for.
    """

    name: str
    help: str
    parse: Callable[[Any], Any] = str
    default: Any = None
    choices: tuple[str, ...] = ()
    applies: Applies = field(default="both", kw_only=True, validator=_check_applies)

    def applies_to(self, purpose: Purpose) -> bool:
        """Whether the option is for ``"read"`` or for ``"write"``."""
        return self.applies in (purpose, "both")

    def convert(self, value: Any, *, format_name: str = "") -> Any:
        """The parsed value, or :class:`~socialproj.OptionError` naming the option."""
        try:
            parsed = self.parse(value)
        except (ValueError, TypeError, OSError) as exc:
            raise OptionError(f"option {self.name!r} of format {format_name!r}: {exc}") from None
        if self.choices and parsed not in self.choices:
            raise OptionError(
                f"option {self.name!r} of format {format_name!r} takes one of "
                f"{', '.join(map(repr, self.choices))}, not {value!r}"
            )
        return parsed


#: The option :meth:`ReadContext.lines` reads its line limit from: a text format that
#: reads through ``lines()`` lists it among its options so that users can raise it.
MAX_LINE_OPTION: Final = Option(
    "max_line",
    "longest line, in bytes: a longer one is reported and skipped (reading), or its "
    "record refused (writing), so that what is written can be read",
    parse_size,
    MAX_LINE,
)


def _options(values: Iterable[Option]) -> tuple[Option, ...]:
    return tuple(values)


def _strings(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(values)


def _lower_tuple(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(v.lower() for v in values)


@frozen
class Format:
    """A file format a plugin reads and/or writes.

    ``reader(stream, context)`` yields :class:`~socialproj.Project` records from a binary
    stream, one at a time; ``writer(projects, stream, context)`` writes them. ``sniff``
    looks at the first bytes of an input and says whether it is in this format; it must
    not raise (the host treats an exception as "no"). ``lossless`` promises that writing
    and reading back gives the same records. ``plugin`` is filled in by the host.
    """

    name: str
    description: str
    reader: ReadFunction | None = None
    writer: WriteFunction | None = None
    extensions: tuple[str, ...] = field(default=(), converter=_lower_tuple)
    aliases: tuple[str, ...] = field(default=(), converter=_lower_tuple)
    sniff: SniffFunction | None = None
    lossless: bool = False
    options: tuple[Option, ...] = field(default=(), converter=_options)
    plugin: str = ""

    def __attrs_post_init__(self) -> None:
        if not self.name or self.name != self.name.lower() or " " in self.name:
            raise ValueError(f"a format name is lower case without spaces, not {self.name!r}")
        if self.reader is None and self.writer is None:
            raise ValueError(f"format {self.name!r} neither reads nor writes")
        for ext in self.extensions:
            if not ext.startswith("."):
                raise ValueError(f"extensions start with a dot, like '.csv', not {ext!r}")
        for option in self.options:
            if option.applies == "read" and self.reader is None:
                raise ValueError(f"format {self.name!r} has a reading option but no reader")
            if option.applies == "write" and self.writer is None:
                raise ValueError(f"format {self.name!r} has a writing option but no writer")

    @property
    def names(self) -> tuple[str, ...]:
        """The name and every alias."""
        return (self.name, *self.aliases)

    def parse_options(
        self, given: Mapping[str, Any], *, purpose: Purpose | None = None
    ) -> dict[str, Any]:
        """Every option's value: the given ones parsed, the others their defaults.

        With a ``purpose``, an option given that is not for it (a reading option given
        to a writer) is an :class:`~socialproj.OptionError` rather than ignored.
        """
        known = {option.name: option for option in self.options}
        unknown = sorted(set(given) - set(known))
        if unknown:
            offered = ", ".join(sorted(known)) or "none"
            raise OptionError(
                f"format {self.name!r} has no option {', '.join(map(repr, unknown))} "
                f"(its options: {offered})"
            )
        if purpose is not None:
            for name in given:
                option = known[name]
                if not option.applies_to(purpose):
                    raise OptionError(
                        f"option {name!r} of format {self.name!r} is for "
                        f"{DOING[option.applies]} only, and this is {DOING[purpose]}"
                    )
        values = {name: option.default for name, option in known.items()}
        for name, value in given.items():
            values[name] = known[name].convert(value, format_name=self.name)
        return values


@frozen
class Sample:
    """The first bytes of an input and its name, for content sniffing."""

    name: str | None
    head: bytes

    @cached_property
    def text(self) -> str:
        """The head decoded as text (in its guessed encoding), or ``""`` for binary data."""
        if looks_binary(self.head):
            return ""
        encoding = guess_encoding(self.head)
        return self.head.decode(encoding, errors="ignore").lstrip("\ufeff")

    @property
    def extension(self) -> str:
        """The file name's extension in lower case (``".csv"``), or ``""``."""
        if not self.name:
            return ""
        base = self.name.replace("\\", "/").rsplit("/", 1)[-1]
        return "." + base.rsplit(".", 1)[1].lower() if "." in base.lstrip(".") else ""


RateLookup: TypeAlias = Callable[[str, str, _dt.date], "Rate | None"]


@frozen
class RateProvider:
    """A source of dated exchange rates for :func:`~socialproj.convert`.

    ``lookup(from_currency, to_currency, day)`` returns the :class:`~socialproj.Rate` for
    exactly that day (either way round), or ``None``; it never substitutes another day.
    """

    name: str
    description: str
    lookup: RateLookup
    plugin: str = ""


@frozen
class Validator:
    """An extra check: ``check(project)`` yields :class:`~socialproj.Finding` objects.

    ``codes`` lists the finding codes it may emit, for documentation.
    """

    name: str
    description: str
    check: Callable[[Project], Iterable[Finding]]
    codes: tuple[str, ...] = field(default=(), converter=_strings)
    plugin: str = ""


@define
class ReadContext:
    """What a reader gets besides the stream: file name, options, error policy, helpers.

    Readers call :meth:`mark` with the line or row a record starts at, :meth:`problem`
    for a bad record (which raises, or collects and lets the reader go on with the next
    record), and :meth:`lines` or :meth:`text` to decode the input with positions.
    """

    file: str | None = None
    options: dict[str, Any] = field(factory=dict)
    errors: ErrorPolicy = "raise"
    encoding: str | None = None
    head: bytes = b""
    problems: list[RecordError] = field(factory=list)
    line: int | None = None
    row: int | None = None
    #: the name of the format reading (filled in by :func:`~socialproj.read`), for
    #: records that say which format they were read in (``source.format``)
    format: str = ""

    #: how the input's encoding was settled, once a reader asked for it (see
    #: :attr:`text_encoding`); ``None`` before, and for formats that read no text
    encoding_used: TextEncoding | None = field(default=None, init=False)

    @property
    def text_encoding(self) -> str:
        """The input's encoding: the ``encoding`` given, else detected from :attr:`head`.

        A byte-order mark names UTF-8, UTF-16 or UTF-32; without one, UTF-16 is told by
        the NULs between ASCII characters, then UTF-8, then one of the legacy encodings
        (:func:`socialproj.encodings.detect_encoding`). A detection that cannot tell two
        encodings apart raises :class:`~socialproj.ReadError` naming them, rather than
        guess; so does a given encoding no codec knows. :meth:`lines` and :meth:`text`
        decode with it; a reader that decodes the stream itself should too.
        :attr:`encoding_used` then says how it was settled.
        """
        used = self.encoding_used
        if used is None:
            used = self.encoding_used = self._settle_encoding()
        return used.name

    def _settle_encoding(self) -> TextEncoding:
        if self.encoding:
            try:
                codecs.lookup(self.encoding)
            except LookupError:
                raise ReadError(
                    f"cannot be decoded: there is no encoding named {self.encoding!r}",
                    position=Position(file=self.file),
                    expected="an encoding such as utf-8, cp1250 or cp1251",
                ) from None
            return TextEncoding(self.encoding, "given")
        found = detect_encoding(self.head)
        if not found.sure:
            raise ReadError(
                f"{found.unsure()}; name it with --encoding (for example --encoding {found.name})",
                position=Position(file=self.file),
            )
        return found

    def mark(self, *, line: int | None = None, row: int | None = None) -> None:
        """Say where the record being read starts."""
        self.line = line
        self.row = row

    def position(
        self,
        *,
        field: str | None = None,
        line: int | None = None,
        row: int | None = None,
        column: int | None = None,
    ) -> Position:
        """A position in this input (the marked line and row unless given)."""
        return Position(
            file=self.file,
            line=self.line if line is None else line,
            row=self.row if row is None else row,
            field=field,
            column=column,
        )

    def problem(
        self,
        error: RecordError | str,
        *,
        field: str | None = None,
        value: object = None,
        expected: str | None = None,
        line: int | None = None,
        row: int | None = None,
    ) -> None:
        """Report a bad record: raise it, or (``errors="collect"``) keep it and go on."""
        if isinstance(error, str):
            error = RecordError(
                error,
                position=self.position(field=field, line=line, row=row),
                value=value,
                expected=expected,
            )
        else:
            error = error.at(self.position(field=field, line=line, row=row))
        if self.errors == "raise":
            raise error
        self.problems.append(error)

    def require_text(self) -> None:
        """Raise :class:`~socialproj.ReadError` if the input starts with binary data.

        Text in UTF-16 or UTF-32 given as the ``encoding`` holds NULs: it is not binary.
        """
        if self.encoding and is_wide(self.encoding):
            return
        kind = binary_kind(self.head)
        if kind is not None:
            raise ReadError(f"is {kind}", position=Position(file=self.file), expected="a text file")

    def lines(self, stream: IO[bytes]) -> Iterator[tuple[int, str]]:
        """Decode the input line by line as ``(line number, text)``, keeping line ends.

        The encoding is the ``encoding`` option, else guessed from the first bytes
        (UTF-8 with or without BOM, UTF-16, cp1251). Binary junk is refused; an
        undecodable line, and a line longer than the format's ``max_line`` option
        (:data:`MAX_LINE` bytes if it has none), is reported with its place as a
        :meth:`problem` and left out, and the lines after it are read. Memory holds
        one line at a time.
        """
        self.require_text()
        encoding = self.text_encoding
        if carriage_returns_only(self.head) and not is_wide(encoding):
            stream = lines_ending_in_cr(stream)  # an old Mac file: a CR ends each line
        declared = MAX_LINE_OPTION.name in self.options  # else no option to name
        limit = self.options.get(MAX_LINE_OPTION.name) or MAX_LINE
        option = MAX_LINE_OPTION.name if declared else None
        for number, text in numbered_lines(
            stream, encoding, limit=limit, file=self.file, option=option
        ):
            if type(text) is str:
                yield number, text
            else:
                self.problem(text)  # raises, or records the line and goes on with the next

    #: What :meth:`decoder` decodes bytes that are not text to (a lone surrogate, which
    #: no text holds): find it in the text to report the bad bytes where they are.
    NOT_TEXT: ClassVar[str] = NOT_TEXT

    def decoder(self, encoding: str | None = None) -> codecs.IncrementalDecoder:
        """An incremental decoder for the input read in chunks (a format not read by line).

        ``encoding`` is the one the input declares, else :attr:`text_encoding`. Bytes
        that are not text in it decode to :attr:`NOT_TEXT` instead of raising, so the
        reader can report them in their record and read on. Raises :class:`ReadError`
        for an encoding no codec has.
        """
        name = encoding or self.text_encoding
        try:
            return marking_decoder(name)
        except LookupError:
            raise ReadError(
                f"cannot be decoded: there is no encoding named {name!r}",
                position=Position(file=self.file),
                expected="an encoding such as utf-8 or cp1251",
            ) from None

    def text(self, stream: IO[bytes], *, limit: int = 20_000_000) -> str:
        """The whole input as one string (for document formats), at most ``limit`` bytes."""
        data = stream.read(limit + 1)
        if len(data) > limit:
            raise ReadError(
                f"is larger than {limit:,} bytes, too large for one document",
                position=Position(file=self.file),
            )
        self.require_text()
        encoding = self.text_encoding
        try:
            text = data.decode(encoding).lstrip("\ufeff")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise ReadError(
                f"bytes {data[exc.start : exc.start + 4]!r} are not valid {encoding}",
                position=Position(file=self.file, line=line),
                expected=f"text in {encoding}",
            ) from None
        mixed = next(mixed_lines(data, encoding, self.file), None)
        if mixed is not None:
            raise mixed
        nul = nul_error(text, self.file)
        if nul is not None:
            raise nul
        return text


@define
class WriteContext:
    """What a writer gets besides the records and the stream: file name, options, errors.

    A writer that cannot write a record as it is (a NUL character CSV cannot carry, a
    cell longer than readers accept) calls :meth:`problem` and goes on with the next
    record: the record is left out, never written changed. ``record`` is the number
    (from 1) of the record being written; :meth:`count` moves it on.
    """

    file: str | None = None
    options: dict[str, Any] = field(factory=dict)
    errors: ErrorPolicy = "raise"
    problems: list[RecordError] = field(factory=list)
    record: int = 0

    def count(self) -> int:
        """Move on to the next record; its number."""
        self.record += 1
        return self.record

    def problem(
        self,
        message: str,
        *,
        field: str | None = None,
        value: object = None,
        expected: str | None = None,
    ) -> None:
        """Refuse the record being written: raise, or (``errors="collect"``) keep it and go on.

        The error's place is the output and the record's number (as ``row``).
        """
        error = RecordError(
            f"record {self.record} cannot be written: {message}",
            position=Position(file=self.file, row=self.record or None, field=field),
            value=value,
            expected=expected,
        )
        if self.errors == "raise":
            raise error
        self.problems.append(error)

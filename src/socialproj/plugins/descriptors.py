"""What plugins give socialproj: typed descriptors of formats, options, rate providers, checks.

A plugin's hook (:mod:`.specs`) yields these objects; the host (:mod:`.host`) collects
them, checks that names do not clash, and sorts them by name. A format's reader and
writer are called with a context (:mod:`.contexts`).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import cached_property
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Final, Literal, TypeAlias

from attrs import field, frozen

from socialproj.errors import OptionError
from socialproj.findings import Finding
from socialproj.model import Project
from socialproj.textio import guess_encoding, looks_binary

if TYPE_CHECKING:
    from socialproj.rates import Rate

    from .contexts import ReadContext, WriteContext

__all__ = [
    "Format",
    "Option",
    "RateProvider",
    "Sample",
    "Validator",
]

ErrorPolicy: TypeAlias = Literal["raise", "collect"]
ReadFunction: TypeAlias = Callable[[IO[bytes], "ReadContext"], Iterator[Project]]
WriteFunction: TypeAlias = Callable[[Iterable[Project], IO[bytes], "WriteContext"], None]
FolderWriteFunction: TypeAlias = Callable[[Iterable[Project], Path, "WriteContext"], None]
#: ``batch_reader(stream, context, batch_size)``: ``pyarrow.RecordBatch`` objects in
#: :func:`socialproj.arrow_schema`, the records the format's reader gives, in order
BatchReadFunction: TypeAlias = Callable[[IO[bytes], "ReadContext", int], Iterator[Any]]
#: ``batch_writer(batches, stream, context)``: writes record batches of the Arrow schema
BatchWriteFunction: TypeAlias = Callable[[Iterable[Any], IO[bytes], "WriteContext"], None]
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
    stream, one at a time; ``writer(projects, stream, context)`` writes them, and
    ``folder_writer(projects, folder, context)`` writes them as a dataset of files in an
    empty folder (when the target of :func:`~socialproj.write` is a folder).
    ``batch_reader`` and ``batch_writer`` are a format's bulk path: Arrow record batches
    of :func:`~socialproj.arrow_schema` instead of records, built column by column
    (:func:`~socialproj.read_batches`, :func:`~socialproj.write_batches`); a batch reader
    gives exactly the records ``reader`` gives, and reports the same bad ones. ``sniff``
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
    folder_writer: FolderWriteFunction | None = None
    batch_reader: BatchReadFunction | None = None
    batch_writer: BatchWriteFunction | None = None

    def __attrs_post_init__(self) -> None:
        if not self.name or self.name != self.name.lower() or " " in self.name:
            raise ValueError(f"a format name is lower case without spaces, not {self.name!r}")
        if self.reader is None and self.writer is None:
            raise ValueError(f"format {self.name!r} neither reads nor writes")
        if self.batch_reader is not None and self.reader is None:
            raise ValueError(f"format {self.name!r} has a batch reader but no reader")
        if self.batch_writer is not None and self.writer is None:
            raise ValueError(f"format {self.name!r} has a batch writer but no writer")
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

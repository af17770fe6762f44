"""What every spreadsheet format shares: rows of a sheet, its header, its cells' values.

The xlsx, ods and html readers each turn their input into :data:`SheetRow` tuples (a
row's number, its cell texts, what is wrong with its cells); :func:`read_sheet` finds
the header among them (the ``header`` option's rows, stacked, or the first row with two
filled cells) and hands the rest to the column handling every table format shares
(:mod:`.rows`). Number cells are :class:`Number` texts, exact as the sheet shows them
(:func:`number_text`). The limits that keep memory bounded whatever a file holds —
:data:`MAX_COLUMNS`, :data:`MAX_STYLES`, :data:`MAX_DEPTH`, :class:`TagGuard` — and the
errors of a damaged archive (:data:`DAMAGED`) are here too.
"""

from __future__ import annotations

import contextlib
import datetime
import itertools
import re
import shutil
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from decimal import ROUND_HALF_EVEN, Context, Decimal, InvalidOperation
from typing import IO, Final

import attrs

from socialproj import NumberStyle, Option, Position, Project, ReadContext, ReadError

from .columns import header_name
from .rows import Row, check_header, read_rows

__all__ = [
    "DAMAGED",
    "DATE_SHOWN",
    "MAX_COLUMNS",
    "MAX_DEPTH",
    "MAX_STYLES",
    "OPTIONS",
    "Fault",
    "Number",
    "SheetRow",
    "TagGuard",
    "choose_sheet",
    "column_letters",
    "number_text",
    "read_sheet",
    "sheet_options",
    "spooled",
    "stacked_header",
    "too_deep",
    "too_long",
]

#: what Excel shows of a number: 15 significant digits
_SHOWN: Final = Context(prec=15, rounding=ROUND_HALF_EVEN)
_PLAIN: Final = re.compile(r"-?[0-9]{1,15}(?:\.[0-9]{1,15})?")
#: what a cell's style says for a date format (else: how many decimals it shows)
DATE_SHOWN: Final = -1
_EPOCH_1900: Final = datetime.date(1899, 12, 30)  # day 61 is 1900-03-01
_EPOCH_1904: Final = datetime.date(1904, 1, 1)
_SPOOL: Final = 32 * 1024 * 1024
_HEADER_SEARCH: Final = 50  # rows looked at for a header when it is not given
_HEADER_ROWS: Final = 10  # the most rows a header may span
#: the most columns a row of a sheet can have (Excel's and LibreOffice's widest sheets):
#: a row going further is damage, not data
MAX_COLUMNS: Final = 16_384
#: the most cell styles a workbook can have (Excel's limit is 64 000): past it, the style
#: sheet is damage or a bomb
MAX_STYLES: Final = 65_536
#: how deeply a part's XML may nest (a sheet nests six levels): past it, a bomb whose
#: open elements the parser would stack without end
MAX_DEPTH: Final = 256
# what a damaged archive raises: zipfile's own errors, and what it lets through from the
# decompressors and from headers holding nonsense (versions, methods, encryption flags)
DAMAGED: Final = (
    zipfile.BadZipFile,
    zlib.error,
    OSError,
    EOFError,
    ValueError,
    NotImplementedError,
    RuntimeError,
)


def _sheet_option(value: object) -> str | int | None:
    if value is None or value == "":
        return None
    text = str(value).strip()
    if text.isdigit():
        number = int(text)
        if number < 1:
            raise ValueError("sheets are numbered from 1")
        return number
    return text


def _header_option(value: object) -> tuple[int, int] | None:
    """The header's first and last row: ``3``, or ``1-2`` for a header over two rows."""
    if value is None or value == "" or value == "auto":
        return None
    first, dash, last = str(value).strip().partition("-")
    try:
        rows = (int(first), int(last) if dash else int(first))
    except ValueError:
        raise ValueError(
            f"the header is a row number (1, 2, …), rows such as 1-2, or 'auto', not {value!r}"
        ) from None
    if rows[0] < 1:
        raise ValueError("rows are numbered from 1")
    if rows[1] < rows[0]:
        raise ValueError(f"the header's rows go down the sheet: {rows[1]}-{rows[0]}, not {value!r}")
    if rows[1] - rows[0] >= _HEADER_ROWS:
        raise ValueError(f"a header has at most {_HEADER_ROWS} rows, not {value!r}")
    return rows


#: the options only sheets have (the others are the CSV format's)
OPTIONS: Final = (
    Option(
        "sheet",
        "the sheet to read: its name or number (1 is the first; default: the first visible)",
        _sheet_option,
        applies="read",
    ),
    Option(
        "header",
        "row number of the header, or its rows (1-2) when it spans several (default: the "
        "first row with two or more cells filled)",
        _header_option,
        applies="read",
    ),
)


#: what is wrong with a cell: message, column index, value, what was expected
Fault = tuple[str, int, str | None, str]
#: a row of a sheet: its number, its cells' texts, what is wrong with them
SheetRow = tuple[int, list[str], list[Fault]]


class Number(str):
    """The text of a number cell (not a text cell that looks like one)."""

    __slots__ = ()


@contextlib.contextmanager
def spooled(stream: IO[bytes]) -> Iterator[IO[bytes]]:
    """The stream itself if it can seek, else a copy in a temporary file (zip needs to)."""
    if stream.seekable():
        yield stream
        return
    with tempfile.SpooledTemporaryFile(max_size=_SPOOL) as copy:
        shutil.copyfileobj(stream, copy)
        copy.seek(0)
        yield copy


def read_sheet(where: str, rows: Iterator[SheetRow], context: ReadContext) -> Iterator[Project]:
    """The projects of a sheet's ``rows``, one per row after the header.

    The header is the ``header`` option's row (or rows), else the first with two filled
    cells; each cell's problems are reported with its place. Shared by every spreadsheet
    format: ``rows`` gives each row's number, its cell texts (number cells as
    :class:`Number`) and what is wrong with its cells; ``where`` names the sheet in
    messages (``sheet 'Projects'``).
    """
    wanted: tuple[int, int] | None = context.options["header"]
    header: list[str] | None = None
    header_line = 0
    first: tuple[int, list[str]] | None = None  # the first row with a filled cell
    stacked: list[list[str]] = []  # the rows of a header given as rows
    below: list[SheetRow] = []  # rows read past the header while looking for it
    for item in rows:
        line, cells, _ = item
        if wanted is not None:
            if wanted[0] <= line <= wanted[1]:
                stacked.append(cells)
                header_line = line
            if line >= wanted[1]:
                if line > wanted[1]:  # the header's last row is missing (empty)
                    below.append(item)
                break
            continue
        filled = sum(1 for cell in cells if cell.strip())
        if filled >= 2:
            header, header_line = cells, line
            below.clear()  # rows between the first filled one and the header: titles
            break
        if first is not None:
            below.append(item)
        elif filled:
            first = line, cells
        if line >= _HEADER_SEARCH and first is not None:
            break
    if wanted is not None:
        header = stacked_header(stacked)
    elif header is None and first is not None:
        header_line, header = first  # a one-column sheet: its first filled cell names it
    if below:
        rows = itertools.chain(below, rows)  # records: read them as the rest
    if header is None or not any(cell.strip() for cell in header):
        shown = None if wanted is None else "-".join(dict.fromkeys(map(str, wanted)))
        raise ReadError(
            f"has nothing in row {shown} of {where}"
            if shown
            else f"is empty: {where} has no header row",
            position=Position(file=context.file, line=wanted[0] if wanted else None),
            expected="a header naming the columns (header option)",
        )
    names = [header_name(cell) for cell in header]
    while names and not names[-1]:
        names.pop()
    check_header(names, context, header_line)
    width = len(names)

    def fitted() -> Iterator[Row]:
        index = 0  # counted as read_rows counts its rows
        for line, cells, faults in rows:
            index += 1
            if faults:
                for message, column, value, expected in faults:
                    context.problem(
                        message,
                        line=line,
                        row=index,
                        field=names[column] if column < width else None,
                        value=value,
                        expected=expected,
                    )
                yield [], line, False, 0, line  # passed over, as a blank row is
                continue
            size = 0
            for cell in cells:
                size += len(cell)
            if not size:
                yield [], line, False, 0, line  # a row of empty (perhaps styled) cells
            elif len(cells) > width and any(cells[width:]):
                yield cells, line, False, size, line
            else:
                if len(cells) < width:
                    cells.extend([""] * (width - len(cells)))
                yield cells[:width], line, False, size, line

    yield from read_rows(
        names,
        fitted(),
        context,
        header_line=header_line,
        wrong_width=_wide,
        learn=_texts_only,
        restyle=_restyled,
        style=NumberStyle(".", ""),
    )


def stacked_header(rows: list[list[str]]) -> list[str]:
    """One header from a header over several rows: a column's labels, top to bottom.

    A label spanning columns is written in its first cell only (a merged cell), so in
    every row but the last an empty cell right of a label continues it:

    >>> stacked_header([["Programme", "Budget", "", "Paid"], ["", "Total", "EU", "Total"]])
    ['Programme', 'Budget / Total', 'Budget / EU', 'Paid / Total']
    """
    width = max((len(row) for row in rows), default=0)
    filled: list[list[str]] = []
    for number, row in enumerate(rows, start=1):
        cells = [cell.strip() for cell in row] + [""] * (width - len(row))
        if number < len(rows):
            label = ""
            for index, cell in enumerate(cells):
                label = cells[index] = cell or label
        filled.append(cells)
    columns = zip(*filled, strict=True)  # every row padded to the width above
    return [" / ".join(dict.fromkeys(label for label in column if label)) for column in columns]


def _wide(row: Row, width: int) -> str:
    cells, line = row[0], row[1]
    column = next(i for i in range(len(cells) - 1, width - 1, -1) if cells[i])
    last = column_letters(width - 1)
    return (
        f"has {cells[column]!r} in cell {column_letters(column)}{line}, right of the header's last "
        f"column {last}"
    )


def _texts_only(cells: list[str]) -> list[str]:
    """The cells a number style can be learned from: text cells (numbers are exact)."""
    return [cell if type(cell) is str else "" for cell in cells]


def _restyled(rows: Iterator[Row], style: NumberStyle | None) -> Iterator[Row]:
    """Rows with number cells written with the decimal mark amounts are read with."""
    comma = style is not None and style.decimal == ","
    for row in rows:
        cells = row[0]
        for index, cell in enumerate(cells):
            if type(cell) is Number:
                cells[index] = cell.replace(".", ",") if comma else str(cell)
        yield row


def too_long(size: int, limit: int) -> tuple[str, str]:
    """What a cell longer than ``max_field`` says, and what was expected, for its fault."""
    return (
        f"holds {size:,} characters, more than the limit of {limit:,}",
        "a shorter cell (max_field option)",
    )


def choose_sheet(sheets: list[tuple[str, bool]], wanted: str | int | None, file: str | None) -> int:
    """The index of the sheet the ``sheet`` option names, among ``(name, visible)`` pairs.

    No option: the first visible sheet (the first, if all are hidden). A number is the
    sheet's position, unless there are fewer sheets: then it is a sheet's name (``2021``).
    A name matches as written, else ignoring case.
    """
    if wanted is None:
        return next((index for index, (_, visible) in enumerate(sheets) if visible), 0)
    if isinstance(wanted, int) and wanted <= len(sheets):
        return wanted - 1
    named = [name for name, _ in sheets]
    if str(wanted) in named:
        return named.index(str(wanted))
    folded = [name.casefold() for name in named]
    if str(wanted).casefold() in folded:
        return folded.index(str(wanted).casefold())
    shown = ", ".join(f"{i}: {name!r}" for i, name in enumerate(named, 1))
    raise ReadError(
        f"has no sheet {wanted!r}; its sheets are {shown}",
        position=Position(file=file),
        expected="a sheet name or number (sheet option)",
    )


def column_letters(index: int) -> str:
    """The column letters of a 0-based column index: 0 → A, 27 → AB."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def too_deep() -> str:
    """What an XML part nested past :data:`MAX_DEPTH` is."""
    return f"its XML nests more than {MAX_DEPTH} levels deep"


class TagGuard:
    """Refuses an XML tag too long to hold: an attribute of a gigabyte is a bomb, not data.

    The parser holds a whole start tag (its attributes) before it calls back, so a tag
    cannot be bounded the way text is; this looks at each chunk before the parser does.
    A tag longer than four times ``limit`` characters (the most a cell may hold, as UTF-8)
    raises ``ValueError``, which the readers report as damage.
    """

    def __init__(self, limit: int) -> None:
        self._limit = 4 * limit + 65536
        self._open = 0  # bytes of the tag open at the end of the chunks so far

    def check(self, chunk: bytes) -> None:
        """Follow the tags of the next chunk."""
        start, end = chunk.rfind(b"<"), chunk.rfind(b">")
        if start > end:
            self._open = len(chunk) - start
        elif end > start:
            self._open = 0
        elif self._open:
            self._open += len(chunk)
        if self._open > self._limit:
            raise ValueError(f"a tag runs past {self._limit:,} bytes, more than a cell can hold")


def number_text(text: str, shown: int, date1904: bool) -> str:
    """The text of a number cell: exact, as Excel shows it, or an ISO date.

    ``shown`` is the cell's style: :data:`DATE_SHOWN`, or how many decimals its number format
    always shows (the value is padded with zeros to them, never rounded), or 0.
    """
    if shown != DATE_SHOWN and _PLAIN.fullmatch(text) and len(text) <= 17:
        digits = len(text) - (text[0] == "-") - ("." in text)
        if digits <= 15:
            return Number(_padded(text, shown) if shown else text)
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        raise ValueError("not a number") from None
    if not value.is_finite():
        raise ValueError("not a finite number")
    if shown == DATE_SHOWN:
        return _day(value, date1904)
    if len(value.as_tuple().digits) > 15:
        value = _SHOWN.plus(value).normalize(_SHOWN)
    plain = f"{value:f}" if value else "0"
    return Number(_padded(plain, shown) if shown else plain)


def _padded(text: str, places: int) -> str:
    """``text`` with zeros added up to ``places`` decimals (``497832`` → ``497832.00``)."""
    point = text.find(".")
    if point < 0:
        return f"{text}.{'0' * places}"
    missing = places - (len(text) - point - 1)
    return text + "0" * missing if missing > 0 else text


def _day(serial: Decimal, date1904: bool) -> str:
    """An ISO date (and time, if the count has one) from a workbook's day count."""
    days = int(serial)
    seconds = int(((serial - days) * 86400).to_integral_value(ROUND_HALF_EVEN))
    if serial < 0:
        raise ValueError("a date before the workbook's first day")
    if seconds >= 86400:
        days, seconds = days + 1, seconds - 86400
    if date1904:
        day = _EPOCH_1904 + datetime.timedelta(days=days)
    elif days >= 61:
        day = _EPOCH_1900 + datetime.timedelta(days=days)
    elif days == 60:
        return "1900-02-29"  # Excel's day that never was: the date reader says so
    elif days == 0:
        return "1900-01-00"  # what Excel shows for a date of 0: an empty date
    else:
        day = _EPOCH_1900 + datetime.timedelta(days=days + 1)
    if not seconds:
        return day.isoformat()
    hours, rest = divmod(seconds, 3600)
    return f"{day.isoformat()}T{hours:02d}:{rest // 60:02d}:{rest % 60:02d}"


def sheet_options(csv_options: tuple[Option, ...]) -> tuple[Option, ...]:
    """A sheet format's options: the CSV format's that apply to cells, and the sheet's.

    Sheet formats only read, so each of them is a reading option here.
    """
    shared = (
        "decimal",
        "currency",
        "dates",
        "mapping",
        "language",
        "split",
        "bad_cells",
        "totals",
        "max_field",
    )
    return (
        *(attrs.evolve(option, applies="read") for option in csv_options if option.name in shared),
        *OPTIONS,
    )

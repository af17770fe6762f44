"""The ``ods`` format: one sheet of an OpenDocument spreadsheet, read exactly, a row at a time.

LibreOffice and OpenOffice save ``.ods`` files (a zip archive whose ``content.xml`` holds
every sheet) and flat ``.fods`` files (the same XML, unzipped). Each cell states its type
and its value apart from the text it shows: ``office:value="3636525"`` beside
``3 636 525,00 £``, ``office:date-value="2016-11-22"`` beside ``22.11.16``. This module
streams that XML with the standard library (memory holds one row) and hands rows of
cell texts to the same sheet handling as the xlsx format
(:func:`socialproj_tables.sheets.read_sheet`), so headers, mappings, faults and options
work alike.

Numbers are never floats: a number's ``office:value`` text is read as a ``Decimal``,
rounded to the 15 significant digits a spreadsheet shows (``ROUND_HALF_EVEN``) when it
holds more, and padded with zeros to the decimals its number style always shows. Rows and
cells a sheet repeats (``table:number-rows-repeated``) are repeated; empty ones are
counted, not held.
"""

from __future__ import annotations

import contextlib
import zipfile
from collections.abc import Callable, Iterator
from typing import IO, Final
from xml.parsers import expat

from socialproj import Position, Project, ReadContext, ReadError, Sample

from .sheets import (
    DAMAGED,
    MAX_COLUMNS,
    MAX_DEPTH,
    MAX_STYLES,
    Fault,
    SheetRow,
    TagGuard,
    column_letters,
    number_text,
    read_sheet,
    spooled,
    too_deep,
    too_long,
)

__all__ = ["read_ods", "sniff_ods"]

_MIMETYPE: Final = "application/vnd.oasis.opendocument.spreadsheet"
_OFFICE: Final = "urn:oasis:names:tc:opendocument:xmlns:office:1.0 "
_TABLE: Final = "urn:oasis:names:tc:opendocument:xmlns:table:1.0 "
_TEXT: Final = "urn:oasis:names:tc:opendocument:xmlns:text:1.0 "
_STYLE: Final = "urn:oasis:names:tc:opendocument:xmlns:style:1.0 "
_NUMBER: Final = "urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0 "
_CALC: Final = "urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0 "
_CHUNK: Final = 256 * 1024
#: the most rows a sheet can have (LibreOffice's largest sheets; columns: MAX_COLUMNS):
#: repeats past them are damage, not data
MAX_ROWS: Final = 16_777_216
#: the most rows of data a sheet's repeats may give (Excel's and LibreOffice's usual
#: sheet): a row repeated past it is a bomb, not a list (empty rows cost nothing)
MAX_REPEATED: Final = 1_048_576
# tags and attributes, as expat names them
_CELL: Final = f"{_TABLE}table-cell"
_COVERED: Final = f"{_TABLE}covered-table-cell"
_ROW: Final = f"{_TABLE}table-row"
_COLUMN: Final = f"{_TABLE}table-column"
_SHEET: Final = f"{_TABLE}table"
_PARAGRAPH: Final = f"{_TEXT}p"
_HEADING: Final = f"{_TEXT}h"
_SPACES: Final = f"{_TEXT}s"
_TAB: Final = f"{_TEXT}tab"
_BREAK: Final = f"{_TEXT}line-break"
_ANNOTATION: Final = f"{_OFFICE}annotation"
_VALUE_TYPE: Final = f"{_OFFICE}value-type"
_VALUE: Final = f"{_OFFICE}value"
_STRING_VALUE: Final = f"{_OFFICE}string-value"
_COLUMNS_REPEATED: Final = f"{_TABLE}number-columns-repeated"
_ROWS_REPEATED: Final = f"{_TABLE}number-rows-repeated"
_STYLE_NAME: Final = f"{_TABLE}style-name"
_FORMULA: Final = f"{_TABLE}formula"
_CALC_TYPE: Final = f"{_CALC}value-type"
_DEFAULT_STYLE: Final = f"{_TABLE}default-cell-style-name"
_NUMBERS: Final = frozenset(("float", "percentage", "currency"))
_NUMBER_STYLES: Final = frozenset(
    (f"{_NUMBER}number-style", f"{_NUMBER}currency-style", f"{_NUMBER}percentage-style")
)


def sniff_ods(sample: Sample) -> bool:
    """An OpenDocument spreadsheet: the zip names its type first; flat XML says it too."""
    head = sample.head
    if head.startswith(b"PK\x03\x04"):
        return _MIMETYPE.encode() in head[:200]
    return b"<office:document" in head[:4096] and _MIMETYPE.encode() in head[:4096]


def read_ods(stream: IO[bytes], context: ReadContext) -> Iterator[Project]:
    """Yield one project per row of a sheet after its header."""
    head = context.head
    with contextlib.ExitStack() as opened, spooled(stream) as seekable:
        if not head.startswith(b"PK\x03\x04"):
            if not head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
                raise _refused(context, "neither an .ods archive nor a flat .fods document")

            def flat() -> list[IO[bytes]]:
                seekable.seek(0)
                return [seekable]

            yield from _read_document(flat, context)
            return
        try:
            archive = opened.enter_context(zipfile.ZipFile(seekable))
        except DAMAGED as exc:
            raise _refused(context, f"a damaged zip archive ({exc})") from None
        names = set(archive.namelist())
        kind = _member(archive, "mimetype", context, 200).decode("ascii", "replace").strip()
        if kind and kind != _MIMETYPE:
            raise _refused(context, f"an OpenDocument file of another kind ({kind})")
        if "content.xml" not in names:
            raise _refused(context, "a zip archive without a spreadsheet in it")
        manifest = "META-INF/manifest.xml"
        if manifest in names and b"encryption-data" in _member(archive, manifest, context, 1 << 20):
            raise _refused(context, "password-protected: save it without a password")

        def zipped() -> list[IO[bytes]]:
            wanted = [name for name in ("styles.xml", "content.xml") if name in names]
            return [opened.enter_context(_opened(archive, name, context)) for name in wanted]

        yield from _read_document(zipped, context)


def _refused(context: ReadContext, why: str) -> ReadError:
    return ReadError(
        f"is not a readable spreadsheet: it is {why}",
        position=Position(file=context.file),
        expected="an .ods or .fods spreadsheet",
    )


def _member(archive: zipfile.ZipFile, name: str, context: ReadContext, limit: int) -> bytes:
    """The first ``limit`` bytes of a small part of the archive (``b""`` if it has none)."""
    try:
        with archive.open(name) as part:
            return part.read(limit)
    except KeyError:
        return b""
    except DAMAGED as exc:
        raise _refused(context, f"damaged: its part {name!r} cannot be read ({exc})") from None


def _opened(archive: zipfile.ZipFile, name: str, context: ReadContext) -> IO[bytes]:
    try:
        return archive.open(name)
    except DAMAGED as exc:
        raise _refused(context, f"damaged: its part {name!r} cannot be read ({exc})") from None


def _read_document(parts: Callable[[], list[IO[bytes]]], context: ReadContext) -> Iterator[Project]:
    """The projects of the wanted sheet of the document that ``parts`` opens, in order.

    A ``sheet`` number with fewer sheets than it counts names the sheet of that name
    (``2021``): the document is read a second time for it.
    """
    wanted = context.options["sheet"]
    limit = context.options["max_field"]
    reader = _ContentReader(wanted, limit)
    rows = _rows(parts(), reader, context)
    first = next(rows, None)  # the sheet's name is known once its first row is read
    if first is None and reader.table is None and str(wanted) in reader.tables:
        reader = _ContentReader(reader.tables.index(str(wanted)) + 1, limit)
        rows = _rows(parts(), reader, context)
        first = next(rows, None)
    if first is None and reader.table is None:
        shown = ", ".join(f"{i}: {name!r}" for i, name in enumerate(reader.tables, 1))
        if not reader.tables:
            said = "is a spreadsheet without sheets"
        elif wanted is None:
            said = f"has hidden sheets only ({shown}); name one with the sheet option"
        else:
            said = f"has no sheet {wanted!r}; its sheets are {shown}"
        raise ReadError(
            said,
            position=Position(file=context.file),
            expected="a sheet name or number (sheet option)",
        )

    def all_rows() -> Iterator[SheetRow]:
        if first is not None:
            yield first
        yield from rows

    yield from read_sheet(f"sheet {reader.table or ''!r}", all_rows(), context)


def _rows(
    parts: list[IO[bytes]], reader: _ContentReader, context: ReadContext
) -> Iterator[SheetRow]:
    """Feed each part to ``reader`` a chunk at a time, yielding rows as they end."""
    guard = TagGuard(context.options["max_field"])
    try:
        for part in parts:
            while not reader.done:
                chunk = part.read(_CHUNK)
                guard.check(chunk)
                reader.feed(chunk)
                yield from _expanded(reader.ready)
                reader.ready.clear()
                if not chunk:
                    break
            reader.next_part()
            if reader.done:
                return
    except (expat.ExpatError, *DAMAGED) as exc:
        yield from _expanded(reader.ready)  # the rows that ended before the damage
        where = f"sheet {reader.table!r}" if reader.table else "spreadsheet"
        raise ReadError(
            f"has a damaged {where}; the rows before the damage were read ({exc})",
            position=Position(file=context.file, line=reader.finished or None),
            expected="an .ods or .fods spreadsheet",
        ) from None
    except _TooLarge as exc:
        yield from _expanded(reader.ready)
        raise ReadError(
            str(exc),
            position=Position(file=context.file, line=reader.finished or None),
            expected=f"at most {MAX_ROWS:,} rows and {MAX_COLUMNS:,} columns",
        ) from None


class _TooLarge(Exception):
    """A sheet repeats rows or cells past the largest sheet."""


class _Repeat(tuple[int, list[str], list[Fault], int]):
    """A row a sheet repeats: its first number, cells, faults and how many times in all."""

    __slots__ = ()

    def __new__(cls, number: int, cells: list[str], faults: list[Fault], times: int) -> _Repeat:
        return super().__new__(cls, (number, cells, faults, times))

    def copies(self) -> Iterator[SheetRow]:
        """The repeats after the first, each with its own list of cells."""
        number, cells, faults, times = self
        for offset in range(1, times):
            yield number + offset, list(cells), faults


def _expanded(ready: list[SheetRow | _Repeat]) -> Iterator[SheetRow]:
    for item in ready:
        if isinstance(item, _Repeat):
            yield from item.copies()
        else:
            yield item


class _ContentReader:
    """Turns OpenDocument XML, fed a chunk at a time, into rows of the wanted sheet.

    Styles are read on the way (they come before the sheets): which cell styles show a
    fixed number of decimals, and which table styles hide a sheet. In the wanted sheet,
    each row is handed out (``ready``) as soon as it ends; after it, reading stops.
    """

    def __init__(self, wanted: str | int | None, limit: int) -> None:
        self.ready: list[SheetRow | _Repeat] = []
        self._limit = limit  # the longest text a cell may have (max_field)
        self._size = 0  # the open cell's text so far, in characters
        self._repeated = 0  # rows of data the sheet's repeats gave so far
        self._level = 0  # how deeply the elements open now nest
        self.finished = 0  # the number of the last row that ended
        self.done = False
        self.tables: list[str] = []  # every sheet's name, as far as read
        self.table: str | None = None  # the wanted sheet's name, once found
        self._wanted = wanted
        self._parser = self._new_parser()
        # styles: cell style → (its data style, its parent); data style → decimals shown
        self._cell_styles: dict[str, tuple[str, str]] = {}
        self._places: dict[str, int] = {}
        self._hidden: set[str] = set()  # table styles that hide their sheet
        self._style = ""  # the style or data style being read
        self._style_family = ""
        self._depth = 0  # inside the wanted sheet: how deep
        # the wanted sheet: column default styles, as (first column after the run, style)
        self._columns: list[tuple[int, str]] = []
        self._column = 0  # the next column of the row
        self._number = 0  # the row's number
        self._repeat = 1
        self._row_style = ""
        self._cells: list[str] = []
        self._faults: list[Fault] = []
        self._cell: dict[str, str] | None = None  # the open cell's attributes
        self._text: list[str] | None = None  # the open cell's text, once a paragraph opens
        self._hiding = 0  # inside an annotation: its text is not the cell's

    def _new_parser(self) -> expat.XMLParserType:
        parser = expat.ParserCreate(namespace_separator=" ")
        parser.buffer_text = True
        parser.StartElementHandler = self._start
        parser.EndElementHandler = self._end
        parser.CharacterDataHandler = self._data
        return parser

    def feed(self, chunk: bytes) -> None:
        """Parse ``chunk`` (``b""`` at a part's end); finished rows go to ``ready``."""
        self._parser.Parse(chunk, not chunk)

    def next_part(self) -> None:
        """Start a new XML part (``content.xml`` after ``styles.xml``), keeping the styles."""
        self._parser = self._new_parser()
        self._level = 0

    # -- events ------------------------------------------------------------------------

    def _start(self, tag: str, attributes: dict[str, str]) -> None:
        self._level += 1
        if self._level > MAX_DEPTH:
            raise ValueError(too_deep())
        if self._depth:  # the wanted sheet's elements: the hot path
            self._depth += 1
            if self._cell is not None:
                self._in_cell(tag, attributes)
            elif tag in (_CELL, _COVERED):
                self._cell = attributes
                self._text = None
                self._size = 0
            else:
                self._in_sheet(tag, attributes)
        elif tag == _SHEET:
            self._sheet(attributes)
        else:
            self._styles(tag, attributes)

    def _styles(self, tag: str, attributes: dict[str, str]) -> None:
        """Before the sheets: what the styles say about decimals and hidden sheets."""
        if len(self._cell_styles) + len(self._places) > 2 * MAX_STYLES:
            raise _TooLarge(f"has more than {2 * MAX_STYLES:,} styles")
        if tag == f"{_STYLE}style":
            self._style = attributes.get(f"{_STYLE}name", "")
            self._style_family = attributes.get(f"{_STYLE}family", "")
            if self._style_family == "table-cell":
                self._cell_styles[self._style] = (
                    attributes.get(f"{_STYLE}data-style-name", ""),
                    attributes.get(f"{_STYLE}parent-style-name", ""),
                )
        elif tag == f"{_STYLE}table-properties":
            if self._style_family == "table" and attributes.get(f"{_TABLE}display") == "false":
                self._hidden.add(self._style)
        elif tag in _NUMBER_STYLES:
            self._style = attributes.get(f"{_STYLE}name", "")
            if tag == f"{_NUMBER}percentage-style":
                self._places[self._style] = 0  # its digits are not the value's
                self._style = ""
        elif tag == f"{_NUMBER}number" and self._style:
            shown = attributes.get(f"{_NUMBER}min-decimal-places")
            if shown is None:
                shown = attributes.get(f"{_NUMBER}decimal-places", "0")
            self._places[self._style] = int(shown) if shown.isdigit() else 0

    def _sheet(self, attributes: dict[str, str]) -> None:
        name = attributes.get(f"{_TABLE}name", "")
        self.tables.append(name)
        wanted = self._wanted
        if wanted is None:
            chosen = attributes.get(_STYLE_NAME, "") not in self._hidden
        elif isinstance(wanted, int):
            chosen = wanted == len(self.tables)
        else:
            chosen = name == wanted or name.casefold() == wanted.casefold()
        if chosen:
            self.table = name
            self._depth = 1

    def _in_sheet(self, tag: str, attributes: dict[str, str]) -> None:
        if tag == _ROW:
            self._repeat = _count(attributes.get(_ROWS_REPEATED))
            self._row_style = attributes.get(_DEFAULT_STYLE, "")
            self._cells = []
            self._faults = []
            self._column = 0
            self._number += 1
        elif tag == _COLUMN:
            repeat = _count(attributes.get(_COLUMNS_REPEATED))
            end = (self._columns[-1][0] if self._columns else 0) + repeat
            style = attributes.get(_DEFAULT_STYLE, "")
            self._columns.append((min(end, MAX_COLUMNS), style))

    def _in_cell(self, tag: str, attributes: dict[str, str]) -> None:
        if tag == _ANNOTATION or self._hiding:
            self._hiding += 1
        elif tag in (_PARAGRAPH, _HEADING):
            if self._text is None:
                self._text = []
            else:
                self._text.append("\n")
        elif self._text is not None:
            if tag == _SPACES:
                self._text.append(" " * _count(attributes.get(f"{_TEXT}c")))
            elif tag == _TAB:
                self._text.append("\t")
            elif tag == _BREAK:
                self._text.append("\n")

    def _data(self, text: str) -> None:
        if self._text is not None and not self._hiding:
            self._size += len(text)
            if self._size <= self._limit:  # past it, the cell is a fault: not held
                self._text.append(text)

    def _end(self, tag: str) -> None:
        self._level -= 1
        if not self._depth:
            if tag == f"{_STYLE}style" or tag in _NUMBER_STYLES:
                self._style = ""
            return
        self._depth -= 1
        if not self._depth:  # the wanted sheet ended: nothing more to read
            self.done = True
            self._parser.StartElementHandler = None
            self._parser.EndElementHandler = None
            self._parser.CharacterDataHandler = None
        elif self._hiding:
            self._hiding -= 1
        elif self._cell is not None:
            if tag in (_CELL, _COVERED):
                self._place(self._cell)
                self._cell = None
                self._text = None
        elif tag == _ROW:
            self._row_ended()

    # -- cells and rows ----------------------------------------------------------------

    def _place(self, cell: dict[str, str]) -> None:
        """The cell that just ended, as text, in its column(s)."""
        column = self._column
        repeated = cell.get(_COLUMNS_REPEATED)
        repeat = 1 if repeated is None else _count(repeated)
        self._column = column + repeat
        if not cell and self._text is None:
            return  # an empty cell
        shown = self._shown(cell, column)
        if not shown:
            return
        if repeat == 1:
            cells = self._cells
            if len(cells) == column:
                cells.append(shown)
                return
        if column + repeat > MAX_COLUMNS:
            raise _TooLarge(
                f"has cell {column_letters(column)}{self._number} repeated {repeat:,} times, "
                f"past a sheet's last column"
            )
        cells = self._cells
        if len(cells) < column:
            cells.extend([""] * (column - len(cells)))
        cells[column : column + repeat] = [shown] * repeat

    def _shown(self, cell: dict[str, str], column: int) -> str:
        kind = cell.get(_VALUE_TYPE, "")
        stated = cell.get(_STRING_VALUE)
        size = len(stated) if stated is not None and kind == "string" else self._size
        if size > self._limit:
            said, expected = too_long(size, self._limit)
            return self._fault(column, said, "", expected)
        if kind == "string":
            stated = cell.get(_STRING_VALUE)
            if stated is not None:
                return stated
            return self._joined()
        if cell.get(_CALC_TYPE) == "error":  # a formula's error, such as #DIV/0!
            return self._joined()
        if kind in _NUMBERS:
            value = cell.get(_VALUE, "")
            try:
                return number_text(value, self._decimals(cell, column), False)
            except ValueError as exc:
                return self._fault(column, f"holds {value!r}: {exc}", value, "a number")
        if kind == "date":
            value = cell.get(f"{_OFFICE}date-value", "")
            return value.removesuffix("Z").removesuffix("T00:00:00")
        if kind == "boolean":
            value = cell.get(f"{_OFFICE}boolean-value", "").lower()
            return "TRUE" if value in ("true", "1") else "FALSE"
        text = self._joined()
        if not kind and not text and _FORMULA in cell:
            return self._fault(
                column,
                "holds a formula with no computed value: open and save the spreadsheet "
                "in a spreadsheet program to compute it",
                cell[_FORMULA],
                "a value",
            )
        return text  # a string, a time shown as it is, or an empty cell

    def _joined(self) -> str:
        """The text the open cell shows: its paragraphs, without its comments."""
        return "".join(self._text) if self._text is not None else ""

    def _decimals(self, cell: dict[str, str], column: int) -> int:
        """How many decimals the cell's number style always shows (0 if none)."""
        style = cell.get(_STYLE_NAME) or self._row_style or self._column_style(column)
        seen = 0
        while style and seen < 16:  # a style inherits its parent's data style
            data, parent = self._cell_styles.get(style, ("", ""))
            if data:
                return self._places.get(data, 0)
            style, seen = parent, seen + 1
        return 0

    def _column_style(self, column: int) -> str:
        for end, style in self._columns:
            if column < end:
                return style
        return ""

    def _fault(self, column: int, said: str, value: str, expected: str) -> str:
        where = f"{column_letters(column)}{self._number}"
        self._faults.append((f"cell {where} {said}", column, value, expected))
        return ""

    def _row_ended(self) -> None:
        number, repeat = self._number, self._repeat
        if number + repeat - 1 > MAX_ROWS:
            if not self._cells and not self._faults:
                self._number = MAX_ROWS  # empty rows to the sheet's end: nothing more
                return
            raise _TooLarge(f"has row {number} repeated {repeat:,} times, past a sheet's last row")
        if self._cells or self._faults:
            self._repeated += repeat - 1
            if self._repeated > MAX_REPEATED:
                raise _TooLarge(
                    f"has row {number} repeated {repeat:,} times: more than "
                    f"{MAX_REPEATED:,} repeated rows of data"
                )
            self.ready.append((number, self._cells, self._faults))
            if repeat > 1:  # handed out one copy at a time (see _rows), never all at once
                self.ready.append(_Repeat(number, self._cells, self._faults, repeat))
        self._number = number + repeat - 1
        self.finished = self._number


def _count(value: str | None) -> int:
    """A repeat count attribute: 1 when absent or not a positive number."""
    if value is None or not value.isdigit():
        return 1
    return max(int(value), 1)

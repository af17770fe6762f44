"""The ``xlsx`` format: one sheet of an Excel workbook, read exactly, a row at a time.

An ``.xlsx`` file is a zip archive of XML parts: the workbook names its sheets, a table
of shared strings holds the texts, a style sheet says which cells show dates, and each
sheet lists its rows. This module reads them with the standard library, streaming the
sheet (memory holds one row, plus the shared strings), and hands rows of cell texts to
the same column handling as the CSV format (:mod:`.sheets`, :mod:`.rows`).

Numbers are never floats. A number cell's stored text (Excel writes the binary value it
holds with up to 17 significant digits, ``39.100000000000001``) is read as a ``Decimal``
and rounded to the 15 significant digits Excel shows (``ROUND_HALF_EVEN``): ``39.1``.
A format that always shows n decimals (``#,##0.00``) gives the amount that scale, by
adding zeros only: ``497832`` reads as ``497832.00``, ``424.835`` stays as it is.
A number in a cell formatted as a date is a day count, turned into an ISO date; the
workbook's 1900 or 1904 date system is respected.
"""

from __future__ import annotations

import array
import functools
import posixpath
import re
import tempfile
import zipfile
from collections.abc import Iterator
from typing import IO, Final
from xml.etree import ElementTree
from xml.parsers import expat

from socialproj import Position, Project, ReadContext, ReadError, Sample

from .sheets import (
    DAMAGED,
    DATE_SHOWN,
    MAX_COLUMNS,
    MAX_DEPTH,
    MAX_STYLES,
    Fault,
    SheetRow,
    TagGuard,
    choose_sheet,
    column_letters,
    number_text,
    read_sheet,
    spooled,
    too_deep,
    too_long,
)

__all__ = ["SharedStrings", "decimal_places", "is_date_format", "read_xlsx", "sniff_xlsx"]

# built-in number formats that show dates or times (ECMA-376 part 1, 18.8.30, with the
# East Asian and Thai ones)
_DATE_FORMATS: Final = frozenset(
    (*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59), *range(71, 82))
)
# built-in number formats with a fixed number of decimals: 0.00, #,##0.00 and the
# currency and accounting ones
_PLACES: Final = {2: 2, 4: 2, 7: 2, 8: 2, 11: 2, 39: 2, 40: 2, 43: 2, 44: 2}
_FRACTION: Final = re.compile(r"[0#?]\.([0#?]+)")
# parts of a format code that are not date letters: quoted text, escaped characters,
# [colours] and [$locales], _padding and *fill
_NOT_CODE: Final = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]|_.|\*.')
_DATE_LETTERS: Final = re.compile(r"[dmyhs]", re.IGNORECASE)
_ESCAPED: Final = re.compile(r"_x([0-9A-Fa-f]{4})_")
_CHUNK: Final = 256 * 1024
#: the largest small part (workbook, relationships) read whole, in bytes
_PART_LIMIT: Final = 16 * 1024 * 1024
#: shared strings are held in memory up to this many characters, then in a file
_STRINGS_IN_MEMORY: Final = 16 * 1024 * 1024
_RELATIONSHIPS: Final = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_DOCUMENT: Final = "officeDocument"


def sniff_xlsx(sample: Sample) -> bool:
    """A zip archive holding an Excel workbook (its parts are named in the first bytes)."""
    head = sample.head
    return head.startswith(b"PK\x03\x04") and b"xl/" in head and b"opendocument" not in head


def read_xlsx(stream: IO[bytes], context: ReadContext) -> Iterator[Project]:
    """Yield one project per row of a sheet after its header."""
    with spooled(stream) as seekable:
        try:
            archive = zipfile.ZipFile(seekable)
        except DAMAGED as exc:
            raise ReadError(
                f"is not a readable workbook: a damaged zip archive ({exc})",
                position=Position(file=context.file),
                expected="an .xlsx workbook",
            ) from None
        with archive:
            book = _Book(archive, context)
            try:
                sheet = book.sheet(context.options["sheet"])
                yield from read_sheet(f"sheet {sheet[0]!r}", book.rows(sheet), context)
            finally:
                book.strings.close()


def _column(reference: str) -> int:
    """The 0-based column index of a cell reference such as ``AB12``."""
    index = _column_of(reference.rstrip("0123456789"))
    if index < 0:
        raise ValueError(f"{reference!r} is not a cell reference")
    return index


@functools.lru_cache(maxsize=16384)
def _column_of(letters: str) -> int:
    """The 0-based index of a column's letters (``AB`` → 27), or -1 if they are none."""
    index = 0
    for char in letters.upper():
        if not "A" <= char <= "Z":
            return -1
        index = index * 26 + ord(char) - 64
    return index - 1


def _unescape(text: str) -> str:
    """Undo the ``_x000D_`` escapes Office writes for characters XML cannot hold."""
    if "_x" not in text:
        return text
    return _ESCAPED.sub(lambda found: chr(int(found[1], 16)), text)


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def is_date_format(code: str) -> bool:
    """Whether a number format code shows a date or time (``dd.mm.yyyy``, ``[$-402]d mmm``)."""
    if code.lower() == "general":
        return False
    shown = _NOT_CODE.sub("", code.split(";", 1)[0])
    return bool(_DATE_LETTERS.search(shown.replace("E+", "").replace("E-", "")))


class _Book:
    """The parts of a workbook: its sheets, shared strings and date styles."""

    def __init__(self, archive: zipfile.ZipFile, context: ReadContext) -> None:
        self._archive = archive
        self._context = context
        self._file = context.file
        workbook = self._document()
        parts = self._relations(workbook)
        root = self._parse(workbook)
        self.date1904 = False
        self.sheets: list[tuple[str, str, bool]] = []  # name, part, visible
        for element in root.iter():
            name = _local(element.tag)
            if name == "workbookPr":
                self.date1904 = element.get("date1904", "").lower() in ("1", "true")
            elif name == "sheet":
                target = next(
                    (v for k, v in element.attrib.items() if _local(k) == "id"),
                    None,
                )
                part = parts.get(target or "", ("", ""))[1]
                if part:
                    self.sheets.append(
                        (element.get("name", ""), part, element.get("state", "") == "")
                    )
        if not self.sheets:
            raise ReadError(
                "is a workbook without sheets",
                position=Position(file=self._file),
                expected="an .xlsx workbook with a sheet",
            )
        kinds = dict(parts.values())
        self.strings = self._strings(kinds.get("sharedStrings"))
        self.styles = self._number_styles(kinds.get("styles"))

    # -- parts ----------------------------------------------------------------------------

    def _fail(self, reason: str) -> ReadError:
        return ReadError(
            f"is not a readable workbook: {reason}",
            position=Position(file=self._file),
            expected="an .xlsx workbook",
        )

    def _open(self, part: str) -> IO[bytes]:
        try:
            return self._archive.open(part)
        except KeyError:
            raise self._fail(f"it has no part {part!r}") from None
        except DAMAGED as exc:
            raise self._fail(f"its part {part!r} cannot be opened ({exc})") from None

    def _parse(self, part: str) -> ElementTree.Element:
        """A small part read whole (the workbook, relationships); a large one is refused."""
        try:
            size = self._archive.getinfo(part).file_size
        except KeyError:
            size = 0
        if size > _PART_LIMIT:
            raise self._fail(
                f"its part {part!r} takes {size:,} bytes, more than such a part can need"
            )
        with self._open(part) as stream:
            try:
                return ElementTree.parse(stream).getroot()
            except (ElementTree.ParseError, *DAMAGED) as exc:
                raise self._fail(f"its part {part!r} is damaged ({exc})") from None

    def _document(self) -> str:
        """The workbook part, as the package's relationships name it."""
        names = set(self._archive.namelist())
        if "_rels/.rels" in names:
            for element in self._parse("_rels/.rels").iter(f"{_RELATIONSHIPS}Relationship"):
                if element.get("Type", "").rsplit("/", 1)[-1] == _DOCUMENT:
                    target = element.get("Target", "").lstrip("/")
                    if target in names:
                        return target
        if "xl/workbook.xml" in names:
            return "xl/workbook.xml"
        if "content.xml" in names:
            raise self._fail("it is an OpenDocument spreadsheet: read it with the ods format")
        raise self._fail("it is a zip archive without a workbook in it")

    def _relations(self, part: str) -> dict[str, tuple[str, str]]:
        """The relationships of ``part``: id → (kind, part name)."""
        folder, name = posixpath.split(part)
        rels = posixpath.join(folder, "_rels", f"{name}.rels")
        if rels not in self._archive.namelist():
            return {}
        found = {}
        for element in self._parse(rels).iter(f"{_RELATIONSHIPS}Relationship"):
            target = element.get("Target", "")
            if element.get("TargetMode") == "External" or not target:
                continue
            path = (
                target.lstrip("/")
                if target.startswith("/")
                else posixpath.normpath(posixpath.join(folder, target))
            )
            kind = element.get("Type", "").rsplit("/", 1)[-1]
            found[element.get("Id", "")] = (kind, path)
        return found

    def _strings(self, part: str | None) -> SharedStrings:
        """The shared strings: each item's text runs, without phonetic guides."""
        reader = _StringsReader(self._context.options["max_field"])
        if part is None:
            return reader.strings
        try:
            for _ in self._fed(part, reader):
                pass
        except (expat.ExpatError, *DAMAGED) as exc:
            raise self._fail(f"its shared strings are damaged ({exc})") from None
        return reader.strings

    def _number_styles(self, part: str | None) -> dict[int, int]:
        """Cell styles (by index) that show dates (``DATE_SHOWN``) or fixed decimals (how many).

        The style sheet is streamed; more than :data:`MAX_STYLES` number formats or cell
        styles is a damaged workbook (or a bomb), not one to hold.
        """
        if part is None:
            return {}
        reader = _StylesReader()
        try:
            for _ in self._fed(part, reader):
                if reader.too_many:
                    raise self._fail(
                        f"its style sheet has more than {MAX_STYLES:,} {reader.too_many}"
                    )
        except (expat.ExpatError, *DAMAGED) as exc:
            raise self._fail(f"its style sheet is damaged ({exc})") from None
        found: dict[int, int] = {}
        for index, fmt in enumerate(reader.styles):
            if fmt in reader.custom:
                code = reader.custom[fmt]
                shown = DATE_SHOWN if is_date_format(code) else decimal_places(code)
            else:
                shown = DATE_SHOWN if fmt in _DATE_FORMATS else _PLACES.get(fmt, 0)
            if shown:
                found[index] = shown
        return found

    def sheet(self, wanted: str | int | None) -> tuple[str, str]:
        """The name and part of the sheet the ``sheet`` option names (:func:`.choose_sheet`)."""
        shown = [(name, visible) for name, _, visible in self.sheets]
        name, part, _ = self.sheets[choose_sheet(shown, wanted, self._file)]
        return name, part

    # -- rows ----------------------------------------------------------------------------

    def rows(self, sheet: tuple[str, str]) -> Iterator[SheetRow]:
        """``(row number, cell texts, faults)`` for each row of the sheet, in order."""
        name, part = sheet
        reader = _SheetReader(
            self.strings, self.styles, self.date1904, self._context.options["max_field"]
        )
        try:
            for _ in self._fed(part, reader):
                yield from reader.ready
                reader.ready.clear()
        except (expat.ExpatError, *DAMAGED) as exc:
            yield from reader.ready  # the rows that ended before the damage
            raise ReadError(
                f"has a damaged sheet {name!r}; the rows before the damage were read ({exc})",
                position=Position(file=self._file, line=reader.finished or None),
                expected="an .xlsx workbook",
            ) from None

    def _fed(self, part: str, reader: _SheetReader | _StylesReader) -> Iterator[None]:
        """Feed ``part`` to ``reader`` a chunk at a time, pausing after each chunk."""
        guard = TagGuard(self._context.options["max_field"])
        with self._open(part) as stream:
            while True:
                chunk = stream.read(_CHUNK)
                guard.check(chunk)
                reader.feed(chunk)
                yield None
                if not chunk:
                    return


class _SheetReader:
    """Turns a sheet's XML, fed a chunk at a time, into rows of cell texts (``ready``).

    An expat parser calls back for each element; only rows, cells, values and the text
    runs of inline strings are looked at, and a row is handed out as soon as it ends.
    """

    def __init__(
        self, strings: SharedStrings, styles: dict[int, int], date1904: bool, limit: int
    ) -> None:
        self.ready: list[SheetRow] = []
        self._limit = limit  # the longest text a cell may have (max_field)
        self._size = 0  # the characters of the value or text runs collected so far
        self._level = 0  # how deeply the elements open now nest
        self.finished = 0  # the number of the last row that ended
        self._strings = strings
        self._styles = styles
        self._date1904 = date1904
        self._parser = expat.ParserCreate(namespace_separator=" ")
        self._parser.buffer_text = True
        self._parser.StartElementHandler = self._root
        self._prefix = ""  # the part's namespace, as expat writes it before a tag
        self._row_tag = self._cell_tag = self._value_tag = self._text_tag = ""
        self._formula_tag = self._phonetic_tag = ""
        self._number = 0  # the current row's number
        self._cells: list[str] = []
        self._faults: list[Fault] = []
        self._column = -1
        self._kind = "n"  # the current cell's type, style and text
        self._style = 0
        self._text: list[str] | None = None  # collecting a value or text run
        self._parts: list[str] = []
        self._formula: str | None = None
        self._phonetic = 0  # inside a phonetic guide, whose text is not the cell's

    def feed(self, chunk: bytes) -> None:
        """Parse ``chunk`` (``b""`` at the end); finished rows go to ``ready``."""
        self._parser.Parse(chunk, not chunk)

    def _root(self, tag: str, attributes: dict[str, str]) -> None:
        ns = tag.rpartition(" ")[0]
        prefix = self._prefix = f"{ns} " if ns else ""
        self._row_tag, self._cell_tag = f"{prefix}row", f"{prefix}c"
        self._value_tag, self._text_tag = f"{prefix}v", f"{prefix}t"
        self._formula_tag, self._phonetic_tag = f"{prefix}f", f"{prefix}rPh"
        parser = self._parser
        parser.StartElementHandler = self._start
        parser.EndElementHandler = self._end
        parser.CharacterDataHandler = self._data

    def _start(self, tag: str, attributes: dict[str, str]) -> None:
        self._level += 1
        if self._level > MAX_DEPTH:
            raise ValueError(too_deep())
        if tag == self._cell_tag:
            reference = attributes.get("r")
            self._column = _column(reference) if reference else self._column + 1
            self._kind = attributes.get("t", "n")
            style = attributes.get("s")
            self._style = int(style) if style and style.isdigit() else 0
            self._parts = []
            self._size = 0
            self._formula = None
        elif tag == self._value_tag or (tag == self._text_tag and not self._phonetic):
            self._text = self._parts
        elif tag == self._row_tag:
            given = attributes.get("r")
            self._number = int(given) if given and given.isdigit() else self._number + 1
            self._cells = []
            self._faults = []
            self._column = -1
        elif tag == self._formula_tag:
            self._formula = ""
            self._text = None
        elif tag == self._phonetic_tag:
            self._phonetic += 1

    def _data(self, text: str) -> None:
        if self._text is not None:
            self._size += len(text)
            if self._size <= self._limit:  # past it, the cell is a fault: not held
                self._text.append(text)
        elif self._formula is not None and len(self._formula) <= self._limit:
            self._formula += text

    def _end(self, tag: str) -> None:
        self._level -= 1
        if tag == self._cell_tag:
            self._cell()
        elif tag == self._value_tag or tag == self._text_tag:
            self._text = None
        elif tag == self._row_tag:
            self.ready.append((self._number, self._cells, self._faults))
            self.finished = self._number
        elif tag == self._phonetic_tag:
            self._phonetic -= 1

    def _cell(self) -> None:
        """The cell that just ended, as text, in its column."""
        column, kind = self._column, self._kind
        text = "".join(self._parts)
        if self._size > self._limit:
            shown = self._too_long(self._size)
        elif kind == "s":
            index = int(text) if text.isdigit() else -1
            if 0 <= index < len(self._strings):
                string = self._strings[index]
                shown = self._too_long(self._strings.size(index)) if string is None else string
            else:
                shown = self._fault(f"points to no shared string ({text!r})", text, "a string")
        elif kind in ("inlineStr", "str", "e"):
            shown = _unescape(text)
        elif kind == "b":
            shown = "TRUE" if text == "1" else "FALSE"
        elif not text:
            shown = ""
            if self._formula is not None:  # a shared formula's cells hold no formula text
                shown = self._fault(
                    "holds a formula with no computed value: open and save the workbook "
                    "in a spreadsheet program to compute it",
                    f"={self._formula}",
                    "a value",
                )
        elif kind == "d":
            shown = text.removesuffix("Z").removesuffix("T00:00:00")
        else:
            try:
                shown = number_text(text, self._styles.get(self._style, 0), self._date1904)
            except ValueError as exc:
                shown = self._fault(f"holds {text!r}: {exc}", text, "a number")
        if column >= MAX_COLUMNS:  # held, the row would take memory for every column before it
            if shown:
                self._fault(
                    f"is past the sheet's last column {column_letters(MAX_COLUMNS - 1)}",
                    shown,
                    f"a cell within {MAX_COLUMNS:,} columns",
                )
            return
        cells = self._cells
        if column >= len(cells):
            if column == len(cells):
                cells.append(shown)
                return
            cells.extend([""] * (column - len(cells) + 1))
        cells[column] = shown

    def _fault(self, said: str, value: str, expected: str) -> str:
        where = f"{column_letters(self._column)}{self._number}"
        self._faults.append((f"cell {where} {said}", self._column, value, expected))
        return ""

    def _too_long(self, size: int) -> str:
        said, expected = too_long(size, self._limit)
        return self._fault(said, "", expected)


class SharedStrings:
    """A workbook's shared strings: in memory, or past a size in a temporary file.

    A string longer than the ``max_field`` limit is not kept: ``strings[i]`` is then
    ``None``, and :meth:`size` says how long it was.
    """

    def __init__(self, limit: int) -> None:
        self._limit = limit
        self._memory: list[str | None] = []
        self._held = 0  # characters held in memory
        self._file: IO[bytes] | None = None
        self._offsets: array.array[int] = array.array("Q", [0])
        self._long: dict[int, int] = {}  # index → length, for strings past the limit

    def append(self, text: str, size: int) -> None:
        """Add the next string (``size`` characters; past the limit it is not kept)."""
        if size > self._limit:
            self._long[len(self)] = size
            text = ""
        if self._file is None:
            self._memory.append(None if size > self._limit else text)
            self._held += len(text)
            if self._held > _STRINGS_IN_MEMORY:
                self._spill()
            return
        self._file.write(text.encode("utf-8"))
        self._offsets.append(self._file.tell())

    def _spill(self) -> None:
        self._file = tempfile.TemporaryFile()  # noqa: SIM115 (closed by close())
        for text in self._memory:
            self._file.write((text or "").encode("utf-8"))
            self._offsets.append(self._file.tell())
        self._memory = []

    def __len__(self) -> int:
        return len(self._memory) if self._file is None else len(self._offsets) - 1

    def __getitem__(self, index: int) -> str | None:
        if index in self._long:
            return None
        if self._file is None:
            return self._memory[index]
        start, end = self._offsets[index], self._offsets[index + 1]
        self._file.seek(start)
        return self._file.read(end - start).decode("utf-8")

    def size(self, index: int) -> int:
        """How many characters string ``index`` has (for one past the limit)."""
        found = self[index]
        return self._long.get(index, len(found or ""))

    def close(self) -> None:
        """Remove the temporary file, if there is one."""
        if self._file is not None:
            self._file.close()


class _StringsReader(_SheetReader):
    """Reads the shared strings table (``strings``) with the sheet's rules for text runs.

    An item (``si``) is read as an inline string is: its ``t`` runs, joined, without
    phonetic guides; one past ``limit`` characters is not kept.
    """

    def __init__(self, limit: int) -> None:
        self.strings = SharedStrings(limit)
        super().__init__(self.strings, {}, date1904=False, limit=limit)

    def _start(self, tag: str, attributes: dict[str, str]) -> None:
        if tag == f"{self._prefix}si":
            self._level += 1
            self._parts = []
            self._size = 0
        else:
            super()._start(tag, attributes)

    def _end(self, tag: str) -> None:
        if tag == f"{self._prefix}si":
            self._level -= 1
            self.strings.append(_unescape("".join(self._parts)), self._size)
        else:
            super()._end(tag)


class _StylesReader:
    """Streams a style sheet for what number cells need: number formats and cell styles.

    ``custom`` maps a custom format's id to its code, ``styles`` each cell style to its
    format's id; ``too_many`` names what passed :data:`MAX_STYLES`, if anything did.
    """

    def __init__(self) -> None:
        self.custom: dict[int, str] = {}
        self.styles: array.array[int] = array.array("l")
        self.too_many = ""
        self._in_cell_styles = 0
        self._level = 0
        self._parser = expat.ParserCreate(namespace_separator=" ")
        self._parser.StartElementHandler = self._start
        self._parser.EndElementHandler = self._end

    def feed(self, chunk: bytes) -> None:
        """Parse ``chunk`` (``b""`` at the end)."""
        self._parser.Parse(chunk, not chunk)

    def _start(self, tag: str, attributes: dict[str, str]) -> None:
        self._level += 1
        if self._level > MAX_DEPTH:
            raise ValueError(too_deep())
        name = tag.rpartition(" ")[2]
        if name == "numFmt":
            with_id = attributes.get("numFmtId", "")
            if with_id.isdigit() and len(self.custom) < MAX_STYLES:
                self.custom[int(with_id)] = attributes.get("formatCode", "")[:256]
            elif with_id.isdigit():
                self.too_many = "number formats"
        elif name == "cellXfs":
            self._in_cell_styles += 1
        elif name == "xf" and self._in_cell_styles:
            if len(self.styles) >= MAX_STYLES:
                self.too_many = "cell styles"
                return
            with_id = attributes.get("numFmtId", "0")
            self.styles.append(int(with_id) if with_id.isdigit() and len(with_id) < 10 else 0)

    def _end(self, tag: str) -> None:
        self._level -= 1
        if tag.rpartition(" ")[2] == "cellXfs":
            self._in_cell_styles -= 1


def decimal_places(code: str) -> int:
    """How many decimals a number format code always shows (``#,##0.00`` → 2).

    0 for codes that show no fixed decimals, percentages and scientific notation (their
    digits are not the value's) and text.
    """
    shown = _NOT_CODE.sub("", code.split(";", 1)[0])
    if "%" in shown or "E" in shown.upper() or "@" in shown:
        return 0
    found = _FRACTION.search(shown)
    return found[1].count("0") if found else 0

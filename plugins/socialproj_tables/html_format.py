"""The ``html`` format: one table of a web page, read a row at a time like a sheet.

Registers and public portals publish project lists as HTML tables, and many offer an
"export to Excel" that is the same table saved under the name ``.xls`` (Bulgaria's UMIS
did; so do many ASP.NET applications). This module streams such a page through the
standard library's HTML parser (memory holds one row) and hands the rows of one table to
the sheet handling of the xlsx and ods formats (:func:`socialproj_tables.sheets.read_sheet`),
so headers, mappings, presets, number styles and options work alike.

A cell's text is what a browser shows: runs of white space are one space, ``<br>`` and
block elements (``<p>``, ``<div>``, ``<li>``) start a new line, character references are
decoded, scripts and styles are left out. A cell spanning columns or rows
(``colspan``/``rowspan``) is read as a merged spreadsheet cell: its text is in its first
column and first row, the cells it covers are empty. Rows are numbered within their
table, from 1, as a sheet's are: the ``header`` option and the lines of reported places
count them that way (a message about the page itself names its line in the page).
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import IO, Final

from socialproj import Option, Position, Project, ReadContext, ReadError, Sample

from .sheets import MAX_COLUMNS, Fault, SheetRow, column_letters, read_sheet, sheet_options

__all__ = ["OPTIONS", "html_options", "read_html", "sniff_html"]

_CHUNK: Final = 256 * 1024
#: the most columns and rows one cell may span (the HTML standard's limits)
MAX_COLSPAN: Final = 1_000
MAX_ROWSPAN: Final = 65_534
#: the most tables may nest: past it a page is damage or a bomb, not data (and a row
#: goes no further than a sheet's MAX_COLUMNS)
MAX_NESTING: Final = 64
# what the HTML standard decodes these declared encodings as
_WINDOWS_1252: Final = frozenset(("latin-1", "iso8859-1", "ascii", "cp1252"))
_CHARSET: Final = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_PAGE: Final = re.compile(rb"<(?:!doctype\s+html|html|head|body|table|meta)[\s>/]", re.I)
_SPACES: Final = re.compile(r"[ \t\n\r\f]+")  # HTML's white space
_TRIMMED: Final = " \u00a0"  # at a cell's ends (white space runs are one space by then)
_BREAK: Final = "\x00"  # a line break in a cell's text (no page holds a NUL: see _rows)
_LINE_BREAKS: Final = frozenset(("br", "p", "div", "li", "dt", "dd", "h1", "h2", "h3", "h4"))
_SKIPPED: Final = frozenset(("script", "style", "template"))


def _table_option(value: object) -> int | None:
    if value is None or value == "" or value == "auto":
        return None
    text = str(value).strip()
    if not text.isdigit() or int(text) < 1:
        raise ValueError(f"the table is a number (1 is the page's first) or 'auto', not {value!r}")
    return int(text)


#: the option only web pages have
OPTIONS: Final = (
    Option(
        "table",
        "the table to read, by number in the page (1 is the first; default: the first "
        "with a row of two or more cells filled)",
        _table_option,
        applies="read",
    ),
)


def html_options(csv_options: tuple[Option, ...]) -> tuple[Option, ...]:
    """The html format's options: the xlsx format's but ``sheet``, and ``table``."""
    return (*(o for o in sheet_options(csv_options) if o.name != "sheet"), *OPTIONS)


def sniff_html(sample: Sample) -> bool:
    """A web page: markup (not XML of another kind) naming an HTML element early."""
    head = sample.head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not head.startswith(b"<") or head.startswith(b"<?xml"):
        return False
    return _PAGE.search(head[:4096]) is not None


def read_html(stream: IO[bytes], context: ReadContext) -> Iterator[Project]:
    """Yield one project per row of a table after its header."""
    wanted = context.options["table"]
    parser = _Tables(wanted, context.options["max_field"])
    rows = _rows(stream, context.decoder(_declared(context)), parser, context)
    yield from read_sheet(f"table {wanted}" if wanted else "the page's table", rows, context)


def _declared(context: ReadContext) -> str | None:
    """The encoding the page declares in a ``<meta>`` (unless given, or a BOM says one)."""
    head = context.head
    if context.encoding or head.startswith(
        (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
    ):
        return None  # the context's text encoding decides
    declared = _CHARSET.search(head[:4096])
    if declared is not None:
        name = declared[1].decode("ascii")
        try:
            found = codecs.lookup(name).name
        except LookupError:
            pass  # a name no codec has: the guess decides
        else:
            return "cp1252" if found in _WINDOWS_1252 else found
    return None


def _rows(
    stream: IO[bytes], decoder: codecs.IncrementalDecoder, parser: _Tables, context: ReadContext
) -> Iterator[SheetRow]:
    """The chosen table's rows, as the page is read in chunks."""
    ready = parser.ready
    first = True
    lines = 1  # the line the next chunk starts on
    while True:
        chunk = stream.read(_CHUNK)
        text = decoder.decode(chunk, final=not chunk)
        if first:
            text, first = text.lstrip("\ufeff"), False
        if "\x00" in text:
            line = lines + text.count("\n", 0, text.index("\x00"))
            raise ReadError(
                f"holds a NUL byte on line {line} of the page, which no web page has (a "
                "damaged or binary file?)",
                position=Position(file=context.file),
                expected="an HTML page",
            )
        lines += text.count("\n")
        try:
            parser.feed(text)
            if not chunk:
                parser.close()
        except AssertionError as exc:  # the standard library's parser giving up on markup
            raise ReadError(
                f"is not a readable web page: {exc} (line {parser.getpos()[0]} of the page)",
                position=Position(file=context.file),
                expected="an HTML page",
            ) from None
        yield from ready
        ready.clear()
        if not chunk:
            break
    if not parser.tables_seen:
        raise ReadError(
            "has no table: a web page's projects are read from a <table>",
            position=Position(file=context.file),
            expected="an HTML page with a table",
        )
    if parser.wanted is not None and parser.wanted > parser.tables_seen:
        raise ReadError(
            f"has no table {parser.wanted}: the page has {parser.tables_seen}",
            position=Position(file=context.file),
            expected=f"a table number from 1 to {parser.tables_seen} (table option)",
        )
    if parser.chosen is None and parser.wanted is None:
        raise ReadError(
            f"has no table with a row of two or more cells filled (of its "
            f"{parser.tables_seen} table(s))",
            position=Position(file=context.file),
            expected="a table with a header row (or choose one with the table option)",
        )


class _Table:
    """A table being read: its number, its rows so far, the open row and cell."""

    __slots__ = (
        "cell",
        "cell_line",
        "cell_size",
        "covered",
        "faults",
        "number",
        "row",
        "rows",
        "span",
        "starting",
    )

    def __init__(self, number: int) -> None:
        self.number = number
        self.rows = 0  # rows ended so far
        self.row: list[str] | None = None
        self.cell: list[str] | None = None  # the open cell's pieces of text
        self.cell_size = 0  # its characters, the ones not kept included
        self.cell_line = 0  # the page line it starts on
        self.span = (1, 1)  # the columns and rows it spans
        self.faults: list[Fault] = []
        # column -> rows still to cover, for cells of the rows above spanning this one
        self.covered: dict[int, int] = {}
        self.starting: dict[int, int] = {}  # the same, for cells of this row


class _Tables(HTMLParser):
    """Collects the rows of one table of a page, as :data:`SheetRow` tuples in ``ready``."""

    def __init__(self, wanted: int | None, limit: int) -> None:
        super().__init__(convert_charrefs=True)
        self.wanted = wanted
        self.limit = limit
        self.ready: list[SheetRow] = []
        self.open: list[_Table] = []  # the tables open, innermost last
        self.tables_seen = 0
        self.chosen: int | None = wanted
        self.skipping = 0  # inside a script or style
        self.too_deep = 0  # tables open inside the deepest one kept

    def parse_marked_section(self, i: int, report: bool = True) -> int:
        """``<![CDATA[…]]>`` and Office's ``<![if …]>``; any other ``<![`` is a bogus comment.

        The standard library raises ``AssertionError`` for the others; browsers, and
        the HTML standard, skip them to the next ``>``.
        """
        try:
            return super().parse_marked_section(i, report)
        except AssertionError:
            end = self.rawdata.find(">", i + 3)
            return -1 if end < 0 else end + 1

    # -- tags ----------------------------------------------------------------------------

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED:
            self.skipping += 1
            return
        if tag == "table":
            if len(self.open) >= MAX_NESTING:
                self.too_deep += 1  # its rows and cells count as the deepest kept table's
                return
            self.tables_seen += 1
            self.open.append(_Table(self.tables_seen))
            return
        if not self.open:
            return
        table = self.open[-1]
        if tag == "tr":
            self._end_row(table)
            table.row = []
        elif tag in ("td", "th"):
            self._end_cell(table)
            if table.row is None:
                table.row = []  # a cell outside a row: browsers open one
            table.cell = []
            table.cell_size = 0
            table.cell_line = self.getpos()[0]
            table.span = (
                _span(attrs, "colspan", MAX_COLSPAN),
                _span(attrs, "rowspan", MAX_ROWSPAN),
            )
        elif tag in _LINE_BREAKS and table.cell is not None:
            table.cell.append(_BREAK)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)  # <br/>, <td/>
        self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            self.skipping = max(0, self.skipping - 1)
            return
        if not self.open:
            return
        table = self.open[-1]
        if tag in ("td", "th"):
            self._end_cell(table)
        elif tag == "tr":
            self._end_row(table)
        elif tag == "table":
            if self.too_deep:
                self.too_deep -= 1
                return
            self._end_row(table)
            self.open.pop()
            if self.open and self.open[-1].cell is not None:
                self.open[-1].cell.append(_BREAK)  # after a table inside a cell
        elif tag in _LINE_BREAKS and table.cell is not None:
            table.cell.append(_BREAK)

    def handle_data(self, data: str) -> None:
        if self.skipping or not self.open:
            return
        table = self.open[-1]
        if table.cell is not None:
            table.cell_size += len(data)
            if table.cell_size <= self.limit:
                table.cell.append(data)

    def close(self) -> None:
        super().close()
        while self.open:  # a page cut short: the rows read so far count
            self._end_row(self.open[-1])
            self.open.pop()

    # -- rows ----------------------------------------------------------------------------

    def _end_cell(self, table: _Table) -> None:
        pieces, row = table.cell, table.row
        if pieces is None or row is None:
            return
        table.cell = None
        covered = table.covered
        while len(row) in covered:  # columns a cell of a row above spans
            row.append("")
        column = len(row)
        text = _shown("".join(pieces))
        if table.cell_size > self.limit:
            table.faults.append(
                (
                    f"{_cell(column, table)} holds {table.cell_size:,} characters, more than "
                    f"the limit of {self.limit:,}",
                    column,
                    None,
                    "a shorter cell (max_field option)",
                )
            )
            text = ""
        elif ReadContext.NOT_TEXT in text:
            table.faults.append(
                (
                    f"{_cell(column, table)} (line {table.cell_line} of the page) holds "
                    "bytes that are not text in the page's encoding",
                    column,
                    text.replace(ReadContext.NOT_TEXT, "\ufffd"),
                    "text in the page's encoding (set the encoding option)",
                )
            )
            text = ""
        columns, rows = table.span
        if column + columns > MAX_COLUMNS:
            if column < MAX_COLUMNS:  # said once a row
                table.faults.append(
                    (
                        f"row {table.rows + 1} goes on past {MAX_COLUMNS:,} columns",
                        MAX_COLUMNS,
                        None,
                        f"at most {MAX_COLUMNS:,} columns",
                    )
                )
                row.extend([""] * (MAX_COLUMNS - column))
            return
        row.append(text)
        row.extend([""] * (columns - 1))
        if rows > 1:
            for spanned in range(column, column + columns):
                table.starting[spanned] = rows - 1
        if text and len(self.open) > 1:  # ``table`` is the innermost
            outer = self.open[-2]
            if outer.cell is not None:  # a table inside a cell: its text is the cell's too
                outer.cell.append(f" {text} ")
                outer.cell_size += len(text) + 2

    def _end_row(self, table: _Table) -> None:
        self._end_cell(table)
        row = table.row
        if row is None:
            return
        table.row = None
        table.rows += 1
        covered = table.covered
        for column in list(covered):
            if covered[column] > 1:
                covered[column] -= 1
            else:
                del covered[column]
        covered.update(table.starting)
        table.starting = {}
        faults, table.faults = table.faults, []
        if self.chosen is None and sum(1 for cell in row if cell) >= 2:
            self.chosen = table.number
        if table.number == self.chosen:
            self.ready.append((table.rows, row, faults))


def _cell(column: int, table: _Table) -> str:
    """A cell's reference in its table, as a spreadsheet writes it: ``cell C7``."""
    return f"cell {column_letters(column)}{table.rows + 1}"


def _span(attrs: list[tuple[str, str | None]], name: str, most: int) -> int:
    """A cell's ``colspan`` or ``rowspan``: 1 unless it is a number from 2 to ``most``."""
    for key, value in attrs:
        if key == name and value:
            digits = value.strip()
            if digits.isdigit():
                return max(1, min(int(digits), most))
    return 1


def _shown(text: str) -> str:
    """A cell's text as a browser shows it: runs of HTML white space are one space.

    Lines (from ``<br>`` and block elements) are kept, empty ones dropped; a no-break
    space inside the text stays (``1&nbsp;234,56``), at the ends it is trimmed.
    """
    if _BREAK not in text:
        return _SPACES.sub(" ", text).strip(_TRIMMED)
    lines = (_SPACES.sub(" ", line).strip(_TRIMMED) for line in text.split(_BREAK))
    return "\n".join(line for line in lines if line)

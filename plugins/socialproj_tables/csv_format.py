"""The ``csv`` format: one project per row, lossless for canonical columns.

Reading:

- canonical CSV (columns named by canonical paths, see :mod:`socialproj_tables.columns`),
  with ``,`` ``;`` tab or ``|`` separators (detected from the header), UTF-8 with or
  without BOM or cp1251, amounts with a decimal point or (stated or sniffed) comma;
- any other spreadsheet export through a column mapping (:mod:`socialproj.mapping`),
  with presets for Kohesio and ISUN exports, which are also recognised by their headers.

Writing: UTF-8 with a header, canonical columns in a fixed order, lists in numbered
columns. Cells that a spreadsheet would run as a formula (starting with ``=``, ``+``,
``-``, ``@``, tab or carriage return, and not a plain number) are written with a
leading apostrophe, which reading removes again (``formulas="keep"`` turns both off).

A record spools to a temporary file before the header is written (the header depends on
the widest record), so memory stays flat however many records are written.
"""

from __future__ import annotations

import contextlib
import csv
import functools
import io
import itertools
import marshal
import re
import sys
import tempfile
from collections.abc import Iterable, Iterator
from typing import IO, Any, Final

from socialproj import (
    MAX_LINE_OPTION,
    Option,
    Position,
    Project,
    ReadContext,
    ReadError,
    Sample,
    WriteContext,
    parse_bool,
    parse_size,
)
from socialproj.mapping import MAPPING_OPTIONS

from .arrow_csv import parse_csv
from .columns import Columns, flatten, header_name, is_canonical
from .rows import Row, check_header, preset_for, read_rows

__all__ = ["OPTIONS", "read_csv", "read_csv_batches", "sniff_csv", "write_csv"]

_DELIMITERS: Final = {",": ",", ";": ";", "tab": "\t", "\t": "\t", "|": "|", "\\t": "\t"}
_RISKY: Final = frozenset("=+-@\t\r")
# a cell that may need escaping starts with one of these (after a separator of our own)
_MAY_ESCAPE: Final = re.compile("\x00[-=+@\t\r']")
_SPOOL_IN_MEMORY: Final = 16 * 1024 * 1024
# what a CSV file cannot carry: control characters the readers take for binary data
# (tab, line breaks and form feed aside) and lone surrogates, which UTF-8 cannot encode
_NOT_TEXT: Final = re.compile("[\x00-\x08\x0b\x0e-\x1f\ud800-\udfff]")
_HARD_FIELD_LIMIT: Final = 128 * 1024 * 1024


def _delimiter(value: object) -> str | None:
    if value is None or value == "" or value == "auto":
        return None
    text = str(value)
    if text not in _DELIMITERS:
        raise ValueError(f"{value!r} is not a separator this format reads (',', ';', 'tab', '|')")
    return _DELIMITERS[text]


OPTIONS: Final = (
    Option(
        "delimiter",
        "field separator: ',', ';', 'tab', '|' (reading detects it from the header)",
        _delimiter,
    ),
    *MAPPING_OPTIONS,
    Option(
        "quoting",
        "'csv': a cell may be quoted (\"a;b\"), quotes inside doubled; 'none': every quote "
        "is text, as in tab-separated files that do not quote",
        str,
        "csv",
        ("csv", "none"),
        applies="read",
    ),
    Option(
        "totals",
        "a mapped list's total and subtotal rows (TOTAL, Общо, Ukupno …): 'skip' them, "
        "with a note, or 'keep' them as records",
        str,
        "skip",
        ("skip", "keep"),
        applies="read",
    ),
    Option(
        "formulas",
        "'escape' cells a spreadsheet would run as formulas (writing) and undo "
        "it (reading), or 'keep' them as they are",
        str,
        "escape",
        ("escape", "keep"),
    ),
    Option(
        "max_field",
        "longest cell, in characters: a longer one is reported (reading) or its record "
        "refused (writing), so that what is written can be read",
        parse_size,
        1_000_000,
    ),
    MAX_LINE_OPTION,
    Option(
        "bom",
        "start the file with a UTF-8 byte order mark, for Excel",
        parse_bool,
        False,
        applies="write",
    ),
)


# -- dialect ----------------------------------------------------------------------------------


def detect_delimiter(line: str) -> str:
    """The separator of a header line: the most frequent of , ; tab | outside quotes."""
    counts = dict.fromkeys(",;\t|", 0)
    quoted = False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    ranked = sorted(counts.items(), key=lambda kv: -kv[1])
    (best, first), (second_char, second) = ranked[0], ranked[1]
    if first == 0:
        return ","
    if first == second:
        raise ValueError(
            f"the header holds as many {best!r} as {second_char!r}; say which separates "
            f"columns (delimiter option)"
        )
    return best


def escape_formula(value: str) -> str:
    """A cell made safe to open in a spreadsheet; reading with ``formulas="escape"`` undoes it."""
    if not value:
        return value
    first = value[0]
    if first == "'":
        return "'" + value
    if first in _RISKY and not _plain_number(value):
        return "'" + value
    return value


def _plain_number(value: str) -> bool:
    body = value[1:] if value[0] in "+-" else value
    whole, _, frac = body.partition(".")
    return bool(whole) and whole.isdigit() and (not frac or frac.isdigit())


def unescape_formula(value: str) -> str:
    """Undo :func:`escape_formula`."""
    if value[:1] == "'" and len(value) > 1 and (value[1] in _RISKY or value[1] == "'"):
        return value[1:]
    return value


# -- reading ----------------------------------------------------------------------------------


class _Lines:
    """Feeds decoded lines to ``csv.reader``, remembering where each record starts.

    It also follows the quotes: a quoted cell running over lines past ``limit``
    characters is not handed to the csv module (which would hold it all, then read its
    rest as rows of their own); its lines are passed over up to the one closing it,
    and the record is marked (:attr:`overflow`) to be reported once.
    """

    def __init__(self, lines: Iterator[tuple[int, str]], limit: int) -> None:
        self._lines = lines
        self._limit = limit
        self.last = 0
        self.start()

    def start(self) -> None:
        """A record begins with the next line."""
        self.quote = False  # a "'" was seen in the current record's lines
        self.size = 0  # characters in the current record's lines: no cell is longer
        self._quotes = 0  # '"' in the record's lines: odd while a quoted cell is open
        self._open = 0  # characters read into a quoted cell left open by an earlier line
        #: where a quoted cell too long to read was found and the line closing it, if
        #: the record has one
        self.overflow: tuple[int, int] | None = None

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        number, text = next(self._lines)
        self.last = number
        if "'" in text:
            self.quote = True
        self.size += len(text)
        if self._quotes & 1:  # inside a quoted cell an earlier line opened
            self._open += len(text)
            if self._open > self._limit:
                return self._pass_cell(number)
        self._quotes += text.count('"')
        return text

    def _pass_cell(self, first: int) -> str:
        """Pass over the rest of a quoted cell too long to read; end the record."""
        text = ""
        while True:
            self._quotes += text.count('"')
            if not self._quotes & 1:
                break
            try:
                self.last, text = next(self._lines)
            except StopIteration:
                break
        self.overflow = (first, self.last)
        return '"\n'  # close the csv module's open cell: the record it ends is reported


def read_csv(stream: IO[bytes], context: ReadContext) -> Iterator[Project]:
    """Yield one project per data row."""
    return _read_csv(stream, context, None)


def read_csv_batches(stream: IO[bytes], context: ReadContext, batch_size: int) -> Iterator[Any]:
    """Yield the records of :func:`read_csv` as Arrow record batches, read column by column."""
    return _read_csv(stream, context, batch_size)


def _read_csv(stream: IO[bytes], context: ReadContext, batch_size: int | None) -> Iterator[Any]:
    options = context.options
    limit = options["max_field"]
    # the csv module's own limit is process-wide: raise it (never lower it) well above ours,
    # so that a long cell is reported by this reader, with its column
    hard_limit = min(sys.maxsize, max(limit * 64, _HARD_FIELD_LIMIT))
    if csv.field_size_limit() < hard_limit:
        csv.field_size_limit(hard_limit)
    first_line = context.head.split(b"\n", 1)[0].decode("utf-8", "ignore").lstrip("\ufeff")
    try:
        delimiter = options["delimiter"] or detect_delimiter(first_line)
    except ValueError as exc:
        raise ReadError(str(exc), position=Position(file=context.file, line=1)) from None
    start = stream.tell() if stream.seekable() else None

    def open_rows() -> tuple[Any, _Lines]:
        # a quoted cell of many lines is handed to the csv module up to four times
        # max_field (so that one somewhat longer is reported with its column and size);
        # past it, its lines are passed over: memory stays bounded however long the cell
        feed = _Lines(context.lines(stream), 4 * limit)
        # strict: text after a closing quote ('"x"y') is an error, not silently 'xy'
        if options["quoting"] == "none":  # tab-separated values as IANA has them: no quoting
            return csv.reader(feed, delimiter=delimiter, quoting=csv.QUOTE_NONE), feed
        return csv.reader(feed, delimiter=delimiter, strict=True), feed

    reader, feed = open_rows()
    raw = _next_row(reader, feed, context)
    if raw is None:
        raise ReadError(
            "is empty: there is no header row",
            position=Position(file=context.file),
            expected="a header naming the columns",
        )
    header = [header_name(cell) for cell in raw]
    _check_header(header, delimiter, context)
    escape = options["formulas"] == "escape"

    def again() -> Iterator[Row]:
        """The data rows from the start of the file once more."""
        assert start is not None
        stream.seek(start)
        reader, feed = open_rows()
        _next_row(reader, feed, context)  # the header, read before
        return _rows(reader, feed, context)

    parsed = None
    if batch_size is not None and start is not None and _parsable(context, options):
        parsed = functools.partial(parse_csv, stream, start, raw, delimiter, batch_size)
    yield from read_rows(
        header,
        _rows(reader, feed, context),
        context,
        wrong_width=functools.partial(_cell_count, delimiter=delimiter),
        unescape=unescape_formula if escape else None,
        batch_size=batch_size,
        parsed=parsed,
        again=again if parsed is not None else None,
    )


def _parsable(context: ReadContext, options: dict[str, Any]) -> bool:
    """Whether pyarrow's CSV parser reads the file as the csv module does (else do not try)."""
    encoding = context.text_encoding.replace("_", "-").lower()
    return (
        encoding in ("utf-8", "utf-8-sig", "utf8", "ascii", "us-ascii")
        and options["quoting"] != "none"
        and not (b"\r" in context.head and b"\n" not in context.head)  # an old Mac file
    )


def _cell_count(row: Row, width: int, *, delimiter: str) -> str:
    """What a row with the wrong number of cells says, with the likeliest cause."""
    cells, line, _, _, last = row
    said = f"has {len(cells)} cells, the header {width}"
    if last > line and len(cells) < width:  # one cell took in line breaks, and more
        return (
            f"{said}: a quoted cell runs from line {line} to line {last}; is a '\"' never closed?"
        )
    return f"{said} (a wrong separator, or an unquoted {delimiter!r} in a cell?)"


def _next_row(reader: Any, feed: _Lines, context: ReadContext) -> list[str] | None:
    """The next record's cells; a record that is not CSV, or too long, is reported and passed."""
    while True:
        start = feed.last + 1
        feed.start()
        try:
            cells: list[str] = next(reader)
        except StopIteration:
            return None
        except csv.Error as exc:
            said = _not_csv(str(exc), start, feed.last)
            if reader.dialect.delimiter == "\t":
                said += "; in a tab-separated file whose quotes are text, -o quoting=none reads it"
            context.problem(said, line=start, expected="CSV text")
            continue
        if feed.overflow is not None:
            last = feed.overflow[1]
            limit = context.options["max_field"]
            context.problem(
                f"has a quoted cell running to line {last}, far longer than {limit:,} characters",
                line=start,
                expected="a shorter cell (max_field option), or a closing quote where it ends",
            )
            continue
        return cells


def _not_csv(reason: str, line: int, last: int) -> str:
    """What a csv module error about the record from ``line`` to ``last`` means, said plainly."""
    if "field larger than field limit" in reason:
        return "holds a cell longer than the csv module reads at all"
    if "expected after '\"'" in reason:
        return (
            "has text after a closing quote, as in '\"x\"y' (quote the whole cell and "
            'double the quotes inside it: \'"""x""y"\')'
        )
    if "unexpected end of data" in reason:
        return (
            f"has a quoted cell from line {line} that is never closed: it runs to the end "
            f"of the file (line {last}); is a '\"' never closed?"
        )
    return f"is not valid CSV: {reason}"


def _rows(reader: Any, feed: _Lines, context: ReadContext) -> Iterator[Row]:
    while True:
        start = feed.last + 1
        cells = _next_row(reader, feed, context)
        if cells is None:
            return
        yield cells, start, feed.quote, feed.size, feed.last


def _check_header(header: list[str], delimiter: str, context: ReadContext) -> None:
    if len(header) == 1:
        for other in ",;\t|":
            if other != delimiter and other in header[0]:
                raise ReadError(
                    f"has a one-column header holding {other!r}: is the file "
                    f"{'tab' if other == chr(9) else repr(other)}-separated? (delimiter option)",
                    position=Position(file=context.file, line=1),
                    value=header[0][:80],
                )
    check_header(header, context)


# -- writing ----------------------------------------------------------------------------------


def write_csv(projects: Iterable[Project], stream: IO[bytes], context: WriteContext) -> None:
    """Write a canonical CSV: header, then one row per project, as UTF-8."""
    options = context.options
    delimiter = options["delimiter"]
    if delimiter is None:
        delimiter = "\t" if (context.file or "").lower().endswith(".tsv") else ","
    escape = options["formulas"] == "escape"
    columns = Columns()
    with contextlib.ExitStack() as stack:
        # the header is known only at the end: rows wait as length-prefixed marshal blocks,
        # in memory up to _SPOOL_IN_MEMORY bytes, then in a temporary file (memory stays flat)
        memory = io.BytesIO()
        spool: IO[bytes] = memory
        put = spool.write
        dumps = marshal.dumps
        count = 0
        may_escape = _MAY_ESCAPE.search
        limit, line_limit = options["max_field"], options[MAX_LINE_OPTION.name]
        for project in projects:
            try:
                flat = flatten(project, columns)
            except ValueError as exc:  # an extras value no JSON cell can hold
                context.problem(str(exc), expected="text and numbers JSON can hold")
                continue
            refused = unwritable(flat, limit, line_limit)
            if refused is not None:
                message, column, expected = refused
                context.problem(message, field=column, expected=expected)
                continue
            columns.add(flat)
            # escape here, where only the cells a record has are looked at, and only
            # in the rare record with a cell starting like a formula
            if escape and may_escape("\x00" + "\x00".join(flat.values())):
                for key, value in flat.items():
                    flat[key] = escape_formula(value)
            block = dumps(flat)
            put(len(block).to_bytes(4, "little") + block)
            count += 1
            if spool is memory and memory.tell() > _SPOOL_IN_MEMORY:
                spilled = stack.enter_context(tempfile.TemporaryFile())
                spilled.write(memory.getbuffer())
                memory.close()
                spool, put = spilled, spilled.write
        header = columns.header()
        text = io.TextIOWrapper(
            stream,
            encoding="utf-8-sig" if options["bom"] else "utf-8",
            newline="",
            write_through=True,
        )
        try:
            writer = csv.writer(text, delimiter=delimiter, lineterminator="\r\n")
            writer.writerow([escape_formula(h) if escape else h for h in header])
            spool.seek(0)
            loads = marshal.loads
            take = spool.read
            write = writer.writerow
            empty = itertools.repeat("")
            for _ in range(count):
                row = loads(take(int.from_bytes(take(4), "little")))
                write(map(row.get, header, empty))
            text.flush()
        finally:
            text.detach()


def unwritable(
    row: dict[str, str], limit: int, line_limit: int
) -> tuple[str, str | None, str] | None:
    """Why a row cannot be written so that the CSV readers read it back, if it cannot.

    A NUL character (in a cell or a column name: readers take it for a damaged file),
    a cell longer than ``limit`` characters (readers refuse it under the same
    ``max_field``), or a line longer than ``line_limit`` bytes (``max_line``): as
    ``(message, column, expected)``.
    """
    cells = row.values()
    if _NOT_TEXT.search("".join(row)) or _NOT_TEXT.search("".join(cells)):
        column = next(k for k, v in row.items() if _NOT_TEXT.search(k) or _NOT_TEXT.search(v))
        found = _NOT_TEXT.search(column) or _NOT_TEXT.search(row[column])
        char = found.group() if found else ""
        what = (
            "a NUL character"
            if char == "\x00"
            else f"the control character {char!r}"
            if char < "\x20"
            else f"{char!r}, half of a UTF-16 pair (a lone surrogate)"
        )
        return (
            f"it holds {what}, which readers do not take for text",
            column,
            "text without control characters; JSON Lines carries them",
        )
    if max(map(len, cells), default=0) > limit:
        column = next(k for k, v in row.items() if len(v) > limit)
        return (
            f"its cell has {len(row[column]):,} characters, more than the {limit:,} readers take",
            column,
            f"cells of at most {limit:,} characters; raise max_field to write and read it",
        )
    if sum(map(len, cells)) * 4 > line_limit:  # UTF-8 takes at most 4 bytes a character
        text = io.StringIO()
        csv.writer(text, lineterminator="\n").writerow(cells)
        longest = max(len(line.encode("utf-8")) for line in text.getvalue().split("\n"))
        if longest + len(row) > line_limit:
            return (
                f"its row makes a line of {longest:,} bytes, more than the {line_limit:,} "
                "readers take",
                None,
                f"lines of at most {line_limit:,} bytes; raise max_line to write and read it",
            )
    return None


# -- sniffing ---------------------------------------------------------------------------------


def sniff_csv(sample: Sample) -> bool:
    """A header line of canonical columns, or of a known export (Kohesio, ISUN)."""
    lines = sample.text.splitlines()
    line = lines[0] if lines else ""
    if not line:
        return False
    try:
        delimiter = detect_delimiter(line)
        cells = next(csv.reader([line], delimiter=delimiter), [])
    except (ValueError, csv.Error):
        return False
    if len(cells) < 2:
        return False
    canonical = sum(1 for c in cells if is_canonical(c.strip()))
    return canonical >= 2 or preset_for(cells) is not None

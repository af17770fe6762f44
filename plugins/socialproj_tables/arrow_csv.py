"""CSV parsed by pyarrow into columns of text, for the bulk path, and what makes it unsure.

pyarrow's CSV parser is C++ and reads whole blocks of a file at once; the csv module
reads a line at a time in Python. The two read a UTF-8 file of canonical rows the same
way, but not everything: pyarrow reads ``"x"y`` as ``xy`` where the strict csv module
reports it, and it neither knows socialproj's limits (``max_field``, ``max_line``) nor
undoes formula escaping. :func:`parse_csv` gives the text columns of the rows and raises
:class:`Unsure` where the two could differ, and so do a wrong number of cells and bytes
that are not UTF-8; the caller then reads the file with the csv module, from the start,
after the rows it has already given.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from typing import IO, Any, Final

__all__ = ["Unsure", "parse_csv", "plain"]

#: a quote between two characters that are neither the delimiter, a line end nor a
#: quote: text after a closing quote (``"x"y``), or a quote inside an unquoted cell
_STRAY_QUOTE: Final = '[^{d}\\r\\n"]"[^{d}\\r\\n"]'
_BLOCK: Final = 1 << 20
_LONE_CR: Final = re.compile(rb"\r(?!\n)")


class Unsure(Exception):
    """pyarrow's reading of the rows may not be the csv module's."""


class _Watched(io.RawIOBase):
    """A binary stream passed on to pyarrow, each block searched for a stray quote."""

    def __init__(self, stream: IO[bytes], delimiter: str) -> None:
        super().__init__()
        self._stream = stream
        self._stray = re.compile(_STRAY_QUOTE.format(d=re.escape(delimiter)).encode("utf-8"))
        self._tail = b""
        self.unsure = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self._stream.read(len(buffer))
        seen = self._tail + data
        # a NUL, or a carriage return that does not end a line, the csv module may read
        # otherwise (the memchr first: the search only where there is one)
        if self._stray.search(seen) or b"\x00" in data or (b"\r" in data and _LONE_CR.search(seen)):
            self.unsure = True
        self._tail = data[-2:]
        buffer[: len(data)] = data
        return len(data)


def parse_csv(
    stream: IO[bytes], start: int, header: list[str], delimiter: str, rows: int
) -> Iterator[Any]:
    """The file's data rows as record batches of text columns, ``rows`` at most each.

    ``header`` is the header row as the csv module read it; the file is read from
    ``start``. Raises :class:`Unsure` (before giving the rows it concerns) where the csv
    module could read otherwise.
    """
    import pyarrow as pa
    import pyarrow.csv as pacsv

    stream.seek(start)
    watched = _Watched(stream, delimiter)
    names = list(dict.fromkeys(header))
    if len(names) != len(header):
        raise Unsure("a column name twice")
    try:
        reader = pacsv.open_csv(
            watched,
            read_options=pacsv.ReadOptions(block_size=_BLOCK, use_threads=True),
            parse_options=pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=True),
            convert_options=pacsv.ConvertOptions(
                column_types={name: pa.string() for name in names},
                null_values=[""],  # an empty cell, quoted or not, is null: not stated
                strings_can_be_null=True,
            ),
        )
        if reader.schema.names != header:
            raise Unsure("pyarrow reads another header")
        held: list[Any] = []  # pyarrow's blocks, joined into batches of ``rows``
        count = 0
        for block in reader:
            if watched.unsure:
                raise Unsure("a quote the csv module may read otherwise")
            held.append(block)
            count += block.num_rows
            while count >= rows:
                joined = _joined(pa, held)
                yield joined.slice(0, rows)
                rest = joined.slice(rows)
                held, count = ([rest] if rest.num_rows else []), rest.num_rows
        if count:
            yield _joined(pa, held)
    except (pa.ArrowException, OSError, UnicodeError) as exc:
        raise Unsure(str(exc)) from None


def _joined(pa: Any, batches: list[Any]) -> Any:
    """Record batches of text columns as one batch."""
    if len(batches) == 1:
        return batches[0]
    table = pa.Table.from_batches(batches).combine_chunks()
    return pa.RecordBatch.from_arrays(
        [column.chunk(0) for column in table.columns], schema=table.schema
    )


def plain(batch: Any, max_field: int, max_line: int) -> bool:
    """Whether the csv module reads the batch's cells as pyarrow did, as they are.

    Not when a cell is longer than ``max_field``, a row perhaps longer than
    ``max_line``, or a cell starts with ``'`` (a formula escaped); NULs and carriage
    returns are looked for in the bytes (:func:`parse_csv`).
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    if not batch.num_rows or not batch.num_columns:
        return True
    cells = pa.concat_arrays(batch.columns)  # every cell at once: a few kernels in all
    longest = pc.max(pc.binary_length(cells)).as_py() or 0
    if longest > max_field:
        return False
    if pc.any(pc.starts_with(cells, "'")).as_py():  # NUL and CR: told by the bytes read
        return False
    if longest * batch.num_columns * 2 < max_line:  # no row can come near the limit
        return True
    line = pc.fill_null(pc.binary_length(batch.columns[0]), 0)
    for column in batch.columns[1:]:
        line = pc.add(line, pc.fill_null(pc.binary_length(column), 0))
    # a quoted cell may double its quotes: twice the cells, and a delimiter each
    return bool((pc.max(line).as_py() + batch.num_columns) * 2 < max_line)

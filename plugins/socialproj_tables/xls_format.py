"""The ``xls`` format: one sheet of a binary Excel 97–2003 workbook (BIFF), read like a CSV.

Binary workbooks are read through `python-calamine <https://pypi.org/project/python-calamine/>`_
(``pip install 'socialproj[xls]'``), imported only when such a file is read. Its cells
become the same rows of cell texts the other sheet formats give (:mod:`.sheets`), so the
header, mappings, number styles and findings work as they do for ``.xlsx``.

What can and cannot be exact: a BIFF file stores every number as a binary double, and
calamine does not hand over the cell's number format. A number is therefore read as the
shortest decimal that is that double (``199440.7``, never ``199440.69999999998``), rounded
to the 15 significant digits Excel shows (``ROUND_HALF_EVEN``). A value typed with more than
15 significant digits was already cut by Excel when it was saved; a format that *shows*
fewer decimals than the cell holds (``1 234,57`` for ``1234.5678``) is not applied: the
value held is read. Trailing zeros a format shows (``497832,00``) are not known either: the
amount reads as ``497832``. Cells formatted as dates come as dates (the workbook's 1900 or
1904 system applied by calamine). A sheet is held in memory whole while it is read (BIFF
sheets have at most 65,536 rows and 256 columns).
"""

from __future__ import annotations

import datetime
import importlib
from collections.abc import Iterator
from typing import IO, Any, Final

from socialproj import Position, Project, ReadContext, ReadError, Sample

from .sheets import (
    Fault,
    SheetRow,
    choose_sheet,
    column_letters,
    number_text,
    read_sheet,
    spooled,
    too_long,
)

__all__ = ["cell_text", "read_xls", "sniff_xls"]

#: the first bytes of an OLE2 compound document, the container of BIFF workbooks
_OLE2: Final = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_INSTALL: Final = "pip install 'socialproj[xls]'"
#: the largest integer a double holds exactly: integral values up to it are written whole
_EXACT_INTEGERS: Final = 2**53


def sniff_xls(sample: Sample) -> bool:
    """An OLE2 compound document (the container of ``.xls`` workbooks, and of ``.doc``)."""
    return sample.head.startswith(_OLE2)


def read_xls(stream: IO[bytes], context: ReadContext) -> Iterator[Project]:
    """Yield one project per row of a sheet after its header."""
    calamine = _calamine(context)
    with spooled(stream) as seekable:
        try:
            book = calamine.CalamineWorkbook.from_filelike(seekable)
        except BaseException as exc:  # calamine's Rust panics are BaseExceptions
            _reraise_interrupts(exc)
            raise _damaged(context, exc) from None
        with book:
            shown = [
                (meta.name, meta.visible == calamine.SheetVisibleEnum.Visible)
                for meta in book.sheets_metadata
            ]
            if not shown:
                raise ReadError(
                    "is a workbook without sheets",
                    position=Position(file=context.file),
                    expected="an .xls workbook with a sheet of projects",
                )
            name = shown[choose_sheet(shown, context.options["sheet"], context.file)][0]
            try:
                sheet = book.get_sheet_by_name(name)
                rows = sheet.to_python(skip_empty_area=False)
            except BaseException as exc:  # as above
                _reraise_interrupts(exc)
                raise _damaged(context, exc, f"its sheet {name!r} cannot be read") from None
            yield from read_sheet(f"sheet {name!r}", _rows(rows, context), context)


def _rows(rows: list[list[Any]], context: ReadContext) -> Iterator[SheetRow]:
    """``(row number, cell texts, faults)`` for each row; each row is released once read."""
    limit = context.options["max_field"]
    for index in range(len(rows)):
        row, rows[index] = rows[index], []
        cells: list[str] = []
        faults: list[Fault] = []
        for column, value in enumerate(row):
            try:
                text = cell_text(value)
            except ValueError as exc:
                where = f"{column_letters(column)}{index + 1}"
                faults.append((f"cell {where} {exc}", column, repr(value), "a number or a text"))
                text = ""
            if len(text) > limit:
                where = f"{column_letters(column)}{index + 1}"
                said, expected = too_long(len(text), limit)
                faults.append((f"cell {where} {said}", column, "", expected))
                text = ""
            cells.append(text)
        while cells and not cells[-1]:
            cells.pop()
        yield index + 1, cells, faults


def cell_text(value: object) -> str:
    """A calamine cell value as the text a sheet row holds (numbers exact, dates ISO).

    >>> cell_text(199440.7), cell_text(200000.0), cell_text(0.1 + 0.2)
    ('199440.7', '200000', '0.3')
    >>> cell_text(datetime.date(2014, 10, 9)), cell_text(True)
    ('2014-10-09', 'TRUE')
    """
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return number_text(str(value), 0, False)
    if isinstance(value, float):
        if value.is_integer() and abs(value) <= _EXACT_INTEGERS:
            return number_text(str(int(value)), 0, False)
        return number_text(repr(value), 0, False)
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, datetime.timedelta):  # a duration format ([h]:mm): ISO 8601
        return f"P{value.days}DT{value.seconds}S" if value.seconds else f"P{value.days}D"
    raise ValueError(f"holds a value of an unknown kind ({type(value).__name__})")


def _calamine(context: ReadContext) -> Any:
    """The python-calamine module, or a refusal that says how to install it."""
    try:
        return importlib.import_module("python_calamine")
    except ImportError:
        raise ReadError(
            f"is a binary .xls workbook, which needs python-calamine: {_INSTALL} (or save "
            "it as .xlsx or CSV)",
            position=Position(file=context.file),
            expected="python-calamine installed",
        ) from None


def _damaged(context: ReadContext, exc: BaseException, said: str = "") -> ReadError:
    reason = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else type(exc).__name__
    return ReadError(
        f"is not a readable workbook: {said or 'a damaged or other Office file'} ({reason})",
        position=Position(file=context.file),
        expected="an .xls workbook",
    )


def _reraise_interrupts(exc: BaseException) -> None:
    if isinstance(exc, KeyboardInterrupt | SystemExit | GeneratorExit | MemoryError):
        raise exc

"""The table formats: CSV, Excel workbooks, OpenDocument sheets and HTML tables.

One plugin for every format that holds projects as rows of cells, because they share
how cells become records:

- :mod:`.csv_format` — the ``csv`` format (read and write): canonical columns, or any
  export through a mapping;
- :mod:`.xlsx_format`, :mod:`.xls_format`, :mod:`.ods_format`, :mod:`.html_format` — the
  ``xlsx``, ``xls``, ``ods`` and ``html`` formats (read), each turning its file into rows
  of a sheet;
- :mod:`.sheets` — what the sheet formats share: the header, number cells, limits;
- :mod:`.rows` — rows of cells to records, for every format: which builder, the number
  style of the amounts, a bad row reported with its place;
- :mod:`.columns` — the canonical columns (field-table paths) and rows flattened from
  records; :mod:`.builder` and :mod:`.compiled` — rows built back into records;
- :mod:`.mapping` — a user's own columns, through a mapping or a preset.
"""

from __future__ import annotations

from collections.abc import Iterator

from socialproj import Format, hookimpl

from .csv_format import OPTIONS, read_csv, read_csv_batches, sniff_csv, write_csv
from .html_format import html_options, read_html, sniff_html
from .ods_format import read_ods, sniff_ods
from .sheets import sheet_options
from .xls_format import read_xls, sniff_xls
from .xlsx_format import read_xlsx, sniff_xlsx

__all__ = ["socialproj_formats"]


@hookimpl
def socialproj_formats() -> Iterator[Format]:
    """The CSV format, and the xlsx and ods formats reading spreadsheets the same way."""
    yield Format(
        name="csv",
        description="CSV: one project per row; canonical columns, or your own through a mapping",
        reader=read_csv,
        batch_reader=read_csv_batches,
        writer=write_csv,
        extensions=(".csv", ".tsv"),
        aliases=("tsv",),
        sniff=sniff_csv,
        lossless=True,
        options=OPTIONS,
    )
    yield Format(
        name="xlsx",
        description="Excel workbook: one project per row of a sheet, read like a CSV file",
        reader=read_xlsx,
        extensions=(".xlsx", ".xlsm"),
        sniff=sniff_xlsx,
        options=sheet_options(OPTIONS),
    )
    yield Format(
        name="xls",
        description="Excel 97-2003 binary workbook (needs python-calamine): read like xlsx",
        reader=read_xls,
        extensions=(".xls",),
        sniff=sniff_xls,
        options=sheet_options(OPTIONS),
    )
    yield Format(
        name="ods",
        description="OpenDocument spreadsheet (LibreOffice): one project per row of a sheet",
        reader=read_ods,
        extensions=(".ods", ".fods"),
        aliases=("fods",),
        sniff=sniff_ods,
        options=sheet_options(OPTIONS),
    )
    yield Format(
        name="html",
        description="HTML table of a web page (or an export named .xls): one project per row",
        reader=read_html,
        extensions=(".html", ".htm", ".xls"),
        aliases=("htm",),
        sniff=sniff_html,
        options=html_options(OPTIONS),
    )

"""The ods format: OpenDocument spreadsheets read exactly, as their cells say.

Spreadsheets come from two independent writers: odfpy (as scripts make them) and
:func:`spreadsheet`, which writes the XML by hand, to hold what LibreOffice writes and
odfpy does not make easy (repeated rows and cells, 17-digit values, hidden sheets,
annotations, error cells, flat ``.fods`` documents).
"""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal
from xml.sax.saxutils import escape, quoteattr

import pytest
from hypothesis import given
from hypothesis import strategies as st
from odf.opendocument import OpenDocumentSpreadsheet
from odf.table import Table, TableCell, TableRow
from odf.text import P

import socialproj
from socialproj import Money, PartialDate, ReadError, read

from .test_cli import run
from .test_workbook import archive, damaged, read_or_placed_error

_NAMESPACES = " ".join(
    f'xmlns:{prefix}="urn:oasis:names:tc:opendocument:xmlns:{name}:1.0"'
    for prefix, name in (
        ("office", "office"),
        ("table", "table"),
        ("text", "text"),
        ("style", "style"),
        ("number", "datastyle"),
    )
) + (
    ' xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0"'
    ' xmlns:xlink="http://www.w3.org/1999/xlink"'
)
_MIMETYPE = "application/vnd.oasis.opendocument.spreadsheet"


def spreadsheet(
    tables: dict[str, str] | str,
    *,
    styles: str = "",
    common: str = "",
    hidden: tuple[str, ...] = (),
    flat: bool = False,
    manifest: str = "",
) -> bytes:
    """An .ods file (or with ``flat``, a .fods document): sheets by name, their rows' XML.

    ``styles`` are automatic styles (content.xml), ``common`` the styles of styles.xml.
    """
    if isinstance(tables, str):
        tables = {"Sheet1": tables}
    hide = "".join(
        f'<style:style style:name="hid{i}" style:family="table">'
        '<style:table-properties table:display="false"/></style:style>'
        for i, name in enumerate(tables)
        if name in hidden
    )
    body = "".join(
        f"<table:table table:name={quoteattr(name)}"
        + (f' table:style-name="hid{i}"' if name in hidden else "")
        + f">{rows}</table:table>"
        for i, (name, rows) in enumerate(tables.items())
    )
    automatic = f"<office:automatic-styles>{hide}{styles}</office:automatic-styles>"
    spreadsheet_body = f"<office:body><office:spreadsheet>{body}</office:spreadsheet></office:body>"
    if flat:
        return (
            f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document {_NAMESPACES} '
            f'office:version="1.3" office:mimetype="{_MIMETYPE}">'
            f"<office:styles>{common}</office:styles>{automatic}{spreadsheet_body}"
            "</office:document>"
        ).encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), _MIMETYPE)  # first, stored
        archive.writestr(
            "styles.xml",
            f"<office:document-styles {_NAMESPACES}><office:styles>{common}</office:styles>"
            "</office:document-styles>",
        )
        archive.writestr(
            "content.xml",
            f"<office:document-content {_NAMESPACES}>{automatic}{spreadsheet_body}"
            "</office:document-content>",
        )
        archive.writestr("META-INF/manifest.xml", manifest or "<manifest/>")
    return out.getvalue()


def row(*cells: str, repeat: int = 1) -> str:
    repeated = f' table:number-rows-repeated="{repeat}"' if repeat > 1 else ""
    return f"<table:table-row{repeated}>{''.join(cells)}</table:table-row>"


def text(value: str, *, repeat: int = 1) -> str:
    repeated = f' table:number-columns-repeated="{repeat}"' if repeat > 1 else ""
    return (
        f'<table:table-cell office:value-type="string"{repeated}>'
        f"<text:p>{escape(value)}</text:p></table:table-cell>"
    )


def num(value: str, shown: str | None = None, *, style: str = "", kind: str = "float") -> str:
    styled = f" table:style-name={quoteattr(style)}" if style else ""
    return (
        f'<table:table-cell office:value-type="{kind}" office:value="{value}"{styled}>'
        f"<text:p>{escape(shown or value)}</text:p></table:table-cell>"
    )


def empty(repeat: int = 1) -> str:
    return f'<table:table-cell table:number-columns-repeated="{repeat}"/>'


def projects_of(data: bytes, **options):
    stream = read(io.BytesIO(data), "ods", errors="collect", **options)
    return list(stream), stream.problems


_HEADER = row(text("title.en"), text("funding.total.amount"), text("funding.total.currency"))


def odfpy_sheet(rows: list[list[object]], name: str = "Sheet1") -> bytes:
    """An .ods written by odfpy: strings as text cells, Decimals as number cells."""
    document = OpenDocumentSpreadsheet()
    table = Table(name=name)
    for cells in rows:
        line = TableRow()
        for value in cells:
            if isinstance(value, Decimal):
                cell = TableCell(valuetype="float", value=str(value))
            else:
                cell = TableCell(valuetype="string")
            cell.addElement(P(text=str(value)))
            line.addElement(cell)
        table.addElement(line)
    document.spreadsheet.addElement(table)
    out = io.BytesIO()
    document.write(out)
    return out.getvalue()


# -- what real spreadsheets hold -----------------------------------------------------------


def test_a_uk_erdf_beneficiary_list_reads_its_dates_as_the_day_the_cell_says():
    # one real row of the 2014UK16RFOP001 list, published as .ods (eubfr-data-lake's
    # stub): the ETL read "Date of granting" as 2016-11-21T22:00:00.000Z, a time-zone
    # shift of the cell's day; the cell itself holds the day
    header = [
        "Name of beneficiary",
        "Beneficiary identifier (E-claims ref)",
        "Aid element £",
        "Date of granting",
        "Granting authority",
    ]
    data = spreadsheet(
        row(*(text(name) for name in header))
        + row(
            text("CETO Wave Energy UK Ltd"),
            text("05R16P00351"),
            '<table:table-cell office:value-type="currency" office:currency="GBP" '
            'office:value="3636525" table:style-name="gbp">'
            "<text:p>£3,636,525.00</text:p></table:table-cell>",
            '<table:table-cell office:value-type="date" office:date-value="2016-11-22">'
            "<text:p>22/11/2016</text:p></table:table-cell>",
            text(" DCLG"),
        ),
        styles='<style:style style:name="gbp" style:family="table-cell" '
        'style:data-style-name="GBP2"/>',
        common='<number:currency-style style:name="GBP2"><number:currency-symbol>£'
        '</number:currency-symbol><number:number number:decimal-places="2" '
        'number:min-integer-digits="1" number:grouping="true"/></number:currency-style>',
    )
    mapping = (
        "Name of beneficiary=partners[].name;Beneficiary identifier (E-claims ref)=identifier;"
        "Aid element £=funding.total;Date of granting=period.start"
    )
    [project] = read(io.BytesIO(data), "ods", mapping=mapping, currency="GBP")
    assert project.funding.total == Money("3636525.00", "GBP")
    assert project.period.start == PartialDate.parse("2016-11-22")
    assert project.partners[0].name == "CETO Wave Energy UK Ltd"
    assert project.extras["Granting authority"] == " DCLG"
    assert project.source.fields["funding.total"] == "3636525.00"
    assert project.source.format == "ods"  # not the csv format whose mapping read it


def test_an_odfpy_sheet_reads_as_the_same_projects_as_its_csv(tmp_path):
    rows: list[list[object]] = [
        ["title.bg", "funding.total.amount", "funding.total.currency", "period.start"],
        ["Грижа в дома", Decimal("499777.91"), "BGN", "2016-10-01"],
        ["Нов шанс", Decimal("118003.24"), "EUR", "2017-03"],
    ]
    from_ods = list(read(io.BytesIO(odfpy_sheet(rows)), "ods"))
    csv_text = "\n".join(",".join(str(cell) for cell in cells) for cells in rows) + "\n"
    assert from_ods == list(read(io.StringIO(csv_text), "csv"))
    assert from_ods[0].funding.total == Money("499777.91", "BGN")


def test_an_ods_is_told_by_its_name_or_content_and_read_without_being_asked(tmp_path):
    data = spreadsheet(_HEADER + row(text("Danube"), num("12.50"), text("EUR")))
    for name in ("list.ods", "list.bin"):
        (tmp_path / name).write_bytes(data)
        [project] = read(tmp_path / name)
        assert project.funding.total == Money("12.50", "EUR")
    flat = spreadsheet(_HEADER + row(text("Danube"), num("12.50"), text("EUR")), flat=True)
    for name in ("list.fods", "list.xml"):
        (tmp_path / name).write_bytes(flat)
        assert [p.title["en"] for p in read(tmp_path / name)] == ["Danube"]
    assert socialproj.choose_format(file="list.xml", head=flat).name == "ods"


# -- numbers, dates and texts ------------------------------------------------------------


def test_values_with_more_digits_than_shown_read_as_the_fifteen_digits_shown():
    data = spreadsheet(
        _HEADER
        + row(text("a"), num("499777.90999999997"), text("BGN"))
        + row(text("b"), num("39.100000000000001"), text("BGN"))
        + row(text("c"), num("1E-2"), text("BGN"))
        + row(text("d"), num("-0.5"), text("BGN"))
    )
    projects, problems = projects_of(data)
    assert not problems
    amounts = [p.funding.total.amount for p in projects]
    assert [str(a) for a in amounts] == ["499777.91", "39.1", "0.01", "-0.5"]


@given(
    st.decimals(min_value=Decimal("-1e12"), max_value=Decimal("1e12"), places=2, allow_nan=False)
)
def test_any_amount_stored_as_a_double_reads_back_to_the_cent(amount):
    stored = format(float(amount), ".17g")  # what a program holding a double may write
    data = spreadsheet(_HEADER + row(text("x"), num(stored), text("EUR")))
    [project] = read(io.BytesIO(data), "ods")
    assert project.funding.total.amount == amount


def test_a_style_s_fixed_decimals_are_the_amount_s_scale_never_a_rounding():
    styles = (
        '<number:number-style style:name="N2"><number:number number:decimal-places="2"/>'
        "</number:number-style>"
        '<number:number-style style:name="N03"><number:number number:decimal-places="3" '
        'number:min-decimal-places="0"/></number:number-style>'
        '<number:percentage-style style:name="P2"><number:number number:decimal-places="2"/>'
        "<number:text>%</number:text></number:percentage-style>"
        '<style:style style:name="two" style:family="table-cell" style:data-style-name="N2"/>'
        '<style:style style:name="child" style:family="table-cell" '
        'style:parent-style-name="two"/>'
        '<style:style style:name="upto3" style:family="table-cell" '
        'style:data-style-name="N03"/>'
        '<style:style style:name="pct" style:family="table-cell" style:data-style-name="P2"/>'
    )
    columns = (
        '<table:table-column table:number-columns-repeated="2"/>'
        '<table:table-column table:default-cell-style-name="two"/>'
    )
    header = row(text("title.en"), text("status"), text("funding.total.amount"))
    data = spreadsheet(
        columns
        + header
        + row(text("a"), text("x"), num("497832", style="two"))
        + row(text("b"), text("x"), num("424.835", style="two"))  # kept, never rounded
        + row(text("c"), text("x"), num("7", style="child"))  # the parent's style
        + row(text("d"), text("x"), num("7"))  # the column's style
        + row(text("e"), text("x"), num("7", style="upto3"))  # 0.### pads nothing
        + row(text("f"), text("x"), num("0.15", "15.00%", style="pct")),
        styles=styles,
    )
    projects, problems = projects_of(data, currency="EUR")
    assert not problems
    assert [str(p.funding.total.amount) for p in projects] == [
        "497832.00",
        "424.835",
        "7.00",
        "7.00",
        "7",
        "0.15",
    ]


def test_dates_booleans_errors_and_texts_read_as_the_cells_say():
    cells = (
        '<table:table-cell office:value-type="date" office:date-value="2016-10-01T00:00:00">'
        "<text:p>01.10.16</text:p></table:table-cell>",
        '<table:table-cell office:value-type="boolean" office:boolean-value="true">'
        "<text:p>TRUE</text:p></table:table-cell>",
        '<table:table-cell table:formula="of:=1/0" office:value-type="float" office:value="0" '
        'calcext:value-type="error"><text:p>#DIV/0!</text:p></table:table-cell>',
        '<table:table-cell office:value-type="string"><text:p>Грижа<text:s text:c="3"/>в'
        "<text:tab/>дома</text:p><text:p><text:span>ред </text:span>"
        '<text:a xlink:href="https://x">два</text:a><text:line-break/>три</text:p>'
        "<office:annotation><text:p>a note, not the cell</text:p></office:annotation>"
        "</table:table-cell>",
        '<table:table-cell office:value-type="string" office:string-value="stated">'
        "<text:p>shown</text:p></table:table-cell>",
    )
    header = row(*(text(name) for name in ("period.start", "a", "b", "title.bg", "c")))
    data = spreadsheet(header + row(*cells))
    [project] = read(io.BytesIO(data), "ods")
    assert project.period.start == PartialDate.parse("2016-10-01")
    assert project.extras == {"a": "TRUE", "b": "#DIV/0!", "c": "stated"}
    assert project.title["bg"] == "Грижа   в\tдома\nред два\nтри"


# -- repeated rows and cells -----------------------------------------------------------------


def test_repeated_rows_and_cells_are_repeated_and_empty_ones_only_counted():
    data = spreadsheet(
        _HEADER
        + row(text("same"), num("1.50"), text("EUR"), repeat=2)  # two identical rows
        + row(empty(1024), repeat=3)  # three empty rows
        + row(empty(1), num("3"), text("EUR"))  # an empty cell first
        + row(empty(1024), repeat=1_048_000)  # LibreOffice's filler to the sheet's end
    )
    stream = read(io.BytesIO(data), "ods", errors="collect", provenance=True)
    projects = list(stream)
    assert not stream.problems
    assert [(dict(p.title).get("en"), p.source.line) for p in projects] == [
        ("same", 2),
        ("same", 3),
        (None, 7),
    ]
    assert projects[0] is not projects[1] and projects[2].funding.total == Money("3", "EUR")
    across = spreadsheet(
        row(text("title.en"), text("a"), text("b"), text("c"))
        + row(text("x"), text("same", repeat=2), empty(1020))
    )
    [project] = read(io.BytesIO(across), "ods")
    assert project.extras == {"a": "same", "b": "same"}


def test_repeats_past_a_sheet_s_last_row_or_column_are_damage_not_data():
    with pytest.raises(ReadError, match="repeated 20,000,000 times, past a sheet's last row"):
        projects_of(spreadsheet(_HEADER + row(text("a"), repeat=20_000_000)))
    with pytest.raises(ReadError, match="repeated 99,999 times, past a sheet's last column"):
        projects_of(spreadsheet(_HEADER + row(text("a", repeat=99_999))))


# -- sheets and headers ------------------------------------------------------------------------


def test_sheets_are_chosen_by_name_or_number_and_hidden_ones_are_passed_over():
    sheets = {
        "Бележки": row(text("title.en"), text("status")) + row(text("hidden"), text("x")),
        "Проекти": row(text("title.en"), text("status")) + row(text("shown"), text("x")),
        "2021": row(text("title.en"), text("status")) + row(text("third"), text("x")),
    }
    data = spreadsheet(sheets, hidden=("Бележки",))
    titles = lambda **o: [p.title["en"] for p in projects_of(data, **o)[0]]  # noqa: E731
    assert titles() == ["shown"]
    assert titles(sheet="бележки") == ["hidden"]
    assert titles(sheet=3) == titles(sheet="2021") == ["third"]  # a number past the sheets
    assert titles(sheet=1) == ["hidden"]
    with pytest.raises(ReadError, match="has no sheet 'Итог'; its sheets are 1: 'Бележки'"):
        projects_of(data, sheet="Итог")
    with pytest.raises(ReadError, match="hidden sheets only"):
        projects_of(spreadsheet({"a": sheets["Бележки"]}, hidden=("a",)))
    with pytest.raises(ReadError, match="a spreadsheet without sheets"):
        projects_of(spreadsheet({}))
    with pytest.raises(ReadError, match="sheet 'Sheet1' has no header row"):
        projects_of(spreadsheet(""))


def test_the_header_is_found_below_title_rows_or_given():
    data = spreadsheet(
        row(text("Списък на договорите"))
        + row()
        + row(text("title.en"), text("Бележка"))
        + row(text("a"), text("x"))
    )
    [project] = projects_of(data)[0]
    assert project.title["en"] == "a" and project.extras == {"Бележка": "x"}
    assert projects_of(data, header=3)[0] == [project]
    with pytest.raises(ReadError, match="has no socialproj columns"):
        projects_of(data, header=1)


# -- bad cells and damage ----------------------------------------------------------------------


def test_a_formula_without_a_value_is_placed_and_the_good_rows_come_through():
    data = spreadsheet(
        _HEADER
        + row(text("a"), '<table:table-cell table:formula="of:=[.B3]*2"/>', text("EUR"))
        + row(text("b"), num("2"), text("EUR"))
    )
    projects, problems = projects_of(data)
    assert [p.title["en"] for p in projects] == ["b"]
    [problem] = problems
    assert problem.position.line == 2 and problem.position.field == "funding.total.amount"
    assert "cell B2 holds a formula with no computed value" in str(problem)
    assert problem.value == "of:=[.B3]*2"


def test_a_number_cell_that_is_no_number_is_placed():
    data = spreadsheet(_HEADER + row(text("a"), num("1,5"), text("EUR")))
    projects, [problem] = projects_of(data)
    assert not projects
    assert "cell B2 holds '1,5': not a number" in str(problem)


def test_a_damaged_sheet_yields_the_rows_before_the_damage():
    rows = "".join(row(text(f"p{i}"), num(str(i)), text("EUR")) for i in range(1, 300))
    data = spreadsheet(_HEADER + rows)
    content = zipfile.ZipFile(io.BytesIO(data)).read("content.xml")
    cut = content.index(b"p150")
    damaged = io.BytesIO()
    with zipfile.ZipFile(damaged, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), _MIMETYPE)
        archive.writestr("content.xml", content[:cut] + b"<<" + content[cut:])
    stream = read(io.BytesIO(damaged.getvalue()), "ods", errors="collect")
    seen = []
    with pytest.raises(ReadError, match="has a damaged sheet 'Sheet1'; the rows before") as caught:
        seen.extend(stream)
    assert len(seen) == 149 and caught.value.position.line == 150  # p149 is in row 150


@pytest.mark.parametrize(
    ("data", "said"),
    [
        (b"title.en,status\nx,y\n", "neither an .ods archive nor a flat .fods document"),
        (spreadsheet(_HEADER)[:-30], "a damaged zip archive"),
        (
            spreadsheet(_HEADER, manifest="<manifest><encryption-data/></manifest>"),
            "password-protected",
        ),
    ],
)
def test_what_is_no_readable_spreadsheet_is_a_clear_error(data, said):
    with pytest.raises(ReadError, match=said):
        projects_of(data)


def test_other_opendocument_files_and_bare_zips_are_named():
    text_kind = r"another kind \(application/vnd\.oasis\.opendocument\.text\)"
    with pytest.raises(ReadError, match=text_kind):
        projects_of(archive(mimetype="application/vnd.oasis.opendocument.text"))
    with pytest.raises(ReadError, match="a zip archive without a spreadsheet in it"):
        projects_of(archive(**{"notes.txt": "hello"}))


# -- the command line --------------------------------------------------------------------------


def test_the_command_line_reads_an_ods_with_its_options_and_no_from(tmp_path):
    path = tmp_path / "договори.ods"
    path.write_bytes(
        spreadsheet(
            {
                "Бележки": row(text("x")),
                "Договори": row(
                    text("Номер на договор"),
                    text("Наименование на проекта"),
                    text("Обща стойност"),
                )
                + row(text("BG-1"), text("Грижа"), num("118003.24", "118 003,24")),
            }
        )
    )
    out = tmp_path / "out.jsonl"
    done = run(
        "convert", str(path), str(out), "-o", "mapping=isun", "-o", "currency=BGN", "-o", "sheet=2"
    )
    assert done.returncode == 0, done.stderr
    assert '"amount":"118003.24","currency":"BGN"' in out.read_text(encoding="utf-8")
    shown = run("formats", "ods")
    assert shown.returncode == 0 and "sheet" in shown.stdout and ".fods" in shown.stdout


_EXAMPLE = spreadsheet(
    _HEADER + "".join(row(text(f"p{i}"), num(f"{i}.50"), text("EUR")) for i in range(1, 4))
)


@given(st.data())
def test_an_ods_cut_or_damaged_anywhere_gives_records_or_a_placed_error(data):
    document = damaged(data, _EXAMPLE)
    read_or_placed_error(lambda: projects_of(document), most=3, placed="<input>")

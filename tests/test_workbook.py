"""The xlsx format: workbooks read exactly, as their cells say, with each bad cell placed.

Workbooks come from two independent writers: openpyxl (as analysts' scripts make them)
and :func:`book`, which writes the XML parts by hand, to hold what Excel writes and
openpyxl does not (17-digit numbers, shared rich text, phonetic guides, 1904 dates).
"""

from __future__ import annotations

import datetime
import io
import pathlib
import zipfile
from collections.abc import Callable
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

import socialproj
from socialproj import FormatError, Money, PartialDate, ReadError, read
from socialproj.testing import strategies as sps
from socialproj_tables.sheets import stacked_header

from .test_cli import run

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_STRICT = "http://purl.oclc.org/ooxml/spreadsheetml/main"
_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def book(
    sheets: dict[str, str] | str,
    *,
    strings: list[str] | None = None,
    formats: dict[int, str] | None = None,
    styles: list[int] | None = None,
    date1904: bool = False,
    hidden: tuple[str, ...] = (),
    ns: str = _MAIN,
) -> bytes:
    """An .xlsx file: sheets by name (their ``<sheetData>`` content), written by hand.

    ``strings`` are the shared strings' ``<si>`` contents; ``formats`` custom number
    formats by id; ``styles`` the number format id of each cell style (``s="i"``).
    """
    if isinstance(sheets, str):
        sheets = {"Sheet1": sheets}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(
            "_rels/.rels",
            f'<Relationships xmlns="{_RELS}"><Relationship Id="rId1" '
            f'Type="{_DOC}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        entries = "".join(
            f"<sheet name={quoteattr(name)} sheetId='{i}' r:id='rId{i}'"
            f"{' state=' + quoteattr('hidden') if name in hidden else ''}/>"
            for i, name in enumerate(sheets, 1)
        )
        archive.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{ns}" xmlns:r="{_DOC}">'
            f"<workbookPr{' date1904=' + quoteattr('1') if date1904 else ''}/>"
            f"<sheets>{entries}</sheets></workbook>",
        )
        relations = [
            f'<Relationship Id="rId{i}" Type="{_DOC}/worksheet" Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, len(sheets) + 1)
        ]
        relations.append(
            f'<Relationship Id="rS" Type="{_DOC}/sharedStrings" Target="sharedStrings.xml"/>'
        )
        relations.append(f'<Relationship Id="rT" Type="{_DOC}/styles" Target="/xl/styles.xml"/>')
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<Relationships xmlns="{_RELS}">{"".join(relations)}</Relationships>',
        )
        for i, content in enumerate(sheets.values(), 1):
            archive.writestr(
                f"xl/worksheets/sheet{i}.xml",
                f'<worksheet xmlns="{ns}"><sheetData>{content}</sheetData></worksheet>',
            )
        items = "".join(f"<si>{item}</si>" for item in strings or [])
        archive.writestr("xl/sharedStrings.xml", f'<sst xmlns="{ns}">{items}</sst>')
        codes = "".join(
            f"<numFmt numFmtId='{i}' formatCode={quoteattr(code)}/>"
            for i, code in (formats or {}).items()
        )
        xfs = "".join(f"<xf numFmtId='{i}'/>" for i in styles or [0])
        archive.writestr(
            "xl/styles.xml",
            f'<styleSheet xmlns="{ns}"><numFmts>{codes}</numFmts>'
            f"<cellXfs>{xfs}</cellXfs></styleSheet>",
        )
    return out.getvalue()


def row(number: int, *cells: str) -> str:
    """A ``<row>`` of cells given as XML (see :func:`text`, :func:`num`)."""
    return f"<row r='{number}'>{''.join(cells)}</row>"


def text(ref: str, value: str) -> str:
    return f"<c r='{ref}' t='inlineStr'><is><t>{escape(value)}</t></is></c>"


def num(ref: str, value: str, style: int | None = None) -> str:
    s = f" s='{style}'" if style is not None else ""
    return f"<c r='{ref}'{s}><v>{value}</v></c>"


def projects_of(data: bytes, **options):
    stream = read(io.BytesIO(data), "xlsx", errors="collect", **options)
    return list(stream), stream.problems


def openpyxl_book(rows: list[list[object]], **formats: str) -> bytes:
    """A workbook as openpyxl writes it; ``formats`` maps column letters to number formats."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for values in rows:
        sheet.append(values)
    for letter, code in formats.items():
        for cell in sheet[letter]:
            cell.number_format = code
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# -- reading what users bring -----------------------------------------------------------------


def test_an_isun_export_reads_with_the_preset_title_rows_and_all():
    data = openpyxl_book(
        [
            ["Списък на сключените договори към 01.02.2024"],
            [],
            [
                *("Номер на договор", "Наименование на проекта", "Бенефициент", "Обща стойност"),
                *("БФП", "Начало", "Продължителност (месеци)"),
            ],
            [
                *("BG05M9OP001-2.002-0297-С01", "Подкрепа за достоен живот", "Община Кочериново"),
                *(499777.91, 499777.91, datetime.date(2016, 10, 1), 22),
            ],
            [
                *("BG05M9OP001-6.002-0199-C01", "Патронажна грижа", "Община Джебел"),
                *(118003.24, "118 003,24", datetime.date(2021, 10, 1), 15),
            ],
        ],
        D="#,##0.00",
        F="dd.mm.yyyy",
    )
    (first, second), problems = projects_of(data, mapping="isun", currency="BGN")
    assert problems == []
    assert first.funding.total == Money("499777.91", "BGN")
    assert first.title["bg"] == "Подкрепа за достоен живот"
    assert first.partners[0].name == "Община Кочериново"
    assert first.period.duration == socialproj.Duration(months=22)
    # columns the preset does not map are kept, a date cell as its ISO date
    assert dict(first.extras) == {"БФП": "499777.91", "Начало": "2016-10-01"}
    assert second.extras["БФП"] == "118 003,24"  # a text cell stays the text it is
    # the line is the sheet's row number, as the spreadsheet shows it
    assert (first.source.line, first.source.row) == (4, 1)
    assert first.source.fields["funding.total"] == "499777.91"
    assert first.source.format == "xlsx"  # it said "csv", the format whose mapping read it


def test_a_workbook_is_told_by_its_name_or_content_and_read_without_being_asked():
    data = book(row(1, text("A1", "title.en"), text("B1", "status")) + row(2, text("A2", "x")))
    assert socialproj.choose_format(file="book.xlsx").name == "xlsx"
    [project] = read(io.BytesIO(data))  # no name: the zip's parts say it is a workbook
    assert project.title["en"] == "x"


def test_excel_s_seventeen_digit_numbers_read_as_the_fifteen_digits_it_shows():
    header = row(1, text("A1", "title.en"), text("B1", "funding.total.amount"))
    header = header.replace("</row>", text("C1", "funding.total.currency") + "</row>")
    cells = {
        "39.100000000000001": "39.1",
        "499777.90999999997": "499777.91",
        "1.2E+3": "1200",
        "-0.30000000000000004": "-0.3",
        "123456789012.34": "123456789012.34",
        "45000": "45000",
    }
    data = book(
        header
        + "".join(
            row(i, text(f"A{i}", stored), num(f"B{i}", stored), text(f"C{i}", "EUR"))
            for i, stored in enumerate(cells, 2)
        )
    )
    projects, problems = projects_of(data)
    assert problems == []
    got = {p.title["en"]: p.funding.total.amount for p in projects}
    assert got == {stored: Decimal(shown) for stored, shown in cells.items()}
    assert all(str(got[k]) == v for k, v in cells.items())  # the scale shown, not more


@given(
    st.decimals(
        min_value=Decimal("-1e13"), max_value=Decimal("1e13"), places=2, allow_nan=False
    ).filter(lambda d: len(d.as_tuple().digits) <= 15)
)
def test_any_amount_excel_stores_as_a_double_reads_back_to_the_cent(amount):
    # Excel keeps the double nearest to what was typed and writes it with 17 digits
    stored = f"{float(amount):.17g}"
    data = book(
        row(1, text("A1", "funding.total.amount"), text("B1", "funding.total.currency"))
        + row(2, num("A2", stored), text("B2", "EUR"))
    )
    [project], problems = projects_of(data)
    assert problems == []
    assert project.funding.total.amount == amount


def test_dates_are_day_counts_in_the_workbook_s_date_system():
    header = row(1, text("A1", "title.en"), text("B1", "period.start"), text("C1", "period.end"))
    formats = {164: "dd.mm.yyyy", 165: '[$-402]d mmmm yyyy "г."', 166: '#,##0.00 "лв."'}
    data = book(
        header
        + row(2, text("A2", "a"), num("B2", "42644", 1), num("C2", "43373", 2))
        + row(3, text("A3", "b"), num("B3", "59", 5), num("C3", "61", 5))
        + row(4, text("A4", "c"), num("B4", "42644.75", 4))
        + row(5, text("A5", "d"), num("B5", "42644", 3)),
        formats=formats,
        styles=[0, 164, 165, 166, 22, 14],
    )
    (a, b), problems = projects_of(data)
    assert (a.period.start, a.period.end) == (PartialDate(2016, 10, 1), PartialDate(2018, 9, 30))
    # either side of Excel's 29 February 1900, a day that never was
    assert (b.period.start, b.period.end) == (PartialDate(1900, 2, 28), PartialDate(1900, 3, 1))
    # a date with a time of day is a timestamp, which the date reader does not guess at
    timestamp, count = map(str, problems)
    assert "line 4" in timestamp and "'2016-10-01T18:00:00': is a timestamp" in timestamp
    # a day count in a cell formatted as an amount is the number it shows
    assert "line 5" in count and "'42644.00'" in count
    data1904 = book(
        header + row(2, text("A2", "a"), num("B2", "41182", 1)), styles=[0, 14], date1904=True
    )
    [project], _ = projects_of(data1904)
    assert project.period.start == PartialDate(2016, 10, 1)


def test_a_number_format_shows_a_date_only_when_its_code_has_date_letters():
    from socialproj_tables.xlsx_format import is_date_format

    dates = ["dd.mm.yyyy", "d-mmm-yy", '[$-402]d mmmm yyyy "г."', "yyyy\\-mm", "[h]:mm:ss"]
    others = ["General", '#,##0.00 "лв."', "0.00E+00", "0%", '#,##0.00\\ "BGN"', "[Red]0.00"]
    assert all(is_date_format(code) for code in dates)
    assert not any(is_date_format(code) for code in others)


def test_a_format_s_fixed_decimals_are_the_amount_s_scale_never_a_rounding():
    header = row(1, text("A1", "title.en"), text("B1", "funding.total.amount"))
    header = header.replace("</row>", text("C1", "funding.total.currency") + "</row>")
    cells = {"497832": ("497832.00", 1), "424.835": ("424.835", 2), "0.5": ("0.5", 0)}
    cells |= {"12.5": ("12.500", 3), "-7": ("-7.00", 4)}
    data = book(
        header
        + "".join(
            row(i, text(f"A{i}", stored), num(f"B{i}", stored, style), text(f"C{i}", "EUR"))
            for i, (stored, (_, style)) in enumerate(cells.items(), 2)
        ),
        formats={164: '_-* #,##0.000\\ "€"_-;\\-* #,##0.000\\ "€"_-'},
        styles=[0, 4, 2, 164, 8],
    )
    projects, problems = projects_of(data)
    assert problems == []
    assert {p.title["en"]: str(p.funding.total.amount) for p in projects} == {
        stored: shown for stored, (shown, _) in cells.items()
    }


def test_which_decimals_a_number_format_always_shows():
    from socialproj_tables.xlsx_format import decimal_places

    codes = {"#,##0.00": 2, "0.0#": 1, '#,##0.00 "лв."': 2, "0": 0, "General": 0}
    codes |= {"0.00%": 0, "0.00E+00": 0, "@": 0, "[Red]#,##0.000;[Blue]-#,##0.000": 3}
    assert {code: decimal_places(code) for code in codes} == codes


def test_shared_strings_rich_text_phonetic_guides_and_escapes():
    strings = [
        "<t>title.en</t>",
        "<t>status</t>",
        "<r><t>Danube</t></r><r><rPr><b/></rPr><t xml:space='preserve'> 2 Wheels</t></r>",
        "<t>line one_x000D_\nline two _x005F_x0041_</t><rPh><t>ふりがな</t></rPh>",
    ]
    data = book(
        row(1, "<c r='A1' t='s'><v>0</v></c>", "<c r='B1' t='s'><v>1</v></c>")
        + row(2, "<c r='A2' t='s'><v>2</v></c>")
        + row(3, "<c r='A3' t='s'><v>3</v></c>"),
        strings=strings,
    )
    (first, second), problems = projects_of(data)
    assert problems == []
    assert first.title["en"] == "Danube 2 Wheels"
    assert second.title["en"] == "line one\r\nline two _x0041_"


def test_the_strict_namespace_and_cells_without_references_read_the_same():
    content = (
        "<row><c t='inlineStr'><is><t>title.en</t></is></c><c t='inlineStr'><is><t>status"
        "</t></is></c></row><row><c t='inlineStr'><is><t>a</t></is></c><c t='inlineStr'>"
        "<is><t>ongoing</t></is></c></row>"
    )
    for ns in (_MAIN, _STRICT):
        [project], problems = projects_of(book(content, ns=ns))
        assert (project.title["en"], project.status, problems) == ("a", "ongoing", [])


def test_sheets_are_chosen_by_name_or_number_and_hidden_ones_are_passed_over():
    sheet = row(1, text("A1", "title.en"), text("B1", "status"))
    data = book(
        {
            "Notes": sheet + row(2, text("A2", "hidden")),
            "Projects": sheet + row(2, text("A2", "first visible")),
            "Проекти 2": sheet + row(2, text("A2", "second")),
        },
        hidden=("Notes",),
    )
    assert projects_of(data)[0][0].title["en"] == "first visible"
    assert projects_of(data, sheet="проекти 2")[0][0].title["en"] == "second"
    assert projects_of(data, sheet=1)[0][0].title["en"] == "hidden"
    with pytest.raises(ReadError, match=r"has no sheet 'Budget'; its sheets are 1: 'Notes'"):
        projects_of(data, sheet="Budget")
    with pytest.raises(ReadError, match="has no sheet 4"):
        projects_of(data, sheet="4")
    # a number past the sheets names a sheet: lists are often split by year
    years = book(
        {"2020": sheet + row(2, text("A2", "old")), "2021": sheet + row(2, text("A2", "new"))}
    )
    assert projects_of(years, sheet="2021")[0][0].title["en"] == "new"
    assert projects_of(years, sheet=2)[0][0].title["en"] == "new"
    assert projects_of(years, sheet=1)[0][0].title["en"] == "old"


def test_the_header_is_found_below_title_rows_or_given():
    data = book(
        row(1, text("A1", "Operations selected for support"))
        + row(3, text("A3", "status"), text("B3", "title.en"))
        + row(4, text("A4", "ongoing"), text("B4", "x"))
    )
    [project], _ = projects_of(data)
    assert project.title["en"] == "x"
    [project], _ = projects_of(data, header=3)
    assert project.status == "ongoing"
    with pytest.raises(ReadError, match="has nothing in row 2 of sheet 'Sheet1'"):
        projects_of(data, header=2)
    with pytest.raises(ReadError, match="is empty: sheet 'Sheet1' has no header row"):
        projects_of(book(""))


def test_a_label_over_several_columns_continues_right_in_all_but_the_last_row():
    assert stacked_header([["Programme", "Budget", "", "Paid"], ["", "Total", "EU", "Total"]]) == [
        "Programme",
        "Budget / Total",
        "Budget / EU",
        "Paid / Total",
    ]
    # one label written in both rows is said once; a one-row header is itself
    assert stacked_header([["title.en", "A"], ["title.en", "B"]]) == ["title.en", "A / B"]
    assert stacked_header([[" status ", ""]]) == ["status", ""]
    # a header over three rows, and cells left empty in the last row
    assert stacked_header([["Amount", ""], ["EU", "national"], ["", "own"]]) == [
        "Amount / EU",
        "Amount / national / own",
    ]


@pytest.mark.parametrize(
    ("value", "said"),
    [
        ("2-1", "go down the sheet"),
        ("0", "numbered from 1"),
        ("1-x", "rows such as 1-2"),
        ("1-20", "at most 10 rows"),
    ],
)
def test_the_header_option_is_a_row_or_rows(value, said):
    with pytest.raises(socialproj.OptionError, match=said):
        projects_of(book(row(1, text("A1", "title.en"))), header=value)


def test_a_workbook_s_header_may_span_rows_too():
    data = openpyxl_book(
        [
            ["Project", "Budget", None, "Status"],
            [None, "Total", "Currency", None],
            ["Roads", 1250.5, "BGN", "ongoing"],
        ],
        B="0.00",
    )
    mapping = (
        "Project=title;Budget / Total=funding.total.amount;Budget / Currency=funding.total.currency"
    )
    stream = read(io.BytesIO(data), "xlsx", errors="collect", header="1-2", mapping=mapping)
    [project] = list(stream)
    assert stream.problems == []
    assert project.funding is not None and project.funding.total == Money("1250.50", "BGN")
    assert project.status is None and project.extras == {"Status": "ongoing"}
    with pytest.raises(ReadError, match="has nothing in row 5-6 of sheet 'Sheet'"):
        list(read(io.BytesIO(data), "xlsx", header="5-6", mapping=mapping))


def test_no_row_read_while_looking_for_the_header_is_lost():
    # a one-column sheet: its header is known only after 50 rows, and those are records
    column = [row(1, text("A1", "title.en"))]
    column += [row(n, text(f"A{n}", f"project {n}")) for n in range(2, 121)]
    projects, problems = projects_of(book("".join(column)))
    assert problems == [] and len(projects) == 119
    assert projects[0].title["en"] == "project 2" and projects[0].source is None
    # a header's last row left empty (so not stored): the row after it is a record
    data = book(
        row(1, text("A1", "title.en"), text("B1", "status"))
        + row(3, text("A3", "Roads"), text("B3", "ongoing"))
    )
    [project], _ = projects_of(data, header="1-2")
    assert (project.title["en"], project.status) == ("Roads", "ongoing")
    # title rows above a header of two cells are still not records
    titled = book(
        row(1, text("A1", "Operations"))
        + row(2, text("A2", "as of 2024"))
        + row(3, text("A3", "title.en"), text("B3", "status"))
        + row(4, text("A4", "Roads"), text("B4", "ongoing"))
    )
    [project], _ = projects_of(titled)
    assert project.title["en"] == "Roads"


# -- bad cells and bad files -------------------------------------------------------------------


def test_bad_cells_are_reported_with_their_cell_and_the_good_rows_come_through():
    header = row(1, text("A1", "title.en"), text("B1", "funding.total.amount"))
    header = header.replace("</row>", text("C1", "funding.total.currency") + "</row>")
    data = book(
        header
        + row(2, text("A2", "good"), num("B2", "10"), text("C2", "EUR"))
        + row(3, text("A3", "formula"), "<c r='B3'><f>B2*2</f></c>", text("C3", "EUR"))
        + row(4, text("A4", "lost string"), "<c r='B4' t='s'><v>99</v></c>")
        + row(5, text("A5", "not a number"), num("B5", "12,5x"), text("C5", "EUR"))
        + row(6, text("A6", "wide"), num("B6", "1"), text("C6", "EUR"), text("E6", "note"))
        + row(7, text("A7", "error"), "<c r='B7' t='e'><v>#DIV/0!</v></c>", text("C7", "EUR"))
        + row(8, "<c r='A8' s='0'/>", "<c r='C8' s='0'/>")  # styled, empty: not a row
        + row(9, text("A9", "also good"), num("B9", "20"), text("C9", "EUR"))
    )
    projects, problems = projects_of(data)
    assert [p.title["en"] for p in projects] == ["good", "also good"]
    said = [str(problem) for problem in problems]
    assert said[0].startswith("<input>, line 3, row 2, field 'funding.total.amount': cell B3")
    assert "holds a formula with no computed value" in said[0] and "'=B2*2'" in said[0]
    assert "cell B4 points to no shared string" in said[1]
    assert "line 5" in said[2] and "cell B5 holds '12,5x': not a number" in said[2]
    assert "has 'note' in cell E6, right of the header's last column C" in said[3]
    assert "line 7" in said[4] and "'#DIV/0!'" in said[4]
    assert len(problems) == 5


def test_a_cell_past_the_last_column_is_reported_not_held():
    # "AAAAAAAA" is column 8 billion: holding the row up to it took all memory
    data = book(
        row(1, text("A1", "title.en"), text("B1", "status"))
        + row(2, text("A2", "x"), text("AAAAAAAA2", "y"))
        + row(3, text("A3", "Roads"), text("B3", "ongoing"))
    )
    projects, problems = projects_of(data)
    assert [p.title["en"] for p in projects] == ["Roads"]
    [problem] = problems
    assert "cell AAAAAAAA2 is past the sheet's last column XFD" in str(problem)


def test_a_shared_formula_saved_without_its_value_is_reported_too():
    data = book(
        row(1, text("A1", "title.en"), text("B1", "funding.total.amount"))
        + row(2, text("A2", "lost"), "<c r='B2'><f t='shared' si='0'/></c>")
        + row(3, text("A3", "kept"))
    )
    projects, [problem] = projects_of(data)
    assert [p.title["en"] for p in projects] == ["kept"]
    assert "line 2" in str(problem) and "cell B2 holds a formula with no computed value" in str(
        problem
    )


@pytest.mark.parametrize(
    ("damaged_row", "errors"),
    [(1500, "collect"), (100, "collect"), (100, "raise")],  # 100: within the rows
)  # looked ahead at for the number style
def test_a_damaged_sheet_yields_the_rows_before_the_damage(damaged_row, errors):
    rows = "".join(row(i, text(f"A{i}", f"p{i}")) for i in range(2, 2000))
    data = book(row(1, text("A1", "title.en"), text("B1", "status")) + rows)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml")
    start = f"<row r='{damaged_row}'".encode()
    at = sheet.index(start)
    damaged = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(damaged, "w") as target:
        for item in source.infolist():
            content = source.read(item)
            if item.filename.endswith("sheet1.xml"):
                content = sheet[:at] + start + b"><c><<" + sheet[at + 20 :]
            target.writestr(item, content)
    stream = read(io.BytesIO(damaged.getvalue()), "xlsx", errors=errors)
    got = []
    with pytest.raises(ReadError, match="has a damaged sheet 'Sheet1'; the rows before") as caught:
        got.extend(stream)
    assert [p.title["en"] for p in got] == [f"p{i}" for i in range(2, damaged_row)]
    assert caught.value.position.line == damaged_row - 1


@pytest.mark.parametrize(
    ("data", "said"),
    [
        (b"PK\x03\x04" + b"\x00" * 60, "a damaged zip archive"),
        (book(row(1, text("A1", "title.en")))[:-30], "a damaged zip archive"),
    ],
)
def test_a_damaged_or_foreign_archive_is_a_clear_error(data, said):
    with pytest.raises(ReadError, match=said):
        projects_of(data)


def archive(**parts: str) -> bytes:
    """A zip archive of text parts by name (``xl__workbook.xml`` is ``xl/workbook.xml``)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as made:
        for name, content in parts.items():
            made.writestr(name.replace("__", "/"), content)
    return out.getvalue()


def test_a_zip_that_is_no_workbook_or_an_ods_file_says_so():
    with pytest.raises(ReadError, match="an OpenDocument spreadsheet: read it with the ods format"):
        projects_of(
            archive(
                mimetype="application/vnd.oasis.opendocument.spreadsheet", **{"content.xml": "<x/>"}
            )
        )
    with pytest.raises(ReadError, match="a zip archive without a workbook in it"):
        projects_of(archive(**{"notes.txt": "hello"}))
    with pytest.raises(ReadError, match="is a workbook without sheets"):
        projects_of(archive(**{"xl__workbook.xml": f'<workbook xmlns="{_MAIN}"/>'}))


def test_a_workbook_given_as_csv_says_to_read_it_as_xlsx():
    data = book(row(1, text("A1", "title.en")))
    with pytest.raises(ReadError, match="read a workbook with the xlsx or ods format"):
        list(read(io.BytesIO(data), "csv"))


def test_a_stream_that_cannot_seek_is_read_too():
    data = book(row(1, text("A1", "title.en"), text("B1", "status")) + row(2, text("A2", "x")))

    class Pipe(io.RawIOBase):
        def __init__(self) -> None:
            self._data = io.BytesIO(data)

        def readable(self) -> bool:
            return True

        def readinto(self, buffer) -> int:
            chunk = self._data.read(min(len(buffer), 1000))
            buffer[: len(chunk)] = chunk
            return len(chunk)

    [project] = read(io.BufferedReader(Pipe()), "xlsx")
    assert project.title["en"] == "x"


# -- a workbook holding what the CSV format writes ----------------------------------------------


# a project with nothing in it is a row of empty cells, which a workbook does not keep
@given(st.lists(sps.projects().filter(socialproj.to_dict), min_size=1, max_size=4))
def test_a_workbook_of_canonical_csv_cells_reads_as_the_same_projects(projects):
    import csv

    written = io.BytesIO()
    socialproj.write(projects, written, "csv", formulas="keep")
    rows = list(csv.reader(io.StringIO(written.getvalue().decode("utf-8"), newline="")))
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for cells in rows:
        sheet.append([cell or None for cell in cells])
    for line in sheet.iter_rows():
        for cell in line:
            cell.data_type = "s" if cell.value is not None else cell.data_type
    out = io.BytesIO()
    workbook.save(out)
    back = list(read(io.BytesIO(out.getvalue()), "xlsx"))
    assert [socialproj.to_dict(p) for p in back] == [socialproj.to_dict(p) for p in projects]


# -- the command line --------------------------------------------------------------------------


def test_the_command_line_reads_a_workbook_with_its_options_and_no_from(tmp_path):
    path = tmp_path / "договори.xlsx"
    path.write_bytes(
        openpyxl_book(
            [
                ["Номер на договор", "Наименование на проекта", "Обща стойност"],
                ["BG-1", "Грижа", 118003.24],
                ["BG-2", "Подкрепа", "=C2*2"],
            ]
        )
    )
    done = run(
        "convert",
        str(path),
        str(tmp_path / "out.jsonl"),
        "-o",
        "mapping=isun",
        "-o",
        "currency=BGN",
    )
    assert done.returncode == 1, done.stderr
    assert "1 project written" in done.stderr
    assert "line 3, row 2, field 'Обща стойност': cell C3 holds a formula" in done.stderr
    assert '"amount":"118003.24","currency":"BGN"' in (tmp_path / "out.jsonl").read_text()
    done = run("validate", str(path), "-o", "mapping=isun", "-o", "currency=BGN", "-o", "sheet=9")
    assert done.returncode == 2 and "has no sheet 9" in done.stdout


def test_a_workbook_the_format_cannot_write_is_named():
    with pytest.raises(FormatError, match="format 'xlsx' cannot write"):
        socialproj.write([], io.BytesIO(), "xlsx")


_EXAMPLE = pathlib.Path(__file__).resolve().parents[1] / "examples/spreadsheet/projects-bg.xlsx"


def read_or_placed_error(
    read_it: Callable[[], tuple[list[Any], list[Any]]], *, most: int, placed: str
) -> None:
    """Read damaged input: at most ``most`` records and problems, or an error starting
    with ``placed`` (its place in the input), never a crash."""
    error = None
    try:
        projects, problems = read_it()
    except socialproj.SocialprojError as raised:  # anything else fails the test
        error = raised
    if error is not None:
        assert str(error).startswith(placed), error
    else:
        assert len(projects) + len(problems) <= most


def damaged(data: st.DataObject, original: bytes) -> bytes:
    """``original`` cut anywhere, or with one to four bytes changed (drawn from ``data``)."""
    copy = bytearray(original)
    if data.draw(st.booleans(), label="cut"):
        return bytes(copy[: data.draw(st.integers(0, len(copy) - 1), label="at")])
    for _ in range(data.draw(st.integers(1, 4), label="bytes")):
        where = data.draw(st.integers(0, len(copy) - 1), label="where")
        copy[where] = data.draw(st.integers(0, 255), label="to")
    return bytes(copy)


def _read_or_placed_error(workbook: bytes) -> None:
    read_or_placed_error(
        lambda: projects_of(workbook, mapping="isun", currency="BGN"), most=3, placed="<input>: "
    )


@given(st.data())
def test_a_workbook_cut_or_damaged_anywhere_gives_records_or_a_placed_error(data):
    _read_or_placed_error(damaged(data, _EXAMPLE.read_bytes()))


def test_every_field_of_the_zip_s_headers_damaged_gives_records_or_a_placed_error():
    # where the zip module raises what it does not document (NotImplementedError for a
    # version, RuntimeError for an encryption flag): every byte of every header, three ways
    original = _EXAMPLE.read_bytes()
    starts = [
        at
        for signature in (b"PK\x03\x04", b"PK\x01\x02", b"PK\x05\x06")
        for at in range(len(original))
        if original.startswith(signature, at)
    ]
    assert len(starts) > 10
    for start in starts:
        for offset in range(4, 30):
            for value in (0x00, 0x41, 0xFF):
                workbook = bytearray(original)
                if start + offset < len(workbook):
                    workbook[start + offset] = value
                    _read_or_placed_error(bytes(workbook))

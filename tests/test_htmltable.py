"""The html format: a table of a web page, or an HTML export named .xls, read like a sheet.

Two real exports of Bulgaria's UMIS (the register before ISUN 2020) are the examples:
a list of beneficiaries and a table of operational programmes with a header over two
rows, both saved by the system as ``.xls`` files that are HTML pages. Other pages are
written here by hand, to hold what browsers forgive (tags left open, spans, entities).
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
from pathlib import Path

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import socialproj
from socialproj import Money, ReadError, read
from socialproj.testing import strategies as sps

from .conftest import DATA, SEEDS
from .test_cli import run
from .test_workbook import read_or_placed_error

BENEFICIARIES = DATA / "tabular" / "iBeneficiary.first300rows.xls"
PROGRAMMES = DATA / "tabular" / "opOperationalProgramms.xls"
BENEFICIARY_MAPPING = "Name / Symbol=lead.name;Total=funding.total;Actually paid=extras.paid"


def page(*tables: str, head: str = '<meta charset="utf-8">') -> bytes:
    """A web page holding ``tables`` (their inner HTML), with text around them."""
    body = "\n<p>between the tables</p>\n".join(f"<table>{t}</table>" for t in tables)
    return f"<!DOCTYPE html><html><head>{head}</head><body>{body}</body></html>".encode()


def tr(*cells: str, tag: str = "td") -> str:
    return "<tr>" + "".join(f"<{tag}>{cell}</{tag}>" for cell in cells) + "</tr>"


def projects_of(data: bytes, **options):
    stream = read(io.BytesIO(data), "html", errors="collect", **options)
    return list(stream), stream.problems


# -- real exports ---------------------------------------------------------------------------------


def test_a_umis_export_named_xls_is_read_as_the_web_page_it_is():
    stream = read(BENEFICIARIES, errors="collect", mapping=BENEFICIARY_MAPPING, currency="BGN")
    projects = list(stream)
    assert stream.problems == []
    assert len(projects) == 300  # every row of the truncated export
    first = projects[0]
    assert first.lead is not None and first.lead.name == "„;MEDIKOM-SOTSIAL” LTD"
    # "100 583.28": groups of three with a space, a decimal point, learned from the column
    assert first.funding is not None and first.funding.total == Money("100583.28", "BGN")
    assert first.extras == {"paid": "91 680.92", "Number of projects": "1"}
    assert first.source is not None
    assert (first.source.format, first.source.file, first.source.line) == (
        "html",
        str(BENEFICIARIES),
        2,  # the table's second row: the first is the header
    )
    last = projects[-1]
    assert last.lead is not None and last.lead.name == "ABO-BELL LTD"
    assert last.funding is not None and last.funding.total == Money("308940.00", "BGN")


def test_a_header_over_two_rows_names_each_column_by_its_group_and_label():
    mapping = (
        "Operational Programme=programme.name;Programme budget / Total=funding.total;"
        "Programme budget / Funding from the EU=funding.eu;"
        "Programme budget / National funding=funding.national"
    )
    stream = read(PROGRAMMES, errors="collect", header="1-2", mapping=mapping, currency="BGN")
    projects = list(stream)
    assert stream.problems == []
    assert [p.programme.name.best() for p in projects if p.programme] == [
        "OPT",
        "OPE",
        "OPRD",
        "OPC",
        "OPTA",
        "OPHR",
        "OPAC",
    ]
    # the page's last row sums the programmes up: left out, and said so
    [note] = stream.notes
    assert "a total row ('TOTAL')" in note
    opt = projects[0]
    assert opt.funding is not None
    assert opt.funding.total == Money("3737889390.16", "BGN")
    assert opt.funding.amount_of("eu") == Money("3177205981.05", "BGN")
    assert opt.funding.amount_of("national") == Money("560683409.11", "BGN")
    # the other columns are kept under their two-row names
    assert opt.extras["Contracted Amount / Total"] == "5 706 137 946.91"
    # as the page writes it ("%&nbsp;*"); a mapping may name it with a plain space
    assert opt.extras["Actually paid / %\u00a0*"] == "91.34"
    again = next(iter(read(PROGRAMMES, header="1-2", mapping="Actually paid / % *=extras.paid")))
    assert again.extras["paid"] == "91.34"
    # the EU and national shares add up to the budget in every row but two, where the
    # register's own rounding left a cent over (OPRD, and so the total row, left out): within
    # validation's tolerance (a cent a share), so no funding finding
    over = {}
    for project in projects:
        funding = project.funding
        assert funding is not None and funding.total is not None
        difference = funding.amount_of("eu") + funding.amount_of("national") - funding.total
        if difference.amount:
            over[project.programme.name.best()] = difference
        codes = {finding.code for finding in socialproj.validate(project)}
        assert not {c for c in codes if c.startswith("funding.shares")}
    assert over == {"OPRD": Money("0.01", "BGN")}


def test_without_the_two_rows_the_second_header_row_is_named_as_the_problem():
    stream = read(PROGRAMMES, errors="collect", mapping="Operational Programme=programme.name")
    assert list(stream) == []
    first = str(stream.problems[0])
    assert first.startswith(f"{PROGRAMMES}, line 2, row 1: ")
    assert "right of the header's last column K" in first


def test_the_command_line_reads_an_export_named_xls_with_its_options_and_no_from(tmp_path):
    out = tmp_path / "beneficiaries.jsonl"
    process = run(
        "convert",
        str(BENEFICIARIES),
        str(out),
        "-o",
        f"mapping={BENEFICIARY_MAPPING}",
        "-o",
        "currency=BGN",
    )
    assert process.returncode == 0, process.stderr
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 300
    assert json.loads(lines[0])["funding"]["total"] == {"amount": "100583.28", "currency": "BGN"}
    shown = run("formats", "html")
    assert "table" in shown.stdout and "header" in shown.stdout


# -- what a browser shows -----------------------------------------------------------------------


def test_a_cell_s_text_is_what_a_browser_shows():
    data = page(
        tr("title.en", "title.bg", "status")
        + "<tr><td>\n  Social\n   care &amp; <b>youth</b><br>second&#160;line  </td>"
        "<td>Грижа&nbsp;за <i>деца</i></td><td><p>ongoing</p><p></p></td></tr>"
    )
    [project], problems = projects_of(data)
    assert problems == []
    assert project.title["en"] == "Social care & youth\nsecond\u00a0line"
    assert project.title["bg"] == "Грижа\u00a0за деца"
    assert project.status == "ongoing"


def test_tags_a_browser_closes_itself_are_closed_and_scripts_are_not_cells():
    data = page(
        "<tr><th>title.en<th>status"
        "<tr><td>one<td>ongoing"
        "<script>document.write('<tr><td>not a row<td>x')</script>"
        "<style>td { color: red }</style>"
        "<tr><td>two<td>finalised"
    )
    projects, problems = projects_of(data)
    assert problems == []
    assert [(p.title["en"], p.status) for p in projects] == [
        ("one", "ongoing"),
        ("two", "finalised"),
    ]


def test_spanning_cells_are_merged_cells_their_text_in_the_first():
    data = page(
        tr("title.en", "funding.total.amount", "funding.total.currency", "status", tag="th")
        + '<tr><td rowspan="2">Shared title</td><td>10.00</td><td>BGN</td><td>ongoing</td></tr>'
        + "<tr><td>20.00</td><td>EUR</td><td>finalised</td></tr>"
        + '<tr><td colspan="3">no amount in this row</td><td>ongoing</td></tr>'
    )
    projects, problems = projects_of(data)
    assert problems == []
    assert [p.title.best() for p in projects] == ["Shared title", None, "no amount in this row"]
    assert [p.funding.total if p.funding else None for p in projects] == [
        Money("10.00", "BGN"),
        Money("20.00", "EUR"),
        None,
    ]
    assert [p.status for p in projects] == ["ongoing", "finalised", "ongoing"]


def test_a_table_inside_a_cell_gives_its_text_to_that_cell():
    inner = "<table><tr><td>Municipality</td><td>of Belitsa</td></tr></table>"
    data = page(tr("title.en", "partners.1.name") + tr("Roads", inner))
    [project], _ = projects_of(data)
    assert project.partners[0].name == "Municipality of Belitsa"


# -- which table ----------------------------------------------------------------------------------


def test_the_first_table_with_a_header_is_read_unless_one_is_named():
    menu = tr("Home") + tr("Projects")  # a layout table: one cell a row
    projects_table = tr("title.en", "status") + tr("Roads", "ongoing")
    other = tr("title.en", "status") + tr("Bridges", "finalised")
    data = page(menu, projects_table, other)
    [project], _ = projects_of(data)
    assert project.title["en"] == "Roads"
    [project], _ = projects_of(data, table=3)
    assert project.title["en"] == "Bridges"
    with pytest.raises(ReadError, match="has no table 4: the page has 3"):
        projects_of(data, table=4)
    with pytest.raises(ReadError, match="is empty: table 1 has no header row"):
        projects_of(page("", tr("title.en", "status")), table=1)


def test_a_page_without_a_usable_table_says_so():
    with pytest.raises(ReadError, match="has no table: a web page's projects are read from"):
        projects_of(b"<html><body><p>No data today.</p></body></html>")
    with pytest.raises(ReadError, match="has no table with a row of two or more cells filled"):
        projects_of(page(tr("Home") + tr("About")))


@pytest.mark.parametrize(
    ("value", "said"),
    [
        ("0", "not '0'"),
        ("first", "not 'first'"),
    ],
)
def test_the_table_option_is_a_number(value, said):
    with pytest.raises(socialproj.OptionError, match=said):
        projects_of(page(tr("a", "b")), table=value)


# -- encodings and bad input -----------------------------------------------------------------


def test_the_page_s_declared_encoding_is_used():
    table = tr("title.bg", "status") + tr("Социални услуги", "ongoing")
    declared = page(
        table, head='<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">'
    )
    data = declared.decode("utf-8").encode("cp1251")
    [project], _ = projects_of(data)
    assert project.title["bg"] == "Социални услуги"
    wide = page(table).decode("utf-8").encode("utf-16")  # with its byte-order mark
    [project], _ = projects_of(wide)
    assert project.title["bg"] == "Социални услуги"


def test_a_cell_with_bytes_that_are_not_text_is_reported_and_the_other_rows_come_through():
    good = tr("Roads", "ongoing").encode()
    bad = b"<tr><td>Br\xffidges</td><td>finalised</td></tr>"
    data = page(tr("title.en", "status")).replace(b"</table>", good + bad + good + b"</table>")
    projects, problems = projects_of(data)
    assert [p.title["en"] for p in projects] == ["Roads", "Roads"]
    [problem] = problems
    said = str(problem)
    assert said.startswith("<input>, line 3, row 2, field 'title.en': cell A3 (line 1 of the page)")
    assert "not text in the page's encoding" in said and "Br\ufffdidges" in said


def test_a_cell_over_the_size_limit_is_reported_without_being_held():
    data = page(tr("title.en", "status") + tr("x" * 5000, "ongoing") + tr("Roads", "ongoing"))
    projects, problems = projects_of(data, max_field=1000)
    assert [p.title["en"] for p in projects] == ["Roads"]
    assert "cell A2 holds 5,000 characters, more than the limit of 1,000" in str(problems[0])


def test_a_nul_byte_is_an_error_naming_its_line_in_the_page():
    with pytest.raises(ReadError, match="holds a NUL byte on line 3 of the page"):
        projects_of(b"<html><body>\n\n<table>\x00</table>")


def test_a_declared_encoding_no_codec_has_gives_way_to_the_guess():
    data = page(tr("title.bg", "status") + tr("Социални услуги", "ongoing"))
    [project], problems = projects_of(data.replace(b"utf-8", b"no-such-codec"))
    assert problems == [] and project.title["bg"] == "Социални услуги"
    with pytest.raises(ReadError, match="there is no encoding named 'no-such-codec'"):
        list(read(io.BytesIO(data), "html", encoding="no-such-codec"))


def test_spans_and_nesting_past_any_real_page_are_cut_not_held():
    header = tr("title.en", "status")
    wide = "<tr>" + '<td colspan="1000">x</td>' * 20_000 + "</tr>"  # 20 million columns
    projects, problems = projects_of(page(header + wide + tr("Roads", "ongoing")))
    assert [p.title["en"] for p in projects] == ["Roads"]
    assert "row 2 goes on past 16,384 columns" in str(problems[0])
    deep = "<table>" * 10_000 + tr("a", "b") + "</table>" * 10_000
    (first, second), problems = projects_of(
        page(header + tr(deep, "ongoing") + tr("Roads", "finalised"))
    )
    # the outer table's rows are read; tables nested past 64 deep are not tables
    assert problems == [] and (first.status, second.status) == ("ongoing", "finalised")
    assert second.title["en"] == "Roads"


def test_a_page_declared_latin_1_is_read_as_windows_1252_as_the_standard_says():
    data = page(tr("title.en", "status"), head='<meta charset="iso-8859-1">')
    data = data.replace(b"</table>", b"<tr><td>\x80 5</td><td>ongoing</td></tr></table>")
    [project], _ = projects_of(data)
    assert project.title["en"] == "\u20ac 5"


def test_markup_the_standard_parser_refuses_is_skipped_as_browsers_do():
    data = page(tr("title.en", "status") + "<![foo bar]>" + tr("Roads", "ongoing"))
    [project], problems = projects_of(data)
    assert problems == [] and project.title["en"] == "Roads"


_FRAGMENTS = (
    b"<![x",
    b"<td colspan=99999999>",
    b"<tr>",
    b"</table>",
    b"\xff",
    b"&#99999999;",
    b"<!--",
)


@given(st.data())
def test_a_real_export_damaged_anywhere_gives_records_or_a_placed_error(data):
    copy = bytearray(PROGRAMMES.read_bytes())
    for _ in range(data.draw(st.integers(1, 4), label="changes")):
        where = data.draw(st.integers(0, len(copy) - 1), label="where")
        if data.draw(st.booleans(), label="insert"):
            copy[where:where] = data.draw(st.sampled_from(_FRAGMENTS), label="fragment")
        else:
            del copy[where : where + data.draw(st.integers(1, 300), label="cut")]
    read_or_placed_error(
        lambda: projects_of(
            bytes(copy), header="1-2", mapping="Operational Programme=programme.name"
        ),
        most=40,
        placed="<input>",
    )


# -- the same records as CSV --------------------------------------------------------------------


def _as_shown(cell: str) -> str:
    """A cell as a web page shows it: HTML white space runs as one space, lines kept,
    the ends of each line trimmed of spaces and no-break spaces."""
    lines = (re.sub(r"[ \t\r\f]+", " ", line).strip(" \u00a0") for line in cell.split("\n"))
    return "\n".join(line for line in lines if line)


@given(st.lists(sps.projects(), min_size=1, max_size=4))
def test_a_table_of_canonical_columns_reads_as_the_same_csv_does(projects):
    written = io.BytesIO()
    socialproj.write(projects, written, "csv", formulas="keep")
    text = written.getvalue().decode("utf-8")
    assume("\x00" not in text)  # no web page holds a NUL (refused, tested above)
    rows = [[_as_shown(cell) for cell in row] for row in csv.reader(io.StringIO(text))]
    rows = [row for row in rows if any(row)]  # an empty row of a sheet is no record
    shown = io.StringIO()
    csv.writer(shown).writerows(rows)
    markup = "".join(
        "<tr>"
        + "".join(f"<td>{html.escape(cell).replace(chr(10), '<br>')}</td>" for cell in row)
        + "</tr>"
        for row in rows
    )
    expected = list(read(io.BytesIO(shown.getvalue().encode()), "csv", formulas="keep"))
    assert list(read(io.BytesIO(page(markup)), "html", table=1)) == expected


def test_a_web_page_about_a_project_is_a_web_page_not_a_text_layout():
    for seed in sorted(SEEDS.glob("*.txt")):
        text = html.escape(seed.read_text(encoding="utf-8")).replace("\n", "<br>\n")
        data = f"<html><body><p>{text}</p></body></html>".encode()
        assert socialproj.choose_format(None, file="page", head=data).name == "html", seed.name


def test_the_html_format_is_listed_with_its_extensions(tmp_path: Path):
    fmt = socialproj.plugins.find_format("htm")
    assert fmt.name == "html" and fmt.writer is None and ".html" in fmt.extensions
    path = tmp_path / "projects.html"
    path.write_bytes(page(tr("title.en", "status") + tr("Roads", "ongoing")))
    assert [p.title["en"] for p in read(path)] == ["Roads"]

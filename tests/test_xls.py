"""The xls format: binary Excel 97-2003 workbooks, read through python-calamine.

No library here writes BIFF, so the real workbook is the evidence:
``tests/data/tabular/eubfr-budg-projects.xls``, EACEA's export of Creative Europe projects
(see that folder's README). Its values below were read off the row the EU's data lake
parsed independently (``record2.json`` beside the file in eubfr-data-lake: SheetJS, dates
M/D/Y) and off the sheet in LibreOffice. The mapping is
``examples/lists/eubfr-budg-creative-europe.toml``; the file is a *tune* file (the mapping
was written while looking at it).
"""

from __future__ import annotations

import datetime
import importlib
import io
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import socialproj
from socialproj import Money, PartialDate, ReadError, read
from socialproj_tables.xls_format import cell_text

from .test_cli import run

ROOT = Path(__file__).resolve().parents[1]
BOOK = ROOT / "tests" / "data" / "tabular" / "eubfr-budg-projects.xls"
MAPPING = ROOT / "examples" / "lists" / "eubfr-budg-creative-europe.toml"


def projects(**options):
    return list(read(BOOK, mapping=str(MAPPING), **options))


def test_the_creative_europe_export_reads_whole_through_its_mapping():
    found = projects()
    assert len(found) == 19  # 20 rows: the header and 19 projects
    assert all(not p.source.findings for p in found)
    assert {p.source.format for p in found} == {"xls"}
    first = found[0]  # row 2: the row the data lake parsed (record2.json)
    assert first.source.line == 2
    assert first.title["en"] == "International Young Makers in Action"
    assert first.identifiers[0].value == "552237-CREA-1-2014-1-NL-CULT-COOP1"
    assert first.identifiers[0].scheme == "eacea"
    assert first.funding.shares[0].amount == Money(Decimal("200000"), "EUR")
    assert first.period.start == PartialDate(2014, 10, 9)
    assert first.period.end == PartialDate(2016, 10, 8)
    lead, partner = first.partners[0], first.partners[1]
    assert (lead.name, lead.country, lead.role.value) == ("STICHTING ITS FESTIVAL", "NL", "lead")
    assert (partner.name, partner.country) == ("TEATRAKO TEATRO ELKARTEA", "ES")
    assert first.extras["Coordinator's address"] == "TOLHUISWEG 2, 1031 CL, AMSTERDAM"
    assert first.extras["Partner 1 region"] == "Extra-Regio NUTS 2"
    assert len(first.partners) == 6  # the coordinator and five partners; the rest empty


@pytest.mark.parametrize(
    ("line", "amount", "start", "end", "lead", "country"),
    [
        (3, "199440.7", (2014, 11, 3), (2016, 12, 15), "LABA SRL", "IT"),
        (8, "111695.16", (2014, 9, 1), (2016, 4, 30), "A M ASSOCIAZIONE ADRIATICO", "IT"),
        (20, "191866.59", (2014, 10, 1), (2016, 4, 1), "HAMPSHIRE & WIGHT TRUST", "GB"),
    ],
)  # fmt: skip
def test_three_rows_read_as_the_sheet_shows_them(line, amount, start, end, lead, country):
    (project,) = [p for p in projects() if p.source.line == line]
    assert project.funding.shares[0].amount == Money(Decimal(amount), "EUR")
    assert project.period.start == PartialDate(*start)
    assert project.period.end == PartialDate(*end)
    assert project.partners[0].name.startswith(lead)
    assert project.partners[0].country == country


def test_a_binary_workbook_is_told_from_an_html_page_named_xls():
    assert socialproj.choose_format(file="x.xls", head=BOOK.read_bytes()[:4096]).name == "xls"
    page = b"<html><body><table><tr><td>a</td><td>b</td></tr></table>"
    assert socialproj.choose_format(file="x.xls", head=page).name == "html"


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (199440.7, "199440.7"),
        (200000.0, "200000"),
        (200000, "200000"),
        (0.1 + 0.2, "0.3"),  # 0.30000000000000004: past the 15 digits Excel shows
        (1e-05, "0.00001"),
        (-1234.5, "-1234.5"),
        (1e20, "100000000000000000000"),
        (True, "TRUE"),
        ("  text ", "  text "),
        (datetime.date(2014, 10, 9), "2014-10-09"),
        (datetime.datetime(2014, 10, 9), "2014-10-09"),
        (datetime.datetime(2014, 10, 9, 8, 30), "2014-10-09T08:30:00"),
        (datetime.time(8, 30), "08:30:00"),
        (datetime.timedelta(days=2, hours=3), "P2DT10800S"),
    ],
)
def test_a_cell_s_value_becomes_the_text_the_sheet_shows(value, text):
    assert cell_text(value) == text


@given(
    st.decimals(
        min_value=Decimal("-9999999999999.99"),
        max_value=Decimal("9999999999999.99"),
        places=2,
        allow_nan=False,
    )
)
def test_any_amount_stored_as_a_double_reads_back_to_the_cent(amount):
    # what BIFF stores is the double nearest the amount typed; its shortest decimal is it
    assert Decimal(cell_text(float(amount))) == amount


def test_sheets_are_chosen_by_name_or_number_and_a_wrong_one_lists_them(tmp_path):
    with pytest.raises(ReadError, match=r"has no sheet 'Budget'; its sheets are 1: 'Creative"):
        projects(sheet="Budget")
    assert len(projects(sheet="creative europe")) == 19
    assert len(projects(sheet=1)) == 19


def test_a_damaged_or_foreign_office_file_is_a_clear_error():
    data = BOOK.read_bytes()
    for damaged in (data[:3000], data[:512] + b"\x00" * 4096, data[:8] + b"\xff" * 600):
        with pytest.raises(ReadError, match="is not a readable workbook"):
            list(read(io.BytesIO(damaged), "xls", mapping=str(MAPPING)))


def test_without_python_calamine_the_refusal_says_what_to_install(monkeypatch):
    real = importlib.import_module

    def missing(name, *args, **kwargs):
        if name == "python_calamine":
            raise ImportError("No module named 'python_calamine'")
        return real(name, *args, **kwargs)

    monkeypatch.setattr(importlib, "import_module", missing)
    with pytest.raises(ReadError, match=r"needs python-calamine: pip install 'socialproj\[xls\]'"):
        projects()


def test_a_cell_past_max_field_is_reported_with_its_cell_as_in_every_sheet_format():
    stream = read(BOOK, mapping=str(MAPPING), max_field=2000, errors="collect")
    kept = list(stream)
    problems = [str(p) for p in stream.problems]
    # the rows whose summary (column J) is too long to hold are reported, the others read
    assert problems and len(kept) + len(problems) == 19
    assert all(
        "cell J" in p and "more than the limit of 2,000" in p and "max_field" in p for p in problems
    )
    assert all(len(p.summary["en"]) <= 2000 for p in kept)


def test_the_command_line_reads_an_xls_file_with_no_from(tmp_path):
    out = tmp_path / "out.jsonl"
    result = run("convert", str(BOOK), str(out), "-o", f"mapping={MAPPING}")
    assert result.returncode == 0, result.stderr
    assert len(out.read_text(encoding="utf-8").splitlines()) == 19

"""Real programme lists, read as people bring them (issue 21).

The real lists in ``tests/data/tabular`` (and the one in ``examples/lists``) are split by
file name: the *tune* lists are the ones the readers were worked on, and the tests below
check three rows of each against values read off the file by eye; the *check* lists were
only measured, with mappings written from their headers alone (``examples/lists``), and
the tests hold no value of theirs: only what every list must give (every row a record,
every bad cell a finding).
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from socialproj import (
    FormatError,
    Money,
    PartialDate,
    ReadError,
    columns,
    normalize_fund,
    read,
    validate,
)
from socialproj.codes import FUNDS
from socialproj.vocabulary import fund_words, languages

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "tabular"
LISTS = ROOT / "examples" / "lists"

#: list → its mapping in examples/lists
TUNE = {
    "ESIF_Croatia_2007-2020.first150.csv": "croatia-esif.toml",
    "ListOfOperations_20160513.first100.csv": "greece-operations.toml",
    "cleaning_romania.first250.csv": "romania-regio-2007.toml",
}
CHECK = {
    "Poland_CF_2014_2020.csv": "poland-cf.toml",
    "all_funds_Latvia_2014-2020.csv": "latvia-all-funds.toml",
    "all_funds_data_luxembourg_2007-2020.csv": "luxembourg-all-funds.toml",
}


def where(name: str) -> Path:
    """A list's file: the one the how-to walks through is in examples/lists."""
    return LISTS / name if (LISTS / name).exists() else DATA / name


def read_list(name: str, **options):
    mapping = str(LISTS / {**TUNE, **CHECK}[name])
    return list(read(where(name), "csv", mapping=mapping, **options))


def csv_read(text: str, **options):
    return list(read(io.BytesIO(text.encode()), "csv", **options))


def data_rows(name: str) -> int:
    """The records of a list, counted as a spreadsheet would: by the csv module."""
    import csv

    raw = where(name).read_bytes()
    for encoding in ("utf-8", "cp1250", "cp1253"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    delimiter = (
        ";" if text.split("\n", 1)[0].count(";") > text.split("\n", 1)[0].count(",") else ","
    )
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    return sum(1 for row in rows[1:] if any(cell.strip() for cell in row))


# -- every list: no row lost, every bad cell said ---------------------------------------------


@pytest.mark.parametrize("name", [*TUNE, *CHECK])
def test_every_row_of_a_real_list_is_a_record(name):
    projects = read_list(name)
    assert len(projects) == data_rows(name)
    for project in projects:
        assert project.title, project.source
        assert project.partners and project.partners[0].name, project.source
        for finding in project.source.findings:
            if finding.code == "import.cell.unreadable":  # said with its column and text
                assert finding.data["column"] and finding.data["text"], finding


@pytest.mark.parametrize("name", [*TUNE, *CHECK])
def test_the_amounts_of_a_real_list_are_read_or_reported(name):
    for project in read_list(name):
        raw = project.source.fields
        unreadable = {f.data["column"] for f in project.source.findings}
        if raw.get("funding.total") and "placeholder" not in str(project.source.findings):
            total = project.funding.total if project.funding else None
            assert total is not None or unreadable, project.source
            if total is not None:
                assert total.currency is not None


# -- the tune lists: three rows each, read off the file by eye ----------------------------


def test_croatia_three_rows():
    projects = read_list("ESIF_Croatia_2007-2020.first150.csv")
    first, middle, last = projects[0], projects[74], projects[149]
    assert first.title["hr"].startswith("Informatizacija i  stručne edukacije")
    assert first.funding.total == Money("5172338.50", "HRK")  # "5.172.338,50 kn"
    assert first.period.start == PartialDate(2015, 6, 18)  # 18.06.2015
    assert first.period.end == PartialDate(2016, 6, 17)
    assert first.partners[0].name == "Ministarstvo socijalne politike i mladih (15351583880)"
    assert middle.funding.total == Money("1779415.20", "HRK")
    assert middle.funding.shares[0].amount == Money("1690444.44", "HRK")
    assert middle.partners[0].name == "Veleučilište u Rijeci (29573709870)"
    assert last.funding.total == Money("1697471.00", "HRK")
    assert last.period.start == PartialDate(2015, 7, 27)
    assert last.locations[0].name == "PRIMORSKO-GORANSKA"


def test_greece_three_rows():
    projects = read_list("ListOfOperations_20160513.first100.csv")
    first, middle, last = projects[0], projects[49], projects[99]
    assert first.funding.total == Money("1912.96", "EUR")  # "1.912,96"
    assert first.funding.shares[0].rate == Decimal("0.8500")  # "85,00"
    assert first.funding.shares[0].fund == "CF"  # "6-ΤΣ": the Cohesion Fund
    assert first.period.start == PartialDate(2016, 1, 1)  # 01/01/2016
    assert first.partners[0].country == "GR"  # "ΕΛΛΑΔΑ"
    assert middle.funding.total == Money("12779078.60", "EUR")
    assert middle.funding.shares[0].fund == "ERDF"  # "1-ΕΤΠΑ"
    assert middle.partners[0].name == "ΠΕΡΙΦΕΡΕΙΑ ΗΠΕΙΡΟΥ"
    assert last.funding.shares[0].fund == "ESF"  # "2-ΕΚΤ"
    assert last.period.end == PartialDate(2023, 12, 31)


def test_romania_three_rows():
    projects = read_list("cleaning_romania.first250.csv")
    first, middle, last = projects[0], projects[124], projects[249]
    assert first.identifier("smis").value == "6987"
    assert first.funding.total == Money("3628302", "RON")
    eu, national, own = first.funding.shares
    assert (eu.fund, eu.amount) == ("ERDF", Money("1752091", "RON"))
    assert national.amount == Money("384871", "RON")
    assert own.amount == Money("43611", "RON")
    assert first.partners[0].city == "Alba Iulia"
    assert middle.identifier("smis").value == "12495"
    assert middle.partners[0].name == "Municipiul Dorohoi"
    assert last.funding.total == Money("3102636", "RON")
    assert last.partners[0].name == "Orasul Gura Humorului"
    # the list's total includes the ineligible expenses, which are no share: said
    codes = {finding.code for finding in validate(first)}
    assert "funding.shares.sum_mismatch" in codes


# -- lists that hold no projects ----------------------------------------------------------


@pytest.mark.parametrize("name", ["kohesio-data-export.tsv", "iBeneficiary.first300rows.xls"])
def test_a_list_of_beneficiaries_is_refused_with_what_it_holds(name):
    with pytest.raises(ReadError, match="one row per beneficiary, place or programme"):
        list(read(DATA / name))


@pytest.mark.parametrize(
    "header",
    [
        "Variable,Description,Type",
        "Nome campo;Descrizione;Tipo",
        "Поле,Описание",
        "Feldname,Beschreibung",
    ],
)
def test_a_data_dictionary_is_refused_as_one(header):
    """A table describing another file's columns (OpenCoesione's Metadati_OC is one)."""
    delimiter = ";" if ";" in header else ","
    text = (
        header
        + "\n"
        + delimiter.join(["COD_PROGETTO", "Project code", "char"][: header.count(delimiter) + 1])
        + "\n"
    )
    with pytest.raises(ReadError, match="is a data dictionary, not a list of projects"):
        list(read(io.StringIO(text), "csv"))


def test_a_project_list_with_a_description_column_is_not_a_data_dictionary():
    text = "title.en,Description\nWheels,A bike path\n"
    [project] = read(io.StringIO(text), "csv")
    assert project.extras["Description"] == "A bike path"


def test_a_list_that_sums_projects_up_reads_through_a_mapping_of_ones_own():
    text = "Beneficiary,Number of projects,Total\nA,3,1 000.00\n"
    [row] = csv_read(
        text, mapping="Beneficiary=title;Number of projects=extras.count", currency="EUR"
    )
    assert row.extras["count"] == "3"


# -- a bad cell keeps its record ------------------------------------------------------------


def test_a_bad_cell_is_a_finding_on_its_record_and_the_row_is_kept():
    text = "Name;Total;Start\nA;12,50;01.02.2020\nB;twelve;31.09.2019\n"
    a, b = csv_read(
        text, mapping="Name=title;Total=funding.total;Start=period.start", currency="EUR"
    )
    assert a.funding.total == Money("12.50", "EUR")
    assert b.title["und"] == "B"
    assert b.funding is None and b.period is None
    [amount, date] = b.source.findings
    assert amount.code == date.code == "import.cell.unreadable"
    assert (amount.path, amount.data["column"], amount.data["text"]) == (
        "$.funding.total",
        "Total",
        "twelve",
    )
    assert date.data["text"] == "31.09.2019" and date.path == "$.period.start"
    assert "expected" in amount.data
    assert b.source.row == 2 and b.source.fields["funding.total"] == "twelve"


def test_bad_cells_drop_reports_the_row_and_leaves_it_out():
    text = "Name;Total\nA;12,50\nB;twelve\n"
    stream = read(
        io.BytesIO(text.encode()),
        "csv",
        mapping="Name=title;Total=funding.total",
        currency="EUR",
        bad_cells="drop",
        errors="collect",
    )
    assert [p.title["und"] for p in stream] == ["A"]
    [problem] = stream.problems
    assert problem.position.row == 2 and problem.value == "twelve"


def test_an_ambiguous_amount_names_the_option_that_settles_it():
    [project] = csv_read("Name,Total\nA,370.300 €\n", mapping="Name=title;Total=funding.total")
    [finding] = project.source.findings
    assert "370300 or 370.300" in finding.message
    assert "-o decimal=. or -o decimal=," in finding.message
    assert finding.message.count("expected") == 1
    [settled] = csv_read(
        "Name,Total\nA,370.300 €\n", mapping="Name=title;Total=funding.total", decimal=","
    )
    assert settled.funding.total == Money("370300", "EUR")


def _amounts(projects):
    return [p.funding.total.amount if p.funding else None for p in projects]


def test_a_stated_decimal_mark_holds_in_every_cell():
    text = "Name;Total\nA;1.234,50\nB;288.11\nC;7,5\n"
    a, b, c = csv_read(text, mapping="Name=title;Total=funding.total", currency="EUR", decimal=",")
    assert _amounts([a, b, c]) == [Decimal("1234.50"), None, Decimal("7.5")]
    [finding] = b.source.findings
    assert finding.code == "import.cell.unreadable" and finding.data["text"] == "288.11"
    assert "writes '.' as its decimal mark" in finding.message
    assert "stated by -o decimal" in finding.message and "-o decimal=." in finding.message
    assert finding.message.count("expected") == 1


def test_a_column_that_contradicts_itself_settles_none_of_its_ambiguous_cells():
    # 1,234.50 says ',' groups; 5,31 says ',' marks decimals: 1,234 cannot be settled
    text = "Name;Total\nA;1,234.50\nB;5,31\nC;1,234\n"
    a, b, c = csv_read(text, mapping="Name=title;Total=funding.total", currency="EUR")
    assert _amounts([a, b]) == [Decimal("1234.50"), Decimal("5.31")]
    assert c.funding is None
    assert "could be 1234 or 1.234" in c.source.findings[0].message


def test_a_style_learned_from_the_first_rows_holds_in_the_rows_after_them():
    rows = [f"R{i};{i},234.50" for i in range(1, 301)]  # more rows than the style is learned on
    text = "Name;Total\n" + "\n".join([*rows, "X;288,11", "Y;1,234", "Z;7.5"]) + "\n"
    *first, x, y, z = csv_read(text, mapping="Name=title;Total=funding.total", currency="EUR")
    assert len(first) == 300 and all(not p.source.findings for p in first)
    assert _amounts([x, y, z]) == [None, Decimal("1234"), Decimal("7.5")]
    [finding] = x.source.findings
    assert "writes ',' as its decimal mark" in finding.message
    assert "as the first rows write them" in finding.message and "-o decimal=," in finding.message


# -- total rows -----------------------------------------------------------------------------


@pytest.mark.parametrize("label", ["UKUPNO:", "Общо", "Total", "TOTAL PROGRAMME", "Razem"])
def test_a_total_row_is_left_out_with_a_note(label):
    text = f"Name;Total\nA;1 000,00\nB;2 000,00\n{label};3 000,00\n"
    stream = read(
        io.BytesIO(text.encode()), "csv", mapping="Name=title;Total=funding.total", currency="EUR"
    )
    assert [p.title["und"] for p in stream] == ["A", "B"]
    [note] = stream.notes
    assert "row 3" in note and repr(label) in note and "totals=keep" in note


def test_totals_keep_reads_a_total_row_as_a_record():
    text = "Name;Total\nA;1 000,00\nTotal;1 000,00\n"
    projects = csv_read(
        text, mapping="Name=title;Total=funding.total", currency="EUR", totals="keep"
    )
    assert len(projects) == 2


def test_a_project_whose_title_starts_with_a_total_word_is_kept():
    text = "Name;Total\nTotal care for the elderly;1 000,00\n"
    [project] = csv_read(text, mapping="Name=title;Total=funding.total", currency="EUR")
    assert project.title["und"] == "Total care for the elderly"


# -- a mapping that does not fit ----------------------------------------------------------


def test_a_mapping_naming_columns_the_file_lacks_is_refused_with_the_nearest(tmp_path):
    path = tmp_path / "list.csv"
    path.write_text("Title,Total amount\nx,1 EUR\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "socialproj",
            "convert",
            str(path),
            str(out),
            "-o",
            "mapping=Title=title;Total amont=funding.total",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert "'Total amont' (nearest: 'Total amount')" in done.stderr
    assert "its columns are 'Title', 'Total amount'" in done.stderr
    assert not out.exists()  # no file of records made of extras


def test_a_preset_none_of_whose_columns_the_file_has_is_refused():
    with pytest.raises(ReadError, match="none of the columns of the 'isun' preset"):
        csv_read("Title,Total\nx,1 EUR\n", mapping="isun")


# -- constants --------------------------------------------------------------------------------


def test_a_mapping_s_constants_apply_to_every_row(tmp_path):
    mapping = tmp_path / "m.toml"
    mapping.write_text(
        '[mapping]\nCode = "identifiers.1.value"\nName = "title.ro"\nEU = "funding.eu"\n'
        '[constants]\ncurrency = "RON"\n"identifiers.1.scheme" = "smis"\n'
        '"funding.eu.fund" = "FEDR"\n"programme.cci" = "2007RO161PO001"\n',
        encoding="utf-8",
    )
    a, b = csv_read("Code,Name,EU\n6987,A,100\n6905,B,200\n", mapping=str(mapping))
    assert a.identifiers[0].scheme == "smis" and b.identifiers[0].value == "6905"
    assert b.funding.shares[0].amount == Money("200", "RON")
    assert b.funding.shares[0].fund == "ERDF"
    assert a.programme.cci == "2007RO161PO001"
    # the source said none of it: the raw fields hold only its cells
    assert set(a.source.fields) == {"identifiers.1.value", "title.ro", "funding.eu"}
    [given] = csv_read("Code,Name,EU\n1,A,100\n", mapping=str(mapping), currency="EUR")
    assert given.funding.shares[0].amount.currency == "EUR"  # the option wins


def test_a_json_mapping_may_hold_constants_too(tmp_path):
    mapping = tmp_path / "m.json"
    mapping.write_text(
        json.dumps(
            {
                "mapping": {"Name": "title", "Lead": "lead.name"},
                "constants": {"lead.country": "Polska"},
            }
        ),
        encoding="utf-8",
    )
    [project] = csv_read("Name,Lead\nA,Gmina B\n", mapping=str(mapping))
    assert (project.partners[0].name, project.partners[0].country) == ("Gmina B", "PL")


@pytest.mark.parametrize(
    ("constants", "problem"),
    [('currency = "EURO"', "not an ISO 4217"), ('"fundin.eu" = "x"', "not a mapping target")],
)
def test_a_wrong_constant_is_refused_before_reading(tmp_path, constants, problem):
    mapping = tmp_path / "m.toml"
    mapping.write_text(f'[mapping]\nName = "title"\n[constants]\n{constants}\n', encoding="utf-8")
    with pytest.raises(Exception, match=problem):
        csv_read("Name\nA\n", mapping=str(mapping))


# -- the fund names of the vocabulary -------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("Europski fond za regionalni razvoj", "ERDF"),
        ("FESR", "ERDF"),
        ("EFRE", "ERDF"),
        ("ΕΤΠΑ", "ERDF"),
        ("1-ΕΤΠΑ", "ERDF"),
        ("Fundusz Spójności", "CF"),
        ("Fonds social européen", "ESF"),
        ("EAKR", "ERDF"),
        ("Кохезионен фонд", "CF"),
    ],
)
def test_fund_names_are_read_in_the_languages_of_the_union(written, code):
    assert normalize_fund(written) == code


def test_every_fund_word_of_every_language_names_a_known_fund():
    for word in fund_words():
        for language, code in fund_words()[word].items():
            assert code in FUNDS, (language, word, code)
    assert len(languages()) >= 30


# -- the columns of a list ------------------------------------------------------------------


def test_columns_shows_a_workbook_s_header_below_its_title_row():
    table = columns(ROOT / "examples" / "spreadsheet" / "projects-bg.xlsx")
    assert table.names[0] == "Номер на договор" and table.line == 2
    assert table.sample(3) == "499777.91"  # the number cell's digits, not a float


def test_columns_refuses_a_format_that_reads_no_table():
    with pytest.raises(FormatError, match="reads no table"):
        columns(io.StringIO("Project title: x\n"), "robg-card")


# -- numbers and quotes as programs write them ----------------------------------------------


def test_kohesio_s_scientific_notation_is_read_exactly_and_its_quotes_as_text():
    mapping = (
        "Beneficiary Name=lead.name;Total Budget=funding.total;EU Contribution=funding.eu;"
        "Number of Projects=extras.projects"
    )
    path = DATA / "kohesio-data-export.tsv"
    projects = list(read(path, "csv", mapping=mapping, currency="EUR", quoting="none"))
    assert len(projects) == 300  # every row, the quoted names too
    blagoevgrad = next(p for p in projects if p.partners[0].name == "Община Благоевград")
    assert blagoevgrad.funding.total == Money("47293750.62", "EUR")  # 4.729375062E7
    assert blagoevgrad.funding.shares[0].amount == Money("39558345.94", "EUR")
    assert any(p.partners[0].name == '"Зора-ЕС" ЕООД' for p in projects)


def test_without_quoting_none_a_tab_separated_quote_is_reported_with_the_option():
    mapping = "Beneficiary Name=lead.name;Number of Projects=extras.projects"
    stream = read(DATA / "kohesio-data-export.tsv", "csv", mapping=mapping, errors="collect")
    list(stream)
    assert stream.problems and "-o quoting=none" in str(stream.problems[0])


@pytest.mark.parametrize(
    ("written", "amount"),
    [("4.729375062E7", "47293750.62"), ("1E-2", "0.01"), ("-4.7e3", "-4700"), ("1.5E3", "1500")],
)
def test_scientific_notation_is_read_to_its_own_digits(written, amount):
    [project] = csv_read(f"Name,Total\nA,{written}\n", mapping="Name=title;Total=funding.total")
    assert project.funding.total.amount == Decimal(amount)
    assert str(project.funding.total.amount) == amount


def test_an_exponent_no_amount_has_is_refused_not_expanded():
    [project] = csv_read("Name,Total\nA,1e999\n", mapping="Name=title;Total=funding.total")
    assert project.funding is None
    assert "exponent 999" in project.source.findings[0].message


def test_quarters_in_a_list_are_dates_known_to_the_quarter():
    text = "Name;Start;End\nA;Q3 2014;2016 Q2\nB;3. Quartal 2014;T4 2015\n"
    a, b = csv_read(text, mapping="Name=title;Start=period.start;End=period.end")
    assert (a.period.start, a.period.end) == (
        PartialDate(2014, quarter=3),
        PartialDate(2016, quarter=2),
    )
    assert (b.period.start, b.period.end) == (
        PartialDate(2014, quarter=3),
        PartialDate(2015, quarter=4),
    )
    assert not a.source.findings and not b.source.findings


def test_a_partner_with_no_name_is_reported_and_left_out_not_named_nothing():
    text = "Name;P1;C1;P2;C2\nA;;BG;Община Белица;BG\n"
    [project] = csv_read(
        text,
        mapping="Name=title;P1=partners.1.name;C1=partners.1.country;"
        "P2=partners.2.name;C2=partners.2.country",
    )
    assert [(p.name, p.country) for p in project.partners] == [("Община Белица", "BG")]
    [finding] = project.source.findings
    assert finding.code == "import.partner.unnamed" and finding.data == {"country": "BG"}
    assert project.source.fields["partners.1.country"] == "BG"

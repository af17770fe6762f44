"""Other producers' JSON read through a mapping of JSON paths (issue 21, item 8).

The real records are split by file name, as the lists of ``test_lists.py`` are: the
*tune* files were read while the JSON paths were built, and the tests below check their
values against the files, read by eye; the *check* file was only read through the
shipped mapping, and its test holds only what every record must give.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import socialproj
from socialproj import Money, PartialDate, ReadError, Role, read
from socialproj.jsonmapping import JSONPaths, parse_path, record_paths
from socialproj.mapping import load_mapping

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "tabular"
EXAMPLES = ROOT / "examples" / "json"
KEEP = str(EXAMPLES / "keep-eu.toml")

TUNE = ("keep-eu-17853.json", "keep-eu-32348.json", "eubfr-2014tc16rfcb014-record.json")
CHECK = ("keep-eu-25693.json", "eubfr-bulgaria-record.json")


def mapped(data: object, mapping: dict[str, str] | str, fmt: str = "json", **options):
    """Read ``data`` (JSON-encodable, or JSON Lines text) through ``mapping``."""
    text = data if isinstance(data, str) else json.dumps(data)
    stream = read(io.BytesIO(text.encode()), fmt, mapping=mapping, errors="collect", **options)
    return list(stream), stream


# -- paths -------------------------------------------------------------------------------


def test_a_path_is_keys_items_and_quoted_keys():
    assert parse_path("a.b[].c") == ("a", "b", None, "c")
    assert parse_path("$.a[0]") == ("a", 0)
    assert parse_path('a["x.y"].z') == ("a", "x.y", "z")
    assert parse_path("Operation start date") == ("Operation start date",)
    for wrong in ("", "a..b", "a[", ".a", "a[x]"):
        with pytest.raises(ValueError, match="path"):
            parse_path(wrong)


def test_a_list_path_must_go_to_a_list_target():
    with pytest.raises(ValueError, match="takes every item of a list"):
        JSONPaths({"partners[].name": "lead.name"})
    JSONPaths({"partners[].name": "partners[].name", "tags[]": "extras.tags"})


def test_lists_of_one_group_stay_aligned_item_by_item():
    paths = JSONPaths({"p[].name": "partners[].name", "p[].town": "partners[].city"})
    cells, extras = paths.cells(
        {"p": [{"name": "A", "town": "X"}, {"name": "B"}, {"name": "C", "town": "Z"}]}
    )
    assert cells == [["A", "B", "C"], ["X", "", "Z"]]
    assert extras == {}
    (project,), _ = mapped(
        {"p": [{"name": "A", "town": "X"}, {"name": "B"}, {"name": "C", "town": "Z"}]},
        {"p[].name": "partners[].name", "p[].town": "partners[].city"},
    )
    assert [(p.name, p.city) for p in project.partners] == [("A", "X"), ("B", None), ("C", "Z")]


def test_a_key_the_record_holds_as_written_wins_over_the_path_it_spells():
    paths = JSONPaths({"No. of partners": "extras.partners", "a.b": "title"})
    cells, extras = paths.cells({"No. of partners": 3, "a": {"b": "T", "c": 1}})
    assert cells == [Decimal(3), "T"]
    assert extras == {"a.c": 1}


def test_fields_no_path_names_are_kept_under_their_paths():
    record = {
        "id": 7,
        "programme": {"id": 35, "title": "P"},
        "parts": [{"name": "A", "id": 1}, {"name": "B", "id": 2, "pic": None}],
    }
    (project,), _ = mapped(
        record, {"programme.title": "programme.name.en", "parts[].name": "partners[].name"}
    )
    assert project.extras == {
        "id": Decimal(7),
        "programme.id": Decimal(35),
        "parts[].id": [Decimal(1), Decimal(2)],
        "parts[].pic": [None, None],
    }
    assert record_paths(record) == [
        "id",
        "programme.id",
        "programme.title",
        "parts[].name",
        "parts[].id",
        "parts[].pic",
    ]


@given(
    st.decimals(
        allow_nan=False, allow_infinity=False, places=4, min_value=-(10**12), max_value=10**12
    )
)
def test_a_json_number_is_the_amount_exactly(amount):
    text = json.dumps({"total": "X"}).replace('"X"', format(amount, "f"))
    (project,), _ = mapped(text, {"total": "funding.total.amount"}, currency="EUR")
    assert project.funding.total == Money(amount, "EUR")
    assert str(project.funding.total.amount) == format(amount, "f")


def test_amounts_in_text_are_read_in_the_style_the_records_show():
    records = [{"t": "1.234,50"}, {"t": "12.000,00"}, {"t": 7.5}]
    projects, _ = mapped(records, {"t": "funding.total"}, currency="BGN")
    assert [p.funding.total.amount for p in projects] == [
        Decimal("1234.50"),
        Decimal("12000.00"),
        Decimal("7.5"),
    ]


# -- documents and lines -----------------------------------------------------------------


def test_a_list_a_field_holding_the_list_and_json_lines():
    mapping = {"name": "title.en", "budget": "funding.total"}
    records = [{"name": "A", "budget": "10 EUR"}, {"name": "B", "budget": "20 EUR"}]
    assert [p.title.best() for p in mapped(records, mapping)[0]] == ["A", "B"]
    document = {"meta": {"count": 2}, "data": records}
    assert [p.title.best() for p in mapped(document, mapping, records="data")[0]] == ["A", "B"]
    lines = "\n".join(json.dumps(r) for r in records) + "\n"
    projects, _ = mapped(lines, mapping, "jsonl")
    assert [p.funding.total for p in projects] == [Money("10", "EUR"), Money("20", "EUR")]
    with pytest.raises(
        ReadError, match=r"no list under the top-level field 'items'.*'meta', 'data'"
    ):
        mapped(document, mapping, records="items")


def test_what_is_no_record_is_reported_and_the_others_read():
    projects, stream = mapped([{"name": "A"}, 3, {"name": "B"}], {"name": "title.en"})
    assert [p.title.best() for p in projects] == ["A", "B"]
    (problem,) = stream.problems
    assert "is not a JSON object" in str(problem)


def test_a_bad_value_is_a_finding_on_its_record():
    (project,), _ = mapped(
        {"name": "A", "start": "31/09/2019"}, {"name": "title.en", "start": "period.start"}
    )
    (finding,) = [f for f in project.source.findings if f.code == "import.cell.unreadable"]
    assert finding.data["text"] == "31/09/2019" and project.period is None


def test_a_mapping_the_records_do_not_hold_is_refused_with_the_fields_they_have():
    with pytest.raises(ReadError, match=r"none of the fields.*'titel'.*'title'"):
        mapped({"title": "A", "budget": 3}, {"titel": "title.en"})
    projects, stream = mapped({"title": "A"}, {"title": "title.en", "summary": "summary.en"})
    assert len(projects) == 1
    assert any("'summary'" in note for note in stream.notes)


def test_the_command_line_refuses_an_unfitting_mapping_with_exit_2(tmp_path):
    source = tmp_path / "r.json"
    source.write_text('{"title": "A"}', encoding="utf-8")
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "socialproj",
            "convert",
            str(source),
            "--from",
            "json",
            "-o",
            "mapping=titel=title.en",
        ],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 2, run.stderr
    assert "none of the fields" in run.stderr and run.stdout == ""


# -- real records --------------------------------------------------------------------------


def test_keep_eu_projects_by_eye():
    (nikopol,) = read(EXAMPLES / "keep-eu-17853.json", "json", mapping=KEEP)
    assert nikopol.funding.total == Money("5816165.49", "EUR")
    assert nikopol.funding.shares[0].amount == Money("4943740.67", "EUR")
    assert nikopol.period.start == PartialDate(2017, 3, 31)
    assert nikopol.period.end == PartialDate(2023, 12, 30)
    assert [(p.name, p.role, p.country, p.budget) for p in nikopol.partners] == [
        ("Orașul Turnu Măgurele", Role.PARTNER, "RO", Money("2439245.03", "EUR")),
        ("Община Никопол", Role.LEAD, "BG", Money("3376920.46", "EUR")),
    ]
    assert nikopol.programme.name.best() == "2014 - 2020 INTERREG V-A Romania - Bulgaria"
    assert nikopol.extras["partnerships[].postcode"] == ["145200", "5940"]

    (strandja,) = read(EXAMPLES / "keep-eu-32348.json", "json", mapping=KEEP)
    assert (strandja.identifiers[0].scheme, strandja.identifiers[0].value) == ("keep", "32348")
    assert strandja.identifiers[1].value == "BGTR0200037"
    assert strandja.funding.shares[0].rate == Decimal("0.85")
    assert strandja.funding.total == Money("928469.53", "EUR")
    assert strandja.period.start == PartialDate(2025, 6, 24)
    assert len(strandja.partners) == 7
    assert strandja.partners[0].name == '"Криста" ЕООД' and strandja.partners[0].city == "Sredets"


def test_an_interreg_list_row_from_the_eu_data_lake_by_eye():
    mapping = str(EXAMPLES / "eubfr-interreg-central-baltic.toml")
    (row,) = read(DATA / "eubfr-2014tc16rfcb014-record.json", "json", mapping=mapping, split=";")
    assert row.funding.total == Money("451412.010000000009313", "EUR")
    assert row.period.start == PartialDate(2015, 9, 1) and row.period.end == PartialDate(
        2018, 2, 28
    )
    lead, second, *rest = row.partners
    assert (lead.name, lead.role, lead.country, lead.budget) == (
        "Laurea-ammattikorkeakoulu Oy",
        Role.LEAD,
        "FI",
        Money("202352", "EUR"),
    )
    assert second.budget == Money("163370.67", "EUR") and len(rest) == 6
    assert row.programme.cci == "2014TC16RFCB014"


@pytest.mark.parametrize("name", CHECK)
def test_check_records_read_whole_through_the_shipped_mappings(name):
    mapping = {
        "keep-eu-25693.json": KEEP,
        "eubfr-bulgaria-record.json": str(EXAMPLES / "eubfr-bulgaria-amif.toml"),
    }[name]
    where = EXAMPLES if name.startswith("keep-eu") else DATA
    stream = read(where / name, "json", mapping=mapping, split=";", errors="collect")
    projects = list(stream)
    assert len(projects) == 1 and not stream.problems
    (project,) = projects
    assert project.title.best() and project.funding.total is not None
    assert project.period.start is not None and project.partners
    # nothing lost: every field of the record is mapped or kept in extras
    raw = json.loads((where / name).read_text(encoding="utf-8"))
    named = {parse_path(key)[0] for key in load_mapping(mapping)}
    kept = {key if key in raw else parse_path(key.replace("[]", ""))[0] for key in project.extras}
    assert set(raw) <= named | kept


def test_columns_shows_json_records_fields_as_the_paths_a_mapping_names():
    table = socialproj.columns(EXAMPLES / "keep-eu-17853.json", "json")
    names = list(table.names)
    assert names[:3] == ["id", "project_id", "status"]
    town = names.index("partnerships[].town")
    assert table.sample(town) == "Turnu Măgurele; Nikopol"
    assert table.sample(names.index("programme.title")).startswith("2014 - 2020 INTERREG V-A")
    # every path shown is one a mapping can name: the draft reads the file
    projects = list(
        read(EXAMPLES / "keep-eu-17853.json", "json", mapping=dict.fromkeys(names, "-"))
    )
    assert len(projects) == 1


def test_columns_of_json_lines_take_each_line_as_a_record(tmp_path):
    path = tmp_path / "rows.jsonl"
    path.write_text('{"a": 1, "b": {"c": "x"}}\n{"a": 2, "d": [1, 2]}\n', encoding="utf-8")
    table = socialproj.columns(path, "jsonl")
    assert table.names == ("a", "b.c", "d[]")
    assert table.rows == (("1", "x", ""), ("2", "", "1; 2"))
    with pytest.raises(socialproj.ReadError, match="holds no JSON object"):
        socialproj.columns(io.BytesIO(b"[1, 2]"), "json")

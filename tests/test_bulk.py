"""The bulk path: canonical CSV read column by column gives what the object path gives.

:func:`socialproj.read_batches` reads a canonical CSV file into Arrow batches without a
record per row (``plugins/socialproj_tables/arrow_rows.py``); rows it cannot settle go
through the detailed builder. These tests hold the two paths together on generated
files with bad rows mixed in: the same records, in the same order, and the same
problems, with their places.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import socialproj
from socialproj.testing import strategies as sps

pa = pytest.importorskip("pyarrow")

#: cells that make a row bad, or make the column reader hand it to the detailed builder
_ODD_CELLS = {
    "funding.total.amount": ["12,50", "abc", "1e3", "+5", "00.5", "1." + "0" * 11, " 7"],
    "funding.total.currency": ["eur", "XXX", "EURO"],
    "period.start": ["2019-02-30", "2019-13", "15.03.2019", "1850-01-01", "2019-Q5", "2019"],
    "period.duration.months": ["-1", "x", " 3"],
    "partners.1.role": ["Lead", "boss", ""],
    "partners.1.name": ["", "   "],
    "identifiers.1.value": ["  ", "\u2003"],
    "extras.note": ['say "hi"', "a\\b", "tab\there", "bell\x07", "line\nbreak"],
    "extras.count:json": ["12", "1.5", '"x"', "[1]", "null", "true", "{"],
    "funding.derived": ["total", "total total", "bogus"],
}


def _table(batches: Any) -> Any:
    return pa.Table.from_batches(list(batches), schema=socialproj.arrow_schema())


def _both(data: bytes, **options: Any) -> tuple[Any, list[str], Any, list[str]]:
    """The object path's table and problems, then the bulk path's, for one CSV file."""
    objects = socialproj.read(io.BytesIO(data), "csv", errors="collect", **options)
    by_object = socialproj.to_arrow(list(objects))
    batches = socialproj.read_batches(
        io.BytesIO(data), "csv", errors="collect", batch_size=7, **options
    )
    by_columns = _table(batches)
    return (
        by_object,
        [str(p) for p in objects.problems],
        by_columns,
        [str(p) for p in batches.problems],
    )


def _same(data: bytes, **options: Any) -> None:
    import pyarrow.parquet as pq

    by_object, said, by_columns, said_too = _both(data, **options)
    assert by_columns.to_pylist() == by_object.to_pylist()
    assert said_too == said
    # and Parquet takes the batches as they are (no null where the schema has none)
    out = io.BytesIO()
    with pq.ParquetWriter(out, socialproj.arrow_schema()) as writer:
        for batch in by_columns.to_batches():
            writer.write_batch(batch)
    back = pq.read_table(io.BytesIO(out.getvalue()))
    assert list(socialproj.from_arrow(back)) == list(socialproj.from_arrow(by_object))


def _csv(projects: list[socialproj.Project]) -> bytes:
    out = io.BytesIO()
    socialproj.write(projects, out, "csv")
    return out.getvalue()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(sps.projects(), min_size=1, max_size=12))
def test_generated_files_read_the_same_by_columns(projects: list[socialproj.Project]) -> None:
    _same(_csv(projects))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(sps.projects(), min_size=2, max_size=10),
    st.lists(
        st.tuples(st.sampled_from(sorted(_ODD_CELLS)), st.integers(0, 9), st.integers(0, 99)),
        max_size=6,
    ),
    st.lists(st.integers(0, 9), max_size=2),
)
def test_bad_and_odd_rows_go_the_same_way(
    projects: list[socialproj.Project],
    odd: list[tuple[str, int, int]],
    short_rows: list[int],
) -> None:
    """Odd cells planted in generated rows, and rows of the wrong width: same records, problems."""
    import csv

    rows = list(csv.reader(io.StringIO(_csv(projects).decode("utf-8"), newline="")))
    header = rows[0]
    for name in _ODD_CELLS:
        if name not in header:
            header.append(name)
            for row in rows[1:]:
                row.append("")
    for name, row, choice in odd:
        cells = _ODD_CELLS[name]
        rows[1 + row % (len(rows) - 1)][header.index(name)] = cells[choice % len(cells)]
    for row in short_rows:
        rows[1 + row % (len(rows) - 1)] = rows[1 + row % (len(rows) - 1)][:2]
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    _same(out.getvalue().encode("utf-8"))


def test_a_decimal_comma_file_reads_its_whole_amounts_by_columns() -> None:
    data = (
        "title.en;funding.total.amount;funding.total.currency\nA;1.000;EUR\nB;2,50;EUR\nC;7;EUR\n"
    )
    _same(data.encode(), decimal=",")
    by_columns = _table(socialproj.read_batches(io.StringIO(data), "csv", decimal=","))
    totals = [row["funding"]["total"]["amount"] for row in by_columns.to_pylist()]
    assert [str(t.normalize()) for t in totals] == ["1E+3", "2.5", "7"]


def test_a_mapped_list_comes_as_batches_too() -> None:
    """A user's list goes through its records; a bad cell is a finding on its record."""
    data = "Titlu;Total\nDrum;1 000,00\nPod;x\n"
    by_object, said, by_columns, said_too = _both(
        data.encode(), mapping="Titlu=title.ro;Total=funding.total"
    )
    assert by_columns.to_pylist() == by_object.to_pylist()
    assert by_columns.num_rows == 2 and said_too == said == []


def test_errors_raise_gives_the_records_before_the_bad_row() -> None:
    data = "title.en,funding.total.amount\nA,1\nB,2\nC,x\nD,4\n"
    batches = socialproj.read_batches(io.StringIO(data), "csv", batch_size=10)
    got: list[Any] = []
    with pytest.raises(socialproj.RecordError, match="line 4"):
        got.extend(batches)
    assert [row["title"] for row in _table(got).to_pylist()] == [[("en", "A")], [("en", "B")]]


def test_an_amount_of_eleven_decimals_is_a_problem_at_its_row() -> None:
    data = "title.en,funding.total.amount\nA,1.12345678901\nB,2\n"
    batches = socialproj.read_batches(io.StringIO(data), "csv", errors="collect")
    table = _table(batches)
    assert table.num_rows == 1
    (problem,) = batches.problems
    assert "line 2" in str(problem) and "10 decimals" in str(problem)


def test_formats_without_a_batch_reader_give_batches_of_their_records() -> None:
    data = '{"title": {"en": "Wheels"}, "funding": {"total": {"amount": "424.835"}}}\n'
    table = _table(socialproj.read_batches(io.StringIO(data), "jsonl"))
    assert list(socialproj.from_arrow(table)) == list(socialproj.read(io.StringIO(data), "jsonl"))


def test_write_batches_writes_a_row_group_per_batch(tmp_path: Path) -> None:
    pytest.importorskip("pyarrow.parquet")
    import pyarrow.parquet as pq

    rows = "".join(f"P{n},{n}.50,EUR\n" for n in range(25))
    data = "title.en,funding.total.amount,funding.total.currency\n" + rows
    target = tmp_path / "out.parquet"
    written = socialproj.write_batches(
        socialproj.read_batches(io.StringIO(data), "csv", batch_size=4), target, row_group=10
    )
    assert written == 25
    groups = pq.ParquetFile(target).metadata
    assert [groups.row_group(i).num_rows for i in range(groups.num_row_groups)] == [4] * 6 + [1]
    back = list(socialproj.read(target))
    assert back == list(socialproj.read(io.StringIO(data), "csv"))


def test_write_batches_refuses_batches_of_another_schema(tmp_path: Path) -> None:
    other = pa.RecordBatch.from_pylist([{"a": 1}])
    with pytest.raises(socialproj.FormatError, match="arrow_schema"):
        socialproj.write_batches([other], tmp_path / "out.parquet")


def test_the_seed_projects_are_read_by_columns_alone(tmp_path: Path) -> None:
    """Rows as the canonical writer writes them need no record built one by one."""
    import csv

    from socialproj_tables.arrow_rows import ColumnReader
    from socialproj_tables.builder import Plan

    examples = Path(__file__).parent.parent / "examples" / "seeds"
    path = tmp_path / "seeds.csv"
    projects = []
    for file in sorted(examples.iterdir()):
        with socialproj.read(file) as stream:
            projects.extend(stream)
    socialproj.write(projects, path)
    with path.open(newline="", encoding="utf-8") as handle:
        header, *rows = csv.reader(handle)
    batch, unsettled = ColumnReader(Plan.of(header), None).read(rows)
    assert not any(unsettled) and batch.num_rows == len(rows) == 5
    with socialproj.read(path) as stream:
        assert batch.to_pylist() == socialproj.to_arrow(stream).to_pylist()


def test_a_real_list_written_canonical_is_read_by_columns_alone(tmp_path: Path) -> None:
    """The Romanian REGIO list (source fields, extras, shares) back from canonical CSV."""
    import csv

    from socialproj_tables.arrow_rows import ColumnReader
    from socialproj_tables.builder import Plan

    lists = Path(__file__).parent.parent / "examples" / "lists"
    path = tmp_path / "ro.csv"
    with socialproj.read(
        lists / "cleaning_romania.first250.csv", mapping=lists / "romania-regio-2007.toml"
    ) as stream:
        socialproj.write(stream, path)
    with path.open(newline="", encoding="utf-8") as handle:
        header, *rows = csv.reader(handle)
    batch, unsettled = ColumnReader(Plan.of(header), None).read(rows)
    assert not any(unsettled) and batch.num_rows == 250
    with socialproj.read(path) as stream:
        assert batch.to_pylist() == socialproj.to_arrow(stream).to_pylist()


@pytest.mark.parametrize(
    "bad_row",
    [
        'P20,"x"y,EUR\n',  # text after a closing quote: the strict csv module reports it
        "P20,1,EUR,extra\n",  # a cell too many
        "P20,1.5.5,EUR\n",  # an amount the detailed builder refuses
        "P20,'=1,EUR\n",  # a formula escaped, unescaped by the csv reader
        "\n\nP20,7,EUR\n",  # blank lines: the rows after them keep their numbers
    ],
)
def test_pyarrow_parsing_hands_over_to_the_csv_module_at_the_first_doubt(bad_row: str) -> None:
    """Rows parsed by pyarrow before the doubt are given once; the csv module reads on."""
    good = "".join(f"P{n},{n}.50,EUR\n" for n in range(20))
    later = "".join(f"Q{n},{n},EUR\n" for n in range(15)) + "Bad,x,EUR\n"
    data = "title.en,funding.total.amount,funding.total.currency\n" + good + bad_row + later
    _same(data.encode())
    _, _, table, said_too = _both(data.encode())
    assert table.num_rows >= 35 and any("x" in p for p in said_too)

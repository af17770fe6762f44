"""Records for analytic engines: one Arrow schema, Parquet, DuckDB and Polars (issue 19)."""

from __future__ import annotations

import io
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import socialproj
from socialproj import (
    Funding,
    Money,
    PartialDate,
    Partner,
    Period,
    Project,
    ReadError,
    Share,
    arrow_schema,
    from_arrow,
    read,
    to_arrow,
    write,
)
from socialproj.canonical.table import Kind, walk
from socialproj.testing import strategies as sps

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

ROOT = Path(__file__).resolve().parents[1]
ROMANIA = ROOT / "examples" / "lists" / "cleaning_romania.first250.csv"
ROMANIA_MAPPING = ROOT / "examples" / "lists" / "romania-regio-2007.toml"


def _projects() -> list[Project]:
    return list(read(ROMANIA, mapping=str(ROMANIA_MAPPING)))


@settings(max_examples=150, deadline=None)
@given(st.lists(sps.projects(), max_size=5))
def test_arrow_round_trip_is_the_identity(projects):
    assert list(from_arrow(to_arrow(projects, batch_size=2))) == projects


def test_the_schema_is_the_same_whatever_the_records_hold():
    bare = to_arrow([Project(title={"en": "x"})])
    full = to_arrow(_projects()[:3])
    assert bare.schema == full.schema == arrow_schema()
    assert arrow_schema().metadata[b"socialproj.arrow_schema_version"] == b"1"


def test_every_field_of_the_table_is_a_column():
    schema = arrow_schema()
    for path, spec in walk():
        arrow_type = schema.field(path[0]).type
        for name in path[1:]:
            while pa.types.is_list(arrow_type):
                arrow_type = arrow_type.value_type
            arrow_type = arrow_type.field(name).type
        if spec.kind is Kind.AMOUNT:
            assert arrow_type == pa.decimal128(38, 10), path


def test_the_scale_of_amounts_and_the_precision_of_dates_come_back():
    project = Project(
        title={"bg": "Път"},
        funding=Funding(Money("424.835", "EUR"), [Share("eu", "ERDF", Money("1000.00", "EUR"))]),
        period=Period(PartialDate(2019, 3), PartialDate(2021)),
    )
    [back] = from_arrow(to_arrow([project]))
    assert str(back.funding.total.amount) == "424.835"
    assert str(back.funding.shares[0].amount.amount) == "1000.00"
    assert back.period.start == PartialDate(2019, 3) and back.period.end == PartialDate(2021)


def test_an_amount_with_more_decimals_than_the_column_is_refused_not_rounded():
    project = Project(title={"en": "x"}, funding=Funding(Money("0.12345678901", "EUR")))
    with pytest.raises(ValueError, match="11 decimals"):
        to_arrow([project])


# -- parquet ------------------------------------------------------------------------------


def test_parquet_is_written_in_row_groups_and_read_back_exactly(tmp_path):
    projects = _projects()
    path = tmp_path / "ro.parquet"
    write(projects, path, row_group=100)
    assert pq.ParquetFile(path).metadata.num_row_groups == 3
    assert list(read(path)) == projects


def test_parquet_refuses_a_record_it_cannot_hold_and_writes_the_others(tmp_path):
    bad = Project(title={"en": "x"}, funding=Funding(Money("0.12345678901", "EUR")))
    good = Project(title={"en": "y"})
    written = write([good, bad, good], tmp_path / "x.parquet", errors="collect")
    assert written == 2
    [problem] = written.problems
    assert "record 2" in str(problem) and "11 decimals" in str(problem)


def test_a_parquet_file_of_another_schema_is_refused_with_its_columns(tmp_path):
    path = tmp_path / "other.parquet"
    pq.write_table(pa.table({"name": ["a"], "budget": [1.5]}), path)
    with pytest.raises(ReadError, match=r"not in socialproj's schema \(its columns: name, budget"):
        list(read(path))


def test_a_damaged_parquet_file_is_a_read_error(tmp_path):
    path = tmp_path / "ro.parquet"
    write(_projects()[:5], path)
    damaged = path.read_bytes()[:-40]
    with pytest.raises(ReadError, match="Parquet"):
        list(read(io.BytesIO(damaged), "parquet"))


# -- the engines ------------------------------------------------------------------------------


def _eu_by_fund_and_country(projects):
    sums: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for project in projects:
        country = project.partners[0].country if project.partners else None
        for share in project.funding.shares if project.funding else ():
            if share.source.value == "eu" and share.amount is not None:
                sums[(share.fund, country)] += share.amount.amount
    return dict(sums)


def _mixed() -> list[Project]:
    projects = _projects()
    extra = Project(
        title={"en": "Danube2Wheels"},
        funding=Funding(
            Money("1250000.00", "RON"), [Share("eu", "ERDF", Money("1062500.005", "RON"))]
        ),
        partners=[Partner("Silistra Municipality", "lead", "BG")],
        period=Period(PartialDate(2019, 3, 1)),
    )
    return [*projects, extra]


def test_duckdb_sums_eu_amounts_per_fund_and_country_exactly(tmp_path):
    duckdb = pytest.importorskip("duckdb")
    projects = _mixed()
    path = tmp_path / "all.parquet"
    write(projects, path)
    rows = duckdb.sql(
        f"""
        select share.fund, partners[1].country as country, sum(share.amount.amount) as eu
        from (select unnest(funding.shares) as share, partners from '{path}')
        where share.source = 'eu'
        group by all
        """
    ).fetchall()
    assert {(fund, country): eu for fund, country, eu in rows} == _eu_by_fund_and_country(projects)
    started = duckdb.sql(
        f"select count(*) from '{path}' where period.start >= DATE '2019-01-01'"
    ).fetchall()
    assert started == [(1,)]


def test_polars_sums_eu_amounts_per_fund_and_country_exactly(tmp_path):
    pl = pytest.importorskip("polars")
    projects = _mixed()
    path = tmp_path / "all.parquet"
    write(projects, path)
    frame = (
        pl.read_parquet(path)
        .select(
            pl.col("partners").list.first().struct.field("country").alias("country"),
            pl.col("funding").struct.field("shares").alias("share"),
        )
        .explode("share")
        .unnest("share")
        .filter(pl.col("source") == "eu")
        .select("fund", "country", pl.col("amount").struct.field("amount").alias("eu"))
        .group_by("fund", "country")
        .agg(pl.col("eu").sum())
    )
    found = {(row["fund"], row["country"]): row["eu"] for row in frame.to_dicts()}
    assert found == _eu_by_fund_and_country(projects)


def test_the_top_level_names_are_the_columnar_module_s():
    assert socialproj.to_arrow is to_arrow and socialproj.from_arrow is from_arrow


# -- datasets: a folder of Parquet files --------------------------------------------------------


def _files(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.parquet"))


def test_a_folder_target_is_written_as_a_dataset_partitioned_by_country_and_year(tmp_path):
    duckdb = pytest.importorskip("duckdb")
    projects = _mixed()
    folder = tmp_path / "dataset"
    written = write(projects, f"{folder}/", "parquet", partition_by="country,year")
    assert written == len(projects)
    files = _files(folder)
    assert all(f.parent.name.startswith("year=") for f in files)
    assert {f.parent.parent.name for f in files} >= {"country=BG"}
    # each file is in socialproj's schema and reads back alone; together, every record
    back = [p for f in files for p in read(f)]
    assert sorted(map(repr, back)) == sorted(map(repr, projects))
    rows = duckdb.sql(
        f"""
        select country, share.fund, sum(share.amount.amount)
        from (select unnest(funding.shares) as share, country
              from read_parquet('{folder}/**/*.parquet', hive_partitioning = true))
        where share.source = 'eu' group by all
        """
    ).fetchall()
    expected: dict[tuple[str | None, str], Decimal] = defaultdict(Decimal)
    for project in projects:
        lead = next((p for p in project.partners if p.role.value == "lead"), None)
        lead = lead or (project.partners[0] if project.partners else None)
        for share in project.funding.shares if project.funding else ():
            if share.source.value == "eu" and share.amount is not None:
                expected[(lead.country if lead else None, share.fund)] += share.amount.amount
    assert {(c, f): s for c, f, s in rows} == dict(expected)
    years = duckdb.sql(
        f"select distinct year from read_parquet('{folder}/**/*.parquet', hive_partitioning = true)"
        " where year is not null"
    ).fetchall()
    assert (2019,) in years


def test_writing_a_dataset_again_replaces_it_whole(tmp_path):
    folder = tmp_path / "dataset"
    write(_mixed(), f"{folder}/", "parquet", partition_by="country")
    before = _files(folder)
    assert len(before) > 1
    write([Project(title={"en": "only"})], folder, "parquet", partition_by="country")
    after = _files(folder)
    assert [p.title["en"] for f in after for p in read(f)] == ["only"]  # no stale partition
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # nothing left over


def test_a_dataset_folder_gets_the_usual_permissions_or_the_old_folder_s(tmp_path):
    import os
    import stat

    folder = tmp_path / "dataset"
    write([Project(title={"en": "x"})], f"{folder}/", "parquet")
    mask = os.umask(0)
    os.umask(mask)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o777 & ~mask
    folder.chmod(0o750)
    write([Project(title={"en": "y"})], folder, "parquet")
    assert stat.S_IMODE(folder.stat().st_mode) == 0o750


def test_a_failed_dataset_write_keeps_the_old_dataset(tmp_path):
    folder = tmp_path / "dataset"
    write([Project(title={"en": "old"})], f"{folder}/", "parquet")

    def failing():
        yield Project(title={"en": "new"})
        raise RuntimeError("the source broke")

    with pytest.raises(RuntimeError, match="the source broke"):
        write(failing(), folder, "parquet")
    assert [p.title["en"] for f in _files(folder) for p in read(f)] == ["old"]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_a_dataset_refuses_records_it_cannot_hold_with_their_number(tmp_path):
    bad = Project(title={"en": "x"}, funding=Funding(Money("0.12345678901", "EUR")))
    good = Project(title={"en": "y"})
    written = write([good, good, bad, good], tmp_path / "d/", "parquet", errors="collect")
    assert written == 3
    [problem] = written.problems
    assert "record 3" in str(problem)


@pytest.mark.parametrize("value", ["colour", "year,year", "country;year"])
def test_partition_by_names_known_keys_once(tmp_path, value):
    with pytest.raises(socialproj.OptionError, match="partition_by names country, year"):
        write([], tmp_path / "d/", "parquet", partition_by=value)


def test_a_format_that_writes_files_only_refuses_a_folder(tmp_path):
    with pytest.raises(socialproj.FormatError, match="writes files, not datasets in folders"):
        write([Project(title={"en": "x"})], f"{tmp_path}/", "jsonl")

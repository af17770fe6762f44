"""socialproj.dask: projects of several files as one Dask DataFrame, exact to the cent.

Runs with Dask's synchronous scheduler (the local one, in this process), so what a worker
does is what the test sees.
"""

from __future__ import annotations

import collections
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings

import socialproj
from socialproj.testing import strategies as sps

dask = pytest.importorskip("dask")
pd = pytest.importorskip("pandas")
import socialproj.dask  # noqa: E402 - after the skips: it needs dask


def generated(count: int) -> list[socialproj.Project]:
    found: list[socialproj.Project] = []

    @settings(
        max_examples=count,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(sps.projects())
    def draw(project: socialproj.Project) -> None:
        found.append(project)

    draw()
    return found[:count]


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("parts")
    projects = generated(90)
    paths = []
    for number, fmt in enumerate(("jsonl", "csv", "parquet")):
        path = folder / f"part{number}.{fmt}"
        socialproj.write(projects[number * 30 : (number + 1) * 30], path)
        paths.append(path)
    return projects, paths


def test_one_partition_per_file_in_any_format_with_the_same_columns(files):
    projects, paths = files
    frame = socialproj.dask.read(paths)
    assert frame.npartitions == 3
    assert list(frame.columns) == socialproj.arrow_schema().names
    with dask.config.set(scheduler="synchronous"):
        computed = frame.compute()
    assert len(computed) == len(projects)
    titles = [dict(t) if t is not None else {} for t in computed["title"]]
    assert titles == [dict(p.title) for p in projects]


def test_totals_per_currency_are_the_exact_sums_of_the_object_path(files):
    projects, paths = files
    expected: collections.Counter[str] = collections.Counter()
    for project in projects:
        if project.funding is not None and project.funding.total is not None:
            total = project.funding.total
            expected[total.currency] += total.amount

    def totals(part):
        money = part["funding"].struct.field("total")
        return pd.DataFrame(
            {
                "currency": money.struct.field("currency").astype(str),
                "amount": money.struct.field("amount"),
            }
        ).dropna()

    frame = socialproj.dask.read(paths)
    meta = pd.DataFrame(
        {
            "currency": pd.Series([], dtype=str),
            "amount": pd.Series(
                [],
                dtype=pd.ArrowDtype(
                    socialproj.arrow_schema()
                    .field("funding")
                    .type.field("total")
                    .type.field("amount")
                    .type
                ),
            ),
        }
    )
    sums = frame.map_partitions(totals, meta=meta).groupby("currency")["amount"].sum()
    with dask.config.set(scheduler="synchronous"):
        found = {currency: Decimal(value) for currency, value in sums.compute().items()}
    assert found == {currency: Decimal(amount) for currency, amount in expected.items()}
    assert found  # the generated records hold totals


def test_each_row_says_which_file_and_line_it_came_from(tmp_path):
    path = tmp_path / "plain.jsonl"
    path.write_text('{"title": {"en": "a"}}\n\n{"title": {"en": "b"}}\n', encoding="utf-8")
    with dask.config.set(scheduler="synchronous"):
        sources = socialproj.dask.read([path])["source"].compute()
    assert [(s["file"], s["line"]) for s in sources] == [(str(path), 1), (str(path), 3)]


def test_a_bad_record_fails_its_partition_or_is_left_out_when_collecting(tmp_path):
    good = tmp_path / "good.jsonl"
    socialproj.write(generated(3), good)
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"title": {"en": "x"}}\n{"title": 5}\n', encoding="utf-8")
    with dask.config.set(scheduler="synchronous"):
        with pytest.raises(socialproj.RecordError):
            socialproj.dask.read([good, bad]).compute()
        assert len(socialproj.dask.read([good, bad], errors="collect").compute()) == 4


def test_no_files_or_a_wrong_policy_is_refused():
    with pytest.raises(ValueError, match="at least one file"):
        socialproj.dask.read([])
    with pytest.raises(ValueError, match="errors is"):
        socialproj.dask.read(["x.jsonl"], errors="skip")

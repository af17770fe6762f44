"""The fast paths give exactly what the detailed ones give, on generated data."""

from __future__ import annotations

import io
from decimal import Decimal

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import socialproj
from socialproj import STYLES, Dumper, Money, Partner, Role, fast, parse_amount, to_dict, write
from socialproj.canonical.converter import converter as _converter
from socialproj.canonical.reading import readers
from socialproj.testing import strategies as sps
from socialproj_tables.builder import Builder
from socialproj_tables.compiled import _helpers


def _project_in(data):
    return readers()[socialproj.Project](data)


def _rows(projects):
    buffer = io.BytesIO()
    write(projects, buffer, "csv")
    lines = buffer.getvalue().decode("utf-8").splitlines()
    import csv

    rows = list(csv.reader(lines))
    return rows[0], rows[1:]


@given(st.lists(sps.projects(), min_size=1, max_size=4))
def test_the_compiled_csv_builder_equals_the_detailed_one(projects):
    header, rows = _rows(projects)
    builder = Builder(header)
    for row in rows:
        cells = [c[1:] if c[:1] == "'" and c[1:2] in "=+-@\t\r'" else c for c in row]
        assert builder._fast(cells) == builder.build_detailed(cells)


_COMMA_STYLES = sorted(name for name, style in STYLES.items() if style.decimal == ",")


@given(st.lists(sps.projects(), min_size=1, max_size=4), st.sampled_from(_COMMA_STYLES))
def test_the_compiled_builder_equals_the_detailed_one_in_a_decimal_comma_file(projects, name):
    # a local-style file: every amount written like "198 660,00"; the compiled builder
    # reads them inline, the detailed one cell by cell, and the records must agree
    style = STYLES[name]
    header, rows = _rows(projects)
    amounts = [i for i, column in enumerate(header) if column.endswith(".amount")]
    builder = Builder(header, style)
    for row in rows:
        cells = [c[1:] if c[:1] == "'" and c[1:2] in "=+-@\t\r'" else c for c in row]
        for i in amounts:
            if cells[i]:
                cells[i] = style.format(Decimal(cells[i]))
        assert builder._fast(cells) == builder.build_detailed(cells)


def test_iso_dates_are_read_strictly():
    read = fast.iso_date
    assert read("2020-02-29") == socialproj.PartialDate(2020, 2, 29)
    assert read("2012-09") == socialproj.PartialDate(2012, 9)
    assert read("0012") == socialproj.PartialDate(12)
    for text in (
        "2019-02-29",
        "2019-13-01",
        "2019-12-32",
        "0000-01-01",
        "2019-12-1\u0663",
        "+019-12-13",
        "2019-12-3 ",
        "2019-1-011",
        "20191213",
        "2019-00",
        "0000",
        "",
    ):
        with pytest.raises(ValueError, match="is not an ISO date"):
            read(text)


@given(
    st.sampled_from(sorted(STYLES)),
    st.decimals(
        allow_nan=False, allow_infinity=False, places=2, min_value=-(10**12), max_value=10**12
    ),
    st.text(alphabet="0123456789 ,.'\u00a0-", max_size=14),
)
def test_fast_amounts_read_what_parse_amount_reads_in_every_style(name, value, junk):
    style = STYLES[name]
    fast_amount = _helpers(style)["_amount"]
    detailed = Builder(["funding.total.amount"], style)
    for text in (style.format(value), junk):
        results = []
        for reader in (
            fast_amount,
            lambda t: detailed._amount(0, t),
            lambda t: parse_amount(t.strip(), style=style),
        ):
            try:
                results.append(str(reader(text)))
            except Exception:
                results.append("error")
        assert len(set(results)) == 1, (name, text, results)
        # the compiled builder reads the same cell inline: it may give up, never differ
        row = [text, "EUR"]
        money_builder = Builder(["funding.total.amount", "funding.total.currency"], style)
        try:
            quick = money_builder._fast(row)
        except Exception:
            continue
        assert quick == money_builder.build_detailed(row), (name, text)


def test_a_decimal_comma_file_reads_a_dotted_thousand_as_a_thousand():
    style = STYLES["continental"]
    assert _helpers(style)["_amount"]("1.000") == Decimal(1000)
    assert _helpers(None)["_amount"]("1.000") == Decimal("1.000")


@given(sps.projects())
def test_the_strict_reader_of_canonical_dicts_equals_cattrs(project):
    data = to_dict(project)
    assert _project_in(data) == _converter(True).structure(data, socialproj.Project) == project


def test_trusted_constructors_equal_the_checked_ones():
    assert fast.partner("A", Role.LEAD, "BG") == Partner("A", "lead", "BG")
    assert fast.money(Decimal("1.50"), "EUR") == Money("1.50", "EUR")
    assert fast.iso_date("2012-09") == socialproj.PartialDate(2012, 9)
    for cls in (socialproj.Project, Partner, socialproj.Share, socialproj.Period):
        made = getattr(fast, cls.__name__.lower())
        assert [f.name for f in attrs.fields(cls)] == list(
            made.__code__.co_varnames[: made.__code__.co_argcount]
        )


@given(sps.projects())
def test_the_dumper_writes_what_to_dict_writes(project):
    dump = Dumper()
    assert dump(project) == to_dict(project)
    assert dump(project) == to_dict(project)  # again, from its memo


# values a hand-edited or foreign JSON file may hold where the canonical form has another
_ODD_VALUES = st.sampled_from(
    [None, "", " ", "x", "lead", "eu", "EUR", "XXX", "1", "1.0", "-0.5", "1e3", "1,5", "85%",
     "2019-02-29", "2019-13", "0000", 0, 1, -1, 1.5, True, [], [""], ["x"], {}, {"x": 1},
     {"amount": "1"}, {"amount": "1", "currency": "eur"}, {"months": -1}, {"value": " "}]
)  # fmt: skip


def _places(data, path=()):
    """The path of every value inside canonical data, for changing one of them."""
    items = data.items() if isinstance(data, dict) else enumerate(data)
    for key, value in items:
        yield (*path, key)
        if isinstance(value, dict | list):
            yield from _places(value, (*path, key))


@given(sps.projects(), st.data())
def test_the_strict_reader_accepts_only_what_cattrs_reads_the_same(project, data):
    # one value changed, removed or added anywhere: the strict reader either gives up
    # (the detailed pass then builds or explains) or gives exactly the detailed result
    canonical = to_dict(project)
    places = list(_places(canonical))
    if places:
        path = data.draw(st.sampled_from(places))
        *outer, last = path
        container = canonical
        for key in outer:
            container = container[key]
        action = data.draw(st.sampled_from(["change", "remove", "add"]))
        if action == "remove":
            del container[last]
        elif action == "add" and isinstance(container, dict):
            container[data.draw(st.sampled_from(["extra", "name", "amount", "source"]))] = (
                data.draw(_ODD_VALUES)
            )
        else:
            container[last] = data.draw(_ODD_VALUES)
    try:
        quick = _project_in(canonical)
    except Exception:
        return
    assert quick == _converter(True).structure(canonical, socialproj.Project)

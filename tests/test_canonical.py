"""The canonical dict form: its shape, its errors, and an exact round trip."""

from __future__ import annotations

import json
from decimal import Decimal

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import socialproj
from socialproj import (
    Duration,
    Funding,
    Identifier,
    Money,
    PartialDate,
    Partner,
    Period,
    Project,
    Share,
    StructureError,
    from_dict,
    to_dict,
)
from socialproj.canonical import CLASSES, Kind, fields_of
from socialproj.testing import strategies as sps

SEED_003 = Project(
    title={"en": "Cross Border Cooperation Mechanism in the Field of Social Assistance"},
    identifiers=[Identifier("ems", "ROBG-150")],
    funding=Funding(Money("671561.63", "EUR"), [Share("eu", "ERDF", Money("570827.37", "EUR"))]),
    period=Period("2017-09-23", "2019-11-22", Duration(27)),
    partners=[
        Partner(
            "County Agency for Payments and Social Inspection Constanta",
            "lead",
            "RO",
            "Lead beneficiary (LB)",
        )
    ],
)


def test_keys_are_the_attribute_names_and_values_are_json_ready():
    data = to_dict(SEED_003)
    assert data["funding"]["total"] == {"amount": "671561.63", "currency": "EUR"}
    assert data["funding"]["shares"][0]["fund"] == "ERDF"
    assert data["period"] == {
        "start": "2017-09-23",
        "end": "2019-11-22",
        "duration": {"months": 27, "days": 0},
    }
    assert data["partners"][0]["role"] == "lead"
    assert data["identifiers"] == [{"scheme": "ems", "value": "ROBG-150"}]
    assert json.loads(json.dumps(data)) == data


def test_scale_and_partial_dates_survive():
    project = Project(
        funding=Funding(Money("9933.00", "BGN")), period=Period(end=PartialDate(2012, 9))
    )
    data = to_dict(project)
    assert data["funding"]["total"]["amount"] == "9933.00"
    assert data["period"] == {"end": "2012-09"}
    back = from_dict(data)
    assert str(back.funding.total.amount) == "9933.00"
    assert back.period.end == PartialDate(2012, 9)


def test_empty_values_are_left_out_and_read_back_as_empty():
    assert to_dict(Project()) == {}
    assert from_dict({}) == Project()


def test_from_dict_lists_every_problem_with_its_path():
    with pytest.raises(StructureError) as caught:
        from_dict(
            {
                "title": 5,
                "funding": {
                    "total": {"amount": "1,5", "currency": "EUR"},
                    "shares": [{"source": "european"}, {"source": "eu", "rate": "500665.00%"}],
                },
                "period": {"start": "2019-13", "duration": {"months": "x"}},
                "partners": [{"role": "lead"}],
                "bogus": 1,
            }
        )
    problems = caught.value.problems
    text = "\n".join(problems)
    for path in (
        "$.title",
        "$.funding.total.amount",
        "$.funding.shares[0].source",
        "$.funding.shares[1].rate",
        "$.period.start",
        "$.period.duration",
        "$.partners[0].name",
        "$",
    ):
        assert f"@ {path}" in text, text
    assert "bogus" in text and "cannot be a rate" in text and "'1,5'" in text
    assert len(problems) >= 8
    assert isinstance(caught.value, ValueError)


def test_every_wrong_field_of_an_amount_has_its_own_path():
    with pytest.raises(StructureError) as caught:
        from_dict(
            {
                "funding": {"total": {"amount": "x", "currency": "EURO", "qualifier": "lots"}},
                "partners": [{"name": "A", "budget": {"currency": "EUR"}}],
            }
        )
    problems = caught.value.problems
    assert len(problems) == 4, problems
    for path, words in (
        ("$.funding.total.amount", "'x'"),
        ("$.funding.total.currency", "'EURO'"),
        ("$.funding.total.qualifier", "approximately, more_than"),
        ("$.partners[0].budget.amount", "required"),
    ):
        assert any(p.endswith(f"@ {path}") and words in p for p in problems), (path, problems)


def test_floats_are_refused_anywhere():
    with pytest.raises(StructureError, match=r"float.* @ \$\.funding\.total\.amount"):
        from_dict({"funding": {"total": {"amount": 1.5, "currency": "EUR"}}})
    with pytest.raises(StructureError, match="float"):
        from_dict({"extras": {"x": [1.5]}})


def test_exact_decimals_in_extras_stay_exact():
    data = {"extras": {"budget": Decimal("5816165.49"), "nested": {"n": 3}}}
    project = from_dict(data)
    assert to_dict(project) == data
    assert str(to_dict(project)["extras"]["budget"]) == "5816165.49"


@given(sps.projects())
def test_round_trip_is_the_identity(project):
    data = to_dict(project)
    back = from_dict(data)
    assert back == project
    assert to_dict(back) == data  # also the written form of codes and the scale of amounts


def _leaves(value):
    if isinstance(value, dict):
        for key, item in value.items():
            assert isinstance(key, str)
            yield from _leaves(item)
    elif isinstance(value, list):
        for item in value:
            yield from _leaves(item)
    else:
        yield value


@given(sps.projects())
def test_canonical_dicts_hold_no_float_anywhere(project):
    for leaf in _leaves(to_dict(project)):
        assert leaf is None or type(leaf) in (str, int, bool, Decimal), repr(leaf)


def test_lines_and_rows_are_whole_numbers_not_floats_or_booleans():
    assert from_dict({"source": {"line": 12, "row": "3"}}).source.row == 3
    for bad in (1.5, True, "x"):
        with pytest.raises(StructureError, match=r"a whole number, not .* @ \$.source.line"):
            from_dict({"source": {"line": bad}})


_KEYS = st.sampled_from(
    ["title", "identifiers", "programme", "funding", "period", "partners", "locations",
     "status", "results", "source", "extras", "name", "role", "country", "budget", "amount",
     "currency", "total", "shares", "fund", "rate", "derived", "start", "end", "duration",
     "months", "days", "scheme", "value", "line", "fields", "findings", "en"]
)  # fmt: skip
_LEAVES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 10**6),
    st.sampled_from(["", "x", "eu", "lead", "EUR", "1.00", "2019-02-03", "$", "info", "0.85"]),
    st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=-10, max_value=10**6),
)
_JSON = st.recursive(
    _LEAVES, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_KEYS, inner, max_size=4)
)


@given(st.dictionaries(_KEYS, _JSON, max_size=6))
def test_from_dict_of_random_data_builds_a_sound_record_or_explains(data):
    # either a StructureError listing the problems, or a record every format keeps
    try:
        project = from_dict(data)
    except StructureError:
        return
    socialproj.validate(project)
    written = socialproj.dumps_json(to_dict(project))
    assert from_dict(socialproj.loads_json(written)) == project


# -- the field table is the model's fields, in order (issue 17) ------------------------------


@pytest.mark.parametrize("cls", CLASSES, ids=lambda cls: cls.__name__)
def test_the_field_table_lists_each_class_s_fields_in_order(cls):
    assert [spec.name for spec in fields_of(cls)] == [a.name for a in attrs.fields(cls)]


@pytest.mark.parametrize("cls", CLASSES, ids=lambda cls: cls.__name__)
def test_the_field_table_says_what_each_field_holds(cls):
    # the kinds are the attrs types, read back: a part or list names its class, an enum
    # its enum, a required field has no default in the model
    for spec, attribute in zip(fields_of(cls), attrs.fields(cls), strict=True):
        annotation = str(attribute.type)
        if spec.kind in (Kind.PART, Kind.LIST, Kind.ENUM):
            assert spec.item.__name__ in annotation, spec.name
        if spec.kind is Kind.LIST:
            assert annotation.startswith("tuple["), spec.name
        if spec.kind is Kind.DERIVED:
            assert annotation == "frozenset[str]", spec.name
        if spec.required:
            assert attribute.default is attrs.NOTHING, spec.name


def _filled(record, found):
    """Add to ``found`` each (class, field) that holds a value in ``record``, nested ones too."""
    for spec in fields_of(type(record)):
        value = getattr(record, spec.name)
        if spec.kind is Kind.ENUM and spec.default is not None:
            stated = value != spec.default
        else:
            stated = value is not None and (not hasattr(value, "__len__") or len(value) > 0)
        if stated:
            found.add((type(record).__name__, spec.name))
        if spec.kind is Kind.PART and value is not None:
            _filled(value, found)
        elif spec.kind is Kind.LIST:
            for item in value:
                _filled(item, found)
    return found


def test_the_shipped_strategies_fill_every_field_of_the_table():
    # a field the strategies never fill is a field no round-trip property ever tests
    found: set[tuple[str, str]] = set()

    @settings(max_examples=300, database=None)
    @given(sps.projects())
    def collect(project):
        _filled(project, found)

    collect()
    table = {(cls.__name__, spec.name) for cls in CLASSES for spec in fields_of(cls)}
    assert table - found == set()


def test_every_class_a_record_holds_is_in_the_table_leaves_first():
    seen = set()
    for cls in CLASSES:
        for spec in fields_of(cls):
            if spec.kind in (Kind.PART, Kind.LIST):
                assert spec.item in seen, f"{cls.__name__}.{spec.name} before its class"
        seen.add(cls)
    assert CLASSES[-1] is Project


@pytest.mark.parametrize("cls", CLASSES, ids=lambda cls: cls.__name__)
def test_the_generated_writer_and_reader_handle_every_field_of_the_table(cls):
    from socialproj.canonical import reading, writing

    name = cls.__name__.lower()
    written = writing._source()[0].split(f"def write_{name}(o, d):")[1].split("\ndef ")[0]
    read = reading._source()[0].split(f"def read_{name}(v):")[1].split("\ndef ")[0]
    for spec in fields_of(cls):
        assert f"o.{spec.name}" in written, spec.name
        assert f"f_{spec.name}" in read, spec.name


def test_the_detailed_reader_reads_money_without_a_currency_as_the_strict_one_does():
    # Money's own __init__ requires the currency; the canonical form leaves it out when unknown
    from socialproj.canonical.converter import converter

    data = {"amount": "1.50"}
    for detailed in (True, False):
        assert converter(detailed).structure(data, Money) == Money("1.50", None)
    assert socialproj.from_dict({"partners": [{"name": "A", "budget": data}]}).partners[
        0
    ].budget == Money("1.50", None)

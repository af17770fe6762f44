"""The layout importers: real texts and variants against hand-checked expectations."""

from __future__ import annotations

import io
import json
import unicodedata
from decimal import Decimal
from pathlib import Path

import pytest

import socialproj
from socialproj import ReadError, RecordError, code_key, read, validate

from .conftest import DATA, SEEDS

FORMATS = ("robg-card", "cbc-fiche", "bg-news")
SAMPLES = sorted(
    (fmt, path)
    for fmt in FORMATS
    for folder in (DATA / "layouts" / fmt, DATA / "own" / fmt)
    for path in folder.glob("*.txt")
)
NEGATIVE = sorted((DATA / "own" / "negative").glob("*.txt"))


def _text(path: Path) -> bytes:
    text = path.read_text(encoding="utf-8")
    if text.startswith("source:"):
        text = text.split("\n", 1)[1]
    return text.encode("utf-8")


def _norm(text: str | None) -> str:
    text = unicodedata.normalize("NFKC", text or "").casefold()
    for quote in "\"'„“”«»":
        text = text.replace(quote, " ")
    return " ".join(text.split()).strip(" .,;:-–—")


def _money(value, want) -> bool:
    return (
        value is not None
        and value.amount == Decimal(want["amount"])
        and value.currency == want["currency"]
    )


@pytest.mark.parametrize(
    ("fmt", "path"), SAMPLES, ids=[f"{f}/{p.parent.parent.name}/{p.name}" for f, p in SAMPLES]
)
def test_every_stated_field_is_read_and_nothing_unstated_is_invented(fmt, path):
    want = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    [project] = read(io.BytesIO(_text(path)), fmt)
    assert project.source.format == fmt
    if want["title"]:
        titles = [_norm(t) for t in project.title.values()]
        assert any(
            _norm(want["title"]) == t
            or (_norm(want["title"]) in t and len(want["title"]) > 0.6 * len(t))
            or (t in _norm(want["title"]) and len(t) > 0.6 * len(want["title"]))
            for t in titles
        ), titles
    if want["code"]:
        assert code_key(want["code"]) in {code_key(i.value) for i in project.identifiers}
    programme = project.programme
    if want.get("programme"):
        assert programme is not None and _norm(want["programme"])[:20] in _norm(
            programme.name.best()
        )
    if want.get("programme_cci"):
        assert programme is not None and programme.cci == want["programme_cci"]
    total = project.funding.total if project.funding else None
    if want["total"]:
        assert _money(total, want["total"]), total
    else:
        assert total is None  # a total the text does not state is not reported as stated
    for key in ("eu", "national"):
        if want[key]:
            shares = project.funding.shares_of(key)
            assert shares and _money(shares[0].amount, want[key]), shares
            if want[key].get("fund"):
                assert shares[0].fund == want[key]["fund"]
    assert len(project.partners) == len(want["partners"]), [p.name for p in project.partners]
    for expected, got in zip(want["partners"], project.partners, strict=True):
        assert _norm(expected["name"]) == _norm(got.name)
        if expected["role"] == "lead" or got.role.value == "lead":
            assert got.role.value == expected["role"], got
        if expected["country"]:
            assert got.country == expected["country"], got
    period = project.period
    for key in ("start", "end"):
        got = getattr(period, key) if period else None
        assert (str(got) if got else None) == want[key]
    if want["duration"]:
        assert period.duration.months == want["duration"]["months"]
        assert period.duration.days == want["duration"]["days"]
    names = [_norm(place.name) for place in project.locations]
    for place in want["places"]:
        assert any(_norm(place) == n or _norm(place) in n for n in names), (place, names)


@pytest.mark.parametrize(("fmt", "path"), SAMPLES, ids=[f"{f}/{p.name}" for f, p in SAMPLES])
def test_each_family_is_recognised_without_being_named(fmt, path):
    assert socialproj.choose_format(None, file=path.name, head=_text(path)).name == fmt


@pytest.mark.parametrize("path", NEGATIVE, ids=[p.name for p in NEGATIVE])
def test_prose_about_anything_else_is_not_claimed(path):
    with pytest.raises(socialproj.FormatError):
        socialproj.choose_format(None, file=path.name, head=_text(path))


def test_the_five_seeds_convert_and_seed_003_warns_about_its_duration():
    projects = [read(path) for path in sorted(SEEDS.glob("*.txt"))]
    assert [s.format.name for s in projects] == [
        "cbc-fiche",
        "bg-news",
        "bg-news",
        "robg-card",
        "bg-news",
    ]
    seed_003 = next(read(SEEDS / "003_3270b39fb2e9a5f9.txt"))
    [finding] = [f for f in validate(seed_003) if f.code == "period.duration.mismatch"]
    assert finding.data["stated"] == "27 months" and finding.data["measured"] == "26 months"


def test_raw_text_is_kept_beside_each_value():
    seed_003 = next(read(SEEDS / "003_3270b39fb2e9a5f9.txt"))
    fields = seed_003.source.fields
    assert fields["funding.total"] == "671.561,63 euro"
    assert "2017-09-23" in fields["period.start"]
    assert seed_003.source.file.endswith("003_3270b39fb2e9a5f9.txt")


def test_a_relative_date_needs_the_reference_date_option():
    path = SEEDS / "001_8082cfcab07c3757.txt"
    without = next(read(path, "bg-news"))
    assert without.period is None or without.period.start is None
    assert "import.date.relative" in [f.code for f in without.source.findings]
    resolved = next(read(path, "bg-news", reference_date="2019-02-20"))
    assert str(resolved.period.start) == "2019-07-03"
    assert resolved.period.derived == {"start"}  # worked out from the reference date
    assert "import.date.resolved" in [f.code for f in resolved.source.findings]


def test_approximate_amounts_are_read_and_flagged():
    text = (
        "Община Сливен изпълнява проект „Зелен град“. "
        "Проектът е на обща стойност близо 1,2 млн. лв."
    )
    [project] = read(io.BytesIO(text.encode()), "bg-news")
    assert project.funding.total.amount == Decimal("1200000")
    assert project.funding.total.qualifier.value == "approximately"
    assert "import.amount.approximate" in [f.code for f in project.source.findings]
    assert "money.approximate" in [f.code for f in validate(project)]


def test_derived_values_are_not_reported_as_stated():
    # seed 000 states an end (September 2012) and 15 months, but no start
    [project] = read(SEEDS / "000_05d4cec36791c612.txt")
    assert project.period.start is None
    assert str(project.period.computed_start) == "2011-07"  # offered by the model, not stated


@pytest.mark.parametrize("fmt", FORMATS)
def test_empty_text_is_a_clear_error(fmt):
    with pytest.raises(RecordError, match="empty"):
        list(read(io.BytesIO(b"   \n"), fmt))


@pytest.mark.parametrize("fmt", FORMATS)
def test_binary_junk_is_a_clear_error(fmt):
    with pytest.raises(ReadError, match="binary"):
        list(read(io.BytesIO(bytes(range(256)) * 50), fmt))


@pytest.mark.parametrize(("fmt", "other"), [(f, o) for f in FORMATS for o in FORMATS if f != o])
def test_a_text_of_another_family_gives_an_error_or_a_sparse_record_never_a_crash(fmt, other):
    path = next(p for f, p in SAMPLES if f == other)
    stream = read(io.BytesIO(_text(path)), fmt, errors="collect")
    projects = list(stream)
    assert len(projects) + len(stream.problems) == 1


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_5_mb_text_and_adversarial_lines_finish(fmt):
    sample = _text(next(p for f, p in SAMPLES if f == fmt))
    big = sample * (5_000_000 // len(sample) + 1)
    stream = read(io.BytesIO(big), fmt, errors="collect")
    assert len(list(stream)) + len(stream.problems) == 1
    for junk in (
        "1,2 " * 200_000,
        "„проект " * 50_000 + "Община " * 50_000,
        "Lead partner: " * 50_000,
        "What's the budget? " * 50_000,
        "(" * 300_000,
        "€ 1" * 100_000 + "euro",
    ):
        stream = read(io.BytesIO(junk.encode()), fmt, errors="collect")
        assert len(list(stream)) + len(stream.problems) <= 1


def test_the_command_line_reads_a_layout_as_the_scorer_does(tmp_path):
    import subprocess
    import sys

    sample = tmp_path / "card.txt"
    sample.write_bytes(_text(DATA / "layouts" / "robg-card" / "001.txt"))
    done = subprocess.run(
        [sys.executable, "-m", "socialproj", "convert", str(sample), "-", "--to", "jsonl"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["source"]["format"] == "robg-card"
    assert data["funding"]["total"] == {"amount": "4769687.25", "currency": "EUR"}


@pytest.mark.parametrize(
    ("line", "name", "country", "city"),
    [
        ("Община Елхово България, Елхово", "Община Елхово", "BG", "Елхово"),
        (
            "Municipality of Bosilegrad Serbia, Bosilegrad",
            "Municipality of Bosilegrad",
            "RS",
            "Bosilegrad",
        ),
        ('"Ravnovesie" AssociationБългария, Бургас', '"Ravnovesie" Association', "BG", "Бургас"),
        ("Red Cross of Bulgaria, Sofia", "Red Cross of Bulgaria, Sofia", None, None),
        ("Municipality of Belitsa, Republic of Bulgaria", "Municipality of Belitsa", "BG", None),
        (
            "Association “Open Hearts”, Bitola, North Macedonia",
            "Association “Open Hearts”",
            "MK",
            "Bitola",
        ),
        (
            "Ministry of Labour, Social Policy and Family, Bulgaria",
            "Ministry of Labour, Social Policy and Family",
            "BG",
            None,
        ),
    ],
)
def test_a_partner_line_gives_its_name_country_and_town(line, name, country, city):
    from socialproj_layouts._common import split_partner

    assert split_partner(line)[:3] == (name, country, city)


# -- the labels are data, per language (issue 18) ---------------------------------------------


@pytest.mark.parametrize("layout", ["cbc-fiche", "bg-news"])
def test_every_language_s_labels_go_to_fields_the_layout_reads(layout):
    import tomllib

    from socialproj_layouts import _common

    path = Path(_common.__file__).parent / "labels" / f"{layout}.toml"
    tables = tomllib.loads(path.read_text(encoding="utf-8"))
    first = next(iter(tables.values()))  # the language the layout was written for
    known = set(first.values()) | set(tables.get("en", {}).values())
    for language, table in tables.items():
        assert set(table.values()) <= known, language
        assert all(label == label.casefold() for label in table), language


def test_a_fiche_in_macedonian_is_read_by_its_labels():
    text = (
        "Назив на проектот: Заедно за социјална вклученост\n"
        "Код на проектот: CB006.2.31.021\n"
        "Водечки партнер: Општина Струмица\n"
        "Вкупен буџет: 456 780,00 EUR\n"
        "Времетраење: 18 месеци\n"
    )
    [fiche] = read(io.BytesIO(text.encode("utf-8")), "cbc-fiche")
    assert fiche.title.best().startswith("Заедно за социјална")
    assert fiche.identifiers[0].value == "CB006.2.31.021"
    assert fiche.partners[0].name == "Општина Струмица"
    assert str(fiche.funding.total.amount) == "456780.00"
    assert fiche.period.duration.months == 18

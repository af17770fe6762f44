"""The model: shares and rates, partners and roles, countries, codes, programmes."""

from __future__ import annotations

import io
from decimal import Decimal

import attrs
import pytest

import socialproj
from socialproj import (
    Duration,
    Finding,
    Funding,
    Identifier,
    Location,
    Money,
    Partner,
    Period,
    Programme,
    Project,
    Role,
    Severity,
    Share,
    ShareSource,
    Source,
    Texts,
    code_key,
    country_code,
    country_in,
    guess_scheme,
    is_cci,
    normalize_fund,
    normalize_rate,
    parse_role,
    strip_contract_suffix,
)


@pytest.mark.parametrize(
    ("value", "fraction"),
    [
        (85, "0.85"),
        ("85", "0.85"),
        ("85%", "0.85"),
        ("85.00 %", "0.8500"),
        ("0.85", "0.85"),
        (Decimal("0.85"), "0.85"),
        ("40.0", "0.400"),
        ("85,00 %", "0.8500"),
        ("100%", "1.00"),
        ("1", "1"),
        ("0", "0"),
        ("0.5%", "0.005"),
    ],
)
def test_rates_are_normalised_to_fractions(value, fraction):
    assert str(normalize_rate(value)) == fraction


@pytest.mark.parametrize("value", ["500665.00%", "101", 250, "-5%", "-0.1", "abc", "85 percent"])
def test_a_value_that_cannot_be_a_rate_says_so(value):
    with pytest.raises(ValueError, match="rate"):
        normalize_rate(value)


def test_a_float_rate_is_refused():
    with pytest.raises(TypeError, match="float"):
        normalize_rate(0.85)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Share("eu", rate=0.85)  # type: ignore[arg-type]


def test_shares_take_source_fund_amount_and_rate():
    share = Share("eu", "ERDF", Money("570827.37", "EUR"), "85%")
    assert share.source is ShareSource.EU
    assert share.rate == Decimal("0.85")
    with pytest.raises(ValueError, match="european"):
        Share("european")  # type: ignore[arg-type]


def test_co_financing_rate_is_derived_from_amounts_or_taken_as_stated():
    seed_001 = Funding(
        Money("198660.00", "BGN"),
        [
            Share("eu", None, Money("188727", "BGN")),
            Share("national", None, Money("9933.00", "BGN")),
        ],
    )
    assert seed_001.co_financing_rate() == Decimal("0.9500")
    assert seed_001.amount_of("national") == Money("9933.00", "BGN")
    stated = Funding(Money("396463.71", "EUR"), [Share("eu", rate="85.00 %")])
    assert stated.co_financing_rate() == Decimal("0.8500")
    assert Funding().co_financing_rate() is None


@pytest.mark.parametrize(
    ("text", "role"),
    [
        ("Lead partner", Role.LEAD),
        ("Lead beneficiary (LB)", Role.LEAD),
        ("(BL)", Role.LEAD),
        ("Lead beneficiary (BL)", Role.LEAD),
        ("Leading partner", Role.LEAD),
        ("Водещ партньор", Role.LEAD),
        ("Beneficiar lider", Role.LEAD),
        ("Бенефициент", Role.LEAD),
        ("Lead partner (LP)", Role.LEAD),
        ("Beneficiary 2 (B2)", Role.PARTNER),
        ("Beneficiary (B3)", Role.PARTNER),
        ("Partner 6 (P6)", Role.PARTNER),
        ("Partners:", Role.PARTNER),
        ("партньор", Role.PARTNER),
        ("Partener", Role.PARTNER),
        ("Associated partner", Role.ASSOCIATED),
        ("асоцииран партньор", Role.ASSOCIATED),
        ("Observer", Role.OTHER),
        ("", Role.OTHER),
    ],
)
def test_roles_as_written(text, role):
    assert parse_role(text) is role


def test_partner_keeps_the_role_as_written():
    partner = Partner(
        "Agency for social assistance /ASA/",
        parse_role("Beneficiary 2 (B2)"),
        "BG",
        "Beneficiary 2 (B2)",
    )
    assert partner.role is Role.PARTNER and partner.role_text == "Beneficiary 2 (B2)"


def test_enum_fields_take_their_values_in_any_case():
    assert Partner("A", "Lead").role is Role.LEAD
    assert Share(" EU ").source is ShareSource.EU
    assert Finding("x.y", "Warning", "$", "m").severity is Severity.WARNING


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (
            lambda: Partner("A", "Lead partner"),
            ["role 'Lead partner'", "lead, partner", "parse_role"],
        ),
        (lambda: Share("European"), ["share source 'European'", "eu, national, regional"]),
        (lambda: Finding("x.y", "bad", "$", "m"), ["severity 'bad'", "error, warning, info"]),
        (lambda: Partner("A", 1), ["role 1 is not one of"]),
    ],
)
def test_enum_fields_name_their_choices_when_given_something_else(make, words):
    with pytest.raises(ValueError, match="is not one of") as caught:
        make()
    for word in words:
        assert word in str(caught.value)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Romania", "RO"),
        ("România", "RO"),
        ("FYROM", "MK"),
        ("Macedonia", "MK"),
        ("Republic of North Macedonia", "MK"),
        ("Турция", "TR"),
        ("Türkiye", "TR"),
        ("Turkey", "TR"),
        ("EL", "GR"),
        ("UK", "GB"),
        ("Bg", "BG"),
        ("Republic of Bulgaria", "BG"),
        ("България", "BG"),
        ("Гърция", "GR"),
        ("Сърбия", "RS"),
        ("Србија", "RS"),
        ("италианската", "IT"),
        ("румънската", "RO"),
        ("българската", "BG"),
        ("Italia", "IT"),
        ("Deutschland", "DE"),
        ("Kosovo", "XK"),
    ],
)
def test_countries_from_names_and_codes_in_several_languages(text, code):
    assert country_code(text) == code


def test_unknown_countries_and_words_from_prose():
    assert country_code("Narnia") is None
    assert country_code("in", codes=False) is None  # "IN" is India only where codes are meant
    assert country_in("Municipality of Makedonska Kamenica, FYROM") == "MK"
    assert country_in("италианската община Осило") == "IT"
    assert country_in("Agency for social assistance /ASA/") is None


def test_identifiers_compare_after_mapping_cyrillic_look_alikes():
    cyrillic = Identifier("isun", "BG05M9OP001-2.002-0297-С01")  # Cyrillic Es
    latin = Identifier("isun", "BG05M9OP001-2.002-0297-C01")
    assert cyrillic == latin and hash(cyrillic) == hash(latin)
    assert cyrillic.value == "BG05M9OP001-2.002-0297-С01"  # the written form is kept
    assert cyrillic.base == "BG05M9OP001-2.002-0297"
    assert Identifier("ems", "ROBG-150") == Identifier("ems", "ROBG – 150")
    assert Identifier("ems", "ROBG-150") != Identifier("isun", "ROBG-150")
    with pytest.raises(ValueError, match="non-empty"):
        Identifier("ems", "  ")


@pytest.mark.parametrize(
    ("code", "scheme"),
    [
        ("ROBG-150", "ems"),
        ("ROBG 150", "ems"),
        ("RO-BG 150", "ems"),
        ("eMS 256", "ems"),
        ("ROBG00005", "ems"),
        ("BG05M9OP001-2.002-0297-С01", "isun"),
        ("BG051PO001-5.1.04-0195-C0001", "isun"),
        ("CB005.2.21.080", "ipa"),
        ("2007CB16IPO006-2011-2-176", "ipa"),
        ("16.5.2.065", "programme"),
        ("2014TC16RFCB021", "cci"),
        ("something", None),
    ],
)
def test_code_schemes_are_guessed_from_their_shape(code, scheme):
    assert guess_scheme(code) == scheme


@pytest.mark.parametrize(
    ("cci", "valid"),
    [
        ("2014BG05M9OP001", True),
        ("2014TC16RFCB021", True),
        ("2014TC16I5CB005", True),
        ("2007CB16IPO007", True),
        ("2021TC16IPCB007", True),
        ("2014BG05M9OP00", False),
        ("14BG05M9OP001", False),
        ("2014-BG05M9OP001X", False),
        ("CCI", False),
        ("2014BG0512345001", False),
    ],
)
def test_cci_shape(cci, valid):
    assert is_cci(cci) is valid


def test_code_keys_and_contract_suffixes():
    assert code_key("BG 05M9OP001-2.002-0233-С001") == code_key("BG05M9OP001-2.002-0233-C001")
    assert strip_contract_suffix("BG05M9OP001-2.002-0233-С001") == "BG05M9OP001-2.002-0233"
    assert strip_contract_suffix("ROBG-150") == "ROBG-150"


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("FEDR", "ERDF"),
        ("ERDF", "ERDF"),
        ("ЕФРР", "ERDF"),
        ("European Regional Development Fund", "ERDF"),
        ("ЕСФ", "ESF"),
        ("FSE", "ESF"),
        ("ESF+", "ESF+"),
        ("IPA", "IPA"),
        ("ИПП", "IPA"),
        ("Cohesion Fund", "CF"),
        ("EMFF", "EMFF"),
        ("nothing", None),
    ],
)
def test_fund_names(name, code):
    assert normalize_fund(name) == code


def test_records_are_frozen_and_take_lists_and_plain_strings():
    project = Project(
        title="Social Patronage",
        partners=[Partner("Municipality of Belitsa")],
        results=["two kitchens", ""],
        status="",
    )
    assert project.title == Texts({"und": "Social Patronage"})
    assert project.partners == (Partner("Municipality of Belitsa"),)
    assert project.results == ("two kitchens",)
    assert project.status is None  # "" means not stated
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        project.status = "closed"  # type: ignore[misc]
    changed = attrs.evolve(project, status="closed")
    assert changed.status == "closed" and project.status is None


def test_lead_partner_and_identifier_helpers():
    project = Project(
        identifiers=[Identifier("ems", "ROBG-150")],
        partners=[Partner("A", "lead"), Partner("B")],
        programme=Programme({"en": "Interreg V-A Romania-Bulgaria"}, "2014TC16RFCB021"),
    )
    assert project.lead == Partner("A", "lead")
    assert project.identifier("ems") == Identifier("ems", "ROBG-150")
    assert project.identifier("isun") is None
    assert project.programme is not None and project.programme.name.best("en")


def test_texts_are_immutable_mappings():
    title = Texts({"bg": "Център", "en": "Centre"})
    assert dict(title) == {"bg": "Център", "en": "Centre"}
    assert title.best("ro", "en") == "Centre"
    with pytest.raises(TypeError):
        title["bg"] = "x"  # type: ignore[index]
    with pytest.raises(TypeError):
        Texts({"bg": 5})  # type: ignore[dict-item]


def test_extras_hold_json_values_that_write_back_exactly():
    project = Project(extras={"rate": Decimal("0.85"), 3: ("a", None), "ok": {"n": 1}})
    assert project.extras == {"rate": Decimal("0.85"), "3": ["a", None], "ok": {"n": 1}}
    deep: object = 1
    for _ in range(201):
        deep = [deep]
    refused = [
        (1.5, TypeError, "the float 1.5"),
        ({"share": [0.85]}, TypeError, "the float 0.85"),
        (Decimal("NaN"), ValueError, "NaN"),
        (object(), TypeError, "not a JSON value"),
        (deep, ValueError, "more than 200 levels deep"),
    ]
    for value, error, words in refused:
        with pytest.raises(error, match=words):
            Project(extras={"x": value})
        with pytest.raises(error, match=words):
            Partner("A", extras={"x": value})


def test_names_and_finding_texts_are_text():
    # a number or None here would be written as JSON 5 or null and not read back
    for make in (
        lambda: Partner(5),
        lambda: Partner(None),
        lambda: Finding("code", "info", "$", 5),
        lambda: Finding(None, "info", "$", "message"),
        lambda: Finding("code", "info", "$", "message", {"n": 5}),
    ):
        with pytest.raises(TypeError, match="text"):
            make()
    assert Partner("").name == ""  # a missing name is a finding of validate(), not an error


_WITHIN_A_PROJECT = {
    # a class, the fields it needs, and how a project holds one
    Project: ({}, lambda x: x),
    Partner: ({"name": "A"}, lambda x: Project(partners=[x])),
    Share: ({"source": "eu"}, lambda x: Project(funding=Funding(shares=[x]))),
    Funding: ({}, lambda x: Project(funding=x)),
    Period: ({}, lambda x: Project(period=x)),
    Identifier: ({"scheme": None, "value": "X1"}, lambda x: Project(identifiers=[x])),
    Location: ({}, lambda x: Project(locations=[x])),
    Programme: ({}, lambda x: Project(programme=x)),
    Source: ({}, lambda x: Project(source=x)),
    Finding: (
        {"code": "c", "severity": "info", "path": "$", "message": "m"},
        lambda x: Project(source=Source(findings=[x])),
    ),
    Money: ({"amount": "1", "currency": "EUR"}, lambda x: Project(funding=Funding(x))),
    Duration: ({"months": 1, "days": 0}, lambda x: Project(period=Period(duration=x))),
}
_WRONG = [5, 1.5, True, None, "", "x", (), ("x",), {"a": 1}, object()]


@pytest.mark.parametrize("cls", list(_WITHIN_A_PROJECT), ids=lambda c: c.__name__)
def test_a_record_with_a_value_of_the_wrong_type_is_refused_or_survives_writing(cls):
    # whatever a constructor accepts, every writer must write and the reader give back
    needs, hold = _WITHIN_A_PROJECT[cls]
    for name in [f.name for f in attrs.fields(cls)]:
        for value in _WRONG:
            try:
                project = hold(cls(**{**needs, name: value}))
            except (TypeError, ValueError):
                continue
            buffer = io.BytesIO()
            socialproj.write([project], buffer, "jsonl")
            back = list(socialproj.read(io.BytesIO(buffer.getvalue()), "jsonl"))
            assert back == [project], (cls.__name__, name, value)

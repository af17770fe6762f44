"""The layouts' extraction engine: candidates, cue words, distractors and ambiguities.

The texts here are written for the tests (biased evidence, kept as regression guards);
the engine is measured on the real samples with ``score_layouts.py`` (see the notes).
"""

from __future__ import annotations

import io
import tomllib
from decimal import Decimal
from importlib import resources

import pytest

from socialproj import Role, ShareSource, read, scan_amounts
from socialproj_layouts import engine
from socialproj_layouts.cbc_fiche import typed_value


def _news(text: str):
    [project] = read(io.BytesIO(text.encode("utf-8")), "bg-news")
    return project


def _share(project, source):
    return next((s for s in project.funding.shares if s.source is source), None)


def test_a_budget_sentence_gives_total_shares_and_own_money_by_their_cue_words():
    project = _news(
        "The Green Bridges project is worth a total 2,000,000.00 euro, of which "
        "1,700,000.00 euro contributed by the European Regional Development Fund, "
        "250,000.00 euro by the national budgets, and 50,000.00 euro in own funding."
    )
    assert project.funding.total.amount == Decimal("2000000.00")
    eu = _share(project, ShareSource.EU)
    assert (eu.amount.amount, eu.fund) == (Decimal("1700000.00"), "ERDF")
    assert _share(project, ShareSource.NATIONAL).amount.amount == Decimal("250000.00")
    assert _share(project, ShareSource.OWN).amount.amount == Decimal("50000.00")


def test_a_partners_budget_and_a_unit_cost_are_distractors():
    found = engine.Engine(
        "Total project budget: 900,000.00 euros.\n"
        "Budgets of project partners:\n"
        " • EUR 600,000.00 for the municipality of Alfa\n"
        " • 300,000.00 euros for the municipality of Beta\n"
        "Each participant receives 20.00 euro per day."
    ).amounts()
    roles = {candidate.text: candidate.field for candidate in found}
    assert roles["900,000.00 euros"] == "total"
    assert roles["EUR 600,000.00"] == "other"
    assert roles["300,000.00 euros"] == "other"
    assert roles["20.00 euro"] == "other"  # found, and taken for a distractor


def test_two_totals_with_the_same_weight_are_an_ambiguity_not_a_guess():
    project = _news(
        "The project „Blue Rivers“ has a total budget of 500,000.00 euro. "
        "The project „Blue Rivers“ has a total budget of 450,000.00 euro."
    )
    assert project.funding is None or project.funding.total is None
    [finding] = [f for f in project.source.findings if f.code == "import.ambiguous"]
    assert "500,000.00 euro" in finding.message and "450,000.00 euro" in finding.message


def test_a_range_of_dates_is_read_month_first_only_when_a_date_proves_it():
    dates = engine.Engine("Implementation period: 06/09/2017 - 04/30/2022").dates()
    [period] = [c for c in dates if c.field == "period"]
    assert [str(d) for d in period.value] == ["2017-06-09", "2022-04-30"]
    dates = engine.Engine("Implementation period: 06/09/2017 - 04/10/2022").dates()
    [period] = [c for c in dates if c.field == "period"]
    assert [str(d) for d in period.value] == ["2017-09-06", "2022-10-04"]


def test_publication_and_event_dates_are_not_the_period():
    project = _news(
        "Date of publication: 21.07.2017\n"
        "A press conference was held on 30 October 2012 about the project „Open Doors“.\n"
        "The project started on 7th April 2022 and is expected to finish on 7 October 2023."
    )
    assert (str(project.period.start), str(project.period.end)) == ("2022-04-07", "2023-10-07")


def test_partners_are_read_by_their_role_marks_with_their_country():
    project = _news(
        "The project „Old Crafts“ is a partnership between the Ivanovo Community Centre "
        "(lead partner) and the Municipality of Calafat in Romania (partner)."
    )
    partners = {p.name: (p.role, p.country) for p in project.partners}
    assert partners["Ivanovo Community Centre"] == (Role.LEAD, None)
    assert partners["Municipality of Calafat"] == (Role.PARTNER, "RO")


def test_organisations_named_far_from_partner_words_are_not_partners():
    project = _news(
        "Проектът „Малки хора“ е на стойност 390 500 лв. Центърът работи съвместно с "
        "болницата, а сградата е предоставена от Столична община."
    )
    assert [p.name for p in project.partners] == []


def test_two_organisations_joined_by_and_stay_two():
    names = [
        c.value[0]
        for c in engine.Engine(
            "Partners: the Municipality of Alfa and Association Beta Future (partner)."
        ).partners()
    ]
    assert "Municipality of Alfa and Association Beta Future" not in names


def test_a_programme_name_is_taken_whole_and_a_generic_one_not_at_all():
    [best] = {
        c.value
        for c in engine.Engine(
            "co-financed under the Interreg V-A Programme Romania - Bulgaria."
        ).programmes()
    }
    assert best == "Interreg V-A Programme Romania - Bulgaria"
    assert engine.Engine("It is funded by an Interreg programme.").programmes() == []
    # where the name ends is unsure: better no programme than half of one
    assert engine.Engine("по Оперативна програма Развитие на човешките ресурси").programmes() == []


def test_a_torn_number_is_reported_not_read_as_its_tail():
    [found] = scan_amounts("общата стойност става 1 096 788, 07 лв., съобщиха")
    assert found.money is None and "1 096 788, 07 лв." in found.text
    [found] = scan_amounts("Бюджет: 4 960 400, 17 лв.")
    assert found.money is None


@pytest.mark.parametrize(
    ("field", "text", "expected"),
    [
        ("start", "Oct 10, 2017", True),
        ("start", "of the works", False),
        ("eu", "956.564,93 €", True),
        ("eu", "as stated below", False),
        ("code", "– MIS 5017270", True),
        ("code", "for the project the municipality applied", False),
    ],
)
def test_a_label_without_colon_is_believed_only_when_its_value_is_of_its_kind(
    field, text, expected
):
    assert typed_value(field, text.lstrip("– ")) is expected


def test_a_fiche_with_labels_without_colons_reads_dates_money_and_the_partner_list():
    text = (
        "Health for the Border\n"
        "Project Number – MIS 5000001\n"
        "Lead Beneficiary Regional Health Inspection-Haskovo\n"
        "Beneficiaries General Hospital of Alexandroupolis\n"
        "Municipality of Kirkovo\n"
        "Start Date Oct 10, 2017\n"
        "End Date Apr 09, 2021\n"
        "Budget 1.125.370,50 €\n"
        "ERDF Contribution 956.564,93 €\n"
        "National Contribution 168.805,57 €\n"
        "The project improves health services in the border region.\n"
    )
    [project] = read(io.BytesIO(text.encode()), "cbc-fiche")
    assert (str(project.period.start), str(project.period.end)) == ("2017-10-10", "2021-04-09")
    assert _share(project, ShareSource.EU).amount.amount == Decimal("956564.93")
    assert _share(project, ShareSource.NATIONAL).amount.amount == Decimal("168805.57")
    assert [p.name for p in project.partners] == [
        "Regional Health Inspection-Haskovo",
        "General Hospital of Alexandroupolis",
        "Municipality of Kirkovo",
    ]


KNOWN = {
    "amounts": {"total", "eu", "national", "own", "part", "other"},
    "dates": {"start", "end", "period", "other"},
    "partners": None,
    "organisations": None,
    "programmes": None,
    "places": None,
    "news": None,
}


@pytest.mark.parametrize("code", engine.cue_languages())
def test_every_cue_file_has_only_known_sections_and_folded_words(code):
    text = resources.files("socialproj_layouts").joinpath("cues", f"{code}.toml").read_text("utf-8")
    data = tomllib.loads(text)
    assert set(data) <= set(KNOWN)
    for section, roles in KNOWN.items():
        if roles is not None:
            assert set(data.get(section, {})) <= roles, section

    def words(value):
        if isinstance(value, dict):
            for item in value.values():
                yield from words(item)
        else:
            yield from value

    countries = data.get("places", {}).pop("countries", [])
    assert all(len(code) == 2 and code.isupper() for code in countries)
    for word in words(data):
        # folded: lower case, single spaces (a cue may end with one: "per ")
        assert word == word.casefold() and " ".join(word.split()) == word.strip()


def test_the_cue_files_cover_the_languages_of_the_prose_formats():
    assert {"bg", "en", "mk", "sr"} <= set(engine.cue_languages())

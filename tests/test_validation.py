"""Validation: every built-in check, with its code, severity, path and numbers."""

from __future__ import annotations

import pytest

import socialproj
from socialproj import (
    Duration,
    Finding,
    Funding,
    Location,
    Money,
    Partner,
    Period,
    Programme,
    Project,
    Severity,
    Share,
    Source,
    Validator,
    to_dict,
    validate,
)
from socialproj.validation import CODES

LEAD = (Partner("Lead", "lead", "BG"),)


def codes(project: Project) -> list[str]:
    return [f.code for f in validate(project)]


def only(project: Project, code: str) -> Finding:
    found = [f for f in validate(project) if f.code == code]
    assert len(found) == 1, validate(project)
    return found[0]


def test_seed_003_warns_27_stated_26_by_its_dates():
    project = Project(period=Period("2017-09-23", "2019-11-22", Duration(27)), partners=LEAD)
    finding = only(project, "period.duration.mismatch")
    assert finding.severity is Severity.WARNING
    assert finding.path == "$.period.duration"
    assert "27 months" in finding.message and "26 months" in finding.message
    assert finding.data["stated"] == "27 months" and finding.data["measured"] == "26 months"


def test_consistent_periods_pass():
    assert (
        codes(Project(period=Period("2019-12-10", "2023-12-31", Duration(48, 22)), partners=LEAD))
        == []
    )
    assert codes(Project(period=Period.from_start("2017-09-23", Duration(27)), partners=LEAD)) == []


def test_end_before_start_is_an_error():
    finding = only(
        Project(period=Period("2019-05-01", "2019-01-01"), partners=LEAD), "period.end.before_start"
    )
    assert finding.severity is Severity.ERROR and "2019-01-01" in finding.message


def test_shares_above_the_total_are_an_error_with_the_numbers():
    project = Project(
        partners=LEAD,
        funding=Funding(
            Money("1000.00", "EUR"),
            [
                Share("eu", "ERDF", Money("900.00", "EUR")),
                Share("national", None, Money("150.00", "EUR")),
            ],
        ),
    )
    finding = only(project, "funding.shares.exceed_total")
    assert finding.path == "$.funding.shares"
    assert "1050.00 EUR" in finding.message and "50.00 EUR" in finding.message


def test_shares_that_do_not_add_up_warn():
    project = Project(
        partners=LEAD,
        funding=Funding(
            Money("1000.00", "EUR"),
            [
                Share("eu", "ERDF", Money("800.00", "EUR")),
                Share("national", None, Money("150.00", "EUR")),
            ],
        ),
    )
    assert only(project, "funding.shares.sum_mismatch").severity is Severity.WARNING


def test_a_single_eu_share_below_the_total_is_normal():
    project = Project(
        partners=LEAD,
        funding=Funding(
            Money("671561.63", "EUR"), [Share("eu", "ERDF", Money("570827.37", "EUR"))]
        ),
    )
    assert codes(project) == []


def test_seed_001_adds_up_to_the_cent():
    project = Project(
        partners=LEAD,
        funding=Funding(
            Money("198660.00", "BGN"),
            [
                Share("eu", "ESF", Money("188727", "BGN")),
                Share("national", None, Money("9933.00", "BGN")),
            ],
        ),
    )
    assert codes(project) == []


def test_tolerance_is_a_cent_per_partner_line():
    funding = Funding(
        Money("1000.00", "EUR"),
        [
            Share("eu", "ERDF", Money("850.02", "EUR")),
            Share("national", None, Money("150.01", "EUR")),
        ],
    )
    three = (Partner("A", "lead"), Partner("B"), Partner("C"))
    assert "funding.shares.exceed_total" not in codes(Project(partners=three, funding=funding))
    assert "funding.shares.exceed_total" in codes(Project(partners=LEAD, funding=funding))


def test_rate_and_amount_that_disagree_warn():
    project = Project(
        partners=LEAD,
        funding=Funding(
            Money("396463.71", "EUR"), [Share("eu", "IPA", Money("300000.00", "EUR"), "85.00 %")]
        ),
    )
    finding = only(project, "funding.share.rate_mismatch")
    assert finding.path == "$.funding.shares[0].rate"
    assert "336994.15" in finding.message and "75.67%" in finding.message


def test_rate_written_as_whole_percent_allows_its_rounding():
    # "85%" stands for anything from 84.5% to 85.5%
    project = Project(
        partners=LEAD,
        funding=Funding(
            Money("1000.00", "EUR"), [Share("eu", "ERDF", Money("852.00", "EUR"), "85%")]
        ),
    )
    assert codes(project) == []


def test_rates_above_100_percent():
    project = Project(
        partners=LEAD,
        funding=Funding(None, [Share("eu", "ERDF", rate="85"), Share("national", rate="20")]),
    )
    assert only(project, "funding.rates.exceed").severity is Severity.ERROR


def test_missing_and_mixed_currency():
    missing = Project(partners=LEAD, funding=Funding(Money("7988762.57", None)))
    finding = only(missing, "money.currency.missing")
    assert finding.path == "$.funding.total.currency" and finding.severity is Severity.ERROR
    mixed = Project(
        partners=LEAD,
        funding=Funding(Money("100", "EUR"), [Share("eu", "ERDF", Money("50", "BGN"))]),
    )
    assert only(mixed, "money.currency.mixed").path == "$.funding.shares[0].amount.currency"


def test_approximate_negative_and_overscaled_amounts():
    approx = Project(partners=LEAD, funding=Funding(Money("532000", "BGN", "approximately")))
    assert only(approx, "money.approximate").path == "$.funding.total.amount"
    assert "money.negative" in codes(Project(partners=LEAD, funding=Funding(Money("-1", "EUR"))))
    overscaled = only(
        Project(partners=LEAD, funding=Funding(Money("136.363", "BGN"))), "money.scale.excess"
    )
    assert "thousands separator" in overscaled.message


def test_eu_share_without_fund_and_unknown_fund():
    assert (
        only(
            Project(partners=LEAD, funding=Funding(None, [Share("eu")])),
            "funding.share.fund_missing",
        ).path
        == "$.funding.shares[0].fund"
    )
    assert "funding.share.fund_unknown" in codes(
        Project(partners=LEAD, funding=Funding(None, [Share("eu", "XYZF")]))
    )


def test_partner_budgets_against_the_total():
    partners = (
        Partner("Ovidiu", "lead", "RO", budget=Money("420897.40", "EUR")),
        Partner("Shabla", "partner", "BG", budget=Money("409407.64", "EUR")),
        Partner("Idein", "partner", "BG", budget=Money("158522.14", "EUR")),
    )
    # robg-card 043: the three partner budgets sum exactly to the total
    assert codes(Project(partners=partners, funding=Funding(Money("988827.18", "EUR")))) == []
    assert "funding.partners.sum_mismatch" in codes(
        Project(partners=partners, funding=Funding(Money("988900.00", "EUR")))
    )


def test_lead_partner_checks():
    assert (
        only(Project(partners=(Partner("A"), Partner("B"))), "partners.lead.missing").severity
        is Severity.WARNING
    )
    assert "partners.lead.missing" in codes(Project())
    assert "partners.lead.multiple" in codes(
        Project(partners=(Partner("A", "lead"), Partner("B", "lead")))
    )


def test_unknown_country_and_missing_name():
    finding = only(Project(partners=(Partner("A", "lead", "Narnia"),)), "partner.country.unknown")
    assert finding.path == "$.partners[0].country" and "'Narnia'" in finding.message
    assert "partner.name.missing" in codes(Project(partners=(Partner("", "lead"),)))
    assert "location.country.unknown" in codes(
        Project(partners=LEAD, locations=[Location("X", "ZZ")])
    )
    assert "location.nuts.malformed" in codes(
        Project(partners=LEAD, locations=[Location("X", "BG", "bg-341")])
    )


def test_malformed_cci():
    finding = only(
        Project(partners=LEAD, programme=Programme(cci="2014BG05M9OP00")), "programme.cci.malformed"
    )
    assert finding.severity is Severity.ERROR and finding.path == "$.programme.cci"
    assert codes(Project(partners=LEAD, programme=Programme(cci="2007CB16IPO007"))) == []


def test_importer_findings_come_first():
    noted = Finding("date.relative", "warning", "$.period.start", "3 юли т. г. needs a year")
    project = Project(source=Source(format="bg-news", findings=[noted]))
    assert validate(project)[0] == noted


def test_validation_never_changes_the_record():
    project = Project(
        period=Period("2017-09-23", "2019-11-22", Duration(27)), funding=Funding(Money("1", None))
    )
    before = to_dict(project)
    validate(project)
    assert to_dict(project) == before


class _Plugin:
    @socialproj.hookimpl
    def socialproj_validators(self):
        def title_required(project):
            if not project.title:
                yield Finding("custom.title.missing", "warning", "$.title", "no title")

        def broken(project):
            raise RuntimeError("bug in a plugin")

        yield Validator("title-required", "every project needs a title", title_required)
        yield Validator("broken", "a check with a bug", broken)


def test_plugin_checks_run_and_a_broken_one_is_reported_not_fatal():
    with socialproj.registered(_Plugin(), "test-validators"):
        found = codes(Project(partners=LEAD))
    assert "custom.title.missing" in found
    assert "validator.failed" in found
    assert codes(Project(partners=LEAD)) == []  # unregistered again


def test_every_documented_code_is_reachable():
    emitted: set[str] = set()
    projects = [
        Project(period=Period("2017-09-23", "2019-11-22", Duration(27))),
        Project(period=Period("2019-05-01", "2019-01-01")),
        Project(funding=Funding(Money("1", None))),
        Project(
            funding=Funding(
                Money("100", "EUR", "approximately"),
                [
                    Share("eu", None, Money("50", "BGN")),
                    Share("national", "XYZF", Money("-1", "EUR"), "85"),
                    Share("own", None, Money("90.001", "EUR"), "30"),
                    Share("other", None, Money("60", "EUR")),
                ],
            ),
            partners=(Partner("", "lead", "QQ", budget=Money("1", "EUR")), Partner("b", "lead")),
        ),
        Project(
            partners=(Partner("a"),),
            locations=[Location("x", "QQ", "bad")],
            programme=Programme(cci="nope"),
        ),
        Project(
            funding=Funding(
                Money("100", "EUR"),
                [Share("eu", "ERDF", Money("80", "EUR")), Share("own", None, Money("10", "EUR"))],
            )
        ),
        Project(
            funding=Funding(Money("100", "EUR")),
            partners=(Partner("a", "lead", budget=Money("10", "EUR")),),
        ),
        Project(programme=Programme(cci="2014ТС16RFCB014")),
    ]
    for project in projects:
        emitted.update(codes(project))
    with socialproj.registered(_Plugin(), "test-validators"):
        emitted.update(codes(Project()))
    assert set(CODES) <= emitted
    assert all(code.count(".") >= 1 for code in CODES)


@pytest.mark.parametrize("code", CODES)
def test_every_code_is_documented_in_the_reference(code):
    from pathlib import Path

    reference = (Path(socialproj.__file__).parent / "validation.py").read_text(encoding="utf-8")
    assert f"``{code}``" in reference


def test_lookalike_letters_are_named_where_they_make_a_code_wrong():
    project = Project(
        programme=Programme(cci="2014ТС16RFCB014"),
        partners=(Partner("Община Белица", "lead", "ВG"),),
    )
    messages = {f.code: f.message for f in validate(project)}
    assert "'Т' and 'С' are the Cyrillic letters Te and Es" in messages["programme.cci.lookalike"]
    assert "'В' is the Cyrillic letter Ve, not the Latin B" in messages["partner.country.unknown"]
    with pytest.raises(ValueError, match="'Е' is the Cyrillic letter Ie, not the Latin E"):
        Money("1", "ЕUR")
    with pytest.raises(socialproj.ParseError, match="'Е' is the Cyrillic letter Ie"):
        socialproj.parse_money("100 ЕUR")

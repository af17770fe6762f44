"""Checks that find every contradiction in a record and say it with the numbers.

:func:`check` never changes a record; it returns :class:`~socialproj.Finding`
objects (:func:`socialproj.validate` runs it with the validator plugins installed).
Each code below is stable; the reference lists them with examples.

=====================================  ========  ===========================================
code                                   severity  what
=====================================  ========  ===========================================
``period.end.before_start``            error     the end date is before the start date
``period.duration.mismatch``           warning   the stated duration is not what the dates span
``money.currency.missing``             error     an amount without a currency
``money.currency.mixed``               error     amounts of one project in different currencies
``money.negative``                     error     a negative total, share or budget
``money.approximate``                  warning   an amount stated approximately ("около")
``money.scale.excess``                 warning   more decimals than the currency has
``funding.shares.exceed_total``        error     the shares add up to more than the total
``funding.shares.sum_mismatch``        warning   two or more shares that do not add up to it
``funding.rates.exceed``               error     share rates adding up to more than 100%
``funding.share.rate_mismatch``        warning   a share's amount is not its rate of the total
``funding.share.fund_missing``         warning   an EU share that does not name its fund
``funding.share.fund_unknown``         warning   a fund code socialproj does not know
``funding.partners.sum_mismatch``      warning   partner budgets that do not add up to the total
``partners.lead.missing``              warning   no lead partner is named
``partners.lead.multiple``             warning   more than one lead partner
``partner.name.missing``               error     a partner without a name
``partner.country.unknown``            error     a country that is not an ISO 3166-1 code
``location.country.unknown``           error     a place's country is not an ISO code
``location.nuts.malformed``            warning   a NUTS code of the wrong shape
``programme.cci.malformed``            error     a CCI code of the wrong shape
``programme.cci.lookalike``            warning   a CCI code typed with Cyrillic or Greek letters
``validator.failed``                   error     a plugin's check raised an exception
=====================================  ========  ===========================================

Sums are compared with a tolerance of one minor unit (a cent) per line that was
rounded on its own — per partner, or per share when no partners are listed — because
published totals are sums of rounded partner lines.
"""

from __future__ import annotations

import decimal
from collections.abc import Callable, Iterable
from decimal import Decimal
from functools import cache
from typing import Protocol

from .codes import FUNDS, is_cci, lookalikes
from .countries import country_codes, is_country_code
from .currencies import minor_units
from .errors import expect
from .findings import Finding, Severity
from .model import Project, Role, ShareSource
from .money import EXACT, Money, divide, plain
from .periods import Duration, measure_months

__all__ = ["CODES", "Check", "check"]

ERROR = Severity.ERROR
WARNING = Severity.WARNING

#: Every code the built-in checks emit.
CODES = (
    "period.end.before_start",
    "period.duration.mismatch",
    "money.currency.missing",
    "money.currency.mixed",
    "money.negative",
    "money.approximate",
    "money.scale.excess",
    "funding.shares.exceed_total",
    "funding.shares.sum_mismatch",
    "funding.rates.exceed",
    "funding.share.rate_mismatch",
    "funding.share.fund_missing",
    "funding.share.fund_unknown",
    "funding.partners.sum_mismatch",
    "partners.lead.missing",
    "partners.lead.multiple",
    "partner.name.missing",
    "partner.country.unknown",
    "location.country.unknown",
    "location.nuts.malformed",
    "programme.cci.malformed",
    "programme.cci.lookalike",
    "validator.failed",
)


def _finding(code: str, severity: Severity, path: str, message: str, **data: object) -> Finding:
    from .texts import FrozenDict

    return Finding(code, severity, path, message, FrozenDict({k: str(v) for k, v in data.items()}))


def _sum(values: Iterable[Decimal]) -> Decimal:
    total = _ZERO
    for value in values:
        total = EXACT.add(total, value)
    return total


@cache
def _cent(currency: str) -> Decimal:
    return Decimal(1).scaleb(-minor_units(currency))


def _fmt(amount: Decimal, currency: str | None) -> str:
    return f"{plain(amount)} {currency or ''}".rstrip()


class Check(Protocol):
    """An extra check, as :func:`check` runs it: a ``name`` and a ``check(project)``.

    :class:`~socialproj.Validator` (what validator plugins yield) is one.
    """

    @property
    def name(self) -> str:
        """The check's name, as findings of its failure name it."""

    @property
    def check(self) -> Callable[[Project], Iterable[Finding]]:
        """The function yielding its findings about a project."""


def check(project: Project, validators: Iterable[Check] = ()) -> list[Finding]:
    """Every finding about ``project``: the importer's, the built-in checks', ``validators``'.

    Findings recorded by the importer (``project.source.findings``) come first, then the
    built-in checks in the order of the record, then those of ``validators`` in their
    order. The record is not changed. :func:`socialproj.validate` is this with the
    validators of the installed plugins.

        >>> from socialproj import Period, Duration
        >>> project = Project(period=Period("2017-09-23", "2019-11-22", Duration(27)))
        >>> [finding.code for finding in check(project)]
        ['period.duration.mismatch', 'partners.lead.missing']
    """
    expect(project, Project, "validate() checks a Project")
    findings: list[Finding] = []
    if project.source is not None and project.source.findings:
        findings.extend(project.source.findings)
    add = findings.append
    _check_period(project, add)
    _check_funding(project, add)
    _check_partners(project, add)
    _check_places(project, add)
    if validators:
        findings.extend(_plugin_findings(project, validators))
    return findings


def _check_period(project: Project, add: Callable[[Finding], None]) -> None:
    period = project.period
    if period is None:
        return
    start, end, stated = period.start, period.end, period.duration
    if start is not None and end is not None and end.latest() < start.earliest():
        add(
            _finding(
                "period.end.before_start",
                ERROR,
                "$.period.end",
                f"the project ends on {end}, before it starts on {start}",
                start=start,
                end=end,
            )
        )
        return
    if stated is None or start is None or end is None or period.derived:
        return
    if start.day is not None and end.day is not None:
        measured = measure_months(start.to_date(), end.to_date())
        if measured is None or measured == (stated.months, stated.days):
            return
    else:
        whole = period.measured_duration
        if whole is None or whole == stated:
            return
        measured = (whole.months, whole.days)
    spanned = Duration(*measured)
    add(
        _finding(
            "period.duration.mismatch",
            WARNING,
            "$.period.duration",
            f"{stated} stated, but {start} to {end} is {spanned} counting the last day "
            f"(end = start + duration - 1 day)",
            stated=stated,
            measured=spanned,
            start=start,
            end=end,
        )
    )


_ZERO = Decimal(0)


@cache
def _scale_limit(currency: str) -> int:
    return minor_units(currency)


def _places(amount: Decimal) -> int:
    exponent = amount.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def _money_checks(
    money: Money,
    where: str,
    currency: str | None,
    add: Callable[[Finding], None],
    index: int = 0,
) -> None:
    """Check one amount.

    ``where`` is its path, with ``{}`` for ``index``, formatted only when there is
    something to report.
    """
    code = money.currency
    if (
        code is not None
        and money.qualifier is None
        and (currency is None or code == currency)
        and money.amount >= _ZERO
    ):
        # the common case: only the scale is left to check, from the text of the amount
        text = str(money.amount)
        dot = text.find(".")
        if dot < 0 or len(text) - dot - 1 <= _scale_limit(code):
            return
    path = where.format(index)
    if money.currency is None:
        add(
            _finding(
                "money.currency.missing",
                ERROR,
                f"{path}.currency",
                f"the amount {plain(money.amount)} has no currency",
                amount=plain(money.amount),
            )
        )
    elif currency is not None and money.currency != currency:
        add(
            _finding(
                "money.currency.mixed",
                ERROR,
                f"{path}.currency",
                f"{money} is in {money.currency}, the total in {currency}: "
                "convert before comparing",
                currency=money.currency,
                total_currency=currency,
            )
        )
    if money.amount < 0:
        add(
            _finding(
                "money.negative",
                ERROR,
                f"{path}.amount",
                f"the amount {money} is negative",
                amount=plain(money.amount),
            )
        )
    if money.qualifier is not None:
        add(
            _finding(
                "money.approximate",
                WARNING,
                f"{path}.amount",
                f"the amount {money} is stated as {money.qualifier.value.replace('_', ' ')}, "
                f"not exactly",
                qualifier=money.qualifier.value,
                amount=plain(money.amount),
            )
        )
    if money.currency is not None:
        places = _scale_limit(money.currency)
        if _places(money.amount) > places:
            add(
                _finding(
                    "money.scale.excess",
                    WARNING,
                    f"{path}.amount",
                    f"{money} has {_places(money.amount)} decimals; {money.currency} has "
                    f"{places} (is a thousands separator read as a decimal mark?)",
                    amount=plain(money.amount),
                    places=_places(money.amount),
                )
            )


def _check_funding(project: Project, add: Callable[[Finding], None]) -> None:
    funding = project.funding
    partners = project.partners
    if funding is None:
        for i, partner in enumerate(partners):
            if partner.budget is not None:
                _money_checks(partner.budget, "$.partners[{}].budget", None, add, i)
        return
    total = funding.total
    currency = total.currency if total is not None else None
    if total is not None:
        _money_checks(total, "$.funding.total", None, add)
    if currency is None:  # compare the shares with each other instead
        currencies = {s.amount.currency for s in funding.shares if s.amount is not None}
        currency = currencies.pop() if len(currencies) == 1 else None
    rated = _ZERO
    amounts: list[Decimal] = []
    complete = True
    lines = max(len(partners), len(funding.shares), 1)
    cent = _cent(currency) if currency else None
    for i, share in enumerate(funding.shares):
        if share.rate is not None:
            rated = EXACT.add(rated, share.rate)
        fund = share.fund
        if fund is None and share.source is ShareSource.EU:
            add(
                _finding(
                    "funding.share.fund_missing",
                    WARNING,
                    f"$.funding.shares[{i}].fund",
                    "the EU share does not name its fund (ERDF, ESF+, IPA …)",
                )
            )
        elif fund is not None and fund not in FUNDS:
            add(
                _finding(
                    "funding.share.fund_unknown",
                    WARNING,
                    f"$.funding.shares[{i}].fund",
                    f"{share.fund!r} is not a fund code socialproj knows ({', '.join(FUNDS)})",
                    fund=share.fund,
                )
            )
        amount = share.amount
        if amount is None:
            complete = False
            continue
        _money_checks(amount, "$.funding.shares[{}].amount", currency, add, i)
        if amount.currency != currency or currency is None:
            complete = False
            continue
        amounts.append(amount.amount)
        if share.rate is not None and total is not None and total.currency == currency and cent:
            path = f"$.funding.shares[{i}]"
            _check_rate(share.rate, amount, total, currency, cent * lines, path, add)
    if rated > 1:
        add(
            _finding(
                "funding.rates.exceed",
                ERROR,
                "$.funding.shares",
                f"the share rates add up to {_percent(rated)}%, more than 100%",
                rates=plain(rated),
            )
        )
    if total is not None and total.currency is not None and cent is not None and amounts:
        tolerance = cent * lines
        shares_sum = _sum(amounts)
        difference = shares_sum - total.amount
        if difference > tolerance:
            add(
                _finding(
                    "funding.shares.exceed_total",
                    ERROR,
                    "$.funding.shares",
                    f"the shares add up to {_fmt(shares_sum, currency)}, "
                    f"{_fmt(difference, currency)} more than the total {total} "
                    f"(tolerance {_fmt(tolerance, currency)})",
                    shares=plain(shares_sum),
                    total=plain(total.amount),
                    difference=plain(difference),
                )
            )
        elif complete and len(amounts) >= 2 and -difference > tolerance:
            add(
                _finding(
                    "funding.shares.sum_mismatch",
                    WARNING,
                    "$.funding.shares",
                    f"the shares add up to {_fmt(shares_sum, currency)}, "
                    f"{_fmt(-difference, currency)} less than the total {total}",
                    shares=plain(shares_sum),
                    total=plain(total.amount),
                    difference=plain(difference),
                )
            )
    _check_partner_budgets(project, currency, cent, add)


def _percent(fraction: Decimal) -> str:
    return plain(EXACT.multiply(fraction, Decimal(100)).normalize())


def _check_rate(
    rate: Decimal,
    amount: Money,
    total: Money,
    currency: str,
    tolerance: Decimal,
    path: str,
    add: Callable[[Finding], None],
) -> None:
    """Compare a share's amount with its rate of the total (both in ``currency``)."""
    exponent = rate.as_tuple().exponent
    digits = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    # a rate written with k decimals stands for anything within half its last digit
    slack = EXACT.multiply(total.amount, Decimal(5).scaleb(-digits - 1)) + tolerance
    expected = EXACT.multiply(total.amount, rate)
    if abs(expected - amount.amount) <= slack:
        return
    shown = expected.quantize(_cent(currency), rounding=decimal.ROUND_HALF_UP)
    actual = ""
    if total.amount:
        actual = f" ({plain(divide(amount.amount * 100, total.amount, 2, decimal.ROUND_HALF_UP))}%)"
    add(
        _finding(
            "funding.share.rate_mismatch",
            WARNING,
            f"{path}.rate",
            f"{_percent(rate)}% of {total} is {_fmt(shown, currency)}, "
            f"but the share is {amount}{actual}",
            rate=plain(rate),
            amount=plain(amount.amount),
            total=plain(total.amount),
        )
    )


def _check_partner_budgets(
    project: Project,
    currency: str | None,
    cent: Decimal | None,
    add: Callable[[Finding], None],
) -> None:
    budgets = [p.budget for p in project.partners]
    if budgets.count(None) == len(budgets):
        return  # no partner states a budget
    for i, budget in enumerate(budgets):
        if budget is not None:
            _money_checks(budget, "$.partners[{}].budget", currency, add, i)
    total = project.funding.total if project.funding else None
    if (
        total is None
        or cent is None
        or not budgets
        or any(b is None for b in budgets)
        or any(b.currency != total.currency for b in budgets if b is not None)
    ):
        return
    budget_sum = _sum(b.amount for b in budgets if b is not None)
    tolerance = cent * len(budgets)
    if abs(budget_sum - total.amount) > tolerance:
        add(
            _finding(
                "funding.partners.sum_mismatch",
                WARNING,
                "$.partners",
                f"the partners' budgets add up to {_fmt(budget_sum, total.currency)}, "
                f"the total is {total}",
                budgets=plain(budget_sum),
                total=plain(total.amount),
            )
        )


def _check_partners(project: Project, add: Callable[[Finding], None]) -> None:
    leads = 0
    codes = country_codes()  # cached: pycountry is read once, on first use
    for i, partner in enumerate(project.partners):
        if partner.role is Role.LEAD:
            leads += 1
        if not partner.name or (partner.name[0].isspace() and not partner.name.strip()):
            add(
                _finding(
                    "partner.name.missing", ERROR, f"$.partners[{i}].name", "a partner has no name"
                )
            )
        if partner.country is not None and partner.country not in codes:
            add(
                _finding(
                    "partner.country.unknown",
                    ERROR,
                    f"$.partners[{i}].country",
                    _not_a_country(partner.country),
                    country=partner.country,
                )
            )
    if leads == 0:
        what = "none of the partners is" if project.partners else "no partner is"
        add(
            _finding(
                "partners.lead.missing", WARNING, "$.partners", f"{what} named as the lead partner"
            )
        )
    elif leads > 1:
        add(
            _finding(
                "partners.lead.multiple",
                WARNING,
                "$.partners",
                f"{leads} partners are named as the lead",
                leads=leads,
            )
        )


def _check_places(project: Project, add: Callable[[Finding], None]) -> None:
    programme = project.programme
    if programme is not None and programme.cci is not None and not is_cci(programme.cci):
        add(
            _finding(
                "programme.cci.malformed",
                ERROR,
                "$.programme.cci",
                f"{programme.cci!r} is not a CCI code (four-digit year, two letters, two digits, "
                f"a short code and a three-digit number, like 2014TC16RFCB021)",
                cci=programme.cci,
            )
        )
    elif programme is not None and programme.cci is not None and lookalikes(programme.cci):
        add(
            _finding(
                "programme.cci.lookalike",
                WARNING,
                "$.programme.cci",
                f"{programme.cci!r} is typed with letters that only look Latin: "
                f"{lookalikes(programme.cci)} (it is compared as a CCI, but searching for "
                "it will not find it)",
                cci=programme.cci,
            )
        )
    for i, location in enumerate(project.locations):
        if location.country is not None and not is_country_code(location.country):
            add(
                _finding(
                    "location.country.unknown",
                    ERROR,
                    f"$.locations[{i}].country",
                    _not_a_country(location.country),
                    country=location.country,
                )
            )
        nuts = location.nuts
        if nuts is not None and not _is_nuts(nuts):
            add(
                _finding(
                    "location.nuts.malformed",
                    WARNING,
                    f"$.locations[{i}].nuts",
                    f"{nuts!r} is not a NUTS code (two letters and up to three letters or digits, "
                    f"like BG341 or RO411)",
                    nuts=nuts,
                )
            )


def _not_a_country(code: str) -> str:
    said = f"{code!r} is not an ISO 3166-1 alpha-2 country code"
    hint = lookalikes(code)
    return f"{said}: {hint}" if hint else said


def _is_nuts(code: str) -> bool:
    return (
        2 <= len(code) <= 5
        and code.isascii()
        and code[:2].isalpha()
        and code[:2].isupper()
        and all(ch.isdigit() or ch.isupper() for ch in code[2:])
    )


def _plugin_findings(project: Project, checks: Iterable[Check]) -> Iterable[Finding]:
    for validator in checks:
        try:
            yield from validator.check(project)
        except Exception as exc:  # a plugin's bug is reported, not allowed to end a run
            yield _finding(
                "validator.failed",
                ERROR,
                "$",
                f"the check {validator.name!r} failed: {type(exc).__name__}: {exc}",
                validator=validator.name,
            )

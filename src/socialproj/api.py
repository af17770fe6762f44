"""The top-level functions that use the installed plugins: :func:`validate` and :func:`convert`.

The core takes what it needs as arguments — :func:`socialproj.validation.check` its
validators, :func:`socialproj.rates.convert` its rate providers — and never asks the
plugin host. These functions are the core's with the host's answers filled in, so that
``socialproj.validate(project)`` runs the checks of every validator plugin installed and
``socialproj.convert(...)`` finds the rates of every rate-provider plugin installed.
"""

from __future__ import annotations

import datetime as _dt
from decimal import ROUND_HALF_UP

from . import rates, validation
from .dates import PartialDate
from .findings import Finding
from .model import Project
from .money import Money
from .plugins import host

__all__ = ["convert", "validate"]


def validate(project: Project, *, plugins: bool = True) -> list[Finding]:
    """Every finding about ``project``: the importer's, the built-in checks', the plugins'.

    Findings recorded by the importer (``project.source.findings``) come first, then the
    built-in checks in the order of the record, then those of validator plugins (unless
    ``plugins=False``). The record is not changed.

        >>> from socialproj import Period, Duration
        >>> project = Project(period=Period("2017-09-23", "2019-11-22", Duration(27)))
        >>> [finding.code for finding in validate(project)]
        ['period.duration.mismatch', 'partners.lead.missing']
    """
    return validation.check(project, host().validators() if plugins else ())


def convert(
    money: Money,
    to: str,
    *,
    on: _dt.date | str | PartialDate | None = None,
    rate: rates.Rate | None = None,
    provider: str | None = None,
    rounding: str = ROUND_HALF_UP,
    places: int | None = None,
) -> rates.Converted:
    """Convert ``money`` into currency ``to`` and say at what rate.

    The rate is, in this order: ``rate`` if given (a rate the source states); the fixed
    euro rate when one side is EUR and the other a legacy euro currency; else a dated
    rate from the rate-provider plugins (``provider`` picks one by name) for the day
    ``on`` (a date, ``"2015-06-01"`` or a :class:`PartialDate` known to the day). The
    result is rounded with ``rounding`` (half-up by default, as the euro
    regulation requires) to ``places`` decimals (default: the target's minor unit).

        >>> convert(Money("1000000", "BGN"), "EUR").money
        Money('511291.88', 'EUR')

    Raises :class:`~socialproj.RateNotFound` when no rate is known for that day and
    :class:`~socialproj.CurrencyMismatch` when the amount has no currency.
    """
    return rates.convert(
        money,
        to,
        on=on,
        rate=rate,
        provider=provider,
        rounding=rounding,
        places=places,
        providers=_installed_providers,
    )


def _installed_providers() -> tuple[rates.RateSource, ...]:
    """The rate providers of the installed plugins (asked only when a rate is needed)."""
    return host().rate_providers()

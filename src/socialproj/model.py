"""The records: projects, their programmes, funding, partners, places and provenance.

::

    Programme  (name, CCI, programming period, funds)
      └─ Project  (title per language, identifiers, status, period, places)
           ├─ Funding: a total and its shares (EU fund, national, own contribution …)
           └─ Partners: lead and others, each with role, country, maybe a budget

Every class is a frozen ``attrs`` class: validation never changes a record, and
:func:`attrs.evolve` makes a changed copy. Lists are tuples, texts per language are
:class:`~socialproj.Texts`. What a source states and what this library derived are kept
apart (``derived``), and what the source said that the model has no place for is kept
in ``extras``.
"""

from __future__ import annotations

import decimal
from collections.abc import Iterable, Mapping
from decimal import Decimal
from enum import StrEnum
from typing import Any, TypeVar

from attrs import field, frozen

from ._choices import choice
from .codes import code_key, guess_scheme, strip_contract_suffix
from .countries import fold_name
from .errors import expect
from .findings import Finding
from .jsonvalues import json_fields
from .money import Money, divide
from .periods import Period
from .texts import FrozenDict, Texts, frozen_dict, text_dict, texts

T = TypeVar("T")

__all__ = [
    "Funding",
    "Identifier",
    "Location",
    "Partner",
    "Programme",
    "Project",
    "Role",
    "Share",
    "ShareSource",
    "Source",
    "normalize_rate",
    "parse_role",
]


class ShareSource(StrEnum):
    """Who pays a share of a project's cost."""

    EU = "eu"
    NATIONAL = "national"  # national public co-financing
    REGIONAL = "regional"  # regional or local public money
    OWN = "own"  # the beneficiary's own contribution
    PRIVATE = "private"
    OTHER = "other"


class Role(StrEnum):
    """A partner's role in a project."""

    LEAD = "lead"
    PARTNER = "partner"
    ASSOCIATED = "associated"
    OTHER = "other"


_as_share_source = choice(ShareSource, "share source")
_as_role = choice(
    Role,
    "role",
    " (read a role as a document writes it with parse_role(), and keep that text in role_text)",
)


def _share_source(value: object) -> ShareSource:
    return _as_share_source(value)


def _role(value: object) -> Role:
    return _as_role(value)


_LEAD_MARKS = (
    "lead",
    "leading",
    "водещ",
    "lider",
    "coordinator",
    "координатор",
    "applicant",
    "кандидат",
    "main beneficiary",
    "главен",
    "носител",
)
_LEAD_CODES = frozenset(("lb", "bl", "lp", "pl", "b1", "p1", "вп"))
_ASSOCIATED_MARKS = ("associated", "асоцииран", "asociat", "придружен")
_PARTNER_MARKS = (
    "partner",
    "partener",
    "партньор",
    "партнер",
    "beneficiar",
    "бенефициент",
    "корисник",
    "co-applicant",
    "съизпълнител",
)


def parse_role(text: str) -> Role:
    """The role a partner line states: "Lead beneficiary (LB)", "(BL)", "Водещ партньор".

    A numbered beneficiary (``Beneficiary 2 (B2)``) is a partner, the first (``B1``)
    the lead; a bare "beneficiary"/"бенефициент" (a grant's single recipient) the lead.

        >>> parse_role("Lead beneficiary (BL)"), parse_role("Beneficiary 2 (B2)")
        (<Role.LEAD: 'lead'>, <Role.PARTNER: 'partner'>)
    """
    expect(text, str, "parse_role() reads text")
    folded = fold_name(text)
    if not folded:
        return Role.OTHER
    tokens = "".join(ch if ch.isalnum() else " " for ch in folded).split()
    if any(mark in folded for mark in _LEAD_MARKS) or _LEAD_CODES.intersection(tokens):
        return Role.LEAD
    if any(mark in folded for mark in _ASSOCIATED_MARKS):
        return Role.ASSOCIATED
    digits = "".join(ch for ch in folded if ch.isdigit())
    if any(mark in folded for mark in ("beneficiar", "бенефициент", "корисник")):
        if not digits or digits == "1":
            return Role.LEAD
        return Role.PARTNER
    short = len(folded) <= 4 and folded[0] in "bp"  # "B2", "P3", "PP"; "LB", "B1" are leads
    if short or any(mark in folded for mark in _PARTNER_MARKS):
        return Role.PARTNER
    return Role.OTHER


def normalize_rate(value: Decimal | int | str) -> Decimal:
    """A share's rate as a fraction from 0 to 1: ``85``, ``"85.00 %"``, ``"0.85"`` → 0.85.

    A ``%`` sign means percent; without it, values up to 1 are fractions and values up
    to 100 are percents. Anything else (``"500665.00%"``, an amount in the rate column)
    raises ``ValueError`` saying it cannot be a rate. Floats raise ``TypeError``.

        >>> normalize_rate("85.00 %"), normalize_rate(85), normalize_rate("0,85")
        (Decimal('0.8500'), Decimal('0.85'), Decimal('0.85'))
    """
    if isinstance(value, float | bool):
        raise TypeError(
            f"a rate must be a Decimal, int or str, not {type(value).__name__} ({value!r})"
        )
    percent = False
    if isinstance(value, str):
        text = value.strip().replace("\u00a0", "")
        if text.endswith("%"):
            percent = True
            text = text[:-1].strip()
        if text.count(",") == 1 and "." not in text:
            text = text.replace(",", ".")
        try:
            number = Decimal(text)
        except decimal.InvalidOperation:
            raise ValueError(f"{value!r} is not a rate (expected 85, 85%, 0.85)") from None
    elif isinstance(value, Decimal | int):
        number = Decimal(value)
    else:
        raise TypeError(f"a rate must be a Decimal, int or str, not {type(value).__name__}")
    if not number.is_finite():
        raise ValueError(f"{value!r} is not a rate")
    if percent or number > 1:
        if number > 100 or number < 0:
            raise ValueError(f"{value!r} cannot be a rate: a share is 0 to 100% (is it an amount?)")
        return number.scaleb(-2)
    if number < 0:
        raise ValueError(f"{value!r} cannot be a rate: rates are not negative")
    return number


def _rate(value: Decimal | int | str | None) -> Decimal | None:
    return None if value is None else normalize_rate(value)


def _text(value: str | None) -> str | None:
    """An optional text field: ``""`` and ``None`` both mean "not stated"."""
    if value is None or value == "":
        return None
    expect(value, str, "expected text")
    return value


def _lines(values: Iterable[str]) -> tuple[str, ...]:
    """Text lines, empty ones dropped."""
    return tuple(line for line in _all_of(str, "text lines", values) if line)


def _all_of(kind: type[T], what: str, values: Iterable[T]) -> tuple[T, ...]:
    """``values`` as a tuple, each of them a ``kind`` (else ``TypeError`` naming it)."""
    if isinstance(values, str | Mapping):
        raise TypeError(f"expected a list of {what}, not {values!r}")
    items = tuple(values)
    for item in items:
        expect(item, kind, f"{what} hold {kind.__name__} values")
    return items


def _optional(kind: type[T], what: str, value: T | None) -> T | None:
    """``value`` if it is a ``kind`` or ``None``, else ``TypeError`` naming it."""
    expect(value, (kind, type(None)), f"{what} is {kind.__name__} or None")
    return value


def _amount(value: Money | None) -> Money | None:
    return _optional(Money, "an amount", value)


def _shares(value: Iterable[Share]) -> tuple[Share, ...]:
    return _all_of(Share, "shares", value)


def _identifiers(value: Iterable[Identifier]) -> tuple[Identifier, ...]:
    return _all_of(Identifier, "identifiers", value)


def _partners(value: Iterable[Partner]) -> tuple[Partner, ...]:
    return _all_of(Partner, "partners", value)


def _findings(value: Iterable[Finding]) -> tuple[Finding, ...]:
    return _all_of(Finding, "findings", value)


def _derived(value: Iterable[str]) -> frozenset[str]:
    return value if isinstance(value, frozenset) else frozenset(value)


@frozen
class Share:
    """One share of a project's funding: who pays (``source``), from which fund, how much.

    ``amount`` and ``rate`` (a fraction of the total) are each optional; sources often
    state only one. ``derived`` names the fields computed here rather than stated.

        >>> Share("eu", "ERDF", Money("570827.37", "EUR"), "85%").rate
        Decimal('0.85')
    """

    source: ShareSource = field(converter=_share_source)
    fund: str | None = field(default=None, converter=_text)
    amount: Money | None = field(default=None, converter=_amount)
    rate: Decimal | None = field(default=None, converter=_rate)
    derived: frozenset[str] = field(default=frozenset(), converter=_derived)


@frozen
class Funding:
    """A project's total and its shares.

    >>> funding = Funding(Money("198660.00", "BGN"), [
    ...     Share("eu", "ESF", Money("188727", "BGN")),
    ...     Share("national", None, Money("9933.00", "BGN"))])
    >>> funding.co_financing_rate()
    Decimal('0.9500')
    """

    total: Money | None = field(default=None, converter=_amount)
    shares: tuple[Share, ...] = field(default=(), converter=_shares)
    derived: frozenset[str] = field(default=frozenset(), converter=_derived)

    def shares_of(self, source: ShareSource | str) -> tuple[Share, ...]:
        """The shares paid by ``source``."""
        wanted = _share_source(source)
        return tuple(s for s in self.shares if s.source is wanted)

    def amount_of(self, source: ShareSource | str) -> Money | None:
        """What ``source`` pays in all, if every one of its shares states an amount."""
        shares = self.shares_of(source)
        if not shares or any(s.amount is None for s in shares):
            return None
        return sum((s.amount for s in shares if s.amount is not None), start=0)  # type: ignore[return-value]

    def co_financing_rate(
        self, *, places: int = 4, rounding: str = decimal.ROUND_HALF_UP
    ) -> Decimal | None:
        """The EU share of the total, as a fraction rounded to ``places`` with ``rounding``.

        Derived from the amounts when both are stated, else the EU share's stated rate.
        ``None`` when neither is known.
        """
        eu = self.amount_of(ShareSource.EU)
        total = self.total
        if eu is not None and total is not None and total.amount and eu.currency == total.currency:
            return divide(eu.amount, total.amount, places, rounding)
        rates = [s.rate for s in self.shares_of(ShareSource.EU)]
        if len(rates) == 1 and rates[0] is not None:
            return rates[0]
        return None


def _identifier_value(value: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"an identifier needs a non-empty value, not {value!r}")
    return value


@frozen(eq=False)
class Identifier:
    """A project code in a numbering scheme, kept as written, compared by :attr:`key`.

    Two identifiers are equal when their schemes are and their codes are after mapping
    Cyrillic look-alike letters to Latin and dropping spaces and dashes.

        >>> cyrillic_es = Identifier("isun", "BG05M9OP001-2.002-0297-С01")
        >>> cyrillic_es == Identifier("isun", "BG05M9OP001-2.002-0297-C01")
        True
    """

    scheme: str | None = field(converter=_text)
    value: str = field(converter=_identifier_value)

    @classmethod
    def guess(cls, value: str) -> Identifier:
        """An identifier whose scheme is guessed from the code's shape (see ``guess_scheme``)."""
        return cls(guess_scheme(value), value.strip())

    @property
    def key(self) -> str:
        """The code as compared: look-alikes mapped to Latin, upper case, no spaces or dashes."""
        return code_key(self.value)

    @property
    def base(self) -> str:
        """The code without a Bulgarian contract suffix (``-C01``), for joining to lists."""
        return strip_contract_suffix(self.value)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Identifier):
            return NotImplemented
        return self.scheme == other.scheme and self.key == other.key

    def __hash__(self) -> int:
        return hash((self.scheme, self.key))

    def __str__(self) -> str:
        return self.value


def _name(value: str) -> str:
    """A partner's name: text, ``""`` when the source names none (validation reports it)."""
    expect(value, str, "a partner's name is text")
    return value


def _extras(value: Any) -> FrozenDict[str, Any]:
    """What a record keeps besides its fields: JSON values written back exactly (no floats)."""
    return FrozenDict._wrap(json_fields(frozen_dict(value)))


@frozen
class Partner:
    """An organisation taking part in a project.

    ``role`` is normalised (lead, partner, associated, other) and ``role_text`` keeps
    the role as the source wrote it; ``country`` is an ISO 3166-1 alpha-2 code as far as
    it could be read (validation reports anything else); ``budget`` is the partner's own
    share of the total where the source gives one.
    """

    name: str = field(converter=_name)
    role: Role = field(default=Role.PARTNER, converter=_role)
    country: str | None = field(default=None, converter=_text)
    role_text: str | None = field(default=None, converter=_text)
    budget: Money | None = field(default=None, converter=_amount)
    city: str | None = field(default=None, converter=_text)
    identifiers: tuple[Identifier, ...] = field(default=(), converter=_identifiers)
    extras: FrozenDict[str, Any] = field(factory=FrozenDict, converter=_extras, hash=False)


@frozen
class Programme:
    """The programme a project is funded by: name, CCI code, programming period, funds."""

    name: Texts = field(factory=Texts, converter=texts)
    cci: str | None = field(default=None, converter=_text)
    period: str | None = field(default=None, converter=_text)
    funds: tuple[str, ...] = field(default=(), converter=_lines)


@frozen
class Location:
    """A place a project happens: a settlement, municipality or region, its country, NUTS code."""

    name: str | None = field(default=None, converter=_text)
    country: str | None = field(default=None, converter=_text)
    nuts: str | None = field(default=None, converter=_text)


def _place(value: int | None) -> int | None:
    """A line or row number: a whole number (not a float, not a boolean) or ``None``."""
    if value is not None and type(value) is not int:
        raise TypeError(f"a line or row is a whole number, not {value!r}")
    return value


def _raw_fields(value: Any) -> FrozenDict[str, str]:
    fields = text_dict(value, "a source's fields (the raw texts)")
    if any(not v for v in fields.values()):
        return FrozenDict({k: v for k, v in fields.items() if v})
    return fields


@frozen
class Source:
    """Where a record came from and what it was read from.

    ``format``, ``file`` and ``line`` (text line) or ``row`` (spreadsheet data row) say
    where; ``fields`` maps each field read (``"funding.total"``) to the raw text it was
    read from; ``findings`` are what the importer found odd while reading.
    """

    format: str | None = field(default=None, converter=_text)
    file: str | None = field(default=None, converter=_text)
    line: int | None = field(default=None, converter=_place)
    row: int | None = field(default=None, converter=_place)
    fields: FrozenDict[str, str] = field(factory=FrozenDict, converter=_raw_fields)
    findings: tuple[Finding, ...] = field(default=(), converter=_findings)


def _funding(value: Funding | None) -> Funding | None:
    value = _optional(Funding, "funding", value)
    if value is not None and value.total is None and not value.shares and not value.derived:
        return None  # an empty funding says nothing
    return value


def _period(value: Period | None) -> Period | None:
    value = _optional(Period, "a period", value)
    if value is not None and value.start is None and value.end is None and value.duration is None:
        return None
    return value


def _programme(value: Programme | None) -> Programme | None:
    value = _optional(Programme, "a programme", value)
    if (
        value is not None
        and not value.name
        and value.cci is None
        and value.period is None
        and not value.funds
    ):
        return None
    return value


def _source(value: Source | None) -> Source | None:
    value = _optional(Source, "a source", value)
    if (
        value is not None
        and value.format is None
        and value.file is None
        and value.line is None
        and value.row is None
        and not value.fields
        and not value.findings
    ):
        return None
    return value


def _places(value: Iterable[Location]) -> tuple[Location, ...]:
    return tuple(
        place
        for place in _all_of(Location, "locations", value)
        if place.name is not None or place.country is not None or place.nuts is not None
    )


@frozen
class Project:
    """A publicly funded project, as a source describes it.

    ``title`` and ``summary`` are :class:`~socialproj.Texts` (a plain string is taken as
    text in an undetermined language); ``results`` are result and output lines as text;
    ``status`` is the status as written; ``extras`` keeps every input field the model has
    no place for, so nothing is lost on the way through: JSON values (text, whole
    numbers, exact ``Decimal`` numbers, booleans, lists and objects, nested at most 200
    levels), so that every format writes them back exactly — a float is refused, as it
    has already lost its digits. A sub-record that states
    nothing (an empty ``Funding()``, ``Period()``, ``Programme()``, ``Source()`` or
    ``Location()``) is stored as absent.

        >>> Project(title={"en": "Social Patronage"}).title.best("en")
        'Social Patronage'
    """

    title: Texts = field(factory=Texts, converter=texts)
    identifiers: tuple[Identifier, ...] = field(default=(), converter=_identifiers)
    programme: Programme | None = field(default=None, converter=_programme)
    funding: Funding | None = field(default=None, converter=_funding)
    period: Period | None = field(default=None, converter=_period)
    partners: tuple[Partner, ...] = field(default=(), converter=_partners)
    locations: tuple[Location, ...] = field(default=(), converter=_places)
    status: str | None = field(default=None, converter=_text)
    summary: Texts = field(factory=Texts, converter=texts)
    results: tuple[str, ...] = field(default=(), converter=_lines)
    source: Source | None = field(default=None, converter=_source)
    extras: FrozenDict[str, Any] = field(factory=FrozenDict, converter=_extras, hash=False)

    @property
    def lead(self) -> Partner | None:
        """The lead partner, if exactly one is named."""
        leads = [p for p in self.partners if p.role is Role.LEAD]
        return leads[0] if len(leads) == 1 else None

    def identifier(self, scheme: str | None = None) -> Identifier | None:
        """The first identifier (in ``scheme``, if given)."""
        for ident in self.identifiers:
            if scheme is None or ident.scheme == scheme:
                return ident
        return None

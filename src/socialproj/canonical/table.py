"""The field table: every record class's fields, in order, each with the kind of its value.

It is the one place, beside the model classes themselves and the JSON Schema, that names
the fields of the canonical form. Everything that reads or writes records by field reads
it: the canonical writers (:mod:`.writing`) and strict readers (:mod:`.reading`), the
cattrs converter (:mod:`.converter`), the CSV columns of the table formats, the Arrow
schema. Adding a field to the model is adding its row here (see the how-to "Adding a
field"); ``tests/test_canonical.py`` holds the table to the model's attrs fields, name for
name and in order, and ``tests/test_schema.py`` to the JSON Schema.
"""

from __future__ import annotations

from collections.abc import Iterator
from enum import Enum, StrEnum
from typing import Any, Final

from attrs import field, frozen

from socialproj.findings import Finding, Severity
from socialproj.model import (
    Funding,
    Identifier,
    Location,
    Partner,
    Programme,
    Project,
    Role,
    Share,
    ShareSource,
    Source,
)
from socialproj.money import Money, Qualifier
from socialproj.periods import Duration, Period

__all__ = ["CLASSES", "EMPTY_IS_ABSENT", "FIELDS", "Field", "Kind", "fields_of", "headline", "walk"]


class Kind(StrEnum):
    """What a field holds, and so how every reader and writer treats it."""

    #: optional text (``None`` when not stated; ``""`` reads as not stated)
    TEXT = "text"
    #: text in one or more languages: :class:`~socialproj.Texts`, language → text
    TEXTS = "texts"
    #: lines of text, a tuple of strings (empty ones dropped)
    LINES = "lines"
    #: a member of an enum (``item``), written as its value
    ENUM = "enum"
    #: an exact amount (``Money.amount``): a ``Decimal`` written as a plain decimal string
    AMOUNT = "amount"
    #: an ISO 4217 currency code
    CURRENCY = "currency"
    #: a rate, a ``Decimal`` fraction from 0 to 1, written as a plain decimal string
    RATE = "rate"
    #: a :class:`~socialproj.PartialDate`, written in ISO 8601 to its precision
    DATE = "date"
    #: a whole number or ``None`` (a line or row)
    WHOLE = "whole"
    #: a count of zero or more, always written (a duration's months and days)
    COUNT = "count"
    #: one record of the class ``item``, or ``None``
    PART = "part"
    #: a tuple of records of the class ``item``
    LIST = "list"
    #: the names of the fields beside it that were derived (a frozenset)
    DERIVED = "derived"
    #: JSON values kept as they were read (:class:`~socialproj.FrozenDict`)
    EXTRAS = "extras"
    #: text keyed by text (raw fields read, a finding's data)
    STRINGS = "strings"


@frozen
class Field:
    """One field of a record class.

    ``item`` is the class of a ``PART`` or ``LIST`` field, the enum of an ``ENUM``.
    ``required`` fields have no default and are always written; an ``ENUM`` field's
    ``default`` is left out when it holds it. ``check`` names what a text must be
    beside text: ``"nonblank"`` (an identifier's value), ``"root"`` (a path starting at
    ``$``). ``derivable`` lists, for a ``DERIVED`` field, the fields it may name.
    ``shared`` parts are often the same object in many records (a programme, places):
    writers write such an object once and share the result. ``headline`` fields are
    what a reader of a project list looks for first (the total, the dates, the
    duration, the status): a flat table has their columns even when no record fills
    them, so that tables of different records line up.
    """

    name: str
    kind: Kind
    item: type | None = None
    required: bool = False
    default: Any = None
    check: str | None = None
    derivable: frozenset[str] = field(default=frozenset(), converter=frozenset)
    shared: bool = False
    headline: bool = False


def _f(name: str, kind: Kind, item: type | None = None, **more: Any) -> Field:
    return Field(name, kind, item, **more)


K = Kind

#: Every record class's fields, in the model's order. ``EMPTY_IS_ABSENT`` says, for the
#: classes a record holds as absent when they state nothing, which fields count.
FIELDS: Final[dict[type, tuple[Field, ...]]] = {
    Money: (
        _f("amount", K.AMOUNT, required=True, headline=True),
        _f("currency", K.CURRENCY, headline=True),
        _f("qualifier", K.ENUM, Qualifier),
    ),
    Duration: (_f("months", K.COUNT, headline=True), _f("days", K.COUNT, headline=True)),
    Identifier: (_f("scheme", K.TEXT), _f("value", K.TEXT, required=True, check="nonblank")),
    Share: (
        _f("source", K.ENUM, ShareSource, required=True),
        _f("fund", K.TEXT),
        _f("amount", K.PART, Money),
        _f("rate", K.RATE),
        _f("derived", K.DERIVED, derivable={"amount", "rate"}),
    ),
    Funding: (
        _f("total", K.PART, Money, headline=True),
        _f("shares", K.LIST, Share),
        _f("derived", K.DERIVED, derivable={"total"}),
    ),
    Period: (
        _f("start", K.DATE, headline=True),
        _f("end", K.DATE, headline=True),
        _f("duration", K.PART, Duration, headline=True),
        _f("derived", K.DERIVED, derivable={"start", "end", "duration"}),
    ),
    Partner: (
        _f("name", K.TEXT, required=True),
        _f("role", K.ENUM, Role, default=Role.PARTNER),
        _f("country", K.TEXT),
        _f("role_text", K.TEXT),
        _f("budget", K.PART, Money),
        _f("city", K.TEXT),
        _f("identifiers", K.LIST, Identifier),
        _f("extras", K.EXTRAS),
    ),
    Programme: (
        _f("name", K.TEXTS),
        _f("cci", K.TEXT),
        _f("period", K.TEXT),
        _f("funds", K.LINES),
    ),
    Location: (_f("name", K.TEXT), _f("country", K.TEXT), _f("nuts", K.TEXT)),
    Finding: (
        _f("code", K.TEXT, required=True),
        _f("severity", K.ENUM, Severity, required=True),
        _f("path", K.TEXT, required=True, check="root"),
        _f("message", K.TEXT, required=True),
        _f("data", K.STRINGS),
    ),
    Source: (
        _f("format", K.TEXT),
        _f("file", K.TEXT),
        _f("line", K.WHOLE),
        _f("row", K.WHOLE),
        _f("fields", K.STRINGS),
        _f("findings", K.LIST, Finding),
    ),
    Project: (
        _f("title", K.TEXTS),
        _f("identifiers", K.LIST, Identifier),
        _f("programme", K.PART, Programme, shared=True),
        _f("funding", K.PART, Funding, headline=True),
        _f("period", K.PART, Period, headline=True),
        _f("partners", K.LIST, Partner),
        _f("locations", K.LIST, Location, shared=True),
        _f("status", K.TEXT, headline=True),
        _f("summary", K.TEXTS),
        _f("results", K.LINES),
        _f("source", K.PART, Source),
        _f("extras", K.EXTRAS),
    ),
}

#: The classes a record stores as absent when they state nothing, and the fields that
#: count (a period's ``derived`` alone states nothing); a ``Location`` in a list is
#: dropped. The model's converters apply the same rule.
EMPTY_IS_ABSENT: Final[dict[type, tuple[str, ...]]] = {
    Programme: tuple(f.name for f in FIELDS[Programme]),
    Funding: tuple(f.name for f in FIELDS[Funding]),
    Period: tuple(f.name for f in FIELDS[Period] if f.kind is not Kind.DERIVED),
    Source: tuple(f.name for f in FIELDS[Source]),
    Location: tuple(f.name for f in FIELDS[Location]),
}

#: The record classes, each after the classes its fields hold (leaves first).
CLASSES: Final[tuple[type, ...]] = tuple(FIELDS)


def fields_of(cls: type) -> tuple[Field, ...]:
    """The fields of a record class, in order (``KeyError`` for a class not in the table)."""
    return FIELDS[cls]


Path = tuple[str, ...]


def walk(cls: type = Project, path: Path = ()) -> Iterator[tuple[Path, Field]]:
    """Every field under ``cls`` with its path of field names, parts and lists entered.

    >>> [".".join(path) for path, _ in walk(Period)][:4]
    ['start', 'end', 'duration', 'duration.months']
    """
    for spec in FIELDS[cls]:
        here = (*path, spec.name)
        yield here, spec
        if spec.kind in (Kind.PART, Kind.LIST) and spec.item is not None:
            yield from walk(spec.item, here)


def headline(cls: type = Project) -> Iterator[tuple[Path, Field]]:
    """The headline fields under ``cls`` (see :class:`Field`), lists not entered.

    They are the leaves reached through headline fields only.

    >>> [".".join(path) for path, _ in headline()]  # doctest: +NORMALIZE_WHITESPACE
    ['funding.total.amount', 'funding.total.currency', 'period.start', 'period.end',
     'period.duration.months', 'period.duration.days', 'status']
    """
    for path, spec in walk(cls):
        if spec.kind is Kind.PART or not spec.headline:
            continue
        specs = _fields_along(cls, path)
        if all(s.headline and s.kind is not Kind.LIST for s in specs):
            yield path, spec


def _fields_along(cls: type, path: Path) -> list[Field]:
    """The fields a path enters, from ``cls`` down."""
    specs = []
    for name in path:
        spec = next(s for s in FIELDS[cls] if s.name == name)
        specs.append(spec)
        if spec.item is not None and spec.kind in (Kind.PART, Kind.LIST):
            cls = spec.item
    return specs


def enum_values(kind: type[Enum]) -> dict[str, Any]:
    """An enum's members by value, for readers turning text into members without a call."""
    return {member.value: member for member in kind}

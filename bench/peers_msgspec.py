"""The canonical project shape as msgspec structs (for the benchmark's comparison)."""

from decimal import Decimal

import msgspec


class _Struct(msgspec.Struct, frozen=True, omit_defaults=True, forbid_unknown_fields=True):
    pass


class Money(_Struct):
    amount: Decimal
    currency: str | None = None
    qualifier: str | None = None


class Share(_Struct):
    source: str
    fund: str | None = None
    amount: Money | None = None
    rate: Decimal | None = None


class Funding(_Struct):
    total: Money | None = None
    shares: list[Share] = []


class Duration(_Struct):
    months: int
    days: int


class Period(_Struct):
    start: str | None = None
    end: str | None = None
    duration: Duration | None = None


class Partner(_Struct):
    name: str
    role: str = "partner"
    country: str | None = None


class Identifier(_Struct):
    value: str
    scheme: str | None = None


class Programme(_Struct):
    name: dict[str, str] = {}
    cci: str | None = None


class Location(_Struct):
    name: str | None = None
    country: str | None = None


class Project(_Struct):
    title: dict[str, str] = {}
    identifiers: list[Identifier] = []
    programme: Programme | None = None
    funding: Funding | None = None
    period: Period | None = None
    partners: list[Partner] = []
    locations: list[Location] = []
    status: str | None = None

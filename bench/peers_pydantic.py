"""The canonical project shape as pydantic v2 models (for the benchmark's comparison)."""

from decimal import Decimal

from pydantic import BaseModel, ConfigDict


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Money(_Model):
    amount: Decimal
    currency: str | None = None
    qualifier: str | None = None


class Share(_Model):
    source: str
    fund: str | None = None
    amount: Money | None = None
    rate: Decimal | None = None


class Funding(_Model):
    total: Money | None = None
    shares: list[Share] = []


class Duration(_Model):
    months: int
    days: int


class Period(_Model):
    start: str | None = None
    end: str | None = None
    duration: Duration | None = None


class Partner(_Model):
    name: str
    role: str = "partner"
    country: str | None = None


class Identifier(_Model):
    scheme: str | None = None
    value: str


class Programme(_Model):
    name: dict[str, str] = {}
    cci: str | None = None


class Location(_Model):
    name: str | None = None
    country: str | None = None


class Project(_Model):
    title: dict[str, str] = {}
    identifiers: list[Identifier] = []
    programme: Programme | None = None
    funding: Funding | None = None
    period: Period | None = None
    partners: list[Partner] = []
    locations: list[Location] = []
    status: str | None = None

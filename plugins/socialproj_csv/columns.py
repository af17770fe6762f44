"""The canonical CSV layout: one project per row, nested lists in numbered columns.

Columns are the canonical paths with 1-based numbers for list items::

    title.en  identifiers.1.scheme  identifiers.1.value  programme.cci
    funding.total.amount  funding.total.currency  funding.shares.1.source
    funding.shares.1.amount.amount  period.start  period.duration.months
    partners.1.name  partners.1.role  partners.1.country  partners.2.name  …
    locations.1.name  results.1  source.fields.funding.total  extras.Cod SMIS

Empty cells are absent values. ``derived`` sets are written as names separated by
spaces. An ``extras`` value that is not a non-empty string (a number, list, object,
``null`` or ``""``) is written as JSON in a column whose name ends in ``:json``, so that
every value comes back as it was. A key of the record's own choosing (of ``extras``,
``source.fields``, a finding's ``data``, a language) that is empty or itself ends in
``:json`` or ``:text`` is followed by ``:text``, so that any key comes back as it was:
the string ``"[1]"`` under the key ``a:json`` is the column ``extras.a:json:text``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from functools import lru_cache
from typing import Any, Final

import attrs

from socialproj import (
    Duration,
    Finding,
    FrozenDict,
    Funding,
    Identifier,
    Location,
    Money,
    NumberStyle,
    ParseError,
    PartialDate,
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
    dumps_json,
    loads_json,
    normalize_rate,
    parse_amount,
    parse_date,
)

__all__ = [
    "BASE_COLUMNS",
    "Builder",
    "ColumnError",
    "Columns",
    "extras_names",
    "flatten",
    "header_name",
    "is_canonical",
]

JSON_SUFFIX: Final = ":json"
#: what follows a free key that could be read as another (empty, or ending in a suffix)
TEXT_SUFFIX: Final = ":text"


def free_key(key: str, *, json: bool = False) -> str:
    """The column name part for a key of the record's choosing (an extras key, a language).

    ``json`` marks a value written as JSON. Any key can be carried: one that is empty,
    ends in ``:json`` or ``:text``, or begins or ends with white space (which readers
    trim from header cells) gets a ``:text`` of its own.

        >>> free_key("note"), free_key("a:json"), free_key(""), free_key("n", json=True)
        ('note', 'a:json:text', ':text', 'n:json')
    """
    if json:
        return key + JSON_SUFFIX
    if not key or key.endswith((JSON_SUFFIX, TEXT_SUFFIX)) or key != key.strip():
        return key + TEXT_SUFFIX
    return key


def read_free_key(part: str, *, json: bool = True) -> tuple[str, bool]:
    """The key a column name part carries, and whether its value is JSON (:func:`free_key`)."""
    if json and part.endswith(JSON_SUFFIX):
        return part[: -len(JSON_SUFFIX)], True
    if part.endswith(TEXT_SUFFIX):
        return part[: -len(TEXT_SUFFIX)], False
    return part, False


#: Columns every canonical CSV has, whatever its records hold.
BASE_COLUMNS: Final = (
    "funding.total.amount",
    "funding.total.currency",
    "period.start",
    "period.end",
    "period.duration.months",
    "period.duration.days",
    "status",
)


# Canonical order of the fields inside each group (the index is the sort key).
def _order(cls: type) -> tuple[str, ...]:
    return tuple(field.name for field in attrs.fields(cls))


_MONEY = _order(Money)
_SHARE = _order(Share)
_PERIOD = _order(Period)
_PARTNER = _order(Partner)
_LOCATION = _order(Location)
_SOURCE = _order(Source)
_FINDING = _order(Finding)
_GROUPS = _order(Project)
_GROUP = {name: i for i, name in enumerate(_GROUPS)}


class ColumnError(ValueError):
    """A cell that cannot be read: which column, what it holds, what was expected."""

    def __init__(self, column: str, value: str, expected: str, reason: str = "") -> None:
        self.column = column
        self.value = value
        self.expected = expected
        self.reason = reason
        super().__init__(reason or f"cannot read {value!r} in {column}")


class Columns:
    """The columns seen while flattening records, and their canonical order."""

    def __init__(self) -> None:
        self.keys: dict[str, tuple[Any, ...]] = {}
        self._seen: dict[str, dict[str, int]] = {}
        for name in BASE_COLUMNS:
            self.keys[name] = sort_key(name, self)

    def seq(self, namespace: str, name: str) -> int:
        """A stable number for a dynamic name (a language, an extras key), by first sight."""
        seen = self._seen.setdefault(namespace, {})
        return seen.setdefault(name, len(seen))

    def header(self) -> list[str]:
        """Every column seen, in canonical order."""
        return sorted(self.keys, key=self.keys.__getitem__)

    def add(self, row: dict[str, str]) -> None:
        """Take in the columns a row holds (in the row's order, for a stable header)."""
        keys = self.keys
        if row.keys() - keys.keys():
            for name in row:
                if name not in keys:
                    keys[name] = sort_key(name, self)


def extras_names(header: list[str]) -> list[str]:
    """The extras key of each column: its name, or ``column N`` for an empty one.

    A name taken by a column before it is followed by the column's number, ``(N)``.
    """
    names: list[str] = []
    seen: set[str] = set()
    for index, column in enumerate(header):
        name = column.strip() or f"column {index + 1}"
        while name in seen:
            name = f"{name} ({index + 1})"
        seen.add(name)
        names.append(name)
    return names


def _json_cell(value: Any) -> bool:
    """Whether an extras value is written as JSON: anything but a non-empty string."""
    return not (isinstance(value, str) and value)


def sort_key(name: str, columns: Columns) -> tuple[Any, ...]:
    """Where a column goes in the canonical order."""
    head, _, rest = name.partition(".")
    group = _GROUP.get(head, len(_GROUPS))
    if head in ("title", "summary"):
        return (group, columns.seq(head, rest))
    if head == "extras":
        return (group, columns.seq("extras", rest))
    parts = rest.split(".")
    if head in ("identifiers", "locations", "results"):
        fields = ("scheme", "value") if head == "identifiers" else _LOCATION
        return (group, int(parts[0]), fields.index(parts[1]) if len(parts) > 1 else 0)
    if head == "programme":
        order = ("name", "cci", "period", "funds")
        sub = order.index(parts[0])
        if parts[0] == "name":
            return (group, sub, columns.seq("programme.name", ".".join(parts[1:])))
        return (group, sub, int(parts[1]) if len(parts) > 1 else 0)
    if head == "funding":
        if parts[0] == "total":
            return (group, 0, _MONEY.index(parts[1]))
        if parts[0] == "derived":
            return (group, 1)
        index = int(parts[1])
        field = parts[2]
        sub = _MONEY.index(parts[3]) if field == "amount" else 0
        return (group, 2, index, _SHARE.index(field), sub)
    if head == "period":
        sub = ("months", "days").index(parts[1]) if parts[0] == "duration" else 0
        return (group, _PERIOD.index(parts[0]), sub)
    if head == "partners":
        index, field = int(parts[0]), parts[1]
        position = _PARTNER.index(field)
        if field == "budget":
            return (group, index, position, _MONEY.index(parts[2]))
        if field == "identifiers":
            return (group, index, position, int(parts[2]), ("scheme", "value").index(parts[3]))
        if field == "extras":
            return (group, index, position, columns.seq("partner.extras", ".".join(parts[2:])))
        return (group, index, position)
    if head == "source":
        position = _SOURCE.index(parts[0])
        if parts[0] == "fields":
            return (group, position, columns.seq("source.fields", ".".join(parts[1:])))
        if parts[0] == "findings":
            field = parts[2]
            tail = columns.seq("finding.data", ".".join(parts[3:])) if field == "data" else 0
            return (group, position, int(parts[1]), _FINDING.index(field), tail)
        return (group, position)
    return (group,)


def _text(value: Decimal) -> str:
    text = str(value)
    return f"{value:f}" if "E" in text else text


@lru_cache(maxsize=256)
def _share_keys(i: int) -> tuple[str, ...]:
    prefix = f"funding.shares.{i}"
    return (
        f"{prefix}.source",
        f"{prefix}.fund",
        f"{prefix}.amount.amount",
        f"{prefix}.amount.currency",
        f"{prefix}.amount.qualifier",
        f"{prefix}.rate",
        f"{prefix}.derived",
    )


@lru_cache(maxsize=256)
def _partner_keys(i: int) -> tuple[str, ...]:
    prefix = f"partners.{i}"
    return (
        prefix,
        f"{prefix}.name",
        f"{prefix}.role",
        f"{prefix}.country",
        f"{prefix}.role_text",
        f"{prefix}.city",
    )


@lru_cache(maxsize=256)
def _location_keys(i: int) -> tuple[str, ...]:
    return (f"locations.{i}.name", f"locations.{i}.country", f"locations.{i}.nuts")


def flatten(project: Project, columns: Columns) -> dict[str, str]:
    """One record as a row: column name → cell text (empty values are left out).

    The row's columns are not yet in ``columns``: :meth:`Columns.add` takes them in once
    the row is to be written (a refused record adds no column to the header).
    """
    row: dict[str, str] = {}

    def money(prefix: str, value: Money | None) -> None:
        if value is not None:
            row[f"{prefix}.amount"] = _text(value.amount)
            if value.currency is not None:
                row[f"{prefix}.currency"] = value.currency
            if value.qualifier is not None:
                row[f"{prefix}.qualifier"] = value.qualifier._value_

    def extras(prefix: str, values: FrozenDict[str, Any]) -> None:
        for key, value in values._data.items():
            if _json_cell(value):
                row[f"{prefix}.{free_key(key, json=True)}"] = dumps_json(value).decode("utf-8")
            else:
                row[f"{prefix}.{free_key(key)}"] = value

    for lang, text in project.title._data.items():
        row[f"title.{free_key(lang)}"] = text
    for i, ident in enumerate(project.identifiers, 1):
        if ident.scheme is not None:
            row[f"identifiers.{i}.scheme"] = ident.scheme
        row[f"identifiers.{i}.value"] = ident.value
    programme = project.programme
    if programme is not None:
        for lang, text in programme.name._data.items():
            row[f"programme.name.{free_key(lang)}"] = text
        if programme.cci is not None:
            row["programme.cci"] = programme.cci
        if programme.period is not None:
            row["programme.period"] = programme.period
        for i, fund in enumerate(programme.funds, 1):
            row[f"programme.funds.{i}"] = fund
    funding = project.funding
    if funding is not None:
        money("funding.total", funding.total)
        if funding.derived:
            row["funding.derived"] = " ".join(sorted(funding.derived))
        for i, share in enumerate(funding.shares, 1):
            k_source, k_fund, k_amount, k_currency, k_qualifier, k_rate, k_derived = _share_keys(i)
            row[k_source] = share.source._value_
            if share.fund is not None:
                row[k_fund] = share.fund
            amount = share.amount
            if amount is not None:
                row[k_amount] = _text(amount.amount)
                if amount.currency is not None:
                    row[k_currency] = amount.currency
                if amount.qualifier is not None:
                    row[k_qualifier] = amount.qualifier._value_
            if share.rate is not None:
                row[k_rate] = _text(share.rate)
            if share.derived:
                row[k_derived] = " ".join(sorted(share.derived))
    period = project.period
    if period is not None:
        if period.start is not None:
            row["period.start"] = period.start.isoformat()
        if period.end is not None:
            row["period.end"] = period.end.isoformat()
        if period.duration is not None:
            row["period.duration.months"] = str(period.duration.months)
            row["period.duration.days"] = str(period.duration.days)
        if period.derived:
            row["period.derived"] = " ".join(sorted(period.derived))
    for i, partner in enumerate(project.partners, 1):
        prefix, k_name, k_role, k_country, k_role_text, k_city = _partner_keys(i)
        row[k_name] = partner.name
        row[k_role] = partner.role._value_
        if partner.country is not None:
            row[k_country] = partner.country
        if partner.role_text is not None:
            row[k_role_text] = partner.role_text
        if partner.budget is not None:
            money(f"{prefix}.budget", partner.budget)
        if partner.city is not None:
            row[k_city] = partner.city
        for j, ident in enumerate(partner.identifiers, 1):
            if ident.scheme is not None:
                row[f"{prefix}.identifiers.{j}.scheme"] = ident.scheme
            row[f"{prefix}.identifiers.{j}.value"] = ident.value
        if partner.extras._data:
            extras(f"{prefix}.extras", partner.extras)
    for i, location in enumerate(project.locations, 1):
        k_name, k_country, k_nuts = _location_keys(i)
        if location.name is not None:
            row[k_name] = location.name
        if location.country is not None:
            row[k_country] = location.country
        if location.nuts is not None:
            row[k_nuts] = location.nuts
    if project.status is not None:
        row["status"] = project.status
    for lang, text in project.summary._data.items():
        row[f"summary.{free_key(lang)}"] = text
    for i, line in enumerate(project.results, 1):
        row[f"results.{i}"] = line
    source = project.source
    if source is not None:
        if source.format is not None:
            row["source.format"] = source.format
        if source.file is not None:
            row["source.file"] = source.file
        if source.line is not None:
            row["source.line"] = str(source.line)
        if source.row is not None:
            row["source.row"] = str(source.row)
        for key, text in source.fields._data.items():
            row[f"source.fields.{free_key(key)}"] = text
        for i, finding in enumerate(source.findings, 1):
            prefix = f"source.findings.{i}"
            row[f"{prefix}.code"] = finding.code
            row[f"{prefix}.severity"] = finding.severity._value_
            row[f"{prefix}.path"] = finding.path
            row[f"{prefix}.message"] = finding.message
            for key, text in finding.data._data.items():
                row[f"{prefix}.data.{free_key(key)}"] = text
    extras("extras", project.extras)
    return row


# -- reading ------------------------------------------------------------------------------

_TOP: Final = frozenset(_GROUPS)


# canonical columns ending in a key of the record's own choosing ("extras.note ")
_FREE_KEY: Final = re.compile(
    r"(?:partners\.[0-9]+\.)?extras\.|source\.(?:fields|findings\.[0-9]+\.data)\."
)


def header_name(cell: str) -> str:
    """A header cell as a column name: white space (and a BOM) trimmed, but not a key's.

    ``" title.en "`` names ``title.en``; ``"extras.note "`` keeps the space that ends the
    key ``note `` (the writer wrote it so: a round trip must not change a key).
    """
    name = cell.lstrip().lstrip("\ufeff").lstrip()
    return name if _FREE_KEY.match(name) else name.rstrip()


def is_canonical(name: str) -> bool:
    """Whether a header cell names a canonical column."""
    try:
        _slot(name)
    except (ValueError, IndexError):
        return False
    return True


def _number(text: str) -> int:
    if not text.isdigit() or text.startswith("0"):
        raise ValueError(f"{text!r} is not a list position (1, 2, …)")
    return int(text)


def _slot(name: str) -> tuple[Any, ...]:
    """Parse a canonical column name into a slot description; raise if it is not one."""
    head, dot, rest = name.partition(".")
    if head not in _TOP:
        raise ValueError(name)
    if head == "status":
        if dot:
            raise ValueError(name)
        return ("status",)
    if not rest:
        raise ValueError(name)
    if head in ("title", "summary"):
        return (head, rest)
    if head == "extras":
        return (head, rest)
    parts = rest.split(".")
    if head == "identifiers" and len(parts) == 2 and parts[1] in ("scheme", "value"):
        return (head, _number(parts[0]), parts[1])
    if head == "locations" and len(parts) == 2 and parts[1] in _LOCATION:
        return (head, _number(parts[0]), parts[1])
    if head == "results" and len(parts) == 1:
        return (head, _number(parts[0]))
    if head == "programme":
        if parts[0] == "name" and len(parts) >= 2:
            return (head, "name", ".".join(parts[1:]))
        if parts[0] in ("cci", "period") and len(parts) == 1:
            return (head, parts[0])
        if parts[0] == "funds" and len(parts) == 2:
            return (head, "funds", _number(parts[1]))
    if head == "funding":
        if parts[0] == "total" and len(parts) == 2 and parts[1] in _MONEY:
            return (head, "total", parts[1])
        if parts == ["derived"]:
            return (head, "derived")
        if parts[0] == "shares" and len(parts) >= 3:
            index, field = _number(parts[1]), parts[2]
            if field == "amount" and len(parts) == 4 and parts[3] in _MONEY:
                return (head, "share", index, "amount", parts[3])
            if field in _SHARE and field != "amount" and len(parts) == 3:
                return (head, "share", index, field)
    if head == "period":
        if parts[0] in ("start", "end", "derived") and len(parts) == 1:
            return (head, parts[0])
        if parts[0] == "duration" and len(parts) == 2 and parts[1] in ("months", "days"):
            return (head, "duration", parts[1])
    if head == "partners" and len(parts) >= 2:
        index, field = _number(parts[0]), parts[1]
        if field in ("name", "role", "country", "role_text", "city") and len(parts) == 2:
            return (head, index, field)
        if field == "budget" and len(parts) == 3 and parts[2] in _MONEY:
            return (head, index, "budget", parts[2])
        if field == "identifiers" and len(parts) == 4 and parts[3] in ("scheme", "value"):
            return (head, index, "identifiers", _number(parts[2]), parts[3])
        if field == "extras" and len(parts) >= 3:
            return (head, index, "extras", ".".join(parts[2:]))
    if head == "source":
        if parts[0] in ("format", "file", "line", "row") and len(parts) == 1:
            return (head, parts[0])
        if parts[0] == "fields" and len(parts) >= 2:
            return (head, "fields", ".".join(parts[1:]))
        if parts[0] == "findings" and len(parts) >= 3:
            index, field = _number(parts[1]), parts[2]
            if field == "data" and len(parts) >= 4:
                return (head, "findings", index, "data", ".".join(parts[3:]))
            if field in _FINDING and len(parts) == 3:
                return (head, "findings", index, field)
    raise ValueError(name)


Cells = list[str]
Getter = Callable[[Cells], str]


class Builder:
    """Builds a :class:`~socialproj.Project` from a canonical row, straight from the cells.

    The header is compiled once into index tables; a row is read without building an
    intermediate dict. Unreadable cells raise :class:`ColumnError`.
    """

    def __init__(self, header: list[str], style: NumberStyle | None = None) -> None:
        self.header = header
        self.style = style
        plan: dict[str, Any] = {
            "title": [],
            "summary": [],
            "identifiers": {},
            "programme": {},
            "funds": [],
            "total": {},
            "funding_derived": None,
            "shares": {},
            "period": {},
            "partners": {},
            "locations": {},
            "status": None,
            "results": [],
            "source": {},
            "fields": [],
            "findings": {},
            "extras": [],
        }
        for index, name in enumerate(header):
            slot = _slot(name)
            head = slot[0]
            if head in ("title", "summary"):
                plan[head].append((index, read_free_key(slot[1], json=False)[0]))
            elif head == "extras":
                plan["extras"].append((index, name, *_extras_key(slot[1])))
            elif head == "identifiers":
                plan["identifiers"].setdefault(slot[1], {})[slot[2]] = index
            elif head == "locations":
                plan["locations"].setdefault(slot[1], {})[slot[2]] = index
            elif head == "results":
                plan["results"].append((slot[1], index))
            elif head == "status":
                plan["status"] = index
            elif head == "programme":
                if slot[1] == "name":
                    language = read_free_key(slot[2], json=False)[0]
                    plan["programme"].setdefault("name", []).append((index, language))
                elif slot[1] == "funds":
                    plan["funds"].append((slot[2], index))
                else:
                    plan["programme"][slot[1]] = index
            elif head == "funding":
                if slot[1] == "total":
                    plan["total"][slot[2]] = index
                elif slot[1] == "derived":
                    plan["funding_derived"] = index
                else:
                    key = f"amount.{slot[4]}" if slot[3] == "amount" else slot[3]
                    plan["shares"].setdefault(slot[2], {})[key] = index
            elif head == "period":
                key = f"duration.{slot[2]}" if slot[1] == "duration" else slot[1]
                plan["period"][key] = index
            elif head == "partners":
                partner = plan["partners"].setdefault(slot[1], {"identifiers": {}, "extras": []})
                if slot[2] == "budget":
                    partner[f"budget.{slot[3]}"] = index
                elif slot[2] == "identifiers":
                    partner["identifiers"].setdefault(slot[3], {})[slot[4]] = index
                elif slot[2] == "extras":
                    partner["extras"].append((index, name, *_extras_key(slot[3])))
                else:
                    partner[slot[2]] = index
            elif head == "source":
                if slot[1] == "fields":
                    plan["fields"].append((index, read_free_key(slot[2], json=False)[0]))
                elif slot[1] == "findings":
                    finding = plan["findings"].setdefault(slot[2], {"data": []})
                    if slot[3] == "data":
                        finding["data"].append((index, read_free_key(slot[4], json=False)[0]))
                    else:
                        finding[slot[3]] = index
                else:
                    plan["source"][slot[1]] = index
        for key in ("results", "funds"):
            plan[key].sort()
        self.plan = plan
        self.width = len(header)
        from .compiled import compile_builder

        self._fast = compile_builder(plan, style)

    # -- cells ------------------------------------------------------------------------

    def _amount(self, column: int, text: str) -> Decimal:
        body = text[1:] if text[:1] == "-" else text
        whole, dot, frac = body.partition(".")
        comma_file = self.style is not None and self.style.decimal == ","
        plain = (
            whole.isdigit()
            and whole.isascii()
            and (not dot or (not comma_file and frac.isdigit() and frac.isascii()))
        )
        if plain:
            return Decimal(text)
        try:
            return parse_amount(text.strip(), style=self.style)
        except ParseError as exc:
            raise ColumnError(
                self.header[column], text, "a plain decimal such as 1234.50", str(exc)
            ) from None

    def _money(self, cells: Cells, where: dict[str, int], prefix: str) -> Money | None:
        at = where.get(f"{prefix}amount")
        amount = cells[at] if at is not None else ""
        cur_at = where.get(f"{prefix}currency")
        currency = cells[cur_at] if cur_at is not None else ""
        qual_at = where.get(f"{prefix}qualifier")
        qualifier = cells[qual_at] if qual_at is not None else ""
        if at is None or not amount:
            if currency or qualifier:
                column = self.header[cur_at if currency and cur_at is not None else qual_at or 0]
                raise ColumnError(
                    column,
                    currency or qualifier,
                    "an amount beside it",
                    "has a currency or qualifier but no amount",
                )
            return None
        value = self._amount(at, amount)
        try:
            return Money(value, currency or None, qualifier or None)
        except ValueError as exc:
            culprit = cur_at if currency and not qualifier else qual_at
            bad = self.header[culprit if culprit is not None else at]
            raise ColumnError(
                bad,
                currency if culprit == cur_at else qualifier,
                "an ISO 4217 code such as EUR, or a qualifier",
                str(exc),
            ) from None

    def _call(self, column: int, text: str, parse: Callable[[str], Any], expected: str) -> Any:
        try:
            return parse(text)
        except (ValueError, TypeError) as exc:
            raise ColumnError(self.header[column], text, expected, str(exc)) from None

    def _date(self, column: int, text: str) -> PartialDate:
        try:
            return PartialDate.parse(text)
        except ParseError:
            return self._call(column, text, parse_date, "a date such as 2019-11-22")  # type: ignore[no-any-return]

    def _int(self, column: int, text: str) -> int:
        return self._call(column, text, _whole, "a whole number")  # type: ignore[no-any-return]

    def _extras(self, cells: Cells, entries: list[tuple[int, str, str, bool]]) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for index, _name, key, is_json in entries:
            text = cells[index]
            if not text:
                continue
            if is_json:
                values[key] = self._call(index, text, loads_json, "a JSON value")
            else:
                values[key] = text
        return values

    # -- the record -------------------------------------------------------------------

    def build(self, cells: Cells) -> Project:
        """The project one row describes: the compiled fast path, else the detailed one."""
        try:
            return self._fast(cells)
        except Exception:
            return self.build_detailed(cells)

    def build_detailed(self, cells: Cells) -> Project:
        """The project one row describes, checking each cell and naming a bad one."""
        plan = self.plan
        title = {lang: cells[i] for i, lang in plan["title"] if cells[i]}
        identifiers = []
        for _, where in sorted(plan["identifiers"].items()):
            value = cells[where["value"]] if "value" in where else ""
            scheme = cells[where["scheme"]] if "scheme" in where else ""
            if value:
                identifiers.append(Identifier(scheme or None, value))
            elif scheme:
                raise ColumnError(
                    self.header[where["scheme"]],
                    scheme,
                    "a code beside it",
                    "names a scheme but no code",
                )
        programme = None
        spec = plan["programme"]
        names = {lang: cells[i] for i, lang in spec.get("name", ()) if cells[i]}
        funds = [cells[i] for _, i in plan["funds"] if cells[i]]
        cci = cells[spec["cci"]] if "cci" in spec else ""
        term = cells[spec["period"]] if "period" in spec else ""
        if names or funds or cci or term:
            programme = Programme(names, cci or None, term or None, funds)
        funding = self._funding(cells)
        period = self._period(cells)
        partners = [self._partner(cells, where) for _, where in sorted(plan["partners"].items())]
        locations = []
        for _, where in sorted(plan["locations"].items()):
            values = {k: cells[i] for k, i in where.items()}
            if any(values.values()):
                locations.append(
                    Location(
                        values.get("name") or None,
                        values.get("country") or None,
                        values.get("nuts") or None,
                    )
                )
        status_at = plan["status"]
        source = self._source(cells)
        return Project(
            title=Texts(title),
            identifiers=identifiers,
            programme=programme,
            funding=funding,
            period=period,
            partners=[p for p in partners if p is not None],
            locations=locations,
            status=cells[status_at] if status_at is not None and cells[status_at] else None,
            summary=Texts({lang: cells[i] for i, lang in plan["summary"] if cells[i]}),
            results=[cells[i] for _, i in plan["results"] if cells[i]],
            source=source,
            extras=self._extras(cells, plan["extras"]),
        )

    def _derived(self, cells: Cells, index: int | None) -> frozenset[str]:
        if index is None or not cells[index]:
            return frozenset()
        return frozenset(cells[index].split())

    def _funding(self, cells: Cells) -> Funding | None:
        plan = self.plan
        total = self._money(cells, plan["total"], "")
        shares = []
        for _, where in sorted(plan["shares"].items()):
            texts = {k: cells[i] for k, i in where.items()}
            if not any(texts.values()):
                continue
            source_text = texts.get("source", "")
            if not source_text:
                column = self.header[next(iter(where.values()))]
                raise ColumnError(
                    column,
                    "",
                    "the share's source (eu, national, own, …)",
                    "a share needs its source",
                )
            source = self._call(
                where["source"],
                source_text,
                ShareSource,
                "eu, national, regional, own, private or other",
            )
            rate = None
            if texts.get("rate"):
                rate = self._call(
                    where["rate"], texts["rate"], normalize_rate, "a rate such as 0.85"
                )
            shares.append(
                Share(
                    source,
                    texts.get("fund") or None,
                    self._money(cells, where, "amount."),
                    rate,
                    self._derived(cells, where.get("derived")),
                )
            )
        derived = self._derived(cells, plan["funding_derived"])
        if total is None and not shares and not derived:
            return None
        return Funding(total, shares, derived)

    def _period(self, cells: Cells) -> Period | None:
        where = self.plan["period"]
        if not where:
            return None
        texts = {k: cells[i] for k, i in where.items()}
        if not any(texts.values()):
            return None
        start = self._date(where["start"], texts["start"]) if texts.get("start") else None
        end = self._date(where["end"], texts["end"]) if texts.get("end") else None
        months, days = texts.get("duration.months", ""), texts.get("duration.days", "")
        duration = None
        if months or days:
            duration = Duration(
                self._int(where["duration.months"], months) if months else 0,
                self._int(where["duration.days"], days) if days else 0,
            )
        return Period(start, end, duration, self._derived(cells, where.get("derived")))

    def _partner(self, cells: Cells, where: dict[str, Any]) -> Partner | None:
        texts = {k: cells[i] for k, i in where.items() if isinstance(i, int)}
        identifiers = []
        for _, ident in sorted(where["identifiers"].items()):
            value = cells[ident["value"]] if "value" in ident else ""
            if value:
                scheme = cells[ident["scheme"]] if "scheme" in ident else ""
                identifiers.append(Identifier(scheme or None, value))
        extras = self._extras(cells, where["extras"])
        if not any(texts.values()) and not identifiers and not extras:
            return None
        role = Role.PARTNER
        if texts.get("role"):
            role = self._call(
                where["role"], texts["role"], Role, "lead, partner, associated or other"
            )
        return Partner(
            texts.get("name", ""),
            role,
            texts.get("country") or None,
            texts.get("role_text") or None,
            self._money(cells, where, "budget."),
            texts.get("city") or None,
            identifiers,
            extras,
        )

    def _source(self, cells: Cells) -> Source | None:
        plan = self.plan
        where = plan["source"]
        texts = {k: cells[i] for k, i in where.items()}
        fields = {key: cells[i] for i, key in plan["fields"] if cells[i]}
        findings = []
        for _, spec in sorted(plan["findings"].items()):
            values = {k: cells[i] for k, i in spec.items() if k != "data"}
            data = {key: cells[i] for i, key in spec["data"] if cells[i]}
            if not any(values.values()) and not data:
                continue
            findings.append(self._finding(spec, values, data))
        if not any(texts.values()) and not fields and not findings:
            return None
        line = self._int(where["line"], texts["line"]) if texts.get("line") else None
        row = self._int(where["row"], texts["row"]) if texts.get("row") else None
        return Source(
            texts.get("format") or None, texts.get("file") or None, line, row, fields, findings
        )

    def _finding(
        self, spec: dict[str, Any], values: dict[str, str], data: dict[str, str]
    ) -> Finding:
        severity = Severity.INFO
        if values.get("severity"):
            severity = self._call(
                spec["severity"], values["severity"], Severity, "error, warning or info"
            )
        path = values.get("path") or "$"
        try:
            return Finding(values.get("code", ""), severity, path, values.get("message", ""), data)
        except ValueError as exc:
            column = self.header[spec.get("path", spec.get("code", 0))]
            raise ColumnError(column, path, "a path starting with $", str(exc)) from None


def _whole(text: str) -> int:
    if not text.strip().isdigit():
        raise ValueError(f"{text!r} is not a whole number")
    return int(text)


def _extras_key(key: str) -> tuple[str, bool]:
    return read_free_key(key)

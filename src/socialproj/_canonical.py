"""The canonical dict/JSON form of records: every (un)structuring rule, in one place.

The canonical form is JSON-ready and exact: amounts and rates are strings (so
``"9933.00"`` keeps its two places), dates are ISO 8601 shortened to their precision
(``"2012-09"``), currencies are ISO codes, enums their values, lists are lists. Keys
are the attribute names (``funding.total.amount``, ``period.duration.months``,
``partners[].role``). Empty values — ``None``, empty lists and mappings — are left
out, and :func:`from_dict` reads their absence as empty.

Two private cattrs converters share these rules: a fast one for the common case, and a
detailed one that runs only when the fast one fails, to list every problem with its
path (``… @ $.funding.total.amount``) in one :class:`~socialproj.StructureError`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping
from decimal import Decimal
from enum import Enum
from typing import TYPE_CHECKING, Any, get_args, get_origin

import attrs

from . import fast
from .dates import PartialDate
from .errors import ParseError, StructureError
from .findings import Finding, Severity
from .jsonvalues import json_fields
from .model import (
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
    normalize_rate,
)
from .money import Money, Qualifier, plain, to_decimal
from .periods import Duration, Period
from .texts import FrozenDict, Texts

if TYPE_CHECKING:
    import cattrs

# cattrs is imported where a converter is built or an error explained, not at import:
# reading and writing canonical records goes through the hand-written functions below

__all__ = ["Dumper", "from_dict", "to_dict"]

_CLASSES = (
    Identifier,
    Share,
    Funding,
    Partner,
    Programme,
    Location,
    Source,
    Finding,
    Period,
    Project,
)


# -- leaves ------------------------------------------------------------------------------


def _money_to(money: Money) -> dict[str, Any]:
    if money.qualifier is None and money.currency is not None:
        return {"amount": plain(money.amount), "currency": money.currency}
    data: dict[str, Any] = {"amount": plain(money.amount)}
    if money.currency is not None:
        data["currency"] = money.currency
    if money.qualifier is not None:
        data["qualifier"] = money.qualifier._value_
    return data


def _object_of(data: Any, cls: type, keys: frozenset[str], shape: str) -> Mapping[str, Any]:
    """``data`` as the fields of a ``cls``: a mapping holding no key but ``keys``."""
    if not isinstance(data, Mapping):
        raise TypeError(f"{shape}, not {data!r}")
    extra = set(data) - keys
    if extra:
        from cattrs.errors import ForbiddenExtraKeysError

        raise ForbiddenExtraKeysError("", cls, extra)
    return data


def _money_from(data: Any, _: Any) -> Money:
    data = _object_of(
        data,
        Money,
        frozenset(("amount", "currency", "qualifier")),
        "an amount of money is an object with 'amount' and 'currency'",
    )
    try:
        return Money(_amount_from(data["amount"]), data.get("currency"), data.get("qualifier"))
    except (KeyError, TypeError, ValueError):
        pass
    # say which of its fields are wrong, each at its own path, all of them
    from cattrs.errors import AttributeValidationNote, ClassValidationError

    checks: dict[str, Callable[[Any], object]] = {
        "amount": _amount_from,
        "currency": lambda code: Money(0, code),
        "qualifier": lambda word: Money(0, None, word),
    }
    problems: list[Exception] = []
    for name, check in checks.items():
        try:
            if name not in data:
                if name == "amount":
                    raise KeyError(name)
                continue
            check(data[name])
        except (KeyError, TypeError, ValueError) as exc:
            exc.add_note(AttributeValidationNote(f"Structuring Money @ {name}", name, object))
            problems.append(exc)
    raise ClassValidationError("While structuring Money", problems, Money)


def _amount_from(amount: Any) -> Decimal:
    if isinstance(amount, float):
        raise TypeError(f"amount {amount!r} is a float; write it as a string such as '1234.50'")
    return to_decimal(amount)


def _rate_from(data: Any, _: Any) -> Decimal | None:
    if data is None:
        return None
    if isinstance(data, float):
        raise TypeError(f"rate {data!r} is a float; write it as a string such as '0.85'")
    return normalize_rate(data)


def _decimal_to(value: Decimal) -> str:
    return plain(value)


def _partial_from(data: Any, _: Any) -> PartialDate:
    if not isinstance(data, str):
        raise TypeError(f"a date is an ISO 8601 string (YYYY, YYYY-MM or YYYY-MM-DD), not {data!r}")
    return PartialDate.parse(data)


def _duration_to(duration: Duration) -> dict[str, int]:
    return {"months": duration.months, "days": duration.days}


def _duration_from(data: Any, _: Any) -> Duration:
    data = _object_of(
        data,
        Duration,
        frozenset(("months", "days")),
        "a duration is an object with 'months' and 'days'",
    )
    months, days = data.get("months", 0), data.get("days", 0)
    for value in (months, days):
        if type(value) is not int:
            raise TypeError(f"months and days are whole numbers, not {value!r}")
    return Duration(months, days)


def _texts_from(data: Any, _: Any) -> Texts:
    if isinstance(data, str):
        return Texts(data)
    if not isinstance(data, Mapping):
        raise TypeError(f"text is an object of language code to text, not {data!r}")
    return Texts(data)


def _json_copy(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _json_copy(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_copy(v) for v in value]
    return value


def _extras_to(value: FrozenDict[str, Any]) -> dict[str, Any]:
    """Extras as they are: JSON values, numbers kept as int or exact ``Decimal``."""
    data = value.to_dict()
    for key, item in data.items():
        if isinstance(item, Mapping | list | tuple):
            data[key] = _json_copy(item)
    return data


def _extras_from(data: Any, _: Any) -> FrozenDict[str, Any]:
    if not isinstance(data, Mapping):
        raise TypeError(f"extras is an object, not {data!r}")
    return FrozenDict._wrap(json_fields(data))


def _strings_from(data: Any, _: Any) -> FrozenDict[str, str]:
    if not isinstance(data, Mapping):
        raise TypeError(f"expected an object of strings, not {data!r}")
    for key, value in data.items():
        if not isinstance(value, str):
            raise TypeError(f"{key!r} must be a string, not {value!r}")
    return FrozenDict(data)


def _frozen_dict_to(value: FrozenDict[Any, Any]) -> dict[Any, Any]:
    return value.to_dict()


def _shown(data: Any) -> str:
    """A value from JSON data as its reader wrote it in a message: ``null``, ``'x'``, ``5``."""
    return "null" if data is None else repr(data)


def _text_from(data: Any, _: Any) -> str:
    """Text as written: a string, or a number read exactly (``12345`` → ``"12345"``).

    A float is refused — it has lost how the number was written (``1.10`` would become
    ``"1.1"``); readers decode such a record again with exact decimals. Booleans and
    anything else are not text.
    """
    kind = type(data)
    if kind is str:
        return data  # type: ignore[no-any-return]
    if kind is int or kind is Decimal:
        return str(data)
    if kind is float:
        raise TypeError(f"{data!r} is a float, not text as written; write it as a string")
    raise TypeError(f"expected text, not {_shown(data)}")


def _whole_from(data: Any, _: Any) -> int:
    """A whole number (a line or row): an int, or digits in a string; not 1.5, not true."""
    if type(data) is int:
        return data
    digits = data.strip() if type(data) is str else ""
    if digits.isdigit() and digits.isascii():
        return int(digits)
    raise TypeError(f"expected a whole number, not {_shown(data)}")


def _is_frozenset(kind: Any) -> bool:
    return kind is frozenset or get_origin(kind) is frozenset


def _is_list_field(kind: Any) -> bool:
    """``tuple[X, ...]`` or ``frozenset[X]``: a field the canonical form writes as a list."""
    args = get_args(kind)
    if get_origin(kind) is tuple:
        return len(args) == 2 and args[1] is Ellipsis
    return get_origin(kind) is frozenset and len(args) == 1


def _list_field_from(kind: Any, converter: cattrs.Converter) -> Callable[[Any, Any], Any]:
    """Read a list field from a list only: not from null, a string or an object.

    cattrs would iterate whatever it is given ("lead" as four letters, null as a crash),
    so the container is checked first and the items are read as a ``list[X]``.
    """
    item = get_args(kind)[0]
    container = get_origin(kind)
    as_list = converter.get_structure_hook(list[item])  # type: ignore[valid-type]

    def structure(data: Any, _: Any) -> Any:
        if not isinstance(data, list | tuple):
            raise TypeError(f"expected a list, not {_shown(data)}")
        return container(as_list(data, list[item]))  # type: ignore[valid-type]

    return structure


def _enum_from(kind: type[Enum]) -> Callable[[Any, Any], Enum]:
    def structure(data: Any, _: Any) -> Enum:
        try:
            return kind(data)
        except ValueError:
            allowed = ", ".join(repr(m.value) for m in kind)
            raise ValueError(f"{data!r} is not one of {allowed}") from None

    return structure


# -- records, written by hand: the hot path of every writer ------------------------------------


def _derived_to(names: frozenset[str]) -> list[str]:
    return sorted(names)


def _identifier_to(ident: Identifier) -> dict[str, Any]:
    if ident.scheme is None:
        return {"value": ident.value}
    return {"scheme": ident.scheme, "value": ident.value}


def _identifier_from(data: Any, _: Any) -> Identifier:
    data = _object_of(
        data,
        Identifier,
        frozenset(("scheme", "value")),
        "an identifier is an object with 'scheme' and 'value'",
    )
    if "value" not in data:
        raise KeyError("value")
    scheme, value = data.get("scheme"), data["value"]
    if scheme is not None and not isinstance(scheme, str):
        raise TypeError(f"scheme must be a string, not {scheme!r}")
    if not isinstance(value, str):
        raise TypeError(f"value must be a string, not {value!r}")
    return Identifier(scheme, value)


def _share_to(share: Share) -> dict[str, Any]:
    data: dict[str, Any] = {"source": share.source._value_}
    if share.fund is not None:
        data["fund"] = share.fund
    if share.amount is not None:
        data["amount"] = _money_to(share.amount)
    if share.rate is not None:
        data["rate"] = plain(share.rate)
    if share.derived:
        data["derived"] = sorted(share.derived)
    return data


def _funding_to(funding: Funding) -> dict[str, Any]:
    data: dict[str, Any] = {}
    if funding.total is not None:
        data["total"] = _money_to(funding.total)
    if funding.shares:
        data["shares"] = [_share_to(share) for share in funding.shares]
    if funding.derived:
        data["derived"] = sorted(funding.derived)
    return data


def _period_to(period: Period) -> dict[str, Any]:
    data: dict[str, Any] = {}
    if period.start is not None:
        data["start"] = period.start.isoformat()
    if period.end is not None:
        data["end"] = period.end.isoformat()
    duration = period.duration
    if duration is not None:
        data["duration"] = {"months": duration.months, "days": duration.days}
    if period.derived:
        data["derived"] = sorted(period.derived)
    return data


def _partner_to(partner: Partner) -> dict[str, Any]:
    data: dict[str, Any] = {"name": partner.name}
    if partner.role is not Role.PARTNER:
        data["role"] = partner.role._value_
    if partner.country is not None:
        data["country"] = partner.country
    if partner.role_text is not None:
        data["role_text"] = partner.role_text
    if partner.budget is not None:
        data["budget"] = _money_to(partner.budget)
    if partner.city is not None:
        data["city"] = partner.city
    if partner.identifiers:
        data["identifiers"] = [_identifier_to(i) for i in partner.identifiers]
    if partner.extras._data:
        data["extras"] = _extras_to(partner.extras)
    return data


def _location_to(location: Location) -> dict[str, Any]:
    data: dict[str, Any] = {}
    if location.name is not None:
        data["name"] = location.name
    if location.country is not None:
        data["country"] = location.country
    if location.nuts is not None:
        data["nuts"] = location.nuts
    return data


def _programme_to(programme: Programme) -> dict[str, Any]:
    data: dict[str, Any] = {}
    if programme.name._data:
        data["name"] = programme.name.to_dict()
    if programme.cci is not None:
        data["cci"] = programme.cci
    if programme.period is not None:
        data["period"] = programme.period
    if programme.funds:
        data["funds"] = list(programme.funds)
    return data


def _finding_to(finding: Finding) -> dict[str, Any]:
    data: dict[str, Any] = {
        "code": finding.code,
        "severity": finding.severity._value_,
        "path": finding.path,
        "message": finding.message,
    }
    if finding.data._data:
        data["data"] = finding.data.to_dict()
    return data


def _source_to(source: Source) -> dict[str, Any]:
    data: dict[str, Any] = {}
    if source.format is not None:
        data["format"] = source.format
    if source.file is not None:
        data["file"] = source.file
    if source.line is not None:
        data["line"] = source.line
    if source.row is not None:
        data["row"] = source.row
    if source.fields._data:
        data["fields"] = source.fields.to_dict()
    if source.findings:
        data["findings"] = [_finding_to(f) for f in source.findings]
    return data


def _project_to(project: Project, dumper: Dumper | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {}
    if project.title._data:
        data["title"] = dict(project.title._data)
    if project.identifiers:
        data["identifiers"] = [_identifier_to(i) for i in project.identifiers]
    if project.programme is not None:
        data["programme"] = (
            dumper._shared(project.programme, _programme_to)
            if dumper
            else _programme_to(project.programme)
        )
    if project.funding is not None:
        data["funding"] = _funding_to(project.funding)
    if project.period is not None:
        data["period"] = _period_to(project.period)
    if project.partners:
        data["partners"] = [_partner_to(p) for p in project.partners]
    if project.locations:
        if dumper is None:
            data["locations"] = [_location_to(place) for place in project.locations]
        else:
            data["locations"] = [dumper._shared(place, _location_to) for place in project.locations]
    if project.status is not None:
        data["status"] = project.status
    if project.summary._data:
        data["summary"] = project.summary.to_dict()
    if project.results:
        data["results"] = list(project.results)
    if project.source is not None:
        data["source"] = _source_to(project.source)
    if project.extras._data:
        data["extras"] = _extras_to(project.extras)
    return data


class Dumper:
    """Turns records into canonical dicts for a serialiser, sharing the dicts of shared parts.

    Readers share equal immutable parts between records (one programme object for every
    row of a programme); a dumper writes each such part once and hands out the same dict
    again. The dicts it returns may therefore be shared between records: serialise them,
    do not change them (use :func:`to_dict` for dicts of your own).
    """

    __slots__ = ("_memo",)

    def __init__(self) -> None:
        self._memo: dict[int, tuple[Any, dict[str, Any]]] = {}

    def _shared(self, value: Any, write: Any) -> dict[str, Any]:
        memo = self._memo
        found = memo.get(id(value))
        if found is not None and found[0] is value:
            return found[1]
        if len(memo) > 2048:  # small, so memory stays flat
            memo.clear()
        data: dict[str, Any] = write(value)
        memo[id(value)] = (value, data)  # the reference keeps the id from being reused
        return data

    def __call__(self, project: Project) -> dict[str, Any]:
        """The canonical dict of ``project`` (with shared parts shared)."""
        return _project_to(project, self)


_WRITERS: dict[type, Any] = {
    Project: _project_to,
    Partner: _partner_to,
    Share: _share_to,
    Funding: _funding_to,
    Period: _period_to,
    Identifier: _identifier_to,
    Location: _location_to,
    Programme: _programme_to,
    Source: _source_to,
    Finding: _finding_to,
}


# -- records, read by hand: the fast path of every reader ---------------------------------------
# Strict: exact types and canonical spellings only. Anything else raises _Slow, and the
# detailed cattrs pass reads the data again, to build it or to list its problems. A key
# that is absent reads as empty; a null where a list or object belongs is refused here
# as it is there. The checks are written out inline: a reader calls these once per
# record part, and a Python call costs as much as several checks.


class _Slow(Exception):
    """The fast path cannot read this; the detailed one will."""


_plain_number = re.compile(r"-?[0-9]+(?:\.[0-9]+)?").fullmatch
_fraction = re.compile(r"0(?:\.[0-9]+)?|1(?:\.0+)?").fullmatch
_CURRENCY_CODES: set[str] = set()
# what an absent list or object reads as; shared, never changed
_NO_LIST: list[Any] = []
_NO_DICT: dict[str, Any] = {}


def _names(cls: type) -> frozenset[str]:
    return frozenset(f.name for f in attrs.fields(cls))


# the keys each kind of object may have: its model class's fields, nothing else
_PROJECT_KEYS = _names(Project)
_PARTNER_KEYS = _names(Partner)
_SHARE_KEYS = _names(Share)
_FUNDING_KEYS = _names(Funding)
_PERIOD_KEYS = _names(Period)
_DURATION_KEYS = _names(Duration)
_PROGRAMME_KEYS = _names(Programme)
_LOCATION_KEYS = _names(Location)
_SOURCE_KEYS = _names(Source)
_FINDING_KEYS = _names(Finding)
_MONEY_KEYS = _names(Money)
_IDENTIFIER_KEYS = _names(Identifier)
# the fields a part may mark as derived
_PERIOD_DERIVED = frozenset(("start", "end", "duration"))
_SHARE_DERIVED = frozenset(("amount", "rate"))
_FUNDING_DERIVED = frozenset(("total",))

_ROLES, _SOURCES, _QUALIFIERS = fast.ROLES, fast.SOURCES, fast.QUALIFIERS
_EMPTY, _EMPTY_SET = fast.EMPTY, fast._EMPTY_SET


def _known_currency(code: Any) -> bool:
    """Whether ``code`` is an ISO code (the set is filled on first use, not at import)."""
    if not _CURRENCY_CODES:
        from .currencies import HISTORIC_CURRENCIES, _active

        _CURRENCY_CODES.update(_active(), HISTORIC_CURRENCIES)
    return code in _CURRENCY_CODES


def _string_map(value: Any) -> dict[str, str]:
    """A copy of an object of text, empty texts left out (they state nothing)."""
    if type(value) is not dict:
        raise _Slow
    for key, text in value.items():
        if type(key) is not str or type(text) is not str:
            raise _Slow
    if "" in value.values():
        return {key: text for key, text in value.items() if text}
    return dict(value)


def _texts_in(value: Any) -> Texts:
    return fast.texts(_string_map(value))


def _strings(value: Any) -> FrozenDict[str, Any]:
    return fast.frozen(_string_map(value))


def _money_in(value: Any) -> Money:
    if type(value) is not dict or not _MONEY_KEYS.issuperset(value):
        raise _Slow
    amount = value.get("amount")
    currency = value.get("currency")
    qualifier = value.get("qualifier")
    if type(amount) is not str or not _plain_number(amount):
        raise _Slow
    if currency is not None and currency not in _CURRENCY_CODES and not _known_currency(currency):
        raise _Slow
    if qualifier is not None:
        qualifier = _QUALIFIERS.get(qualifier)
        if qualifier is None:
            raise _Slow
    return fast.money(Decimal(amount), currency, qualifier)


def _derived_in(value: Any, allowed: frozenset[str]) -> frozenset[str]:
    if value is _NO_LIST:
        return _EMPTY_SET
    if type(value) is not list:
        raise _Slow
    names = frozenset(value)
    if not names <= allowed:
        raise _Slow
    return names


def _identifier_in(value: Any) -> Identifier:
    if type(value) is not dict or not _IDENTIFIER_KEYS.issuperset(value):
        raise _Slow
    text = value.get("value")
    scheme = value.get("scheme")
    if (
        type(text) is not str
        or not text.strip()
        or (scheme is not None and type(scheme) is not str)
    ):
        raise _Slow
    return fast.identifier(scheme or None, text)


def _identifiers_in(value: Any) -> tuple[Identifier, ...]:
    if type(value) is not list:
        raise _Slow
    return tuple(map(_identifier_in, value)) if value else ()


def _date_in(value: Any) -> PartialDate | None:
    if value is None:
        return None
    if type(value) is not str:
        raise _Slow
    try:
        return fast.iso_date(value)
    except ValueError:
        raise _Slow from None


def _extras_in(value: Any) -> FrozenDict[str, Any]:
    if value is _NO_DICT:
        return _EMPTY
    if type(value) is not dict:
        raise _Slow
    return fast.frozen(json_fields(value))


def _partner_in(value: Any) -> Partner:
    if type(value) is not dict or not _PARTNER_KEYS.issuperset(value):
        raise _Slow
    get = value.get
    name = get("name")
    role = _ROLES.get(get("role", "partner"))
    country, role_text, city, budget = get("country"), get("role_text"), get("city"), get("budget")
    if (
        type(name) is not str
        or role is None
        or (country is not None and type(country) is not str)
        or (role_text is not None and type(role_text) is not str)
        or (city is not None and type(city) is not str)
    ):
        raise _Slow
    return fast.partner(
        name,
        role,
        country or None,
        role_text or None,
        None if budget is None else _money_in(budget),
        city or None,
        _identifiers_in(get("identifiers", _NO_LIST)),
        _extras_in(get("extras", _NO_DICT)),
    )


def _share_in(value: Any) -> Share:
    if type(value) is not dict or not _SHARE_KEYS.issuperset(value):
        raise _Slow
    get = value.get
    source = _SOURCES.get(get("source"))  # type: ignore[arg-type]
    fund, amount, rate = get("fund"), get("amount"), get("rate")
    if source is None or (fund is not None and type(fund) is not str):
        raise _Slow
    if rate is not None:
        if type(rate) is not str or not _fraction(rate):
            raise _Slow
        rate = Decimal(rate)
    return fast.share(
        source,
        fund or None,
        None if amount is None else _money_in(amount),
        rate,
        _derived_in(get("derived", _NO_LIST), _SHARE_DERIVED),
    )


def _programme_in(value: Any) -> Programme | None:
    if type(value) is not dict or not _PROGRAMME_KEYS.issuperset(value):
        raise _Slow
    get = value.get
    cci, period, funds = get("cci"), get("period"), get("funds", _NO_LIST)
    if (
        (cci is not None and type(cci) is not str)
        or (period is not None and type(period) is not str)
        or type(funds) is not list
    ):
        raise _Slow
    for fund in funds:
        if type(fund) is not str:
            raise _Slow
    name = _texts_in(get("name", _NO_DICT))
    funds = tuple(filter(None, funds)) if funds else ()
    if not (name or cci or period or funds):
        return None
    return fast.programme(name, cci or None, period or None, funds)


def _funding_in(value: Any) -> Funding | None:
    if type(value) is not dict or not _FUNDING_KEYS.issuperset(value):
        raise _Slow
    total, shares = value.get("total"), value.get("shares", _NO_LIST)
    if type(shares) is not list:
        raise _Slow
    total = None if total is None else _money_in(total)
    shares = tuple(map(_share_in, shares)) if shares else ()
    derived = _derived_in(value.get("derived", _NO_LIST), _FUNDING_DERIVED)
    if total is None and not shares and not derived:
        return None
    return fast.funding(total, shares, derived)


def _period_in(value: Any) -> Period | None:
    if type(value) is not dict or not _PERIOD_KEYS.issuperset(value):
        raise _Slow
    get = value.get
    length = get("duration")
    duration = None
    if length is not None:
        if type(length) is not dict or not _DURATION_KEYS.issuperset(length):
            raise _Slow
        months, days = length.get("months", 0), length.get("days", 0)
        if type(months) is not int or type(days) is not int or months < 0 or days < 0:
            raise _Slow
        duration = fast.duration(months, days)
    start, end = _date_in(get("start")), _date_in(get("end"))
    derived = _derived_in(get("derived", _NO_LIST), _PERIOD_DERIVED)
    if start is None and end is None and duration is None:
        return None
    return fast.period(start, end, duration, derived)


def _locations_in(value: Any) -> tuple[Location, ...]:
    if type(value) is not list:
        raise _Slow
    places = []
    for item in value:
        if type(item) is not dict or not _LOCATION_KEYS.issuperset(item):
            raise _Slow
        name, country, nuts = item.get("name"), item.get("country"), item.get("nuts")
        if (
            (name is not None and type(name) is not str)
            or (country is not None and type(country) is not str)
            or (nuts is not None and type(nuts) is not str)
        ):
            raise _Slow
        if name or country or nuts:
            places.append(fast.location(name or None, country or None, nuts or None))
    return tuple(places)


def _project_in(value: Any) -> Project:
    if type(value) is not dict or not _PROJECT_KEYS.issuperset(value):
        raise _Slow
    get = value.get
    programme, funding, period = get("programme"), get("funding"), get("period")
    partners, results, status = get("partners", _NO_LIST), get("results", _NO_LIST), get("status")
    source = get("source")
    if (
        type(partners) is not list
        or type(results) is not list
        or (status is not None and type(status) is not str)
    ):
        raise _Slow
    for result in results:
        if type(result) is not str:
            raise _Slow
    return fast.project(
        _texts_in(get("title", _NO_DICT)),
        _identifiers_in(get("identifiers", _NO_LIST)),
        None if programme is None else _programme_in(programme),
        None if funding is None else _funding_in(funding),
        None if period is None else _period_in(period),
        tuple(map(_partner_in, partners)) if partners else (),
        _locations_in(get("locations", _NO_LIST)),
        status or None,
        _texts_in(get("summary", _NO_DICT)),
        tuple(filter(None, results)) if results else (),
        None if source is None else _source_in(source),
        _extras_in(get("extras", _NO_DICT)),
    )


def _finding_in(value: Any) -> Finding:
    if type(value) is not dict or not _FINDING_KEYS.issuperset(value):
        raise _Slow
    get = value.get
    severity = fast.SEVERITIES.get(get("severity"))  # type: ignore[arg-type]
    code, path, message = get("code"), get("path"), get("message")
    if (
        severity is None
        or type(code) is not str
        or type(path) is not str
        or not path.startswith("$")
        or type(message) is not str
    ):
        raise _Slow
    return fast.finding(code, severity, path, message, _strings(get("data", _NO_DICT)))


def _source_in(value: Any) -> Source | None:
    if type(value) is not dict or not _SOURCE_KEYS.issuperset(value):
        raise _Slow
    get = value.get
    form, file, line, row = get("format"), get("file"), get("line"), get("row")
    findings = get("findings", _NO_LIST)
    if (
        (form is not None and type(form) is not str)
        or (file is not None and type(file) is not str)
        or (line is not None and type(line) is not int)
        or (row is not None and type(row) is not int)
        or type(findings) is not list
    ):
        raise _Slow
    fields = _strings(get("fields", _NO_DICT))
    findings = tuple(map(_finding_in, findings)) if findings else ()
    if not (form or file or line is not None or row is not None or fields or findings):
        return None
    return fast.source(form or None, file or None, line, row, fields, findings)


# -- converters ----------------------------------------------------------------------------


def _configure(converter: cattrs.Converter) -> cattrs.Converter:
    from cattrs.gen import make_dict_structure_fn, override

    converter.register_structure_hook(str, _text_from)
    converter.register_structure_hook(int, _whole_from)
    converter.register_unstructure_hook(Money, _money_to)
    converter.register_structure_hook(Money, _money_from)
    converter.register_unstructure_hook(Decimal, _decimal_to)
    converter.register_unstructure_hook(PartialDate, PartialDate.isoformat)
    converter.register_structure_hook(PartialDate, _partial_from)
    converter.register_unstructure_hook(Duration, _duration_to)
    converter.register_structure_hook(Duration, _duration_from)
    converter.register_unstructure_hook(Texts, _frozen_dict_to)
    converter.register_structure_hook(Texts, _texts_from)
    converter.register_unstructure_hook(FrozenDict, _frozen_dict_to)
    converter.register_unstructure_hook_func(_is_frozenset, sorted)
    converter.register_structure_hook_factory(
        _is_list_field, lambda kind: _list_field_from(kind, converter)
    )
    for kind in (ShareSource, Role, Severity, Qualifier):
        converter.register_structure_hook(kind, _enum_from(kind))
        converter.register_unstructure_hook(kind, lambda member: member.value)
    for cls in _CLASSES:
        overrides: dict[str, Any] = {}
        if cls is Share:
            overrides["rate"] = override(struct_hook=_rate_from)
        if cls in (Project, Partner):
            overrides["extras"] = override(struct_hook=_extras_from)
        if cls in (Source, Finding):
            overrides["fields" if cls is Source else "data"] = override(struct_hook=_strings_from)
        converter.register_unstructure_hook(cls, _WRITERS[cls])
        if cls is Identifier:
            converter.register_structure_hook(cls, _identifier_from)
        else:
            converter.register_structure_hook(
                cls, make_dict_structure_fn(cls, converter, **overrides)
            )
    return converter


@functools.cache
def _converter(detailed: bool) -> cattrs.Converter:
    """The cattrs converter for the classes cattrs reads and writes, built on first use.

    Generating its functions at import cost start-up time every command paid, --help too.
    """
    import cattrs

    return _configure(cattrs.Converter(forbid_extra_keys=True, detailed_validation=detailed))


def _describe(exc: BaseException, kind: type | None) -> str:
    """One problem, said plainly (used for every leaf error cattrs collects)."""
    import cattrs.v
    from cattrs.errors import ForbiddenExtraKeysError

    if isinstance(exc, KeyError):
        return "required field missing"
    if isinstance(exc, ForbiddenExtraKeysError):
        return f"unknown field(s): {', '.join(sorted(exc.extra_fields))}"
    if isinstance(exc, ParseError | ValueError | TypeError) and str(exc):
        return str(exc)
    if isinstance(exc, RecursionError):
        return "lists or objects nested too deeply to read"
    return cattrs.v.format_exception(exc, kind)


def to_dict(record: Any) -> dict[str, Any]:
    """The canonical, JSON-ready dict of a :class:`~socialproj.Project` (or any model object).

    >>> project = Project(title={"en": "Wheels"}, funding=Funding(Money("497713.31", "EUR")))
    >>> to_dict(project)["funding"]
    {'total': {'amount': '497713.31', 'currency': 'EUR'}}
    """
    writer = _WRITERS.get(type(record))
    if writer is not None:
        return writer(record)  # type: ignore[no-any-return]
    return _converter(False).unstructure(record)  # type: ignore[no-any-return]


def from_dict(data: Mapping[str, Any], cls: type[Any] = Project) -> Any:
    """Build a :class:`~socialproj.Project` (or ``cls``) from its canonical dict.

    Raises :class:`~socialproj.StructureError` listing every problem with its path
    (``$.funding.total.amount``), not just the first. The round trip
    ``from_dict(to_dict(p))`` is exact, the scale of amounts included.
    """
    if not isinstance(data, Mapping):
        raise StructureError([f"expected an object at $, not {type(data).__name__}"])
    try:
        # the strict hand-written path for projects, cattrs for the other classes; what
        # either cannot read, the detailed pass below builds or explains
        return _project_in(data) if cls is Project else _converter(False).structure(data, cls)
    except Exception:
        pass
    try:
        return _converter(True).structure(data, cls)
    except Exception as exc:
        import cattrs

        problems = cattrs.transform_error(exc, path="$", format_exception=_describe)
        raise StructureError(problems, what=cls.__name__.lower()) from None

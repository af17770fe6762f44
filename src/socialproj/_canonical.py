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

from collections.abc import Callable, Mapping
from decimal import Decimal
from enum import Enum
from typing import Any, get_origin

import cattrs
from cattrs.errors import ForbiddenExtraKeysError
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from .dates import PartialDate
from .errors import ParseError, StructureError
from .findings import Finding, Severity
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

__all__ = ["from_dict", "to_dict"]

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
    data: dict[str, Any] = {"amount": plain(money.amount)}
    if money.currency is not None:
        data["currency"] = money.currency
    if money.qualifier is not None:
        data["qualifier"] = money.qualifier.value
    return data


def _money_from(data: Any, _: Any) -> Money:
    if not isinstance(data, Mapping):
        raise TypeError(
            f"an amount of money is an object with 'amount' and 'currency', not {data!r}"
        )
    extra = set(data) - {"amount", "currency", "qualifier"}
    if extra:
        raise ForbiddenExtraKeysError("", Money, extra)
    if "amount" not in data:
        raise KeyError("amount")
    amount = data["amount"]
    if isinstance(amount, float):
        raise TypeError(f"amount {amount!r} is a float; write it as a string such as '1234.50'")
    return Money(to_decimal(amount), data.get("currency"), data.get("qualifier"))


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
    if not isinstance(data, Mapping):
        raise TypeError(f"a duration is an object with 'months' and 'days', not {data!r}")
    extra = set(data) - {"months", "days"}
    if extra:
        raise ForbiddenExtraKeysError("", Duration, extra)
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


def _check_json(value: Any, where: str) -> Any:
    """Refuse floats (and non-JSON values) in free-form data such as extras."""
    kind = type(value)
    if kind is str or kind is int or kind is bool or value is None or kind is Decimal:
        return value
    if kind is float:
        raise TypeError(f"{where} holds the float {value!r}; read JSON with parse_float=Decimal")
    if isinstance(value, Mapping):
        return {str(k): _check_json(v, where) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_check_json(v, where) for v in value]
    raise TypeError(f"{where} holds {value!r}, which is not a JSON value")


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
    return FrozenDict._wrap({str(k): _check_json(v, "extras") for k, v in data.items()})


def _strings_from(data: Any, _: Any) -> FrozenDict[str, str]:
    if not isinstance(data, Mapping):
        raise TypeError(f"expected an object of strings, not {data!r}")
    for key, value in data.items():
        if not isinstance(value, str):
            raise TypeError(f"{key!r} must be a string, not {value!r}")
    return FrozenDict(data)


def _frozen_dict_to(value: FrozenDict[Any, Any]) -> dict[Any, Any]:
    return value.to_dict()


def _is_frozenset(kind: Any) -> bool:
    return kind is frozenset or get_origin(kind) is frozenset


def _enum_from(kind: type[Enum]) -> Callable[[Any, Any], Enum]:
    def structure(data: Any, _: Any) -> Enum:
        try:
            return kind(data)
        except ValueError:
            allowed = ", ".join(repr(m.value) for m in kind)
            raise ValueError(f"{data!r} is not one of {allowed}") from None

    return structure


# -- converters ----------------------------------------------------------------------------


def _configure(converter: cattrs.Converter) -> cattrs.Converter:
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
    for kind in (ShareSource, Role, Severity, Qualifier):
        converter.register_structure_hook(kind, _enum_from(kind))
        converter.register_unstructure_hook(kind, lambda member: member.value)
    for cls in _CLASSES:
        overrides: dict[str, Any] = {}
        if cls is Share:
            overrides["rate"] = override(struct_hook=_rate_from)
        unstructure_overrides: dict[str, Any] = {}
        if cls in (Project, Partner):
            overrides["extras"] = override(struct_hook=_extras_from)
            unstructure_overrides["extras"] = override(unstruct_hook=_extras_to)
        if cls in (Source, Finding):
            overrides["fields" if cls is Source else "data"] = override(struct_hook=_strings_from)
        converter.register_unstructure_hook(
            cls,
            make_dict_unstructure_fn(
                cls, converter, _cattrs_omit_if_default=True, **unstructure_overrides
            ),
        )
        converter.register_structure_hook(cls, make_dict_structure_fn(cls, converter, **overrides))
    return converter


_FAST = _configure(cattrs.Converter(forbid_extra_keys=True, detailed_validation=False))
_DETAILED = _configure(cattrs.Converter(forbid_extra_keys=True, detailed_validation=True))


def _describe(exc: BaseException, kind: type | None) -> str:
    """One problem, said plainly (used for every leaf error cattrs collects)."""
    if isinstance(exc, KeyError):
        return "required field missing"
    if isinstance(exc, ForbiddenExtraKeysError):
        return f"unknown field(s): {', '.join(sorted(exc.extra_fields))}"
    if isinstance(exc, ParseError | ValueError | TypeError) and str(exc):
        return str(exc)
    return cattrs.v.format_exception(exc, kind)


def to_dict(record: Any) -> dict[str, Any]:
    """The canonical, JSON-ready dict of a :class:`~socialproj.Project` (or any model object).

    >>> project = Project(title={"en": "Wheels"}, funding=Funding(Money("497713.31", "EUR")))
    >>> to_dict(project)["funding"]
    {'total': {'amount': '497713.31', 'currency': 'EUR'}}
    """
    return _FAST.unstructure(record)  # type: ignore[no-any-return]


def from_dict(data: Mapping[str, Any], cls: type[Any] = Project) -> Any:
    """Build a :class:`~socialproj.Project` (or ``cls``) from its canonical dict.

    Raises :class:`~socialproj.StructureError` listing every problem with its path
    (``$.funding.total.amount``), not just the first. The round trip
    ``from_dict(to_dict(p))`` is exact, the scale of amounts included.
    """
    if not isinstance(data, Mapping):
        raise StructureError([f"expected an object at $, not {type(data).__name__}"])
    try:
        return _FAST.structure(data, cls)
    except Exception:
        pass
    try:
        return _DETAILED.structure(data, cls)
    except Exception as exc:
        problems = cattrs.transform_error(exc, path="$", format_exception=_describe)
        raise StructureError(problems, what=cls.__name__.lower()) from None

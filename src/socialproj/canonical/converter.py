"""The cattrs converters of the canonical form: the detailed path, and its messages.

:func:`converter` builds, from the field table (:mod:`.table`), a private cattrs
``Converter`` whose hooks follow each field's kind — texts as written (a number read
exactly, a float refused), exact amounts, rates as fractions, strict lists, enums by
value — and whose writers are the generated ones of :mod:`.writing`. The strict readers
of :mod:`.reading` are its fast twin: they read what they can, and this converter reads
the rest, or (with ``detailed=True``) lists every problem with its path
(``… @ $.funding.total.amount``). ``tests/test_fast_paths.py`` holds the two to the same
records.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Mapping
from decimal import Decimal
from enum import Enum
from typing import TYPE_CHECKING, Any, get_args, get_origin

from socialproj.dates import PartialDate
from socialproj.errors import ParseError
from socialproj.jsonvalues import json_fields
from socialproj.model import normalize_rate
from socialproj.money import Money, plain, to_decimal
from socialproj.texts import FrozenDict, Texts

from .table import CLASSES, Kind, fields_of
from .writing import WRITERS

if TYPE_CHECKING:
    import cattrs

__all__ = ["converter", "describe"]


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


def _count_from(data: Any, _: Any) -> int:
    """A count (a duration's months or days): a whole number written as one, not text."""
    if type(data) is not int:
        raise TypeError(f"a duration counts in whole numbers, not {_shown(data)}")
    return data


def _amount_from(data: Any, _: Any) -> Decimal:
    if isinstance(data, float):
        raise TypeError(f"amount {data!r} is a float; write it as a string such as '1234.50'")
    return to_decimal(data)


def _currency_from(data: Any, _: Any) -> str | None:
    """A currency code, checked (and written upper case) as :class:`~socialproj.Money` does."""
    return None if data is None else Money(0, data).currency


def _rate_from(data: Any, _: Any) -> Decimal | None:
    if data is None:
        return None
    if isinstance(data, float):
        raise TypeError(f"rate {data!r} is a float; write it as a string such as '0.85'")
    return normalize_rate(data)


def _partial_from(data: Any, _: Any) -> PartialDate:
    if not isinstance(data, str):
        raise TypeError(f"a date is an ISO 8601 string (YYYY, YYYY-MM or YYYY-MM-DD), not {data!r}")
    return PartialDate.parse(data)


def _texts_from(data: Any, _: Any) -> Texts:
    if isinstance(data, str):
        return Texts(data)
    if not isinstance(data, Mapping):
        raise TypeError(f"text is an object of language code to text, not {data!r}")
    return Texts(data)


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
            allowed = ", ".join(str(m.value) for m in kind)
            raise ValueError(f"{data!r} is not one of {allowed}") from None

    return structure


#: the structure hook of the field kinds whose values are not read by their type alone
_BY_KIND: dict[Kind, Callable[[Any, Any], Any]] = {
    Kind.AMOUNT: _amount_from,
    Kind.CURRENCY: _currency_from,
    Kind.RATE: _rate_from,
    Kind.COUNT: _count_from,
    Kind.EXTRAS: _extras_from,
    Kind.STRINGS: _strings_from,
}


def _object_from(cls: type, read: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
    """``read``, refusing data that is not an object first, with the fields it may have.

    A field the table holds optional but the class takes without a default (an
    identifier's ``scheme``, positional before ``value``; a money's ``currency``) reads
    as ``None`` when absent.
    """
    names = ", ".join(spec.name for spec in fields_of(cls))
    # what the class's __init__ requires (Money writes its own, requiring the currency)
    signature = inspect.signature(cls)
    positional = {
        name for name, p in signature.parameters.items() if p.default is inspect.Parameter.empty
    }
    absent = {
        spec.name: None for spec in fields_of(cls) if not spec.required and spec.name in positional
    }

    def structure(data: Any, kind: Any) -> Any:
        if not isinstance(data, Mapping):
            raise TypeError(f"a {cls.__name__.lower()} is an object of {names}, not {_shown(data)}")
        if absent and not absent.keys() <= data.keys():
            data = {**absent, **data}
        return read(data, kind)

    return structure


def _configure(converter: cattrs.Converter) -> cattrs.Converter:
    from cattrs.gen import make_dict_structure_fn, override

    converter.register_structure_hook(str, _text_from)
    converter.register_structure_hook(int, _whole_from)
    converter.register_unstructure_hook(Decimal, plain)
    converter.register_unstructure_hook(PartialDate, PartialDate.isoformat)
    converter.register_structure_hook(PartialDate, _partial_from)
    converter.register_unstructure_hook(Texts, _frozen_dict_to)
    converter.register_structure_hook(Texts, _texts_from)
    converter.register_unstructure_hook(FrozenDict, _frozen_dict_to)
    converter.register_unstructure_hook_func(_is_frozenset, sorted)
    converter.register_structure_hook_factory(
        _is_list_field, lambda kind: _list_field_from(kind, converter)
    )
    for cls in CLASSES:
        overrides: dict[str, Any] = {}
        for spec in fields_of(cls):
            hook = _BY_KIND.get(spec.kind)
            if hook is not None:
                overrides[spec.name] = override(struct_hook=hook)
            if spec.kind is Kind.ENUM and spec.item is not None:
                converter.register_structure_hook(spec.item, _enum_from(spec.item))
                converter.register_unstructure_hook(spec.item, lambda member: member.value)
        writer = WRITERS[cls]
        converter.register_unstructure_hook(cls, functools.partial(_unpartial, writer))
        read: Callable[[Any, Any], Any] = make_dict_structure_fn(cls, converter, **overrides)
        converter.register_structure_hook(cls, _object_from(cls, read))
    return converter


def _unpartial(writer: Callable[[Any, Any], dict[str, Any]], record: Any) -> dict[str, Any]:
    return writer(record, None)


@functools.cache
def converter(detailed: bool) -> cattrs.Converter:
    """The cattrs converter of the canonical form, built on first use.

    ``detailed=True`` collects every problem (for messages); the other stops at the
    first. Generating its functions at import would cost every command start-up time.
    """
    import cattrs

    return _configure(cattrs.Converter(forbid_extra_keys=True, detailed_validation=detailed))


def describe(exc: BaseException, kind: type | None) -> str:
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

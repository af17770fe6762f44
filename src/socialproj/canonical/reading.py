"""The strict canonical readers: a dict back to its record, one generated function per class.

The fast path of every reader of canonical data (JSON Lines, JSON). For every class of
the field table (:mod:`.table`) a function is written out and compiled once; it takes
exact types and canonical spellings only — a string for text, a plain decimal string for
an amount, a known enum value — and builds the record with the trusted constructors of
:mod:`socialproj.fast`. Anything else raises :class:`Slow`, and the detailed cattrs pass
(:mod:`.converter`) reads the data again, to build it or to list its problems. Its twin
is :mod:`.writing`; ``tests/test_fast_paths.py`` holds this reader to the cattrs one on
generated and on damaged data.

A key that is absent reads as empty; a null where a list or object belongs is refused
here as it is there; empty texts state nothing; a part that states nothing is absent.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from functools import cache
from typing import Any, Final

from socialproj import fast
from socialproj.currencies import currency_codes
from socialproj.jsonvalues import json_fields
from socialproj.texts import FrozenDict, Texts

from .table import CLASSES, EMPTY_IS_ABSENT, Field, Kind, enum_values, fields_of

__all__ = ["Slow", "readers"]


class Slow(Exception):
    """The fast path cannot read this; the detailed one will."""


_plain_number = re.compile(r"-?[0-9]+(?:\.[0-9]+)?").fullmatch
_fraction = re.compile(r"0(?:\.[0-9]+)?|1(?:\.0+)?").fullmatch
# what an absent list or object reads as; shared, never changed
_NO_LIST: list[Any] = []
_NO_DICT: dict[str, Any] = {}


def _string_map(value: Any) -> dict[str, str]:
    """A copy of an object of text, empty texts left out (they state nothing)."""
    if type(value) is not dict:
        raise Slow
    for key, text in value.items():
        if type(key) is not str or type(text) is not str:
            raise Slow
    if "" in value.values():
        return {key: text for key, text in value.items() if text}
    return dict(value)


def _texts_in(value: Any) -> Texts:
    return fast.texts(_string_map(value))


def _strings_in(value: Any) -> FrozenDict[str, Any]:
    return fast.frozen(_string_map(value))


def _extras_in(value: Any) -> FrozenDict[str, Any]:
    if value is _NO_DICT:
        return fast.EMPTY
    if type(value) is not dict:
        raise Slow
    return fast.frozen(json_fields(value))


def _derived_in(value: Any, allowed: frozenset[str]) -> frozenset[str]:
    if value is _NO_LIST:
        return fast.EMPTY_SET
    if type(value) is not list:
        raise Slow
    names = frozenset(value)
    if not names <= allowed:
        raise Slow
    return names


def _date_in(value: Any) -> Any:
    if value is None:
        return None
    if type(value) is not str:
        raise Slow
    try:
        return fast.iso_date(value)
    except ValueError:
        raise Slow from None


def _reader_name(cls: type) -> str:
    return f"read_{cls.__name__.lower()}"


# whether a field's read value states something, for the parts that are absent when
# they state nothing: "is not None" for values, truth for texts and collections
_BY_PRESENCE: Final = frozenset(
    (Kind.PART, Kind.DATE, Kind.WHOLE, Kind.RATE, Kind.AMOUNT, Kind.ENUM, Kind.CURRENCY)
)


def _field_code(spec: Field, out: list[str], namespace: dict[str, Any]) -> str:
    """Statements reading one field into the local ``f_NAME``; returns that name."""
    name, kind = spec.name, spec.kind
    local = f"f_{name}"
    key = repr(name)

    def add(*lines: str) -> None:
        out.extend(f"    {line}" for line in lines)

    if kind is Kind.TEXT:
        add(f"{local} = get({key})")
        if spec.required:
            checks = [f"type({local}) is not str"]
            if spec.check == "nonblank":
                checks.append(f"not {local}.strip()")
            elif spec.check == "root":
                checks.append(f"not {local}.startswith('$')")
            add(f"if {' or '.join(checks)}: raise _Slow")
        else:
            add(f"if {local} is not None and type({local}) is not str: raise _Slow")
            add(f"{local} = {local} or None")
    elif kind is Kind.CURRENCY:
        add(f"{local} = get({key})")
        add(f"if {local} is not None and {local} not in _CODES: raise _Slow")
    elif kind is Kind.AMOUNT:
        add(f"{local} = get({key})")
        add(f"if type({local}) is not str or not _plain_number({local}): raise _Slow")
        add(f"{local} = _Decimal({local})")
    elif kind is Kind.ENUM:
        assert spec.item is not None
        members = f"_members_{spec.item.__name__}"
        namespace[members] = enum_values(spec.item)
        if spec.required:
            add(f"{local} = {members}.get(get({key}))", f"if {local} is None: raise _Slow")
        elif spec.default is not None:
            add(f"{local} = {members}.get(get({key}, {spec.default.value!r}))")
            add(f"if {local} is None: raise _Slow")
        else:
            add(f"{local} = get({key})")
            add(f"if {local} is not None:")
            add(f"    {local} = {members}.get({local})")
            add(f"    if {local} is None: raise _Slow")
    elif kind is Kind.TEXTS:
        add(f"{local} = _texts_in(get({key}, _NO_DICT))")
    elif kind is Kind.STRINGS:
        add(f"{local} = _strings_in(get({key}, _NO_DICT))")
    elif kind is Kind.EXTRAS:
        add(f"{local} = _extras_in(get({key}, _NO_DICT))")
    elif kind is Kind.LINES:
        add(f"{local} = get({key}, _NO_LIST)")
        add(f"if type({local}) is not list: raise _Slow")
        add(f"for item in {local}:", "    if type(item) is not str: raise _Slow")
        add(f"{local} = tuple(filter(None, {local})) if {local} else ()")
    elif kind is Kind.RATE:
        add(f"{local} = get({key})")
        add(f"if {local} is not None:")
        add(f"    if type({local}) is not str or not _fraction({local}): raise _Slow")
        add(f"    {local} = _Decimal({local})")
    elif kind is Kind.DATE:
        add(f"{local} = _date_in(get({key}))")
    elif kind is Kind.WHOLE:
        add(f"{local} = get({key})")
        add(f"if {local} is not None and type({local}) is not int: raise _Slow")
    elif kind is Kind.COUNT:
        add(f"{local} = get({key}, 0)")
        add(f"if type({local}) is not int or {local} < 0: raise _Slow")
    elif kind is Kind.DERIVED:
        allowed = f"_derivable_{'_'.join(sorted(spec.derivable))}"
        namespace[allowed] = spec.derivable
        add(f"{local} = _derived_in(get({key}, _NO_LIST), {allowed})")
    elif kind is Kind.PART:
        assert spec.item is not None
        add(f"{local} = get({key})")
        add(f"{local} = None if {local} is None else {_reader_name(spec.item)}({local})")
    elif kind is Kind.LIST:
        assert spec.item is not None
        read = _reader_name(spec.item)
        add(f"{local} = get({key}, _NO_LIST)", f"if type({local}) is not list: raise _Slow")
        if spec.item in EMPTY_IS_ABSENT:  # an item that states nothing is dropped
            add(f"{local} = tuple(x for x in map({read}, {local}) if x is not None)")
        else:
            add(f"{local} = tuple(map({read}, {local})) if {local} else ()")
    else:  # pragma: no cover - every kind is handled above
        raise AssertionError(kind)
    return local


def _source() -> tuple[str, dict[str, Any]]:
    namespace: dict[str, Any] = {
        "_Slow": Slow,
        "_Decimal": Decimal,
        "_plain_number": _plain_number,
        "_fraction": _fraction,
        "_CODES": currency_codes(),
        "_NO_LIST": _NO_LIST,
        "_NO_DICT": _NO_DICT,
        "_texts_in": _texts_in,
        "_strings_in": _strings_in,
        "_extras_in": _extras_in,
        "_derived_in": _derived_in,
        "_date_in": _date_in,
    }
    functions = []
    for cls in CLASSES:
        specs = fields_of(cls)
        maker = f"_make_{cls.__name__.lower()}"
        namespace[maker] = getattr(fast, cls.__name__.lower())
        namespace[f"_keys_{cls.__name__.lower()}"] = frozenset(spec.name for spec in specs)
        body = [
            f"def {_reader_name(cls)}(v):",
            f"    if type(v) is not dict or not _keys_{cls.__name__.lower()}.issuperset(v):",
            "        raise _Slow",
            "    get = v.get",
        ]
        locals_ = [_field_code(spec, body, namespace) for spec in specs]
        stating = EMPTY_IS_ABSENT.get(cls)
        if stating is not None:
            tests = [
                f"f_{spec.name} is not None" if spec.kind in _BY_PRESENCE else f"f_{spec.name}"
                for spec in specs
                if spec.name in stating
            ]
            body.append(f"    if not ({' or '.join(tests)}): return None")
        body.append(f"    return {maker}({', '.join(locals_)})")
        functions.append("\n".join(body))
    return "\n\n\n".join(functions) + "\n", namespace


@cache
def readers() -> dict[type, Callable[[Any], Any]]:
    """The strict reader of each class: ``readers()[Project](data)``, or :class:`Slow`.

    Compiled on first use (it holds the set of currency codes, read from the ISO table
    only when a record is first read).
    """
    source, namespace = _source()
    fast.compile_source(source, "canonical readers", namespace)
    return {cls: namespace[_reader_name(cls)] for cls in CLASSES}

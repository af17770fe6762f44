"""The fast path of the canonical CSV reader: one generated function per header.

For a header's :class:`~socialproj_tables.builder.Plan`, :func:`compile_builder` writes
and compiles a function that builds a record from a row's cells by position, field by
field as the field table of :mod:`socialproj.canonical` lists them, with the trusted
constructors of :mod:`socialproj.fast` and a few small helpers. It handles the cells it
can check cheaply (plain decimals, ISO dates, known enum values, ISO currency codes) and
raises on anything else; the detailed builder (its twin,
:meth:`~socialproj_tables.builder.Builder.build_detailed`) then reads that row again and
either explains the bad cell or builds the record the slow way. The two must give the
same records: ``tests/test_fast_paths.py`` holds them to it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from itertools import count
from typing import Any, Final

from socialproj import (
    NumberStyle,
    PartialDate,
    Project,
    currency_codes,
    fast,
    loads_json,
    normalize_rate,
    parse_amount,
    parse_date,
)
from socialproj.canonical import EMPTY_IS_ABSENT, Field, Kind, enum_values, fields_of
from socialproj.fast import iso_date

from .builder import Plan
from .columns import FREE_KINDS

__all__ = ["compile_builder"]

_DIGITS: Final = frozenset("0123456789")
# values remembered before a cache starts over: bounded, so memory stays flat
_CACHE_SIZE: Final = 2048
_DATES_CACHED: Final = 16384  # every day of 45 years: a file's dates fit, in ~3 MB
_PLAIN: Final = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")
# numbers in a known style: optional groups of three with one separator, then the decimals
_LOCAL: Final = {
    ",": re.compile(
        r"-?(?:[1-9][0-9]{0,2}(?:(?P<g>[ \u00a0\u202f.'])[0-9]{3}(?:(?P=g)[0-9]{3})*)?"
        r"|[0-9]+)(?:,[0-9]+)?"
    ),
    ".": re.compile(
        r"-?(?:[1-9][0-9]{0,2}(?:(?P<g>[ \u00a0\u202f,'])[0-9]{3}(?:(?P=g)[0-9]{3})*)?"
        r"|[0-9]+)(?:\.[0-9]+)?"
    ),
}
_GROUPS: Final = {",": " \u00a0\u202f.'", ".": " \u00a0\u202f,'"}  # what _LOCAL accepts


def _house_style(style: NumberStyle) -> tuple[Callable[[str], Any], str]:
    """A matcher of the numbers ``style`` writes, with its own group mark only, and the mark.

    A simpler, faster ``_LOCAL``: every text it matches, ``_LOCAL`` matches too, and
    reads the same way (drop the mark, make the decimal mark a point).
    """
    decimal = re.escape(style.decimal)
    mark = style.group if style.group in _GROUPS[style.decimal] else ""
    if not mark:
        return re.compile(rf"-?[0-9]+(?:{decimal}[0-9]+)?").fullmatch, ""
    group = re.escape(mark)
    pattern = rf"-?(?:[1-9][0-9]{{0,2}}(?:{group}[0-9]{{3}})+|[0-9]+)(?:{decimal}[0-9]+)?"
    return re.compile(pattern).fullmatch, mark


def _helpers(style: NumberStyle | None) -> dict[str, Any]:
    """The functions the generated code calls, bound to a file's number style."""
    # canonical cells; a file with a style reads every amount in that style (in a
    # decimal-comma file "1.000" is a thousand)
    plain = _PLAIN.fullmatch
    local = _LOCAL[style.decimal].fullmatch if style is not None else None
    comma = style is not None and style.decimal == ","
    # the file's own marks first: most of its amounts are written that way
    house, mark = _house_style(style) if style is not None else (None, "")

    def in_style(text: str, group: str) -> Decimal:
        """An amount that matched the file's style: drop its group mark, point decimals."""
        if group:
            text = text.replace(group, "")
        return Decimal(text.replace(",", ".") if comma else text)

    def amount(text: str) -> Decimal:
        if house is not None and local is not None:
            # the file's own style (plain numbers included), regular groups of one
            # separator: "198 660,00", "1,250.50", "-12"; its own group mark first
            if house(text):
                return in_style(text, mark)
            found = local(text)
            if found is not None:
                return in_style(text, found["g"] or "")
        elif plain(text):
            return Decimal(text)
        return parse_amount(text.strip(), style=style)

    dates: dict[str, PartialDate] = {}

    def date(text: str) -> PartialDate:
        # records are immutable, so one date object serves every row that writes it
        found = dates.get(text)
        if found is not None:
            return found
        if len(dates) > _DATES_CACHED:
            dates.clear()
        found = dates[text] = _date(text)
        return found

    def _date(text: str) -> PartialDate:
        if len(text) == 10 and text[2] == "." and text[5] == ".":  # 28.09.2016 (day first)
            try:
                return iso_date(f"{text[6:]}-{text[3:5]}-{text[:2]}")
            except ValueError:
                pass
        try:
            return iso_date(text)
        except ValueError:
            return parse_date(text)

    def code(text: str) -> str:
        # no code, or a code of spaces: the detailed builder says what is wrong
        if not text or text.isspace():
            raise ValueError(text)
        return text

    def whole(text: str) -> int:
        if not _DIGITS.issuperset(text):
            raise ValueError(text)
        return int(text)

    def derived(text: str, allowed: frozenset[str]) -> frozenset[str]:
        if not text:
            return fast.EMPTY_SET
        names = frozenset(text.split())
        if not names <= allowed:
            raise ValueError(text)
        return names

    def rate(text: str) -> Decimal:
        return normalize_rate(text)

    # one object for equal values: programmes, places and durations repeat across rows
    shared: dict[Any, Any] = {}

    def keep(key: Any, value: Any) -> Any:
        """Remember ``value`` as the object for ``key`` (looked up with ``_shared_get``)."""
        if len(shared) > _CACHE_SIZE:
            shared.clear()
        shared[key] = value
        return value

    def not_a_code(text: str) -> str:
        raise ValueError(f"{text!r} is not a currency code as written")

    return {
        "_Decimal": Decimal,
        "_plain_cell": plain,
        "_house": house,
        "_GROUP": mark,
        "_CODES": currency_codes(),
        "_not_a_code": not_a_code,
        "_shared_get": shared.get,
        "_keep": keep,
        "_amount": amount,
        "_date": date,
        "_code": code,
        "_whole": whole,
        "_derived": derived,
        "_rate": rate,
        "_json": loads_json,
        "_texts": fast.texts,
        "_frozen": fast.frozen,
        "_EMPTY_SET": fast.EMPTY_SET,
        "_EMPTY": fast.EMPTY,
        "_EMPTY_TEXTS": fast.EMPTY_TEXTS,
    }


class _Writer:
    """The generated function's source, and the names it needs beside the helpers."""

    def __init__(self, styled: bool) -> None:
        self.styled = styled  # amounts in the file's decimal-comma style: go there at once
        self.out: list[str] = []
        self.functions: list[str] = []
        self.namespace: dict[str, Any] = {}
        self._ids = count()

    def add(self, indent: int, text: str) -> None:
        self.out.append("    " * indent + text)

    def fresh(self, stem: str) -> str:
        return f"{stem}{next(self._ids)}"

    def constant(self, stem: str, value: Any) -> str:
        """A name for ``value`` in the generated code's namespace."""
        name = f"_{stem}"
        self.namespace[name] = value
        return name


def _any(indexes: list[int]) -> str:
    return " or ".join(f"c[{i}]" for i in indexes) or "False"


def _maker(cls: type, code: _Writer) -> str:
    return code.constant(f"make_{cls.__name__}", getattr(fast, cls.__name__.lower()))


def _leaf(spec: Field, index: int | None, code: _Writer) -> str:
    """The expression of a field holding one value, read from cell ``index`` (or absent)."""
    kind = spec.kind
    cell = f"c[{index}]"
    if index is None:
        if kind is Kind.COUNT:
            return "0"
        if kind is Kind.DERIVED:
            return "_EMPTY_SET"
        if kind is Kind.ENUM and spec.default is not None:
            return code.constant(f"{type(spec.default).__name__}_{spec.default.name}", spec.default)
        if spec.required:
            if kind is Kind.TEXT and spec.check is None:
                return "''"
            return f"_missing({spec.name!r})"
        return "None"
    if kind is Kind.TEXT:
        if not spec.required:
            return f"({cell} or None)"
        if spec.check == "nonblank":
            return f"_code({cell})"
        if spec.check == "root":
            return f"({cell} if {cell}[:1] == '$' else _missing({spec.name!r}))"
        return cell
    if kind is Kind.AMOUNT:
        if code.styled:  # "198 660,00": the file's own marks first
            return (
                f"(_Decimal({cell}.replace(_GROUP, '').replace(',', '.')) "
                f"if _house({cell}) else _amount({cell}))"
            )
        return f"(_Decimal({cell}) if _plain_cell({cell}) else _amount({cell}))"
    if kind is Kind.CURRENCY:
        return f"(({cell} if {cell} in _CODES else _not_a_code({cell})) if {cell} else None)"
    if kind is Kind.ENUM:
        assert spec.item is not None
        members = code.constant(f"members_{spec.item.__name__}", enum_values(spec.item))
        if spec.required:
            return f"{members}[{cell}]"
        empty = "None"
        if spec.default is not None:
            empty = code.constant(
                f"{type(spec.default).__name__}_{spec.default.name}", spec.default
            )
        return f"({members}[{cell}] if {cell} else {empty})"
    if kind is Kind.RATE:
        return f"(_rate({cell}) if {cell} else None)"
    if kind is Kind.DATE:
        return f"(_date({cell}) if {cell} else None)"
    if kind is Kind.WHOLE:
        return f"(_whole({cell}) if {cell} else None)"
    if kind is Kind.COUNT:
        return f"(_whole({cell}) if {cell} else 0)"
    if kind is Kind.DERIVED:
        allowed = code.constant(f"derivable_{'_'.join(sorted(spec.derivable))}", spec.derivable)
        return f"_derived({cell}, {allowed})"
    raise AssertionError(kind)  # pragma: no cover - every leaf kind is handled above


def _keyed(spec: Field, plan: Plan, code: _Writer, indent: int) -> str:
    """Statements gathering a field of keyed cells; the expression of its value."""
    entries = plan.keyed.get(spec.name, [])
    if not entries:
        return "_EMPTY_TEXTS" if spec.kind is Kind.TEXTS else "_EMPTY"
    name = code.fresh("k")
    code.add(indent, f"{name} = {{}}")
    for index, key, is_json in entries:
        value = f"_json(c[{index}])" if is_json else f"c[{index}]"
        code.add(indent, f"if c[{index}]: {name}[{key!r}] = {value}")
    return f"_texts({name})" if spec.kind is Kind.TEXTS else f"_frozen({name})"


def _lines(indexes: list[int]) -> str:
    if not indexes:
        return "()"
    return f"tuple(v for v in ({', '.join(f'c[{i}]' for i in indexes)},) if v)"


def _record(plan: Plan, target: str, code: _Writer, indent: int) -> None:
    """Statements setting ``target`` to the record ``plan`` describes, or ``None``.

    Its cells are not all empty; it is ``None`` when what they hold states nothing.
    """
    values = []
    for spec in fields_of(plan.cls):
        kind = spec.kind
        if kind is Kind.PART:
            values.append(_part(spec, plan.parts.get(spec.name), code, indent))
        elif kind is Kind.LIST:
            values.append(_items(spec, plan.lists.get(spec.name, {}), code, indent))
        elif kind is Kind.LINES:
            values.append(_lines([i for _, i in plan.lines.get(spec.name, [])]))
        elif kind in FREE_KINDS:
            values.append(_keyed(spec, plan, code, indent))
        else:
            values.append(_leaf(spec, plan.cells.get(spec.name), code))
    made = f"{_maker(plan.cls, code)}({', '.join(values)})"
    stating = EMPTY_IS_ABSENT.get(plan.cls)
    if stating is None:
        code.add(indent, f"{target} = {made}")
        return
    # name the values the "states something" test looks at, then build or leave out
    names = {}
    for spec, value in zip(fields_of(plan.cls), values, strict=True):
        local = code.fresh("f")
        code.add(indent, f"{local} = {value}")
        names[spec.name] = local
    tests = [
        names[spec.name] if spec.kind in _BY_TRUTH else f"{names[spec.name]} is not None"
        for spec in fields_of(plan.cls)
        if spec.name in stating
    ]
    arguments = ", ".join(names[spec.name] for spec in fields_of(plan.cls))
    code.add(
        indent,
        f"{target} = {_maker(plan.cls, code)}({arguments}) if {' or '.join(tests)} else None",
    )


# kinds that state nothing when empty (tested by truth), beside those that are None
_BY_TRUTH: Final = frozenset(
    (Kind.TEXTS, Kind.STRINGS, Kind.EXTRAS, Kind.LINES, Kind.LIST, Kind.DERIVED)
)


def _part(spec: Field, plan: Plan | None, code: _Writer, indent: int) -> str:
    """Statements reading a part (``None`` when its cells are empty); its local name."""
    if plan is None:
        return "None"
    local = code.fresh("part")
    cells = plan.indexes()
    if spec.shared:  # one object for equal cells: programmes and places repeat by row
        _shared(plan, local, cells, code, indent)
        return local
    code.add(indent, f"{local} = None")
    code.add(indent, f"if {_any(cells)}:")
    _record(plan, local, code, indent + 1)
    return local


def _shared(plan: Plan, local: str, cells: list[int], code: _Writer, indent: int) -> None:
    """Statements setting ``local`` to the object shared by rows with the same cells."""
    make = code.fresh("_make_")
    inner = _Writer(code.styled)
    inner._ids = code._ids
    inner.namespace = code.namespace
    inner.add(0, f"def {make}(c):")
    _record(plan, "made", inner, 1)
    inner.add(1, "return made")
    code.functions.append("\n".join(inner.out))
    code.functions.extend(inner.functions)
    key = ", ".join(f"c[{i}]" for i in cells)
    code.add(indent, f"{local} = None")
    code.add(indent, f"if {_any(cells)}:")
    code.add(indent + 1, f"key = ({make!r}, {key})")
    code.add(indent + 1, f"{local} = _shared_get(key)")
    code.add(indent + 1, f"if {local} is None: {local} = _keep(key, {make}(c))")


def _items(spec: Field, items: dict[int, Plan], code: _Writer, indent: int) -> str:
    """Statements reading a list's items (those with a filled cell); its expression."""
    if not items:
        return "()"
    local = code.fresh("items")
    code.add(indent, f"{local} = []")
    for _, item in sorted(items.items()):
        cells = item.indexes()
        one = code.fresh("item")
        code.add(indent, f"if {_any(cells)}:")
        if spec.shared:
            _shared(item, one, cells, code, indent + 1)
        else:
            _record(item, one, code, indent + 1)
        if item.cls in EMPTY_IS_ABSENT:
            code.add(indent + 1, f"if {one} is not None: {local}.append({one})")
        else:
            code.add(indent + 1, f"{local}.append({one})")
    return f"tuple({local})"


def _missing(name: str) -> Any:
    raise ValueError(f"a record without its {name}")


def compile_builder(plan: Plan, style: NumberStyle | None) -> Callable[[list[str]], Project]:
    """The fast build function for a header's plan (see ``builder.Builder``)."""
    code = _Writer(styled=style is not None and style.decimal == ",")
    code.add(0, "def build(c):")
    _record(plan, "project", code, 1)
    code.add(1, "return project")
    namespace = _helpers(style)
    namespace["_missing"] = _missing
    namespace.update(code.namespace)
    source = "\n\n\n".join([*code.functions, "\n".join(code.out)]) + "\n"
    fast.compile_source(source, "csv builder", namespace)
    build: Callable[[list[str]], Project] = namespace["build"]
    return build

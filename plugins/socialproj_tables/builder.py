"""Canonical rows back to records: a header's plan, and the detailed builder.

A header is read once into a :class:`Plan`, a tree that follows the field table of
:mod:`socialproj.canonical`: for each record class, the column of each of its fields,
the numbered items of its lists, the keyed columns of its texts and extras. A row is
then built from its cells by position — first by the function :mod:`.compiled`
generates from the plan (the fast path), and when that cannot, by
:meth:`Builder.build_detailed`, which reads every cell with the model's own checks and
names a bad one with its column, value and what was expected. The two must give the
same records: ``tests/test_fast_paths.py`` holds them to it. The writing twin is
:mod:`.columns`.

A part (a programme, a period, an amount) or a list item is there when one of its
cells is filled; a field it needs (an identifier's value, a share's source, an amount)
left empty beside filled ones is an error, not a silent gap. A partner's empty role is
the default ``partner``.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any, Final

import attrs

from socialproj import (
    NumberStyle,
    ParseError,
    PartialDate,
    Project,
    is_currency,
    loads_json,
    normalize_rate,
    parse_amount,
    parse_date,
)
from socialproj.canonical import Field, Kind, enum_values, fields_of
from socialproj.mapping import ColumnError

from .columns import FREE_KINDS, column

__all__ = ["Builder", "Cells", "Plan"]

Cells = list[str]


@attrs.define(eq=False)
class Plan:
    """Where the cells of one record (of class ``cls``) are, in a header.

    ``cells`` maps a field holding one value to its column; ``keyed`` a field of texts
    or extras to its ``(column, key, is_json)`` entries; ``lines`` a field of lines to
    its ``(number, column)`` entries; ``parts`` and ``lists`` the plans of the records
    it holds (a list's by position). ``prefix`` is the column name it starts with
    (``partners.2.``).
    """

    cls: type
    prefix: str = ""
    cells: dict[str, int] = attrs.Factory(dict)
    keyed: dict[str, list[tuple[int, str, bool]]] = attrs.Factory(dict)
    lines: dict[str, list[tuple[int, int]]] = attrs.Factory(dict)
    parts: dict[str, Plan] = attrs.Factory(dict)
    lists: dict[str, dict[int, Plan]] = attrs.Factory(dict)

    @classmethod
    def of(cls, header: list[str]) -> Plan:
        """The plan of a header of canonical column names (``ValueError`` for another)."""
        root = cls(Project)
        for index, name in enumerate(header):
            root._add(index, name)
        for entries in root._all_lines():
            entries.sort()
        return root

    def _add(self, index: int, name: str) -> None:
        found = column(name)
        numbers = iter(found.numbers)
        plan = self
        for spec in found.fields[:-1]:
            assert spec.item is not None
            if spec.kind is Kind.PART:
                plan = plan.parts.setdefault(
                    spec.name, Plan(spec.item, f"{plan.prefix}{spec.name}.")
                )
            else:  # a list: its item at the next position
                number = next(numbers)
                items = plan.lists.setdefault(spec.name, {})
                plan = items.setdefault(
                    number, Plan(spec.item, f"{plan.prefix}{spec.name}.{number}.")
                )
        spec = found.field
        if spec.kind in FREE_KINDS:
            assert found.key is not None
            plan.keyed.setdefault(spec.name, []).append((index, found.key, found.json))
        elif spec.kind is Kind.LINES:
            plan.lines.setdefault(spec.name, []).append((next(numbers), index))
        else:
            plan.cells[spec.name] = index

    def _all_lines(self) -> list[list[tuple[int, int]]]:
        found = list(self.lines.values())
        for part in self.parts.values():
            found += part._all_lines()
        for items in self.lists.values():
            for item in items.values():
                found += item._all_lines()
        return found

    def indexes(self) -> list[int]:
        """Every column the record and the records it holds are read from, in order."""
        found = list(self.cells.values())
        found += [index for entries in self.keyed.values() for index, _, _ in entries]
        found += [index for entries in self.lines.values() for _, index in entries]
        for part in self.parts.values():
            found += part.indexes()
        for items in self.lists.values():
            for item in items.values():
                found += item.indexes()
        return sorted(found)


def expected(spec: Field) -> str:
    """What a cell of the field should hold, said for a reader of the finding."""
    kind = spec.kind
    if kind is Kind.ENUM:
        assert spec.item is not None
        return _either(list(enum_values(spec.item)))
    if kind is Kind.DERIVED:
        return f"names among {_either(sorted(spec.derivable))}, separated by spaces"
    return _EXPECTED.get(kind, "text")


def _either(words: list[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} or {words[-1]}"


_EXPECTED: Final = {
    Kind.AMOUNT: "a plain decimal such as 1234.50",
    Kind.CURRENCY: "an ISO 4217 code such as EUR",
    Kind.RATE: "a rate such as 0.85",
    Kind.DATE: "a date such as 2019-11-22",
    Kind.WHOLE: "a whole number",
    Kind.COUNT: "a whole number",
    Kind.EXTRAS: "a JSON value",
}


def _whole(text: str) -> int:
    if not text.strip().isdigit():
        raise ValueError(f"{text!r} is not a whole number")
    return int(text)


class Builder:
    """Builds a :class:`~socialproj.Project` from a canonical row, straight from the cells.

    The header is read once into a :class:`Plan` and a generated function; a row is
    read without building an intermediate dict. Unreadable cells raise
    :class:`~socialproj.mapping.ColumnError`.
    """

    def __init__(self, header: list[str], style: NumberStyle | None = None) -> None:
        self.header = header
        self.style = style
        self.width = len(header)
        self.plan = Plan.of(header)
        from .compiled import compile_builder

        self._fast = compile_builder(self.plan, style)

    def build(self, cells: Cells) -> Project:
        """The project one row describes: the compiled fast path, else the detailed one."""
        try:
            return self._fast(cells)
        except Exception:
            return self.build_detailed(cells)

    def build_detailed(self, cells: Cells) -> Project:
        """The project one row describes, checking each cell and naming a bad one."""
        project: Project = self._record(self.plan, cells)
        return project

    # -- records ---------------------------------------------------------------------

    def _record(self, plan: Plan, cells: Cells) -> Any:
        values = {spec.name: self._field(plan, spec, cells) for spec in fields_of(plan.cls)}
        try:
            return plan.cls(**values)
        except (ValueError, TypeError) as exc:
            at = next((i for i in plan.indexes() if cells[i]), None)
            name = self.header[at] if at is not None else plan.prefix.rstrip(".")
            raise ColumnError(
                name, cells[at] if at is not None else "", f"a valid {plan.cls.__name__}", str(exc)
            ) from None

    def _field(self, plan: Plan, spec: Field, cells: Cells) -> Any:
        kind, name = spec.kind, spec.name
        if kind is Kind.PART:
            part = plan.parts.get(name)
            if part is None or not any(cells[i] for i in part.indexes()):
                return None
            return self._record(part, cells)
        if kind is Kind.LIST:
            items = plan.lists.get(name, {})
            return [
                self._record(item, cells)
                for _, item in sorted(items.items())
                if any(cells[i] for i in item.indexes())
            ]
        if kind is Kind.LINES:
            return [cells[i] for _, i in plan.lines.get(name, ()) if cells[i]]
        if kind in FREE_KINDS:
            values: dict[str, Any] = {}
            for index, key, is_json in plan.keyed.get(name, ()):
                text = cells[index]
                if text:
                    values[key] = self._parse(index, text, loads_json, spec) if is_json else text
            return values
        at = plan.cells.get(name)
        if at is None or not cells[at]:
            return self._empty(plan, spec, cells)
        return self._leaf(at, cells[at], spec)

    def _empty(self, plan: Plan, spec: Field, cells: Cells) -> Any:
        """What an empty (or absent) cell of ``spec`` means in a record that is there."""
        if spec.kind is Kind.COUNT:
            return 0
        if spec.kind is Kind.DERIVED:
            return frozenset()
        if spec.kind is Kind.ENUM and spec.default is not None:
            return spec.default
        if not spec.required:
            return None
        if spec.kind is Kind.TEXT and spec.check is None:
            return ""  # the model takes empty text here (a partner not named)
        filled = next(self.header[i] for i in plan.indexes() if cells[i])
        name = f"{plan.prefix}{spec.name}"
        raise ColumnError(
            name,
            "",
            expected(spec),
            f"is empty beside {filled}: a {plan.cls.__name__.lower()} needs its {spec.name}",
        )

    def _leaf(self, index: int, text: str, spec: Field) -> Any:
        kind = spec.kind
        if kind is Kind.TEXT:
            return text
        if kind is Kind.AMOUNT:
            return self._amount(index, text)
        if kind is Kind.CURRENCY:
            if not is_currency(text):
                raise ColumnError(
                    self.header[index], text, expected(spec), f"{text!r} is not a currency code"
                )
            return text
        if kind is Kind.ENUM:
            assert spec.item is not None
            return self._parse(index, text, spec.item, spec)
        if kind is Kind.RATE:
            return self._parse(index, text, normalize_rate, spec)
        if kind is Kind.DATE:
            return self._date(index, text, spec)
        if kind is Kind.WHOLE or kind is Kind.COUNT:
            return self._parse(index, text, _whole, spec)
        if kind is Kind.DERIVED:
            names = frozenset(text.split())
            if not names <= spec.derivable:
                unknown = ", ".join(sorted(names - spec.derivable))
                raise ColumnError(
                    self.header[index], text, expected(spec), f"names no such field: {unknown}"
                )
            return names
        raise AssertionError(kind)  # pragma: no cover - every leaf kind is handled above

    # -- cells ---------------------------------------------------------------------------

    def _parse(self, index: int, text: str, parse: Callable[[str], Any], spec: Field) -> Any:
        try:
            return parse(text)
        except (ValueError, TypeError) as exc:
            raise ColumnError(self.header[index], text, expected(spec), str(exc)) from None

    def _amount(self, index: int, text: str) -> Decimal:
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
            raise ColumnError(self.header[index], text, _EXPECTED[Kind.AMOUNT], str(exc)) from None

    def _date(self, index: int, text: str, spec: Field) -> PartialDate:
        try:
            return PartialDate.parse(text)
        except ParseError:
            return self._parse(index, text, parse_date, spec)  # type: ignore[no-any-return]

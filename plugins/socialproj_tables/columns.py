"""The canonical CSV layout: column names, their order, and records flattened into rows.

One project per row, nested lists in numbered columns. A column is the path of a field
in the canonical form (:mod:`socialproj.canonical`'s field table) with 1-based numbers
for list items::

    title.en  identifiers.1.scheme  identifiers.1.value  programme.cci
    funding.total.amount  funding.total.currency  funding.shares.1.source
    funding.shares.1.amount.amount  period.start  period.duration.months
    partners.1.name  partners.1.role  partners.1.country  partners.2.name  …
    locations.1.name  results.1  source.fields.funding.total  extras.Cod SMIS

Nothing here names a field: the names, their order and what each holds come from the
field table, so a field added there is a column here. Its twin is
:mod:`socialproj_tables.builder`, which reads the rows back; the round-trip property tests
of ``tests/test_formats.py`` and ``tests/test_fast_paths.py`` hold the two together.

Empty cells are absent values. ``derived`` sets are written as names separated by
spaces; a partner's role is written even when it is the default ``partner``. An
``extras`` value that is not a non-empty string (a number, list, object, ``null`` or
``""``) is written as JSON in a column whose name ends in ``:json``, so that every value
comes back as it was. A key of the record's own choosing (of ``extras``,
``source.fields``, a finding's ``data``, a language) that is empty or itself ends in
``:json`` or ``:text`` is followed by ``:text``, so that any key comes back as it was:
the string ``"[1]"`` under the key ``a:json`` is the column ``extras.a:json:text``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any, Final

import attrs

from socialproj import Project, decimal_text, dumps_json, fast
from socialproj.canonical import FIELDS, Field, Kind, fields_of, headline

__all__ = [
    "BASE_COLUMNS",
    "Column",
    "Columns",
    "column",
    "flatten",
    "free_key",
    "header_name",
    "is_canonical",
    "read_free_key",
]

JSON_SUFFIX: Final = ":json"
#: what follows a free key that could be read as another (empty, or ending in a suffix)
TEXT_SUFFIX: Final = ":text"
#: the kinds whose columns end in a key of the record's choosing (a language, a name)
FREE_KINDS: Final = frozenset((Kind.TEXTS, Kind.STRINGS, Kind.EXTRAS))


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


# -- column names ---------------------------------------------------------------------------

_BY_NAME: Final = {cls: {spec.name: spec for spec in specs} for cls, specs in FIELDS.items()}
_POSITION: Final = {
    cls: {spec.name: i for i, spec in enumerate(specs)} for cls, specs in FIELDS.items()
}


@attrs.frozen
class Column:
    """A canonical column name, read: the fields it enters and where it goes.

    ``fields`` are the field table's rows along the path (``partners.2.budget.amount``:
    the partners, budget and amount fields), ``numbers`` the list positions on the way
    (``(2,)``), ``key`` the free key it ends in (an extras key, a language) and ``json``
    whether its value is written as JSON. ``order`` is where it goes in a header, but for
    its free key, whose place is that of its first sight (:class:`Columns`).
    """

    name: str
    fields: tuple[Field, ...]
    numbers: tuple[int, ...]
    order: tuple[int, ...]
    key: str | None = None
    json: bool = False

    @property
    def field(self) -> Field:
        """The field the column's cell holds (or, for a free key, holds a key of)."""
        return self.fields[-1]

    @property
    def namespace(self) -> str:
        """Its path without list positions and key (``partners.extras``).

        Free keys are numbered by first sight within one namespace.
        """
        return ".".join(spec.name for spec in self.fields)


def _position_number(text: str, name: str) -> int:
    if not text.isdigit() or not text.isascii() or text.startswith("0"):
        raise ValueError(f"{name!r}: {text!r} is not a list position (1, 2, …)")
    return int(text)


@lru_cache(maxsize=4096)
def column(name: str) -> Column:
    """Read a canonical column name; ``ValueError`` for a name that is not one.

    >>> column("partners.2.budget.amount").numbers
    (2,)
    >>> column("extras.a.b:json").key, column("extras.a.b:json").json
    ('a.b', True)
    """
    cls: type = Project
    parts = name.split(".")
    fields: list[Field] = []
    numbers: list[int] = []
    order: list[int] = []
    at = 0
    while True:
        if at == len(parts):
            raise ValueError(f"{name!r} stops before a field")
        spec = _BY_NAME[cls].get(parts[at])
        if spec is None:
            raise ValueError(f"{name!r}: {cls.__name__} has no field {parts[at]!r}")
        fields.append(spec)
        order.append(_POSITION[cls][spec.name])
        at += 1
        kind = spec.kind
        if kind in FREE_KINDS:
            rest = ".".join(parts[at:])
            if at == len(parts):
                raise ValueError(f"{name!r} needs a key after {spec.name}")
            key, is_json = read_free_key(rest, json=kind is Kind.EXTRAS)
            return Column(name, tuple(fields), tuple(numbers), tuple(order), key, is_json)
        if kind is Kind.LIST or kind is Kind.LINES:
            if at == len(parts):
                raise ValueError(f"{name!r} needs a list position after {spec.name}")
            number = _position_number(parts[at], name)
            numbers.append(number)
            order.append(number)
            at += 1
        if kind is Kind.LIST or kind is Kind.PART:
            assert spec.item is not None
            cls = spec.item
            continue
        if at != len(parts):
            raise ValueError(f"{name!r}: {spec.name} holds no fields")
        return Column(name, tuple(fields), tuple(numbers), tuple(order))


def is_canonical(name: str) -> bool:
    """Whether a header cell names a canonical column."""
    try:
        column(name)
    except ValueError:
        return False
    return True


def header_name(cell: str) -> str:
    """A header cell as a column name: white space (and a BOM) trimmed, but not a key's.

    ``" title.en "`` names ``title.en``; ``"extras.note "`` keeps the space that ends
    the key ``note `` (a round trip must not change a key of the record's own; a
    language code has no spaces).
    """
    name = cell.lstrip().lstrip("\ufeff").lstrip()
    trimmed = name.rstrip()
    if trimmed != name:
        try:
            if column(name).field.kind in (Kind.EXTRAS, Kind.STRINGS):
                return name
        except ValueError:
            pass
    return trimmed


#: Columns every canonical CSV has, whatever its records hold: the headline fields.
BASE_COLUMNS: Final = tuple(".".join(path) for path, _ in headline())


class Columns:
    """The columns seen while flattening records, and their canonical order."""

    def __init__(self) -> None:
        self.keys: dict[str, tuple[int, ...]] = {}
        self._seen: dict[str, dict[str, int]] = {}
        for name in BASE_COLUMNS:
            self.keys[name] = self.sort_key(name)

    def seq(self, namespace: str, name: str) -> int:
        """A stable number for a free key (a language, an extras key), by first sight."""
        seen = self._seen.setdefault(namespace, {})
        return seen.setdefault(name, len(seen))

    def sort_key(self, name: str) -> tuple[int, ...]:
        """Where a column goes in the canonical order: the field table's, keys by sight."""
        found = column(name)
        if found.key is None:
            return found.order
        return (*found.order, self.seq(found.namespace, found.key))

    def header(self) -> list[str]:
        """Every column seen, in canonical order."""
        return sorted(self.keys, key=self.keys.__getitem__)

    def add(self, row: dict[str, str]) -> None:
        """Take in the columns a row holds (in the row's order, for a stable header)."""
        keys = self.keys
        if row.keys() - keys.keys():
            for name in row:
                if name not in keys:
                    keys[name] = self.sort_key(name)


# -- flattening: a generated function, field by field ------------------------------------


def _json_cell(value: Any) -> bool:
    """Whether an extras value is written as JSON: anything but a non-empty string."""
    return not (isinstance(value, str) and value)


def _extras_cells(row: dict[str, str], prefix: str, values: Any) -> None:
    for key, value in values.items():
        if _json_cell(value):
            row[prefix + free_key(key, json=True)] = dumps_json(value).decode("utf-8")
        else:
            row[prefix + free_key(key)] = value


class _Code:
    """The source of the flattening function, written statement by statement."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.depth = 0  # lists entered, for unique loop names

    def add(self, indent: int, text: str) -> None:
        self.lines.append("    " * indent + text)


def _key(prefix: tuple[str | None, str], name: str) -> str:
    """The expression of a column name: a literal at the top, else the loop's prefix + it."""
    variable, literal = prefix
    return repr(literal + name) if variable is None else f"{variable} + {literal + name!r}"


def _flatten_fields(
    cls: type, value: str, prefix: tuple[str | None, str], code: _Code, indent: int
) -> None:
    """Statements writing the cells of the record ``value`` (of ``cls``) into ``row``."""
    for spec in fields_of(cls):
        name, kind = spec.name, spec.kind
        got = f"{value}.{name}"
        key = _key(prefix, name)
        local = f"v{indent}"
        if kind is Kind.PART:
            assert spec.item is not None
            code.add(indent, f"{local} = {got}")
            code.add(indent, f"if {local} is not None:")
            part = f"p{indent}"
            code.add(indent + 1, f"{part} = {local}")
            _flatten_fields(spec.item, part, (prefix[0], f"{prefix[1]}{name}."), code, indent + 1)
        elif kind is Kind.LIST:
            assert spec.item is not None
            code.depth += 1
            item, number, inner = f"x{code.depth}", f"i{code.depth}", f"q{code.depth}"
            code.add(indent, f"for {number}, {item} in enumerate({got}, 1):")
            code.add(indent + 1, f"{inner} = {_key(prefix, name + '.')} + str({number}) + '.'")
            _flatten_fields(spec.item, item, (inner, ""), code, indent + 1)
        elif kind is Kind.LINES:
            code.add(indent, f"for number, line in enumerate({got}, 1):")
            code.add(indent + 1, f"row[{_key(prefix, name + '.')} + str(number)] = line")
        elif kind is Kind.TEXTS or kind is Kind.STRINGS:
            code.add(indent, f"for k, t in {got}.items():")
            code.add(indent + 1, f"row[{_key(prefix, name + '.')} + _free_key(k)] = t")
        elif kind is Kind.EXTRAS:
            code.add(indent, f"{local} = {got}")
            code.add(indent, f"if {local}: _extras_cells(row, {_key(prefix, name + '.')}, {local})")
        else:
            text = _TEXT_OF[kind]
            always = spec.required or kind is Kind.COUNT or spec.default is not None
            if always:
                code.add(indent, f"row[{key}] = {text.format(got)}")
            else:
                code.add(indent, f"{local} = {got}")
                test = f"{local}" if kind is Kind.DERIVED else f"{local} is not None"
                code.add(indent, f"if {test}: row[{key}] = {text.format(local)}")


#: how a leaf value becomes cell text (``{}`` is the value)
_TEXT_OF: Final = {
    Kind.TEXT: "{}",
    Kind.CURRENCY: "{}",
    Kind.WHOLE: "str({})",
    Kind.COUNT: "str({})",
    Kind.AMOUNT: "_decimal_text({})",
    Kind.RATE: "_decimal_text({})",
    Kind.DATE: "{}.isoformat()",
    Kind.ENUM: "{}.value",
    Kind.DERIVED: "' '.join(sorted({}))",
}


def _compile_flatten() -> Callable[[Project], dict[str, str]]:
    code = _Code()
    code.add(0, "def flatten(o):")
    code.add(1, "row = {}")
    _flatten_fields(Project, "o", (None, ""), code, 1)
    code.add(1, "return row")
    namespace: dict[str, Any] = {
        "_decimal_text": decimal_text,
        "_free_key": free_key,
        "_extras_cells": _extras_cells,
    }
    fast.compile_source("\n".join(code.lines) + "\n", "csv flatten", namespace)
    function: Callable[[Project], dict[str, str]] = namespace["flatten"]
    return function


_flatten: Final = _compile_flatten()


def flatten(project: Project, columns: Columns | None = None) -> dict[str, str]:
    """One record as a row: column name → cell text (empty values are left out).

    The row's columns are not yet in ``columns``: :meth:`Columns.add` takes them in once
    the row is to be written (a refused record adds no column to the header). Raises
    ``ValueError`` for an extras value no JSON cell can hold.
    """
    del columns  # the order is the header's business, not the row's
    return _flatten(project)

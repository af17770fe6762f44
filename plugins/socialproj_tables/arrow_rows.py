"""Canonical rows to Arrow record batches column by column: the csv format's bulk path.

A batch of rows is turned into the columns of :func:`socialproj.arrow_schema` with
pyarrow's compute kernels, one column of cells at a time, with no record built per row.
Only cells written the way the canonical writers write them are read here: plain
decimals, ISO dates, currency codes and enumeration values as written, JSON extras
that are whole numbers, booleans or ``null``. Every other filled cell, and every part
that lacks a field it needs, marks its row: :class:`ColumnReader` says which rows it
could not settle, and the caller builds those through the detailed builder, so that a
row gives exactly the record, or the problem, that the object path gives.
``tests/test_bulk.py`` holds the two paths together over generated files.

The plan of the header (:class:`.builder.Plan`) says where each field's cells are; the
field table of :mod:`socialproj.canonical` says what each holds. Nothing here names a
field.
"""

from __future__ import annotations

import itertools
from functools import cache
from typing import Any, Final

from socialproj import NumberStyle, arrow_schema, currency_codes, dumps_json
from socialproj.canonical import EMPTY_IS_ABSENT, Field, Kind, fields_of

from .builder import Plan

__all__ = ["ColumnReader"]

#: the precisions of a date, in the order of the Arrow dictionary this module writes
_PRECISIONS: Final = ("year", "month", "day", "quarter")
_YEAR: Final = "(?:19|20)[0-9]{2}"
_DATES: Final = {  # each precision's cells, and the text that makes its first day
    "day": rf"^{_YEAR}-[0-9]{{2}}-[0-9]{{2}}$",
    "month": rf"^{_YEAR}-(?:0[1-9]|1[0-2])$",
    "year": rf"^{_YEAR}$",
    "quarter": rf"^{_YEAR}-Q[1-4]$",
}
_AMOUNT: Final = r"^-?[0-9]{1,28}(?:\.[0-9]{1,10})?$"  # what decimal128(38, 10) holds
_WHOLE_AMOUNT: Final = r"^-?[0-9]{1,28}$"  # in a decimal-comma file "1.000" is a thousand
_RATE: Final = r"^(?:0(?:\.[0-9]{1,18})?|1(?:\.0{1,18})?)$"  # a fraction, kept as written
_WHOLE: Final = {Kind.WHOLE: r"^[0-9]{1,18}$", Kind.COUNT: r"^[0-9]{1,9}$"}
#: JSON extras read here: they come back from JSON as they are written
_JSON_PLAIN: Final = r"^(?:-?(?:0|[1-9][0-9]{0,14})|true|false|null)$"
#: what a JSON string writes escaped with a letter; other control characters are not read here
_ESCAPES: Final = (("\\", "\\\\"), ('"', '\\"'), ("\n", "\\n"), ("\r", "\\r"), ("\t", "\\t"))
_OTHER_CONTROLS: Final = r"[\x00-\x08\x0b\x0c\x0e-\x1f]"
#: a text with none of these is blank to Python's ``str.strip``
_NOT_BLANK: Final = r"[^\s\p{Z}\p{Cc}]"


def _modules() -> tuple[Any, Any]:
    import pyarrow
    import pyarrow.compute

    return pyarrow, pyarrow.compute


@cache
def _spellings(derivable: frozenset[str]) -> tuple[str, ...]:
    """Every cell a ``derived`` field is written as: its names sorted, spaces between."""
    names = sorted(derivable)
    found = [""]
    for size in range(1, len(names) + 1):
        found += [" ".join(chosen) for chosen in itertools.combinations(names, size)]
    return tuple(found)


class ColumnReader:
    """Reads batches of canonical rows under one header into Arrow, column by column."""

    def __init__(self, plan: Plan, style: NumberStyle | None) -> None:
        self.plan = plan
        comma = style is not None and style.decimal == ","
        self._amount = _WHOLE_AMOUNT if comma else _AMOUNT
        self.schema = arrow_schema()

    def read(self, rows: list[list[str]]) -> tuple[Any, list[bool]]:
        """The rows as one record batch, and for each row whether it could not be settled.

        A row that could not be settled holds anything in the batch: leave it out.
        """
        return self._read(_Batch(list(zip(*rows, strict=True)), len(rows), self._amount))

    def read_columns(self, columns: list[Any]) -> tuple[Any, list[bool]]:
        """As :meth:`read`, for rows given as Arrow text columns (one per header column).

        An empty cell is null in them.
        """
        return self._read(_Batch(columns, len(columns[0]) if columns else 0, self._amount))

    def _read(self, batch: _Batch) -> tuple[Any, list[bool]]:
        pa, _ = _modules()
        fields = [self.schema.field(name) for name in self.schema.names]
        arrays = batch.record(self.plan, self.plan.cls, batch.everywhere, fields)
        table = pa.RecordBatch.from_arrays(arrays, schema=self.schema)
        return table, batch.bad.to_pylist()


class _Batch:
    """One batch of rows, its cells column by column, and the rows found unsettled."""

    def __init__(self, columns: list[Any], size: int, amount: str) -> None:
        pa, pc = _modules()
        self.pa, self.pc = pa, pc
        self.size = size
        self.columns = columns  # tuples of cells, or Arrow text arrays
        self.amount = amount
        self.everywhere = pa.repeat(pa.scalar(True), self.size)
        self.nowhere = pa.repeat(pa.scalar(False), self.size)
        self.bad = self.nowhere
        self._cells: dict[int, tuple[Any, Any]] = {}
        self._stated: dict[int, Any] = {}  # by the id of a plan, which outlives the batch
        self._words = pa.dictionary(pa.int32(), pa.string())

    # -- cells ---------------------------------------------------------------------------

    def flag(self, mask: Any) -> None:
        """Mark the rows of ``mask`` (a boolean array, nulls false) as not settled here."""
        if mask.null_count:
            mask = self.pc.fill_null(mask, False)
        self.bad = self.pc.or_(self.bad, mask)

    def cells(self, index: int) -> tuple[Any, Any]:
        """Column ``index``: its texts (empty cells null) and where it is filled."""
        found = self._cells.get(index)
        if found is None:
            pa, pc = self.pa, self.pc
            column = self.columns[index]
            if isinstance(column, pa.Array):  # parsed with empty cells null
                found = self._cells[index] = (column, pc.is_valid(column))
                return found
            try:
                texts = pa.array(column, pa.string())
            except (UnicodeEncodeError, pa.ArrowException):
                # half of a UTF-16 pair, which UTF-8 cannot carry: the detailed path says so
                unfit = [not _encodes(cell) for cell in column]
                self.flag(pa.array(unfit, pa.bool_()))
                texts = pa.array(
                    ["" if u else c for u, c in zip(unfit, column, strict=True)], pa.string()
                )
            filled = pc.not_equal(texts, "")
            found = self._cells[index] = (pc.if_else(filled, texts, None), filled)
        return found

    def filled(self, indexes: list[int]) -> Any:
        """Where any of the columns is filled."""
        if not indexes:
            return self.nowhere
        found = self.cells(indexes[0])[1]
        for index in indexes[1:]:
            found = self.pc.or_(found, self.cells(index)[1])
        return found

    def stated(self, plan: Plan) -> Any:
        """Where any cell of a record's plan (its own, its parts', its items') is filled.

        Built from the records it holds, each once: a plan's mask serves every level.
        """
        found = self._stated.get(id(plan))
        if found is None:
            own = list(plan.cells.values())
            own += [index for entries in plan.keyed.values() for index, _, _ in entries]
            own += [index for entries in plan.lines.values() for _, index in entries]
            found = self.filled(own)
            for part in plan.parts.values():
                found = self.pc.or_(found, self.stated(part))
            for items in plan.lists.values():
                for item in items.values():
                    found = self.pc.or_(found, self.stated(item))
            self._stated[id(plan)] = found
        return found

    def unless(self, pattern: str, texts: Any, present: Any) -> Any:
        """``texts`` where they match ``pattern``; the other filled cells flag their rows."""
        pc = self.pc
        fits = pc.match_substring_regex(texts, pattern)
        self.flag(pc.and_(present, pc.invert(fits)))
        return pc.if_else(fits, texts, None)

    # -- records -------------------------------------------------------------------------

    def record(self, plan: Plan | None, cls: type, present: Any, fields: list[Any]) -> list[Any]:
        """The arrays of a record class's columns (``present``: the rows it is there in).

        ``fields`` are the Arrow fields of the class's columns, as the schema has them.
        """
        arrays: list[Any] = []
        types = {field.name: field.type for field in fields}
        for spec in fields_of(cls):
            arrays.extend(self.field(plan, spec, present, types[spec.name]))
        return arrays

    def field(self, plan: Plan | None, spec: Field, present: Any, kind_of: Any) -> list[Any]:
        """The array (or arrays: a value and its scale or precision) of one field."""
        pa = self.pa
        kind = spec.kind
        if kind is Kind.PART:
            part = plan.parts.get(spec.name) if plan else None
            return [self.part(part, spec, present, kind_of)]
        if kind is Kind.LIST:
            items = sorted(plan.lists.get(spec.name, {}).items()) if plan else []
            return [self.items([item for _, item in items], spec, present, kind_of.value_type)]
        if kind is Kind.LINES:
            numbered = plan.lines.get(spec.name, []) if plan else []
            return [self.lines([index for _, index in numbered])]
        if kind in (Kind.TEXTS, Kind.STRINGS, Kind.EXTRAS):
            keyed = plan.keyed.get(spec.name, []) if plan else []
            if kind is Kind.EXTRAS:
                return [self.extras(keyed, present)]
            return [self.mapping(keyed, present)]
        index = plan.cells.get(spec.name) if plan else None
        if index is None:
            texts = pa.nulls(self.size, pa.string())
            filled = self.nowhere
        else:
            texts, filled = self.cells(index)
        if spec.required and not (spec.kind is Kind.TEXT and spec.check is None):
            self.flag(self.pc.and_(present, self.pc.invert(filled)))  # the builder says what
        return self.leaf(spec, texts, filled, present)

    def leaf(self, spec: Field, texts: Any, filled: Any, present: Any) -> list[Any]:
        pa, pc = self.pa, self.pc
        kind = spec.kind
        if kind is Kind.TEXT:
            if spec.check == "nonblank":
                self.flag(pc.and_(filled, pc.invert(pc.match_substring_regex(texts, _NOT_BLANK))))
            elif spec.check == "root":
                self.flag(pc.and_(filled, pc.invert(pc.starts_with(texts, "$"))))
            elif spec.required:  # a partner not named: the model takes ""
                texts = pc.fill_null(texts, "")
            return [texts]
        if kind is Kind.ENUM:
            assert spec.item is not None
            words = [member.value for member in spec.item]  # type: ignore[attr-defined]
            if spec.default is not None:
                texts = pc.fill_null(texts, spec.default.value)
            return [self.words(texts, words, present)]
        if kind is Kind.CURRENCY:
            return [self.words(texts, sorted(currency_codes()), present)]
        if kind is Kind.AMOUNT:
            return self.scaled(self.unless(self.amount, texts, present), 10)
        if kind is Kind.RATE:
            return self.scaled(self.unless(_RATE, texts, present), 18)
        if kind is Kind.DATE:
            return self.date(texts, present)
        if kind in _WHOLE:
            texts = self.unless(_WHOLE[kind], texts, present)
            if kind is Kind.COUNT:
                texts = pc.fill_null(texts, "0")
            return [pc.cast(texts, pa.int64() if kind is Kind.WHOLE else pa.int32())]
        if kind is Kind.DERIVED:
            spellings = _spellings(spec.derivable)
            at = pc.index_in(pc.fill_null(texts, ""), value_set=pa.array(spellings, pa.string()))
            self.flag(pc.and_(present, pc.is_null(at)))
            lists = pa.array([s.split() for s in spellings], pa.list_(pa.string()))
            return [pc.take(lists, pc.fill_null(at, 0))]
        raise AssertionError(kind)  # pragma: no cover - every leaf kind is handled above

    def words(self, texts: Any, words: list[str], present: Any) -> Any:
        """Texts among ``words``, as a dictionary array; other filled cells flag their rows."""
        pa, pc = self.pa, self.pc
        at = pc.index_in(texts, value_set=pa.array(words, pa.string()))
        self.flag(pc.and_(present, pc.and_(pc.is_valid(texts), pc.is_null(at))))
        return _dictionary(at, words)

    def scaled(self, texts: Any, scale: int) -> list[Any]:
        """Plain decimals as ``decimal128(38, scale)``, with the decimals each is written with."""
        pa, pc = self.pa, self.pc
        value = pc.cast(texts, pa.decimal128(38, scale))
        point = pc.find_substring(texts, ".")
        places = pc.if_else(
            pc.less(point, 0), 0, pc.subtract(pc.subtract(pc.utf8_length(texts), point), 1)
        )
        return [value, pc.cast(places, pa.int8())]

    def date(self, texts: Any, present: Any) -> list[Any]:
        """ISO dates as their first day, with their precision beside them."""
        pa, pc = self.pa, self.pc
        precision = pa.nulls(self.size, pa.int32())
        first_day = texts
        for number, name in enumerate(_PRECISIONS):
            fits = pc.match_substring_regex(texts, _DATES[name])
            precision = pc.if_else(fits, number, precision)
        first_day = pc.if_else(
            pc.equal(precision, 0), pc.binary_join_element_wise(texts, "-01-01", ""), first_day
        )
        first_day = pc.if_else(
            pc.equal(precision, 1), pc.binary_join_element_wise(texts, "-01", ""), first_day
        )
        for quarter, month in (("-Q1", "-01-01"), ("-Q2", "-04-01"), ("-Q3", "-07-01")):
            first_day = pc.replace_substring(first_day, quarter, month)
        first_day = pc.replace_substring(first_day, "-Q4", "-10-01")
        stamp = pc.strptime(first_day, format="%Y-%m-%d", unit="s", error_is_null=True)
        day = pc.cast(stamp, pa.date32())
        self.flag(pc.and_(present, pc.and_(pc.is_valid(texts), pc.is_null(day))))
        day = pc.if_else(pc.is_null(precision), None, day)
        return [day, _dictionary(precision, list(_PRECISIONS))]

    # -- parts, lists, keyed fields ------------------------------------------------------

    def part(self, plan: Plan | None, spec: Field, present: Any, struct: Any) -> Any:
        """A part (a struct), there in the rows where one of its cells is filled."""
        pa, pc = self.pa, self.pc
        assert spec.item is not None
        if plan is None:  # no columns: absent everywhere, with values under it as above
            plan = Plan(spec.item)
        there = pc.and_(present, self.stated(plan))
        fields = [struct.field(i) for i in range(struct.num_fields)]
        counted = EMPTY_IS_ABSENT.get(spec.item)
        if counted is not None:  # a period of derived names only states nothing
            stated = self.filled(_indexes_of(plan, counted))
            self.flag(pc.and_(there, pc.invert(stated)))
        children = self.record(plan, spec.item, there, fields)
        # a field that is never null holds a value under an absent part too (as Arrow
        # builds it from records): Parquet refuses a null there
        children = [
            child if field.nullable else _zero_filled(child)
            for child, field in zip(children, fields, strict=True)
        ]
        return pa.StructArray.from_arrays(children, fields=fields, mask=pc.invert(there))

    def items(self, plans: list[Plan], spec: Field, present: Any, struct: Any) -> Any:
        """A list of records: each row's numbered items that are there, in order."""
        pa, pc = self.pa, self.pc
        assert spec.item is not None
        fields = [struct.field(i) for i in range(struct.num_fields)]
        structs, where = [], []
        for plan in plans:
            there = pc.and_(present, self.stated(plan))
            children = self.record(plan, spec.item, there, fields)
            structs.append(pa.StructArray.from_arrays(children, fields=fields))
            where.append(there)
        values = pa.concat_arrays(structs) if structs else pa.array([], struct)
        return self.listed(values, where, struct)

    def listed(self, values: Any, where: list[Any], item_type: Any) -> Any:
        """Lists of ``values`` (the items of each position, one after the other) where there.

        ``values`` holds ``len(where)`` blocks of one value per row; row ``r`` gets the
        values of the blocks where ``where[block][r]``, in block order.
        """
        pa, pc = self.pa, self.pc
        size = self.size
        if not where:
            return pa.ListArray.from_arrays(pa.array([0] * (size + 1), pa.int32()), values)
        counts = pc.cast(where[0], pa.int32())
        for there in where[1:]:
            counts = pc.add(counts, pc.cast(there, pa.int32()))
        offsets = pa.concat_arrays(
            [pa.array([0], pa.int32()), pc.cumulative_sum(counts).cast(pa.int32())]
        )
        if len(where) == 1:
            taken = pc.filter(pa.array(range(size), pa.int64()), where[0])
        else:  # the blocks' values row by row: value k of row r is at k * size + r
            blocks = len(where)
            cells = pa.array(range(size * blocks), pa.int64())
            at = pc.add(
                pc.multiply(
                    pc.subtract(cells, pc.multiply(pc.divide(cells, blocks), blocks)), size
                ),
                pc.divide(cells, blocks),
            )
            there = pc.take(pa.concat_arrays(where), at)
            taken = pc.filter(at, there)
        return pa.ListArray.from_arrays(offsets, pc.take(values, taken), pa.list_(item_type))

    def lines(self, indexes: list[int]) -> Any:
        pa = self.pa
        if not indexes:
            return self.listed(pa.array([], pa.string()), [], pa.string())
        columns = [self.cells(index) for index in indexes]
        values = pa.concat_arrays([texts for texts, _ in columns])
        return self.listed(values, [filled for _, filled in columns], pa.string())

    def mapping(self, entries: list[tuple[int, str, bool]], present: Any) -> Any:
        """Texts keyed by a language or name, as a map, in the header's order."""
        pa, pc = self.pa, self.pc
        kind = pa.map_(pa.string(), pa.string())
        if not entries:
            empty = pa.array([], pa.string())
            offsets = pa.array([0] * (self.size + 1), pa.int32())
            return pa.MapArray.from_arrays(offsets, empty, empty, type=kind)
        columns = []
        for index, _, is_json in entries:
            texts, filled = self.cells(index)
            if is_json:
                self.flag(pc.and_(present, filled))
            columns.append((texts, filled))
        keys = pa.concat_arrays(
            [pa.repeat(pa.scalar(key, pa.string()), self.size) for _, key, _ in entries]
        )
        values = pa.concat_arrays([texts for texts, _ in columns])
        entry = pa.StructArray.from_arrays([keys, values], names=["key", "value"])
        lists = self.listed(entry, [filled for _, filled in columns], entry.type)
        return pa.MapArray.from_arrays(
            lists.offsets, lists.values.field(0), lists.values.field(1), type=kind
        )

    def extras(self, entries: list[tuple[int, str, bool]], present: Any) -> Any:
        """Extras as the JSON text of an object, keys in the header's order."""
        pa, pc = self.pa, self.pc
        if not entries:
            return pa.nulls(self.size, pa.string())
        pieces = []
        for index, key, is_json in entries:
            texts, filled = self.cells(index)
            named = dumps_json(key).decode("utf-8") + ":"
            if is_json:
                value = self.unless(_JSON_PLAIN, texts, present)
            else:
                unsure = pc.match_substring_regex(texts, _OTHER_CONTROLS)
                self.flag(pc.and_(present, unsure))
                value = texts
                for plain, escaped in _ESCAPES:
                    value = pc.replace_substring(value, plain, escaped)
                value = pc.binary_join_element_wise('"', value, '"', "")
            pieces.append(pc.binary_join_element_wise(named, value, ""))
        stated = pc.is_valid(pieces[0])
        for piece in pieces[1:]:
            stated = pc.or_(stated, pc.is_valid(piece))
        # each piece after a comma, missing ones empty: then the first comma dropped
        filled = [pc.fill_null(pc.binary_join_element_wise(",", p, ""), "") for p in pieces]
        joined = filled[0] if len(filled) == 1 else pc.binary_join_element_wise(*filled, "")
        joined = pc.if_else(stated, pc.utf8_slice_codeunits(joined, 1), None)
        return pc.binary_join_element_wise("{", joined, "}", "")


def _dictionary(indices: Any, words: list[str]) -> Any:
    """A dictionary array of ``words`` at ``indices`` (null where they are)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    # zeros under the nulls, not what a kernel left there: a full validation checks them
    valid = pa.concat_arrays([pc.is_valid(indices)])
    at = pa.concat_arrays([pc.cast(pc.fill_null(indices, 0), pa.int32())])
    clean = pa.Array.from_buffers(pa.int32(), len(at), [valid.buffers()[1], at.buffers()[1]])
    return pa.DictionaryArray.from_arrays(clean, pa.array(words, pa.string()))


def _zero_filled(array: Any) -> Any:
    """``array`` with its nulls zero, empty text or the first word of its dictionary."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if not array.null_count:
        return array
    kind = array.type
    if pa.types.is_dictionary(kind):
        return pa.DictionaryArray.from_arrays(pc.fill_null(array.indices, 0), array.dictionary)
    if pa.types.is_string(kind):
        return pc.fill_null(array, "")
    return pc.fill_null(array, pa.scalar(0, pa.int64()).cast(kind))


def _encodes(cell: str) -> bool:
    try:
        cell.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _indexes_of(plan: Plan, names: tuple[str, ...]) -> list[int]:
    """The columns the named fields of a record (and the records they hold) are read from."""
    found = [plan.cells[name] for name in names if name in plan.cells]
    found += [i for name in names for i, _, _ in plan.keyed.get(name, [])]
    found += [i for name in names for _, i in plan.lines.get(name, [])]
    for name in names:
        if name in plan.parts:
            found += plan.parts[name].indexes()
        for item in plan.lists.get(name, {}).values():
            found += item.indexes()
    return found

"""Records as Arrow tables: one schema for the canonical form, built from the field table.

The schema is the same whatever the records hold, so that files written by different
runs or workers combine: texts in languages are maps (language → text), amounts exact
decimals (``decimal128(38, 10)``, which DuckDB and Polars sum exactly) with their scale
beside them (``amount_scale``: the decimals as written, so ``424.835`` and ``1000.00``
come back as written), partial dates Arrow dates with their precision beside them
(``start_precision``: ``day``, ``month``, ``quarter`` or ``year``; the date is
its first day), enumerations and currencies
dictionary strings, extras JSON text (exact numbers), raw source fields and a finding's
data maps, lists of records lists of structs. Every column is derived from
:data:`socialproj.canonical.table.FIELDS`; ``docs/reference/arrow.md`` shows it.

pyarrow is an optional dependency (``pip install socialproj[arrow]``), imported on first
use.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from functools import cache
from typing import Any, Final

from .canonical import from_dict
from .canonical.table import Field, Kind, fields_of
from .jsonvalues import dumps_json, loads_json
from .model import Project

__all__ = [
    "AMOUNT_SCALE",
    "ARROW_SCHEMA_VERSION",
    "RATE_SCALE",
    "arrow_schema",
    "from_arrow",
    "record_batches",
    "to_arrow",
]

#: The version of the Arrow schema; written in the schema's metadata.
ARROW_SCHEMA_VERSION: Final = 1
#: Decimals an amount column holds: amounts with more are refused, never rounded.
AMOUNT_SCALE: Final = 10
#: Decimals a rate column holds.
RATE_SCALE: Final = 18
_PRECISIONS: Final = ("year", "month", "day", "quarter")
_SCALED: Final = {Kind.AMOUNT: AMOUNT_SCALE, Kind.RATE: RATE_SCALE}


def _pyarrow() -> Any:
    try:
        import pyarrow
    except ImportError:  # pragma: no cover - the message is the point
        raise ImportError(
            "socialproj's Arrow and Parquet support needs pyarrow: pip install 'socialproj[arrow]'"
        ) from None
    return pyarrow


# -- the schema -------------------------------------------------------------------------------


def _fields(cls: type) -> list[Any]:
    pa = _pyarrow()
    words = pa.dictionary(pa.int32(), pa.string())
    out = []
    for spec in fields_of(cls):
        kind, name = spec.kind, spec.name
        nullable = not spec.required
        if kind in _SCALED:
            out.append(pa.field(name, pa.decimal128(38, _SCALED[kind]), nullable))
            out.append(pa.field(f"{name}_scale", pa.int8(), nullable))
        elif kind is Kind.DATE:
            out.append(pa.field(name, pa.date32()))
            out.append(pa.field(f"{name}_precision", words))
        else:
            out.append(pa.field(name, _type(spec, pa, words), nullable))
    return out


def _item(spec: Field) -> type:
    assert spec.item is not None, spec.name  # the table gives every part and list its class
    return spec.item


def _type(spec: Field, pa: Any, words: Any) -> Any:
    kind = spec.kind
    if kind in (Kind.TEXT, Kind.EXTRAS):
        return pa.string()
    if kind in (Kind.TEXTS, Kind.STRINGS):
        return pa.map_(pa.string(), pa.string())
    if kind in (Kind.LINES, Kind.DERIVED):
        return pa.list_(pa.string())
    if kind in (Kind.ENUM, Kind.CURRENCY):
        return words
    if kind is Kind.WHOLE:
        return pa.int64()
    if kind is Kind.COUNT:
        return pa.int32()
    if kind is Kind.PART:
        return pa.struct(_fields(_item(spec)))
    if kind is Kind.LIST:
        return pa.list_(pa.struct(_fields(_item(spec))))
    raise AssertionError(f"no Arrow type for {kind}")  # pragma: no cover - the table's kinds


@cache
def arrow_schema() -> Any:
    """The Arrow schema of projects (a ``pyarrow.Schema``), the same for every record.

    >>> schema = arrow_schema()
    >>> str(schema.field("funding").type.field("total").type.field("amount").type)
    'decimal128(38, 10)'
    """
    pa = _pyarrow()
    metadata = {"socialproj.arrow_schema_version": str(ARROW_SCHEMA_VERSION)}
    return pa.schema(_fields(Project), metadata=metadata)


# -- records to Arrow -------------------------------------------------------------------------


def _row(record: Any) -> dict[str, Any]:
    row: dict[str, Any] = {}
    for spec in fields_of(type(record)):
        value = getattr(record, spec.name)
        kind, name = spec.kind, spec.name
        if kind in _SCALED:
            row[name], row[f"{name}_scale"] = _scaled(value, _SCALED[kind], record)
        elif kind is Kind.DATE:
            if value is None:
                row[name] = row[f"{name}_precision"] = None
            else:
                row[name] = value.earliest()
                row[f"{name}_precision"] = value.precision
        else:
            row[name] = _value(spec, value)
    return row


def _scaled(value: Decimal | None, scale: int, record: Any) -> tuple[Decimal | None, int | None]:
    if value is None:
        return None, None
    exponent = int(value.as_tuple().exponent)
    places = max(0, -exponent)
    if places > scale:
        raise ValueError(
            f"{value} in {type(record).__name__} has {places} decimals; an Arrow column of "
            f"socialproj holds {scale}"
        )
    return value, places


def _value(spec: Field, value: Any) -> Any:
    kind = spec.kind
    if kind is Kind.TEXT or kind is Kind.WHOLE or kind is Kind.COUNT or kind is Kind.CURRENCY:
        return value
    if kind is Kind.ENUM:
        return None if value is None else value.value
    if kind in (Kind.TEXTS, Kind.STRINGS):
        return list(value.items())
    if kind is Kind.LINES:
        return list(value)
    if kind is Kind.DERIVED:
        return sorted(value)
    if kind is Kind.EXTRAS:
        return dumps_json(dict(value)).decode("utf-8") if value else None
    if kind is Kind.PART:
        return None if value is None else _row(value)
    if kind is Kind.LIST:
        return [_row(item) for item in value]
    raise AssertionError(f"no Arrow value for {kind}")  # pragma: no cover


def record_batches(
    projects: Iterable[Project],
    *,
    batch_size: int = 10_000,
    refused: Callable[[int, Project, ValueError], None] | None = None,
) -> Iterator[Any]:
    """The projects as ``pyarrow.RecordBatch`` objects of ``batch_size`` rows, as they come.

    Memory holds one batch. A project the schema cannot hold exactly (an amount with
    more decimals than :data:`AMOUNT_SCALE`) raises ``ValueError``; with ``refused``, it
    is left out and ``refused(number, project, error)`` told (``number`` counts from 1).
    """
    pa = _pyarrow()
    schema = arrow_schema()
    rows: list[dict[str, Any]] = []
    held: list[tuple[int, Project]] = []
    for number, project in enumerate(projects, 1):
        try:
            rows.append(_row(project))
        except ValueError as exc:
            if refused is None:
                raise
            refused(number, project, exc)
            continue
        held.append((number, project))
        if len(rows) >= batch_size:
            yield _batch(pa, schema, rows, held, refused)
            rows, held = [], []
    if rows:
        yield _batch(pa, schema, rows, held, refused)


def _batch(
    pa: Any,
    schema: Any,
    rows: list[dict[str, Any]],
    held: list[tuple[int, Project]],
    refused: Callable[[int, Project, ValueError], None] | None,
) -> Any:
    """One batch of ``rows``; a row Arrow cannot hold (a lone surrogate) refused alone."""
    failures = (UnicodeEncodeError, OverflowError, pa.ArrowException)
    try:
        return pa.RecordBatch.from_pylist(rows, schema=schema)
    except failures as exc:
        if refused is None:
            raise ValueError(f"a project cannot be held in Arrow: {exc}") from None
    good = []
    for (number, project), row in zip(held, rows, strict=True):
        try:
            pa.RecordBatch.from_pylist([row], schema=schema)
        except failures as exc:
            refused(number, project, ValueError(f"cannot be held in Arrow: {exc}"))
        else:
            good.append(row)
    return pa.RecordBatch.from_pylist(good, schema=schema)


def to_arrow(projects: Iterable[Project], *, batch_size: int = 10_000) -> Any:
    """The projects as one ``pyarrow.Table`` of :func:`arrow_schema`.

    >>> from socialproj import Funding, Money, Project
    >>> wheels = Project(title={"en": "Wheels"}, funding=Funding(Money("424.835", "EUR")))
    >>> table = to_arrow([wheels])
    >>> table.column("funding").combine_chunks().field("total").field("amount_scale")[0].as_py()
    3
    """
    pa = _pyarrow()
    batches = list(record_batches(projects, batch_size=batch_size))
    return pa.Table.from_batches(batches, schema=arrow_schema())


# -- Arrow to records -------------------------------------------------------------------------


def _canonical(cls: type, row: dict[str, Any]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for spec in fields_of(cls):
        kind, name = spec.kind, spec.name
        value = row.get(name)
        if kind in _SCALED:
            if value is not None:
                scale = row.get(f"{name}_scale") or 0
                data[name] = str(value.quantize(Decimal(1).scaleb(-scale)))
            continue
        if kind is Kind.DATE:
            if value is not None:
                precision = _PRECISIONS.index(row.get(f"{name}_precision") or "day")
                if precision == 3:  # the first day of the quarter
                    data[name] = f"{value.year:04d}-Q{(value.month - 1) // 3 + 1}"
                else:
                    data[name] = value.isoformat()[: (4, 7, 10)[precision]]
            continue
        if value is None:
            continue
        if kind in (Kind.TEXTS, Kind.STRINGS):
            value = dict(value)
        elif kind is Kind.EXTRAS:
            value = loads_json(value)
        elif kind is Kind.PART:
            value = _canonical(_item(spec), value)
        elif kind is Kind.LIST:
            value = [_canonical(_item(spec), item) for item in value]
        data[name] = value
    return data


def from_arrow(data: Any) -> Iterator[Project]:
    """The projects of an Arrow table, record batch, batch reader or iterable of batches.

    The inverse of :func:`to_arrow`: ``list(from_arrow(to_arrow(projects))) == projects``,
    the scale of amounts and the precision of dates included.
    """
    batches = data.to_batches() if hasattr(data, "to_batches") else data
    if hasattr(batches, "to_pylist"):  # a single record batch
        batches = [batches]
    for batch in batches:
        for row in batch.to_pylist():
            yield from_dict(_canonical(Project, row))

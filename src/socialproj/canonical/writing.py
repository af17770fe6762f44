"""The canonical writers: a record to its JSON-ready dict, one generated function per class.

For every class of the field table (:mod:`.table`) a function is written out and
compiled once, field by field as a hand-written writer would be (the hot path of every
writer: JSON Lines, JSON, and the columns of CSV build on it). Its twin is
:mod:`.reading`, which reads the dicts back; ``tests/test_canonical.py``
(``test_round_trip_is_the_identity``) and ``tests/test_fast_paths.py`` hold the two, and
the cattrs converter, to the same records.

Empty values — ``None``, empty lists and mappings — are left out, and so is an enum field
holding its default (a partner's ``role`` when it is ``partner``); amounts and rates are
plain decimal strings, so ``"9933.00"`` keeps its two places; dates are ISO 8601 shortened
to their precision.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Final

from socialproj.fast import compile_source
from socialproj.money import plain
from socialproj.texts import FrozenDict

from .table import CLASSES, Field, Kind, fields_of

__all__ = ["WRITERS", "Dumper", "extras_to", "write"]

Writer = Callable[[Any, Any], dict[str, Any]]


def _json_copy(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _json_copy(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_copy(v) for v in value]
    return value


def extras_to(value: FrozenDict[str, Any]) -> dict[str, Any]:
    """Extras as they are: JSON values, numbers kept as int or exact ``Decimal``."""
    data = value.to_dict()
    for key, item in data.items():
        if isinstance(item, Mapping | list | tuple):
            data[key] = _json_copy(item)
    return data


def _writer_name(cls: type) -> str:
    return f"write_{cls.__name__.lower()}"


def _default_name(spec: Field) -> str:
    """The name the generated code knows an enum field's default by (``_Role_PARTNER``)."""
    return f"_{type(spec.default).__name__}_{spec.default.name}"


def _statements(spec: Field, out: list[str]) -> str | None:
    """Statements writing one field into ``data``; or the expression of a required one."""
    name, kind = spec.name, spec.kind
    value = f"o.{name}"
    key = repr(name)
    if kind is Kind.TEXT or kind is Kind.CURRENCY or kind is Kind.WHOLE:
        if spec.required:
            return value
        out.append(f"    v = {value}\n    if v is not None: data[{key}] = v")
    elif kind is Kind.COUNT:
        return value
    elif kind is Kind.AMOUNT:
        return f"_plain({value})"
    elif kind is Kind.ENUM:
        if spec.required:
            return f"{value}._value_"
        if spec.default is not None:
            out.append(
                f"    v = {value}\n    if v is not {_default_name(spec)}: data[{key}] = v._value_"
            )
        else:
            out.append(f"    v = {value}\n    if v is not None: data[{key}] = v._value_")
    elif kind is Kind.TEXTS or kind is Kind.STRINGS:
        out.append(f"    v = {value}._data\n    if v: data[{key}] = dict(v)")
    elif kind is Kind.EXTRAS:
        out.append(f"    v = {value}\n    if v._data: data[{key}] = _extras_to(v)")
    elif kind is Kind.LINES:
        out.append(f"    v = {value}\n    if v: data[{key}] = list(v)")
    elif kind is Kind.DERIVED:
        out.append(f"    v = {value}\n    if v: data[{key}] = sorted(v)")
    elif kind is Kind.RATE:
        out.append(f"    v = {value}\n    if v is not None: data[{key}] = _plain(v)")
    elif kind is Kind.DATE:
        out.append(f"    v = {value}\n    if v is not None: data[{key}] = v.isoformat()")
    elif kind is Kind.PART:
        assert spec.item is not None
        write = _writer_name(spec.item)
        call = f"d._shared(v, {write})" if spec.shared else f"{write}(v, d)"
        if spec.shared:
            call = f"({call} if d is not None else {write}(v, None))"
        out.append(f"    v = {value}\n    if v is not None: data[{key}] = {call}")
    elif kind is Kind.LIST:
        assert spec.item is not None
        write = _writer_name(spec.item)
        if spec.shared:
            out.append(
                f"    v = {value}\n    if v:\n"
                f"        data[{key}] = [{write}(x, None) for x in v] if d is None else "
                f"[d._shared(x, {write}) for x in v]"
            )
        else:
            out.append(f"    v = {value}\n    if v: data[{key}] = [{write}(x, d) for x in v]")
    else:  # pragma: no cover - every kind is handled above
        raise AssertionError(kind)
    return None


def _source() -> tuple[str, dict[str, Any]]:
    namespace: dict[str, Any] = {"_plain": plain, "_extras_to": extras_to}
    functions = []
    for cls in CLASSES:
        required: list[str] = []
        body: list[str] = []
        for spec in fields_of(cls):
            if spec.kind is Kind.ENUM and spec.default is not None:
                namespace[_default_name(spec)] = spec.default
            expression = _statements(spec, body)
            if expression is None:
                continue
            if body:  # after an optional field: keys stay in the table's order
                body.append(f"    data[{spec.name!r}] = {expression}")
            else:
                required.append(f"{spec.name!r}: {expression}")
        lines = [f"def {_writer_name(cls)}(o, d):", f"    data = {{{', '.join(required)}}}"]
        lines += body
        lines.append("    return data")
        functions.append("\n".join(lines))
    return "\n\n\n".join(functions) + "\n", namespace


def _compile() -> dict[type, Writer]:
    source, namespace = _source()
    compile_source(source, "canonical writers", namespace)
    return {cls: namespace[_writer_name(cls)] for cls in CLASSES}


#: The writer of each class: ``WRITERS[Partner](partner, None)`` is its canonical dict.
WRITERS: Final[dict[type, Writer]] = _compile()


def write(record: Any) -> dict[str, Any] | None:
    """The canonical dict of a record of a class in the table; ``None`` for another object."""
    writer = WRITERS.get(type(record))
    return None if writer is None else writer(record, None)


class Dumper:
    """Turns records into canonical dicts for a serialiser, sharing the dicts of shared parts.

    Readers share equal immutable parts between records (one programme object for every
    row of a programme); a dumper writes each such part once and hands out the same dict
    again. The dicts it returns may therefore be shared between records: serialise them,
    do not change them (use :func:`~socialproj.to_dict` for dicts of your own).
    """

    __slots__ = ("_memo", "_write")

    def __init__(self) -> None:
        self._memo: dict[int, tuple[Any, dict[str, Any]]] = {}
        from socialproj.model import Project

        self._write = WRITERS[Project]

    def _shared(self, value: Any, write: Writer) -> dict[str, Any]:
        memo = self._memo
        found = memo.get(id(value))
        if found is not None and found[0] is value:
            return found[1]
        if len(memo) > 2048:  # small, so memory stays flat
            memo.clear()
        data = write(value, self)
        memo[id(value)] = (value, data)  # the reference keeps the id from being reused
        return data

    def __call__(self, project: Any) -> dict[str, Any]:
        """The canonical dict of ``project`` (with shared parts shared)."""
        return self._write(project, self)

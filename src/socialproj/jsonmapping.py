"""Other producers' JSON records read through a mapping whose keys are JSON paths.

A mapping for JSON names, for some fields of each record, where their values go, as a
mapping for a spreadsheet names columns (:mod:`socialproj.mapping` lists the targets)::

    {"total_budget": "funding.total.amount",
     "programme.title": "programme.name.en",
     "translations.en.name": "title.en",
     "partnerships[].partner.name": "partners[].name",
     "partnerships[].type": "partners[].role"}

A path is keys joined by dots (``programme.title``); ``[]`` takes every item of a list
(``partnerships[]``), ``[N]`` one item counting from 0 (``partnerships[0]``), and
``["a.b"]`` a key that holds a dot. A key the record holds as written wins over the
path it would spell (``"No. of partners"`` is that key, not ``No`` then
`` of partners``). A path through ``[]`` gives a list, so its target must take one
(``partners[].name``, ``locations[].nuts``, ``identifiers[]``, ``results[]``,
``programme.funds[]``); the lists of one group are read item by item, so the third
partner's town stays the third partner's even when the second has none.

Numbers stay exact: a JSON number is a :class:`~decimal.Decimal` from the decoder to
the record, never text to be read again in some number style. Fields no path names
are kept in the record's ``extras`` under their path (``programme.id``,
``partnerships[].postcode`` holding one value per item), with their JSON values.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any, Final

from .jsonvalues import dumps_json

__all__ = ["Cell", "JSONPaths", "cell_text", "parse_path", "record_paths"]

#: What a mapped JSON field gives the builder: text, an exact number, or a list of them.
Cell = str | Decimal | list[str | Decimal]

#: A step of a path: a key, a list position, or ``None`` for every item of a list.
Step = str | int | None

_STEP: Final = re.compile(r'\.?(?:\[(\d*)\]|\["((?:[^"\\]|\\.)*)"\]|([^.\[\]]+))')
_MISSING: Final = object()
#: a number this large is no amount: it is passed on as its text, which is reported
_LARGEST_EXPONENT: Final = 40


def parse_path(text: str) -> tuple[Step, ...]:
    """The steps of a JSON path: ``'partnerships[].partner.name'`` → keys and ``None``.

        >>> parse_path('partnerships[].partner.name')
        ('partnerships', None, 'partner', 'name')
        >>> parse_path('$.programme["code.cci"]'), parse_path("items[2].id")
        (('programme', 'code.cci'), ('items', 2, 'id'))

    Raises ``ValueError`` for text that is no path (an empty key, an unclosed bracket).
    """
    rest = text.strip()
    if rest.startswith("$"):
        rest = rest[1:]
        rest = rest[1:] if rest.startswith(".") else rest
    steps: list[Step] = []
    pos = 0
    while pos < len(rest):
        found = _STEP.match(rest, pos)
        if found is None or found.end() == pos or (pos == 0 and rest[0] == "."):
            raise ValueError(
                f"{text!r} is not a JSON path (keys joined by '.', [] for every item of a "
                'list, [N] for one, ["a.b"] for a key holding a dot)'
            )
        index, quoted, key = found.groups()
        if key is not None:
            steps.append(key)
        elif quoted is not None:
            steps.append(re.sub(r"\\(.)", r"\1", quoted))
        else:
            steps.append(int(index) if index else None)
        pos = found.end()
    if not steps:
        raise ValueError(f"{text!r} is not a JSON path: it names no field")
    return tuple(steps)


def cell_text(value: object) -> str | Decimal:
    """A JSON value as a mapped cell: text, an exact number, or ``""`` for null."""
    if value is None or value is _MISSING:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, Decimal):
        if value.is_finite() and value.adjusted() <= _LARGEST_EXPONENT:
            return value
        return str(value)
    return dumps_json(value).decode("utf-8")


class JSONPaths:
    """The JSON paths of a mapping, and how one record's fields become its cells.

    ``columns`` are the mapping's keys, in order: the header a
    :class:`~socialproj.mapping.MappedBuilder` is made with for JSON records, whose
    :meth:`cells` come in that order.
    """

    def __init__(self, mapping: Mapping[str, str]) -> None:
        self.columns = list(mapping)
        self._paths: list[tuple[Step, ...]] = []
        for key, target in mapping.items():
            try:
                path = parse_path(key)
            except ValueError as exc:
                raise ValueError(f"the mapping's key {exc}") from None
            if None in path and "[]" not in target and not target.startswith(("-", "extras.")):
                raise ValueError(
                    f"{key!r} takes every item of a list, but {target!r} holds one value: "
                    f"map it to a list (partners[].name, identifiers[] …) or name one item "
                    f"({key.replace('[]', '[0]', 1)!r})"
                )
            self._paths.append(path)
        # the fields the paths name, as a tree of steps: where a record's extras are not
        self._named: dict[Step, Any] = {}
        for path in self._paths:
            node = self._named
            for step in path[:-1]:
                node = node.setdefault(step, {})
                if node is True:
                    break
            else:
                node[path[-1]] = True
        self.seen = [0] * len(self.columns)  # records each path was found in

    def cells(self, record: Mapping[str, Any]) -> tuple[list[Cell], dict[str, Any]]:
        """The cell of each path in ``record``, and the fields no path names (its extras).

        A path the record does not hold gives ``""``, as an empty cell does.
        """
        cells: list[Cell] = []
        as_written: set[str] = set()
        for number, (key, path) in enumerate(zip(self.columns, self._paths, strict=True)):
            if key in record and len(path) > 1:  # a key that only looks like a path
                value: Any = record[key]
                as_written.add(key)
                listed = False
            else:
                value, listed = _resolve(record, path)
            if listed:
                cells.append([cell_text(v) for v in value])
                if any(v is not None for v in value):
                    self.seen[number] += 1
            else:
                cells.append(cell_text(value))
                if value is not _MISSING:
                    self.seen[number] += 1
        extras: dict[str, Any] = {}
        for name, value in record.items():
            if name not in as_written:
                _leftovers(value, self._named.get(name), name, extras)
        return cells, extras

    def unseen(self) -> list[str]:
        """The mapping's keys no record read so far holds."""
        return [key for key, count in zip(self.columns, self.seen, strict=True) if not count]


def record_paths(record: Mapping[str, Any], most: int = 1000) -> list[str]:
    """The paths of a record's fields that hold values, as a mapping's keys name them.

        >>> record_paths({"id": 1, "programme": {"title": "X"}, "partners": [{"name": "A"}]})
        ['id', 'programme.title', 'partners[].name']

    The items of a list are looked into together; at most ``most`` paths are given.
    """
    found: dict[str, None] = {}

    def walk(value: Any, name: str) -> None:
        if len(found) >= most:
            return
        if isinstance(value, dict) and value:
            for key, item in value.items():
                walk(item, f"{name}.{_key(key)}" if name else _key(key))
        elif isinstance(value, list) and value:
            for item in value[:100]:
                walk(item, f"{name}[]")
        else:
            found.setdefault(name)

    walk(record, "")
    return list(found)


def _resolve(record: Any, path: tuple[Step, ...]) -> tuple[Any, bool]:
    """The value at ``path``; with ``[]`` on the way, the list of values (and ``True``)."""
    items: list[Any] = [record]
    listed = False
    for step in path:
        following: list[Any] = []
        for item in items:
            if step is None:
                listed = True
                if isinstance(item, list):
                    following.extend(item)
                elif item is not _MISSING and item is not None:
                    following.append(item)  # one object where a list might be
            elif isinstance(step, int):
                ok = isinstance(item, list) and step < len(item)
                following.append(item[step] if ok else _MISSING)
            else:
                ok = isinstance(item, dict) and step in item
                following.append(item[step] if ok else _MISSING)
        items = following
    if listed:
        return [None if item is _MISSING else item for item in items], True
    return items[0], False


def _leftovers(value: Any, named: Any, name: str, extras: dict[str, Any]) -> None:
    """Put the parts of ``value`` no path names into ``extras``, under their paths."""
    if named is True:
        return
    if named is None:
        extras[name] = value
        return
    if isinstance(value, dict):
        for key, item in value.items():
            _leftovers(item, named.get(key), f"{name}.{_key(key)}", extras)
        return
    if isinstance(value, list):
        if None in named:  # every item: one list per field no path names
            per_item: list[dict[str, Any]] = []
            for item in value:
                left: dict[str, Any] = {}
                _leftovers(item, named[None], "", left)
                per_item.append(left)
            for key in _in_order(per_item):
                extras[f"{name}[]{key}"] = [left.get(key) for left in per_item]
            return
        for position, item in enumerate(value):
            _leftovers(item, named.get(position), f"{name}[{position}]", extras)
        return
    extras[name] = value  # the paths expected more depth than the record has


def _key(key: str) -> str:
    return key if re.fullmatch(r"[^.\[\]\"]+", key) else f'["{key}"]'


def _in_order(dicts: Iterable[dict[str, Any]]) -> list[str]:
    return list(dict.fromkeys(key for left in dicts for key in left))

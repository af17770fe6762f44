"""JSON text for free-form values, exact both ways: numbers are never floats.

Canonical records are JSON-ready, but ``extras`` may hold exact decimals read from JSON
input. :func:`dumps_json` writes them as JSON numbers digit for digit; :func:`loads_json`
reads every number with a fraction as a :class:`~decimal.Decimal`.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any, Final

import orjson

__all__ = ["dumps_json", "loads_json"]

_DECODER: Final = json.JSONDecoder(parse_float=Decimal)


def _default(value: object) -> Any:
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise TypeError(f"{value} has no JSON form")
        return orjson.Fragment(str(value).encode("ascii"))
    raise TypeError(f"{type(value).__name__} is not a JSON value")


def dumps_json(value: Any, *, newline: bool = False) -> bytes:
    """UTF-8 JSON for ``value``; ``Decimal`` numbers are written exactly as they are.

    >>> dumps_json({"budget": Decimal("5816165.49")})
    b'{"budget":5816165.49}'
    """
    option = orjson.OPT_APPEND_NEWLINE if newline else 0
    return orjson.dumps(value, default=_default, option=option)


#: How deeply a free-form JSON value (an entry of ``extras``) may nest lists and objects:
#: deep enough for any real data, shallow enough for every writer to write it again.
MAX_DEPTH: Final = 200


def loads_json(text: str | bytes) -> Any:
    """Read JSON with numbers that have a fraction or exponent as exact ``Decimal`` values.

    >>> loads_json('{"rate": 0.85, "n": 3}')
    {'rate': Decimal('0.85'), 'n': 3}

    Raises ``ValueError`` for text that is not JSON, and for lists and objects nested
    more than 200 levels deep (which no writer could write again).
    """
    if isinstance(text, bytes | bytearray):
        text = text.decode("utf-8")
    try:
        value = _DECODER.decode(text)
    except RecursionError:
        raise ValueError(_too_deep()) from None
    if isinstance(value, dict | list) and _depth(value) > MAX_DEPTH:
        raise ValueError(_too_deep())
    return value


def _depth(value: Any) -> int:
    """How many levels of lists and objects ``value`` nests (0 for a plain value).

    >>> _depth({"a": [1, {"b": []}]})
    4
    """
    deepest = 0
    stack = [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list | tuple):
            children = item
        else:
            continue
        deepest = max(deepest, level)
        stack.extend((child, level + 1) for child in children)
    return deepest


def _too_deep() -> str:
    return f"nests lists or objects more than {MAX_DEPTH} levels deep"

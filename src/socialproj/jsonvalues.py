"""JSON text for free-form values, exact both ways: numbers are never floats.

Canonical records are JSON-ready, but ``extras`` may hold exact decimals read from JSON
input. :func:`dumps_json` writes them as JSON numbers digit for digit; :func:`loads_json`
reads every number with a fraction as a :class:`~decimal.Decimal`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, Final

import orjson

__all__ = [
    "JSON_DECODER",
    "JSONConstantError",
    "NotJSON",
    "dumps_json",
    "json_problem",
    "loads_json",
    "lone_surrogate",
]


class JSONConstantError(ValueError):
    """``NaN``, ``Infinity`` or ``-Infinity`` in JSON text: JSON has no such numbers.

    The standard library reads them as floats; :data:`JSON_DECODER` refuses them.
    ``name`` is the one found.
    """

    def __init__(self, name: str) -> None:
        super().__init__(f"{name} is not a number JSON can hold (JSON has no NaN or Infinity)")
        self.name = name


def _no_constant(name: str) -> Any:
    raise JSONConstantError(name)


#: The JSON decoder behind :func:`loads_json`, for readers that decode part of a text
#: (``JSON_DECODER.raw_decode(text, position)``): numbers with a fraction or exponent are
#: exact ``Decimal`` values, and ``NaN``/``Infinity`` raise :class:`JSONConstantError`.
JSON_DECODER: Final = json.JSONDecoder(parse_float=Decimal, parse_constant=_no_constant)


def _default(value: object) -> Any:
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise TypeError(f"{value} has no JSON form")
        return orjson.Fragment(str(value).encode("ascii"))
    raise TypeError(f"{type(value).__name__} is not a JSON value")


class NotJSON(ValueError):
    """A value no JSON text can hold: a lone surrogate, or a whole number too long to write."""


def dumps_json(value: Any, *, newline: bool = False) -> bytes:
    """UTF-8 JSON for ``value``; ``Decimal`` numbers and whole numbers of any size exactly.

    Raises :class:`NotJSON` (a ``ValueError``) for text holding half of a UTF-16 pair
    (a lone surrogate, which UTF-8 cannot carry) and for a whole number longer than
    Python writes (``sys.get_int_max_str_digits()``).

    >>> dumps_json({"budget": Decimal("5816165.49"), "id": 2**64})
    b'{"budget":5816165.49,"id":18446744073709551616}'
    """
    option = orjson.OPT_APPEND_NEWLINE if newline else 0
    try:
        return orjson.dumps(value, default=_default, option=option)
    except TypeError as exc:
        said = str(exc)
        if "surrogates" in said:
            raise NotJSON(f"it holds {lone_surrogate(value)!r}, {_HALF}") from None
        if "64-bit" not in said:
            raise
    # orjson writes integers of 64 bits at most: larger ones go in as their digits
    try:
        return orjson.dumps(_big_integers(value), default=_default, option=option)
    except TypeError as exc:
        if "surrogates" in str(exc):
            raise NotJSON(f"it holds {lone_surrogate(value)!r}, {_HALF}") from None
        raise


_HALF: Final = "half of a UTF-16 pair (a lone surrogate), which no text can hold"
_SURROGATE: Final = re.compile("[\ud800-\udfff]")
#: a JSON escape of a surrogate: where one is, a decoded value may hold a lone one
SURROGATE_ESCAPE: Final = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


def lone_surrogate(
    value: Any, text: str | None = None, start: int = 0, end: int | None = None
) -> str:
    r"""The first lone surrogate in a JSON value's strings (keys included); ``""`` if none.

    JSON's ``"\ud800"`` escape decodes to one: half of a UTF-16 pair, which is no
    character and which UTF-8 cannot write. Readers of JSON refuse a record holding one.
    Given the JSON ``text`` the value was decoded from (``text[start:end]``), the value is
    looked through only when that text escapes a surrogate: a reader's fast path.

        >>> lone_surrogate({"title": ["a", "\ud800"]}) == "\ud800", lone_surrogate("ok")
        (True, '')
        >>> lone_surrogate(["\ud800"], text='["\\ud800"]') == "\ud800"
        True
    """
    if text is not None and not SURROGATE_ESCAPE.search(
        text, start, len(text) if end is None else end
    ):
        return ""
    if isinstance(value, str):
        match = _SURROGATE.search(value)
        return match.group() if match else ""
    if isinstance(value, Mapping):
        items: list[Any] = [*value.keys(), *value.values()]
    elif isinstance(value, list | tuple):
        items = list(value)
    else:
        return ""
    return next((found for item in items if (found := lone_surrogate(item))), "")


def _big_integers(value: Any) -> Any:
    """``value`` with integers orjson cannot hold replaced by JSON fragments of their digits."""
    kind = type(value)
    if kind is int and not -(2**63) <= value < 2**64:
        try:
            digits = str(value)
        except ValueError:
            raise NotJSON(
                f"it holds a whole number of about {value.bit_length() * 30103 // 100000:,} "
                "digits, more than Python writes (sys.set_int_max_str_digits)"
            ) from None
        return orjson.Fragment(digits.encode("ascii"))
    if kind is dict:
        return {key: _big_integers(item) for key, item in value.items()}
    if kind is list or kind is tuple:
        return [_big_integers(item) for item in value]
    return value


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
        value = JSON_DECODER.decode(text)
    except RecursionError:
        raise ValueError(f"the value {_too_deep()}") from None
    return json_value(value, "the value")


def json_value(value: Any, where: str = "extras", level: int = 0) -> Any:
    """``value`` as a JSON value every writer writes back exactly, or an error saying why.

    Strings, whole numbers, booleans, ``None`` and finite ``Decimal`` numbers, in lists
    (tuples become lists) and objects (keys become text) nested at most
    :data:`MAX_DEPTH` levels; the lists and objects are copied. A float raises
    ``TypeError``, because it has already lost the exact number; so does anything that
    is not JSON. Too deep a value raises ``ValueError``.

        >>> json_value({"rate": Decimal("0.85"), 1: (True, None)})
        {'rate': Decimal('0.85'), '1': [True, None]}
    """
    kind = type(value)
    if kind is str or kind is int or kind is bool or value is None:
        return value
    if kind is Decimal:
        if not value.is_finite():
            raise ValueError(f"{where} holds {value}, which is not a number JSON can hold")
        return value
    if kind is float:
        raise TypeError(
            f"{where} holds the float {value!r}, which has lost the exact number: "
            "use a Decimal or a string (read JSON with parse_float=Decimal)"
        )
    if level >= MAX_DEPTH:
        raise ValueError(f"{where} {_too_deep()}")
    if isinstance(value, Mapping):
        return {str(k): json_value(v, where, level + 1) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_value(v, where, level + 1) for v in value]
    if isinstance(value, str | int):  # subclasses: enum members, for one
        return str(value) if isinstance(value, str) else int(value)
    raise TypeError(f"{where} holds {value!r}, which is not a JSON value")


def json_fields(fields: Mapping[Any, Any], where: str = "extras") -> dict[str, Any]:
    """A copy of ``fields`` (an ``extras`` mapping) with text keys and :func:`json_value` values."""
    return {str(key): json_value(item, where) for key, item in fields.items()}


_SAID: Final = (
    ("Expecting value", "a value is missing"),
    ("Expecting property name enclosed in double quotes", "a key in double quotes is missing"),
    ("Expecting ',' delimiter", "a ',' is missing"),
    ("Expecting ':' delimiter", "a ':' is missing after a key"),
    ("Unterminated string starting at", "a string is never closed"),
    ("Extra data", "more follows the JSON value"),
    ("Invalid control character at", "a string holds a control character (write it as \\uXXXX)"),
    ("Invalid \\escape", "a string holds a backslash that escapes nothing"),
    ("Invalid \\uXXXX escape", "a string holds a broken \\u escape"),
)


def json_problem(exc: json.JSONDecodeError, *, lines: bool = True) -> str:
    """What a JSON parser's error means, said plainly, with where it is.

    ``"Expecting value: line 1 column 1 (char 0)"`` is "a value is missing (line 1,
    column 1)"; with ``lines=False`` only the column is named (a one-line text).
    """
    said = next((plain for theirs, plain in _SAID if exc.msg.startswith(theirs)), exc.msg)
    where = f"line {exc.lineno}, column {exc.colno}" if lines else f"column {exc.colno}"
    return f"{said} ({where})"


def _too_deep() -> str:
    return f"nests lists or objects more than {MAX_DEPTH} levels deep"

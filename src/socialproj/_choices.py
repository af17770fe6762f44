"""Converters for fields holding one of an enum's members, with errors that list the choices."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import TypeVar

E = TypeVar("E", bound=StrEnum)


def choice(kind: type[E], what: str, hint: str = "") -> Callable[[object], E]:
    """A converter taking a member of ``kind`` or its value (in any letter case).

    Anything else raises ``ValueError`` naming ``what``, the value, the choices and
    ``hint`` (where to turn for text that is not one of the values).
    """
    members: dict[str, E] = {member.value: member for member in kind}
    listed = ", ".join(members)

    def convert(value: object) -> E:
        if isinstance(value, kind):
            return value
        if isinstance(value, str):
            found = members.get(value)
            if found is None:
                found = members.get(value.strip().lower())
            if found is not None:
                return found
        raise ValueError(f"{what} {value!r} is not one of {listed}{hint}")

    convert.__name__ = f"_{kind.__name__.lower()}"
    return convert

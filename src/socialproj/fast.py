"""Trusted constructors: build records at full speed from values already of the right types.

The model's classes check and convert what they are given (a list becomes a tuple, a
string a :class:`~socialproj.Texts`, ``"lead"`` a :class:`~socialproj.Role`, a float is
refused). That costs a few microseconds per object, which matters to a reader turning a
million rows into records. The functions here skip it: they store their arguments as
they are. Use them only with values of exactly the types the fields hold — tuples,
``Texts``/``FrozenDict``, enum members, ``Decimal``, ``PartialDate`` — as the built-in
CSV and JSON readers do after checking each cell; anything else makes a broken record.

    >>> from socialproj import fast, Role
    >>> fast.partner("Municipality of Belitsa", Role.LEAD, "BG")
    Partner(name='Municipality of Belitsa', role=<Role.LEAD: 'lead'>, country='BG', ...)

Every function takes the class's fields in order, with the class's defaults (an empty
tuple, ``None``, an empty ``Texts``). They are generated from the classes' own field
lists, so they cannot drift from the model.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any, Final, TypeVar

import attrs

from .dates import PartialDate
from .findings import Finding, Severity
from .model import (
    Funding,
    Identifier,
    Location,
    Partner,
    Programme,
    Project,
    Role,
    Share,
    ShareSource,
    Source,
)
from .money import Money, Qualifier
from .periods import Duration, Period
from .texts import FrozenDict, Texts

__all__ = [
    "EMPTY",
    "EMPTY_SET",
    "EMPTY_TEXTS",
    "compile_source",
    "duration",
    "finding",
    "frozen",
    "funding",
    "identifier",
    "location",
    "money",
    "partial_date",
    "partner",
    "period",
    "programme",
    "project",
    "share",
    "source",
    "texts",
]

T = TypeVar("T")

#: The empty mapping every record without extras shares.
EMPTY: Final[FrozenDict[str, Any]] = FrozenDict()
#: The empty texts every record without a title or summary shares.
EMPTY_TEXTS: Final[Texts] = Texts()
#: The empty set every part without derived fields shares.
EMPTY_SET: Final[frozenset[str]] = frozenset()


def _shared_default(value: Any) -> Any:
    if isinstance(value, attrs.Factory):  # type: ignore[arg-type]
        made = value.factory()
        if isinstance(made, Texts):
            return EMPTY_TEXTS
        if isinstance(made, FrozenDict):
            return EMPTY
        return made
    if value is attrs.NOTHING:
        return attrs.NOTHING
    if value == frozenset():
        return EMPTY_SET
    return value


_GENERATED: dict[str, int] = {}


def compile_source(source: str, name: str, namespace: dict[str, Any]) -> dict[str, Any]:
    """Run generated Python ``source`` in ``namespace``, under a file name tracebacks show.

    The source is registered with :mod:`linecache` as ``<socialproj generated NAME>``, so
    an error inside generated code (a compiled CSV builder, a canonical writer) shows the
    line that raised, not ``<string>``. Returns ``namespace``.

        >>> compile_source("def one(): return 1", "example", {})["one"]()
        1
    """
    import linecache

    count = _GENERATED[name] = _GENERATED.get(name, 0) + 1
    filename = f"<socialproj generated {name}{'' if count == 1 else f' {count}'}>"
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    exec(compile(source, filename, "exec"), namespace)
    return namespace


def _trusted(cls: type[T]) -> Callable[..., T]:
    """A function storing its arguments straight into a new ``cls`` (no checks)."""
    fields = attrs.fields(cls)  # type: ignore[arg-type]
    names = [field.name for field in fields]
    namespace: dict[str, Any] = {"_new": object.__new__, "_cls": cls}
    parameters = []
    for field in fields:
        namespace[f"_set_{field.name}"] = cls.__dict__[field.name].__set__
        default = _shared_default(field.default)
        if default is attrs.NOTHING:
            parameters.append(field.name)
        else:
            namespace[f"_default_{field.name}"] = default
            parameters.append(f"{field.name}=_default_{field.name}")
    body = "".join(f"    _set_{name}(o, {name})\n" for name in names)
    source = f"def make({', '.join(parameters)}):\n    o = _new(_cls)\n{body}    return o\n"
    compile_source(source, f"fast.{cls.__name__.lower()}", namespace)
    function: Callable[..., T] = namespace["make"]
    function.__name__ = cls.__name__.lower()
    function.__qualname__ = function.__name__
    function.__doc__ = (
        f"A :class:`~socialproj.{cls.__name__}` from trusted values ({', '.join(names)})."
    )
    return function


project: Final = _trusted(Project)
partner: Final = _trusted(Partner)
share: Final = _trusted(Share)
funding: Final = _trusted(Funding)
period: Final = _trusted(Period)
identifier: Final = _trusted(Identifier)
location: Final = _trusted(Location)
programme: Final = _trusted(Programme)
source: Final = _trusted(Source)
finding: Final = _trusted(Finding)
duration: Final = _trusted(Duration)
partial_date: Final = _trusted(PartialDate)


money: Final = _trusted(Money)
money.__doc__ = (
    "A :class:`~socialproj.Money` from a finite ``Decimal`` and a valid ISO code (or ``None``)."
)


def texts(values: dict[str, str]) -> Texts:
    """:class:`~socialproj.Texts` adopting ``values`` (non-empty strings; not copied)."""
    if not values:
        return EMPTY_TEXTS
    return Texts._wrap(values)  # type: ignore[return-value]


def frozen(values: dict[str, Any]) -> FrozenDict[str, Any]:
    """A :class:`~socialproj.FrozenDict` adopting ``values`` (not copied)."""
    if not values:
        return EMPTY
    return FrozenDict._wrap(values)


# enum members by value, for readers turning cell text into members without a call
ROLES: Final[dict[str, Role]] = {member.value: member for member in Role}
SOURCES: Final[dict[str, ShareSource]] = {member.value: member for member in ShareSource}
QUALIFIERS: Final[dict[str, Qualifier]] = {member.value: member for member in Qualifier}
SEVERITIES: Final[dict[str, Severity]] = {member.value: member for member in Severity}


_from_iso: Final = datetime.date.fromisoformat
_DIGITS: Final = frozenset("0123456789")


def iso_date(text: str) -> PartialDate:
    """A :class:`~socialproj.PartialDate` from ``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``, ``YYYY-Qn``.

    Raises ``ValueError`` for anything else (use :func:`~socialproj.parse_date` for the
    forms documents write).
    """
    size = len(text)
    if size == 10 and text[4] == "-" and text[7] == "-":
        # the C parser: ASCII digits only, and it knows the calendar
        try:
            day = _from_iso(text)
        except ValueError:
            raise ValueError(f"{text!r} is not an ISO date") from None
        return partial_date(day.year, day.month, day.day)
    if size == 7 and text[5] == "Q":  # 2014-Q3, a date known to the quarter
        return PartialDate.parse(text)
    if not _DIGITS.issuperset(text.replace("-", "")) or not text[:4].isascii():
        raise ValueError(f"{text!r} is not an ISO date")
    if size == 7 and text[4] == "-":
        month = int(text[5:])
        if 1 <= month <= 12 and int(text[:4]) >= 1:
            return partial_date(int(text[:4]), month, None)
    elif size == 4 and int(text) >= 1:
        return partial_date(int(text), None, None)
    raise ValueError(f"{text!r} is not an ISO date")

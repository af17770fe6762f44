"""The canonical form of records: the field table, and the writers and readers built from it.

The canonical form is JSON-ready and exact: amounts and rates are strings (so
``"9933.00"`` keeps its two places), dates are ISO 8601 shortened to their precision
(``"2012-09"``), currencies are ISO codes, enums their values, lists are lists. Keys are
the attribute names (``funding.total.amount``, ``period.duration.months``,
``partners[].role``). Empty values — ``None``, empty lists and mappings — are left out,
and :func:`from_dict` reads their absence as empty.

- :mod:`.table` — the field table: every class's fields, in order, with their kinds;
  the one home of the form's shape, read by everything below and by the formats;
- :mod:`.writing` — generated writers (:func:`to_dict`, :class:`Dumper`);
- :mod:`.reading` — generated strict readers, the fast path of :func:`from_dict`;
- :mod:`.converter` — the cattrs converter: the detailed path and its messages.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from socialproj.errors import StructureError
from socialproj.model import Project

from .table import (
    CLASSES,
    EMPTY_IS_ABSENT,
    FIELDS,
    Field,
    Kind,
    enum_values,
    fields_of,
    headline,
    walk,
)
from .writing import WRITERS, Dumper, extras_to

__all__ = [
    "CLASSES",
    "EMPTY_IS_ABSENT",
    "FIELDS",
    "Dumper",
    "Field",
    "Kind",
    "enum_values",
    "extras_to",
    "fields_of",
    "from_dict",
    "headline",
    "to_dict",
    "walk",
]


def to_dict(record: Any) -> dict[str, Any]:
    """The canonical, JSON-ready dict of a :class:`~socialproj.Project` (or any model object).

    >>> from socialproj import Funding, Money, Project
    >>> project = Project(title={"en": "Wheels"}, funding=Funding(Money("497713.31", "EUR")))
    >>> to_dict(project)["funding"]
    {'total': {'amount': '497713.31', 'currency': 'EUR'}}
    """
    writer = WRITERS.get(type(record))
    if writer is not None:
        return writer(record, None)
    from .converter import converter

    return converter(False).unstructure(record)  # type: ignore[no-any-return]


def from_dict(data: Mapping[str, Any], cls: type[Any] = Project) -> Any:
    """Build a :class:`~socialproj.Project` (or ``cls``) from its canonical dict.

    Raises :class:`~socialproj.StructureError` listing every problem with its path
    (``$.funding.total.amount``), not just the first. The round trip
    ``from_dict(to_dict(p))`` is exact, the scale of amounts included.
    """
    if not isinstance(data, Mapping):
        raise StructureError([f"expected an object at $, not {type(data).__name__}"])
    from .converter import converter, describe
    from .reading import readers

    try:
        # the strict generated readers first; what they cannot read, cattrs builds or
        # explains
        read = readers().get(cls)
        return read(data) if read is not None else converter(False).structure(data, cls)
    except Exception:
        pass
    try:
        return converter(True).structure(data, cls)
    except Exception as exc:
        import cattrs

        problems = cattrs.transform_error(exc, path="$", format_exception=describe)
        raise StructureError(problems, what=cls.__name__.lower()) from None

"""Immutable mappings used by the model: :class:`FrozenDict` and :class:`Texts`.

Records are frozen, so the mappings inside them are too: a title is a
:class:`Texts` (language code → text), the raw text a record was read from and the
fields the model has no place for are :class:`FrozenDict` instances.
"""

from __future__ import annotations

from collections.abc import ItemsView, Iterable, Iterator, KeysView, Mapping, ValuesView
from typing import Any, TypeVar, overload

__all__ = ["UNDETERMINED", "FrozenDict", "Texts"]

K = TypeVar("K")
V = TypeVar("V")

#: BCP 47 code for text whose language is not known.
UNDETERMINED = "und"


class FrozenDict(Mapping[K, V]):
    """A read-only dict: hashable when its values are, picklable, equal to equal dicts."""

    __slots__ = ("_data", "_hash")

    _data: dict[K, V]
    _hash: int | None

    def __init__(self, data: Mapping[K, V] | Iterable[tuple[K, V]] = ()) -> None:
        self._data = dict(data)
        self._hash = None

    @classmethod
    def _wrap(cls, data: dict[K, V]) -> FrozenDict[K, V]:
        """Adopt ``data`` without copying it (callers must not keep a reference)."""
        new = cls.__new__(cls)
        new._data = data
        new._hash = None
        return new

    def __getitem__(self, key: K) -> V:
        return self._data[key]

    def __iter__(self) -> Iterator[K]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __contains__(self, key: object) -> bool:
        return key in self._data

    def __bool__(self) -> bool:
        return bool(self._data)

    def items(self) -> ItemsView[K, V]:
        """The items, as the dict inside holds them (a view: no copy, at dict speed)."""
        return self._data.items()

    def keys(self) -> KeysView[K]:
        """The keys (a view of the dict inside)."""
        return self._data.keys()

    def values(self) -> ValuesView[V]:
        """The values (a view of the dict inside)."""
        return self._data.values()

    def __eq__(self, other: object) -> bool:
        if isinstance(other, FrozenDict):
            return self._data == other._data
        if isinstance(other, Mapping):
            return self._data == dict(other)
        return NotImplemented

    def __hash__(self) -> int:
        if self._hash is None:
            self._hash = hash(frozenset(self._data.items()))
        return self._hash

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._data!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self._data,))

    def to_dict(self) -> dict[K, V]:
        """Return a new, mutable ``dict`` with the same items."""
        return dict(self._data)


class Texts(FrozenDict[str, str]):
    """Text in one or more languages, keyed by language code (``{"bg": …, "en": …}``).

    A plain string is text in an undetermined language (``"und"``)::

        >>> Texts("Social Patronage")
        Texts({'und': 'Social Patronage'})
        >>> Texts({"bg": "Патронажна грижа", "en": "Patronage care"}).best("en")
        'Patronage care'
    """

    __slots__ = ()

    @overload
    def __init__(self, data: str | None = None) -> None: ...
    @overload
    def __init__(self, data: Mapping[str, str] | Iterable[tuple[str, str]]) -> None: ...

    def __init__(
        self, data: str | Mapping[str, str] | Iterable[tuple[str, str]] | None = None
    ) -> None:
        if data is None:
            super().__init__()
        elif isinstance(data, str):
            super().__init__({UNDETERMINED: data} if data else {})
        else:
            items = dict(data)
            for lang, text in items.items():
                if not isinstance(lang, str) or not isinstance(text, str):
                    raise TypeError(f"Texts maps language codes to strings; got {lang!r}: {text!r}")
            super().__init__({lang: text for lang, text in items.items() if text})

    def best(self, *languages: str) -> str | None:
        """The text in the first of ``languages`` present, else any text, else ``None``."""
        for lang in languages:
            text = self._data.get(lang)
            if text:
                return text
        return next(iter(self._data.values()), None)

    def __str__(self) -> str:
        return self.best() or ""


def texts(value: Texts | str | Mapping[str, str] | None) -> Texts:
    """Convert what a user passes for a text field into :class:`Texts`."""
    if isinstance(value, Texts):
        return value
    return Texts(value)


def frozen_dict(
    value: Mapping[Any, Any] | Iterable[tuple[Any, Any]] | None,
) -> FrozenDict[Any, Any]:
    """Convert a mapping (or ``None``) into a :class:`FrozenDict`."""
    if isinstance(value, FrozenDict):
        return value
    return FrozenDict(value or ())


def text_dict(value: Any, what: str, hint: str = "") -> FrozenDict[str, str]:
    """``value`` as a :class:`FrozenDict` of text to text, else ``TypeError`` naming ``what``."""
    data = frozen_dict(value)
    for key, text in data.items():
        if not isinstance(key, str) or not isinstance(text, str):
            raise TypeError(f"{what} maps text to text, not {key!r}: {text!r}{hint}")
    return data

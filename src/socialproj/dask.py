"""Projects as a Dask DataFrame, for lists past one machine's memory or cores.

:func:`read` gives a lazy ``dask.dataframe.DataFrame`` with one partition per input
file: each partition is the file's projects read by socialproj (any readable format)
and turned into :func:`~socialproj.arrow_schema`'s columns, as pandas columns backed by
Arrow (``pandas.ArrowDtype``), so amounts stay exact ``decimal128`` values with their
scale, dates stay dates, and nested fields (funding, partners) stay structs and lists.
Every partition has the same columns whatever its file holds.

Needs ``pip install 'socialproj[dask]'`` (dask with its DataFrame, and pyarrow); both
are imported only when :func:`read` is called.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Iterable
from typing import Any

from .columnar import arrow_schema, to_arrow
from .plugins.descriptors import ErrorPolicy
from .readwrite import read as read_projects

__all__ = ["partition", "read"]

_INSTALL = "pip install 'socialproj[dask]'"


def read(
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    format: str | None = None,
    *,
    errors: ErrorPolicy = "raise",
    **options: Any,
) -> Any:
    """A Dask DataFrame of the projects in ``paths``, one partition per file.

    ``paths`` is a file or a list of files; ``format`` and ``options`` are those of
    :func:`socialproj.read` (without ``format``, each file's is told from its name or
    content). Nothing is read until the frame is computed; each partition is read by
    :func:`partition`, so a worker needs socialproj installed. ``errors="collect"``
    leaves bad records out of their partition instead of failing it.

        >>> import socialproj.dask
        >>> frame = socialproj.dask.read(["a.jsonl", "b.jsonl"])  # doctest: +SKIP
        >>> frame.npartitions  # doctest: +SKIP
        2
    """
    dataframe = _module("dask.dataframe")
    if isinstance(paths, str | os.PathLike):
        paths = [paths]
    files = [os.fspath(path) for path in paths]
    if not files:
        raise ValueError("socialproj.dask.read needs at least one file")
    if errors not in ("raise", "collect"):
        raise ValueError(f"errors is 'raise' or 'collect', not {errors!r}")
    meta = _frame(arrow_schema().empty_table())
    return dataframe.from_map(
        partition,
        files,
        format=format,
        errors=errors,
        meta=meta,
        enforce_metadata=False,
        **options,
    )


def partition(
    path: str, format: str | None = None, errors: ErrorPolicy = "raise", **options: Any
) -> Any:
    """One file's projects as a pandas DataFrame of Arrow-backed columns (a partition)."""
    stream = read_projects(path, format, errors=errors, provenance=True, **options)
    with stream:
        table = to_arrow(stream)
    return _frame(table)


def _frame(table: Any) -> Any:
    pandas = _module("pandas")
    return table.to_pandas(types_mapper=pandas.ArrowDtype)


def _module(name: str) -> Any:
    try:
        return importlib.import_module(name)
    except ImportError:
        raise ImportError(f"socialproj.dask needs dask's DataFrame: {_INSTALL}") from None

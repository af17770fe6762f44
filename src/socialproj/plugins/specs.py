"""The hooks a socialproj plugin can implement, and the marker it implements them with.

A plugin is a module (or object) with functions marked ``@socialproj.hookimpl``, named
after the specifications below, and registered in the ``socialproj`` entry-point group
of its distribution::

    [project.entry-points.socialproj]
    markdown = "socialproj_markdown"

Each hook yields typed descriptors; the host collects them from every plugin, rejects
clashing names, and sorts them by name, so nothing depends on the order plugins load in.
"""

from __future__ import annotations

from collections.abc import Iterable

import pluggy

from .descriptors import Format, RateProvider, Validator

__all__ = ["PROJECT", "hookimpl", "hookspec"]

#: The name of the entry-point group and of the pluggy project.
PROJECT = "socialproj"

hookspec = pluggy.HookspecMarker(PROJECT)
#: Marks a plugin's implementation of a hook: ``@socialproj.hookimpl``.
hookimpl = pluggy.HookimplMarker(PROJECT)


@hookspec
def socialproj_formats() -> Iterable[Format]:  # type: ignore[empty-body]
    """Yield the :class:`~socialproj.Format` objects this plugin reads or writes."""


@hookspec
def socialproj_rate_providers() -> Iterable[RateProvider]:  # type: ignore[empty-body]
    """Yield :class:`~socialproj.RateProvider` objects: sources of dated exchange rates."""


@hookspec
def socialproj_validators() -> Iterable[Validator]:  # type: ignore[empty-body]
    """Yield :class:`~socialproj.Validator` objects: extra checks run by ``validate``."""

"""The hooks a socialproj plugin can implement, and the marker it implements them with.

A plugin is a module (or object) with functions marked ``@socialproj.hookimpl``, named
after the specifications below, and registered in the ``socialproj`` entry-point group
of its distribution::

    [project.entry-points.socialproj]
    markdown = "socialproj_markdown"

Each hook yields typed descriptors (:mod:`.descriptors`); the host (:mod:`.host`)
collects them from every plugin, refuses clashing names, and sorts them by name, so
nothing depends on the order plugins load in. A marked function whose name is not one
of these hooks (``socialproj_format`` for ``socialproj_formats``), or a function named
like a hook but not marked, is a plugin problem: the host reports the plugin and skips
it rather than ignore the function silently.
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
    r"""Yield the :class:`~socialproj.Format` objects this plugin reads or writes.

    For example, a format that writes one Markdown line per project::

        import socialproj

        def write_markdown(projects, stream, context):
            for project in projects:
                line = f"- {project.title.best() or '(untitled)'}"
                stream.write(line.encode() + b"\n")

        @socialproj.hookimpl
        def socialproj_formats():
            yield socialproj.Format(
                name="markdown",
                description="a Markdown list of titles",
                extensions=(".md",),
                writer=write_markdown,
            )
    """


@hookspec
def socialproj_rate_providers() -> Iterable[RateProvider]:  # type: ignore[empty-body]
    """Yield :class:`~socialproj.RateProvider` objects: sources of dated exchange rates.

    For example, a provider that knows one rate for every day::

        from decimal import Decimal
        import socialproj

        def lookup(from_, to, on):
            if (from_, to) == ("EUR", "RSD"):
                return socialproj.Rate("EUR", "RSD", Decimal("117.2"), "market", "example", on)
            return None

        @socialproj.hookimpl
        def socialproj_rate_providers():
            yield socialproj.RateProvider("example", "one rate for every day", lookup)
    """


@hookspec
def socialproj_validators() -> Iterable[Validator]:  # type: ignore[empty-body]
    """Yield :class:`~socialproj.Validator` objects: extra checks run by ``validate``.

    For example, a check that every project has a title::

        import socialproj

        def check(project):
            if not project.title:
                yield socialproj.Finding(
                    "example.title.missing", "warning", "$.title", "the project has no title"
                )

        @socialproj.hookimpl
        def socialproj_validators():
            yield socialproj.Validator(
                "titles", "every project has a title", check, codes=("example.title.missing",)
            )
    """

"""The plugin host: it loads plugins, checks their hooks, collects their descriptors.

Nothing else in socialproj touches the hooks (:mod:`.specs`).

Plugins are found through the ``socialproj`` entry-point group, the built-in ones
included, so that every format is loaded the same way. A plugin that fails to load is
reported (a :class:`PluginLoadWarning` naming it, its distribution and version, and the
error) and skipped; with ``strict=True`` (or ``SOCIALPROJ_STRICT_PLUGINS=1``) it raises
:class:`~socialproj.PluginError` instead. Two formats claiming the same name or alias
are an error naming both. A plugin marking a function that is no hook (a misspelt
``socialproj_format``), or naming a function like a hook without marking it, is a
problem of the same kind: reported and skipped, never silently ignored. Everything is
returned sorted by name.

For tests, :func:`registered` adds a plugin for the length of a ``with`` block.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import attrs
import pluggy

from socialproj.errors import FormatError, PluginError

from . import specs
from .descriptors import Format, RateProvider, Validator

__all__ = [
    "PluginHost",
    "PluginLoadWarning",
    "PluginProblem",
    "find_format",
    "formats",
    "host",
    "plugin_problems",
    "rate_providers",
    "register",
    "registered",
    "unregister",
    "validators",
]

D = TypeVar("D", Format, RateProvider, Validator)


class PluginLoadWarning(UserWarning):
    """A plugin could not be loaded, or its hook failed, and was skipped."""


@attrs.frozen
class PluginProblem:
    """A plugin that was skipped: its name, distribution, version and what went wrong."""

    plugin: str
    distribution: str
    version: str
    error: str

    def __str__(self) -> str:
        return (
            f"socialproj plugin {self.plugin!r} from {self.distribution} {self.version} "
            f"was skipped: {self.error}"
        )


def _strict_from_environment() -> bool:
    return os.environ.get("SOCIALPROJ_STRICT_PLUGINS", "").strip().lower() in ("1", "true", "yes")


class PluginHost:
    """A set of loaded plugins and the descriptors they provide.

    ``entry_points=False`` starts with no plugins at all (for tests that want only the
    plugins they register).
    """

    def __init__(self, *, strict: bool | None = None, entry_points: bool = True) -> None:
        self._pm = pluggy.PluginManager(specs.PROJECT)
        self._pm.add_hookspecs(specs)
        self.strict = _strict_from_environment() if strict is None else strict
        self._load_entry_points = entry_points
        self._loaded = False
        self._origin: dict[str, str] = {}
        self._cache: dict[str, tuple[Any, ...]] = {}
        self.problems: list[PluginProblem] = []

    # -- loading ----------------------------------------------------------------------

    def _ensure_loaded(self) -> None:
        if self._loaded:
            return
        self._loaded = True
        if self._load_entry_points:
            self._load()

    def _load(self) -> None:
        from importlib.metadata import entry_points

        seen: dict[str, str] = {}
        for point in sorted(entry_points(group=specs.PROJECT), key=lambda p: (p.name, p.value)):
            dist = point.dist
            distribution = dist.name if dist is not None else "(unknown distribution)"
            version = dist.version if dist is not None else "?"
            origin = f"{distribution} {version}"
            if point.name in seen:
                if seen[point.name] != origin:
                    self._fail(
                        point.name,
                        distribution,
                        version,
                        PluginError(
                            f"the plugin name {point.name!r} is used by both {seen[point.name]} "
                            f"and {origin}"
                        ),
                    )
                continue
            seen[point.name] = origin
            try:
                plugin = point.load()
                self._pm.register(plugin, name=point.name)
            except Exception as exc:
                self._fail(point.name, distribution, version, exc)
                continue
            wrong = _hook_mistakes(self._pm, plugin)
            if wrong:
                self._pm.unregister(plugin)
                self._fail(point.name, distribution, version, PluginError(wrong))
                continue
            self._origin[point.name] = origin

    def _fail(self, name: str, distribution: str, version: str, exc: BaseException) -> None:
        problem = PluginProblem(name, distribution, version, f"{type(exc).__name__}: {exc}")
        if self.strict:
            raise PluginError(str(problem)) from exc
        self.problems.append(problem)
        warnings.warn(str(problem), PluginLoadWarning, stacklevel=4)

    # -- registration -------------------------------------------------------------------

    def register(self, plugin: object, name: str | None = None) -> str:
        """Add a plugin (a module or object with ``@hookimpl`` functions); returns its name."""
        self._ensure_loaded()
        registered_name = self._pm.register(plugin, name=name)
        if registered_name is None:
            raise PluginError(f"plugin {name or plugin!r} is blocked and cannot be registered")
        wrong = _hook_mistakes(self._pm, plugin)
        if wrong:
            self._pm.unregister(plugin)
            raise PluginError(f"plugin {registered_name!r} was not registered: {wrong}")
        module = getattr(plugin, "__module__", None) or getattr(plugin, "__name__", "")
        self._origin[registered_name] = f"{registered_name} (registered by {module or 'code'})"
        self._cache.clear()
        return registered_name

    def unregister(self, name: str) -> None:
        """Remove the plugin registered under ``name``."""
        self._pm.unregister(name=name)
        self._origin.pop(name, None)
        self._cache.clear()

    @contextmanager
    def registered(self, plugin: object, name: str | None = None) -> Iterator[str]:
        """Register ``plugin`` for the length of a ``with`` block."""
        registered_name = self.register(plugin, name)
        try:
            yield registered_name
        finally:
            self.unregister(registered_name)

    def plugin_names(self) -> list[tuple[str, str]]:
        """Every loaded plugin as ``(name, "distribution version")``, sorted."""
        self._ensure_loaded()
        return sorted(
            (name, self._origin.get(name, name)) for name, _ in self._pm.list_name_plugin()
        )

    # -- collecting ---------------------------------------------------------------------

    def _collect(self, hook: str, kind: type[D]) -> list[D]:
        self._ensure_loaded()
        caller = getattr(self._pm.hook, hook)
        found: list[D] = []
        for impl in caller.get_hookimpls():
            origin = self._origin.get(impl.plugin_name, impl.plugin_name)
            try:
                items = list(impl.function())
                for item in items:
                    if not isinstance(item, kind):
                        raise TypeError(f"{hook} yielded {item!r}, not a {kind.__name__}")
            except Exception as exc:
                distribution, _, version = origin.partition(" ")
                self._fail(impl.plugin_name, distribution, version or "?", exc)
                continue
            found.extend(attrs.evolve(item, plugin=origin) for item in items)
        return found

    def _sorted(
        self, key: str, kind: type[D], names: Callable[[D], tuple[str, ...]]
    ) -> tuple[D, ...]:
        """The items of the hook ``socialproj_<key>``, sorted by name; cached until changed."""
        found = self._cache.get(key)  # every read and validate() asks: answer at once
        if found is not None:
            return found
        items = sorted(self._collect(f"socialproj_{key}", kind), key=lambda d: (d.name, d.plugin))
        claimed: dict[str, D] = {}
        for item in items:
            for name in names(item):
                other = claimed.get(name)
                if other is not None and other is not item:
                    raise PluginError(
                        f"{key[:-1].replace('_', ' ')} name {name!r} is claimed by both "
                        f"{other.plugin} ({other.name!r}) and {item.plugin} ({item.name!r}); "
                        f"uninstall or disable one of them"
                    )
                claimed[name] = item
        self._cache[key] = tuple(items)
        return self._cache[key]

    def formats(self) -> tuple[Format, ...]:
        """Every installed format, sorted by name."""
        return self._sorted("formats", Format, _names_of_format)

    def rate_providers(self) -> tuple[RateProvider, ...]:
        """Every installed rate provider, sorted by name."""
        return self._sorted("rate_providers", RateProvider, _name_of)

    def validators(self) -> tuple[Validator, ...]:
        """Every installed extra check, sorted by name."""
        return self._sorted("validators", Validator, _name_of)

    def find_format(self, name: str) -> Format:
        """The format called ``name`` (or with that alias), else :class:`FormatError`."""
        wanted = name.strip().lower()
        for fmt in self.formats():
            if wanted in fmt.names:
                return fmt
        installed = ", ".join(f.name for f in self.formats())
        raise FormatError(f"no format named {name!r}; installed formats: {installed}")


def _hook_mistakes(manager: pluggy.PluginManager, plugin: object) -> str:
    """What is wrong with a registered plugin's hooks, said plainly; ``""`` if nothing.

    A marked function whose name matches no hook (pluggy's ``check_pending``, for one
    plugin), and a function named like a hook that is not marked, which pluggy passes
    over without a word.
    """
    hooks = {name for name in dir(specs) if name.startswith(f"{specs.PROJECT}_")}
    callers = manager.get_hookcallers(plugin) or []
    problems = [
        f"@hookimpl {caller.name} is no socialproj hook (the hooks: {', '.join(sorted(hooks))})"
        for caller in callers
        if not caller.has_spec()
    ]
    marked = {caller.name for caller in callers}
    problems.extend(
        f"{name} is not marked with @socialproj.hookimpl"
        for name in sorted(hooks - marked)
        if callable(getattr(plugin, name, None))
    )
    return "; ".join(problems)


def _names_of_format(fmt: Format) -> tuple[str, ...]:
    return fmt.names


def _name_of(item: RateProvider | Validator) -> tuple[str, ...]:
    return (item.name,)


_HOST: PluginHost | None = None


def host() -> PluginHost:
    """The process's plugin host, created (and its plugins loaded) on first use."""
    global _HOST
    if _HOST is None:
        _HOST = PluginHost()
    return _HOST


def formats() -> tuple[Format, ...]:
    """Every installed format, sorted by name."""
    return host().formats()


def rate_providers() -> tuple[RateProvider, ...]:
    """Every installed rate provider, sorted by name."""
    return host().rate_providers()


def validators() -> tuple[Validator, ...]:
    """Every installed extra check, sorted by name."""
    return host().validators()


def find_format(name: str) -> Format:
    """The installed format called ``name`` or with that alias."""
    return host().find_format(name)


def register(plugin: object, name: str | None = None) -> str:
    """Register a plugin with the process's host; returns the name it was registered under."""
    return host().register(plugin, name)


def unregister(name: str) -> None:
    """Remove a plugin from the process's host."""
    host().unregister(name)


@contextmanager
def registered(plugin: object, name: str | None = None) -> Iterator[str]:
    """Register ``plugin`` with the process's host for the length of a ``with`` block."""
    with host().registered(plugin, name) as registered_name:
        yield registered_name


def plugin_problems() -> list[PluginProblem]:
    """The plugins that were skipped because they failed to load or their hook failed."""
    current = host()
    current.formats()
    return list(current.problems)

"""The plugin host and what plugins are made of: hooks, descriptors, contexts, the host.

Every format, rate provider and extra check — the built-in ones included — comes in
through here, from a plugin registered in the ``socialproj`` entry-point group:

- :mod:`.specs` — the hooks a plugin implements, and the ``hookimpl`` marker;
- :mod:`.descriptors` — what the hooks yield: :class:`~socialproj.Format`,
  :class:`~socialproj.Option`, :class:`~socialproj.RateProvider`,
  :class:`~socialproj.Validator`;
- :mod:`.contexts` — what a reader and a writer are called with:
  :class:`~socialproj.ReadContext`, :class:`~socialproj.WriteContext`;
- :mod:`.host` — the host: loading, checking and collecting plugins.

The core of socialproj (the model, money, dates, validation, conversion) never imports
this package: the top-level functions hand it what it needs from the host (see
:mod:`socialproj.api`). The contracts in ``pyproject.toml`` (``make lint``) hold that.
"""

from __future__ import annotations

from .host import (
    PluginHost,
    PluginLoadWarning,
    PluginProblem,
    find_format,
    formats,
    host,
    plugin_problems,
    rate_providers,
    register,
    registered,
    unregister,
    validators,
)
from .specs import PROJECT, hookimpl, hookspec

__all__ = [
    "PROJECT",
    "PluginHost",
    "PluginLoadWarning",
    "PluginProblem",
    "find_format",
    "formats",
    "hookimpl",
    "hookspec",
    "host",
    "plugin_problems",
    "rate_providers",
    "register",
    "registered",
    "unregister",
    "validators",
]

"""pytest fixtures for socialproj plugin authors.

Enable them with one line in your ``conftest.py``::

    pytest_plugins = ["socialproj.testing.pytest_plugin"]

Fixtures:

``socialproj_plugin``
    Registers plugins for one test: ``socialproj_plugin(MyPlugin())`` (or a module)
    returns the name it was registered under; it is unregistered after the test.

``check_format``
    :func:`socialproj.testing.conformance.check_format`: ``check_format("my-format")``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

import socialproj

from .conformance import check_format as _check_format

__all__ = ["check_format", "socialproj_plugin"]


@pytest.fixture
def socialproj_plugin() -> Iterator[Callable[..., str]]:
    """Register socialproj plugins for the length of one test."""
    names: list[str] = []

    def register(plugin: object, name: str | None = None) -> str:
        registered = socialproj.register(plugin, name)
        names.append(registered)
        return registered

    try:
        yield register
    finally:
        for name in reversed(names):
            socialproj.unregister(name)


@pytest.fixture
def check_format() -> Callable[..., None]:
    """Run the conformance checks on an installed (or test-registered) format."""
    return _check_format
